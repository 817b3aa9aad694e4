"""Point look-up: which parcels contain a point, or which is nearest and how far."""

import json
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from geo.coords import InputCrs, to_wgs84
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
    # Ordered by true distance on the spheroid rather than the index's planar degrees, which
    # stretch east-west distances by 1/cos(latitude); a scan is fine at a city's parcel count.
    statement = text(f"""
        SELECT {FEATURE_SQL}::text AS feature,
               ST_Distance(p.geom::geography, {POINT_SQL}::geography) AS distance_m
        {FROM_SQL}
        ORDER BY distance_m, p.id
        LIMIT 1""")
    row = session.execute(statement, {"lon": lon, "lat": lat}).one_or_none()
    if row is None:
        return None
    return {"parcel": json.loads(row.feature), "distance_m": round(row.distance_m, 1)}


def lookup_point(session: Session, lon: float, lat: float, crs: InputCrs) -> dict[str, Any]:
    """Answer "does this point fall in a parcel?" for a point given in WGS84, GCJ-02 or BD-09."""
    location = to_wgs84(lon, lat, crs)
    containing = parcels_containing(session, location.lon, location.lat)
    return {
        "input": {"lon": lon, "lat": lat, "crs": crs.value},
        "location": {"lon": round(location.lon, 7), "lat": round(location.lat, 7), "crs": "wgs84"},
        "inside": bool(containing),
        "parcels": containing,
        "nearest": None if containing else nearest_parcel(session, location.lon, location.lat),
        "geometry_notice": GEOMETRY_NOTICE,
    }
