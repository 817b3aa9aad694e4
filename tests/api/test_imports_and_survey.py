"""Imports (dry run, all or nothing) and survey uploads, through the API with real files."""

import copy
import json

import pytest

from geo.tokens import create_token
from tests.support.errors import assert_error
from tests.support.files import PARCELS_FILE
from tests.support.shapeless import SHAPELESS_ID, load_shapeless
from tests.support.zones import HENAN, PlaneAt, load, on_plane, record


@pytest.fixture
def editor(session):
    return {"Authorization": f"Bearer {create_token(session, '导入测试', 'editor')}"}


def shipped():
    return json.loads(PARCELS_FILE.read_text(encoding="utf-8"))


def upload(client, headers, name, data, **form):
    return client.post("/api/v1/imports", headers=headers, files={"file": (name, data)}, data=form)


def test_dry_run_reports_and_writes_nothing(client, editor):
    data = shipped()
    data["features"][0]["properties"]["implementing_unit"] = "新单位"
    new = copy.deepcopy(data["features"][1])
    new["properties"] |= {"id": "JX2022-20", "seq": 20, "name": "新地块"}
    data["features"].append(new)
    data["features"][2]["properties"].pop("block")
    body = json.dumps(data, ensure_ascii=False).encode()
    report = upload(
        client, editor, "parcels.geojson", body, reason="年度更新", dry_run="true"
    ).json()
    assert report["dry_run"] and not report["applied"]
    assert report["created"] == ["JX2022-20"] and report["updated"] == ["JX2022-01"]
    assert len(report["unchanged"]) == 11
    assert report["refused"][0]["feature"] == 3 and "block" in report["refused"][0]["reason"]
    assert client.get("/api/v1/parcels/JX2022-20").status_code == 404
    # The real run refuses as a whole, because feature 3 is refused.
    refused = upload(client, editor, "parcels.geojson", body, reason="年度更新", dry_run="false")
    assert_error(refused, 422, "import_refused", "nothing was written")
    assert refused.json()["error"]["report"]["refused"][0]["feature"] == 3
    assert (
        client.get("/api/v1/parcels/JX2022-01").json()["properties"]["implementing_unit"]
        != "新单位"
    )


def test_a_database_refusal_half_way_leaves_everything_as_it_was(client, editor):
    data = shipped()
    data["features"][0]["properties"]["implementing_unit"] = "先写入的单位"
    data["features"][5]["properties"]["seq"] = 1  # clashes with JX2022-01's seq in the database
    body = json.dumps(data, ensure_ascii=False).encode()
    response = upload(client, editor, "parcels.geojson", body, reason="x", dry_run="false")
    assert response.status_code == 422
    assert (
        client.get("/api/v1/parcels/JX2022-01").json()["properties"]["implementing_unit"]
        != "先写入的单位"
    )


def test_real_import_of_an_exported_geopackage_and_shapefile_round_trips(client, editor):
    for fmt, name in (("gpkg", "parcels.gpkg"), ("shp", "parcels.zip")):
        exported = client.get("/api/v1/export", params={"format": fmt}).content
        report = upload(client, editor, name, exported, reason="回读导出", dry_run="false").json()
        assert report["applied"] and report["refused"] == [], report
        assert len(report["unchanged"]) == 13, (fmt, report)


def test_csv_import_and_bad_files(client, editor):
    exported = client.get("/api/v1/export", params={"format": "csv"}).content
    report = upload(client, editor, "parcels.csv", exported, reason="csv", dry_run="true").json()
    assert len(report["unchanged"]) == 13 and report["refused"] == []
    assert_error(
        upload(client, editor, "a.dwg", b"x", reason="x"), 400, "invalid_input", ".geojson"
    )
    assert_error(
        upload(client, editor, "a.geojson", b"{", reason="x"),
        400,
        "invalid_input",
        "cannot be read",
    )
    assert_error(
        upload(client, editor, "a.geojson", b"{}", reason=" "), 400, "invalid_input", "reason"
    )
    assert_error(
        client.post("/api/v1/imports", files={"file": ("a.geojson", b"{}")}, data={"reason": "x"}),
        401,
        "not_authenticated",
    )


@pytest.mark.parametrize("prefix", [False, True])
def test_survey_report_then_confirm(client, editor, prefix):
    etag = client.get("/api/v1/parcels/JX2022-06").headers["etag"]
    # 60 m x 30 m = 1800 m2 = 2.70 mu, by hand.
    x0, y0 = 3_405_660.0, 572_480.0
    corners = [(x0, y0), (x0, y0 + 60), (x0 - 30, y0 + 60), (x0 - 30, y0)]
    offset = 40_000_000 if prefix else 0
    table = (
        "点号,圈号,X,Y\n"
        + "".join(f"J{i + 1},1,{x:.3f},{y + offset:.3f}\n" for i, (x, y) in enumerate(corners))
    ).encode()
    files = {"file": ("界址点.csv", table)}
    report = client.post(
        "/api/v1/parcels/JX2022-06/survey", headers=editor, files=files, data={"reason": "勘测定界"}
    ).json()
    assert report["confirmed"] is False
    assert report["survey"]["area_m2"] == pytest.approx(1800.0, abs=0.01)
    assert report["survey"]["area_mu"] == 2.70
    assert report["survey"]["source_crs"] == ("EPSG:4528" if prefix else "EPSG:4549")
    assert report["survey"]["difference_to_declared_mu"] == pytest.approx(0.10, abs=0.005)
    assert (
        client.get("/api/v1/parcels/JX2022-06").json()["properties"]["geometry_source"]
        == "digitized"
    )

    stored = client.post(
        "/api/v1/parcels/JX2022-06/survey",
        headers=editor | {"If-Match": etag},
        files=files,
        data={"reason": "勘测定界", "confirm": "true"},
    )
    assert stored.status_code == 200, stored.text
    parcel = client.get("/api/v1/parcels/JX2022-06").json()
    assert parcel["properties"]["geometry_source"] == "surveyed"
    assert parcel["properties"]["measured_area_mu"] == 2.70
    history = client.get("/api/v1/parcels/JX2022-06/history").json()["changes"]
    assert history[-1]["action"] == "survey" and history[-1]["reason"] == "勘测定界"

    exported = (
        client.get("/api/v1/parcels/JX2022-06/survey.csv").content.decode("utf-8-sig").splitlines()
    )
    assert exported[0].startswith("点号") and len(exported) == 1 + 5  # 4 corners, ring closed
    text = client.get("/api/v1/parcels/JX2022-06/survey.txt").content.decode("utf-8")
    assert "[地块坐标]" in text and ",0.1800," in text  # 1800 m2 = 0.18 ha


def test_bad_survey_files(client, editor):
    bowtie = "点号,圈号,X,Y\nJ1,1,3405660,572480\nJ2,1,3405600,572540\nJ3,1,3405660,572540\nJ4,1,3405600,572480\n".encode()
    files = {"file": ("bowtie.csv", bowtie)}
    response = client.post(
        "/api/v1/parcels/JX2022-06/survey", headers=editor, files=files, data={"reason": "x"}
    )
    assert_error(response, 422, "invalid_survey")
    assert "X=" in response.json()["error"]["message"]
    unknown = client.post(
        "/api/v1/parcels/NOPE/survey",
        headers=editor,
        files={"file": ("a.csv", b"x")},
        data={"reason": "x"},
    )
    assert_error(unknown, 404, "parcel_not_found")


def test_a_henan_parcel_is_surveyed_and_written_in_its_own_zone(client, editor, session):
    # Zhengzhou (113.6E) lies in zone 38 (CM 114E): a table with the zone number 38 is read as
    # EPSG:4526, and the parcel's boundary file comes back in zone 38; zone 40 is refused.
    load(session, record(1, PlaneAt(*HENAN).rectangle(0, 0, 100, 100)))
    easting, northing = on_plane(*HENAN[:2], 4547)
    corners = [(0, 0), (0, 60), (-30, 60), (-30, 0)]  # 60 m x 30 m = 1800 m2

    def survey(prefix: int):
        table = "点号,圈号,X,Y\n" + "".join(
            f"J{i},1,{northing + 50 + dx:.3f},{prefix * 1_000_000 + easting + 20 + dy:.3f}\n"
            for i, (dx, dy) in enumerate(corners, start=1)
        )
        files = {"file": ("界址点.csv", table.encode())}
        etag = client.get("/api/v1/parcels/Z-01").headers["etag"]
        return client.post(
            "/api/v1/parcels/Z-01/survey",
            headers=editor | {"If-Match": etag},
            files=files,
            data={"reason": "勘测定界", "confirm": "true"},
        )

    assert_error(survey(40), 422, "invalid_survey", "the parcel lies in zone 38")
    stored = survey(38)
    assert stored.status_code == 200, stored.text
    assert stored.json()["survey"]["source_crs"] == "EPSG:4526"
    properties = client.get("/api/v1/parcels/Z-01").json()["properties"]
    assert properties["zone_epsg"] == 4547 and properties["measured_area_m2"] == 1800.0
    text = client.get("/api/v1/parcels/Z-01/survey.txt").content.decode("utf-8")
    assert "带号=38\r\n" in text and ",0.1800," in text


def test_a_parcel_without_a_shape_is_surveyed_in_its_plans_zone(client, editor, session):
    load_shapeless(session)  # JX2022-14 of the Jiaxing plan, whose parcels are all in zone 40
    load(session, record(1, None))  # the only parcel of its plan: no zone to go by
    x0, y0 = 3_405_660.0, 572_480.0
    table = "点号,圈号,X,Y\n" + "".join(
        f"J{i},1,{x0 + dx:.3f},{y0 + dy:.3f}\n"
        for i, (dx, dy) in enumerate([(0, 0), (0, 60), (-30, 60), (-30, 0)], start=1)
    )

    def report(parcel_id: str):
        files = {"file": ("界址点.csv", table.encode())}
        return client.post(
            f"/api/v1/parcels/{parcel_id}/survey", headers=editor, files=files, data={"reason": "x"}
        )

    assert report(SHAPELESS_ID).json()["survey"]["source_crs"] == "EPSG:4549"
    assert_error(report("Z-01"), 422, "invalid_survey", "no zone number in front")
