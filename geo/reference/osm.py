"""An OpenStreetMap extract (``.osm.pbf``, ``.osm``) read into reference features and addresses.

pyosmium (libosmium) reads the file: it keeps node locations for the ways and assembles areas
from closed ways and multipolygon relations, which is most of the work and easy to get wrong by
hand. Only what the digitizer can name-match is kept:

- ``highway=*`` ways: roads, as centrelines (like the shipped layer), with a half-width from the
  road class written into the note for the digitizer's near edge;
- ``waterway=river|canal|stream|drain|ditch`` ways: water, as centrelines; ``natural=water``,
  ``waterway=riverbank`` and ``landuse=reservoir`` areas: water, as outlines (half-width 0, the
  outline already is the bank);
- named ``barrier=wall|fence`` ways: walls (原南湖法院围墙), half-width 0;
- ``building=*`` areas: buildings, with the address from ``addr:street`` and
  ``addr:housenumber``; a building with an address but no name is named by its address;
- named ``landuse=residential`` areas and ``place=neighbourhood`` areas or nodes: estates;
- nodes with ``addr:street`` and ``addr:housenumber``: address points, which also become
  gazetteer addresses when the house number starts with a number.

A feature is stored once per name it goes by (``name``, ``name:zh``, ``alt_name``, ``old_name``),
since the digitizer matches the name column; anything else without a name is dropped.
"""

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import osmium
import shapely
from shapely import Geometry, box

from geo.addresses.gazetteer import GazetteerRecord
from geo.boundaries.reference import ReferenceRecord, with_layer
from geo.errors import InvalidReferenceData
from geo.messages import message

HIGHWAY_HALF_WIDTH_M = {
    "motorway": 15.0,
    "trunk": 15.0,
    "primary": 12.0,
    "secondary": 10.0,
    "tertiary": 8.0,
    "residential": 5.0,
    "unclassified": 5.0,
    "service": 5.0,
    "living_street": 5.0,
    "pedestrian": 3.0,
    "footway": 2.0,
    "path": 2.0,
    "cycleway": 2.0,
    "steps": 2.0,
    "track": 2.0,
}
"""Half a road's width by class (m). Links (primary_link) take their class's; others 5 m."""
WATERWAY_HALF_WIDTH_M = {"river": 15.0, "canal": 10.0, "stream": 3.0, "drain": 2.0, "ditch": 2.0}
WATER_AREAS = (("natural", "water"), ("waterway", "riverbank"), ("landuse", "reservoir"))
NAME_KEYS = ("name", "name:zh", "alt_name", "old_name")
ADDRESS_UNCERTAINTY_M = 20.0
"""How far off an OSM address point may be: traced from imagery or placed by hand, not surveyed."""
SOURCE = "digitized"
"""OSM is traced from imagery and GPS tracks by its contributors: digitized, not surveyed."""
_HOUSE_NUMBER = re.compile(r"^(?P<number>\d+)(?P<suffix>.*)$")


@dataclass
class OsmLayer:
    """What an extract gave: reference features, gazetteer addresses, and what was dropped."""

    label: str
    records: list[ReferenceRecord] = field(default_factory=list)
    addresses: list[GazetteerRecord] = field(default_factory=list)
    dropped: Counter[str] = field(default_factory=Counter)


def feature_names(tags: osmium.osm.TagList) -> list[str]:
    """Every name a feature goes by, in the order of ``NAME_KEYS``; ``;`` separates several."""
    found = [part.strip() for key in NAME_KEYS for part in tags.get(key, "").split(";")]
    return list(dict.fromkeys(name for name in found if name))


def address_text(tags: osmium.osm.TagList) -> str | None:
    """The address as Chinese notices write it (环城西路23号), if the feature has one."""
    street, number = tags.get("addr:street"), tags.get("addr:housenumber")
    if not street or not number:
        return None
    return f"{street}{number}号" if number.isdigit() else f"{street}{number}"


def extract_date(path: Path, header: osmium.io.Header) -> str:
    """When the extract was cut: its header's replication timestamp, else the file's mtime."""
    stamp = header.get("osmosis_replication_timestamp") or header.get("timestamp")
    if stamp:
        return stamp[:10]
    return datetime.fromtimestamp(path.stat().st_mtime, UTC).date().isoformat()


def layer_label(path: Path, date: str) -> str:
    """The layer's name in notes: file, date, and the attribution the ODbL asks for."""
    return f"{path.name} (OpenStreetMap extract of {date}; © OpenStreetMap contributors, ODbL)"


class _Reader:
    def __init__(self, layer: OsmLayer, bbox: Geometry | None) -> None:
        self.layer = layer
        self.bbox = bbox
        self.wkb = osmium.geom.WKBFactory()

    def keep(self, names: list[str], kind: str, geometry: Geometry, note: str, address=None):
        if self.bbox is not None and not geometry.intersects(self.bbox):
            self.layer.dropped[message("reference.dropped_outside_bbox")] += 1
            return
        if not geometry.is_valid:  # the table refuses invalid shapes; OSM has a few
            geometry = shapely.make_valid(geometry)
            if geometry.geom_type not in ("Polygon", "MultiPolygon"):
                self.layer.dropped[f"invalid {kind} outline"] += 1
                return
        if not names:
            self.layer.dropped[f"unnamed {kind}"] += 1
            return
        for name in names:
            alias = "" if name == names[0] else f"; also called {names[0]}"
            noted = with_layer(note + alias, self.layer.label)
            self.layer.records.append(ReferenceRecord(name, kind, SOURCE, noted, geometry, address))

    def gazetteer(self, tags: osmium.osm.TagList, point: Geometry, what: str) -> None:
        number = _HOUSE_NUMBER.match(tags.get("addr:housenumber", ""))
        if number is None or (self.bbox is not None and not point.intersects(self.bbox)):
            return
        self.layer.addresses.append(
            GazetteerRecord(
                kind="address",
                name=address_text(tags) or "",
                uncertainty_m=ADDRESS_UNCERTAINTY_M,
                geometry_source=SOURCE,
                note=with_layer(f"OpenStreetMap {what}", self.layer.label),
                geometry=point,
                district=tags.get("addr:district") or tags.get("addr:city") or None,
                road=tags["addr:street"],
                house_number=int(number["number"]),
                house_suffix=number["suffix"].strip() or None,
            )
        )

    def node(self, node: osmium.osm.Node) -> None:
        tags, what = node.tags, f"node {node.id}"
        point = shapely.from_wkb(self.wkb.create_point(node))
        address = address_text(tags)
        if address:
            self.keep([address], "address", point, f"OpenStreetMap {what}: address point")
            self.gazetteer(tags, point, what)
        if tags.get("place") == "neighbourhood":
            self.keep(feature_names(tags), "estate", point, f"OpenStreetMap {what}: place node")

    def way(self, way: osmium.osm.Way) -> None:
        tags, what = way.tags, f"way {way.id}"
        highway, waterway = tags.get("highway"), tags.get("waterway")
        if highway:
            width = HIGHWAY_HALF_WIDTH_M.get(highway.removesuffix("_link"), 5.0)
            kind, note = "road", f"highway={highway}, half-width {width:g} m"
        elif waterway in WATERWAY_HALF_WIDTH_M:
            width = WATERWAY_HALF_WIDTH_M[waterway]
            kind, note = "water", f"waterway={waterway}, half-width {width:g} m"
        elif tags.get("barrier") in ("wall", "fence"):
            kind, note = "wall", f"barrier={tags['barrier']}, half-width 0 m"
        else:
            return
        try:
            line = shapely.from_wkb(self.wkb.create_linestring(way))
        except RuntimeError:  # a way of one node, or with nodes missing from the extract
            self.layer.dropped[f"broken {kind} line"] += 1
            return
        self.keep(feature_names(tags), kind, line, f"OpenStreetMap {what}: {note}")

    def area(self, area: osmium.osm.Area) -> None:
        tags = area.tags
        what = f"{'way' if area.from_way() else 'relation'} {area.orig_id()}"
        if tags.get("building"):
            kind, note = "building", f"building={tags['building']}"
        elif any(tags.get(key) == value for key, value in WATER_AREAS):
            kind, note = "water", "water area, half-width 0 m"
        elif tags.get("landuse") == "residential" or tags.get("place") == "neighbourhood":
            kind, note = "estate", "residential area"
        else:
            return
        try:
            outline = shapely.from_wkb(self.wkb.create_multipolygon(area))
        except RuntimeError:  # an unclosed ring: libosmium could not assemble the area
            self.layer.dropped[f"broken {kind} outline"] += 1
            return
        address = address_text(tags) if kind == "building" else None
        names = feature_names(tags) or ([address] if address else [])
        self.keep(names, kind, outline, f"OpenStreetMap {what}: {note}", address)
        if address:
            self.gazetteer(tags, outline.representative_point(), what)


def read_osm(path: Path, bbox: tuple[float, float, float, float] | None = None) -> OsmLayer:
    """Read an extract; ``bbox`` (min lon, min lat, max lon, max lat) keeps what touches it."""
    if not path.is_file():
        raise InvalidReferenceData(message("files.no_such_file", path=path))
    try:
        header = osmium.io.Reader(str(path), osmium.osm.osm_entity_bits.NOTHING).header()
        layer = OsmLayer(layer_label(path, extract_date(path, header)))
        reader = _Reader(layer, box(*bbox) if bbox else None)
        wanted = ("highway", "waterway", "barrier", "natural", "building", "landuse", "place")
        processor = (
            osmium.FileProcessor(str(path))
            .with_areas()
            .with_filter(osmium.filter.KeyFilter(*wanted, "addr:housenumber"))
        )
        for entity in processor:
            if entity.is_node():
                reader.node(entity)
            elif entity.is_way():
                reader.way(entity)
            elif entity.is_area():
                reader.area(entity)
    except RuntimeError as exc:  # libosmium's word for an unreadable or truncated file
        raise InvalidReferenceData(
            message("reference.osm_unreadable", exc=exc, path=path)
        ) from None
    return layer
