"""Independent computations the tests compare the service with (pyproj and plain arithmetic)."""

from pyproj import Transformer
from shapely.geometry import shape

MU_M2 = 10_000 / 15
_TO_PLANE = Transformer.from_crs("EPSG:4326", "EPSG:4549", always_xy=True)


def area_mu_epsg4549(geojson_geometry: dict) -> float:
    """Planar area in mu on EPSG:4549: project each ring with pyproj, then the shoelace formula."""
    total = 0.0
    for polygon in shape(geojson_geometry).geoms:
        for index, ring in enumerate((polygon.exterior, *polygon.interiors)):
            xs, ys = _TO_PLANE.transform(*zip(*ring.coords, strict=True))
            twice = sum(xs[i] * ys[i + 1] - xs[i + 1] * ys[i] for i in range(len(xs) - 1))
            total += abs(twice) / 2 * (1 if index == 0 else -1)
    return total / MU_M2
