"""Build data/parcels.geojson: schematic shapes first, then digitized ones where possible.

The schematic collection comes from the plan source (``geo.intake.schematic``); each parcel's
four-boundary text is then digitized against the reference layer
(``geo.boundaries.digitize_plan``), and a parcel that cannot be digitized keeps its schematic shape.
The reference layer is a file (the shipped GeoJSON, an OSM extract: ``geo.reference``) or the
layer stored in the database, read by the caller.
"""

from pathlib import Path
from typing import Any

from geo.boundaries.digitize_plan import DigitizeOutcome, digitize_collection
from geo.intake.schematic import build_schematic_collection
from geo.reference.layers import ReferenceLayer, read_reference_source


def build_parcels(
    plan_source: Path, reference: Path | ReferenceLayer | None
) -> tuple[dict[str, Any], list[DigitizeOutcome]]:
    """The parcels collection: schematic, then digitized against the reference layer if given."""
    collection = build_schematic_collection(plan_source)
    if reference is None:
        return collection, []
    layer = reference if isinstance(reference, ReferenceLayer) else read_reference_source(reference)
    return collection, digitize_collection(collection, layer.records, layer.label)
