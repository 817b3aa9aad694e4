"""A parcel without a shape in every answer: listed with ``"geometry": null``, exported with an
empty geometry, skipped by the spatial answers (which say how many they could not search)."""

import io
import json

import pandas as pd
import pyogrio
import pytest

from geo.checks.summary import check_summary
from geo.tokens import create_token
from tests.support.errors import assert_error
from tests.support.shapeless import SHAPELESS_ID, SHAPELESS_NOTE, load_shapeless


@pytest.fixture
def shapeless(session):
    load_shapeless(session)
    return SHAPELESS_ID


def test_list_and_single_parcel_serve_null_geometry_with_its_source(client, shapeless):
    collection = client.get("/api/v1/parcels").json()
    assert collection["numberReturned"] == 14
    assert collection["geometry_sources"]["none"] == 1
    feature = client.get(f"/api/v1/parcels/{shapeless}").json()
    assert feature["geometry"] is None
    assert feature["properties"]["geometry_source"] == "none"
    assert feature["properties"]["geometry_note"] == SHAPELESS_NOTE
    assert feature["properties"]["measured_area_m2"] is None
    assert feature in collection["features"]
    # A bbox filter asks where a parcel is: one not located is in no box.
    boxed = client.get("/api/v1/parcels?bbox=100,20,130,40").json()
    assert shapeless not in {f["id"] for f in boxed["features"]}


@pytest.mark.parametrize("fmt", ["gpkg", "shp", "kml"])
def test_gdal_formats_keep_the_parcel_with_an_empty_geometry(client, shapeless, tmp_path, fmt):
    response = client.get(f"/api/v1/export?format={fmt}")
    assert response.status_code == 200
    path = tmp_path / f"parcels.{'zip' if fmt == 'shp' else fmt}"
    path.write_bytes(response.content)
    source = f"/vsizip/{path}/parcels.shp" if fmt == "shp" else str(path)
    frame = pyogrio.read_dataframe(source)
    assert len(frame) == 14
    missing = frame.geometry.isna() | frame.geometry.is_empty
    assert missing.sum() == 1
    assert frame[missing].iloc[0]["id"] == shapeless


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_table_formats_give_an_empty_wkt(client, shapeless, fmt):
    content = client.get(f"/api/v1/export?format={fmt}").content
    table = (
        pd.read_csv(io.BytesIO(content), encoding="utf-8-sig")
        if fmt == "csv"
        else pd.read_excel(io.BytesIO(content))
    )
    row = table[table["id"] == shapeless].iloc[0]
    assert pd.isna(row["wkt"]) and pd.isna(row["measured_area_mu"])
    assert table["wkt"].notna().sum() == 13


def test_geojson_export_and_ogc_items_serve_null(client, shapeless):
    exported = json.loads(client.get("/api/v1/export?format=geojson").content)
    assert [f["geometry"] for f in exported["features"] if f["id"] == shapeless] == [None]
    item = client.get(f"/ogc/collections/parcels/items/{shapeless}").json()
    assert item["geometry"] is None and item["properties"]["geometry_source"] == "none"
    page = client.get("/ogc/collections/parcels/items?limit=100").json()
    assert page["numberMatched"] == 14
    metres = "http://www.opengis.net/def/crs/EPSG/0/4549"
    assert (
        client.get(f"/ogc/collections/parcels/items/{shapeless}?crs={metres}").json()["geometry"]
        is None
    )


def test_point_lookup_says_how_many_parcels_it_could_not_search(client, shapeless):
    answer = client.get("/api/v1/lookup?lon=120.75&lat=30.77").json()
    assert answer["not_located"] == 1
    assert list(answer)[-1] == "not_located"
    assert answer["nearest"]["parcel"]["id"] != shapeless


def test_area_check_lists_it_as_not_located_and_counts_it_in_the_plan(client, shapeless):
    report = client.get("/api/v1/checks/area").json()
    (row,) = [p for p in report["parcels"] if p["id"] == shapeless]
    assert row["status"] == "not_located"
    assert row["measured_area_mu"] is None and row["difference_pct"] is None
    (plan,) = report["plans"]
    assert (plan["parcels"], plan["not_located"]) == (14, 1)
    assert plan["status"] == "fail"  # 3.5 亩 more than the published total


def test_topology_and_sides_skip_it_and_the_audit_says_not_located(client, shapeless):
    assert client.get("/api/v1/checks/topology").json()["status"] == "ok"
    sides = client.get("/api/v1/checks/sides").json()["checks"]
    assert shapeless not in {check["parcel_id"] for check in sides}
    audit = client.get(f"/api/v1/parcels/{shapeless}/checks").json()
    assert audit["status"] == "warn"
    assert audit["reasons"][0]["zh"].startswith("待落图")
    assert audit["area"]["status"] == "not_located"
    summary = client.get("/api/v1/checks").json()["summary"]
    assert sum(summary.values()) == 14


def test_the_summary_at_scale_counts_it(session, shapeless):
    area = check_summary(session, overlaps=False)["area"]
    assert (area["parcels"], area["not_located"]) == (14, 1)
    assert area["ok"] + area["fail"] == 13
    assert SHAPELESS_ID not in {w["id"] for w in area["worst"]}
    assert area["plans"][0]["not_located"] == 1


def test_tiles_skip_it(client, shapeless):
    assert client.get("/tiles/parcels/12/3421/1679.pbf").status_code in (200, 204)


def auth(session, **headers):
    return {"Authorization": f"Bearer {create_token(session, '测试', 'editor')}", **headers}


def test_a_shape_is_added_by_an_edit_and_history_keeps_the_shapeless_version(
    client, session, shapeless
):
    headers = auth(session, **{"If-Match": '"1"'})
    shape = client.get("/api/v1/parcels/JX2022-01").json()["geometry"]
    refused = client.patch(
        f"/api/v1/parcels/{shapeless}", json={"geometry": shape, "reason": "落图"}, headers=headers
    )
    assert_error(refused, 400, "invalid_input", "geometry_source")
    body = {
        "geometry": shape,
        "properties": {"geometry_source": "digitized", "geometry_note": "按四至数字化"},
        "reason": "落图",
    }
    edited = client.patch(f"/api/v1/parcels/{shapeless}", json=body, headers=headers)
    assert edited.status_code == 200, edited.text
    assert edited.json()["geometry"]["type"] == "MultiPolygon"
    assert edited.json()["properties"]["measured_area_m2"] > 0
    changes = client.get(f"/api/v1/parcels/{shapeless}/history").json()["changes"]
    assert [c["action"] for c in changes] == ["load", "update"]
    assert changes[1]["old"]["geometry"] is None and changes[1]["new"]["geometry"] is not None
    past = client.get(f"/api/v1/parcels/{shapeless}", params={"as_of": changes[0]["at"]})
    assert past.json()["geometry"] is None


def test_taking_a_shape_away_needs_source_none_and_a_note(client, session):
    headers = auth(session, **{"If-Match": '"1"'})
    url = "/api/v1/parcels/JX2022-06"
    refused = client.patch(url, json={"geometry": None, "reason": "撤图"}, headers=headers)
    assert_error(refused, 400, "invalid_input", "'geometry': null with 'geometry_source'")
    only_source = {"geometry": None, "properties": {"geometry_source": "none"}, "reason": "撤图"}
    assert_error(
        client.patch(url, json=only_source, headers=headers), 400, "invalid_input", "geometry_note"
    )
    body = {
        "geometry": None,
        "properties": {"geometry_source": "none", "geometry_note": "原范围有误，待重新落图"},
        "reason": "撤图",
    }
    taken = client.patch(url, json=body, headers=headers)
    assert taken.status_code == 200, taken.text
    assert taken.json()["geometry"] is None
