"""Tables on a sheet: cells that wrap, and tables that continue on the next page.

A table is split between rows when the room left on a page is too small; the rest goes on the
next page under its title marked as continued and the same header, so no row is ever cut off.
Long narrow tables (boundary points) are set in several side-by-side column groups.
"""

import math
from dataclasses import dataclass, replace

from geo.messages import message
from geo.printing.paper import Rect
from geo.printing.sheet import Sheet, line_height_mm, wrap

PAD_X = 1.2
PAD_Y = 0.9
HEADER_FILL = "#e9e9e9"
LABEL_FILL = "#f4f4f4"
RULE_PT = 0.3
BORDER_PT = 0.7
GROUP_GAP = 3.0
MIN_ROWS_PER_PIECE = 3


@dataclass(frozen=True)
class Column:
    """A column: its header, its share of the width and how its cells align."""

    header: str
    weight: float
    align: str = "left"


@dataclass(frozen=True)
class Table:
    """A table, or the piece of one that fits on a page."""

    columns: tuple[Column, ...]
    rows: tuple[tuple[str, ...], ...]
    title: str | None = None
    size_pt: float = 8.0
    group_width: float | None = None
    """Set: side-by-side copies of the columns, each about this wide (mm), as many as fit;
    rows run down the first copy, then the next."""
    show_header: bool = True
    label_column: bool = False
    """The first column holds labels (a key-value table): shaded."""
    total_row: bool = False
    """The last row is a total: shaded."""
    continued: bool = False

    def _groups(self, width: float) -> int:
        if self.group_width is None:
            return 1
        return max(1, int((width + GROUP_GAP) // (self.group_width + GROUP_GAP)))

    def _group_width(self, width: float) -> float:
        groups = self._groups(width)
        return (width - GROUP_GAP * (groups - 1)) / groups

    def _widths(self, width: float) -> list[float]:
        total = sum(column.weight for column in self.columns)
        group = self._group_width(width)
        return [group * column.weight / total for column in self.columns]

    def _lines(self, cells: tuple[str, ...], widths: list[float]) -> list[list[str]]:
        return [
            wrap(cell, width - 2 * PAD_X, self.size_pt)
            for cell, width in zip(cells, widths, strict=True)
        ]

    def _row_height(self, cells: tuple[str, ...], widths: list[float]) -> float:
        most = max(len(lines) for lines in self._lines(cells, widths))
        return most * line_height_mm(self.size_pt) + 2 * PAD_Y

    def _title_lines(self, width: float) -> list[str]:
        if not self.title:
            return []
        suffix = message("printing.continued") if self.continued else ""
        return wrap(self.title + suffix, width, self.size_pt + 0.5)

    def _title_height(self, width: float) -> float:
        lines = self._title_lines(width)
        return line_height_mm(self.size_pt + 0.5) * len(lines) + 1.0 if lines else 0.0

    def _header_height(self, widths: list[float]) -> float:
        if not self.show_header:
            return 0.0
        return self._row_height(tuple(column.header for column in self.columns), widths)

    def _item_heights(self, width: float) -> list[float]:
        widths = self._widths(width)
        return [self._row_height(row, widths) for row in self.rows]

    def _height_of(self, item_heights: list[float], count: int, width: float) -> float:
        fixed = self._title_height(width) + self._header_height(self._widths(width))
        groups = self._groups(width)
        if groups == 1:
            return fixed + sum(item_heights[:count])
        rows = math.ceil(count / groups)
        return fixed + rows * max(item_heights[:count], default=0.0)

    def height(self, width: float) -> float:
        """The height of the whole table at this width (mm)."""
        return self._height_of(self._item_heights(width), len(self.rows), width)

    def split(self, width: float, room: float) -> tuple["Table | None", "Table | None"]:
        """The rows that fit in ``room`` mm, and the rest (continued), either possibly None."""
        heights = self._item_heights(width)
        if self._height_of(heights, len(self.rows), width) <= room:
            return self, None
        fits, groups = 0, self._groups(width)
        if groups == 1:
            used = self._height_of(heights, 0, width)
            for height in heights:
                if used + height > room:
                    break
                used += height
                fits += 1
        else:
            row_h = max(heights, default=1.0)
            per_group = int((room - self._height_of(heights, 0, width)) // row_h)
            fits = max(0, per_group) * groups
        # A table is not begun with a row or two at the foot of a page (it starts on the next),
        # nor does it end with a row or two alone on a page: a few rows go on with them.
        least = min(len(self.rows), MIN_ROWS_PER_PIECE * groups)
        if 0 < len(self.rows) - fits < least:
            fits = len(self.rows) - least
        if fits <= 0 or fits < least:
            return None, self
        first = replace(self, rows=self.rows[:fits], total_row=False)
        rest = replace(self, rows=self.rows[fits:], continued=True)
        return first, rest

    def draw(self, sheet: Sheet, x: float, y: float, width: float) -> float:
        """Draw the table with its top-left corner at (x, y); returns the height used."""
        top = y
        if self.title:
            sheet.paragraph(x, y, self._title_lines(width), self.size_pt + 0.5)
            y += self._title_height(width)
        widths = self._widths(width)
        group_w = self._group_width(width)
        groups = self._groups(width)
        per_group = math.ceil(len(self.rows) / groups) if self.rows else 0
        heights = self._item_heights(width)
        bottom = y
        for group in range(groups):
            items = list(range(group * per_group, min(len(self.rows), (group + 1) * per_group)))
            if not items and group:
                break
            left = x + group * (group_w + GROUP_GAP)
            cursor = y
            if self.show_header:
                header = tuple(column.header for column in self.columns)
                cursor += self._draw_row(
                    sheet, left, cursor, header, widths, HEADER_FILL, center=True
                )
            for index in items:
                row_h = heights[index] if groups == 1 else max(heights)
                fill = HEADER_FILL if self.total_row and index == len(self.rows) - 1 else None
                self._draw_row(sheet, left, cursor, self.rows[index], widths, fill, height=row_h)
                cursor += row_h
            sheet.box(Rect(left, y, group_w, cursor - y), width_pt=BORDER_PT)
            bottom = max(bottom, cursor)
        return bottom - top

    def _draw_row(
        self,
        sheet: Sheet,
        x: float,
        y: float,
        cells: tuple[str, ...],
        widths: list[float],
        fill: str | None,
        height: float | None = None,
        center: bool = False,
    ) -> float:
        height = height or self._row_height(cells, widths)
        left = x
        for index, (lines, column, width) in enumerate(
            zip(self._lines(cells, widths), self.columns, widths, strict=True)
        ):
            shade = fill or (LABEL_FILL if self.label_column and index == 0 else None)
            sheet.box(Rect(left, y, width, height), edge="#555555", fill=shade, width_pt=RULE_PT)
            align = "center" if center else column.align
            anchor = {
                "left": left + PAD_X,
                "center": left + width / 2,
                "right": left + width - PAD_X,
            }
            sheet.text(
                anchor[align],
                y + PAD_Y,
                "\n".join(lines),
                self.size_pt,
                ha=align,
                multialignment=align,
            )
            left += width
        return height


@dataclass(frozen=True)
class Placed:
    """A table piece and where it goes: the page (0 is the first) and its top-left corner."""

    table: Table
    page: int
    x: float
    y: float
    width: float


def flow(tables: list[Table], first: Rect, later: Rect, gap: float = 4.0) -> list[Placed]:
    """Place tables one under another, in the first page's area, then on further pages."""
    placed: list[Placed] = []
    page, area, cursor = 0, first, first.y
    for table in tables:
        rest: Table | None = table
        while rest is not None:
            piece, rest = rest.split(area.w, area.bottom - cursor)
            if piece is None and cursor == area.y and area is later:
                raise ValueError("a single table row is taller than a page")
            if piece is not None:
                placed.append(Placed(piece, page, area.x, cursor, area.w))
                cursor += piece.height(area.w) + gap
            if rest is not None:
                page, area = page + 1, later
                cursor = area.y
    return placed
