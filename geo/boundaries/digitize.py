"""Digitize a parcel from its four-boundary text and a reference layer.

The text names, per side, the features the parcel runs along. The digitizer finds each feature in
the reference layer, takes the part of it that faces the parcel, extends lines so neighbouring
sides meet, polygonizes everything and keeps the enclosed face that has every named feature on
its own compass side. A parcel described by one outline (all four sides are an estate's own
edges) or by an address takes that outline or the building at the address. Work happens on a
Gauss-Kruger plane so that distances are metres and north is up: the caller projects the
candidates onto the zone of the plan's area (``geo.boundaries.digitize_plan``).
"""

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import shapely
from shapely import Geometry, LineString, MultiPolygon, Point, Polygon
from shapely.ops import nearest_points, polygonize

from geo.boundaries.names import Match
from geo.boundaries.parsed import SIDES, FeatureRef, ParsedBoundaries
from geo.boundaries.reference import ESTIMATED_LAYER
from geo.boundaries.sides import lies_on_side, named_edge, near_edge, side_part, towards

EXTEND_M = 150.0
"""How far lines are extended past their ends so that neighbouring sides meet."""
SAME_PLACE_M = 300.0
"""Namesakes this close to the one chosen are parts of one place (two carriageways, a wall's
stretches): taking the nearest is no guess."""
CLEARLY_NEARER = 2.0
"""Of namesakes far apart, the nearest is taken only when the next is this many times as far."""


@dataclass(frozen=True)
class Candidate:
    """A reference feature (or another parcel) that a name may refer to, on the plane."""

    name: str
    kind: str
    geometry: Geometry
    label: str
    address: str | None = None
    half_width_m: float | None = None
    """The layer's half-width for this road or river (its class's); None: the name's."""


Lookup = Callable[[str], "Match[Candidate] | list[Candidate]"]
"""Candidates by name: a ``Match`` says how alike the names were; a list means the same name."""


@dataclass
class Digitized:
    """What the digitizer made of one parcel, and what it used or could not resolve."""

    geometry: MultiPolygon | None
    method: str
    used: list[str] = field(default_factory=list)
    unresolved: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether a polygon was produced."""
        return self.geometry is not None

    def note(self, layer: str = ESTIMATED_LAYER) -> str:
        """The provenance note for a digitized parcel, or the reason it was not digitized.

        The note names the reference layer the shape was digitized on.
        """
        if self.ok:
            return (
                f"Digitized ({self.method}) from the four-boundary text on {layer}, roads and "
                "rivers read to their near edge with assumed half-widths; not surveyed. "
                f"Used: {'; '.join(self.used)}."
            )
        return f"Not digitized: {'; '.join(self.unresolved)}."


def extend_line(line: LineString, distance: float) -> LineString:
    """Extend a line straight on past both ends."""
    coords = list(line.coords)

    def beyond(end: tuple[float, ...], before: tuple[float, ...]) -> tuple[float, float]:
        length = math.hypot(end[0] - before[0], end[1] - before[1]) or 1.0
        return (
            end[0] + (end[0] - before[0]) / length * distance,
            end[1] + (end[1] - before[1]) / length * distance,
        )

    return LineString([beyond(coords[0], coords[1]), *coords, beyond(coords[-1], coords[-2])])


def side_linework(
    ref: FeatureRef, side: str, part: Geometry, half_width_m: float | None = None
) -> list[LineString]:
    """The lines a feature's side part contributes, at its near edge and extended so sides meet."""
    lines = [g for g in getattr(part, "geoms", [part]) if g.geom_type == "LineString"]
    return [
        extend_line(near_edge(ref, side, line, half_width_m), EXTEND_M)
        for line in lines
        if line.length > 0
    ]


def choose_candidate(
    candidates: Sequence[Candidate], anchor: Point | None, side: str
) -> Candidate | None:
    """One candidate or, when a name is shared (水系, 围墙), the nearest on the right side.

    The anchor is the centre of the features that were found unambiguously, so a wall named for
    the north side is taken from the walls north of it (row 12 names 围墙 on two sides). Two
    namesakes far apart and about as near as each other (two 中山路 in one city) are not chosen
    between: None, and the caller reports them.
    """
    if len(candidates) == 1:
        return candidates[0]
    if not candidates or anchor is None:
        return None
    on_side = [
        c for c in candidates if towards(side, anchor, nearest_points(c.geometry, anchor)[0]) > 0
    ]
    nearest, *others = sorted(on_side or candidates, key=lambda c: c.geometry.distance(anchor))
    best = nearest.geometry.distance(anchor)
    for other in others:
        far_apart = other.geometry.distance(nearest.geometry) > SAME_PLACE_M
        if far_apart and other.geometry.distance(anchor) < CLEARLY_NEARER * best:
            return None
    return nearest


def candidates_text(candidates: Sequence[Candidate]) -> str:
    """The candidates of an ambiguous name, each with where it lies (plane metres)."""
    return "; ".join(
        f"{c.label} at ({p.x:.0f}, {p.y:.0f})"
        for c in candidates
        for p in [c.geometry.representative_point()]
    )


def enclosed_face(lines: list[LineString], resolved: list[tuple[str, Geometry]]) -> Polygon | None:
    """The smallest face of the noded lines that has every resolved feature on its side."""
    faces = list(polygonize(shapely.union_all(lines).geoms if lines else []))
    fitting = [f for f in faces if all(lies_on_side(part, f, side) for side, part in resolved)]
    return min(fitting, key=lambda f: f.area) if fitting else None


def outline_of_one_feature(parsed: ParsedBoundaries) -> str | None:
    """The name when all four sides are the same feature's own edges (兴波苑东侧边界 …)."""
    names = {
        ref.name
        for side in SIDES
        for ref in (parsed.sides[side].features if side in parsed.sides else ())
        if named_edge(ref) == side
    }
    all_sides = all(
        side in parsed.sides and len(parsed.sides[side].features) == 1 for side in SIDES
    )
    return names.pop() if all_sides and len(names) == 1 else None


def by_address(address: str, candidates: Sequence[Candidate]) -> Candidate | None:
    """The building whose address or name is part of the parcel's address text.

    A building stored once per alias (name, alt_name, old_name) is still one building.
    """
    buildings = {
        c.geometry.wkb: c
        for c in candidates
        if c.kind == "building" and any(k and k in address for k in (c.address, c.name))
    }
    return next(iter(buildings.values())) if len(buildings) == 1 else None


def as_match(found: "Match[Candidate] | list[Candidate]") -> Match[Candidate]:
    """A look-up's answer as a ``Match`` (a plain list: found under the same name)."""
    return found if isinstance(found, Match) else Match(list(found))


def digitize(
    parsed: ParsedBoundaries,
    lookup: Lookup,
    all_candidates: Sequence[Candidate],
) -> Digitized:
    """Digitize one parcel on the candidates' plane; ``lookup`` finds candidates by name."""
    if parsed.address and not parsed.sides:
        building = by_address(parsed.address, all_candidates)
        if building is None or building.geometry.geom_type not in ("Polygon", "MultiPolygon"):
            return Digitized(None, "address", unresolved=[f"no building found at {parsed.address}"])
        return Digitized(as_multipolygon(building.geometry), "address", used=[building.label])
    outline_name = outline_of_one_feature(parsed)
    if outline_name:
        found = [
            c
            for c in as_match(lookup(outline_name)).items
            if c.geometry.geom_type.endswith("Polygon")
        ]
        if len(found) != 1:
            return Digitized(
                None, "outline", unresolved=[f"no single outline named {outline_name}"]
            )
        return Digitized(as_multipolygon(found[0].geometry), "outline", used=[found[0].label])
    return _polygonize_sides(parsed, lookup)


def _polygonize_sides(parsed: ParsedBoundaries, lookup: Lookup) -> Digitized:
    result = Digitized(None, "sides")
    missing = [side for side in SIDES if side not in parsed.sides]
    if missing:
        result.unresolved.append(f"the text gives no {', '.join(missing)} side")
    refs = [
        (side, ref) for side in SIDES if side in parsed.sides for ref in parsed.sides[side].features
    ]
    matches = {ref.name: as_match(lookup(ref.name)) for _, ref in refs}
    unique = [m.items[0].geometry for m in matches.values() if len(m.items) == 1]
    anchor = shapely.union_all(unique).centroid if unique else None
    lines: list[LineString] = []
    resolved: list[tuple[str, Geometry]] = []
    for side, ref in refs:
        match = matches[ref.name]
        chosen = choose_candidate(match.items, anchor, side)
        if chosen is None:
            reason = (
                f"ambiguous: {candidates_text(match.items)}"
                if match.items
                else "not in the reference layer"
            )
            result.unresolved.append(f"{side} side: {ref.name} ({reason})")
            continue
        part = side_part(ref, side, chosen.geometry)
        lines += side_linework(ref, side, part, chosen.half_width_m)
        resolved.append((side, part))
        result.used.append(f"{side}: {chosen.label}{match.how(ref.name, chosen.name)}")
    if result.unresolved:
        return result
    face = enclosed_face(lines, resolved)
    if face is None:
        result.unresolved.append("no enclosed area has every named feature on its own side")
        return result
    result.geometry = as_multipolygon(face)
    return result


def as_multipolygon(geometry: Geometry) -> MultiPolygon:
    """A polygon as a one-part MultiPolygon; a MultiPolygon as is."""
    return geometry if isinstance(geometry, MultiPolygon) else MultiPolygon([geometry])
