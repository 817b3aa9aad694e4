import math

import pytest
from pyproj import Geod, Transformer
from shapely import Polygon

from geo.area import MU_M2, m2_to_mu, planar_area_m2
from geo.coords import InputCrs, LonLat, from_wgs84, parse_crs, to_wgs84
from geo.errors import InvalidInput, UnknownCrs


def test_mu_is_ten_thousand_fifteenths_of_a_square_metre():
    assert pytest.approx(666.6667, abs=1e-4) == MU_M2
    assert m2_to_mu(10_000) == pytest.approx(15)


def test_planar_area_of_a_square_drawn_on_epsg_4549():
    to_lonlat = Transformer.from_crs("EPSG:4549", "EPSG:4326", always_xy=True)
    x0, y0, side = 572_000, 3_402_000, 100.0
    corners = [(x0, y0), (x0 + side, y0), (x0 + side, y0 + side), (x0, y0 + side)]
    square = Polygon([to_lonlat.transform(x, y) for x, y in corners])
    assert planar_area_m2(square) == pytest.approx(10_000, rel=1e-6)
    # The ellipsoidal area differs only by the Gauss-Kruger scale factor near the meridian.
    geodesic, _ = Geod(ellps="GRS80").geometry_area_perimeter(square)
    assert abs(geodesic) == pytest.approx(10_000, rel=2e-3)


@pytest.mark.parametrize("name", ["wgs84", "GCJ02", " bd09 "])
def test_crs_names_are_accepted_case_insensitively(name):
    assert parse_crs(name).value == name.strip().lower()


def test_unknown_crs_names_the_accepted_ones():
    with pytest.raises(UnknownCrs, match="wgs84, gcj02, bd09"):
        parse_crs("epsg:3857")


@pytest.mark.parametrize("crs", [InputCrs.GCJ02, InputCrs.BD09])
def test_chinese_datums_round_trip_to_centimetres(crs):
    point = LonLat(120.7555, 30.7576)
    lon, lat = from_wgs84(point, crs)
    # The offset in Jiaxing is hundreds of metres, so a no-op conversion would fail here.
    assert math.dist((lon, lat), (point.lon, point.lat)) > 0.003
    back = to_wgs84(lon, lat, crs)
    assert back.lon == pytest.approx(point.lon, abs=1e-6)
    assert back.lat == pytest.approx(point.lat, abs=1e-6)


@pytest.mark.parametrize(("lon", "lat"), [(181, 30), (120, 91), (-181, 0), (0, -90.5)])
def test_out_of_range_points_are_refused(lon, lat):
    with pytest.raises(InvalidInput):
        to_wgs84(lon, lat, InputCrs.WGS84)
