"""Names as notices and basemaps write them: variants matched, namesakes far apart reported."""

import pytest
from shapely.geometry import shape

from geo.area import to_plane
from geo.boundaries.digitize import Candidate, digitize
from geo.boundaries.digitize_plan import digitize_collection
from geo.boundaries.names import NameIndex, base, folded, whole_road
from geo.boundaries.parse import parse_boundaries
from geo.boundaries.reference import ReferenceRecord
from tests.support.plane import X0, Y0, line, lonlat

# As in test_digitize.py: centrelines 8 m outside a 100 m x 80 m block. Each feature's note gives
# a half-width of 6 m (as a loaded layer's do), so the block runs from x = -2 to 102 and from
# y = -2 to 82 whatever the name ends with.
ROADS = {
    "甲子路": [(108, -60), (108, 140)],
    "乙丑河": [(-60, -8), (160, -8)],
    "丙寅路": [(-8, -60), (-8, 140)],
    "丁卯路": [(-60, 88), (160, 88)],
}
BLOCK_M2 = 104 * 84


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("嘉兴市中山路", "中山路"),
        ("嘉兴市南湖区中山路", "中山路"),
        ("南湖区 中山路", "中山路"),
        ("中山路（规划）", "中山路"),
        ("中山路(规划)", "中山路"),
        ("中山東路", "中山东路"),
        ("环城西路２３号", "环城西路23号"),
        # Never cut: the remainder would be a bare word, or the 区/市 is part of the name.
        ("开发区大道", "开发区大道"),
        ("新区路", "新区路"),
        ("市场路", "市场路"),
    ],
)
def test_variants_share_a_key(name, key):
    assert base(name) == key


def test_a_section_names_its_road():
    assert whole_road("中山路东段") == whole_road("嘉兴市中山路东段") == "中山路"
    assert whole_road("中山路二段") == "中山路" and whole_road("中山路") is None
    assert folded("中山路 东段") == "中山路东段"


def test_the_likest_name_wins():
    index = NameIndex(["嘉兴市甲子路", "甲子路", "甲子路东段", "乙丑路"], lambda name: name)
    assert (index.find("甲子路").items, index.find("甲子路").level) == (["甲子路"], 0)
    assert index.find("秀洲区甲子路").items == ["嘉兴市甲子路", "甲子路"]  # both without the prefix
    assert index.find("乙丑路北段").items == ["乙丑路"] and index.find("乙丑路北段").level == 2
    assert index.find("丙寅路").items == []


def layer(names: dict[str, str], extra: list[ReferenceRecord] = ()) -> list[ReferenceRecord]:
    """The four roads under the given names, in WGS84, each 6 m half-wide by its note."""
    records = [
        ReferenceRecord(names.get(n, n), "road", "surveyed", "half-width 6 m", lonlat(line(*p)))
        for n, p in ROADS.items()
    ]
    return records + list(extra)


def row(text: str) -> dict:
    properties = {
        "id": "T-01",
        "name": "1号地块",
        "boundary_text": text,
        "declared_area_mu": BLOCK_M2 * 15 / 10_000,
        "geometry_source": "none",
        "geometry_note": "",
    }
    return {"type": "FeatureCollection", "features": [{"geometry": None, "properties": properties}]}


def test_a_text_and_a_layer_that_spell_names_differently_still_meet():
    collection = row("东至嘉兴市甲子路，南至乙丑河（规划），西至丙寅路东段，北至丁卯路")
    reference = layer({"乙丑河": "乙丑河", "丁卯路": "南湖区丁卯路"})
    [outcome] = digitize_collection(collection, reference, layer="a test layer")
    assert outcome.geometry_source == "digitized", outcome.detail
    feature = collection["features"][0]
    block = to_plane(shape(feature["geometry"]), 4549)
    assert block.area == pytest.approx(BLOCK_M2, abs=2)  # 7 decimals of a degree: 1 cm
    note = feature["properties"]["geometry_note"]
    assert "on a test layer" in note
    assert "east: 甲子路 (road) for 嘉兴市甲子路" in note
    assert (
        "west: 丙寅路 (road) for 丙寅路东段: the text names a section, the whole road is used"
        in note
    )
    assert "north: 南湖区丁卯路 (road) for 丁卯路" in note


def test_a_far_namesake_is_not_taken_when_the_near_one_is_clear():
    far = ReferenceRecord(
        "甲子路", "road", "surveyed", "half-width 6 m", lonlat(line((5000, -60), (5000, 140)))
    )
    collection = row("东至甲子路，南至乙丑河，西至丙寅路，北至丁卯路")
    [outcome] = digitize_collection(collection, layer({}, [far]))
    assert outcome.geometry_source == "digitized"


def test_namesakes_equally_likely_are_reported_with_their_candidates():
    def pool(dx):
        return [
            Candidate(n, "road", line(*[(x + dx, y) for x, y in p]), n) for n, p in ROADS.items()
        ]

    # The same four names in two places 10 km apart, and nothing to tell which is meant.
    candidates = pool(0) + pool(10_000)
    result = digitize(
        parse_boundaries("东至甲子路，南至乙丑河，西至丙寅路，北至丁卯路"),
        lambda name: [c for c in candidates if c.name == name],
        candidates,
    )
    assert not result.ok
    east = next(reason for reason in result.unresolved if reason.startswith("east side: 甲子路"))
    assert "ambiguous" in east
    assert f"甲子路 at ({X0 + 108:.0f}, {Y0 - 60:.0f})" in east
    assert f"甲子路 at ({X0 + 10_108:.0f}, {Y0 - 60:.0f})" in east
    assert "Not digitized" in result.note()


def test_namesakes_far_apart_and_about_as_near_are_not_chosen_between():
    # 甲子路 twice, 1 km and 1.3 km east of the block and 300+ m apart: neither is clearly meant.
    far = [
        ReferenceRecord("甲子路", "road", "surveyed", "x", lonlat(line((x, -60), (x, 140))))
        for x in (1000, 1350)
    ]
    reference = [r for r in layer({}) if r.name != "甲子路"] + far
    collection = row("东至甲子路，南至乙丑河，西至丙寅路，北至丁卯路")
    [outcome] = digitize_collection(collection, reference)
    assert outcome.geometry_source == "none"
    assert "east side: 甲子路 (ambiguous: 甲子路 (road) at" in outcome.detail
