"""What a printed map shows, read from PostGIS with the shapes already on the zone plane.

PostGIS projects every shape onto the sheet's CGCS2000 3-degree zone (``ST_Transform``) and
clips the surroundings to the map frame (``ST_Intersection``), so Python only draws.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import shapely
from shapely import Geometry
from sqlalchemy import text
from sqlalchemy.orm import Session

from geo.area import MU_M2
from geo.errors import ParcelNotFound
from geo.messages import message
from geo.plans.reads import no_such_plan


@dataclass(frozen=True)
class PlanFacts:
    """The plan a sheet belongs to, as its notice gives it."""

    id: int
    code: str
    title: str
    published_on: date | None
    source_document: str | None
    published_total_mu: Decimal | None


@dataclass(frozen=True)
class ParcelFacts:
    """One parcel's fields for the tables, and its shape on the plane (None: not located)."""

    id: str
    seq: int
    name: str
    block: str | None
    boundary_text: str | None
    boundaries: dict[str, Any] | None
    declared_area_mu: Decimal | None
    measured_area_m2: float | None
    interest_type: str | None
    implementing_unit: str | None
    approval_reference: str | None
    geometry_source: str
    geometry_note: str
    zone_epsg: int | None
    plane: Geometry | None
    """The shape on the sheet's zone plane (easting, northing in metres)."""
    lonlat: Geometry | None
    """The stored WGS84 shape, for the boundary-point table."""

    @property
    def measured_area_mu(self) -> float | None:
        """The area measured on the zone plane, in mu."""
        return None if self.measured_area_m2 is None else self.measured_area_m2 / MU_M2


@dataclass(frozen=True)
class MapFeature:
    """Something drawn around a sheet's parcels, clipped to the frame, on the zone plane."""

    layer: str
    """'parcel' (another parcel of any plan) or 'reference' (a road, river, wall …)."""
    kind: str | None
    name: str
    geometry: Geometry
    seq: int | None = None


def _parcel_sql(where: str, zone_sql: str) -> str:
    return f"""
        SELECT p.id, p.seq, p.name, p.block, p.boundary_text, p.boundaries, p.declared_area_mu,
               p.measured_area_m2, p.interest_type, p.implementing_unit, p.approval_reference,
               p.geometry_source, p.geometry_note, p.zone_epsg,
               ST_AsBinary(ST_Transform(p.geom, {zone_sql})) AS plane,
               ST_AsBinary(p.geom) AS lonlat, p.plan_id
        FROM parcels p WHERE {where} ORDER BY p.seq, p.id"""


PARCEL_SQL = text(_parcel_sql("p.id = :id", "p.zone_epsg"))
PLAN_PARCELS_SQL = text(_parcel_sql("p.plan_id = :plan_id", "CAST(:zone AS integer)"))
PLAN_BY_ID_SQL = text("""
    SELECT id, code, title, published_on, source_document, published_total_mu
    FROM plans WHERE id = :id""")
PLAN_BY_CODE_SQL = text("""
    SELECT id, code, title, published_on, source_document, published_total_mu
    FROM plans WHERE code = :code""")
# The zone most of a plan's located parcels lie in: a plan map is drawn on one plane.
PLAN_ZONE_SQL = text("""
    SELECT mode() WITHIN GROUP (ORDER BY zone_epsg)
    FROM parcels WHERE plan_id = :plan_id AND zone_epsg IS NOT NULL""")
PARCEL_EXISTS_SQL = text("SELECT EXISTS (SELECT 1 FROM parcels WHERE id = :id)")

# Everything whose box meets the frame (the index finds it; the frame widened by a slack in
# lon/lat covers the plane's curvature), then cut to the frame on the plane.
SURROUNDINGS_SQL = text("""
    WITH frame AS (
        SELECT ST_MakeEnvelope(:xmin, :ymin, :xmax, :ymax, CAST(:zone AS integer)) AS plane
    ), search AS (
        SELECT plane, ST_Transform(ST_Expand(plane, :slack), 4326) AS lonlat FROM frame
    ), found AS (
        SELECT 'parcel' AS layer, NULL AS kind, p.name, p.seq,
               ST_Intersection(ST_Transform(p.geom, CAST(:zone AS integer)), s.plane) AS shape
        FROM parcels p, search s
        WHERE p.geom && s.lonlat AND p.id <> ALL(CAST(:exclude AS text[]))
        UNION ALL
        SELECT 'reference', r.kind, r.name, NULL,
               ST_Intersection(ST_Transform(r.geom, CAST(:zone AS integer)), s.plane)
        FROM reference_features r, search s
        WHERE r.geom && s.lonlat
    )
    SELECT layer, kind, name, seq, ST_AsBinary(shape) FROM found
    WHERE NOT ST_IsEmpty(shape)
    ORDER BY layer, kind, name""")


def no_such_parcel(parcel_id: str) -> ParcelNotFound:
    """The error for an id that names no parcel, worded as the other parcel routes word it."""
    return ParcelNotFound(message("parcels.not_found", parcel_id=parcel_id))


def _shape(wkb: bytes | None) -> Geometry | None:
    return None if wkb is None else shapely.from_wkb(bytes(wkb))


def _parcel(row: Any) -> ParcelFacts:
    return ParcelFacts(
        id=row.id,
        seq=row.seq,
        name=row.name,
        block=row.block,
        boundary_text=row.boundary_text,
        boundaries=row.boundaries,
        declared_area_mu=row.declared_area_mu,
        measured_area_m2=row.measured_area_m2,
        interest_type=row.interest_type,
        implementing_unit=row.implementing_unit,
        approval_reference=row.approval_reference,
        geometry_source=row.geometry_source,
        geometry_note=row.geometry_note,
        zone_epsg=row.zone_epsg,
        plane=_shape(row.plane),
        lonlat=_shape(row.lonlat),
    )


def _plan(row: Any) -> PlanFacts:
    return PlanFacts(
        row.id, row.code, row.title, row.published_on, row.source_document, row.published_total_mu
    )


def parcel_exists(session: Session, parcel_id: str) -> bool:
    """Whether a parcel has this id."""
    return bool(session.execute(PARCEL_EXISTS_SQL, {"id": parcel_id}).scalar_one())


def read_parcel(session: Session, parcel_id: str) -> tuple[ParcelFacts, PlanFacts]:
    """One parcel, on its own zone's plane, and its plan."""
    row = session.execute(PARCEL_SQL, {"id": parcel_id}).one_or_none()
    if row is None:
        raise no_such_parcel(parcel_id)
    plan = session.execute(PLAN_BY_ID_SQL, {"id": row.plan_id}).one()
    return _parcel(row), _plan(plan)


def read_plan(session: Session, code: str) -> tuple[PlanFacts, list[ParcelFacts], int | None]:
    """A plan, its parcels in 序号 order on the plan's zone plane, and that zone.

    The zone is None when none of its parcels is located.
    """
    row = session.execute(PLAN_BY_CODE_SQL, {"code": code}).one_or_none()
    if row is None:
        raise no_such_plan(code)
    plan = _plan(row)
    zone = session.execute(PLAN_ZONE_SQL, {"plan_id": plan.id}).scalar_one()
    rows = session.execute(PLAN_PARCELS_SQL, {"plan_id": plan.id, "zone": zone})
    return plan, [_parcel(parcel) for parcel in rows], zone


def read_surroundings(
    session: Session,
    zone: int,
    bounds: tuple[float, float, float, float],
    exclude: list[str],
) -> list[MapFeature]:
    """Parcels (but ``exclude``) and reference features inside a frame on the zone plane."""
    xmin, ymin, xmax, ymax = bounds
    rows = session.execute(
        SURROUNDINGS_SQL,
        {
            "xmin": xmin,
            "ymin": ymin,
            "xmax": xmax,
            "ymax": ymax,
            "zone": zone,
            "slack": max(xmax - xmin, ymax - ymin) * 0.05 + 20,
            "exclude": exclude,
        },
    )
    return [
        MapFeature(layer, kind, name, shapely.from_wkb(bytes(wkb)), seq)
        for layer, kind, name, seq, wkb in rows
    ]
