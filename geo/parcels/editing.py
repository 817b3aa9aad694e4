"""Editing parcels: create, update and retire, each one transaction with a history row.

Optimistic concurrency: every parcel has a version; a write names the version it read, and a
stale version is refused with the current one (``preconditions``), so two planners never
overwrite each other silently. Geometry is refused with reasons a planner understands, and
nothing is written then.
"""

from typing import Any

from shapely import MultiPolygon
from sqlalchemy import select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from geo.errors import (
    InvalidGeometry,
    InvalidInput,
    ParcelNotFound,
    ParcelRetired,
)
from geo.messages import message
from geo.models import Parcel, ParcelHistory, Plan
from geo.parcels.history import record_change, snapshots
from geo.parcels.preconditions import ExpectedVersions, check_version
from geo.parcels.record import (
    NO_SHAPE,
    Kind,
    ParcelField,
    Use,
    fields_with,
    json_decimal,
    multipolygon,
    parse_feature,
)
from geo.parcels.writes import parcel_row, parsed_boundaries, stored_geometry, upsert_parcel
from geo.stages.rules import checked_stage_change, iso_date

MAX_TEXT_CHARS = 2_000
DRAWN = "drawn"
"""The geometry_source of a shape a planner drew or corrected on the map page."""
EDITABLE = {field.name: field for field in fields_with(Use.EDIT)}
JSON_TYPES = {
    Kind.TEXT: (str,),
    Kind.CHOICE: (str,),
    Kind.NUMBER: (int, float),
    Kind.WHOLE: (int,),
    Kind.DATE: (str,),
}
"""The JSON values an edit may give a field of each kind (an optional field also takes null)."""
WGS84_CRS_NAMES = (
    "urn:ogc:def:crs:OGC:1.3:CRS84",
    "urn:ogc:def:crs:EPSG::4326",
    "EPSG:4326",
    "http://www.opengis.net/def/crs/OGC/1.3/CRS84",
)


def check_crs(feature: dict[str, Any]) -> None:
    """Refuse a GeoJSON 'crs' member that is not WGS84 lon/lat (RFC 7946 has none)."""
    for holder in (feature, feature.get("geometry") or {}):
        crs = holder.get("crs") if isinstance(holder, dict) else None
        if crs is None:
            continue
        name = (crs.get("properties") or {}).get("name") if isinstance(crs, dict) else None
        if name not in WGS84_CRS_NAMES:
            raise InvalidGeometry(message("parcels.crs_not_accepted", crs=name or crs))


def edit_geometry(raw: Any) -> MultiPolygon:
    """A valid MultiPolygon from a request, or InvalidGeometry with the reason."""
    return multipolygon(raw, "geometry", InvalidGeometry)


def _reason(reason: Any) -> str:
    if not isinstance(reason, str) or not reason.strip():
        raise InvalidInput(message("parcels.reason_needed"))
    if len(reason) > MAX_TEXT_CHARS:
        raise InvalidInput(message("parcels.reason_too_long", limit=MAX_TEXT_CHARS))
    return reason.strip()


def _accepts(field: ParcelField, value: Any) -> bool:
    types = JSON_TYPES[field.kind] + ((type(None),) if field.optional or field.unstated else ())
    return not isinstance(value, bool) and isinstance(value, types)


def _changes(properties: Any) -> dict[str, Any]:
    if not isinstance(properties, dict):
        raise InvalidInput(message("parcels.properties_not_object"))
    changes: dict[str, Any] = {}
    for key, value in properties.items():
        field = EDITABLE.get(key)
        if field is None:
            raise InvalidInput(
                message("parcels.not_editable", editable=", ".join(EDITABLE), key=key)
            )
        if not _accepts(field, value):
            raise InvalidInput(message("parcels.wrong_type", kind=type(value).__name__, key=key))
        if isinstance(value, str) and (not value.strip() and not field.optional):
            raise InvalidInput(message("parcels.empty_property", key=key))
        if isinstance(value, str) and len(value) > MAX_TEXT_CHARS:
            raise InvalidInput(message("parcels.property_too_long", limit=MAX_TEXT_CHARS, key=key))
        changes[key] = value
    for field in EDITABLE.values():
        if field.name not in changes:
            continue
        value = changes[field.name]
        if value is None:  # cleared: allowed only where _accepts let it through
            continue
        if field.kind is Kind.NUMBER:
            if value <= 0:
                raise InvalidInput(message("parcels.must_be_positive", name=field.name))
            changes[field.name] = json_decimal(value)
        elif field.kind is Kind.CHOICE and value not in field.choices:
            raise InvalidInput(
                message("parcels.must_be_one_of", name=field.name, choices=", ".join(field.choices))
            )
        elif field.kind is Kind.WHOLE and value < 0:
            raise InvalidInput(message("parcels.must_be_zero_or_more", name=field.name))
        elif field.kind is Kind.DATE:
            changes[field.name] = iso_date(value, field.name)
    if "boundary_text" in changes:
        changes["boundaries"] = parsed_boundaries(changes["boundary_text"])
    return changes


def _locked_version(session: Session, parcel_id: str) -> int:
    """The parcel's version, with its row locked until the transaction ends."""
    version = session.execute(
        select(Parcel.version).where(Parcel.id == parcel_id).with_for_update()
    ).scalar_one_or_none()
    if version is not None:
        return version
    retired = session.execute(
        select(ParcelHistory.id).where(
            ParcelHistory.parcel_id == parcel_id, ParcelHistory.action == "retire"
        )
    ).first()
    if retired:
        raise ParcelRetired(message("parcels.retired", parcel_id=parcel_id))
    raise ParcelNotFound(message("parcels.not_found", parcel_id=parcel_id))


def create_parcel(session: Session, body: Any, actor: str) -> dict[str, Any]:
    """Create a parcel from a full GeoJSON Feature (as in data/parcels.geojson) plus a reason."""
    if not isinstance(body, dict):
        raise InvalidInput(message("parcels.body_feature_with_reason"))
    reason = _reason(body.get("reason"))
    check_crs(body)
    # A null geometry is a parcel not yet located: parse_feature checks that it says so.
    if body.get("geometry") is not None:
        edit_geometry(body["geometry"])
    record, plan_title, plan_year = parse_feature(body, "feature")
    plan_id = session.execute(
        select(Plan.id).where(Plan.title == plan_title, Plan.year == plan_year)
    ).scalar_one_or_none()
    if plan_id is None:
        raise InvalidInput(
            message("parcels.plan_missing", plan_title=plan_title, plan_year=plan_year)
        )
    try:
        with session.begin_nested():  # a refused row rolls back this insert alone
            fresh = upsert_parcel(session, parcel_row(record, plan_id), update_existing=False)
    except IntegrityError:
        fresh = None
    if not fresh:  # its id or its seq in this plan is taken
        raise InvalidInput(message("parcels.already_exists", id=record.id, seq=record.seq))
    created = snapshots(session, [record.id])[record.id]
    record_change(session, record.id, "create", actor, reason, None, created)
    return created


def update_parcel(
    session: Session,
    parcel_id: str,
    body: Any,
    expected_version: ExpectedVersions | int | None,
    actor: str,
    action: str = "update",
    *,
    undated_stage: bool = False,
) -> dict[str, Any]:
    """Apply a partial Feature ``{"properties", "geometry", "reason"}`` to a parcel.

    ``undated_stage`` lets a move to another stage go without its date: only for a notice that
    proves the stage but states no date (``geo.stages.notices``); a person always gives one.
    """
    if not isinstance(body, dict):
        raise InvalidInput(message("parcels.body_shape"))
    reason = _reason(body.get("reason"))
    changes = _changes(body.get("properties", {}))
    if body.get("geometry") is not None:
        check_crs(body)
        changes["geom"] = stored_geometry(edit_geometry(body["geometry"]))
    elif "geometry" in body:  # "geometry": null takes the shape away
        changes["geom"] = None
    if not changes:
        raise InvalidInput(message("parcels.nothing_to_change"))
    check_version(_locked_version(session, parcel_id), expected_version, parcel_id)
    old = snapshots(session, [parcel_id])[parcel_id]
    _check_shape_and_source(old, changes)
    changes = checked_stage_change(old["properties"], changes, dated=not undated_stage)
    session.execute(
        update(Parcel).where(Parcel.id == parcel_id).values(**changes, version=Parcel.version + 1)
    )
    new = snapshots(session, [parcel_id])[parcel_id]
    record_change(session, parcel_id, action, actor, reason, old, new)
    return new


def _check_shape_and_source(old: dict[str, Any], changes: dict[str, Any]) -> None:
    """Refuse an edit after which the shape and geometry_source would disagree.

    Adding a shape to a parcel not yet located names where it came from (digitized, surveyed,
    schematic, drawn); a shape drawn on the map says in its note by whom and on what; taking a
    shape away needs geometry_source 'none' and a note saying why.
    """
    has_shape = changes["geom"] is not None if "geom" in changes else old["geometry"] is not None
    source = changes.get("geometry_source", old["properties"]["geometry_source"])
    if has_shape and source == NO_SHAPE:
        raise InvalidInput(message("parcels.source_none_with_shape", no_shape=NO_SHAPE))
    if not has_shape and source != NO_SHAPE:
        raise InvalidInput(message("parcels.shape_removal_form", no_shape=NO_SHAPE))
    if has_shape and "geom" in changes and source == DRAWN and "geometry_note" not in changes:
        raise InvalidInput(message("parcels.drawn_needs_note", drawn=DRAWN))
    if "geom" in changes and changes["geom"] is None and "geometry_note" not in changes:
        raise InvalidInput(message("parcels.removal_needs_note"))


def retire_parcel(
    session: Session,
    parcel_id: str,
    reason: Any,
    expected_version: ExpectedVersions | int | None,
    actor: str,
) -> None:
    """Retire (soft-delete) a parcel: it leaves the live tables and stays in its history."""
    reason = _reason(reason)
    check_version(_locked_version(session, parcel_id), expected_version, parcel_id)
    old = snapshots(session, [parcel_id])[parcel_id]
    session.execute(text("DELETE FROM parcels WHERE id = :id"), {"id": parcel_id})
    record_change(session, parcel_id, "retire", actor, reason, old, None)


def parcel_version(session: Session, parcel_id: str) -> int:
    """The current version, for the ETag of a read."""
    version = session.execute(
        select(Parcel.version).where(Parcel.id == parcel_id)
    ).scalar_one_or_none()
    if version is None:
        raise ParcelNotFound(message("parcels.not_found", parcel_id=parcel_id))
    return version
