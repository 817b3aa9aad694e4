"""Small OpenStreetMap extracts written by the tests (pyosmium's SimpleWriter), and the scene
they hold: the features plan rows JX2022-02 and JX2022-09 name, where the shipped layer has them.
"""

from pathlib import Path

import osmium
from osmium.osm.mutable import Node, Relation, Way
from shapely import LineString, Polygon
from shapely.affinity import translate

from geo.area import from_plane, to_plane
from tests.support.files import REFERENCE_FILE, read_json

EXTRACT_DATE = "2024-05-01T00:00:00Z"
ZONE = 4549


class Extract:
    """Features to write as one .osm.pbf: nodes get ids as they come, shared where they meet."""

    def __init__(self) -> None:
        self.nodes: dict[tuple[float, float], Node] = {}
        self.tagged: list[Node] = []
        self.ways: list[Way] = []
        self.relations: list[Relation] = []

    def _node(self, lon: float, lat: float) -> int:
        key = (round(lon, 7), round(lat, 7))
        if key not in self.nodes:
            self.nodes[key] = Node(id=len(self.nodes) + 1, location=key, tags={})
        return self.nodes[key].id

    def way(self, tags: dict[str, str], coords) -> None:
        """A way through WGS84 coordinates (closed if the last repeats the first)."""
        nodes = [self._node(*c) for c in coords]
        self.ways.append(Way(id=len(self.ways) + 1, nodes=nodes, tags=tags))

    def point(self, tags: dict[str, str], lon: float, lat: float) -> None:
        """A tagged node (an address, a place), never shared with a way."""
        node_id = 100_000 + len(self.tagged)
        self.tagged.append(Node(id=node_id, location=(lon, lat), tags=tags))

    def write(self, path: Path, timestamp: str | None = EXTRACT_DATE) -> Path:
        header = osmium.io.Header()
        if timestamp:
            header.set("osmosis_replication_timestamp", timestamp)
        writer = osmium.SimpleWriter(str(path), header=header, overwrite=True)
        try:
            # A .pbf holds nodes, then ways, then relations, each sorted by id.
            for node in sorted([*self.nodes.values(), *self.tagged], key=lambda n: n.id):
                writer.add_node(node)
            for way in self.ways:
                writer.add_way(way)
            for relation in self.relations:
                writer.add_relation(relation)
        finally:
            writer.close()
        return path


def shipped(name: str):
    """A feature of the shipped (estimated) reference layer, on the EPSG:4549 plane."""
    from shapely.geometry import shape

    for feature in read_json(REFERENCE_FILE)["features"]:
        if feature["properties"]["name"] == name:
            return to_plane(shape(feature["geometry"]), ZONE)
    raise KeyError(name)


def coords(geometry) -> list[tuple[float, float]]:
    """A plane line's or polygon's coordinates in WGS84."""
    wgs84 = from_plane(geometry, ZONE)
    ring = wgs84.exterior if isinstance(wgs84, Polygon) else wgs84
    return list(ring.coords)


def jiaxing_scene(east_shift_m: float = 0.0) -> Extract:
    """Roads, a river, buildings and an estate as OSM maps them, named like the 四至 of plan rows
    JX2022-02 (东至青龙街，南至大新路，西至秀水人家，北至秀水人家) and JX2022-09 (东至汤家弄，
    南至金福公寓三幢，西至少年路，北至菜场弄); 汤家弄 moved east by ``east_shift_m``.

    Spelled as a basemap might: 菜場弄 in Traditional characters, 少年路 under its old_name, 汤家弄
    split into two ways at a node.
    """
    extract = Extract()
    extract.way({"highway": "tertiary", "name": "大新路"}, coords(shipped("大新路")))
    extract.way({"highway": "residential", "name": "青龙街"}, coords(shipped("青龙街")))
    extract.way({"landuse": "residential", "name": "秀水人家"}, coords(shipped("秀水人家")))
    lane = translate(shipped("汤家弄"), xoff=east_shift_m)
    (x1, y1), (x2, y2) = lane.coords[0], lane.coords[-1]
    middle = ((x1 + x2) / 2, (y1 + y2) / 2)
    for piece in (LineString([(x1, y1), middle]), LineString([middle, (x2, y2)])):
        extract.way({"highway": "service", "name": "汤家弄"}, coords(piece))
    extract.way(
        {"highway": "residential", "name": "人民新路", "old_name": "少年路"},
        coords(shipped("少年路")),
    )
    extract.way({"highway": "service", "name": "菜場弄"}, coords(shipped("菜场弄")))
    extract.way(
        {
            "building": "apartments",
            "name": "金福公寓三幢",
            "addr:street": "少年路",
            "addr:housenumber": "8",
        },
        coords(shipped("金福公寓三幢")),
    )
    extract.way({"building": "yes"}, coords(translate(shipped("金福公寓三幢"), yoff=-40)))
    extract.way({"waterway": "river", "name": "泾水桥港"}, coords(shipped("泾水桥港")))
    lon, lat = coords(shipped("菜场弄"))[0]
    extract.point({"addr:street": "菜场弄", "addr:housenumber": "3甲"}, lon, lat)
    return extract
