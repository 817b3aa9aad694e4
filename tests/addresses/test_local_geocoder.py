"""Address look-up with the local gazetteer in PostGIS."""

import pytest
from geoalchemy2.shape import from_shape
from pyproj import Geod
from shapely import Point
from sqlalchemy import insert

from geo.addresses.local_geocoder import bracket, geocode_local
from geo.addresses.lookup import lookup_address
from geo.addresses.parse import parse_address
from geo.models import GazetteerEntry
from tests.support.plane import X0, Y0, line, lonlat

GEOD = Geod(ellps="WGS84")


@pytest.mark.parametrize(
    ("address", "parcel_id", "block"),
    [
        ("城北路592号", "JX2022-06", "城北板块"),
        ("嘉兴市南湖区城北路592号", "JX2022-06", "城北板块"),
        ("嘉兴城北路五百九十二号", "JX2022-06", "城北板块"),
        ("嘉兴市环城西路23号一楼及仓库", "JX2022-10", "老城板块"),
        ("环城西路23号", "JX2022-10", "老城板块"),
        ("大新弄17号", "JX2022-02", "城东板块"),
    ],
)
def test_numbered_addresses_in_the_plan_fall_in_their_parcels(session, address, parcel_id, block):
    answer = lookup_address(session, address)
    assert answer["quality"] == "exact"
    assert answer["inside"] is True
    assert [(p["id"], p["properties"]["block"]) for p in answer["parcels"]] == [(parcel_id, block)]
    assert answer["uncertainty_m"] > 0


def add(session, **values):
    defaults = {"geometry_source": "surveyed", "note": "test", "uncertainty_m": 5.0}
    session.execute(insert(GazetteerEntry).values(**(defaults | values)))


@pytest.fixture
def test_road(session):
    """A 1 km road going east, with known houses 10 and 30 (even side) and an odd range."""
    road = lonlat(line((0, 0), (1000, 0)))
    add(
        session,
        kind="road",
        name="测试路",
        district="南湖区",
        geom=from_shape(road, srid=4326),
        odd_from=1,
        odd_to=101,
    )
    for number, x in ((10, 200.0), (30, 600.0)):
        point = lonlat(Point(X0 + x, Y0))
        add(
            session,
            kind="address",
            name=f"测试路{number}号",
            road="测试路",
            house_number=number,
            district="南湖区",
            geom=from_shape(point, srid=4326),
        )
    return road


def distance_m(a, b):
    return GEOD.inv(a[0], a[1], b[0], b[1])[2]


def test_house_number_is_interpolated_between_two_known_points(session, test_road):
    result = geocode_local(session, parse_address("测试路20号"))
    assert result.quality == "interpolated"
    start = test_road.coords[0]
    along = distance_m(start, (result.location.lon, result.location.lat))
    assert 200 < along < 600
    assert along == pytest.approx(400, abs=2)  # halfway between 10 (200 m) and 30 (600 m)
    assert result.uncertainty_m == pytest.approx(5 + 200, abs=2)  # half the gap between them


def test_odd_numbers_use_the_road_range(session, test_road):
    result = geocode_local(session, parse_address("测试路51号"))
    assert result.quality == "interpolated"
    along = distance_m(test_road.coords[0], (result.location.lon, result.location.lat))
    assert along == pytest.approx(500, abs=2)  # (51 - 1) / (101 - 1) of 1 km


def test_number_outside_every_range_is_road_only(session, test_road):
    answer = lookup_address(session, "测试路999号")
    assert answer["quality"] == "road"
    assert answer["inside"] is None and answer["parcels"] == [] and answer["nearest"] is None
    assert "too coarse" in answer["message"]


def test_bracket_arithmetic():
    assert bracket([(2, 0.0), (10, 0.5), (20, 1.0)], 15) == (0.75, 0.25)
    assert bracket([(10, 0.5)], 15) is None
    assert bracket([(10, 0.5), (10, 0.5)], 10) == (0.5, 0.0)


def test_road_only_lists_parcels_along_the_road(session):
    answer = lookup_address(session, "嘉兴市城北路")
    assert answer["quality"] == "road" and answer["inside"] is None
    assert answer["parcels"] == [] and answer["nearest"] is None
    assert [p["id"] for p in answer["nearby"]["parcels"]] == ["JX2022-05", "JX2022-06", "JX2022-07"]
    assert "城北路" in answer["nearby"]["basis"]


def test_district_only_refuses_inside_or_outside(session):
    answer = lookup_address(session, "嘉兴市秀洲区某某路8号")
    assert answer["quality"] == "district"
    assert answer["inside"] is None and answer["parcels"] == []
    assert "某某路 is not in the gazetteer" in answer["message"]
    assert answer["uncertainty_m"] >= 10_000


@pytest.mark.parametrize(
    ("address", "words"),
    [
        ("杭州市西湖区文三路100号", "杭州市 is outside"),
        ("上海市人民路1号", "上海市 is outside"),
        ("广东省广州市中山路1号", "广东省 is outside"),
        ("不存在路5号", "不存在路 is not in the gazetteer"),
        ("一楼及仓库", "No road or district"),
    ],
)
def test_unplaceable_addresses_say_none_with_a_reason(session, address, words):
    answer = lookup_address(session, address)
    assert answer["quality"] == "none"
    assert answer["inside"] is None and answer["location"] is None
    assert words in answer["message"]
