"""The local gazetteer: address points, road centrelines with house-number ranges, districts.

Loaded from ``data/gazetteer.geojson`` as a whole, in one transaction. Every entry says how far
off its position may be (``uncertainty_m``), and the geocoder passes that on to the answer.
"""

import math
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from geoalchemy2.shape import from_shape
from shapely import Geometry
from sqlalchemy import delete, insert
from sqlalchemy.orm import Session

from geo.errors import InvalidGazetteerData
from geo.geometry_input import collection_features, parse_input_geometry, read_json_file
from geo.messages import message
from geo.models import SHAPE_SOURCES, GazetteerEntry

GEOMETRY_BY_KIND = {
    "address": ("Point",),
    "road": ("LineString", "MultiLineString"),
    "district": ("Point", "Polygon", "MultiPolygon"),
}
RANGE_FIELDS = ("odd_from", "odd_to", "even_from", "even_to")


@dataclass(frozen=True)
class GazetteerRecord:
    """One validated gazetteer entry."""

    kind: str
    name: str
    uncertainty_m: float
    geometry_source: str
    note: str
    geometry: Geometry
    district: str | None = None
    road: str | None = None
    house_number: int | None = None
    house_suffix: str | None = None
    odd_from: int | None = None
    odd_to: int | None = None
    even_from: int | None = None
    even_to: int | None = None


def _optional_text(properties: dict[str, Any], key: str, where: str) -> str | None:
    value = properties.get(key)
    if value is not None and (not isinstance(value, str) or not value.strip()):
        raise InvalidGazetteerData(message("addresses.gazetteer_text", where=where, key=key))
    return value


def _optional_int(properties: dict[str, Any], key: str, where: str) -> int | None:
    value = properties.get(key)
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
        raise InvalidGazetteerData(
            message("addresses.gazetteer_whole_number", where=where, key=key)
        )
    return value


def parse_gazetteer_feature(feature: Any, where: str) -> GazetteerRecord:
    """Validate one gazetteer entry."""
    if not isinstance(feature, dict) or not isinstance(feature.get("properties"), dict):
        raise InvalidGazetteerData(message("addresses.gazetteer_not_feature", where=where))
    properties = feature["properties"]
    name = _optional_text(properties, "name", where)
    if name is None:
        raise InvalidGazetteerData(message("addresses.gazetteer_name_missing", where=where))
    where = f"{where} ({name})"
    kind = properties.get("kind")
    if kind not in GEOMETRY_BY_KIND:
        raise InvalidGazetteerData(message("addresses.gazetteer_kind", where=where, kind=kind))
    if properties.get("geometry_source") not in SHAPE_SOURCES:
        raise InvalidGazetteerData(
            message(
                "addresses.gazetteer_geometry_source", sources=", ".join(SHAPE_SOURCES), where=where
            )
        )
    uncertainty = properties.get("uncertainty_m")
    if (
        isinstance(uncertainty, bool)
        or not isinstance(uncertainty, int | float)
        or not (math.isfinite(uncertainty) and uncertainty >= 0)
    ):
        raise InvalidGazetteerData(message("addresses.gazetteer_uncertainty", where=where))
    note = _optional_text(properties, "note", where)
    if note is None:
        raise InvalidGazetteerData(message("addresses.gazetteer_note", where=where))
    numbers = {
        key: _optional_int(properties, key, where) for key in ("house_number", *RANGE_FIELDS)
    }
    road = _optional_text(properties, "road", where)
    if kind == "address" and (road is None or numbers["house_number"] is None):
        raise InvalidGazetteerData(message("addresses.gazetteer_address_fields", where=where))
    geometry = parse_input_geometry(
        feature.get("geometry"), where, GEOMETRY_BY_KIND[kind], InvalidGazetteerData
    )
    return GazetteerRecord(
        kind=kind,
        name=name,
        uncertainty_m=float(uncertainty),
        geometry_source=properties["geometry_source"],
        note=note,
        geometry=geometry,
        district=_optional_text(properties, "district", where),
        road=road,
        house_suffix=_optional_text(properties, "house_suffix", where),
        **numbers,
    )


def read_gazetteer_file(path: Path) -> list[GazetteerRecord]:
    """Read, decode and validate a gazetteer GeoJSON file."""
    collection = read_json_file(path, InvalidGazetteerData)
    features = collection_features(
        collection, InvalidGazetteerData, message("addresses.what_gazetteer_file")
    )
    return [
        parse_gazetteer_feature(feature, message("addresses.gazetteer_entry", position=position))
        for position, feature in enumerate(features, start=1)
    ]


def replace_gazetteer(session: Session, records: list[GazetteerRecord]) -> int:
    """Replace the stored gazetteer; the caller's transaction makes it all or nothing."""
    rows = []
    for record in records:
        row = asdict(record)
        row["geom"] = from_shape(row.pop("geometry"), srid=4326)
        rows.append(row)
    session.execute(delete(GazetteerEntry))
    if rows:
        session.execute(insert(GazetteerEntry), rows)
    return len(rows)
