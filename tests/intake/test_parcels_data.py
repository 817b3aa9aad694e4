"""The shipped data/parcels.geojson against the published table, checked independently."""

import json
from decimal import Decimal

import pytest
from shapely import MultiPolygon
from shapely.geometry import shape

from geo.intake.parcel_file import PROPERTY_NAMES, read_parcel_file
from tests.support.expected_plan import PLAN_TITLE, PUBLISHED_TOTAL_MU, ROWS
from tests.support.files import PARCELS_FILE
from tests.support.independent import area_mu_epsg4549


@pytest.fixture(scope="module")
def collection():
    return json.loads(PARCELS_FILE.read_text(encoding="utf-8"))


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
def test_geometry_says_where_it_came_from(collection, seq):
    feature = collection["features"][seq - 1]
    props = feature["properties"]
    assert props["geometry_source"] in {"schematic", "digitized"}
    assert "not surveyed" in props["geometry_note"]
    geometry = shape(feature["geometry"])
    assert isinstance(geometry, MultiPolygon) and geometry.is_valid
    minx, miny, maxx, maxy = geometry.bounds
    assert 120.6 < minx < maxx < 120.9 and 30.6 < miny < maxy < 30.9  # Jiaxing's centre
    measured = area_mu_epsg4549(feature["geometry"])
    deviation = abs(measured - props["declared_area_mu"]) / props["declared_area_mu"]
    # Schematic shapes are drawn at the declared area; digitized ones are refused beyond 50 %.
    assert deviation < (0.02 if props["geometry_source"] == "schematic" else 0.5)


def test_every_parcel_the_reference_layer_allows_is_digitized(collection):
    sources = {f["id"]: f["properties"]["geometry_source"] for f in collection["features"]}
    assert sources == {f"JX2022-{seq:02d}": "digitized" for seq in ROWS}


def test_schematic_rectangles_are_within_2_percent():
    from geo.intake.schematic import build_schematic_collection

    schematic = build_schematic_collection(
        PARCELS_FILE.parent / "sources" / "jiaxing-2022-plan.json"
    )
    for feature in schematic["features"]:
        declared = feature["properties"]["declared_area_mu"]
        assert abs(area_mu_epsg4549(feature["geometry"]) - declared) / declared < 0.02


def test_declared_areas_sum_to_published_total(collection):
    total = sum(Decimal(str(f["properties"]["declared_area_mu"])) for f in collection["features"])
    assert total == Decimal(PUBLISHED_TOTAL_MU)
    assert collection["plan"]["published_total_mu"] == float(PUBLISHED_TOTAL_MU)


def test_parcels_do_not_overlap(collection):
    shapes = [shape(f["geometry"]) for f in collection["features"]]
    for i, first in enumerate(shapes):
        for second in shapes[i + 1 :]:
            assert first.intersection(second).area < 1e-12


def test_file_passes_the_loader_validation():
    parcel_file = read_parcel_file(PARCELS_FILE)
    assert len(parcel_file.parcels) == 13
    assert parcel_file.plan.published_total_mu == Decimal(PUBLISHED_TOTAL_MU)


def test_file_is_what_the_builder_makes():
    from geo.intake.build import build_parcels

    plan_source = PARCELS_FILE.parent / "sources" / "jiaxing-2022-plan.json"
    built, _ = build_parcels(plan_source, PARCELS_FILE.parent / "reference.geojson")
    assert built == json.loads(PARCELS_FILE.read_text(encoding="utf-8"))
