"""The digitizer on hand-made reference features whose enclosed shape is known."""

import pytest
from shapely import MultiPolygon

from geo.boundaries.digitize import Candidate, digitize
from geo.boundaries.parse import parse_boundaries
from tests.support.plane import line, rectangle

# A 100 m x 80 m block: centrelines 8 m outside each edge, long enough to cross. 至X路 reaches
# the near edge of a road, so the assumed half-widths come off: 路 6 m, 河 5 m. Between the
# near edges the block runs from x = -2 to 102 and from y = -3 to 82.
EXPECTED_AREA = (102 - -2) * (82 - -3)
ROADS = {
    "甲路": line((108, -60), (108, 140)),
    "乙河": line((-60, -8), (160, -8)),
    "丙路": line((-8, -60), (-8, 140)),
    "丁路": line((-60, 88), (160, 88)),
}


def candidates(features: dict, kind: str = "road") -> list[Candidate]:
    return [Candidate(name, kind, geometry, name) for name, geometry in features.items()]


def run(text: str, pool: list[Candidate]):
    def lookup(name):
        return [c for c in pool if c.name == name]

    return digitize(parse_boundaries(text), lookup, pool)


def test_four_roads_enclose_the_block_between_them():
    result = run("东至甲路，南至乙河，西至丙路，北至丁路", candidates(ROADS))
    assert result.ok and result.method == "sides"
    assert isinstance(result.geometry, MultiPolygon)
    assert result.geometry.area == pytest.approx(EXPECTED_AREA)
    assert result.geometry.symmetric_difference(rectangle(-2, -3, 104, 85)).area < 1e-6
    assert len(result.used) == 4


def test_short_lines_are_extended_until_they_meet():
    short = {
        "甲路": line((108, 10), (108, 70)),
        "乙河": line((10, -8), (90, -8)),
        "丙路": line((-8, 10), (-8, 70)),
        "丁路": line((10, 88), (90, 88)),
    }
    result = run("东至甲路，南至乙河，西至丙路，北至丁路", candidates(short))
    assert result.ok
    assert result.geometry.area == pytest.approx(EXPECTED_AREA)


def test_a_neighbouring_estate_gives_its_facing_edge():
    pool = candidates({k: v for k, v in ROADS.items() if k != "甲路"})
    pool.append(Candidate("某小区", "estate", rectangle(104, -40, 60, 160), "某小区"))
    result = run("东至某小区，南至乙河，西至丙路，北至丁路", pool)
    assert result.ok
    assert result.geometry.area == pytest.approx((104 - -2) * 85)  # its west edge is at x = 104


def test_all_sides_an_estates_own_edges_take_its_outline():
    estate = rectangle(0, 0, 120, 90)
    pool = [Candidate("兴波苑", "estate", estate, "兴波苑")]
    text = "东至兴波苑东侧边界，南至兴波苑南侧边界，西至兴波苑西侧边界，北至兴波苑北侧边界"
    result = run(text, pool)
    assert result.ok and result.method == "outline"
    assert result.geometry.area == pytest.approx(120 * 90)


def test_address_takes_the_building_there():
    building = Candidate(
        "环城西路23号", "building", rectangle(0, 0, 40, 40), "x", "嘉兴市环城西路23号"
    )
    result = run("嘉兴市环城西路23号一楼及仓库", [building])
    assert result.ok and result.method == "address"
    assert result.geometry.area == pytest.approx(1600)


def test_unknown_feature_is_reported_not_guessed():
    pool = candidates({k: v for k, v in ROADS.items() if k != "丁路"})
    result = run("东至甲路，南至乙河，西至丙路，北至丁路", pool)
    assert not result.ok
    assert result.unresolved == ["north side: 丁路 (not in the reference layer)"]
    assert "Not digitized" in result.note()


def test_feature_on_the_wrong_side_encloses_nothing():
    swapped = dict(ROADS, 丁路=line((-60, -30), (160, -30)))  # "north" road lies to the south
    result = run("东至甲路，南至乙河，西至丙路，北至丁路", candidates(swapped))
    assert not result.ok
    assert "no enclosed area" in result.unresolved[0]


def test_shared_generic_name_picks_the_nearest():
    pool = candidates(ROADS)
    pool.append(Candidate("水系", "water", line((-60, -20), (160, -20)), "near water"))
    pool.append(Candidate("水系", "water", line((-60, -900), (160, -900)), "far water"))
    result = run("东至甲路，南至水系，西至丙路，北至丁路", pool)
    assert result.ok
    assert "south: near water" in result.used


def test_missing_side_is_reported():
    result = run("东至甲路，南至乙河，西至丙路", candidates(ROADS))
    assert not result.ok
    assert "the text gives no north side" in result.unresolved
