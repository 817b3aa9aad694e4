"""Bad reference layers are refused with a message naming the feature and the problem."""

import json

import pytest

from geo.boundaries.reference import read_reference_file
from geo.errors import InvalidReferenceData
from tests.support.files import REFERENCE_FILE, read_json, refusal


@pytest.fixture(scope="module")
def good():
    return read_json(REFERENCE_FILE)


def refused(tmp_path, data) -> str:
    return refusal(read_reference_file, InvalidReferenceData, tmp_path / "reference.geojson", data)


def test_shipped_layer_is_valid_and_marked_as_estimated(good):
    records = read_reference_file(REFERENCE_FILE)
    assert len(records) == len(good["features"]) > 0
    assert {r.geometry_source for r in records} == {"schematic"}
    assert "estimate" in good["note"]
    assert all(r.note for r in records)


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda f: f["properties"].pop("name"), "'name' must be non-empty"),
        (lambda f: f["properties"].update(kind="castle"), "kind must be one of"),
        (
            lambda f: f["properties"].update(geometry_source="guessed"),
            "geometry_source must be one of",
        ),
        (lambda f: f["properties"].update(note=""), "must say how the feature was placed"),
        (
            lambda f: f.update(
                geometry={"type": "LineString", "coordinates": [[30.7, 120.7], [30.8, 120.8]]}
            ),
            "latitude/longitude",
        ),
        (lambda f: f.update(geometry=None), "geometry must be"),
    ],
)
def test_bad_feature(tmp_path, good, change, words):
    data = json.loads(json.dumps(good))
    change(data["features"][0])
    message = refused(tmp_path, data)
    assert message.startswith("reference feature 1") and words in message


def test_not_json_and_empty(tmp_path):
    assert "not JSON" in refused(tmp_path, "[[[")
    assert "has no features" in refused(tmp_path, {"type": "FeatureCollection", "features": []})
