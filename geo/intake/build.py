"""Build data/parcels.geojson: schematic shapes first, then digitized ones where possible.

The schematic collection comes from the plan source (``geo.intake.schematic``); each parcel's
four-boundary text is then digitized against the reference layer
(``geo.boundaries.digitize_plan``), and a parcel that cannot be digitized keeps its schematic shape.
"""

from pathlib import Path
from typing import Any

from geo.boundaries.digitize_plan import DigitizeOutcome, digitize_collection
from geo.boundaries.reference import read_reference_file
from geo.intake.schematic import build_schematic_collection


def build_parcels(
    plan_source: Path, reference_file: Path | None
) -> tuple[dict[str, Any], list[DigitizeOutcome]]:
    """The parcels collection: schematic, then digitized against the reference layer if given."""
    collection = build_schematic_collection(plan_source)
    if reference_file is None:
        return collection, []
    return collection, digitize_collection(collection, read_reference_file(reference_file))
