"""Boundary points and a parcel polygon on a Gauss-Kruger plane (the parcel's zone), both ways.

Reading, the points (界址点) are grouped into rings by ring number (圈号) and where a ring returns to
its start, and each ring and the whole polygon are checked; every problem names the points and
says where, in the file's own X and Y, so a surveyor can find it. Writing, a polygon is numbered
back into points the way surveyors number them.
"""

import re
from dataclasses import dataclass

import shapely
from shapely import LinearRing, LineString, MultiPoint, Polygon, STRtree
from shapely.geometry.polygon import orient
from shapely.validation import explain_validity

from geo.area import to_plane
from geo.errors import InvalidSurvey
from geo.messages import message
from geo.survey.formats import BoundaryPoint, Place

SPAN_KEYS = {"row": "survey.ring_rows", "line": "survey.ring_lines"}
_LOCATED = re.compile(r"^(?P<reason>[^\[]*)\[(?P<x>\S+) (?P<y>\S+)\]")


@dataclass
class _Loop:
    """One closed ring of boundary points on the plane (easting, northing)."""

    ring: int
    coords: list[tuple[float, float]]
    points: list[BoundaryPoint]
    last: BoundaryPoint
    closed: bool = False

    def describe(self) -> str:
        """The ring and the rows or lines it spans, closing point included."""
        first, last = self.points[0].where, self.last.where
        if first == last or not isinstance(first, Place) or not isinstance(last, Place):
            return message("survey.ring_at", ring=self.ring, where=first)
        return message(SPAN_KEYS[first.kind], ring=self.ring, first=first.number, last=last.number)


def _in_file_terms(x: float, y: float, offset: float) -> str:
    """A plane position (easting, northing) as the surveyor wrote it: X northing, Y easting."""
    return f"X={y:.3f}, Y={x + offset:.3f}"


def _name(point: BoundaryPoint) -> str:
    return f"{point.label} ({point.where})" if point.label else point.where


def _validity_problem(geometry: shapely.Geometry, offset: float) -> str:
    """GEOS's explanation of an invalid geometry, with its location in the file's X and Y."""
    explanation = explain_validity(geometry)
    match = _LOCATED.match(explanation)
    if match is None:
        return explanation
    where = _in_file_terms(float(match["x"]), float(match["y"]), offset)
    return message("survey.located_problem", reason=match["reason"].strip().lower(), where=where)


def _loops(points: list[BoundaryPoint], offset: float) -> list[_Loop]:
    """Group points into closed rings: by ring number, and where a ring returns to its start."""
    loops: list[_Loop] = []
    finished: set[int] = set()
    for point in points:
        xy = (point.y - offset, point.x)
        current = loops[-1] if loops else None
        if current is not None and current.ring != point.ring:
            finished.add(current.ring)
            if point.ring in finished:
                raise InvalidSurvey(
                    message(
                        "survey.ring_interrupted",
                        where=point.where,
                        ring=point.ring,
                        previous=current.ring,
                    )
                )
        if current is not None and current.ring == point.ring:
            if not current.closed or xy == current.coords[0]:
                current.last = point
            if xy == current.coords[-1] or (current.closed and xy == current.coords[0]):
                continue  # a repeated point (or a repeated closing point) adds nothing
            if xy == current.coords[0]:
                if len(current.coords) < 3:
                    raise InvalidSurvey(
                        message(
                            "survey.ring_closes_early",
                            where=point.where,
                            ring=current.describe(),
                            count=len(current.coords),
                        )
                    )
                current.closed = True
                continue
            if not current.closed:
                current.coords.append(xy)
                current.points.append(point)
                continue
        # A new ring number, or more points after a ring closed: some software separates the
        # rings of one ring number only by closing them.
        loops.append(_Loop(point.ring, [xy], [point], point))
    for loop in loops:
        if len(loop.coords) < 3:
            raise InvalidSurvey(
                message("survey.ring_too_few", ring=loop.describe(), count=len(loop.coords))
            )
    return loops


def _crossing(loop: _Loop, offset: float) -> str:
    """Say which two edges of a ring cross, and where."""
    count = len(loop.coords)
    edges = [LineString([loop.coords[i], loop.coords[(i + 1) % count]]) for i in range(count)]
    left, right = STRtree(edges).query(edges, predicate="intersects")
    for i, j in zip(left.tolist(), right.tolist(), strict=True):
        if i >= j:
            continue
        meeting = edges[i].intersection(edges[j])
        if (j == i + 1 or (i == 0 and j == count - 1)) and meeting.geom_type == "Point":
            continue  # neighbouring edges share their corner point
        x, y = shapely.get_coordinates(meeting)[0]
        first = message(
            "survey.edge", start=_name(loop.points[i]), end=_name(loop.points[(i + 1) % count])
        )
        second = message(
            "survey.edge", start=_name(loop.points[j]), end=_name(loop.points[(j + 1) % count])
        )
        return message(
            "survey.edges_cross", where=_in_file_terms(x, y, offset), first=first, second=second
        )
    return _validity_problem(Polygon(loop.coords), offset)


def _check_loop(loop: _Loop, offset: float) -> Polygon:
    if MultiPoint(loop.coords).convex_hull.area == 0:
        raise InvalidSurvey(message("survey.ring_on_a_line", ring=loop.describe()))
    if not LinearRing(loop.coords).is_simple:
        raise InvalidSurvey(
            message(
                "survey.ring_crosses_itself", ring=loop.describe(), crossing=_crossing(loop, offset)
            )
        )
    return Polygon(loop.coords)


def build_polygon(points: list[BoundaryPoint], offset: float) -> tuple[Polygon, int]:
    """The checked polygon on the plane (easting, northing), and how many distinct points it has.

    ``offset`` is what the zone prefix adds to the files' Y values (0 for plain eastings).
    """
    loops = sorted(_loops(points, offset), key=lambda loop: loop.ring)  # stable: file order
    if loops[0].ring != 1:
        raise InvalidSurvey(message("survey.exterior_missing", ring=loops[0].describe()))
    shell = _check_loop(loops[0], offset)
    for hole in loops[1:]:
        inner = _check_loop(hole, offset)
        if not shell.contains(inner):
            relation = (
                message("survey.lies_outside")
                if not shell.intersects(inner) or inner.contains(shell)
                else message("survey.crosses_boundary")
            )
            raise InvalidSurvey(
                message(
                    "survey.hole_outside",
                    hole=hole.describe(),
                    exterior=loops[0].describe(),
                    relation=relation,
                )
            )
    polygon = Polygon(loops[0].coords, [loop.coords for loop in loops[1:]])
    if not polygon.is_valid:
        raise InvalidSurvey(
            message(
                "survey.rings_invalid",
                exterior=loops[0].describe(),
                problem=_validity_problem(polygon, offset),
            )
        )
    # RFC 7946 (GeoJSON) wants the exterior counter-clockwise; files come in either order.
    return orient(polygon, sign=1.0), sum(len(loop.coords) for loop in loops)


def _start_north_west(coords: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Rotate a ring to start at its north-west corner, where surveyors start numbering."""
    west = min(x for x, _ in coords)
    north = max(y for _, y in coords)
    start = min(
        range(len(coords)), key=lambda i: (coords[i][0] - west) ** 2 + (north - coords[i][1]) ** 2
    )
    return coords[start:] + coords[:start]


def check_writable(polygon_wgs84: Polygon) -> None:
    """Refuse anything but one non-empty polygon, the only shape boundary points describe."""
    if not isinstance(polygon_wgs84, Polygon) or polygon_wgs84.is_empty:
        raise InvalidSurvey(message("survey.not_one_polygon"))


def plane_rows(
    polygon_wgs84: Polygon, zone: int, offset: float
) -> tuple[list[tuple[str, int, float, float]], float]:
    """Numbered rows (J1…, rings closed) on zone ``zone``'s plane at 1 mm, and their area.

    ``offset`` is what the zone prefix adds to Y (0 for plain eastings).
    """
    check_writable(polygon_wgs84)
    # Exterior clockwise and holes counter-clockwise, as boundary points are numbered (顺时针)
    # and as shapefiles, which most survey software exchanges, order rings.
    plane = orient(to_plane(polygon_wgs84, zone), sign=-1.0)
    rows: list[tuple[str, int, float, float]] = []
    rings: list[list[tuple[float, float]]] = []
    numbered = 0
    for ring_number, ring in enumerate([plane.exterior, *plane.interiors], start=1):
        coords: list[tuple[float, float]] = []
        for x, y in ring.coords[:-1]:
            point = (round(x, 3), round(y, 3))
            if not coords or point != coords[-1]:
                coords.append(point)
        coords = _start_north_west(coords)
        rings.append(coords)
        labels = [f"J{numbered + index}" for index in range(1, len(coords) + 1)]
        numbered += len(coords)
        for label, (x, y) in zip([*labels, labels[0]], [*coords, coords[0]], strict=True):
            rows.append((label, ring_number, y, x + offset))
    return rows, Polygon(rings[0], rings[1:]).area
