"""Reading parcels out of PostGIS as GeoJSON, written by PostGIS itself."""

import math
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from geo.errors import InvalidInput, ParcelNotFound
from geo.messages import message
from geo.parcels.record import FIELDS
from geo.parcels.styles import GEOMETRY_NOTICE_ZH
from geo.query import Query, fetch_value

GEOMETRY_NOTICE = (
    "No parcel shape here is a survey result (非测绘成果). 'schematic' shapes are rectangles of the "
    "declared area placed at estimated locations (示意范围); 'digitized' shapes are drawn from the "
    "four-boundary text on an approximate reference layer (数字化范围); 'drawn' shapes were traced "
    "by a planner on a basemap (手绘范围). Each feature's "
    "geometry_source and geometry_note say which applies."
)

# A parcel's properties as SQL over parcels p joined with plans pl, in the record's order.
PARCEL_PROPERTIES = {field.name: field.served_sql for field in FIELDS}


def feature_sql(
    id_sql: str, geometry_sql: str, properties: dict[str, str], decimals: int = 7
) -> str:
    """SQL for one GeoJSON Feature per row, built by PostGIS; the inputs are trusted SQL."""
    pairs = ",\n        ".join(f"'{name}', {expression}" for name, expression in properties.items())
    return f"""
json_build_object(
    'type', 'Feature',
    'id', {id_sql},
    'geometry', ST_AsGeoJSON({geometry_sql}, {decimals})::json,
    'properties', json_build_object(
        {pairs}
    )
)"""


FEATURE_SQL = feature_sql("p.id", "p.geom", PARCEL_PROPERTIES)
FROM_SQL = "FROM parcels p JOIN plans pl ON pl.id = p.plan_id"
ORDER_SQL = "ORDER BY pl.year, pl.id, p.seq"


@dataclass(frozen=True)
class BBox:
    """A WGS84 bounding box."""

    min_lon: float
    min_lat: float
    max_lon: float
    max_lat: float


@dataclass(frozen=True)
class ParcelFilter:
    """Filters shared by the parcel list, the export and the CLI."""

    block: str | None = None
    bbox: BBox | None = None
    q: str | None = None
    plan: str | None = None
    """A plan's code (JX2022); callers check that it names a plan (geo.plans.reads.require_plan),
    since a filter on an unknown code would silently match nothing."""
    located: bool | None = None
    """True: only parcels with a shape; False: only those not located yet (待落图)."""
    stages: tuple[str, ...] = ()
    """Only parcels at one of these stages (geo.stages; checked by geo.stages.parse_stages)."""


def parse_bbox(value: str) -> BBox:
    """Parse ``minLon,minLat,maxLon,maxLat`` in WGS84 degrees.

    >>> parse_bbox("120.7,30.7,120.8,30.8")
    BBox(min_lon=120.7, min_lat=30.7, max_lon=120.8, max_lat=30.8)
    """
    parts = value.split(",")
    if len(parts) != 4:
        raise InvalidInput(message("parcels.bbox_parts", parts=len(parts)))
    try:
        min_lon, min_lat, max_lon, max_lat = (float(part) for part in parts)
    except ValueError:
        raise InvalidInput(message("parcels.bbox_not_numbers", value=value)) from None
    if not all(math.isfinite(v) for v in (min_lon, min_lat, max_lon, max_lat)):
        raise InvalidInput(message("parcels.bbox_not_finite"))
    if not (-180 <= min_lon <= 180 and -180 <= max_lon <= 180):
        raise InvalidInput(message("parcels.bbox_longitudes"))
    if not (-90 <= min_lat <= 90 and -90 <= max_lat <= 90):
        raise InvalidInput(message("parcels.bbox_latitudes"))
    if min_lon > max_lon or min_lat > max_lat:
        raise InvalidInput(message("parcels.bbox_order"))
    return BBox(min_lon, min_lat, max_lon, max_lat)


def _escape_like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def where_clause(parcel_filter: ParcelFilter) -> tuple[str, dict[str, Any]]:
    """SQL conditions with bound parameters for a filter; user text never enters the SQL."""
    conditions = ["TRUE"]
    params: dict[str, Any] = {}
    if parcel_filter.plan:
        conditions.append("pl.code = :plan")
        params["plan"] = parcel_filter.plan
    if parcel_filter.located is not None:
        conditions.append(f"p.geom IS {'NOT ' if parcel_filter.located else ''}NULL")
    if parcel_filter.stages:
        conditions.append("p.stage = ANY(:stages)")
        params["stages"] = list(parcel_filter.stages)
    if parcel_filter.block:
        conditions.append("p.block = :block")
        params["block"] = parcel_filter.block
    if parcel_filter.bbox:
        conditions.append(
            "ST_Intersects(p.geom, ST_MakeEnvelope(:min_lon, :min_lat, :max_lon, :max_lat, 4326))"
        )
        box = parcel_filter.bbox
        params |= {
            "min_lon": box.min_lon,
            "min_lat": box.min_lat,
            "max_lon": box.max_lon,
            "max_lat": box.max_lat,
        }
    if parcel_filter.q and parcel_filter.q.strip():
        # Approval references and attached documents' titles are searchable too.
        conditions.append(
            "(concat_ws(' ', p.id, p.name, p.block, p.boundary_text, p.interest_type, "
            "p.implementing_unit, p.approval_reference) ILIKE :q OR EXISTS (SELECT 1 FROM "
            "parcel_documents d WHERE d.parcel_id = p.id AND d.title ILIKE :q))"
        )
        params["q"] = f"%{_escape_like(parcel_filter.q.strip())}%"
    return " AND ".join(conditions), params


# A FeatureCollection's members before its features, as json_build_object arguments over a CTE
# `selected` with each matching parcel's geometry_source; with NOTICES bound. The list and the
# GeoJSON export share them.
COLLECTION_MEMBERS_SQL = """
            'type', 'FeatureCollection',
            'numberReturned', (SELECT count(*) FROM selected),
            'geometry_notice', CAST(:notice AS text),
            'geometry_notice_zh', CAST(:notice_zh AS text),
            'geometry_sources', (
                SELECT coalesce(json_object_agg(geometry_source, n), '{}'::json)
                FROM (SELECT geometry_source, count(*) AS n FROM selected GROUP BY 1) AS counts
            )"""
NOTICES = {"notice": GEOMETRY_NOTICE, "notice_zh": GEOMETRY_NOTICE_ZH}


def feature_collection_query(parcel_filter: ParcelFilter) -> Query:
    """The statement whose value is the matching parcels as a GeoJSON FeatureCollection (text)."""
    where, params = where_clause(parcel_filter)
    statement = text(f"""
        WITH selected AS (
            SELECT {FEATURE_SQL} AS feature, p.geometry_source, pl.year, pl.id AS plan_id, p.seq
            {FROM_SQL} WHERE {where}
        )
        SELECT json_build_object({COLLECTION_MEMBERS_SQL},
            'features', coalesce(
                (SELECT json_agg(feature ORDER BY year, plan_id, seq) FROM selected), '[]'::json
            )
        )::text""")
    return Query(statement, params | NOTICES)


def feature_collection_json(session: Session, parcel_filter: ParcelFilter) -> str:
    """All parcels matching the filter as a GeoJSON FeatureCollection (text, built by PostGIS)."""
    return fetch_value(session, feature_collection_query(parcel_filter))


def feature_json(session: Session, parcel_id: str) -> str:
    """One parcel as a GeoJSON Feature (text); ParcelNotFound if no parcel has that id."""
    statement = text(f"SELECT {FEATURE_SQL}::text {FROM_SQL} WHERE p.id = :id")
    body = session.execute(statement, {"id": parcel_id}).scalar_one_or_none()
    if body is None:
        raise ParcelNotFound(message("parcels.not_found", parcel_id=parcel_id))
    return body


def parcel_count(session: Session) -> int:
    """How many parcels are stored."""
    return session.execute(text("SELECT count(*) FROM parcels")).scalar_one()
