"""GET /api/v1/plans/{code}/summary, .csv and .xlsx: the same figures in JSON, CSV and Excel, in
the language asked for."""

import csv
import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import text

from geo.messages import message, use_language
from geo.plans.summary import FIGURES, plan_summary
from tests.support.errors import assert_error
from tests.support.plans import HANGZHOU, load_test_plans
from tests.support.summary import assert_row_matches, independent_groups

URL = "/api/v1/plans/{code}/summary"
COLUMNS = ("grouping", "name", *FIGURES)


def summary_json(client, code="JX2022", language="zh-CN,zh;q=0.9", **params):
    response = client.get(
        URL.format(code=code), headers={"Accept-Language": language}, params=params
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/json")
    return response.json()


def table_of(summary: dict) -> list[list]:
    """The rows every file format must hold, read off the JSON answer."""
    rows = [
        [group["label"], row["label"], *(row[name] for name in FIGURES)]
        for group in summary["groups"]
        for row in group["rows"]
    ]
    totals = summary["totals"]
    return [*rows, [totals["label"], "", *(totals[name] for name in FIGURES)]]


def test_the_answer_is_the_domain_summary_with_labels_in_the_asked_language(client, session):
    chinese = summary_json(client)
    with use_language("zh"):
        assert chinese == plan_summary(session, "JX2022")
    assert list(chinese) == ["plan", "tolerance_pct", "totals", "area_check", "groups"]
    assert chinese["groups"][0]["label"] == "所属板块"
    english = summary_json(client, language="en-GB")
    assert english["groups"][0]["label"] == "Block"
    assert summary_json(client, language="en", lang="zh") == chinese  # ?lang= wins
    expected = independent_groups(session, "JX2022")
    for group in english["groups"]:
        for row in group["rows"]:
            if row["value"] in expected[group["key"]]:
                assert_row_matches(row, expected[group["key"]][row["value"]])


def test_the_area_counts_are_the_area_checks(client):
    checks = client.get("/api/v1/checks/area", params={"tolerance_pct": 2}).json()
    jiaxing = [row for row in checks["parcels"] if row["id"].startswith("JX2022-")]
    summary = summary_json(client, tolerance_pct=2)
    assert summary["tolerance_pct"] == 2
    assert summary["area_check"] == {
        status: sum(row["status"] == status for row in jiaxing)
        for status in ("ok", "fail", "not_declared", "not_located")
    }


def test_an_unknown_plan_is_a_404_and_a_bad_tolerance_a_400(client):
    for suffix in ("", ".csv", ".xlsx"):
        response = client.get(URL.format(code="NOPE") + suffix)
        assert_error(response, 404, "plan_not_found", "NOPE")
    assert_error(
        client.get(URL.format(code="JX2022"), params={"tolerance_pct": 101}), 400, "invalid_request"
    )
    assert_error(
        client.get(URL.format(code="JX2022"), params={"lang": "fr"}), 400, "invalid_request"
    )


@pytest.mark.parametrize("language", ["zh", "en"])
def test_csv_reads_back_as_the_json(client, session, language):
    load_test_plans(session)  # Hangzhou: a parcel not located, so some sums are empty
    summary = summary_json(client, HANGZHOU.code, language=language)
    response = client.get(URL.format(code=HANGZHOU.code) + ".csv", params={"lang": language})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert f"summary-{HANGZHOU.code}.csv" in response.headers["content-disposition"]
    assert response.content.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs for Chinese
    header, *rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert header == [message(f"summary.column_{name}", language=language) for name in COLUMNS]

    def cell(value):
        return "" if value is None else str(value)

    assert rows == [[cell(value) for value in row] for row in table_of(summary)]


def test_xlsx_reads_back_as_the_json_with_numbers_as_numbers(client, session):
    load_test_plans(session)
    summary = summary_json(client, HANGZHOU.code)
    response = client.get(
        URL.format(code=HANGZHOU.code) + ".xlsx", headers={"Accept-Language": "zh-CN"}
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert f"summary-{HANGZHOU.code}.xlsx" in response.headers["content-disposition"]
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["统计", "征收计划"]
    header, *rows = [list(row) for row in book["统计"].iter_rows(values_only=True)]
    assert header == [message(f"summary.column_{name}", language="zh") for name in COLUMNS]
    wanted = table_of(summary)
    # openpyxl reads an empty cell as None, and so the total's empty name.
    assert rows == [[None if value == "" else value for value in row] for row in wanted]
    figures = [value for row in rows for value in row[2:] if value is not None]
    assert figures and all(isinstance(value, int | float) for value in figures)
    about = dict(book["征收计划"].iter_rows(values_only=True))
    assert about["计划代码"] == HANGZHOU.code and about["面积核对容差（%）"] == 5


def test_a_chinese_plan_code_names_the_file(client, session):
    load_test_plans(session)
    session.execute(
        text("UPDATE plans SET code = '杭州测试' WHERE code = :c"), {"c": HANGZHOU.code}
    )
    response = client.get(URL.format(code="杭州测试") + ".csv")
    assert response.status_code == 200
    assert (
        "filename*=UTF-8''summary-%E6%9D%AD%E5%B7%9E%E6%B5%8B%E8%AF%95.csv"
        in response.headers["content-disposition"]
    )
