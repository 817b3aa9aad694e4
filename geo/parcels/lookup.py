"""Point look-up: which parcels contain a point, or which is nearest and how far."""

import json
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from geo.coords import InputCrs, LonLat, to_wgs84
from geo.parcels.reads import FEATURE_SQL, FROM_SQL, GEOMETRY_NOTICE, ORDER_SQL
from geo.query import Query, fetch_value

POINT_SQL = "ST_SetSRID(ST_MakePoint(:lon, :lat), 4326)"


# The whole point answer in one statement: the parcels holding the point or, when there are
# none, the nearest one. The nearest search sits in a CASE, so PostgreSQL runs it only on a miss.
#
# The GiST index orders by planar degrees, which stretch east-west distances by up to
# 1/cos(latitude) against true distances. So: the index finds the nearest in degrees (d); the
# true nearest then lies within d / cos(latitude) degrees, and only those few candidates are
# ranked on the spheroid. Exact, and an index search instead of a scan. Both searches take the
# point as a literal expression and the reach as an InitPlan value, so that PostgreSQL can use
# the index for each (a joined CTE column defeats it).
POINT_ANSWER_FIELDS_SQL = f"""
    'location', CAST(:location AS json),
    'inside', inside.features IS NOT NULL,
    'parcels', coalesce(inside.features, '[]'::json),
    'nearest', CASE WHEN inside.features IS NULL THEN (
        SELECT json_build_object(
            'parcel', {FEATURE_SQL},
            'distance_m', round(ST_Distance(p.geom::geography, {POINT_SQL}::geography)::numeric, 1)
        )
        {FROM_SQL}
        WHERE ST_DWithin(p.geom, {POINT_SQL}, (
            SELECT ST_Distance(n.geom, {POINT_SQL}) / cos(radians(:lat)) * 1.000001
            FROM parcels n WHERE n.geom IS NOT NULL ORDER BY n.geom <-> {POINT_SQL} LIMIT 1
        ))
        ORDER BY ST_Distance(p.geom::geography, {POINT_SQL}::geography), p.id
        LIMIT 1
    ) END"""
INSIDE_SQL = f"""
    FROM (
        SELECT json_agg(feature ORDER BY year, plan_id, seq) AS features
        FROM (
            SELECT {FEATURE_SQL} AS feature, pl.year, pl.id AS plan_id, p.seq
            {FROM_SQL} WHERE ST_Intersects(p.geom, {POINT_SQL})
        ) AS hits
    ) AS inside,
    (SELECT count(*) AS n FROM parcels WHERE geom IS NULL) AS unlocated"""


def _answer_sql(fields_sql: str) -> str:
    """The answer object; with ``not_located`` last only when some parcel has no shape.

    A parcel not yet located can be neither inside nor nearest, so the answer says how many were
    not searched. With every parcel located (the usual case) the answer is as it always was. The
    count reads the partial index ix_parcels_shapeless, which holds only the shapeless rows.
    """
    return f"""CASE WHEN unlocated.n = 0 THEN json_build_object({fields_sql})
        ELSE json_build_object({fields_sql},
            'not_located', unlocated.n) END"""


POINT_ANSWER_SQL = text(f"SELECT ({_answer_sql(POINT_ANSWER_FIELDS_SQL)})::text {INSIDE_SQL}")
LOOKUP_FIELDS_SQL = f"""
        'input', CAST(:input AS json),
        {POINT_ANSWER_FIELDS_SQL},
        'geometry_notice', CAST(:notice AS text)"""
LOOKUP_POINT_SQL = text(f"SELECT ({_answer_sql(LOOKUP_FIELDS_SQL)})::text {INSIDE_SQL}")


def _point_params(location: LonLat) -> dict[str, Any]:
    rounded = {"lon": round(location.lon, 7), "lat": round(location.lat, 7), "crs": "wgs84"}
    return {"lon": location.lon, "lat": location.lat, "location": json.dumps(rounded)}


def point_answer(session: Session, location: LonLat) -> dict[str, Any]:
    """Inside which parcels a WGS84 point lies, or the nearest parcel and its distance."""
    return json.loads(fetch_value(session, Query(POINT_ANSWER_SQL, _point_params(location))))


def lookup_point_query(lon: float, lat: float, crs: InputCrs) -> Query:
    """The statement answering whether a point (WGS84, GCJ-02 or BD-09) falls in a parcel.

    Its value is the whole answer as JSON text, built by PostGIS.
    """
    given = json.dumps({"lon": lon, "lat": lat, "crs": crs.value})
    params = _point_params(to_wgs84(lon, lat, crs)) | {"input": given, "notice": GEOMETRY_NOTICE}
    # A point is a point: the same plan serves every one (the GiST index, then the nearest).
    return Query(LOOKUP_POINT_SQL, params, generic_plan=True)


def lookup_point(session: Session, lon: float, lat: float, crs: InputCrs) -> dict[str, Any]:
    """Answer "does this point fall in a parcel?" for a point given in WGS84, GCJ-02 or BD-09."""
    return json.loads(fetch_value(session, lookup_point_query(lon, lat, crs)))


def parcels_near_road(session: Session, road: str, within_m: float) -> list[dict[str, Any]]:
    """Parcels within ``within_m`` metres of the gazetteer road of that name."""
    statement = text(
        f"SELECT {FEATURE_SQL}::text {FROM_SQL} WHERE EXISTS ("
        "SELECT 1 FROM gazetteer_entries g WHERE g.kind = 'road' AND g.name = :road "
        "AND ST_DWithin(g.geom::geography, p.geom::geography, :within_m)) "
        f"{ORDER_SQL}"
    )
    rows = session.execute(statement, {"road": road, "within_m": within_m}).scalars()
    return [json.loads(row) for row in rows]


def parcels_within(session: Session, location: LonLat, radius_m: float) -> list[dict[str, Any]]:
    """Parcels within ``radius_m`` metres of a point."""
    statement = text(
        f"SELECT {FEATURE_SQL}::text {FROM_SQL} "
        f"WHERE ST_DWithin(p.geom::geography, {POINT_SQL}::geography, :radius_m) {ORDER_SQL}"
    )
    params = {"lon": location.lon, "lat": location.lat, "radius_m": radius_m}
    return [json.loads(row) for row in session.execute(statement, params).scalars()]
