"""Digitize a whole plan: every parcel's 四至 text on the reference layer, neighbours first.

A parcel that names another parcel of the plan (西至…4号地块) is digitized after it, so it can use
that parcel's digitized outline. A parcel that cannot be digitized keeps the shape it had (the
schematic one, or none for a freshly ingested row), and its note says why. A digitized area far
from the declared one is treated as a failure, since it means the reference layer does not
describe that parcel.

Each parcel is digitized on the Gauss-Kruger plane of the features its text names (the zone whose
central meridian is nearest them), so a notice from Henan is drawn on its own zone, not on
Jiaxing's; the reference layer is projected once per zone it is needed in.
"""

import statistics
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from shapely import Geometry
from shapely.geometry import shape

from geo.area import DEFAULT_PLANE_EPSG, from_plane, m2_to_mu, to_plane, zone_epsg
from geo.boundaries.digitize import Candidate, Digitized, as_multipolygon, by_address, digitize
from geo.boundaries.names import Match, NameIndex, merge_touching, merged
from geo.boundaries.parse import parse_boundaries
from geo.boundaries.parsed import ParsedBoundaries
from geo.boundaries.reference import ReferenceRecord, layer_label
from geo.geometry_output import geojson_multipolygon

MAX_AREA_DEVIATION = 0.5
"""A digitized shape whose area is off the declared one by more than this share is rejected."""


@dataclass(frozen=True)
class DigitizeOutcome:
    """What digitizing did to one parcel's shape."""

    id: str
    geometry_source: str
    detail: str

    def summary(self) -> str:
        """One line for people."""
        return f"{self.id:<12} {self.geometry_source:<10} {self.detail}"


def reference_candidates(records: list[ReferenceRecord]) -> list[Candidate]:
    """Reference features in WGS84, labelled for provenance notes."""
    return [
        Candidate(r.name, r.kind, r.geometry, f"{r.name} ({r.kind})", r.address, r.half_width_m)
        for r in records
    ]


def on_plane(candidate: Candidate, zone: int) -> Candidate:
    """A WGS84 candidate projected onto zone ``zone``'s plane."""
    return replace(candidate, geometry=to_plane(candidate.geometry, zone))


def merge_pieces(candidates: list[Candidate]) -> list[Candidate]:
    """Touching features of one kind merged into one: a road a basemap splits into ways."""
    merged_candidates = []
    for kind in dict.fromkeys(c.kind for c in candidates):
        same_kind = [c for c in candidates if c.kind == kind]
        for group in merge_touching([c.geometry for c in same_kind]):
            pieces = [same_kind[i] for i in group]
            if len(pieces) == 1:
                merged_candidates.append(pieces[0])
                continue
            widths = [p.half_width_m for p in pieces if p.half_width_m is not None]
            merged_candidates.append(
                replace(
                    pieces[0],
                    geometry=merged([p.geometry for p in pieces]),
                    label=f"{pieces[0].label}, {len(pieces)} pieces",
                    half_width_m=max(widths) if widths else None,
                )
            )
    return merged_candidates


class PlanLayers:
    """The reference layer and the plan's parcels so far, in WGS84 and on any zone's plane.

    Only what a text names is projected (and the buildings, for addresses), so a province's
    extract costs a name look-up per feature named, not a projection of the whole layer.
    """

    def __init__(self, records: list[ReferenceRecord]) -> None:
        """Hold the reference layer, indexed by name; nothing is projected yet."""
        self.references = reference_candidates(records)
        self.index = NameIndex(self.references, lambda c: c.name)
        self.parcels: dict[str, Candidate] = {}
        self._buildings: dict[int, list[Candidate]] = {}

    def named(self, name: str) -> list[Candidate]:
        """The reference features, then the parcel, of that name, in WGS84."""
        return self.index.find(name).items + ([self.parcels[name]] if name in self.parcels else [])

    def zone_for(self, parsed: ParsedBoundaries, own: Geometry | None) -> int:
        """The zone to digitize a parcel on: that of the features its text names.

        Failing those, the building at its address, its own (schematic) shape, the whole
        reference layer; the median longitude keeps a far namesake from moving the plane.
        """
        names = sorted({ref.name for side in parsed.sides.values() for ref in side.features})
        found = [c.geometry for name in names for c in self.named(name)]
        if not found and parsed.address:
            building = by_address(parsed.address, self.references)
            found = [building.geometry] if building else []
        if not found:
            found = [own] if own is not None else [c.geometry for c in self.references]
        if not found:
            return DEFAULT_PLANE_EPSG
        return zone_epsg(statistics.median(g.centroid.x for g in found))

    def plane(self, zone: int) -> tuple[list[Candidate], Callable[[str], Match[Candidate]]]:
        """The buildings on zone ``zone``'s plane, and a look-up by name there."""
        if zone not in self._buildings:
            self._buildings[zone] = [
                on_plane(c, zone) for c in self.references if c.kind == "building"
            ]

        def lookup(name: str) -> Match[Candidate]:
            match = self.index.find(name)
            found = merge_pieces([on_plane(c, zone) for c in match.items])
            parcel = self.parcels.get(name)
            return Match(found + ([on_plane(parcel, zone)] if parcel else []), match.level)

        return self._buildings[zone], lookup


def names_other_parcels(parsed: ParsedBoundaries, own_name: str, parcel_names: set[str]) -> bool:
    """Whether a parcel's text names another parcel of the plan, so it must wait for it."""
    return any(
        ref.name in parcel_names and ref.name != own_name
        for side in parsed.sides.values()
        for ref in side.features
    )


def check_area(result: Digitized, declared_mu: float | None) -> Digitized:
    """Reject a digitized shape whose area is far from the declared one (if one is declared)."""
    if result.geometry is None or declared_mu is None:
        return result
    measured_mu = m2_to_mu(result.geometry.area)
    if abs(measured_mu - declared_mu) > MAX_AREA_DEVIATION * declared_mu:
        result.unresolved.append(
            f"the enclosed area is {measured_mu:.2f} 亩 against {declared_mu:g} 亩 declared, "
            "so the reference layer does not describe this parcel"
        )
        result.geometry = None
    return result


def digitize_collection(
    collection: dict[str, Any], reference: list[ReferenceRecord], layer: str | None = None
) -> list[DigitizeOutcome]:
    """Replace the geometries in ``collection`` with digitized ones where possible.

    ``layer`` names the reference layer in each digitized shape's note; by default the one the
    features' notes name (``geo.boundaries.reference.layer_label``).

    Returns:
        One outcome per feature, in the collection's order.
    """
    layer = layer or layer_label(reference)
    layers = PlanLayers(reference)
    features = collection["features"]
    parcel_names = {f["properties"]["name"] for f in features}
    # A parcel whose notice states no 四至 reads as one with no sides: nothing to digitize from.
    readings = [(f, parse_boundaries(f["properties"]["boundary_text"] or "")) for f in features]
    outcomes: dict[str, DigitizeOutcome] = {}

    def waits(reading: tuple[dict[str, Any], ParsedBoundaries]) -> bool:
        feature, parsed = reading
        return names_other_parcels(parsed, feature["properties"]["name"], parcel_names)

    for feature, parsed in sorted(readings, key=waits):
        properties = feature["properties"]
        own = shape(feature["geometry"]) if feature["geometry"] is not None else None
        zone = layers.zone_for(parsed, own)
        references, lookup = layers.plane(zone)
        result = check_area(digitize(parsed, lookup, references), properties["declared_area_mu"])
        if result.geometry is not None:
            wgs84 = as_multipolygon(from_plane(result.geometry, zone))
            feature["geometry"] = geojson_multipolygon(wgs84)
            properties["geometry_source"] = "digitized"
            properties["geometry_note"] = result.note(layer)
            detail = f"{result.method}; {'; '.join(result.used)}"
        else:
            properties["geometry_note"] += f" Digitizing was tried and failed: {result.note()}"
            detail = "; ".join(result.unresolved)
        if feature["geometry"] is not None:  # an ingested row may have no shape at all yet
            layers.parcels[properties["name"]] = Candidate(
                properties["name"],
                "parcel",
                shape(feature["geometry"]),
                f"parcel {properties['name']} ({properties['id']}, {properties['geometry_source']})",
            )
        source = properties["geometry_source"] if feature["geometry"] is not None else "none"
        outcomes[properties["id"]] = DigitizeOutcome(properties["id"], source, detail)
    return [outcomes[f["properties"]["id"]] for f in features]
