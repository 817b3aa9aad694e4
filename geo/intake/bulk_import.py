"""Bulk import of parcels from a GeoPackage (or any file GDAL reads) with COPY.

For loads of 100,000 to millions of parcels. GDAL streams the file as Arrow batches; pyarrow
writes each batch as CSV and COPY puts it in a temporary table; everything after that is
set-based SQL: the checks, the upsert into ``parcels`` and one history row per created or
updated parcel. Python touches one string per feature (its geometry as EWKB hex) and nothing
per attribute, and no size limit applies: memory stays at one batch. A
load that at least doubles the table builds its secondary indexes once at the end
(``defer_index_maintenance``).

The rules are the ones the ordinary import applies feature by feature (non-empty texts, positive
seq and area, a known geometry_source and plan, valid polygons in China, stable ids), and it is
all or nothing as well: one refused feature and nothing is written; the report names the first
refusals with their reasons. Geometry validity is left to the table's CHECK constraint (it runs
anyway); only when that constraint refuses is every geometry examined to name the culprits.

History rows of a bulk import carry the state before (``old``) for updated parcels but not a
second copy of the state after (``new`` is NULL): at a million parcels that copy would double
the import's time and size. The state after an import is the next change's ``old``, or the
current parcel; ``geo.parcels.history`` resolves it that way.
"""

import io
import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyogrio
from pyogrio.errors import DataSourceError
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from geo.boundaries.parse import parse_boundaries
from geo.errors import ImportRefused, InvalidInput, first_line
from geo.geometry_input import MAX_VERTICES, PLAUSIBLE_LAT, PLAUSIBLE_LON
from geo.intake.file_import import ImportReport
from geo.intake.loader import CHANGED_SQL, UPDATED_COLUMNS
from geo.intake.parcel_file import PROPERTY_NAMES, TEXT_PROPERTIES
from geo.models import GEOMETRY_SOURCES
from geo.parcels.reads import FEATURE_SQL

BATCH_SIZE = 50_000
MAX_REPORTED = 100
ATTRIBUTES = (*PROPERTY_NAMES, "boundaries")
STAGING_SQL = (
    "CREATE TEMP TABLE import_staging (n bigint, "
    + ", ".join(f"{name} text" for name in ATTRIBUTES)
    + ", geom geometry, plan_id int) ON COMMIT DROP"
)
COPY_SQL = (
    f"COPY import_staging (n, {', '.join(ATTRIBUTES)}, geom, plan_id) FROM STDIN (FORMAT csv)"
)
NUMBER = r"^\s*[0-9]*\.?[0-9]+([eE][-+]?[0-9]+)?\s*$"
WHOLE = r"^\s*[0-9]+\s*$"


@dataclass
class BulkReport(ImportReport):
    """An import report with counts instead of id lists, and the time of each stage."""

    features: int = 0
    created_count: int = 0
    updated_count: int = 0
    unchanged_count: int = 0
    refused_count: int = 0
    rebuilt_indexes: bool = False
    seconds: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (the id lists stay empty: a million ids help nobody)."""
        keys = ("dry_run", "applied", "features", "created_count", "updated_count")
        keys += ("unchanged_count", "refused_count", "refused", "rebuilt_indexes", "seconds")
        return {key: getattr(self, key) for key in keys}

    def refused_total(self) -> int:
        """How many features were refused (``refused`` lists the first of them)."""
        return self.refused_count


def file_srid(path: Path) -> tuple[int, int]:
    """(feature count, EPSG code) of the file's only layer; refuses what cannot be imported."""
    try:
        info = pyogrio.read_info(path)
    except DataSourceError as exc:
        raise InvalidInput(f"{path.name} cannot be read: {exc}") from None
    missing = [name for name in PROPERTY_NAMES if name not in info["fields"]]
    if missing:
        raise InvalidInput(f"{path.name} lacks the fields {', '.join(missing)}.")
    crs = info.get("crs") or ""
    if crs in ("OGC:CRS84", "EPSG:4326") or not crs:
        return int(info["features"]), 4326
    if crs.startswith("EPSG:") and crs[5:].isdigit():
        return int(info["features"]), int(crs[5:])
    raise InvalidInput(f"{path.name} is in {crs}; give it an EPSG code (e.g. EPSG:4326).")


def _hex_geometries(column: pa.Array, srid: int) -> pa.Array:
    """Arrow WKB values as the EWKB hex text PostGIS reads in COPY, without a per-row decode."""
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    _, offsets_buffer, data = column.buffers()
    hexed = data.to_pybytes().hex() if data is not None else ""
    width = np.int64 if pa.types.is_large_binary(column.type) else np.int32
    positions = np.frombuffer(offsets_buffer, dtype=width)
    offsets = (positions[column.offset : column.offset + len(column) + 1] * 2).tolist()
    valid = column.is_valid().to_numpy(zero_copy_only=False)
    prefix = f"SRID={srid};"
    return pa.array(
        [
            prefix + hexed[offsets[i] : offsets[i + 1]] if valid[i] else None
            for i in range(len(column))
        ],
        type=pa.string(),
    )


def _plan_ids(batch: pa.RecordBatch, plans: dict[str, int]) -> pa.Array:
    """Each row's plan id from its plan title and year (null when no such plan), vectorized."""
    names = batch.schema.names
    title = pc.cast(batch.column(names.index("plan")), pa.string())
    year = pc.cast(batch.column(names.index("plan_year")), pa.string())
    keys = pc.binary_join_element_wise(title, year, "\x1f")
    known = pa.array(list(plans), type=pa.string())
    position = pc.index_in(keys, value_set=known)
    return pc.take(pa.array(list(plans.values()), type=pa.int32()), position)


def _csv_batches(path: Path, srid: int, plans: dict[str, int]) -> Iterator[tuple[int, bytes]]:
    """(feature count, CSV text for COPY) per Arrow batch of the file, columns as in COPY_SQL."""
    options = pacsv.WriteOptions(include_header=False)
    n = 1
    with pyogrio.raw.open_arrow(path, batch_size=BATCH_SIZE, use_pyarrow=True) as (meta, reader):
        geometry_name = meta.get("geometry_name") or "wkb"
        for batch in reader:
            size = batch.num_rows
            names = batch.schema.names
            columns = [pa.array(range(n, n + size), type=pa.int64())]
            for name in ATTRIBUTES:  # absent optional columns (boundaries) stay NULL
                columns.append(
                    batch.column(names.index(name))
                    if name in names
                    else pa.nulls(size, pa.string())
                )
            columns.append(_hex_geometries(batch.column(names.index(geometry_name)), srid))
            columns.append(_plan_ids(batch, plans))
            table = pa.table(columns, names=["n", *ATTRIBUTES, "geom", "plan_id"])
            buffer = io.BytesIO()
            pacsv.write_csv(table, buffer, options)
            n += size
            yield size, buffer.getvalue()


def copy_to_staging(
    session: Session, path: Path, srid: int, progress: Callable[[int], None]
) -> int:
    """Stream the file into the temporary staging table with COPY; return the feature count.

    Each Arrow batch becomes CSV in C (pyarrow) and goes to PostgreSQL as is; the one Python
    object per feature is its geometry's hex text (see ``_hex_geometries``).
    """
    # A caller may import twice in one transaction; ON COMMIT DROP only drops at the end of it.
    session.execute(text("DROP TABLE IF EXISTS import_staging, parsed_boundaries"))
    session.execute(text(STAGING_SQL))
    plans = {
        f"{title}\x1f{year}": plan_id
        for plan_id, title, year in session.execute(text("SELECT id, title, year FROM plans"))
    }
    cursor = session.connection().connection.cursor()
    count = 0
    with cursor.copy(COPY_SQL) as copy:
        for size, chunk in _csv_batches(path, srid, plans):
            copy.write(chunk)
            count += size
            progress(size)
    return count


def sql_literal(value: str) -> str:
    """A trusted constant as a SQL string literal."""
    return "'" + value.replace("'", "''") + "'"


def _refusal_sql() -> str:
    checks = [
        *(
            (f"nullif(btrim(s.{name}), '') IS NULL", f"property '{name}' must be non-empty text")
            for name in TEXT_PROPERTIES
        ),
        (
            f"s.seq IS NULL OR s.seq !~ '{WHOLE}' OR s.seq::numeric = 0",
            "seq must be a positive whole number",
        ),
        (f"s.plan_year IS NULL OR s.plan_year !~ '{WHOLE}'", "plan_year must be a whole number"),
        (
            f"s.declared_area_mu IS NULL OR s.declared_area_mu !~ '{NUMBER}' "
            "OR s.declared_area_mu::numeric <= 0",
            "declared_area_mu must be a positive number",
        ),
        (
            f"s.geometry_source IS NULL OR s.geometry_source NOT IN "
            f"({', '.join(repr(v) for v in GEOMETRY_SOURCES)})",
            f"geometry_source must be one of {', '.join(GEOMETRY_SOURCES)}",
        ),
        ("s.geom IS NULL OR ST_IsEmpty(s.geom)", "has no geometry"),
        (
            "GeometryType(s.geom) NOT IN ('POLYGON', 'MULTIPOLYGON')",
            "geometry must be Polygon or MultiPolygon",
        ),
        (f"ST_NPoints(s.geom) > {MAX_VERTICES}", f"geometry has more than {MAX_VERTICES} vertices"),
        (
            f"NOT (ST_XMin(g.wgs84) >= {PLAUSIBLE_LON[0]} AND ST_XMax(g.wgs84) <= {PLAUSIBLE_LON[1]} "
            f"AND ST_YMin(g.wgs84) >= {PLAUSIBLE_LAT[0]} AND ST_YMax(g.wgs84) <= {PLAUSIBLE_LAT[1]})",
            "coordinates lie outside China",
        ),
        ("s.plan_id IS NULL", "no such plan (title and year) exists"),
        ("same_id.id IS NOT NULL", "another feature of the file has the same id"),
        ("same_seq.seq IS NOT NULL", "another feature of the file has the same plan and seq"),
        (
            "p.id IS NOT NULL AND p.id <> s.id",
            "this plan and seq are stored under another id; ids are stable",
        ),
        (
            "q.id IS NOT NULL AND (q.plan_id <> s.plan_id OR q.seq::text <> btrim(s.seq))",
            "this id is stored with another plan or seq",
        ),
    ]
    cases = "\n".join(
        f"WHEN {condition} THEN {sql_literal(reason)}" for condition, reason in checks
    )
    return f"""
        SELECT s.n, s.id, CASE {cases} END AS reason
        FROM import_staging s
        LEFT JOIN (
            SELECT id FROM import_staging GROUP BY id HAVING count(*) > 1
        ) AS same_id ON same_id.id = s.id
        LEFT JOIN (
            SELECT plan, btrim(plan_year) AS year, btrim(seq) AS seq FROM import_staging
            GROUP BY 1, 2, 3 HAVING count(*) > 1
        ) AS same_seq ON (same_seq.plan, same_seq.year, same_seq.seq)
                         = (s.plan, btrim(s.plan_year), btrim(s.seq))
        CROSS JOIN LATERAL (SELECT ST_Transform(s.geom, 4326) AS wgs84) AS g
        LEFT JOIN parcels p ON p.plan_id = s.plan_id AND s.seq ~ '{WHOLE}'
                           AND p.seq = s.seq::numeric
        LEFT JOIN parcels q ON q.id = s.id"""


def refusals(session: Session, with_validity: bool) -> tuple[int, list[dict[str, Any]]]:
    """How many staged features are refused, and the first ones with their reasons."""
    reason = "reason"
    if with_validity:  # only after the CHECK constraint refused: name the invalid shapes
        reason = (
            "coalesce(reason, CASE WHEN NOT ST_IsValid(s2.geom) THEN 'geometry is not valid: ' "
            "|| ST_IsValidReason(s2.geom) END)"
        )
    statement = text(f"""
        WITH checked AS ({_refusal_sql()}),
        refused AS (
            SELECT c.n, c.id, {reason} AS reason
            FROM checked c JOIN import_staging s2 ON s2.n = c.n
        )
        SELECT (SELECT count(*) FROM refused WHERE reason IS NOT NULL),
               (SELECT coalesce(json_agg(json_build_object('feature', n, 'id', id, 'reason', reason)
                                         ORDER BY n), '[]')
                FROM (SELECT * FROM refused WHERE reason IS NOT NULL ORDER BY n LIMIT :limit) AS f)
    """)
    count, first = session.execute(statement, {"limit": MAX_REPORTED}).one()
    return count, first


# The staged rows as parcels rows (all checked by now); a subquery, not a CTE, so that
# PostgreSQL computes each row's values only where it uses them.
STAGED_SQL = """(
    SELECT s.id, s.plan_id, s.seq::int AS seq, s.block, s.name, s.boundary_text,
           s.declared_area_mu::numeric AS declared_area_mu, s.interest_type, s.implementing_unit,
           s.geometry_source, s.geometry_note, ST_Multi(ST_Transform(s.geom, 4326)) AS geom,
           s.boundaries::jsonb AS boundaries
    FROM import_staging s
)"""
WRITTEN_COLUMNS = ", ".join(UPDATED_COLUMNS)
# Existing (plan, seq) rows are updated when they differ, the rest inserted: two plain
# statements in one, without INSERT ... ON CONFLICT's per-row speculative insertion. Both parts
# see the table as it was before the statement, so no row is both updated and inserted.
UPSERT_SQL = f"""
WITH before AS (
    SELECT p.id, ({FEATURE_SQL})::jsonb AS feature
    FROM parcels p JOIN plans pl ON pl.id = p.plan_id
    WHERE p.id IN (SELECT id FROM import_staging)
),
updated AS (
    UPDATE parcels SET ({WRITTEN_COLUMNS}, version) =
        (SELECT {", ".join(f"excluded.{c.strip()}" for c in WRITTEN_COLUMNS.split(","))},
                parcels.version + 1)
    FROM {STAGED_SQL} AS excluded
    WHERE parcels.plan_id = excluded.plan_id AND parcels.seq = excluded.seq AND ({CHANGED_SQL})
    RETURNING parcels.id, parcels.version, false AS fresh
),
inserted AS (
    INSERT INTO parcels (id, plan_id, seq, {WRITTEN_COLUMNS})
    SELECT st.id, st.plan_id, st.seq, {WRITTEN_COLUMNS} FROM {STAGED_SQL} AS st
    WHERE NOT EXISTS (SELECT 1 FROM parcels p WHERE p.plan_id = st.plan_id AND p.seq = st.seq)
    RETURNING id, version, true AS fresh
),
written AS (SELECT * FROM updated UNION ALL SELECT * FROM inserted),
history AS (
    INSERT INTO parcel_history (parcel_id, version, action, actor, reason, old, new, at)
    SELECT w.id, w.version, 'import', :actor, :reason, b.feature, NULL, clock_timestamp()
    FROM written w LEFT JOIN before b ON b.id = w.id AND NOT w.fresh
)
SELECT count(*) FILTER (WHERE fresh), count(*) FILTER (WHERE NOT fresh) FROM written
"""


# Indexes and constraints that a large load builds once at the end instead of row by row. The
# primary key and (plan, seq) stay: they keep the load itself honest.
DEFERRABLE_INDEXES_SQL = """
    SELECT indexdef FROM pg_indexes i
    WHERE i.tablename = 'parcels' AND i.schemaname = current_schema()
      AND i.indexname NOT IN (SELECT conname FROM pg_constraint
                              WHERE conrelid = 'parcels'::regclass)"""
FOREIGN_KEYS_SQL = """
    SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint
    WHERE conrelid = 'parcels'::regclass AND contype = 'f'"""


def defer_index_maintenance(session: Session, incoming: int) -> list[str]:
    """Drop secondary indexes and foreign keys before a load that at least doubles the table.

    Returns the DDL that rebuilds them afterwards; for a smaller load changes nothing and
    returns [].

    Building a GiST index once over all rows is several times faster than growing it row by
    row, and one anti-join validates a foreign key faster than a million row triggers. The cost:
    the table is locked until the transaction ends, so readers wait for the load. That suits a
    first load or a province-size merge; routine updates keep their indexes and stay readable.
    """
    stored = session.execute(text("SELECT count(*) FROM parcels")).scalar_one()
    if stored > incoming:
        return []
    indexes = list(session.execute(text(DEFERRABLE_INDEXES_SQL)).scalars())
    foreign_keys = session.execute(text(FOREIGN_KEYS_SQL)).all()
    rebuild = []
    for name, definition in foreign_keys:
        session.execute(text(f'ALTER TABLE parcels DROP CONSTRAINT "{name}"'))
        rebuild.append(f'ALTER TABLE parcels ADD CONSTRAINT "{name}" {definition}')
    for definition in indexes:
        name = definition.split(" INDEX ", 1)[1].split(" ON ", 1)[0]
        session.execute(text(f"DROP INDEX {name}"))
        rebuild.append(definition)
    return rebuild


def parse_missing_boundaries(session: Session) -> None:
    """Parse the 四至 of staged rows that came without a ``boundaries`` column.

    The parser is Python (about 0.1 ms a text), so a file that carries ``boundaries`` (as
    the benchmark's does) skips this; one without pays about 100 s per million parcels.
    """
    rows = session.execute(
        text("SELECT n, boundary_text FROM import_staging WHERE boundaries IS NULL")
    ).all()
    if not rows:
        return
    cursor = session.connection().connection.cursor()
    cursor.execute("CREATE TEMP TABLE parsed_boundaries (n bigint, boundaries text) ON COMMIT DROP")
    with cursor.copy("COPY parsed_boundaries FROM STDIN") as copy:
        for n, boundary_text in rows:
            parsed = parse_boundaries(boundary_text or "").to_dict()
            copy.write_row((n, json.dumps(parsed, ensure_ascii=False)))
    session.execute(
        text(
            "UPDATE import_staging s SET boundaries = b.boundaries FROM parsed_boundaries b "
            "WHERE b.n = s.n"
        )
    )


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
        raise InvalidInput("An import needs a reason: say where the data comes from and why.")
    _, srid = file_srid(path)
    report = BulkReport(dry_run=dry_run)
    started = time.perf_counter()

    def lap(stage: str) -> None:
        nonlocal started
        now = time.perf_counter()
        report.seconds[stage] = round(now - started, 2)
        started = now

    savepoint = session.begin_nested()
    # Sorts and hashes over a million rows, and the index build, stay in memory.
    session.execute(text("SET LOCAL work_mem = '256MB'"))
    session.execute(text("SET LOCAL maintenance_work_mem = '512MB'"))
    report.features = copy_to_staging(session, path, srid, progress)
    session.execute(text("ANALYZE import_staging"))
    lap("copy")
    report.refused_count, report.refused = refusals(session, with_validity=False)
    lap("check")
    if report.refused_count == 0:
        parse_missing_boundaries(session)
        lap("parse_boundaries")
        inner = session.begin_nested()
        try:
            rebuild = defer_index_maintenance(session, report.features)
            created, updated = session.execute(
                text(UPSERT_SQL), {"actor": actor, "reason": f"{reason} ({path.name}, bulk)"}
            ).one()
            for statement in rebuild:
                session.execute(text(statement))
            report.rebuilt_indexes = bool(rebuild)
            inner.commit()
        except DBAPIError as exc:  # the table refused a row: most likely an invalid shape
            inner.rollback()
            report.refused_count, report.refused = refusals(session, with_validity=True)
            if not report.refused_count:  # something else (a too long id, a huge area): say it
                report.refused = [{"reason": f"the database refused the data: {first_line(exc)}"}]
                report.refused_count = 1
        else:
            report.created_count, report.updated_count = created, updated
            report.unchanged_count = report.features - created - updated
        lap("write")
    if report.refused_count or dry_run:
        savepoint.rollback()
        if report.refused_count and not dry_run:
            raise ImportRefused(report)
        return report
    savepoint.commit()
    report.applied = True
    return report
