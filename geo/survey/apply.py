"""Applying a survey (勘测定界) to a parcel, and writing a parcel's boundary points back out.

A survey upload is first reported (areas against the declared and the stated ones); only a
confirmed upload, with the version the planner read, replaces the shape, as geometry_source
"surveyed", with a history row of its own.
"""

from typing import Any

from shapely import MultiPolygon, Polygon
from shapely.geometry import mapping, shape
from sqlalchemy import text
from sqlalchemy.orm import Session

from geo.errors import InvalidInput, ParcelNotFound
from geo.messages import message
from geo.parcels.editing import update_parcel
from geo.parcels.history import snapshots
from geo.parcels.preconditions import ExpectedVersions
from geo.survey.polygon import SurveyedParcel, read_survey, write_coordinate_text, write_point_table

MAX_SURVEY_BYTES = 5 * 1024 * 1024


def pick_parcel(surveyed: list[SurveyedParcel], parcel_id: str) -> SurveyedParcel:
    """The one surveyed parcel of a file, or the block whose number is this parcel's id."""
    if len(surveyed) == 1:
        return surveyed[0]
    matching = [s for s in surveyed if s.parcel_number == parcel_id]
    if len(matching) != 1:
        numbers = ", ".join(str(s.parcel_number) for s in surveyed)
        raise InvalidInput(
            message(
                "survey.parcel_not_in_file",
                count=len(surveyed),
                numbers=numbers,
                parcel_id=parcel_id,
            )
        )
    return matching[0]


def plan_zone(session: Session, parcel_id: str) -> int | None:
    """The one zone the located parcels of a parcel's plan lie in, if they lie in one.

    A parcel not yet located has no zone of its own; its plan's is the best reading of plain
    eastings. A plan without located parcels, or spread over two zones, gives None, and then
    the survey file must name its zone (the Y prefix or 带号).
    """
    zones = session.execute(
        text("""
            SELECT DISTINCT o.zone_epsg FROM parcels o
            WHERE o.plan_id = (SELECT p.plan_id FROM parcels p WHERE p.id = :id)
              AND o.zone_epsg IS NOT NULL"""),
        {"id": parcel_id},
    ).scalars()
    found = list(zones)
    return found[0] if len(found) == 1 else None


def survey_parcel(
    session: Session,
    parcel_id: str,
    data: bytes,
    filename: str,
    *,
    reason: str,
    confirm: bool,
    expected_version: ExpectedVersions | int | None,
    actor: str,
) -> dict[str, Any]:
    """Report a survey against the parcel; with ``confirm``, store it as the parcel's shape."""
    current = snapshots(session, [parcel_id]).get(parcel_id)
    if current is None:
        raise ParcelNotFound(message("parcels.not_found", parcel_id=parcel_id))
    zone = current["properties"]["zone_epsg"] or plan_zone(session, parcel_id)
    surveyed = pick_parcel(read_survey(data, filename, zone), parcel_id)
    stated = current["properties"]["declared_area_mu"]
    declared = None if stated is None else float(stated)
    report = surveyed.to_dict() | {
        "declared_area_mu": declared,
        "difference_to_declared_mu": None
        if declared is None
        else round(surveyed.area_mu - declared, 2),
        "difference_to_declared_pct": None
        if declared is None
        else round((surveyed.area_mu - declared) / declared * 100, 2),
    }
    if not confirm:
        return {"confirmed": False, "survey": report}
    note = (
        f"Surveyed: boundary points from {filename} ({surveyed.source_crs}, "
        f"{surveyed.point_count} points), {surveyed.area_m2:.2f} m² = {surveyed.area_mu:.2f} 亩."
    )
    body = {
        "properties": {"geometry_source": "surveyed", "geometry_note": note},
        "geometry": mapping(MultiPolygon([surveyed.polygon_wgs84])),
        "reason": reason,
    }
    feature = update_parcel(session, parcel_id, body, expected_version, actor, action="survey")
    return {"confirmed": True, "survey": report, "parcel": feature}


def boundary_polygon(session: Session, parcel_id: str) -> Polygon:
    """A parcel's single polygon, as boundary-point files can hold only one."""
    current = snapshots(session, [parcel_id]).get(parcel_id)
    if current is None:
        raise ParcelNotFound(message("parcels.not_found", parcel_id=parcel_id))
    if current["geometry"] is None:
        raise InvalidInput(message("survey.no_shape_yet", parcel_id=parcel_id))
    geometry = shape(current["geometry"])
    parts = list(geometry.geoms) if isinstance(geometry, MultiPolygon) else [geometry]
    if len(parts) != 1:
        raise InvalidInput(message("survey.several_parts", parts=len(parts), parcel_id=parcel_id))
    return parts[0]


def boundary_file(session: Session, parcel_id: str, fmt: str, zone_prefix: bool) -> bytes:
    """The parcel's boundary points as a 界址点 CSV table or a 坐标 text file."""
    polygon = boundary_polygon(session, parcel_id)
    current = snapshots(session, [parcel_id])[parcel_id]["properties"]
    zone = current["zone_epsg"]
    if fmt == "csv":
        return write_point_table(polygon, with_zone_prefix=zone_prefix, zone=zone)
    return write_coordinate_text(polygon, parcel_id, current["name"], zone=zone)
