"""Per-parcel audit status: area, topology and sides together, with reasons in 中文 and English."""

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from geo.boundaries.sides import NEAR_M
from geo.checks.area import DEFAULT_TOLERANCE_PCT, check_areas, check_one_area
from geo.checks.sides import check_sides
from geo.checks.topology import check_topology
from geo.errors import InvalidInput, ParcelNotFound
from geo.messages import in_each_language, message
from geo.parcels.record import NO_SHAPE

SEVERITY = {"ok": 0, "warn": 1, "fail": 2}


@dataclass
class ParcelAudit:
    """Everything the audits say about one parcel."""

    id: str
    name: str
    geometry_source: str
    status: str = "ok"
    reasons: list[dict[str, str]] = field(default_factory=list)
    area: dict[str, Any] | None = None
    sides: list[dict[str, Any]] = field(default_factory=list)
    topology: list[dict[str, Any]] = field(default_factory=list)

    def flag(self, status: str, en: str, zh: str) -> None:
        """Record a reason and raise the status to at least ``status``."""
        if SEVERITY[status] > SEVERITY[self.status]:
            self.status = status
        self.reasons.append({"status": status, "en": en, "zh": zh})

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return dict(self.__dict__)


def audit_parcels(
    session: Session,
    tolerance_pct: float = DEFAULT_TOLERANCE_PCT,
    near_m: float = NEAR_M,
    parcel_id: str | None = None,
) -> list[ParcelAudit]:
    """Audit every parcel (or one): area, topology and side checks, with an overall status."""
    if not 0 < near_m <= 1000:
        raise InvalidInput(message("checks.near_range", near_m=near_m))
    rows = session.execute(
        text(
            "SELECT id, name, geometry_source FROM parcels "
            "WHERE CAST(:id AS text) IS NULL OR id = :id ORDER BY plan_id, seq"
        ),
        {"id": parcel_id},
    ).all()
    if parcel_id is not None and not rows:
        raise ParcelNotFound(message("parcels.not_found", parcel_id=parcel_id))
    audits = {row.id: ParcelAudit(row.id, row.name, row.geometry_source) for row in rows}
    for audit in audits.values():
        if audit.geometry_source == NO_SHAPE:
            audit.flag("warn", **in_each_language("checks.not_located"))
        if audit.geometry_source == "schematic":
            audit.flag("warn", **in_each_language("checks.schematic"))
    # One parcel (its page, a preview of a drawing) reads only its own rows.
    areas = (
        check_areas(session, tolerance_pct).parcels
        if parcel_id is None
        else [check for check in [check_one_area(session, parcel_id, tolerance_pct)] if check]
    )
    for check in areas:
        if check.id in audits:
            audits[check.id].area = check.__dict__
            if check.status == "fail":
                audits[check.id].flag(
                    "fail",
                    **in_each_language(
                        "checks.area_differs",
                        measured=check.measured_area_mu,
                        declared=check.declared_area_mu,
                        difference_pct=check.difference_pct,
                        tolerance_pct=tolerance_pct,
                    ),
                )
            elif check.declared_area_mu is None:
                audits[check.id].flag("warn", **in_each_language("checks.no_declared_area"))
    for issue in check_topology(session, parcel_id=parcel_id):
        for pid in issue.parcel_ids:
            if pid in audits:
                audits[pid].topology.append(issue.to_dict())
                audits[pid].flag(issue.severity, issue.en, issue.zh)
    for side in check_sides(session, parcel_id, near_m):
        audits[side.parcel_id].sides.append(side.to_dict())
        if side.status != "ok":
            audits[side.parcel_id].flag(side.status, side.en, side.zh)
    return list(audits.values())


def audit_summary(audits: list[ParcelAudit]) -> dict[str, int]:
    """How many parcels have each status."""
    counts = dict.fromkeys(SEVERITY, 0)
    for audit in audits:
        counts[audit.status] += 1
    return counts
