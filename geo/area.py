"""Areas in square metres and in mu (亩), and the Gauss-Kruger planes they are measured on.

Declared areas in Chinese plans are in mu; surveyors measure them on a CGCS2000 3-degree
Gauss-Kruger plane, the zone whose central meridian is nearest the land (EPSG:4549, central
meridian 120E, for Jiaxing; EPSG:4547, 114E, for Zhengzhou). zhengshou measures on
the same plane: each parcel's ``zone_epsg`` column is its zone and ``measured_area_m2`` is
computed there by PostGIS (``geo.models.ZONE_EPSG_SQL``, the SQL twin of :func:`zone_epsg`). The
functions here serve code that must size or check a shape before it reaches the database.
"""

from functools import cache

import shapely
from pyproj import Transformer
from shapely import Geometry

from geo.messages import message

MU_M2 = 10_000 / 15
"""Square metres in one mu (亩)."""

FIRST_ZONE_EPSG = 4534
"""CGCS2000 / 3-degree Gauss-Kruger CM 75E, the westernmost zone that covers China."""
LAST_ZONE_EPSG = 4554
"""CGCS2000 / 3-degree Gauss-Kruger CM 135E, the easternmost."""
ZONE_EPSGS = range(FIRST_ZONE_EPSG, LAST_ZONE_EPSG + 1)
"""The 21 zones without the zone number in the easting (plain eastings near 500 000 m)."""
FIRST_MERIDIAN = 75
ZONE_WIDTH_DEG = 3
PREFIXED_EPSG_SHIFT = 21
"""EPSG:4513 … 4533 are the same zones with the zone number in front of the easting."""

DEFAULT_PLANE_EPSG = 4549
"""CGCS2000 / 3-degree Gauss-Kruger CM 120E: the plane of the first plan (Jiaxing), and the zone
:func:`from_plane` assumes when told none, as its callers assumed before zones were chosen."""


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


def zone_epsg(lon: float) -> int:
    """The CGCS2000 3-degree zone (EPSG) whose central meridian is nearest a longitude.

    Longitudes beyond China's zones take the first or last zone. Python's ``round`` breaks ties
    to even, as PostgreSQL's ``round(double precision)`` does, so at 1.5 degrees from two
    meridians both pick the same zone.

    >>> zone_epsg(120.7), zone_epsg(113.6), zone_epsg(60.0), zone_epsg(140.0)
    (4549, 4547, 4534, 4554)
    """
    step = round((lon - FIRST_MERIDIAN) / ZONE_WIDTH_DEG)
    return FIRST_ZONE_EPSG + min(len(ZONE_EPSGS) - 1, max(0, step))


def zone_of(geometry: Geometry) -> int:
    """The zone of a WGS84 geometry: the one nearest its centroid, as PostGIS picks it."""
    return zone_epsg(geometry.centroid.x)


def zone_number(epsg: int) -> int:
    """The 3-degree zone number (central meridian / 3) of a zone's plain EPSG code.

    >>> zone_number(4549), zone_number(4546)
    (40, 37)
    """
    return central_meridian(epsg) // ZONE_WIDTH_DEG


def central_meridian(epsg: int) -> int:
    """A zone's central meridian in degrees east.

    >>> central_meridian(4549)
    120
    """
    if epsg not in ZONE_EPSGS:
        raise ValueError(f"EPSG:{epsg} is not a CGCS2000 3-degree zone (EPSG:4534 … 4554)")
    return FIRST_MERIDIAN + ZONE_WIDTH_DEG * (epsg - FIRST_ZONE_EPSG)


def zone_by_number(number: int) -> int | None:
    """The plain EPSG code of 3-degree zone ``number`` (25 … 45), or None outside China's zones.

    >>> zone_by_number(40), zone_by_number(38), zone_by_number(46)
    (4549, 4547, None)
    """
    epsg = FIRST_ZONE_EPSG + number - FIRST_MERIDIAN // ZONE_WIDTH_DEG
    return epsg if epsg in ZONE_EPSGS else None


def prefixed_epsg(epsg: int) -> int:
    """The EPSG code of the same zone with the zone number in front of the easting.

    >>> prefixed_epsg(4549)
    4528
    """
    central_meridian(epsg)  # refuses anything but a zone
    return epsg - PREFIXED_EPSG_SHIFT


def describe_zone(epsg: int) -> str:
    """A zone for people: its EPSG code and central meridian.

    >>> describe_zone(4546)
    'EPSG:4546 (CGCS2000 / 3-degree Gauss-Kruger CM 111E)'
    """
    return message("coords.zone", meridian=central_meridian(epsg), epsg=epsg)


@cache
def _transformer(source: str, target: str) -> Transformer:
    return Transformer.from_crs(source, target, always_xy=True)


def to_plane(geometry: Geometry, zone: int | None = None) -> Geometry:
    """Project a WGS84 lon/lat geometry onto a Gauss-Kruger plane: ``zone``, or its own zone."""
    zone = zone_of(geometry) if zone is None else zone
    return shapely.transform(
        geometry, _transformer("EPSG:4326", f"EPSG:{zone}").transform, interleaved=False
    )


def from_plane(geometry: Geometry, zone: int = DEFAULT_PLANE_EPSG) -> Geometry:
    """Project a geometry on zone ``zone``'s plane back to WGS84 lon/lat.

    Plane coordinates do not say which zone they are in (every zone's eastings are near
    500 000 m), so callers pass the zone they projected with.
    """
    return shapely.transform(
        geometry, _transformer(f"EPSG:{zone}", "EPSG:4326").transform, interleaved=False
    )


def planar_area_m2(geometry: Geometry, zone: int | None = None) -> float:
    """Area of a WGS84 geometry in m² on the Gauss-Kruger plane, as surveyors compute mu.

    The plane is ``zone``, or the geometry's own zone, as for the stored measured area.
    """
    return to_plane(geometry, zone).area
