"""The reference layer: the roads, rivers, walls, estates and addresses that 四至 texts name.

The layer is replaced as a whole on each load (one transaction), since it is a snapshot of a
basemap: ours is estimated (``geometry_source: schematic``), and an OSM extract or the city's
basemap with the same fields can take its place.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from geoalchemy2.shape import from_shape
from shapely import Geometry
from sqlalchemy import delete, insert, text
from sqlalchemy.orm import Session

from geo.errors import InvalidReferenceData
from geo.geometry_input import collection_features, parse_input_geometry, read_json_file
from geo.models import SHAPE_SOURCES, ReferenceFeature

KINDS = ("road", "water", "wall", "estate", "building", "facility", "green", "parcel", "address")
GEOMETRY_TYPES = (
    "Point",
    "MultiPoint",
    "LineString",
    "MultiLineString",
    "Polygon",
    "MultiPolygon",
)


@dataclass(frozen=True)
class ReferenceRecord:
    """One validated reference feature."""

    name: str
    kind: str
    geometry_source: str
    note: str
    geometry: Geometry
    address: str | None = None


def parse_reference_feature(feature: Any, where: str) -> ReferenceRecord:
    """Validate one reference feature."""
    if not isinstance(feature, dict) or not isinstance(feature.get("properties"), dict):
        raise InvalidReferenceData(f"{where}: is not a GeoJSON Feature with properties")
    properties = feature["properties"]
    name = properties.get("name")
    if not isinstance(name, str) or not name.strip():
        raise InvalidReferenceData(f"{where}: property 'name' must be non-empty text")
    where = f"{where} ({name})"
    kind = properties.get("kind")
    if kind not in KINDS:
        raise InvalidReferenceData(f"{where}: kind must be one of {', '.join(KINDS)}, not {kind!r}")
    source = properties.get("geometry_source")
    if source not in SHAPE_SOURCES:
        raise InvalidReferenceData(
            f"{where}: geometry_source must be one of {', '.join(SHAPE_SOURCES)}, not {source!r}"
        )
    note = properties.get("note")
    if not isinstance(note, str) or not note.strip():
        raise InvalidReferenceData(f"{where}: property 'note' must say how the feature was placed")
    address = properties.get("address")
    if address is not None and not isinstance(address, str):
        raise InvalidReferenceData(f"{where}: property 'address' must be text")
    geometry = parse_input_geometry(
        feature.get("geometry"), where, GEOMETRY_TYPES, InvalidReferenceData
    )
    return ReferenceRecord(name.strip(), kind, source, note, geometry, address)


def parse_reference_collection(collection: Any) -> list[ReferenceRecord]:
    """Validate a decoded reference FeatureCollection."""
    features = collection_features(collection, InvalidReferenceData, "reference file")
    return [
        parse_reference_feature(feature, f"reference feature {position}")
        for position, feature in enumerate(features, start=1)
    ]


def read_reference_file(path: Path) -> list[ReferenceRecord]:
    """Read, decode and validate a reference layer file."""
    return parse_reference_collection(read_json_file(path, InvalidReferenceData))


def replace_reference_layer(session: Session, records: Iterable[ReferenceRecord]) -> int:
    """Replace the stored reference layer; the caller's transaction makes it all or nothing."""
    rows = [
        {
            "name": record.name,
            "kind": record.kind,
            "address": record.address,
            "geometry_source": record.geometry_source,
            "note": record.note,
            "geom": from_shape(record.geometry, srid=4326),
        }
        for record in records
    ]
    session.execute(delete(ReferenceFeature))
    if rows:
        session.execute(insert(ReferenceFeature), rows)
    return len(rows)


def reference_collection_json(session: Session) -> str:
    """The stored reference layer as a GeoJSON FeatureCollection (text, built by PostGIS)."""
    statement = text("""
        SELECT json_build_object(
            'type', 'FeatureCollection',
            'features', coalesce(json_agg(json_build_object(
                'type', 'Feature',
                'id', r.id,
                'geometry', ST_AsGeoJSON(r.geom, 7)::json,
                'properties', json_build_object(
                    'name', r.name, 'kind', r.kind, 'address', r.address,
                    'geometry_source', r.geometry_source, 'note', r.note)
            ) ORDER BY r.id), '[]'::json)
        )::text
        FROM reference_features r""")
    return session.execute(statement).scalar_one()
