"""Build data/parcels.geojson: schematic shapes first, then digitized ones where possible.

Each parcel's four-boundary text is digitized against the reference layer. A parcel that names
another parcel of the plan (西至…4号地块) is digitized after it, so it can use that parcel's
digitized outline. A parcel that cannot be digitized keeps its schematic shape, and its note says
why. A digitized area far from the declared one is treated as a failure, since it means the
reference layer does not describe that parcel.
"""

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from shapely.geometry import shape

from geo.area import from_plane, m2_to_mu, to_plane
from geo.boundaries.digitize import Candidate, Digitized, as_multipolygon, digitize
from geo.boundaries.parse import parse_boundaries
from geo.boundaries.reference import ReferenceRecord, read_reference_file
from geo.intake.schematic import build_schematic_collection, geojson_multipolygon

MAX_AREA_DEVIATION = 0.5
"""A digitized shape whose area is off the declared one by more than this share is rejected."""


@dataclass(frozen=True)
class BuildOutcome:
    """What happened to one parcel during the build."""

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


def names_other_parcels(feature: dict[str, Any], parcel_names: set[str]) -> bool:
    """Whether a parcel's text names another parcel of the plan, so it must wait for it."""
    parsed = parse_boundaries(feature["properties"]["boundary_text"])
    own = feature["properties"]["name"]
    return any(
        ref.name in parcel_names and ref.name != own
        for side in parsed.sides.values()
        for ref in side.features
    )


def check_area(result: Digitized, declared_mu: float) -> Digitized:
    """Reject a digitized shape whose area is far from the declared one."""
    if result.geometry is None:
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
) -> list[BuildOutcome]:
    """Replace schematic geometries in ``collection`` with digitized ones where possible."""
    references = reference_candidates(reference)
    features = collection["features"]
    parcel_names = {f["properties"]["name"] for f in features}
    parcels: dict[str, Candidate] = {}
    outcomes: dict[str, BuildOutcome] = {}

    def lookup(name: str) -> list[Candidate]:
        return [c for c in references if c.name == name] + (
            [parcels[name]] if name in parcels else []
        )

    for feature in sorted(features, key=lambda f: names_other_parcels(f, parcel_names)):
        properties = feature["properties"]
        parsed = parse_boundaries(properties["boundary_text"])
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
        outcomes[properties["id"]] = BuildOutcome(properties["id"], source, detail)
    return [outcomes[f["properties"]["id"]] for f in features]


def build_parcels(
    plan_source: Path, reference_file: Path | None
) -> tuple[dict[str, Any], list[BuildOutcome]]:
    """The parcels collection: schematic, then digitized against the reference layer if given."""
    collection = build_schematic_collection(plan_source)
    if reference_file is None:
        return collection, []
    return collection, digitize_collection(collection, read_reference_file(reference_file))
