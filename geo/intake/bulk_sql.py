"""The bulk import's set-based SQL over the staged rows: checks, the upsert, deferred indexes.

Everything here runs on ``import_staging`` (``geo.intake.bulk_copy`` fills it) in the database,
with no work per row in Python except parsing the 四至 of a file that did not bring them.
"""

import json
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from geo.geometry_input import MAX_VERTICES, PLAUSIBLE_LAT, PLAUSIBLE_LON
from geo.models import SHAPE_SOURCES
from geo.parcels.reads import FEATURE_SQL
from geo.parcels.record import FIELD_BY_NAME, RECORD_NAMES, TEXT_PROPERTIES, Kind
from geo.parcels.writes import CHANGED_SQL, DERIVED_COLUMNS, UPDATED_COLUMNS, parsed_boundaries

MAX_REPORTED = 100
NUMBER = r"^\s*[0-9]*\.?[0-9]+([eE][-+]?[0-9]+)?\s*$"
WHOLE = r"^\s*[0-9]+\s*$"
# The bulk import stores shapes only: a parcel not yet located ('none') comes in a parcels file.
SOURCES = SHAPE_SOURCES


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
            f"({', '.join(repr(v) for v in SOURCES)})",
            f"geometry_source must be one of {', '.join(SOURCES)}",
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


# A staged text as its column's type.
SQL_TYPES = {Kind.WHOLE: "int", Kind.NUMBER: "numeric"}
# The derived columns (geo.parcels.writes) out of a staged row: its shape in WGS84 as the
# column's MultiPolygon, and its parsed 四至 (from the file, or from parse_missing_boundaries).
STAGED_DERIVED = {
    "geom": "ST_Multi(ST_Transform(s.geom, 4326))",
    "boundaries": "s.boundaries::jsonb",
}


def _staged_column(name: str) -> str:
    kind = FIELD_BY_NAME[name].kind
    return f"s.{name}::{SQL_TYPES[kind]} AS {name}" if kind in SQL_TYPES else f"s.{name}"


STAGED_COLUMNS = ",\n           ".join(
    [
        "s.plan_id",
        *(_staged_column(name) for name in RECORD_NAMES),
        *(f"{STAGED_DERIVED[column]} AS {column}" for column in DERIVED_COLUMNS),
    ]
)
# The staged rows as parcels rows (all checked by now); a subquery, not a CTE, so that
# PostgreSQL computes each row's values only where it uses them.
STAGED_SQL = f"""(
    SELECT {STAGED_COLUMNS}
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
        (SELECT {", ".join(f"excluded.{column}" for column in UPDATED_COLUMNS)},
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


# The history of the parcels the fast path (geo.intake.bulk_direct) created: their ids are in
# import_new_ids. A created parcel is at version 1, the column's default, which the COPY kept.
NEW_HISTORY_SQL = """
INSERT INTO parcel_history (parcel_id, version, action, actor, reason, old, new, at)
SELECT id, 1, 'import', :actor, :reason, NULL, NULL, clock_timestamp() FROM import_new_ids
"""


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
            parsed = parsed_boundaries(boundary_text or "")
            copy.write_row((n, json.dumps(parsed, ensure_ascii=False)))
    session.execute(
        text(
            "UPDATE import_staging s SET boundaries = b.boundaries FROM parsed_boundaries b "
            "WHERE b.n = s.n"
        )
    )
