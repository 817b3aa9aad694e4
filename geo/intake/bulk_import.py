"""Bulk import of parcels from a GeoPackage (or any file GDAL reads) with COPY.

For loads of 100,000 to millions of parcels. GDAL streams the file as Arrow batches, and Python
touches no attribute of a row (but the 四至 a file does not bring, which it parses): Arrow
kernels check and encode whole columns. No size limit applies: memory stays at a few batches,
plus the keys of the parcels already stored (about 40 bytes each). Two paths write, both all or
nothing:

- the fast path (``geo.intake.bulk_direct``): each batch is checked in Arrow and COPied in
  binary straight into ``parcels``; rows naming stored parcels go through the staging table's
  upsert afterwards. Files in WGS84 take it;
- the staging path (``geo.intake.bulk_copy`` and ``geo.intake.bulk_sql``): the file is COPied
  into a temporary table, checked by SQL that names each refused feature and its reason, and
  upserted set-based. It runs when the fast path gives way: a refusal to name, or a file in a
  form the fast path does not take (another CRS, text where numbers belong).

The rules are the ones the ordinary import applies feature by feature (non-empty texts, positive
seq and area, a known geometry_source and plan, valid polygons in China, stable ids): one refused
feature and nothing is written; the report names the first refusals with their reasons. Geometry
validity is left to the table's CHECK constraint (it runs anyway); only when that constraint
refuses is every geometry examined to name the culprits.

History rows of a bulk import carry the state before (``old``) for updated parcels but not a
second copy of the state after (``new`` is NULL): at a million parcels that copy would double
the import's time and size. The state after an import is the next change's ``old``, or the
current parcel; ``geo.parcels.history`` resolves it that way.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from geo.errors import ImportRefused, InvalidInput, first_line
from geo.intake.bulk_copy import copy_to_staging, file_srid
from geo.intake.bulk_direct import WGS84, NeedsStaging, import_directly
from geo.intake.bulk_sql import UPSERT_SQL, parse_missing_boundaries, refusals
from geo.intake.file_import import ImportReport
from geo.messages import message

__all__ = ["BulkReport", "bulk_import", "file_srid"]


@dataclass
class BulkReport(ImportReport):
    """An import report with counts instead of id lists, and the time of each stage."""

    features: int = 0
    created_count: int = 0
    updated_count: int = 0
    unchanged_count: int = 0
    refused_count: int = 0
    path: str = "direct"
    """Which path wrote (or refused): ``direct`` (the fast path) or ``staging``."""
    staging_reason: str | None = None
    """Why the fast path gave way to the staging path, when it did."""
    seconds: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (the id lists stay empty: a million ids help nobody)."""
        keys = ("dry_run", "applied", "features", "created_count", "updated_count")
        keys += ("unchanged_count", "refused_count", "refused", "path", "staging_reason")
        keys += ("seconds",)
        return {key: getattr(self, key) for key in keys}

    def refused_total(self) -> int:
        """How many features were refused (``refused`` lists the first of them)."""
        return self.refused_count


def bulk_import(
    session: Session,
    path: Path,
    reason: str,
    actor: str,
    dry_run: bool = False,
    progress: Callable[[int], None] = lambda n: None,
) -> BulkReport:
    """Import a large file with COPY, all or nothing; ``progress`` hears of each batch copied."""
    if not reason.strip():
        raise InvalidInput(message("intake.reason_needed"))
    _, srid = file_srid(path)
    report = BulkReport(dry_run=dry_run)
    savepoint = session.begin_nested()
    # Sorts and hashes over a million rows stay in memory.
    session.execute(text("SET LOCAL work_mem = '256MB'"))
    label = f"{reason} ({path.name}, bulk)"
    if srid == WGS84:
        fast = session.begin_nested()
        try:
            written = import_directly(session, path, actor, label, progress)
        except NeedsStaging as why:
            fast.rollback()
            report.staging_reason = str(why)
            progress = lambda n: None  # noqa: E731 -- the file was counted once already
        else:
            fast.commit()
            report.features, report.created_count = written.features, written.created
            report.updated_count = written.updated
            report.unchanged_count = written.features - written.created - written.updated
            report.seconds = written.seconds
    else:
        report.staging_reason = f"the file is in EPSG:{srid}; the fast path takes EPSG:{WGS84}"
    if report.staging_reason is not None:
        report.path = "staging"
        _import_staged(session, path, srid, actor, label, progress, report)
    if report.refused_count or dry_run:
        savepoint.rollback()
        if report.refused_count and not dry_run:
            raise ImportRefused(report)
        return report
    savepoint.commit()
    report.applied = True
    return report


def _import_staged(
    session: Session,
    path: Path,
    srid: int,
    actor: str,
    label: str,
    progress: Callable[[int], None],
    report: BulkReport,
) -> None:
    """The staging path: COPY into a temporary table, name the refusals, or upsert all."""
    started = time.perf_counter()

    def lap(stage: str) -> None:
        nonlocal started
        now = time.perf_counter()
        report.seconds[stage] = round(now - started, 2)
        started = now

    report.features = copy_to_staging(session, path, srid, progress)
    session.execute(text("ANALYZE import_staging"))
    lap("copy")
    report.refused_count, report.refused = refusals(session, with_validity=False)
    lap("check")
    if report.refused_count:
        return
    parse_missing_boundaries(session)
    lap("parse_boundaries")
    inner = session.begin_nested()
    try:
        created, updated = session.execute(
            text(UPSERT_SQL), {"actor": actor, "reason": label}
        ).one()
        inner.commit()
    except DBAPIError as exc:  # the table refused a row: most likely an invalid shape
        inner.rollback()
        report.refused_count, report.refused = refusals(session, with_validity=True)
        if not report.refused_count:  # something else (a too long id, a huge area): say it
            report.refused = [
                {"reason": message("intake.database_refused", reason=first_line(exc))}
            ]
            report.refused_count = 1
    else:
        report.created_count, report.updated_count = created, updated
        report.unchanged_count = report.features - created - updated
    lap("write")
