"""Bad parcel files are refused with a message naming the feature and the problem."""

import copy

import pytest

from geo.errors import InvalidParcelData
from geo.intake.parcel_file import read_parcel_file
from tests.support.files import PARCELS_FILE, read_json, refusal


@pytest.fixture(scope="module")
def good():
    return read_json(PARCELS_FILE)


def refused(tmp_path, data) -> str:
    return refusal(read_parcel_file, InvalidParcelData, tmp_path / "parcels.geojson", data)


def with_change(good, change):
    data = copy.deepcopy(good)
    change(data)
    return data


def test_not_json(tmp_path):
    assert "not JSON (line 1" in refused(tmp_path, "{not json")


def test_not_a_feature_collection(tmp_path):
    assert "not a GeoJSON FeatureCollection" in refused(tmp_path, {"type": "Feature"})


def test_missing_file(tmp_path):
    with pytest.raises(InvalidParcelData, match="no such file"):
        read_parcel_file(tmp_path / "nothing.geojson")


def test_missing_property_names_feature_and_property(tmp_path, good):
    data = with_change(good, lambda d: d["features"][2]["properties"].pop("implementing_unit"))
    message = refused(tmp_path, data)
    assert "feature 3 (id JX2022-03)" in message and "implementing_unit" in message


def test_negative_area(tmp_path, good):
    data = with_change(good, lambda d: d["features"][0]["properties"].update(declared_area_mu=-1))
    assert "declared_area_mu" in refused(tmp_path, data)


def test_unknown_geometry_source(tmp_path, good):
    data = with_change(
        good, lambda d: d["features"][0]["properties"].update(geometry_source="guessed")
    )
    assert "schematic, digitized, surveyed" in refused(tmp_path, data)


def test_self_intersecting_polygon_is_explained(tmp_path, good):
    bowtie = [[[120.75, 30.75], [120.76, 30.76], [120.76, 30.75], [120.75, 30.76], [120.75, 30.75]]]
    data = with_change(
        good, lambda d: d["features"][4].update(geometry={"type": "Polygon", "coordinates": bowtie})
    )
    message = refused(tmp_path, data)
    assert "feature 5 (id JX2022-05)" in message and "Self-intersection" in message


def test_swapped_coordinates_are_recognised(tmp_path, good):
    def swap(d):
        geometry = d["features"][1]["geometry"]
        geometry["coordinates"] = [
            [[[lat, lon] for lon, lat in ring] for ring in poly] for poly in geometry["coordinates"]
        ]

    assert "latitude/longitude" in refused(tmp_path, with_change(good, swap))


def test_projected_coordinates_are_refused(tmp_path, good):
    square = [[[572000, 3402000], [572100, 3402000], [572100, 3402100], [572000, 3402000]]]
    data = with_change(
        good, lambda d: d["features"][0].update(geometry={"type": "Polygon", "coordinates": square})
    )
    assert "outside longitude -180..180" in refused(tmp_path, data)


def test_point_geometry_is_refused(tmp_path, good):
    data = with_change(
        good,
        lambda d: d["features"][0].update(geometry={"type": "Point", "coordinates": [120.7, 30.7]}),
    )
    assert "Polygon or MultiPolygon, not Point" in refused(tmp_path, data)


def test_malformed_coordinates(tmp_path, good):
    data = with_change(
        good,
        lambda d: d["features"][0].update(geometry={"type": "Polygon", "coordinates": [[1, 2]]}),
    )
    assert "malformed" in refused(tmp_path, data)


def test_duplicate_seq(tmp_path, good):
    data = with_change(good, lambda d: d["features"][1]["properties"].update(seq=1))
    assert "seq 1 appears on more than one feature" in refused(tmp_path, data)


def test_two_plans_in_one_file(tmp_path, good):
    data = with_change(good, lambda d: d["features"][1]["properties"].update(plan="另一个计划"))
    assert "one plan" in refused(tmp_path, data)
