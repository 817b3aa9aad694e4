"""Parcels across China's Gauss-Kruger zones: places, squares drawn on a zone's plane, and the
areas pyproj gives independently of the service."""

import math
from decimal import Decimal

import shapely
from pyproj import Transformer
from shapely import LineString, MultiPolygon, Polygon
from sqlalchemy.orm import Session

from geo.intake.loader import load_parcels
from geo.intake.parcel_file import ParcelFile, ParcelRecord, PlanInfo

# (lon, lat, the zone whose central meridian is nearest), written out by hand: CM = 75 + 3 * (EPSG
# - 4534), so 113.6E (Zhengzhou, Henan) is nearer 114E (EPSG:4547) than 111E.
SITES = {
    "kashgar": (75.5, 39.5, 4534),
    "urumqi": (87.0, 43.8, 4538),
    "chengdu": (104.0, 30.7, 4544),
    "zhengzhou": (113.6, 34.75, 4547),
    "jiaxing": (120.7, 30.75, 4549),
    "harbin": (126.0, 45.75, 4551),
    "fuyuan": (134.8, 48.3, 4554),
}
HENAN = SITES["zhengzhou"]
ZONE_40 = 4549
"""CGCS2000 / 3-degree Gauss-Kruger CM 120E, the plane every parcel was measured on before."""
TEST_PLAN = PlanInfo(code="Z", title="分带测试计划", year=2098)
TEST_BLOCK = "分带测试"


def transformer(source: int, target: int) -> Transformer:
    return Transformer.from_crs(f"EPSG:{source}", f"EPSG:{target}", always_xy=True)


def on_plane(lon: float, lat: float, zone: int) -> tuple[float, float]:
    """A WGS84 point's easting and northing on a zone's plane."""
    return transformer(4326, zone).transform(lon, lat)


def to_lonlat(geometry, zone: int):
    """A shape drawn on a zone's plane, in WGS84 lon/lat."""
    return shapely.transform(geometry, transformer(zone, 4326).transform, interleaved=False)


def square(lon: float, lat: float, zone: int, side_m: float = 100.0) -> MultiPolygon:
    """A square of ``side_m`` metres drawn on a zone's plane, its south-west corner at lon/lat."""
    x, y = on_plane(lon, lat, zone)
    corners = [(x, y), (x + side_m, y), (x + side_m, y + side_m), (x, y + side_m)]
    return MultiPolygon([to_lonlat(Polygon(corners), zone)])


class PlaneAt:
    """Shapes drawn in metres on a zone's plane, relative to a place (as tests/support/plane.py
    draws them near Jiaxing on EPSG:4549), and returned in WGS84."""

    def __init__(self, lon: float, lat: float, zone: int) -> None:
        self.zone = zone
        self.x0, self.y0 = on_plane(lon, lat, zone)

    def rectangle(self, x: float, y: float, width: float, height: float) -> MultiPolygon:
        x1, y1 = self.x0 + x, self.y0 + y
        corners = [(x1, y1), (x1 + width, y1), (x1 + width, y1 + height), (x1, y1 + height)]
        return MultiPolygon([to_lonlat(Polygon(corners), self.zone)])

    def line(self, *points: tuple[float, float]) -> LineString:
        line = LineString([(self.x0 + x, self.y0 + y) for x, y in points])
        return to_lonlat(line, self.zone)

    def relative(self, geometry):
        """A WGS84 shape back on this plane, in metres from the place."""
        forward = transformer(4326, self.zone)

        def shift(x, y):
            px, py = forward.transform(x, y)
            return px - self.x0, py - self.y0

        return shapely.transform(geometry, shift, interleaved=False)


def pyproj_area_m2(geometry: MultiPolygon, zone: int) -> float:
    """The area of a WGS84 shape on a zone's plane: pyproj for each vertex, then the shoelace."""
    total = 0.0
    for polygon in geometry.geoms:
        for index, ring in enumerate((polygon.exterior, *polygon.interiors)):
            xs, ys = transformer(4326, zone).transform(*zip(*ring.coords, strict=True))
            twice = sum(xs[i] * ys[i + 1] - xs[i + 1] * ys[i] for i in range(len(xs) - 1))
            total += abs(twice) / 2 * (1 if index == 0 else -1)
    return total


def scale_factor(lon: float, lat: float, central_meridian: float) -> float:
    """The Gauss-Kruger point scale factor to fourth order (Snyder, Map Projections, 8-13).

    Not pyproj: an independent reason for how much a plane far from its meridian enlarges areas.
    """
    e2 = 0.00669438002290  # GRS80/CGCS2000 first eccentricity squared
    ep2 = e2 / (1 - e2)
    phi, dl = math.radians(lat), math.radians(lon - central_meridian)
    t, c = math.tan(phi) ** 2, ep2 * math.cos(phi) ** 2
    a = dl * math.cos(phi)
    return 1 + (1 + c) * a**2 / 2 + (5 - 4 * t + 42 * c + 13 * c**2 - 28 * ep2) * a**4 / 24


def record(seq: int, geometry: MultiPolygon | None, **changes) -> ParcelRecord:
    """A parcel of the zone test plan; a shape is surveyed, no shape is 'none'."""
    values = {
        "id": f"Z-{seq:02d}",
        "seq": seq,
        "block": TEST_BLOCK,
        "name": f"{seq}号分带地块",
        "boundary_text": "东至甲路，南至乙河，西至丙路，北至丁路",
        "declared_area_mu": Decimal(15),
        "interest_type": "测试",
        "implementing_unit": "测试",
        "geometry_source": "surveyed" if geometry is not None else "none",
        "geometry_note": "test shape" if geometry is not None else "not located yet",
        "geometry": geometry,
    }
    return ParcelRecord(**(values | changes))


def load(session: Session, *records: ParcelRecord) -> None:
    """Load parcels as the zone test plan through the loader (the one write path)."""
    load_parcels(session, ParcelFile(TEST_PLAN, records))
