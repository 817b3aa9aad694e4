"""Exports, reads and OGC items in a parcel's own zone: crs=local, any CGCS2000 3-degree zone, and
plans in several zones refused on one plane. Henan parcels are loaded in the test's session."""

import io
import json
import zipfile

import geopandas as gpd
import pyogrio
import pytest

from tests.support.cli import run
from tests.support.errors import assert_error
from tests.support.zones import HENAN, TEST_BLOCK, PlaneAt, load, record

HENAN_PLANE = PlaneAt(*HENAN)
EPSG_URI = "http://www.opengis.net/def/crs/EPSG/0/{}"


@pytest.fixture
def henan(session):
    """Two 100 m squares near Zhengzhou (EPSG:4547) beside the shipped Jiaxing plan (EPSG:4549)."""
    load(
        session,
        record(1, HENAN_PLANE.rectangle(0, 0, 100, 100)),
        record(2, HENAN_PLANE.rectangle(200, 0, 100, 50)),
    )
    return session


def export(client, **params):
    return client.get("/api/v1/export", params=params)


def test_parcels_serve_their_zone(client, henan):
    jiaxing = client.get("/api/v1/parcels/JX2022-01").json()["properties"]
    zhengzhou = client.get("/api/v1/parcels/Z-01").json()["properties"]
    assert (jiaxing["zone_epsg"], zhengzhou["zone_epsg"]) == (4549, 4547)
    assert zhengzhou["measured_area_m2"] == 10_000.0
    assert list(zhengzhou).index("zone_epsg") == list(zhengzhou).index("measured_area_m2") - 1


def test_local_plane_of_a_henan_plan_is_its_zone(client, henan, tmp_path):
    answer = export(client, format="gpkg", crs="local", block=TEST_BLOCK)
    assert answer.status_code == 200, answer.text
    path = tmp_path / "henan.gpkg"
    path.write_bytes(answer.content)
    frame = gpd.read_file(path, engine="pyogrio")
    assert frame.crs.to_epsg() == 4547
    assert list(frame["zone_epsg"]) == [4547, 4547]
    # Metres on the plane the areas were measured on: the shapes' own areas are the stored ones.
    assert list(frame.geometry.area.round(2)) == [10_000.0, 5_000.0]
    assert list(frame["measured_area_m2"]) == [10_000.0, 5_000.0]


def test_local_geojson_names_the_zone(client, henan):
    body = export(client, format="geojson", crs="local", block=TEST_BLOCK).json()
    assert body["crs"]["properties"]["name"] == "urn:ogc:def:crs:EPSG::4547"
    x, y = body["features"][0]["geometry"]["coordinates"][0][0][0]
    assert abs(x - 500_000) < 40_000 and 3_800_000 < y < 3_900_000  # 0.4 degrees off 114E


@pytest.mark.parametrize("fmt", ["geojson", "csv"])
def test_local_plane_of_jiaxing_is_epsg_4549_byte_for_byte(client, fmt):
    local = export(client, format=fmt, crs="local")
    named = export(client, format=fmt, crs="EPSG:4549")
    assert local.status_code == named.status_code == 200
    assert local.content == named.content


@pytest.mark.parametrize("fmt", ["geojson", "shp"])
def test_local_plane_across_zones_is_refused_naming_them(client, henan, fmt):
    assert_error(
        export(client, format=fmt, crs="local"),
        400,
        "several_zones",
        "2 zones",
        "EPSG:4547 (CGCS2000 / 3-degree Gauss-Kruger CM 114E)",
        "EPSG:4549 (CGCS2000 / 3-degree Gauss-Kruger CM 120E)",
        "one zone at a time",
    )


def test_local_plane_needs_a_located_parcel(client, session):
    load(session, record(1, None))
    assert_error(
        export(client, format="csv", crs="local", block=TEST_BLOCK),
        400,
        "invalid_input",
        "none of the selected parcels has a shape",
    )


def test_any_zone_can_be_named_and_others_are_refused(client, henan):
    answer = export(client, format="shp", crs="EPSG:4547")
    assert answer.status_code == 200, answer.text
    with zipfile.ZipFile(io.BytesIO(answer.content)) as archive:
        assert "CGCS2000_3_Degree_GK_CM_114E" in archive.read("parcels.prj").decode()
    for crs in ("EPSG:4533", "EPSG:4555", "EPSG:3857", "zone"):
        assert_error(export(client, format="csv", crs=crs), 400, "invalid_input", "EPSG:4534")
    assert_error(export(client, format="kml", crs="local"), 400, "invalid_input", "KML")


def test_ogc_serves_every_zone(client, henan):
    collection = client.get("/ogc/collections/parcels").json()
    assert {EPSG_URI.format(zone) for zone in range(4534, 4555)} <= set(collection["crs"])
    item = client.get("/ogc/collections/parcels/items/Z-01", params={"crs": EPSG_URI.format(4547)})
    assert item.headers["content-crs"] == f"<{EPSG_URI.format(4547)}>"
    northing, easting = item.json()["geometry"]["coordinates"][0][0][0]  # EPSG axis order
    assert abs(easting - 500_000) < 40_000 and 3_800_000 < northing < 3_900_000
    queryables = client.get("/ogc/collections/parcels/queryables").json()["properties"]
    assert queryables["zone_epsg"]["type"] == "integer"
    found = client.get("/ogc/collections/parcels/items", params={"filter": "zone_epsg = 4547"})
    assert [f["id"] for f in found.json()["features"]] == ["Z-01", "Z-02"]


def test_cli_exports_the_local_plane(database_url, tmp_path):
    path = tmp_path / "local.gpkg"
    answer = run(database_url, "export", "-f", "gpkg", "-o", str(path), "--crs", "local")
    assert answer.returncode == 0, answer.stderr
    assert pyogrio.read_info(path)["crs"] == "EPSG:4549"  # the shipped plan is all in zone 40
    bad = run(database_url, "export", "--crs", "EPSG:4555")
    assert bad.returncode == 2 and "EPSG:4534" in bad.stderr and "Traceback" not in bad.stderr


def test_geojson_properties_match_the_record(client, henan):
    feature = json.loads(export(client, format="geojson", block=TEST_BLOCK).content)["features"][0]
    assert feature["properties"]["zone_epsg"] == 4547
