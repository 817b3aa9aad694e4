"""``zhengshou stage`` and ``export --stage``: the same functions as the API, on a database of
their own (the command commits)."""

import csv
import io
import json
import os
from datetime import date

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from tests.support.cli import run
from tests.support.databases import drop_database, migrate_and_load, recreate_database

DATABASE = f"zhengshou_test_stages_{os.getpid()}"


@pytest.fixture(scope="module")
def own_database():
    url = recreate_database(DATABASE)
    migrate_and_load(url)
    yield url
    drop_database(DATABASE)


def stored(url: str, parcel_id: str):
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            return conn.execute(
                text(
                    "SELECT stage, stage_date::text, stage_document, approval_reference, version "
                    "FROM parcels WHERE id = :id"
                ),
                {"id": parcel_id},
            ).one()
    finally:
        engine.dispose()


def test_a_plan_then_a_parcel_move_and_the_export_filters_by_stage(own_database, tmp_path):
    whole = run(own_database, "stage", "JX2022", "pre_notice", "--plan", "--date", "2022-06-01")
    assert whole.returncode == 0, whole.stderr
    assert "JX2022" in whole.stdout and "13" in whole.stdout
    moved = run(
        own_database,
        "stage",
        "JX2022-06",
        "decision",
        "--date",
        "2022-09-01",
        "--document",
        "房屋征收决定公告",
        "--approval-reference",
        "嘉政发〔2022〕9号",
        "--json",
    )
    assert moved.returncode == 0, moved.stderr
    answer = json.loads(moved.stdout)
    assert answer["changed"] is True and answer["warnings"] == []
    row = stored(own_database, "JX2022-06")
    assert tuple(row)[:4] == ("decision", "2022-09-01", "房屋征收决定公告", "嘉政发〔2022〕9号")
    again = run(own_database, "stage", "JX2022-06", "decision", "--date", "2022-09-01",
                "--document", "房屋征收决定公告")  # fmt: skip
    assert again.returncode == 0 and stored(own_database, "JX2022-06").version == row.version
    out = tmp_path / "decided.csv"
    exported = run(own_database, "export", "-f", "csv", "-o", str(out), "--stage", "decision")
    assert exported.returncode == 0, exported.stderr
    rows = list(csv.DictReader(io.StringIO(out.read_text("utf-8-sig"))))
    assert [(r["id"], r["stage"], r["stage_date"]) for r in rows] == [
        ("JX2022-06", "decision", "2022-09-01")
    ]


def test_without_a_date_the_command_dates_the_change_today_and_says_so(own_database):
    today = date.today().isoformat()
    answer = run(own_database, "stage", "JX2022-07", "risk_assessment")
    assert answer.returncode == 0, answer.stderr
    assert today in answer.stderr
    assert tuple(stored(own_database, "JX2022-07"))[:2] == ("risk_assessment", today)


def test_refusals_are_one_plain_line_and_change_nothing(own_database):
    before = stored(own_database, "JX2022-08")
    for args, word in [
        (("JX2022-08", "paused", "--date", "2022-07-01"), "stage_reason"),
        (("JX2022-08", "later", "--date", "2022-07-01"), "later"),
        (("JX2022-08", "compensation", "--signed", "5", "--total", "3"), "5"),
        (("JX2099-01", "decision", "--date", "2022-07-01"), "JX2099-01"),
        (("XX", "decision", "--plan", "--date", "2022-07-01"), "XX"),
    ]:
        answer = run(own_database, "stage", *args)
        assert answer.returncode == 2, answer.stdout
        assert answer.stderr.splitlines()[-1].startswith("error: ") and word in answer.stderr
        assert "Traceback" not in answer.stderr
    assert stored(own_database, "JX2022-08") == before
