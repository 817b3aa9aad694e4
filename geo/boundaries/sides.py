"""Compass sides on a Gauss-Kruger plane (the parcel's zone; metres, grid north up).

Which part of a named feature forms a parcel's side, and whether a feature lies along a polygon
on the side the text says. Shared by the digitizer (which builds polygons from sides) and the side audit (which checks
them), so both read a side the same way.
"""

import itertools
import math

import shapely
from shapely import Geometry, LineString, Point, Polygon
from shapely.affinity import translate
from shapely.ops import linemerge

from geo.boundaries.parsed import FeatureRef

SIDE_VECTORS = {"east": (1.0, 0.0), "south": (0.0, -1.0), "west": (-1.0, 0.0), "north": (0.0, 1.0)}
OPPOSITE = {"east": "west", "west": "east", "north": "south", "south": "north"}
SIDE_WORDS = {"东": "east", "南": "south", "西": "west", "北": "north"}
NEAR_M = 30.0
"""A named feature lies along a side when it comes this close to the polygon."""
FACING_COS = math.cos(math.radians(60))
"""An outline edge faces a direction when its outward normal is within 60 degrees of it."""
# Assumed half-widths (m) by the name's ending, longest ending first: a plan's 南至勤俭路 means
# up to the road's near edge, and reference layers draw centrelines. Walls and outlines are 0.
HALF_WIDTHS_M = (
    ("大道", 15.0),
    ("支路", 3.0),
    ("过道", 1.5),
    ("河流", 5.0),
    ("水系", 5.0),
    ("路", 6.0),
    ("街", 4.0),
    ("弄", 2.0),
    ("巷", 2.0),
    ("坊", 2.0),
    ("港", 5.0),
    ("河", 5.0),
    ("塘", 5.0),
    ("浜", 3.0),
)


def named_edge(ref: FeatureRef) -> str | None:
    """The direction of an edge the text names explicitly: 西边界 -> west, 东侧边界 -> east."""
    for qualifier in ref.qualifiers:
        if "边界" in qualifier and qualifier[0] in SIDE_WORDS:
            return SIDE_WORDS[qualifier[0]]
    return None


def facing_edges(area: Geometry, direction: str) -> Geometry:
    """The parts of an outline whose outward normal points in ``direction``."""
    dx, dy = SIDE_VECTORS[direction]
    pieces = []
    for polygon in getattr(area, "geoms", [area]):
        # Counter-clockwise exterior: the outward normal of a segment (x, y) is (y, -x).
        coords = list(shapely.orient_polygons(polygon).exterior.coords)
        for (x1, y1), (x2, y2) in itertools.pairwise(coords):
            length = math.hypot(x2 - x1, y2 - y1)
            if length and ((y2 - y1) * dx - (x2 - x1) * dy) / length >= FACING_COS:
                pieces.append(LineString([(x1, y1), (x2, y2)]))
    return linemerge(pieces) if pieces else shapely.GeometryCollection()


def side_part(ref: FeatureRef, side: str, geometry: Geometry) -> Geometry:
    """The part of a feature that forms the parcel's side.

    A line is itself. Of an outline, the text either names the edge (兴波苑东侧边界, 竹桥苑西边界)
    or means the whole neighbour, which lies beyond the side and faces the parcel with its
    opposite edges.
    """
    if geometry.geom_type not in ("Polygon", "MultiPolygon"):
        return geometry
    return facing_edges(geometry, named_edge(ref) or OPPOSITE[side])


def half_width_m(ref: FeatureRef) -> float:
    """Assumed half-width of a road or watercourse named on a side; 0 for anything else."""
    if ref.kind not in ("road", "water"):
        return 0.0
    return next((width for ending, width in HALF_WIDTHS_M if ref.name.endswith(ending)), 0.0)


def near_edge(
    ref: FeatureRef, side: str, line: LineString, width: float | None = None
) -> LineString:
    """A line of a feature's side part, moved from its centreline to the edge facing the parcel.

    至X路 reaches the road's near edge, not the centreline a reference layer draws. A road named on
    the east side lies east of the parcel, so its near edge is west of the centreline: the line
    moves against the side's direction by the road's half-width: the layer's (from the road
    class of an OSM extract) when it gives one, else the one assumed from the name.
    """
    dx, dy = SIDE_VECTORS[side]
    width = half_width_m(ref) if width is None else width
    return translate(line, -dx * width, -dy * width)


def towards(side: str, origin: Point, point: Point) -> float:
    """How far ``point`` lies from ``origin`` in the direction of ``side`` (m)."""
    dx, dy = SIDE_VECTORS[side]
    return (point.x - origin.x) * dx + (point.y - origin.y) * dy


def lies_on_side(part: Geometry, polygon: Polygon, side: str, near_m: float = NEAR_M) -> bool:
    """Whether a feature's side part runs along the polygon, on the given compass side."""
    near = part.intersection(polygon.buffer(near_m))
    if near.is_empty:
        return False
    return towards(side, polygon.centroid, near.centroid) > 0
