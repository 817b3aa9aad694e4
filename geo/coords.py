"""Point coordinates as users give them: WGS84, or the offset datums of Chinese web maps.

Amap (高德) and Tencent maps publish GCJ-02 coordinates, Baidu publishes BD-09; both are offset
from WGS84 by several hundred metres in Jiaxing. Conversion uses prcoords, whose inverse
transforms iterate to centimetre precision instead of applying the one-step approximation.
"""

from dataclasses import dataclass
from enum import StrEnum

import prcoords

from geo.errors import InvalidInput, UnknownCrs
from geo.messages import message


class InputCrs(StrEnum):
    """Coordinate systems accepted for a look-up point."""

    WGS84 = "wgs84"
    GCJ02 = "gcj02"
    BD09 = "bd09"


@dataclass(frozen=True)
class LonLat:
    """A WGS84 longitude/latitude pair in degrees."""

    lon: float
    lat: float


def parse_crs(name: str) -> InputCrs:
    """Return the InputCrs for a user-given name, case-insensitively.

    >>> parse_crs("GCJ02")
    <InputCrs.GCJ02: 'gcj02'>
    """
    try:
        return InputCrs(name.strip().lower())
    except ValueError:
        accepted = ", ".join(c.value for c in InputCrs)
        raise UnknownCrs(message("coords.unknown_crs", accepted=accepted, name=name)) from None


def check_lon_lat(lon: float, lat: float) -> None:
    """Refuse a point outside the valid longitude/latitude range, in plain words."""
    if not -180 <= lon <= 180:
        raise InvalidInput(message("coords.longitude_out_of_range", lon=lon))
    if not -90 <= lat <= 90:
        raise InvalidInput(message("coords.latitude_out_of_range", lat=lat))


def to_wgs84(lon: float, lat: float, crs: InputCrs) -> LonLat:
    """Convert a point given in ``crs`` to WGS84.

    Outside mainland China the Chinese datums are not offset, so prcoords returns the point as is.
    """
    check_lon_lat(lon, lat)
    if crs is InputCrs.WGS84:
        return LonLat(lon, lat)
    # prcoords works in (lat, lon) order.
    source = prcoords.Coords(lat, lon)
    converted = (
        prcoords.gcj_wgs_bored(source) if crs is InputCrs.GCJ02 else prcoords.bd_wgs_bored(source)
    )
    return LonLat(lon=converted.lon, lat=converted.lat)


def from_wgs84(point: LonLat, crs: InputCrs) -> tuple[float, float]:
    """Convert a WGS84 point to ``crs``, returning (lon, lat); used by tests and the map's basemaps."""
    if crs is InputCrs.WGS84:
        return point.lon, point.lat
    source = prcoords.Coords(point.lat, point.lon)
    converted = prcoords.wgs_gcj(source) if crs is InputCrs.GCJ02 else prcoords.wgs_bd(source)
    return converted.lon, converted.lat
