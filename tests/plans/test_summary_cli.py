"""zhengshou summary PLAN: the API's figures as a table, CSV, Excel or JSON."""

import csv
import io
import json

from openpyxl import load_workbook

from geo.messages import use_language
from geo.plans.summary import FIGURES, plan_summary
from tests.support.cli import run


def test_json_is_the_apis_summary(database_url, session):
    answer = run(database_url, "summary", "JX2022", "--format", "json", "--lang", "zh")
    assert answer.returncode == 0, answer.stderr
    with use_language("zh"):
        assert json.loads(answer.stdout) == plan_summary(session, "JX2022")


def test_the_table_shows_every_group_and_figure(database_url, session):
    answer = run(database_url, "summary", "JX2022", "--lang", "zh")
    assert answer.returncode == 0, answer.stderr
    with use_language("zh"):
        summary = plan_summary(session, "JX2022")
    assert "2022年嘉兴市级国有土地上房屋征收计划表（JX2022）统计" in answer.stdout
    lines = [line for line in answer.stdout.splitlines() if line.startswith("│")]
    cells = [[cell.strip() for cell in line.strip("│").split("│")] for line in lines]

    def shown(key, value):
        return "-" if value is None else f"{value:.2f}" if key.endswith("_mu") else str(value)

    wanted = [
        (group["label"] if index == 0 else "", row)
        for group in summary["groups"]
        for index, row in enumerate(group["rows"])
    ] + [(summary["totals"]["label"], summary["totals"] | {"label": ""})]
    assert len(cells) == len(wanted)
    for line, (grouping, row) in zip(cells, wanted, strict=True):
        assert line == [grouping, row["label"], *(shown(key, row[key]) for key in FIGURES)]
    assert cells[-1][0] == "合计" and cells[-1][5] == "253.68"


def test_csv_and_xlsx_files_and_english_from_lang(database_url, tmp_path):
    target = tmp_path / "summary.csv"
    answer = run(database_url, "summary", "JX2022", "-f", "csv", "-o", str(target), "--lang", "en")
    assert answer.returncode == 0, answer.stderr
    assert target.read_bytes().startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(target.read_text(encoding="utf-8-sig"))))
    assert rows[0][:3] == ["Grouping", "Name", "Parcels"]
    assert rows[-1][:3] == ["Total", "", "13"]
    workbook = tmp_path / "summary.xlsx"
    saved = run(database_url, "summary", "JX2022", "-f", "xlsx", "-o", str(workbook))
    assert saved.returncode == 0, saved.stderr
    sheet = load_workbook(workbook).worksheets[0]
    assert sheet.cell(row=sheet.max_row, column=3).value == 13
    refused = run(database_url, "summary", "JX2022", "-f", "xlsx", "--lang", "en")
    assert refused.returncode == 2 and "-o" in refused.stderr


def test_an_unknown_plan_is_one_plain_line(database_url):
    answer = run(database_url, "summary", "NOPE")
    assert answer.returncode == 2
    assert "NOPE" in answer.stderr and "Traceback" not in answer.stderr
