"""POST /api/v1/plans/ingest: the review with dry_run, a commit without it, refusals in words."""

import json

import pytest
from sqlalchemy import text

from geo.tokens import create_token
from tests.support.errors import assert_error
from tests.support.notice_corpus_office import CORPUS

ITEMS = CORPUS / "08_plan_items.txt"
WORD = CORPUS / "12_plan_word.docx"


@pytest.fixture
def editor(session):
    return {"Authorization": f"Bearer {create_token(session, '公告导入', 'editor')}"}


def ingest(client, headers, path, **form):
    files = {"file": (path.name, path.read_bytes())}
    return client.post("/api/v1/plans/ingest", headers=headers, files=files, data=form)


def parcel_count(session) -> int:
    return session.execute(text("SELECT count(*) FROM parcels")).scalar_one()


def test_a_dry_run_answers_the_review_and_writes_nothing(client, session, editor):
    before = parcel_count(session)
    answer = ingest(client, editor, WORD, dry_run="true")
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["dry_run"] is True and body["format"] == "docx"
    assert body["parcels"] and all("where" in parcel for parcel in body["parcels"])
    assert parcel_count(session) == before


def test_a_commit_writes_the_plan_and_the_parcels_appear_in_the_api(client, session, editor):
    fixes = json.dumps([{"parcel": 1, "field": "name", "text": "溪口安置小区（二期）"}])
    answer = ingest(client, editor, ITEMS, code="QX2024", corrections=fixes)
    assert answer.status_code == 200, answer.text
    written = answer.json()["written"]
    assert (written["inserted"], written["not_located"]) == (3, 3)
    parcel = client.get("/api/v1/parcels/QX2024-02").json()
    assert parcel["properties"]["name"] == "溪口安置小区（二期）"
    assert parcel["geometry"] is None and parcel["properties"]["geometry_source"] == "none"
    history = client.get("/api/v1/parcels/QX2024-02/history").json()
    assert "公告导入" in json.dumps(history, ensure_ascii=False)
    again = ingest(client, editor, ITEMS, code="QX2024", corrections=fixes).json()["written"]
    assert (again["inserted"], again["updated"], again["unchanged"]) == (0, 0, 3)
    plan = client.get("/api/v1/plans/QX2024").json()
    assert plan["document_type"] == "征收计划" and plan["parcels"]["not_located"] == 3
    notice = client.get("/api/v1/plans/QX2024/notice").json()
    name = notice["review"]["parcels"][1]["name"]
    assert name["text"] == "溪口安置小区（二期）" and "corrected by" in name["where"]
    assert notice["review"]["corrections"] == json.loads(fixes)


def test_a_plan_loaded_from_a_file_has_no_notice_review_and_an_unknown_code_is_404(client):
    assert client.get("/api/v1/plans/JX2022/notice").json()["review"] is None
    assert_error(client.get("/api/v1/plans/NOPE/notice"), 404, "plan_not_found", "NOPE")


def test_refusals_are_plain_words_and_write_nothing(client, session, editor):
    before = parcel_count(session)
    files = {"file": ("scan.pdf", b"%PDF-1.4\n%%EOF")}
    refused = client.post("/api/v1/plans/ingest", headers=editor, files=files)
    assert refused.status_code in (400, 422)
    assert refused.json()["error"]["code"] == "unreadable_notice"
    assert_error(
        ingest(client, editor, ITEMS, corrections="[{"), 400, "invalid_input", "must be JSON"
    )
    assert_error(
        ingest(client, editor, ITEMS, corrections='[{"parcel": 9, "field": "name", "text": "x"}]'),
        400,
        "invalid_input",
        "no parcel 9",
    )
    assert parcel_count(session) == before


def test_ingesting_needs_an_editor(client):
    files = {"file": (ITEMS.name, ITEMS.read_bytes())}
    assert client.post("/api/v1/plans/ingest", files=files).status_code == 401
