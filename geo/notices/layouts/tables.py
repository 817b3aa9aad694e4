"""The table layout: a table with a header row (or two) naming its columns.

The header is the first of a table's first six rows that names at least two known fields, one of
them a name, 四至 or area column, and holds no sequence number. A second header row is read
with it when each of its cells repeats the one above (a merged cell), names a unit or a field
(面积 over 亩 and 平方米). Below it each row is a parcel, except rows that are empty, repeat the
header (a PDF page break), are one text across the table (a section heading or a note) or label
a total (合计, 总计, 小计): a total is checked against its parcels and never made a parcel. A
table without a header that follows one as wide continues it (a table broken over pages).
"""

import re
from dataclasses import dataclass

from geo.messages import message
from geo.notices.areas import combine_areas, header_unit, parse_area
from geo.notices.document import Cell, Table
from geo.notices.layouts.model import (
    BRACKETED,
    FILL_DOWN,
    LABELS,
    Field,
    Parcel,
    check_total,
    column_of,
    is_total,
    make_parcel,
    seq_value,
    squeeze,
)

KEY_FIELDS = {"name", "boundary", "area"}
# A header naming the village column (村, 被征地村, 村(居委会), 社区名称), not a village's name.
_VILLAGE = re.compile(
    r"^(?:被征地|被征收|所在|所属|行政)?(?:村|社区)(?:名称|名|组|民委员会|委会)?$"
)


@dataclass(frozen=True)
class Column:
    """A table column: its field (None when unknown), header text, and unit (for areas)."""

    index: int
    field: str | None
    header: str
    sub: str = ""
    unit: str | None = None


def header_kinds(row: tuple[Cell, ...]) -> list[str | None]:
    """The field of each header cell.

    A land table of 方案公告 lists villages, not named plots: without a name column the village
    column (村, 社区) names each row, and without an area column a column headed 合计 (the
    village's total over the 地类 columns) is the area.
    """
    kinds = [column_of(cell.text) for cell in row]
    words = [BRACKETED.sub("", squeeze(cell.text)) for cell in row]
    if "name" not in kinds:
        village = [i for i, k in enumerate(kinds) if k == "place" and _VILLAGE.match(words[i])]
        if village:
            kinds[village[-1]] = "name"
    if "area" not in kinds and "合计" in words:
        kinds[words.index("合计")] = "area"
    return kinds


def _header_row(row: tuple[Cell, ...]) -> bool:
    fields = set(header_kinds(row)) - {None}
    numbered = any(seq_value(cell.text) is not None for cell in row)
    return len(fields) >= 2 and bool(fields & KEY_FIELDS) and not numbered


def _second_header(upper: tuple[Cell, ...], lower: tuple[Cell, ...]) -> bool:
    differs = False
    for above, cell in zip(upper, lower, strict=False):
        text = squeeze(cell.text)
        if not text or text == squeeze(above.text):
            continue
        if seq_value(cell.text) is not None or not (header_unit(text) or column_of(text)):
            return False
        differs = True
    return differs


def find_header(table: Table, unit: str | None = None) -> tuple[int, list[Column]] | None:
    """The row after the header and the columns the header names, or None without a header.

    ``unit`` is the unit a note above the table gives (单位：公顷), for area columns whose
    header names none.
    """
    for r, row in enumerate(table.rows[:6]):
        if not _header_row(row):
            continue
        lower = table.rows[r + 1] if r + 1 < len(table.rows) else ()
        two = bool(lower) and _second_header(row, lower)
        columns = []
        kinds = header_kinds(row)
        for i, cell in enumerate(row):
            sub = lower[i].text.strip() if two and i < len(lower) else ""
            if squeeze(sub) == squeeze(cell.text):
                sub = ""
            header = cell.text.strip()
            kind = kinds[i] if kinds[i] != column_of(header) else None
            kind = kind or column_of(header + sub) or column_of(sub)
            found = header_unit(header + sub) or (unit if kind == "area" else None)
            columns.append(Column(i, kind, header, sub, found))
        return r + 1 + two, columns
    return None


def _is_header_repeat(row: tuple[Cell, ...], columns: list[Column]) -> bool:
    texts = [squeeze(cell.text) for cell in row]
    same = sum(1 for c in columns if c.index < len(texts) and texts[c.index] == squeeze(c.header))
    return same >= max(2, len(columns) // 2)


def _one_text(row: tuple[Cell, ...]) -> bool:
    texts = {squeeze(cell.text) for cell in row} - {""}
    return len(texts) <= 1 and len(row) > 2


def _field(kind: str, cells: list[tuple[Column, Cell]]) -> Field:
    where = "; ".join(cell.where for _, cell in cells)
    column, first = cells[0]
    if kind == "area":
        area = parse_area(first.text, column.unit)
        for other_column, other in cells[1:2]:
            area = combine_areas(area, parse_area(other.text, other_column.unit))
        return Field(" | ".join(cell.text for _, cell in cells[:2]), where, area)
    if kind == "boundary" and len(cells) > 1:
        text = "；".join(f"{c.sub or c.header}{cell.text.strip()}" for c, cell in cells)
        return Field(text, where)
    return Field(first.text.strip(), first.where, seq_value(first.text) if kind == "seq" else None)


class TableReader:
    """Reads the rows of one or more tables sharing a header into parcels, totals checked."""

    def __init__(self) -> None:
        """Start with no parcels read."""
        self.parcels: list[Parcel] = []
        self.warnings: list[str] = []
        self.totals: list[Field] = []
        self._since_total = 0
        self._since_subtotal = 0
        self._previous: dict[str, Field] = {}

    def read(self, table: Table, start: int, columns: list[Column]) -> None:
        """Read a table's rows from ``start`` with the given columns."""
        kinds = {c.field for c in columns}
        missing = [LABELS[kind] for kind in ("name", "area") if kind not in kinds]
        if missing:
            self.warnings.append(
                message(
                    "notices.table_column_missing", where=table.where, missing="/".join(missing)
                )
            )
        for row in table.rows[start:]:
            if not any(squeeze(cell.text) for cell in row) or _is_header_repeat(row, columns):
                continue
            if any(is_total(cell.text) for cell in row[:3]):
                self._total(row, columns)
            elif not _one_text(row):
                self.parcels.append(self._parcel(row, columns))

    def _parcel(self, row: tuple[Cell, ...], columns: list[Column]) -> Parcel:
        grouped: dict[str, list[tuple[Column, Cell]]] = {}
        others = []
        for column in columns:
            cell = row[column.index]
            if column.field is None:
                if cell.text.strip():
                    others.append(
                        (column.header + column.sub, Field(cell.text.strip(), cell.where))
                    )
                continue
            grouped.setdefault(column.field, []).append((column, cell))
        values: dict[str, Field] = {}
        for kind, cells in grouped.items():
            if kind in ("area", "boundary"):
                filled = [(c, cell) for c, cell in cells if cell.text.strip()] or cells[:1]
                values[kind] = _field(kind, filled)
                continue
            values[kind] = _field(kind, cells[:1])
            others += [
                (c.header + c.sub, Field(cell.text.strip(), cell.where))
                for c, cell in cells[1:]
                if cell.text.strip()
            ]
        for kind in FILL_DOWN:
            above = self._previous.get(kind)
            if kind in values and not values[kind].text and above is not None:
                source = above.filled_from or above.where
                values[kind] = Field(above.text, values[kind].where, None, source)
        self._previous = values
        self._since_total += 1
        self._since_subtotal += 1
        return make_parcel(row[0].where, values, others)

    def _total(self, row: tuple[Cell, ...], columns: list[Column]) -> None:
        label = next(cell.text.strip() for cell in row[:3] if is_total(cell.text))
        areas = [c for c in columns if c.field == "area"]
        if not areas:
            return
        cells = [(c, row[c.index]) for c in areas if row[c.index].text.strip()]
        if not cells:  # the figure sits in a cell merged across the columns before the area
            label_at = next(i for i, cell in enumerate(row) if is_total(cell.text))
            figures = [cell for cell in row[label_at + 1 :] if parse_area(cell.text).figures]
            if not figures:
                return
            cells = [(areas[0], figures[0])]
        total = _field("area", cells)
        self.totals.append(total)
        subtotal = squeeze(label).startswith("小计")
        count = self._since_subtotal if subtotal else self._since_total
        parcels = self.parcels[len(self.parcels) - count :] if count else []
        why = check_total(squeeze(label)[:2], total.value, parcels, total.where)  # type: ignore[arg-type]
        if why:
            self.warnings.append(why)
        self._since_subtotal = 0
        if not subtotal:
            self._since_total = 0


def read_tables(tables: list[Table], units: list[str | None] | None = None) -> TableReader | None:
    """Parcels from every table with a header (and the headerless tables continuing one).

    ``units`` gives, table by table, the unit a note above it names (单位：公顷), if any.
    """
    reader = TableReader()
    found = False
    current: list[Column] | None = None
    for index, table in enumerate(tables):
        header = find_header(table, units[index] if units else None)
        if header is not None:
            start, current = header
            found = True
        elif current is not None and table.width == len(current):
            start = 0
        else:
            current = None
            continue
        reader.read(table, start, current)
    return reader if found else None
