"""Geometry coming in from files and requests: decoded, range-checked and validated.

Problems are reported in plain words with where they were found, so a planner can fix the file.
"""

import json
import math
from pathlib import Path
from typing import Any

import shapely
from shapely import Geometry
from shapely.errors import ShapelyError
from shapely.geometry import shape
from shapely.validation import explain_validity

from geo.errors import GeoError

# Mainland China and its seas, generously: a feature outside it is a mistake, most often
# coordinates written lat/lon instead of GeoJSON's lon/lat.
PLAUSIBLE_LON = (73.0, 136.0)
PLAUSIBLE_LAT = (3.0, 54.0)
MAX_VERTICES = 10_000
"""Vertices per geometry; a surveyed parcel has tens to hundreds."""


def _in_range(value: float, bounds: tuple[float, float]) -> bool:
    return bounds[0] <= value <= bounds[1]


def coordinate_problem(geometry: Geometry) -> str | None:
    """Say what is wrong with a geometry's coordinates, or None when they are plausible."""
    xs, ys = shapely.get_coordinates(geometry).T.tolist()
    if not all(math.isfinite(v) for v in (*xs, *ys)):
        return "a coordinate is not a finite number"
    if all(_in_range(x, PLAUSIBLE_LON) for x in xs) and all(
        _in_range(y, PLAUSIBLE_LAT) for y in ys
    ):
        return None
    if all(_in_range(x, PLAUSIBLE_LAT) for x in xs) and all(
        _in_range(y, PLAUSIBLE_LON) for y in ys
    ):
        return (
            "coordinates look like latitude/longitude; GeoJSON needs longitude first, then latitude"
        )
    if any(abs(x) > 180 for x in xs) or any(abs(y) > 90 for y in ys):
        return (
            "coordinates are outside longitude -180..180 / latitude -90..90: "
            "they must be WGS84 degrees (a projected CRS is not accepted)"
        )
    return (
        f"coordinates lie outside China (longitude {PLAUSIBLE_LON[0]:g}..{PLAUSIBLE_LON[1]:g}, "
        f"latitude {PLAUSIBLE_LAT[0]:g}..{PLAUSIBLE_LAT[1]:g})"
    )


def parse_input_geometry(
    raw: Any, where: str, allowed: tuple[str, ...], error: type[GeoError]
) -> Geometry:
    """Decode a GeoJSON geometry of an allowed type that is valid and lies in China.

    Raises ``error`` with a message that starts with ``where``.
    """
    if not isinstance(raw, dict) or raw.get("type") not in allowed:
        kind = raw.get("type") if isinstance(raw, dict) else type(raw).__name__
        raise error(f"{where}: geometry must be {' or '.join(allowed)}, not {kind}")
    try:
        geometry = shape(raw)
    except (ShapelyError, ValueError, TypeError, AttributeError, IndexError, KeyError) as exc:
        raise error(f"{where}: geometry coordinates are malformed ({exc})") from None
    if geometry.is_empty:
        raise error(f"{where}: geometry is empty")
    count = shapely.get_num_coordinates(geometry)
    if count > MAX_VERTICES:
        raise error(f"{where}: geometry has {count} vertices; the limit is {MAX_VERTICES}")
    problem = coordinate_problem(geometry)
    if problem:
        raise error(f"{where}: {problem}")
    if not geometry.is_valid:
        raise error(f"{where}: geometry is not valid: {explain_validity(geometry)}")
    return geometry


def read_json_file(path: Path, error: type[GeoError]) -> Any:
    """Read and decode a UTF-8 JSON file, raising ``error`` with the file and the reason."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise error(f"{path}: no such file") from None
    except UnicodeDecodeError:
        raise error(f"{path}: not UTF-8 text") from None
    except OSError as exc:
        raise error(f"{path}: cannot be read ({exc.strerror})") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise error(
            f"{path}: not JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from None


def collection_features(collection: Any, error: type[GeoError], what: str) -> list[Any]:
    """The features of a decoded GeoJSON FeatureCollection, refused if it is not one or is empty."""
    if not isinstance(collection, dict) or collection.get("type") != "FeatureCollection":
        raise error(f"the {what} is not a GeoJSON FeatureCollection")
    features = collection.get("features")
    if not isinstance(features, list) or not features:
        raise error(f"the {what} has no features")
    return features
