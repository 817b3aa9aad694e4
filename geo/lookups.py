"""Point look-up: which parcels contain a point, or which is nearest and how far."""

import json
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from geo.coords import InputCrs, LonLat, to_wgs84
from geo.parcels import FEATURE_SQL, FROM_SQL, GEOMETRY_NOTICE, ORDER_SQL

POINT_SQL = "ST_SetSRID(ST_MakePoint(:lon, :lat), 4326)"


def parcels_containing(session: Session, lon: float, lat: float) -> list[dict[str, Any]]:
    """Parcels whose area (boundary included) holds the WGS84 point, as GeoJSON Features."""
    statement = text(
        f"SELECT {FEATURE_SQL}::text {FROM_SQL} "
        f"WHERE ST_Intersects(p.geom, {POINT_SQL}) {ORDER_SQL}"
    )
    return [
        json.loads(row) for row in session.execute(statement, {"lon": lon, "lat": lat}).scalars()
    ]


def nearest_parcel(session: Session, lon: float, lat: float) -> dict[str, Any] | None:
    """The parcel nearest to the point with its geodesic distance in metres, or None if none."""
    # The GiST index orders by planar degrees, which stretch east-west distances by up to
    # 1/cos(latitude) against true distances. So: the index finds the nearest in degrees (d);
    # the true nearest then lies within d / cos(latitude) degrees, and only those few
    # candidates are ranked on the spheroid. Exact, and an index search instead of a scan.
    # Both searches take the point as a literal expression and the reach as an InitPlan
    # value, so that PostgreSQL can use the index for each (a joined CTE column defeats it).
    statement = text(f"""
        SELECT {FEATURE_SQL}::text AS feature,
               ST_Distance(p.geom::geography, {POINT_SQL}::geography) AS distance_m
        {FROM_SQL}
        WHERE ST_DWithin(p.geom, {POINT_SQL}, (
            SELECT ST_Distance(n.geom, {POINT_SQL}) / cos(radians(:lat)) * 1.000001
            FROM parcels n ORDER BY n.geom <-> {POINT_SQL} LIMIT 1
        ))
        ORDER BY distance_m, p.id
        LIMIT 1""")
    row = session.execute(statement, {"lon": lon, "lat": lat}).one_or_none()
    if row is None:
        return None
    return {"parcel": json.loads(row.feature), "distance_m": round(row.distance_m, 1)}


def point_answer(session: Session, location: LonLat) -> dict[str, Any]:
    """Inside which parcels a WGS84 point lies, or the nearest parcel and its distance."""
    containing = parcels_containing(session, location.lon, location.lat)
    return {
        "location": {"lon": round(location.lon, 7), "lat": round(location.lat, 7), "crs": "wgs84"},
        "inside": bool(containing),
        "parcels": containing,
        "nearest": None if containing else nearest_parcel(session, location.lon, location.lat),
    }


def lookup_point(session: Session, lon: float, lat: float, crs: InputCrs) -> dict[str, Any]:
    """Answer "does this point fall in a parcel?" for a point given in WGS84, GCJ-02 or BD-09."""
    return {
        "input": {"lon": lon, "lat": lat, "crs": crs.value},
        **point_answer(session, to_wgs84(lon, lat, crs)),
        "geometry_notice": GEOMETRY_NOTICE,
    }


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
