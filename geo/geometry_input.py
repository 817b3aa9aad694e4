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
from geo.messages import message

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
        return message("geometry.not_finite")
    if all(_in_range(x, PLAUSIBLE_LON) for x in xs) and all(
        _in_range(y, PLAUSIBLE_LAT) for y in ys
    ):
        return None
    if all(_in_range(x, PLAUSIBLE_LAT) for x in xs) and all(
        _in_range(y, PLAUSIBLE_LON) for y in ys
    ):
        return message("geometry.lat_lon_swapped")
    if any(abs(x) > 180 for x in xs) or any(abs(y) > 90 for y in ys):
        return message("geometry.not_degrees")
    return message(
        "geometry.outside_china",
        lon_min=PLAUSIBLE_LON[0],
        lon_max=PLAUSIBLE_LON[1],
        lat_min=PLAUSIBLE_LAT[0],
        lat_max=PLAUSIBLE_LAT[1],
    )


def parse_input_geometry(
    raw: Any, where: str, allowed: tuple[str, ...], error: type[GeoError]
) -> Geometry:
    """Decode a GeoJSON geometry of an allowed type that is valid and lies in China.

    Raises ``error`` with a message that starts with ``where``.
    """
    if not isinstance(raw, dict) or raw.get("type") not in allowed:
        kind = raw.get("type") if isinstance(raw, dict) else type(raw).__name__
        raise error(
            message("geometry.wrong_type", allowed=" or ".join(allowed), where=where, kind=kind)
        )
    try:
        geometry = shape(raw)
    except (ShapelyError, ValueError, TypeError, AttributeError, IndexError, KeyError) as exc:
        raise error(message("geometry.malformed", where=where, exc=exc)) from None
    if geometry.is_empty:
        raise error(message("geometry.empty", where=where))
    count = shapely.get_num_coordinates(geometry)
    if count > MAX_VERTICES:
        raise error(
            message("geometry.too_many_vertices", limit=MAX_VERTICES, where=where, count=count)
        )
    problem = coordinate_problem(geometry)
    if problem:
        raise error(message("geometry.problem", where=where, problem=problem))
    if not geometry.is_valid:
        raise error(message("geometry.invalid", reason=explain_validity(geometry), where=where))
    return geometry


def read_json_file(path: Path, error: type[GeoError]) -> Any:
    """Read and decode a UTF-8 JSON file, raising ``error`` with the file and the reason."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise error(message("files.no_such_file", path=path)) from None
    except UnicodeDecodeError:
        raise error(message("files.not_utf8", path=path)) from None
    except OSError as exc:
        raise error(message("files.unreadable", reason=exc.strerror, path=path)) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise error(
            message("files.not_json", line=exc.lineno, column=exc.colno, reason=exc.msg, path=path)
        ) from None


def collection_features(collection: Any, error: type[GeoError], what: str) -> list[Any]:
    """The features of a decoded GeoJSON FeatureCollection, refused if it is not one or is empty."""
    if not isinstance(collection, dict) or collection.get("type") != "FeatureCollection":
        raise error(message("geometry.not_a_collection", what=what))
    features = collection.get("features")
    if not isinstance(features, list) or not features:
        raise error(message("geometry.no_features", what=what))
    return features
