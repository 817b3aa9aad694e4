"""A plan's summary as a table to download or print: CSV, Excel (XLSX) and plain text.

Every format holds the same table: one row per group, the grouping and the group's name first,
then the figures of ``geo.plans.summary.FIGURES``, with the plan's total last. Headers are in
the current language (message catalogue); numbers stay numbers (an empty cell where a sum has
nothing to add up). CSV is UTF-8 with a BOM, so that Excel shows the Chinese as Chinese.
"""

import csv
import io
from typing import Any

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from geo.messages import message
from geo.plans.summary import FIGURES

MU_FIGURES = frozenset({"declared_mu", "measured_mu"})


def header() -> list[str]:
    """The table's column names."""
    return [message(f"summary.column_{name}") for name in ("grouping", "name", *FIGURES)]


def table_rows(summary: dict[str, Any]) -> list[list[Any]]:
    """The summary's rows: grouping, name, figures; the plan's total last, with no name."""
    rows = [
        [group["label"], row["label"], *(row[name] for name in FIGURES)]
        for group in summary["groups"]
        for row in group["rows"]
    ]
    totals = summary["totals"]
    rows.append([totals["label"], "", *(totals[name] for name in FIGURES)])
    return rows


def filename(summary: dict[str, Any], extension: str) -> str:
    """The download's name: the plan's code says which plan it is."""
    return f"summary-{summary['plan']['code']}.{extension}"


def summary_csv(summary: dict[str, Any]) -> bytes:
    """The table as CSV, UTF-8 with a BOM; an empty field for a sum of nothing."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header())
    writer.writerows(table_rows(summary))
    return buffer.getvalue().encode("utf-8-sig")


def summary_xlsx(summary: dict[str, Any]) -> bytes:
    """The table as an Excel workbook: one sheet, frozen header, 亩 with two decimals.

    A second sheet names the plan and the area check's tolerance the figures were made with.
    """
    book = Workbook()
    sheet = book.active
    sheet.title = message("summary.sheet_table")
    columns = header()
    sheet.append(columns)
    for row in table_rows(summary):
        sheet.append(row)
    sheet.freeze_panes = "C2"
    for index, name in enumerate(("grouping", "name", *FIGURES), start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = 32 if name == "name" else 16
        if name in MU_FIGURES:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = "0.00"
    about = book.create_sheet(message("summary.sheet_plan"))
    plan = summary["plan"]
    for key, value in (
        ("plan_code", plan["code"]),
        ("plan_title", plan["title"]),
        ("plan_year", plan["year"]),
        ("published_total_mu", plan["published_total_mu"]),
        ("tolerance_pct", summary["tolerance_pct"]),
    ):
        about.append([message(f"summary.about_{key}"), value])
    about.column_dimensions["A"].width = 24
    about.column_dimensions["B"].width = 60
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
