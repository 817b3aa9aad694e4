"""The flattened-table layout: a table copied from a web page, one cell per line.

Lines are split at stray ``|`` and blank pieces dropped. The header is the first run of three or
more lines that each name a known field (one of them a name, 四至 or area column); its length
is the number of columns. The lines after it are regrouped into rows, a row starting at the next
sequence number (1, 2, 3, …). A row with exactly one line per column is read as is. Otherwise
the 四至 is taken to run from the first line with 东至/南至/西至/北至 to the line before the
first area figure (a 四至 broken over lines), and the lines before and after it are given to
the columns by what they look like (a company is the 实施单位, a …地块 the name); a column left
without a line is blank, and filled from the row above where merged cells usually are. The rows
are then read as a table (``tables.TableReader``): totals checked, blanks filled, fields kept.
"""

import re

from geo.chinese import fold
from geo.messages import message
from geo.notices.areas import header_unit, parse_area
from geo.notices.document import Cell, Paragraph, Table
from geo.notices.layouts.model import column_of, is_total, seq_value, squeeze
from geo.notices.layouts.tables import KEY_FIELDS, Column, TableReader

_DIRECTION = re.compile(r"[东南西北]\s*(?:侧\s*)?至|四至")
_LOOKS = {
    "name": re.compile(r"地块|项目|工程|片区|区块|号|小区|厂|宗地|用地"),
    "place": re.compile(r"镇|街道|村|板块|社区|区|乡|路"),
    "purpose": re.compile(r"改建|建设|开发|设施|公益|需要|保障|安居|事业|交通|水利|能源|防灾|军事"),
    "implementer": re.compile(r"公司|局|政府|委员会|管委会|中心|办公室|集团|指挥部|事务所|所$"),
}


def _cells(paragraphs: list[Paragraph]) -> list[Cell]:
    cells = []
    for paragraph in paragraphs:
        for piece in re.finditer(r"[^|]+", fold(paragraph.text)):
            text = paragraph.text[piece.start() : piece.end()].strip()
            if text:
                cells.append(Cell(text, paragraph.where))
    return cells


def _header_cell(text: str) -> bool:
    """Whether a line can be a column header: short, naming a field, not a label with a value.

    征收土地面积：2公顷 is a field of a single-parcel announcement, not a column.
    """
    words = squeeze(text)
    return len(words) <= 20 and bool(column_of(text)) and not re.search(r":\S", words)


def _header(cells: list[Cell]) -> tuple[int, int] | None:
    start = 0
    while start < len(cells):
        end = start
        while end < len(cells) and _header_cell(cells[end].text):
            end += 1
        fields = {column_of(cell.text) for cell in cells[start:end]}
        if end - start >= 3 and fields & KEY_FIELDS:
            return start, end
        start = end + 1
    return None


def _area_like(text: str) -> bool:
    area = parse_area(text)
    return bool(area.figures) and not area.doubtful


def _looks(kind: str | None, text: str) -> bool:
    if kind == "seq":
        return seq_value(text) is not None
    if kind != "implementer" and _LOOKS["implementer"].search(text):
        return False
    if kind == "place":
        return bool(_LOOKS["place"].search(text)) and not _LOOKS["name"].search(text)
    return bool(kind in _LOOKS and _LOOKS[kind].search(text))


def _assign(cells: list[Cell], columns: list[Column]) -> dict[int, Cell]:
    """Give cells to columns in order; with fewer cells than columns, by what they look like."""
    placed: dict[int, Cell] = {}
    remaining = list(cells)
    for position, column in enumerate(columns):
        if not remaining:
            break
        if len(remaining) >= len(columns) - position or _looks(column.field, remaining[0].text):
            placed[column.index] = remaining.pop(0)
    return placed


def _row(cells: list[Cell], columns: list[Column]) -> tuple[tuple[Cell, ...], list[Cell]]:
    """A table row from a row's lines, and the lines no column took."""
    width = len(columns)
    placed: dict[int, Cell] = {}
    kinds = [c.field for c in columns]
    start = next((i for i, c in enumerate(cells) if i and _DIRECTION.search(c.text)), None)
    if len(cells) != width and "boundary" in kinds and "area" in kinds and start is not None:
        end = next((i for i in range(start + 1, len(cells)) if _area_like(cells[i].text)), None)
        b, a = kinds.index("boundary"), kinds.index("area")
        if end is not None and a == b + 1:
            lines = cells[start:end]
            where = lines[0].where if len(lines) == 1 else f"{lines[0].where}至{lines[-1].where}"
            before = _assign(cells[:start], columns[:b])
            after = _assign(cells[end + 1 :], columns[a + 1 :])
            placed = before | after | {b: Cell("\n".join(c.text for c in lines), where)}
            placed[a] = cells[end]
            leftover = cells[len(before) : start] + cells[end + 1 + len(after) :]
            row = tuple(placed.get(i, Cell("", cells[0].where)) for i in range(width))
            return row, leftover
    placed = _assign(cells, columns)
    row = tuple(placed.get(i, Cell("", cells[0].where)) for i in range(width))
    return row, cells[len(placed) :] if len(cells) > width else []


def _group(cells: list[Cell]) -> list[list[Cell]]:
    """Lines into rows: a row starts at the next sequence number, a total row at 合计."""
    rows: list[list[Cell]] = []
    expected = None
    for cell in cells:
        number = seq_value(cell.text)
        starts = number is not None and (expected is None or number == expected)
        if rows and is_total(rows[-1][0].text):
            rows[-1].append(cell)
        elif starts and (not rows or len(rows[-1]) >= 3):
            rows.append([cell])
            expected = (number or 0) + 1
        elif is_total(cell.text):
            rows.append([cell])
            expected = None
        elif rows:
            rows[-1].append(cell)
    return rows


def read_flattened(paragraphs: list[Paragraph]) -> tuple[TableReader, str] | None:
    """Parcels from a flattened table in the running text, and where its header was, or None."""
    cells = _cells(paragraphs)
    header = _header(cells)
    if header is None:
        return None
    start, end = header
    columns = [
        Column(i, column_of(cell.text), cell.text.strip(), "", header_unit(cell.text))
        for i, cell in enumerate(cells[start:end])
    ]
    rows: list[tuple[Cell, ...]] = []
    warnings = []
    groups = _group(cells[end:])
    for number, group in enumerate(groups):
        if is_total(group[0].text):
            area = next((c for c in group[1:] if _area_like(c.text)), Cell("", group[0].where))
            kinds = [c.field for c in columns]
            row = [Cell("", group[0].where) for _ in columns]
            row[0] = group[0]
            if "area" in kinds:
                row[kinds.index("area")] = area
            rows.append(tuple(row))
            break
        row, leftover = _row(group, columns)
        rows.append(row)
        if leftover and number < len(groups) - 1:
            texts = "、".join(repr(c.text) for c in leftover)
            warnings.append(message("notices.lines_unplaced", where=group[0].where, texts=texts))
    reader = TableReader()
    reader.warnings += warnings
    reader.read(Table(tuple(rows), cells[start].where), 0, columns)
    return reader, cells[start].where
