"""The reference layer: the roads, rivers, walls, estates and addresses that 四至 texts name.

The layer is replaced as a whole on each load (one transaction), since it is a snapshot of a
basemap: ours is estimated (``geometry_source: schematic``), and an OSM extract or the city's
basemap (read by ``geo.reference``) can take its place.

The table has no column for the layer a feature came from nor for a road's width, and the note is
the feature's provenance anyway, so a loaded layer writes both into each note in a fixed form:
``… half-width 12 m … [layer: zhejiang.osm.pbf, extract of 2024-05-01, …]``. The digitizer reads
them back (``layer_label``, ``ReferenceRecord.half_width_m``) to name the layer in each digitized
shape's note and to put a road's near edge where its class says.
"""

import re
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
from geo.messages import message
from geo.models import SHAPE_SOURCES, ReferenceFeature

KINDS = ("road", "water", "wall", "estate", "building", "facility", "green", "parcel", "address")
ESTIMATED_LAYER = "the estimated reference layer (data/reference.geojson)"
"""The label of a layer whose notes name no layer: the shipped, estimated one."""
STORED_LAYER = "the stored reference layer (each feature's note says where it came from)"
"""The label of a mixed layer whose notes name no single layer."""
_LAYER = re.compile(r"\[layer: (?P<label>[^\]]+)\]\s*$")
_HALF_WIDTH = re.compile(r"half-width (?P<metres>\d+(?:\.\d+)?) m\b")
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

    @property
    def half_width_m(self) -> float | None:
        """The half-width the layer gives this road or river (its class's), if any."""
        found = _HALF_WIDTH.search(self.note)
        return float(found["metres"]) if found else None

    @property
    def layer(self) -> str | None:
        """The layer this feature was loaded from, if its note names one."""
        found = _LAYER.search(self.note)
        return found["label"] if found else None


def with_layer(note: str, label: str) -> str:
    """A feature's note ending with the label of the layer it comes from."""
    return f"{note} [layer: {label}]"


def layer_label(records: Iterable[ReferenceRecord]) -> str:
    """What to call the layer these features make up, in a digitized shape's note.

    The one layer their notes name; none named and all estimated is the shipped layer (whose
    notes are free text), so its digitized shapes keep the note they were published with.
    """
    records = list(records)
    labels = {record.layer for record in records}
    if len(labels) == 1 and None not in labels:
        return f"the reference layer {labels.pop()}"
    if labels <= {None} and all(r.geometry_source == "schematic" for r in records):
        return ESTIMATED_LAYER
    return STORED_LAYER


def parse_reference_feature(feature: Any, where: str) -> ReferenceRecord:
    """Validate one reference feature."""
    if not isinstance(feature, dict) or not isinstance(feature.get("properties"), dict):
        raise InvalidReferenceData(message("reference.not_a_feature", where=where))
    properties = feature["properties"]
    name = properties.get("name")
    if not isinstance(name, str) or not name.strip():
        raise InvalidReferenceData(message("reference.name_missing", where=where))
    where = f"{where} ({name})"
    kind = properties.get("kind")
    if kind not in KINDS:
        raise InvalidReferenceData(
            message("reference.unknown_kind", kinds=", ".join(KINDS), where=where, kind=kind)
        )
    source = properties.get("geometry_source")
    if source not in SHAPE_SOURCES:
        raise InvalidReferenceData(
            message(
                "reference.unknown_source",
                sources=", ".join(SHAPE_SOURCES),
                where=where,
                source=source,
            )
        )
    note = properties.get("note")
    if not isinstance(note, str) or not note.strip():
        raise InvalidReferenceData(message("reference.note_missing", where=where))
    address = properties.get("address")
    if address is not None and not isinstance(address, str):
        raise InvalidReferenceData(message("reference.address_not_text", where=where))
    geometry = parse_input_geometry(
        feature.get("geometry"), where, GEOMETRY_TYPES, InvalidReferenceData
    )
    return ReferenceRecord(name.strip(), kind, source, note, geometry, address)


def parse_reference_collection(collection: Any) -> list[ReferenceRecord]:
    """Validate a decoded reference FeatureCollection."""
    features = collection_features(collection, InvalidReferenceData, message("reference.what_file"))
    return [
        parse_reference_feature(feature, message("reference.feature_at", position=position))
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
