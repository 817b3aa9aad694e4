"""Read and validate a parcels GeoJSON file before anything reaches the database.

Every problem is reported with the feature it belongs to (position and id) in plain words, so a
planner can fix the file; nothing is loaded from a file that has any problem.
"""

import math
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from shapely import MultiPolygon, Polygon

from geo.errors import InvalidParcelData
from geo.geometry_input import collection_features, parse_input_geometry, read_json_file
from geo.models import GEOMETRY_SOURCES

PROPERTY_NAMES = (
    "id",
    "plan",
    "plan_year",
    "seq",
    "block",
    "name",
    "boundary_text",
    "declared_area_mu",
    "interest_type",
    "implementing_unit",
    "geometry_source",
    "geometry_note",
)
TEXT_PROPERTIES = (
    "id",
    "plan",
    "block",
    "name",
    "boundary_text",
    "interest_type",
    "implementing_unit",
    "geometry_note",
)


@dataclass(frozen=True)
class PlanInfo:
    """The plan a parcels file belongs to."""

    code: str
    title: str
    year: int
    issuer: str | None = None
    published_on: date | None = None
    source_document: str | None = None
    published_total_mu: Decimal | None = None


@dataclass(frozen=True)
class ParcelRecord:
    """One validated parcel, ready to be written."""

    id: str
    seq: int
    block: str
    name: str
    boundary_text: str
    declared_area_mu: Decimal
    interest_type: str
    implementing_unit: str
    geometry_source: str
    geometry_note: str
    geometry: MultiPolygon


@dataclass(frozen=True)
class ParcelFile:
    """A validated parcels file: its plan and its parcels."""

    plan: PlanInfo
    parcels: tuple[ParcelRecord, ...]


def _problem(where: str, message: str) -> InvalidParcelData:
    return InvalidParcelData(f"{where}: {message}")


def parse_geometry(raw: Any, where: str) -> MultiPolygon:
    """Turn a GeoJSON geometry into a valid MultiPolygon, or say what is wrong with it."""
    geometry = parse_input_geometry(raw, where, ("Polygon", "MultiPolygon"), InvalidParcelData)
    return MultiPolygon([geometry]) if isinstance(geometry, Polygon) else geometry


def _text(properties: dict[str, Any], key: str, where: str) -> str:
    value = properties[key]
    if not isinstance(value, str) or not value.strip():
        raise _problem(where, f"property {key!r} must be non-empty text")
    return value


def _is_positive_number(value: Any) -> bool:
    return (
        not isinstance(value, bool)
        and isinstance(value, int | float)
        and math.isfinite(value)
        and value > 0
    )


def _decimal(value: int | float) -> Decimal:
    # str() gives the shortest text that reads back as the same float: 42.84, not 42.8399999…
    return Decimal(str(value))


def _positive_int(value: Any, key: str, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise _problem(where, f"property {key!r} must be a positive whole number, not {value!r}")
    return value


def parse_feature(feature: Any, where: str) -> tuple[ParcelRecord, str, int]:
    """Validate one feature; return the record with its plan title and plan year."""
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        raise _problem(where, "is not a GeoJSON Feature")
    properties = feature.get("properties")
    if not isinstance(properties, dict):
        raise _problem(where, "has no properties object")
    if isinstance(properties.get("id"), str):
        where = f"{where} (id {properties['id']})"
    missing = [key for key in PROPERTY_NAMES if key not in properties]
    if missing:
        raise _problem(where, f"missing properties: {', '.join(missing)}")
    texts = {key: _text(properties, key, where) for key in TEXT_PROPERTIES}
    area = properties["declared_area_mu"]
    if not _is_positive_number(area):
        raise _problem(
            where, f"property 'declared_area_mu' must be a positive number, not {area!r}"
        )
    source = properties["geometry_source"]
    if source not in GEOMETRY_SOURCES:
        raise _problem(
            where, f"geometry_source must be one of {', '.join(GEOMETRY_SOURCES)}, not {source!r}"
        )
    record = ParcelRecord(
        id=texts["id"],
        seq=_positive_int(properties["seq"], "seq", where),
        block=texts["block"],
        name=texts["name"],
        boundary_text=texts["boundary_text"],
        declared_area_mu=_decimal(area),
        interest_type=texts["interest_type"],
        implementing_unit=texts["implementing_unit"],
        geometry_source=source,
        geometry_note=texts["geometry_note"],
        geometry=parse_geometry(feature.get("geometry"), where),
    )
    return record, texts["plan"], _positive_int(properties["plan_year"], "plan_year", where)


def _plan_info(collection: dict[str, Any], title: str, year: int) -> PlanInfo:
    meta = collection.get("plan") if isinstance(collection.get("plan"), dict) else {}
    if meta.get("title", title) != title:
        raise InvalidParcelData(
            f"the collection's plan title {meta['title']!r} differs from the features' {title!r}"
        )
    try:
        published = date.fromisoformat(meta["published_on"]) if meta.get("published_on") else None
    except (TypeError, ValueError):
        raise InvalidParcelData(
            f"plan published_on {meta['published_on']!r} is not a date (YYYY-MM-DD)"
        ) from None
    total = meta.get("published_total_mu")
    return PlanInfo(
        code=str(meta.get("code") or f"{title}"),
        title=title,
        year=year,
        issuer=meta.get("issuer"),
        published_on=published,
        source_document=meta.get("source_document"),
        published_total_mu=_decimal(total) if _is_positive_number(total) else None,
    )


def parse_parcel_collection(collection: Any) -> ParcelFile:
    """Validate a decoded GeoJSON FeatureCollection of parcels of one plan."""
    features = collection_features(collection, InvalidParcelData, "file")
    records: list[ParcelRecord] = []
    plans: set[tuple[str, int]] = set()
    for position, feature in enumerate(features, start=1):
        record, title, year = parse_feature(feature, f"feature {position}")
        records.append(record)
        plans.add((title, year))
    if len(plans) > 1:
        raise InvalidParcelData(
            "all features must belong to one plan; found: "
            + "; ".join(f"{t} ({y})" for t, y in sorted(plans))
        )
    for key in ("id", "seq"):
        seen: set[object] = set()
        for record in records:
            value = getattr(record, key)
            if value in seen:
                raise InvalidParcelData(f"{key} {value!r} appears on more than one feature")
            seen.add(value)
    ((title, year),) = plans
    return ParcelFile(_plan_info(collection, title, year), tuple(records))


def read_parcel_file(path: Path) -> ParcelFile:
    """Read, decode and validate a parcels GeoJSON file."""
    return parse_parcel_collection(read_json_file(path, InvalidParcelData))
