"""A feature with ``"geometry": null`` is a parcel not yet located, and must say so."""

import pytest

from geo.errors import InvalidParcelData
from geo.parcels.record import parse_feature
from tests.support.shapeless import SHAPELESS_NOTE, parcels_with_shapeless


def shapeless():
    return parcels_with_shapeless()["features"][-1]


def test_null_geometry_with_source_none_and_a_note_is_a_parcel():
    record, _, _ = parse_feature(shapeless(), "feature 14")
    assert record.geometry is None
    assert (record.geometry_source, record.geometry_note) == ("none", SHAPELESS_NOTE)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"geometry_source": "schematic"}, "has no geometry, which needs geometry_source 'none'"),
        ({"geometry_note": "  "}, "'geometry_note' must be non-empty text"),
    ],
)
def test_null_geometry_without_saying_why_is_refused(change, message):
    feature = shapeless()
    feature["properties"] |= change
    with pytest.raises(InvalidParcelData, match=message):
        parse_feature(feature, "feature 14")


def test_source_none_with_a_shape_is_refused():
    feature = parcels_with_shapeless()["features"][0]
    feature["properties"]["geometry_source"] = "none"
    with pytest.raises(InvalidParcelData, match="'none' is for a parcel without a shape"):
        parse_feature(feature, "feature 1")
