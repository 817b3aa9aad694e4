"""Editing with tokens, versions, validation and history (issue: keeping the record)."""

import copy
import json
import threading

import pytest
from fastapi.testclient import TestClient

from geo.tokens import create_token, revoke_token
from tests.support.errors import assert_error
from tests.support.files import PARCELS_FILE


@pytest.fixture
def tokens(session):
    made = {
        role: create_token(session, f"测试{role}", role) for role in ("viewer", "editor", "admin")
    }
    revoked = create_token(session, "离职", "editor")
    revoke_token(session, int(revoked.split("_")[1]))
    return made | {"revoked": revoked}


def auth(token: str, **headers: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", **headers}


def read(client, parcel_id="JX2022-06"):
    response = client.get(f"/api/v1/parcels/{parcel_id}")
    return response.json(), response.headers["etag"]


def test_reads_carry_the_version_as_etag(client):
    feature, etag = read(client)
    assert etag == f'"{feature["properties"]["version"]}"'


@pytest.mark.parametrize(
    ("who", "status", "code"),
    [
        (None, 401, "not_authenticated"),
        ("garbage", 401, "not_authenticated"),
        ("zs_999_nope", 401, "not_authenticated"),
        ("viewer", 403, "forbidden"),
        ("revoked", 403, "forbidden"),
    ],
)
def test_writes_need_a_valid_editor_token(client, tokens, who, status, code):
    headers = {} if who is None else auth(tokens.get(who, who), **{"If-Match": '"1"'})
    body = {"properties": {"implementing_unit": "某公司"}, "reason": "test"}
    response = client.patch("/api/v1/parcels/JX2022-06", json=body, headers=headers)
    assert_error(response, status, code)
    if status == 401:
        assert response.headers["www-authenticate"] == "Bearer"
    assert read(client)[0]["properties"]["implementing_unit"] == "嘉兴市城市投资发展集团有限公司"


@pytest.mark.parametrize("role", ["editor", "admin"])
def test_editor_and_admin_can_update(client, tokens, role):
    feature, etag = read(client)
    body = {
        "properties": {
            "implementing_unit": "嘉兴市某某公司",
            "approval_reference": "嘉政发〔2022〕1号",
        },
        "reason": "更正单位名称",
    }
    response = client.patch(
        "/api/v1/parcels/JX2022-06", json=body, headers=auth(tokens[role], **{"If-Match": etag})
    )
    assert response.status_code == 200, response.text
    updated = response.json()
    assert updated["properties"]["implementing_unit"] == "嘉兴市某某公司"
    assert updated["properties"]["approval_reference"] == "嘉政发〔2022〕1号"
    assert updated["properties"]["version"] == feature["properties"]["version"] + 1
    assert response.headers["etag"] == f'"{updated["properties"]["version"]}"'


def test_stale_version_is_412_with_the_current_one_and_missing_if_match_428(client, tokens):
    _, etag = read(client)
    body = {"properties": {"name": "4号地块（更正）"}, "reason": "first"}
    assert (
        client.patch(
            "/api/v1/parcels/JX2022-06",
            json=body,
            headers=auth(tokens["editor"], **{"If-Match": etag}),
        ).status_code
        == 200
    )
    stale = client.patch(
        "/api/v1/parcels/JX2022-06",
        json=body | {"reason": "second"},
        headers=auth(tokens["editor"], **{"If-Match": etag}),
    )
    assert_error(stale, 412, "version_conflict", "changed since you read it")
    assert stale.json()["error"]["current_version"] == int(etag.strip('"')) + 1
    missing = client.patch("/api/v1/parcels/JX2022-06", json=body, headers=auth(tokens["editor"]))
    assert_error(missing, 428, "precondition_required", "If-Match")


def test_two_planners_race_one_wins_the_other_is_told(database_url):
    """Two real connections, committed transactions: the row lock makes the second see v+1."""
    from api.main import create_app
    from api.settings import ApiSettings
    from geo.db import DatabaseSettings, make_engine, session_scope

    engine = make_engine(DatabaseSettings(database_url=database_url))
    with session_scope(engine) as s:
        token = create_token(s, "并发测试", "editor")
    app = create_app(ApiSettings(db=DatabaseSettings(database_url=database_url)))
    results = []
    with TestClient(app) as first, TestClient(app) as second:
        _, etag = read(first, "JX2022-12")
        barrier = threading.Barrier(2)

        def write(client, unit):
            barrier.wait()
            body = {"properties": {"implementing_unit": unit}, "reason": "race"}
            results.append(
                client.patch(
                    "/api/v1/parcels/JX2022-12",
                    json=body,
                    headers=auth(token, **{"If-Match": etag}),
                )
            )

        threads = [
            threading.Thread(target=write, args=(c, u))
            for c, u in ((first, "甲公司"), (second, "乙公司"))
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        statuses = sorted(r.status_code for r in results)
        assert statuses == [200, 412]
        winner = next(r for r in results if r.status_code == 200).json()["properties"][
            "implementing_unit"
        ]
        assert read(first, "JX2022-12")[0]["properties"]["implementing_unit"] == winner
        # Put the shipped value back for the other tests sharing this database.
        _, etag = read(first, "JX2022-12")
        body = {
            "properties": {"implementing_unit": "嘉兴市嘉城城市更新建设有限公司"},
            "reason": "restore",
        }
        assert (
            first.patch(
                "/api/v1/parcels/JX2022-12", json=body, headers=auth(token, **{"If-Match": etag})
            ).status_code
            == 200
        )
    engine.dispose()


SQUARE = [[[120.70, 30.70], [120.701, 30.70], [120.701, 30.701], [120.70, 30.701], [120.70, 30.70]]]


@pytest.mark.parametrize(
    ("geometry", "status", "words"),
    [
        (
            {"type": "Point", "coordinates": [120.7, 30.7]},
            422,
            "Polygon or MultiPolygon, not Point",
        ),
        (
            {
                "type": "Polygon",
                "coordinates": [
                    [
                        [120.70, 30.70],
                        [120.71, 30.71],
                        [120.71, 30.70],
                        [120.70, 30.71],
                        [120.70, 30.70],
                    ]
                ],
            },
            422,
            "Self-intersection[",
        ),
        (
            {
                "type": "Polygon",
                "coordinates": [
                    [[30.70, 120.70], [30.701, 120.70], [30.701, 120.701], [30.70, 120.70]]
                ],
            },
            422,
            "latitude/longitude",
        ),
        (
            {
                "type": "Polygon",
                "coordinates": [[[2.35, 48.85], [2.36, 48.85], [2.36, 48.86], [2.35, 48.85]]],
            },
            422,
            "outside China",
        ),
        (
            {
                "type": "Polygon",
                "coordinates": [
                    [[572000, 3402000], [572100, 3402000], [572100, 3402100], [572000, 3402000]]
                ],
            },
            422,
            "projected",
        ),
        (
            {
                "type": "Polygon",
                "coordinates": SQUARE,
                "crs": {"type": "name", "properties": {"name": "EPSG:4549"}},
            },
            422,
            "is not accepted",
        ),
    ],
)
def test_geometry_refusals_write_nothing(client, tokens, geometry, status, words):
    before, etag = read(client)
    body = {"geometry": geometry, "reason": "redraw"}
    response = client.patch(
        "/api/v1/parcels/JX2022-06", json=body, headers=auth(tokens["editor"], **{"If-Match": etag})
    )
    code = "invalid_geometry"
    assert_error(response, status, code, words)
    assert read(client)[0] == before


def test_too_many_vertices_and_too_large_payload(client, tokens):
    _, etag = read(client)
    ring = [[120.7 + 0.0001 * (i % 100), 30.7 + 0.0001 * (i // 100)] for i in range(10_001)]
    big = {"geometry": {"type": "Polygon", "coordinates": [ring]}, "reason": "x" * 10}
    response = client.patch(
        "/api/v1/parcels/JX2022-06", json=big, headers=auth(tokens["editor"], **{"If-Match": etag})
    )
    assert response.status_code in (413, 422)
    assert response.json()["error"]["code"] in ("payload_too_large", "invalid_geometry")
    huge = {"properties": {"geometry_note": "注" * 10}, "reason": "x", "padding": "y" * 1_100_000}
    assert_error(
        client.patch(
            "/api/v1/parcels/JX2022-06",
            json=huge,
            headers=auth(tokens["editor"], **{"If-Match": etag}),
        ),
        413,
        "payload_too_large",
        "1000000",
    )


def test_bad_bodies(client, tokens):
    _, etag = read(client)
    headers = auth(tokens["editor"], **{"If-Match": etag})
    assert_error(
        client.patch(
            "/api/v1/parcels/JX2022-06", json={"properties": {"name": "x"}}, headers=headers
        ),
        400,
        "invalid_input",
        "reason",
    )
    assert_error(
        client.patch(
            "/api/v1/parcels/JX2022-06",
            json={"properties": {"seq": 99}, "reason": "x"},
            headers=headers,
        ),
        400,
        "invalid_input",
        "cannot be changed",
    )
    assert_error(
        client.patch(
            "/api/v1/parcels/JX2022-06",
            content=b"{oops",
            headers=headers | {"content-type": "application/json"},
        ),
        400,
        "invalid_input",
        "not JSON",
    )
    assert_error(
        client.patch(
            "/api/v1/parcels/NOPE",
            json={"properties": {"name": "x"}, "reason": "x"},
            headers=headers,
        ),
        404,
        "parcel_not_found",
    )


def test_create_retire_history_and_as_of(client, tokens):
    feature = copy.deepcopy(json.loads(PARCELS_FILE.read_text(encoding="utf-8"))["features"][0])
    feature["properties"] |= {"id": "JX2022-14", "seq": 14, "name": "新增地块"}
    feature["geometry"] = {"type": "MultiPolygon", "coordinates": [SQUARE]}
    created = client.post(
        "/api/v1/parcels", json=feature | {"reason": "补充计划"}, headers=auth(tokens["editor"])
    )
    assert created.status_code == 201, created.text
    assert created.headers["location"] == "/api/v1/parcels/JX2022-14"
    assert created.json()["properties"]["version"] == 1
    duplicate = client.post(
        "/api/v1/parcels", json=feature | {"reason": "again"}, headers=auth(tokens["editor"])
    )
    assert_error(duplicate, 400, "invalid_input", "already exists")

    _, etag = read(client, "JX2022-14")
    edited = client.patch(
        "/api/v1/parcels/JX2022-14",
        json={"properties": {"name": "新增地块（改）"}, "reason": "改名"},
        headers=auth(tokens["editor"], **{"If-Match": etag}),
    )
    assert edited.status_code == 200
    gone = client.delete(
        "/api/v1/parcels/JX2022-14",
        params={"reason": "计划撤销"},
        headers=auth(tokens["editor"], **{"If-Match": edited.headers["etag"]}),
    )
    assert gone.status_code == 204
    assert_error(client.get("/api/v1/parcels/JX2022-14"), 410, "parcel_retired")
    assert "JX2022-14" not in [f["id"] for f in client.get("/api/v1/parcels").json()["features"]]

    changes = client.get("/api/v1/parcels/JX2022-14/history").json()["changes"]
    assert [c["action"] for c in changes] == ["create", "update", "retire"]
    assert [c["reason"] for c in changes] == ["补充计划", "改名", "计划撤销"]
    assert (
        changes[1]["old"]["properties"]["name"] == "新增地块"
        and changes[1]["new"]["properties"]["name"] == "新增地块（改）"
    )
    assert changes[2]["new"] is None and all(c["actor"].startswith("token:") for c in changes)

    def as_of(moment: str):
        return client.get("/api/v1/parcels/JX2022-14", params={"as_of": moment})

    assert as_of(changes[0]["at"]).json()["properties"]["name"] == "新增地块"
    assert as_of(changes[1]["at"]).json()["properties"]["name"] == "新增地块（改）"
    assert_error(as_of(changes[2]["at"]), 410, "parcel_retired", "retired")
    assert_error(
        client.get("/api/v1/parcels/JX2022-14", params={"as_of": "2000-01-01T00:00:00Z"}),
        404,
        "parcel_not_found",
        "did not exist",
    )


def test_history_of_a_loaded_parcel_and_as_of(client):
    changes = client.get("/api/v1/parcels/JX2022-01/history").json()["changes"]
    assert changes[0]["action"] == "load" and changes[0]["actor"] == "cli:load"
    assert changes[0]["new"]["properties"]["name"] == "虹桥新村地块"
    later = client.get("/api/v1/parcels/JX2022-01", params={"as_of": "2100-01-01T00:00:00Z"}).json()
    assert later["properties"]["name"] == "虹桥新村地块"
    assert_error(client.get("/api/v1/parcels/NEVER/history"), 404, "parcel_not_found")
