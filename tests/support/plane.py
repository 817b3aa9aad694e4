"""Hand-made shapes drawn on the EPSG:4549 plane, where the right answers are known."""

import shapely
from pyproj import Transformer
from shapely import LineString, MultiPolygon, Polygon

X0, Y0 = 572_000.0, 3_402_000.0  # near Jiaxing on CGCS2000 / 3-degree GK CM 120E
_TO_LONLAT = Transformer.from_crs("EPSG:4549", "EPSG:4326", always_xy=True).transform


def rectangle(x: float, y: float, width: float, height: float) -> Polygon:
    """An axis-aligned rectangle, lower-left corner at (X0 + x, Y0 + y)."""
    x1, y1 = X0 + x, Y0 + y
    return Polygon([(x1, y1), (x1 + width, y1), (x1 + width, y1 + height), (x1, y1 + height)])


def line(*points: tuple[float, float]) -> LineString:
    """A line through points given relative to (X0, Y0)."""
    return LineString([(X0 + x, Y0 + y) for x, y in points])


def lonlat(geometry):
    """The same shape in WGS84 lon/lat."""
    return shapely.transform(geometry, _TO_LONLAT, interleaved=False)


def multi(polygon: Polygon) -> MultiPolygon:
    return MultiPolygon([polygon])
