"""Excel notices (.xlsx): every sheet's used range as a table, merged ranges spread."""

import datetime as dt
import io
import re
import warnings

import openpyxl
from openpyxl.cell.cell import Cell as XlCell
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from geo.notices.document import NoticeDocument, Table
from geo.notices.readers.common import Origin, spread, tidy

_FIXED = re.compile(r"^(#,##)?0(\.(0+))?(%?)$")
"""Number formats shown as a fixed count of decimals: 0, 0.00, #,##0.00, 0.0%."""
_SIGNIFICANT = 15
"""Digits kept of a float in the General format: enough for any published figure, few enough
to drop binary noise (12.500000000000002 shows as 12.5)."""


def shown(cell: XlCell) -> str:
    """A cell's value as Excel shows it, as far as is feasible.

    Whole numbers without ".0"; other numbers in a fixed format (``0.00``, ``#,##0.0``, ``0%``)
    with its decimals, otherwise to 15 significant digits; dates as ISO (``2024-03-01``, with
    the time only when there is one); TRUE/FALSE as Excel writes them; text verbatim. Formulas
    give the value Excel last saved.
    """
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, int | float):
        return _number(value, cell.number_format or "General")
    return tidy(str(value))


def _number(value: float, number_format: str) -> str:
    positive = re.sub(r"_.|\[[^\]]*\]", "", number_format.split(";")[0]).strip()
    fixed = _FIXED.match(positive)
    if fixed:
        thousands, _, decimals, percent = fixed.groups()
        if percent:
            value *= 100
        text = f"{value:{',' if thousands else ''}.{len(decimals or '')}f}"
        return text + percent
    if float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    return f"{value:.{_SIGNIFICANT}g}"


def _sheet(sheet: Worksheet) -> Table:
    filled = {
        (row - 1, col - 1): cell
        for (row, col), cell in sheet._cells.items()  # only the cells the file holds
        if cell.value is not None and str(cell.value).strip()
    }
    origins = {position: Origin(shown(cell)) for position, cell in filled.items()}
    for merged in sheet.merged_cells.ranges:
        origin = (merged.min_row - 1, merged.min_col - 1)
        if origin in origins:
            origins[origin].rowspan = merged.max_row - merged.min_row + 1
            origins[origin].colspan = merged.max_col - merged.min_col + 1
    if not origins:
        return Table((), f"工作表 {sheet.title}")
    top = min(r for r, _ in origins)
    left = min(c for _, c in origins)
    shifted = {(r - top, c - left): origin for (r, c), origin in origins.items()}

    def where(row: int, col: int) -> str:
        return f"工作表 {sheet.title} {get_column_letter(col + left + 1)}{row + top + 1}"

    return spread(shifted, where, f"工作表 {sheet.title}")


def read_xlsx(data: bytes, filename: str) -> NoticeDocument:
    """One table per sheet that holds anything, in the workbook's order.

    The table covers the used range (from the first to the last filled row and column); each
    cell's ``where`` names the sheet and the Excel reference ("工作表 Sheet1 B7"). A merged
    range repeats its text over every cell it covers, with ``merged_from``.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl warns about styles and extensions it skips
        workbook = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    tables = tuple(table for table in map(_sheet, workbook.worksheets) if table.rows)
    return NoticeDocument(source=filename, format="xlsx", blocks=tables)
