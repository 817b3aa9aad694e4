"""Read the expropriation plan table out of the published notice text.

The notice (``data/sources/jiaxing-2022-plan-notice.txt``) is a flattened word-processor document:
each table cell starts on a line that begins with a tab, a cell's text may continue on following
lines (line breaks inside cells are layout, not content: ``城东`` + ``板块`` is ``城东板块``), and a
merged cell is flattened to an empty cell that means "same as the cell above". This module keeps
each cell's text verbatim apart from removing those layout line breaks, and fills merged cells
down only in the columns where the document merges them.
"""

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from geo.errors import InvalidParcelData
from geo.messages import message

# The table's title, e.g. 2022年嘉兴市级国有土地上房屋征收计划表, alone on its line.
TITLE_LINE = re.compile(r"^\s*(\d{4}年\S*征收计划表)\s*$", re.MULTILINE)
COLUMNS = 7
# Columns whose empty cell repeats the value above (merged cells in the source document).
FILL_DOWN = ("block", "interest_type", "implementing_unit")
TOTAL_LABEL = "总计"


@dataclass(frozen=True)
class PlanRow:
    """One row of the plan table, as published (merged cells filled down)."""

    seq: int
    block: str
    name: str
    boundary_text: str
    declared_area_mu: Decimal
    interest_type: str
    implementing_unit: str


@dataclass(frozen=True)
class PlanTable:
    """The whole table: its rows and the published total."""

    title: str
    rows: tuple[PlanRow, ...]
    published_total_mu: Decimal


def split_cells(lines: list[str]) -> list[str]:
    """Group flattened lines into cells: a tab opens a cell, other lines continue it."""
    cells: list[str] = []
    for line in lines:
        if line.startswith("\t"):
            cells.append(line[1:].strip())
        elif line.strip() and cells:
            cells[-1] += line.strip()
    return cells


def _area(cell: str, where: str) -> Decimal:
    try:
        return Decimal(cell.strip())
    except InvalidOperation:
        raise InvalidParcelData(message("intake.area_not_number", cell=cell, where=where)) from None


def parse_plan_table(notice_text: str) -> PlanTable:
    """Parse the annex table of a plan notice into rows with merged cells filled down."""
    # The title also appears in the notice's list of annexes; the table follows its last mention.
    titles = list(TITLE_LINE.finditer(notice_text))
    if not titles:
        raise InvalidParcelData(message("intake.no_plan_table"))
    title = titles[-1]
    cells = split_cells(notice_text[title.end() :].splitlines()[1:])
    body = cells[COLUMNS:]  # the first seven cells are the header
    rows: list[PlanRow] = []
    previous: dict[str, str] = {}
    while len(body) >= COLUMNS and body[0].isdigit():
        seq, block, name, boundary, area, interest, unit = body[:COLUMNS]
        body = body[COLUMNS:]
        values = {"block": block, "interest_type": interest, "implementing_unit": unit}
        for column in FILL_DOWN:
            if not values[column]:
                if column not in previous:
                    raise InvalidParcelData(
                        message(
                            "intake.empty_cell", where=message("intake.row", seq=seq), column=column
                        )
                    )
                values[column] = previous[column]
        previous = values
        rows.append(
            PlanRow(
                seq=int(seq),
                name=name,
                boundary_text=boundary,
                declared_area_mu=_area(area, message("intake.row", seq=seq)),
                **values,
            )
        )
    if len(body) < 2 or body[0].replace(" ", "") != TOTAL_LABEL:
        raise InvalidParcelData(message("intake.no_total_row"))
    return PlanTable(title.group(1), tuple(rows), _area(body[1], "total row"))


def read_plan_table(path: Path) -> PlanTable:
    """Read and parse a plan notice file (UTF-8)."""
    return parse_plan_table(path.read_text(encoding="utf-8"))
