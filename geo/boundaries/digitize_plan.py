"""Digitize a whole plan: every parcel's 四至 text on the reference layer, neighbours first.

A parcel that names another parcel of the plan (西至…4号地块) is digitized after it, so it can use
that parcel's digitized outline. A parcel that cannot be digitized keeps the shape it had (the
schematic one, or none for a freshly ingested row), and its note says why. A digitized area far
from the declared one is treated as a failure, since it means the reference layer does not
describe that parcel.
"""

from dataclasses import dataclass
from typing import Any

from shapely.geometry import shape

from geo.area import from_plane, m2_to_mu, to_plane
from geo.boundaries.digitize import Candidate, Digitized, as_multipolygon, digitize
from geo.boundaries.parse import parse_boundaries
from geo.boundaries.parsed import ParsedBoundaries
from geo.boundaries.reference import ReferenceRecord
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
    """Reference features on the measurement plane, labelled for provenance notes."""
    return [
        Candidate(r.name, r.kind, to_plane(r.geometry), f"{r.name} ({r.kind})", r.address)
        for r in records
    ]


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
    collection: dict[str, Any], reference: list[ReferenceRecord]
) -> list[DigitizeOutcome]:
    """Replace the geometries in ``collection`` with digitized ones where possible.

    Returns:
        One outcome per feature, in the collection's order.
    """
    references = reference_candidates(reference)
    features = collection["features"]
    parcel_names = {f["properties"]["name"] for f in features}
    # A parcel whose notice states no 四至 reads as one with no sides: nothing to digitize from.
    readings = [(f, parse_boundaries(f["properties"]["boundary_text"] or "")) for f in features]
    parcels: dict[str, Candidate] = {}
    outcomes: dict[str, DigitizeOutcome] = {}

    def lookup(name: str) -> list[Candidate]:
        return [c for c in references if c.name == name] + (
            [parcels[name]] if name in parcels else []
        )

    def waits(reading: tuple[dict[str, Any], ParsedBoundaries]) -> bool:
        feature, parsed = reading
        return names_other_parcels(parsed, feature["properties"]["name"], parcel_names)

    for feature, parsed in sorted(readings, key=waits):
        properties = feature["properties"]
        result = check_area(digitize(parsed, lookup, references), properties["declared_area_mu"])
        if result.geometry is not None:
            wgs84 = as_multipolygon(from_plane(result.geometry))
            feature["geometry"] = geojson_multipolygon(wgs84)
            properties["geometry_source"] = "digitized"
            properties["geometry_note"] = result.note()
            detail = f"{result.method}; {'; '.join(result.used)}"
        else:
            properties["geometry_note"] += f" Digitizing was tried and failed: {result.note()}"
            detail = "; ".join(result.unresolved)
        if feature["geometry"] is not None:  # an ingested row may have no shape at all yet
            parcels[properties["name"]] = Candidate(
                properties["name"],
                "parcel",
                to_plane(shape(feature["geometry"])),
                f"parcel {properties['name']} ({properties['id']}, {properties['geometry_source']})",
            )
        source = properties["geometry_source"] if feature["geometry"] is not None else "none"
        outcomes[properties["id"]] = DigitizeOutcome(properties["id"], source, detail)
    return [outcomes[f["properties"]["id"]] for f in features]
