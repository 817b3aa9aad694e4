"""Parcel geometry going out as GeoJSON, as data/parcels.geojson stores it.

The schematic shapes and the digitized ones are written the same way, so a rebuilt file differs
from the last one only where a shape really changed.
"""

from typing import Any

from shapely import MultiPolygon

COORDINATE_DECIMALS = 7  # about 1 cm: rounding moves the area by far less than 0.01 %


def geojson_multipolygon(geometry: MultiPolygon) -> dict[str, Any]:
    """A GeoJSON MultiPolygon with coordinates rounded to COORDINATE_DECIMALS.

    >>> from shapely import box
    >>> geojson_multipolygon(MultiPolygon([box(120, 30, 120.123456789, 30.1)]))["coordinates"][0][0][0]
    [120.1234568, 30.0]
    """
    return {"type": "MultiPolygon", "coordinates": _rounded_coordinates(geometry)}


def _rounded_coordinates(geometry: MultiPolygon) -> list[Any]:
    return [
        [
            [[round(x, COORDINATE_DECIMALS), round(y, COORDINATE_DECIMALS)] for x, y in ring.coords]
            for ring in (polygon.exterior, *polygon.interiors)
        ]
        for polygon in geometry.geoms
    ]
