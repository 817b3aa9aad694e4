"""The shipped data/parcels.geojson against the published table, checked independently."""

import json
from decimal import Decimal
from pathlib import Path

import pytest
from pyproj import Transformer
from shapely import MultiPolygon
from shapely.geometry import shape

from geo.parcel_file import PROPERTY_NAMES, read_parcel_file
from tests.expected_plan import PLAN_TITLE, PUBLISHED_TOTAL_MU, ROWS

PARCELS = Path(__file__).resolve().parents[2] / "data" / "parcels.geojson"
MU_M2 = 10_000 / 15


@pytest.fixture(scope="module")
def collection():
    return json.loads(PARCELS.read_text(encoding="utf-8"))


def area_mu_epsg4549(geometry) -> float:
    # Independent of geo.area and shapely: project the rings, then the shoelace formula.
    project = Transformer.from_crs("EPSG:4326", "EPSG:4549", always_xy=True).transform
    total = 0.0
    for polygon in geometry.geoms:
        for index, ring in enumerate((polygon.exterior, *polygon.interiors)):
            xs, ys = project(*zip(*ring.coords, strict=True))
            twice = sum(xs[i] * ys[i + 1] - xs[i + 1] * ys[i] for i in range(len(xs) - 1))
            total += abs(twice) / 2 * (1 if index == 0 else -1)
    return total / MU_M2


def test_file_is_a_feature_collection_of_13_multipolygons(collection):
    assert collection["type"] == "FeatureCollection"
    assert len(collection["features"]) == 13
    assert {f["geometry"]["type"] for f in collection["features"]} == {"MultiPolygon"}
    assert "crs" not in collection  # RFC 7946: WGS84 lon/lat, no crs member


def test_properties_are_exactly_the_agreed_names(collection):
    for feature in collection["features"]:
        assert tuple(feature["properties"]) == PROPERTY_NAMES


@pytest.mark.parametrize("seq", sorted(ROWS))
def test_feature_attributes_match_the_published_row(collection, seq):
    props = collection["features"][seq - 1]["properties"]
    block, name, boundary, area, interest, unit = ROWS[seq]
    assert props["id"] == f"JX2022-{seq:02d}"
    assert props["seq"] == seq
    assert (props["plan"], props["plan_year"]) == (PLAN_TITLE, 2022)
    assert (props["block"], props["name"], props["boundary_text"]) == (block, name, boundary)
    assert Decimal(str(props["declared_area_mu"])) == Decimal(area)
    assert (props["interest_type"], props["implementing_unit"]) == (interest, unit)


@pytest.mark.parametrize("seq", sorted(ROWS))
def test_schematic_geometry_is_marked_and_within_2_percent(collection, seq):
    feature = collection["features"][seq - 1]
    props = feature["properties"]
    assert props["geometry_source"] == "schematic"
    assert "not surveyed" in props["geometry_note"]
    geometry = shape(feature["geometry"])
    assert isinstance(geometry, MultiPolygon) and geometry.is_valid
    minx, miny, maxx, maxy = geometry.bounds
    assert 120.6 < minx < maxx < 120.9 and 30.6 < miny < maxy < 30.9  # Jiaxing's centre
    measured = area_mu_epsg4549(geometry)
    assert abs(measured - props["declared_area_mu"]) / props["declared_area_mu"] < 0.02


def test_declared_areas_sum_to_published_total(collection):
    total = sum(Decimal(str(f["properties"]["declared_area_mu"])) for f in collection["features"])
    assert total == Decimal(PUBLISHED_TOTAL_MU)
    assert collection["plan"]["published_total_mu"] == float(PUBLISHED_TOTAL_MU)


def test_schematic_parcels_do_not_overlap(collection):
    shapes = [shape(f["geometry"]) for f in collection["features"]]
    for i, first in enumerate(shapes):
        for second in shapes[i + 1 :]:
            assert first.intersection(second).area < 1e-12


def test_file_passes_the_loader_validation():
    parcel_file = read_parcel_file(PARCELS)
    assert len(parcel_file.parcels) == 13
    assert parcel_file.plan.published_total_mu == Decimal(PUBLISHED_TOTAL_MU)


def test_file_is_what_the_builder_makes(tmp_path):
    from geo.schematic import build_schematic_collection

    plan_source = PARCELS.parent / "sources" / "jiaxing-2022-plan.json"
    assert build_schematic_collection(plan_source) == json.loads(
        PARCELS.read_text(encoding="utf-8")
    )
