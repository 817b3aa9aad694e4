"""A whole plan digitized on its own zone: a notice from Zhengzhou (113.6E) on EPSG:4547.

The roads are drawn on EPSG:4547. Digitized on EPSG:4549 instead, 6.4 degrees from its meridian,
grid north there is turned 3.6 degrees from EPSG:4547's and lengths are 0.42 % longer, so the
roads' half-widths would be taken off in the wrong directions and lengths: the block comes out
13 m² off.
"""

import pytest
from shapely.geometry import shape

from geo.boundaries.digitize_plan import PlanLayers, digitize_collection
from geo.boundaries.parse import parse_boundaries
from geo.boundaries.reference import ReferenceRecord
from tests.support.zones import HENAN, SITES, PlaneAt

HENAN_PLANE = PlaneAt(*HENAN)
TEXT = "东至甲路，南至乙河，西至丙路，北至丁路"
# As in test_digitize.py: centrelines 8 m outside a 100 m x 80 m block; 至X路 reaches the near
# edge (路 6 m, 河 5 m), so the block runs from x = -2 to 102 and from y = -3 to 82.
ROADS = {
    "甲路": [(108, -60), (108, 140)],
    "乙河": [(-60, -8), (160, -8)],
    "丙路": [(-8, -60), (-8, 140)],
    "丁路": [(-60, 88), (160, 88)],
}
BLOCK_M2 = (102 - -2) * (82 - -3)


def reference(plane: PlaneAt) -> list[ReferenceRecord]:
    kinds = {"乙河": "water"}
    return [
        ReferenceRecord(name, kinds.get(name, "road"), "surveyed", "test", plane.line(*points))
        for name, points in ROADS.items()
    ]


def notice_row(declared_mu: float) -> dict:
    """An ingested notice row: its text and area, no shape yet."""
    return {
        "type": "Feature",
        "geometry": None,
        "properties": {
            "id": "ZZ-01",
            "name": "1号地块",
            "boundary_text": TEXT,
            "declared_area_mu": declared_mu,
            "geometry_source": "none",
            "geometry_note": "公告未附图。",
        },
    }


def test_a_henan_notice_is_digitized_on_its_own_zone():
    collection = {"type": "FeatureCollection", "features": [notice_row(BLOCK_M2 / (10_000 / 15))]}
    [outcome] = digitize_collection(collection, reference(HENAN_PLANE))
    assert outcome.geometry_source == "digitized"
    digitized = HENAN_PLANE.relative(shape(collection["features"][0]["geometry"]))
    # Within what 7 decimals of a degree (1 cm) allow.
    assert digitized.area == pytest.approx(BLOCK_M2, abs=1)
    expected = HENAN_PLANE.relative(HENAN_PLANE.rectangle(-2, -3, 104, 85))
    assert digitized.symmetric_difference(expected).area < 2


@pytest.mark.parametrize("site", ["zhengzhou", "jiaxing", "harbin"])
def test_the_plane_is_the_zone_of_the_named_features(site):
    plane = PlaneAt(*SITES[site])
    layers = PlanLayers(reference(plane))
    assert layers.zone_for(parse_boundaries(TEXT), None) == SITES[site][2]
    # Nothing named is on the layer: the parcel's own shape decides, then the whole layer.
    elsewhere = parse_boundaries("东至戊路，南至己路，西至庚路，北至辛路")
    own = PlaneAt(*SITES["chengdu"]).rectangle(0, 0, 10, 10)
    assert layers.zone_for(elsewhere, own) == SITES["chengdu"][2]
    assert layers.zone_for(elsewhere, None) == SITES[site][2]
