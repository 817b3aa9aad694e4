import json

import pytest

from geo.addresses.gazetteer import read_gazetteer_file
from geo.errors import InvalidGazetteerData
from tests.support.expected_plan import ROWS
from tests.support.files import GAZETTEER_FILE, write_json


def test_gazetteer_covers_the_roads_and_numbered_addresses_of_the_plan():
    records = read_gazetteer_file(GAZETTEER_FILE)
    roads = {r.name for r in records if r.kind == "road"}
    for name in (
        "勤俭路",
        "大新路",
        "城北路",
        "百墅路",
        "少年路",
        "汤家弄",
        "菜场弄",
        "竹篱弄",
        "精严寺街",
        "青龙街",
        "越秀北路",
        "洪兴路",
        "竹桥街",
        "环城西路",
        "文经路",
        "文纬路",
        "齐心弄",
    ):
        assert name in roads
        assert any(name in row[2] or name in row[1] for row in ROWS.values())
    addresses = {(r.road, r.house_number) for r in records if r.kind == "address"}
    assert {("城北路", 592), ("环城西路", 23), ("大新弄", 17)} <= addresses
    assert all(r.note and r.uncertainty_m > 0 for r in records)
    assert {r.geometry_source for r in records} == {"schematic"}


def refused(tmp_path, feature) -> str:
    collection = {"type": "FeatureCollection", "features": [feature]}
    with pytest.raises(InvalidGazetteerData) as caught:
        read_gazetteer_file(write_json(tmp_path / "g.geojson", collection))
    return str(caught.value)


GOOD = {
    "type": "Feature",
    "properties": {
        "kind": "road",
        "name": "某路",
        "uncertainty_m": 10,
        "geometry_source": "surveyed",
        "note": "x",
    },
    "geometry": {"type": "LineString", "coordinates": [[120.70, 30.70], [120.71, 30.70]]},
}


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"kind": "lake"}, "kind must be address, road or district"),
        ({"uncertainty_m": -1}, "uncertainty_m must be"),
        ({"note": ""}, "'note' must be non-empty"),
        ({"odd_from": "1"}, "'odd_from' must be a whole number"),
        ({"geometry_source": None}, "geometry_source must be one of"),
    ],
)
def test_bad_entries(tmp_path, change, words):
    feature = json.loads(json.dumps(GOOD))
    feature["properties"].update(change)
    assert words in refused(tmp_path, feature)


def test_wrong_geometry_for_the_kind(tmp_path):
    feature = json.loads(json.dumps(GOOD))
    feature["geometry"] = {"type": "Point", "coordinates": [120.7, 30.7]}
    assert "geometry must be LineString or MultiLineString, not Point" in refused(tmp_path, feature)
