"""Stages over HTTP: moving a parcel or a plan, the timeline, the stage filter; every refusal a 4xx."""

import httpx
import pytest

from geo.messages import message
from geo.tokens import create_token
from tests.support.errors import assert_error

PARCEL = "JX2022-06"
URL = f"/api/v1/parcels/{PARCEL}/stage"


@pytest.fixture
def editor(session) -> str:
    return create_token(session, "规划科", "editor")


def headers(token: str, etag: str | None = None) -> dict[str, str]:
    extra = {"If-Match": etag} if etag else {}
    return {"Authorization": f"Bearer {token}", **extra}


def etag(client, parcel_id=PARCEL) -> str:
    return client.get(f"/api/v1/parcels/{parcel_id}").headers["etag"]


def move(client, token, body, parcel_id=PARCEL):
    url = f"/api/v1/parcels/{parcel_id}/stage"
    return client.post(url, json=body, headers=headers(token, etag(client, parcel_id)))


def test_an_editor_moves_a_parcel_and_reads_it_back(client, editor):
    body = {"stage": "decision", "date": "2022-09-01", "document": "房屋征收决定"}
    answer = move(client, editor, body)
    assert answer.status_code == 200, answer.text
    result = answer.json()
    assert result["changed"] is True
    assert result["warnings"] == [
        message("stages.decision_without_approval", stage=message("stage_names.decision"))
    ]
    assert answer.headers["etag"] == f'"{result["feature"]["properties"]["version"]}"'
    served = client.get(f"/api/v1/parcels/{PARCEL}").json()["properties"]
    assert (served["stage"], served["stage_date"], served["stage_document"]) == (
        "decision",
        "2022-09-01",
        "房屋征收决定",
    )
    again = move(client, editor, body | {"approval_reference": "嘉政发〔2022〕9号"})
    assert again.json()["warnings"] == [] and again.json()["changed"] is True


def test_the_timeline_lists_the_stages_with_who_and_when(client, editor):
    move(client, editor, {"stage": "pre_notice", "date": "2022-06-01"})
    move(client, editor, {"stage": "paused", "date": "2022-07-01", "reason": "资金未落实"})
    answer = client.get(f"/api/v1/parcels/{PARCEL}/timeline")
    assert answer.status_code == 200
    body = answer.json()
    assert body["stage"] == "paused"
    steps = body["timeline"]
    assert [step["stage"] for step in steps] == ["planned", "pre_notice", "paused"]
    assert steps[-1]["label"] == message("stage_names.paused")
    assert steps[-1]["reason"] == steps[-1]["change_reason"] == "资金未落实"
    assert steps[-1]["changed_by"].startswith("token:")
    assert_error(client.get("/api/v1/parcels/JX2099-01/timeline"), 404, "parcel_not_found")


def test_refusals_are_plain_4xx_and_change_nothing(client, editor):
    version = etag(client)
    body = {"stage": "decision", "date": "2022-09-01"}
    assert_error(client.post(URL, json=body), 401, "not_authenticated")
    assert_error(client.post(URL, json=body, headers=headers(editor)), 428, "precondition_required")
    stale = client.post(URL, json=body, headers=headers(editor, '"99"'))
    assert_error(stale, 412, "version_conflict")
    for wrong, words in [
        ({"stage": "decision"}, ["date"]),
        ({"stage": "decided", "date": "2022-09-01"}, ["decided", "pre_notice"]),
        ({"stage": "decision", "date": "1 Sept 2022"}, ["YYYY-MM-DD"]),
        ({"stage": "paused", "date": "2022-09-01"}, ["stage_reason"]),
        ({"stage": "withdrawn", "date": "2022-09-01", "reason": " "}, ["stage_reason"]),
        (
            {
                "stage": "compensation",
                "date": "2022-09-01",
                "agreements_signed": 5,
                "agreements_total": 4,
            },
            ["5", "4"],
        ),
        ({"stage": "decision", "date": "2022-09-01", "agreements_signed": 1}, ["counted"]),
        ({"stage": "compensation", "date": "2022-09-01", "agreements_total": -1}, ["0"]),
        ({"stage": "decision", "date": "2022-09-01", "when": "now"}, ["when"]),
        ({"stage": "decision", "date": "2022-09-01", "document": 7}, ["document"]),
        (["decision"], ["object"]),
    ]:
        answer = client.post(URL, json=wrong, headers=headers(editor, version))
        assert_error(answer, 400, "invalid_input", *words)
    assert etag(client) == version
    unknown = client.post(
        "/api/v1/parcels/JX2099-01/stage", json=body, headers=headers(editor, '"1"')
    )
    assert_error(unknown, 404, "parcel_not_found")


def test_moving_back_needs_a_reason_in_the_patch_path_too(client, editor):
    move(client, editor, {"stage": "decision", "date": "2022-09-01"})
    back = {"properties": {"stage": "pre_notice", "stage_date": "2022-06-01"}, "reason": "更正"}
    refused = client.patch(
        f"/api/v1/parcels/{PARCEL}", json=back, headers=headers(editor, etag(client))
    )
    assert_error(refused, 400, "invalid_input", "correction", "stage_reason")
    back["properties"]["stage_reason"] = "决定公告录入有误"
    done = client.patch(
        f"/api/v1/parcels/{PARCEL}", json=back, headers=headers(editor, etag(client))
    )
    assert done.status_code == 200 and done.json()["properties"]["stage"] == "pre_notice"
    wrong_type = {"properties": {"agreements_total": "40"}, "reason": "x"}
    answer = client.patch(
        f"/api/v1/parcels/{PARCEL}", json=wrong_type, headers=headers(editor, etag(client))
    )
    assert_error(answer, 400, "invalid_input", "agreements_total")


def test_a_plan_moves_at_once(client, editor):
    url = "/api/v1/plans/JX2022/stage"
    body = {"stage": "pre_notice", "date": "2022-06-01", "parcels": ["JX2022-01", "JX2022-02"]}
    answer = client.post(url, json=body, headers=headers(editor))
    assert answer.status_code == 200, answer.text
    assert answer.json()["changed"] == ["JX2022-01", "JX2022-02"]
    listed = client.get("/api/v1/parcels", params={"stage": "pre_notice"}).json()
    assert [f["id"] for f in listed["features"]] == ["JX2022-01", "JX2022-02"]
    assert_error(
        client.post("/api/v1/plans/XX/stage", json=body, headers=headers(editor)),
        404,
        "plan_not_found",
    )
    bad = client.post(url, json=body | {"parcels": "JX2022-01"}, headers=headers(editor))
    assert_error(bad, 400, "invalid_input", "parcels")


def test_lists_exports_and_ogc_items_filter_by_stage(client, editor):
    move(client, editor, {"stage": "decision", "date": "2022-09-01"})
    move(client, editor, {"stage": "compensation", "date": "2022-10-01"}, "JX2022-07")
    listed = client.get("/api/v1/parcels", params={"stage": "decision,compensation"}).json()
    assert [f["id"] for f in listed["features"]] == ["JX2022-06", "JX2022-07"]
    exported = client.get("/api/v1/export", params={"format": "csv", "stage": "decision"})
    assert exported.status_code == 200 and exported.text.count("\n") == 2  # header and one row
    items = client.get("/ogc/collections/parcels/items", params={"stage": "compensation"}).json()
    assert [f["id"] for f in items["features"]] == ["JX2022-07"]
    cql = client.get(
        "/ogc/collections/parcels/items", params={"filter": "stage IN ('decision', 'planned')"}
    ).json()
    assert cql["numberMatched"] == 12
    queryables = client.get("/ogc/collections/parcels/queryables").json()["properties"]
    assert queryables["stage"]["type"] == "string"
    assert_error(
        client.get("/api/v1/parcels", params={"stage": "done"}), 400, "invalid_input", "done"
    )


def test_the_stage_filter_runs_on_the_async_pool(server):
    planned = httpx.get(f"{server}/api/v1/parcels", params={"stage": "planned,decision"})
    assert len(planned.json()["features"]) == 13
    none = httpx.get(f"{server}/api/v1/parcels", params={"stage": "handed_over"})
    assert none.json()["features"] == []
