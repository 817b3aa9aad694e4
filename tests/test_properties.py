"""Property-based tests (hypothesis) of the geo functions: parser, addresses, datums, areas, digitizer."""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyproj import Transformer
from shapely import Polygon

from geo.addresses.parse import parse_address
from geo.area import MU_M2, m2_to_mu, mu_to_m2, planar_area_m2
from geo.boundaries.digitize import Candidate, digitize
from geo.boundaries.parse import parse_boundaries
from geo.coords import InputCrs, LonLat, from_wgs84, to_wgs84
from geo.errors import InvalidAddress
from tests.support.plane import X0, Y0, line

CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
FOUR_BOUNDARY_WORDS = st.sampled_from(
    [*"东南西北至到临邻，,；;、和及-（）() 号路街弄港河苑墙", "地块", "边界", "现状", "原"]
)
TEXT = st.lists(st.one_of(FOUR_BOUNDARY_WORDS, CJK, st.characters()), max_size=60).map("".join)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(TEXT)
def test_parser_never_raises_and_always_serialises(text):
    parsed = parse_boundaries(text)
    json.dumps(parsed.to_dict(), ensure_ascii=False)
    for side in parsed.sides.values():
        assert side.features and all(ref.name for ref in side.features)


@SETTINGS
@given(TEXT)
def test_address_parser_answers_or_refuses_in_plain_words(text):
    try:
        parsed = parse_address(text)
    except InvalidAddress as exc:
        assert str(exc)
    else:
        json.dumps(parsed.to_dict(), ensure_ascii=False)
        assert parsed.house_number is None or parsed.house_number >= 0


@SETTINGS
@given(
    st.floats(min_value=98.0, max_value=134.0),
    st.floats(min_value=18.0, max_value=53.0),
    st.sampled_from([InputCrs.GCJ02, InputCrs.BD09]),
)
def test_chinese_datums_round_trip_anywhere_in_china(lon, lat, crs):
    shifted = from_wgs84(LonLat(lon, lat), crs)
    back = to_wgs84(*shifted, crs)
    assert back.lon == pytest.approx(lon, abs=1e-6) and back.lat == pytest.approx(lat, abs=1e-6)


_TO_LONLAT = Transformer.from_crs("EPSG:4549", "EPSG:4326", always_xy=True)


@SETTINGS
@given(st.floats(min_value=1, max_value=2000), st.floats(min_value=1, max_value=2000))
def test_planar_area_of_rectangles_drawn_on_the_plane(width, height):
    corners = [(X0, Y0), (X0 + width, Y0), (X0 + width, Y0 + height), (X0, Y0 + height)]
    rectangle = Polygon([_TO_LONLAT.transform(x, y) for x, y in corners])
    assert planar_area_m2(rectangle) == pytest.approx(width * height, rel=1e-6)
    assert mu_to_m2(m2_to_mu(width * height)) == pytest.approx(width * height)
    assert pytest.approx(10_000 / 15) == MU_M2


@SETTINGS
@given(
    st.floats(min_value=20, max_value=400),
    st.floats(min_value=20, max_value=400),
    st.floats(min_value=7, max_value=30),
)
def test_digitizer_encloses_the_block_between_any_four_roads(width, height, offset):
    # Centrelines `offset` m outside each edge; 路 is read to its near edge (6 m half-width).
    roads = {
        "甲路": line((width + offset, -500), (width + offset, height + 500)),
        "乙路": line((-500, -offset), (width + 500, -offset)),
        "丙路": line((-offset, -500), (-offset, height + 500)),
        "丁路": line((-500, height + offset), (width + 500, height + offset)),
    }
    pool = [Candidate(name, "road", geometry, name) for name, geometry in roads.items()]
    result = digitize(
        parse_boundaries("东至甲路，南至乙路，西至丙路，北至丁路"),
        lambda name: [c for c in pool if c.name == name],
        pool,
    )
    assert result.ok
    expected = (width + 2 * (offset - 6)) * (height + 2 * (offset - 6))
    assert result.geometry.area == pytest.approx(expected, rel=1e-6)
