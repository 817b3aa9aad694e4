"""A reference source read by the reader its file calls for, and stored in one transaction."""

from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

from geoalchemy2.shape import from_shape
from shapely import box
from sqlalchemy import delete, insert
from sqlalchemy.orm import Session

from geo.addresses.gazetteer import GazetteerRecord
from geo.boundaries.reference import (
    ReferenceRecord,
    layer_label,
    read_reference_file,
    replace_reference_layer,
)
from geo.errors import InvalidReferenceData
from geo.messages import message
from geo.models import SHAPE_SOURCES, GazetteerEntry
from geo.reference.gis import read_gis_layer
from geo.reference.osm import read_osm

OSM_SUFFIXES = (".osm.pbf", ".pbf", ".osm")
LAYER_NOTE = "%[layer: %]"
"""The notes of gazetteer entries a reference load put there (``with_layer``)."""

BBox = tuple[float, float, float, float]


@dataclass
class ReferenceLayer:
    """A reference layer read from a file, ready to store."""

    label: str
    records: list[ReferenceRecord]
    addresses: list[GazetteerRecord] = field(default_factory=list)
    dropped: Counter[str] = field(default_factory=Counter)

    def summary(self, path: Path) -> str:
        """A few lines for people: what was loaded and what was left out."""
        kinds = Counter(record.kind for record in self.records)
        lines = [
            message(
                "reference.layer_loaded",
                count=len(self.records),
                kinds=", ".join(f"{n} {k}" for k, n in sorted(kinds.items())),
                path=path,
            ),
            message("reference.layer_label", label=self.label),
        ]
        if self.addresses:
            lines.append(message("reference.gazetteer_addresses", count=len(self.addresses)))
        if self.dropped:
            lines.append(
                message("reference.left_out")
                + ", ".join(f"{n} {why}" for why, n in sorted(self.dropped.items()))
            )
        return "\n".join(lines)


def parse_bbox(text: str) -> BBox:
    """``minlon,minlat,maxlon,maxlat`` as four numbers, refused if it is not a box."""
    try:
        values = tuple(float(part) for part in text.split(","))
    except ValueError:
        values = ()
    if len(values) != 4 or not (values[0] < values[2] and values[1] < values[3]):
        raise InvalidReferenceData(message("reference.bbox_form", text=text))
    return values  # type: ignore[return-value]


def read_reference_source(
    path: Path,
    *,
    bbox: BBox | None = None,
    name_field: str | None = None,
    kind_field: str | None = None,
    geometry_source: str = "digitized",
) -> ReferenceLayer:
    """Read an OSM extract, a GIS layer with its name and kind fields, or a reference GeoJSON.

    A GeoJSON file in the reference layer's own form (name, kind, geometry_source, note) needs
    no fields named; any other GIS file does.
    """
    if not path.is_file():
        raise InvalidReferenceData(message("files.no_such_file", path=path))
    if path.name.lower().endswith(OSM_SUFFIXES):
        osm = read_osm(path, bbox)
        return ReferenceLayer(osm.label, osm.records, osm.addresses, osm.dropped)
    if name_field is None and kind_field is None and path.suffix.lower() in (".geojson", ".json"):
        records = read_reference_file(path)
        layer = ReferenceLayer(layer_label(records), records)
    elif name_field is None or kind_field is None:
        raise InvalidReferenceData(message("reference.fields_needed", path=path))
    elif geometry_source not in SHAPE_SOURCES:
        raise InvalidReferenceData(
            message("reference.source_choice", sources=", ".join(SHAPE_SOURCES))
        )
    else:
        label, records, dropped = read_gis_layer(path, name_field, kind_field, geometry_source)
        layer = ReferenceLayer(label, records, dropped=dropped)
    if bbox is not None:
        area = box(*bbox)
        kept = [r for r in layer.records if r.geometry.intersects(area)]
        layer.dropped[message("reference.dropped_outside_bbox")] += len(layer.records) - len(kept)
        layer.records = kept
    return layer


def store_reference_layer(session: Session, layer: ReferenceLayer) -> int:
    """Replace the stored reference layer in the caller's transaction; the features stored.

    The addresses an earlier layer put in the gazetteer are replaced by this one's; the
    gazetteer's own entries (the shipped addresses, roads and districts) are kept.
    """
    count = replace_reference_layer(session, layer.records)
    session.execute(delete(GazetteerEntry).where(GazetteerEntry.note.like(LAYER_NOTE)))
    rows = []
    for record in layer.addresses:
        row = asdict(record)
        row["geom"] = from_shape(row.pop("geometry"), srid=4326)
        rows.append(row)
    if rows:
        session.execute(insert(GazetteerEntry), rows)
    return count
