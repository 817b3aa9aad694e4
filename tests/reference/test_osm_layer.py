"""An OpenStreetMap extract as the digitizer's reference layer: read, stored, digitized on.

The extract is written here (tests/support/osm.py) with the features two plan rows name, where
the shipped layer has them; the parcels are then built from it, and moving a road in the extract
moves the parcel's edge.
"""

import copy

import pytest
from shapely.geometry import shape
from sqlalchemy import text

from geo.area import to_plane
from geo.boundaries.digitize_plan import digitize_collection
from geo.errors import InvalidReferenceData
from geo.intake.notice import ingest_notice
from geo.reference.layers import read_reference_source, store_reference_layer
from tests.support.files import NOTICE_FILE, PARCELS_FILE, read_json
from tests.support.osm import ZONE, jiaxing_scene

ROWS = ("JX2022-02", "JX2022-09")
LABEL = "jiaxing.osm.pbf (OpenStreetMap extract of 2024-05-01; © OpenStreetMap contributors, ODbL)"


@pytest.fixture
def extract(tmp_path):
    return jiaxing_scene().write(tmp_path / "jiaxing.osm.pbf")


def plan_rows(ids=ROWS) -> dict:
    """The shipped rows, schematic again: their text and area, to be digitized afresh."""
    collection = copy.deepcopy(read_json(PARCELS_FILE))
    collection["features"] = [f for f in collection["features"] if f["id"] in ids]
    for feature in collection["features"]:
        feature["properties"]["geometry_source"] = "schematic"
        feature["properties"]["geometry_note"] = "Schematic."
    return collection


def digitized(extract_path) -> dict:
    layer = read_reference_source(extract_path)
    collection = plan_rows()
    outcomes = digitize_collection(collection, layer.records)
    assert [o.geometry_source for o in outcomes] == ["digitized", "digitized"], outcomes
    return {f["id"]: f for f in collection["features"]}


def test_the_extract_is_read_into_the_reference_kinds(extract):
    layer = read_reference_source(extract)
    assert layer.label == LABEL
    kinds = {(r.name, r.kind) for r in layer.records}
    assert {
        ("大新路", "road"),
        ("汤家弄", "road"),
        ("人民新路", "road"),
        ("少年路", "road"),  # old_name: a row of its own, which the digitizer matches
        ("菜場弄", "road"),
        ("秀水人家", "estate"),
        ("金福公寓三幢", "building"),
        ("泾水桥港", "water"),
        ("菜场弄3甲", "address"),
    } <= kinds
    assert layer.dropped["unnamed building"] == 1
    widths = {r.name: r.half_width_m for r in layer.records}
    assert (widths["大新路"], widths["汤家弄"], widths["泾水桥港"]) == (8.0, 5.0, 15.0)
    assert {r.geometry_source for r in layer.records} == {"digitized"}
    assert all(r.layer == LABEL for r in layer.records)
    building = next(r for r in layer.records if r.name == "金福公寓三幢")
    assert building.address == "少年路8号"
    [address, house] = sorted(layer.addresses, key=lambda a: a.house_number)
    assert (address.road, address.house_number, address.house_suffix) == ("菜场弄", 3, "甲")
    assert (house.name, house.house_number) == ("少年路8号", 8)


def test_the_parcels_are_built_from_the_extract(extract):
    parcels = digitized(extract)
    used = parcels["JX2022-09"]["properties"]["geometry_note"]
    assert "on the reference layer jiaxing.osm.pbf (OpenStreetMap extract of 2024-05-01" in used
    assert "east: 汤家弄 (road), 2 pieces" in used  # one lane, two OSM ways
    assert "north: 菜場弄 (road) for 菜场弄" in used  # Traditional in the basemap
    assert "west: 少年路 (road)" in used and "south: 金福公寓三幢 (building)" in used
    note = parcels["JX2022-02"]["properties"]["geometry_note"]
    assert "west: 秀水人家 (estate)" in note and "east: 青龙街 (road)" in note


def test_moving_a_road_in_the_extract_moves_the_parcels_edge(extract, tmp_path):
    before = to_plane(shape(digitized(extract)["JX2022-09"]["geometry"]), ZONE)
    moved = jiaxing_scene(east_shift_m=10.0).write(tmp_path / "moved.osm.pbf")
    after = to_plane(shape(digitized(moved)["JX2022-09"]["geometry"]), ZONE)
    (w0, s0, e0, n0), (w1, s1, e1, n1) = before.bounds, after.bounds
    assert e1 - e0 == pytest.approx(10.0, abs=0.05)
    assert w1 == pytest.approx(w0, abs=0.05)
    # The south and north edges are not quite level, so their east ends slide along them.
    assert (s1, n1) == pytest.approx((s0, n0), abs=0.2)


def test_a_bbox_keeps_what_touches_it(extract):
    layer = read_reference_source(extract, bbox=(120.0, 30.0, 120.001, 30.001))
    assert layer.records == [] and layer.dropped["outside the bbox"] > 0


def test_a_broken_extract_is_refused(tmp_path):
    path = tmp_path / "broken.osm.pbf"
    path.write_bytes(b"not a pbf at all")
    with pytest.raises(InvalidReferenceData, match="not a readable OSM file"):
        read_reference_source(path)


def test_the_ingest_digitizes_on_the_stored_extract(session, extract):
    """Loaded in the rolled-back session: the shared database keeps its layer."""
    layer = read_reference_source(extract)
    store_reference_layer(session, layer)
    stored = session.execute(
        text("SELECT count(*) FROM gazetteer_entries WHERE note LIKE '%[layer: jiaxing.osm.pbf%'")
    ).scalar_one()
    assert stored == 2
    kept = session.execute(
        text("SELECT count(*) FROM gazetteer_entries WHERE name = '城北路592号'")
    ).scalar_one()
    assert kept == 1  # the shipped gazetteer's own entries stay
    session.execute(text("DELETE FROM parcels"))
    report = ingest_notice(session, NOTICE_FILE.read_text(encoding="utf-8"), "JX2022", "seed")
    sources = {o.id: o.geometry_source for o in report.outcomes}
    assert {i for i, source in sources.items() if source == "digitized"} == set(ROWS)
    note = session.execute(
        text("SELECT geometry_note FROM parcels WHERE id = 'JX2022-09'")
    ).scalar_one()
    assert f"on the reference layer {LABEL}" in note
