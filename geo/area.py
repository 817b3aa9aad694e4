"""Areas in square metres and in mu (亩).

Declared areas in Chinese plans are in mu; surveyors measure them on the CGCS2000 3-degree
Gauss-Kruger plane (EPSG:4549 for central meridian 120E, which covers Jiaxing), so that plane is
where zhengshou measures too. PostGIS computes the stored measured area; the functions here serve
code that must size or check a shape before it reaches the database.
"""

from functools import cache

import shapely
from pyproj import Transformer
from shapely import Geometry

MU_M2 = 10_000 / 15
"""Square metres in one mu (亩)."""

MEASUREMENT_CRS = "EPSG:4549"
"""CGCS2000 / 3-degree Gauss-Kruger CM 120E: the plane on which areas are measured."""


def m2_to_mu(area_m2: float) -> float:
    """Convert square metres to mu.

    >>> round(m2_to_mu(10_000), 6)
    15.0
    """
    return area_m2 / MU_M2


def mu_to_m2(area_mu: float) -> float:
    """Convert mu to square metres.

    >>> round(mu_to_m2(15), 6)
    10000.0
    """
    return area_mu * MU_M2


@cache
def _transformer(source: str, target: str) -> Transformer:
    return Transformer.from_crs(source, target, always_xy=True)


def to_plane(geometry: Geometry) -> Geometry:
    """Project a WGS84 lon/lat geometry onto the EPSG:4549 measurement plane."""
    return shapely.transform(
        geometry, _transformer("EPSG:4326", MEASUREMENT_CRS).transform, interleaved=False
    )


def from_plane(geometry: Geometry) -> Geometry:
    """Project an EPSG:4549 geometry back to WGS84 lon/lat."""
    return shapely.transform(
        geometry, _transformer(MEASUREMENT_CRS, "EPSG:4326").transform, interleaved=False
    )


def planar_area_m2(geometry: Geometry) -> float:
    """Area of a WGS84 geometry in m² on the Gauss-Kruger plane, as surveyors compute mu."""
    return to_plane(geometry).area
