"""Survey file formats (勘测定界成果): boundary-point tables and the submission coordinate text.

This module only turns bytes into boundary points (界址点) and back; ``geo.survey.rings`` builds
and checks the polygon they outline, and numbers a polygon back into points, and
``geo.survey.polygon`` measures it. Every problem is reported with the row (tables) or line (text)
where it was found, so that a surveyor can fix the file.
"""

import csv
import io
import math
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from openpyxl import load_workbook

from geo.errors import InvalidSurvey
from geo.messages import message

MAX_POINTS = 10_000
"""The most coordinate rows (界址点) one file may hold."""

HEADER_SCAN_ROWS = 20
"""Rows searched for the header: spreadsheets often start with a title and project rows."""

# Header names, compared after NFKC folding, lower-casing and dropping spaces and "(…)" units.
_HEADERS = {
    "point": {"点号", "界址点号", "界址点", "点名", "point", "pointid", "point_id"},
    "ring": {"圈号", "环号", "ring", "ringnumber", "ring_number"},
    "x": {"x", "x坐标", "纵坐标", "纵坐标x", "x纵坐标", "northing"},
    "y": {"y", "y坐标", "横坐标", "横坐标y", "y横坐标", "easting"},
}
_HEADERLESS = {4: {"point": 0, "ring": 1, "x": 2, "y": 3}, 3: {"point": 0, "x": 1, "y": 2}}
# Survey software appends the unit to the stated area now and then (0.7655公顷).
_AREA_UNIT = re.compile(r"\s*(公顷|ha)\s*$", re.IGNORECASE)


PLACE_KEYS = {"row": "survey.row", "line": "survey.line"}


class Place(str):
    """Where in a file a value was found (a table's row, a text's line), in the reader's words.

    It is the text itself, and keeps the kind and the number so that a span of places can be
    said too ("rows 3 to 9").
    """

    kind: str
    number: int

    def __new__(cls, kind: str, number: int) -> "Place":
        """The place ``number`` of ``kind`` (row or line)."""
        place = super().__new__(cls, message(PLACE_KEYS[kind], number=number))
        place.kind, place.number = kind, number
        return place


@dataclass(frozen=True)
class BoundaryPoint:
    """One boundary point (界址点) as written: X is the northing, Y the easting as given.

    Y may carry the Gauss-Kruger zone prefix (40572345.678); ``geo.survey.polygon`` decides.
    """

    label: str
    ring: int
    x: float
    y: float
    where: str


@dataclass(frozen=True)
class Block:
    """One parcel of the coordinate text file: its header line and its boundary points."""

    parcel_number: str | None
    parcel_name: str | None
    stated_area_m2: float | None
    points: tuple[BoundaryPoint, ...]
    where: str


def decode_text(data: bytes) -> str:
    """Decode UTF-8 (with or without BOM), else GBK, which most Chinese survey software writes.

    >>> decode_text("界址点".encode("gbk"))
    '界址点'
    """
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        # GB18030 is a superset of GBK and GB2312, so it reads files in either.
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise InvalidSurvey(message("survey.not_utf8_or_gbk")) from None


def _filled(cell: object) -> bool:
    return cell is not None and str(cell).strip() != ""


def _text(cell: object) -> str:
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return "" if cell is None else str(cell).strip()


def parse_number(cell: object, what: str, where: str) -> float:
    """A finite number from a cell or field, or an error naming the row or line."""
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        number = float(cell)
    else:
        text = unicodedata.normalize("NFKC", _text(cell))
        if not text:
            raise InvalidSurvey(message("survey.value_empty", what=what, where=where))
        try:
            number = float(text)
        except ValueError:
            raise InvalidSurvey(
                message("survey.value_not_number", text=text, what=what, where=where)
            ) from None
    if not math.isfinite(number):
        raise InvalidSurvey(message("survey.value_not_finite", what=what, where=where))
    return number


def parse_ring(cell: object, where: str) -> int:
    """A ring number (圈号): a whole number from 1 up."""
    number = parse_number(cell, message("survey.what_ring_number"), where)
    if not number.is_integer() or number < 1:
        raise InvalidSurvey(message("survey.ring_not_whole", cell=_text(cell), where=where))
    return int(number)


def _csv_rows(data: bytes) -> Iterator[tuple[int, list[object]]]:
    text = decode_text(data)
    first = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first and "," not in first else ","
    for number, row in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), start=1):
        yield number, list(row)


def _xlsx_rows(data: bytes) -> Iterator[tuple[int, list[object]]]:
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds (zip, XML, key) for a damaged file
        raise InvalidSurvey(message("survey.xlsx_unreadable", error=type(exc).__name__)) from None
    try:
        sheet = workbook.worksheets[0]
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, list(row)
    finally:
        workbook.close()


def _header_key(cell: object) -> str:
    text = unicodedata.normalize("NFKC", _text(cell)).lower()
    return re.sub(r"\s+", "", re.sub(r"\(.*?\)", "", text))


def _header_columns(cells: list[object]) -> dict[str, int] | None:
    columns: dict[str, int] = {}
    for index, cell in enumerate(cells):
        key = _header_key(cell)
        for role, names in _HEADERS.items():
            if key in names:
                columns.setdefault(role, index)
    return columns if {"x", "y"} <= columns.keys() else None


def _locate_columns(rows: list[tuple[int, list[object]]]) -> tuple[int, dict[str, int]]:
    """Where the data starts, and which column holds what."""
    for index, (_, cells) in enumerate(rows[:HEADER_SCAN_ROWS]):
        columns = _header_columns(cells)
        if columns is not None:
            return index + 1, columns
    number, cells = rows[0]
    while cells and not _filled(cells[-1]):
        cells = cells[:-1]
    columns = _HEADERLESS.get(len(cells))
    if columns is None or not all(_is_number(cells[columns[role]]) for role in ("x", "y")):
        raise InvalidSurvey(message("survey.no_header", where=Place("row", number)))
    return 0, columns


def _is_number(cell: object) -> bool:
    try:
        parse_number(cell, "", "")
    except InvalidSurvey:
        return False
    return True


def table_points(data: bytes, filename: str) -> list[BoundaryPoint]:
    """The boundary points of a CSV or XLSX point table (界址点坐标表), in file order.

    Rows without X and Y (blank rows, the edge-length rows between points, notes) are skipped. An
    empty ring cell repeats the ring above it, as merged spreadsheet cells do.
    """
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if suffix == "xls":
        raise InvalidSurvey(message("survey.legacy_xls", filename=filename))
    if suffix not in ("csv", "xlsx"):
        raise InvalidSurvey(message("survey.table_kind", filename=filename))
    source = _xlsx_rows(data) if suffix == "xlsx" else _csv_rows(data)
    rows = [(number, cells) for number, cells in source if any(_filled(c) for c in cells)]
    if not rows:
        raise InvalidSurvey(message("survey.table_no_rows"))
    start, columns = _locate_columns(rows)
    points: list[BoundaryPoint] = []
    ring = 1
    for number, cells in rows[start:]:
        where = Place("row", number)

        def cell(role: str, cells: list[object] = cells) -> object:
            index = columns.get(role)
            return cells[index] if index is not None and index < len(cells) else None

        if not _filled(cell("x")) and not _filled(cell("y")):
            continue
        if _filled(cell("ring")):
            ring = parse_ring(cell("ring"), where)
        x = parse_number(cell("x"), "X", where)
        y = parse_number(cell("y"), "Y", where)
        points.append(BoundaryPoint(_text(cell("point")), ring, x, y, where))
        if len(points) > MAX_POINTS:
            raise InvalidSurvey(
                message("survey.table_too_many_points", limit=MAX_POINTS, where=where)
            )
    if not points:
        raise InvalidSurvey(message("survey.table_no_points"))
    return points


def _block_header(fields: list[str], where: str) -> tuple[int, Block]:
    """The stated point count and an empty block from a parcel header line (… ,@)."""
    if len(fields) < 6:
        raise InvalidSurvey(message("survey.header_fields", where=where))
    count, area, number, name, shape = fields[:5]
    stated_count = parse_number(count, message("survey.what_point_count"), where)
    if not stated_count.is_integer():
        raise InvalidSurvey(message("survey.point_count_not_whole", count=count, where=where))
    area = _AREA_UNIT.sub("", area)
    area_m2 = parse_number(area, message("survey.what_area"), where) * 10_000 if area else None
    if shape not in ("面", ""):
        raise InvalidSurvey(
            message("survey.not_an_area", parcel=name or number, shape=shape, where=where)
        )
    return int(stated_count), Block(number or None, name or None, area_m2, (), where)


def _close_block(header: tuple[int, Block] | None, points: list[BoundaryPoint]) -> list[Block]:
    if header is None:
        return []
    stated_count, block = header
    label = block.parcel_name or block.parcel_number or "without a name"
    if not points:
        raise InvalidSurvey(message("survey.no_coordinate_lines", where=block.where, label=label))
    # Writers differ on whether the count includes each ring's closing point, so only a count
    # above the lines present (a file cut short) is an error.
    if stated_count > len(points):
        raise InvalidSurvey(
            message(
                "survey.file_cut_short",
                where=block.where,
                stated=stated_count,
                found=len(points),
                label=label,
            )
        )
    return [
        Block(block.parcel_number, block.parcel_name, block.stated_area_m2, (*points,), block.where)
    ]


def text_blocks(data: bytes) -> tuple[dict[str, tuple[str, str]], list[Block]]:
    """The attributes ([属性描述] key → value and line) and parcel blocks of a coordinate file."""
    attributes: dict[str, tuple[str, str]] = {}
    blocks: list[Block] = []
    section = None
    header: tuple[int, Block] | None = None
    points: list[BoundaryPoint] = []
    total = 0
    for number, raw in enumerate(decode_text(data).splitlines(), start=1):
        line, where = raw.strip(), Place("line", number)
        if not line:
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1].strip()
            continue
        if section == "属性描述":
            key, equals, value = line.partition("=")
            if equals:
                attributes[key.strip()] = (value.strip(), where)
            continue
        if section != "地块坐标":
            continue
        fields = [field.strip() for field in line.split(",")]
        if line.endswith("@"):
            blocks += _close_block(header, points)
            header, points = _block_header(fields, where), []
            continue
        if header is None:
            raise InvalidSurvey(message("survey.coordinates_before_header", where=where))
        while len(fields) > 4 and not fields[-1]:
            fields.pop()
        if len(fields) != 4:
            raise InvalidSurvey(message("survey.coordinate_line_form", line=line, where=where))
        label, ring, x, y = fields
        ring_number = parse_ring(ring, where)
        points.append(
            BoundaryPoint(
                label, ring_number, parse_number(x, "X", where), parse_number(y, "Y", where), where
            )
        )
        total += 1
        if total > MAX_POINTS:
            raise InvalidSurvey(
                message("survey.file_too_many_points", limit=MAX_POINTS, where=where)
            )
    blocks += _close_block(header, points)
    if not blocks:
        raise InvalidSurvey(message("survey.no_parcel_section"))
    return attributes, blocks


def format_point_table(rows: Iterable[tuple[str, int, float, float]]) -> bytes:
    """A point table CSV (UTF-8 with BOM, so that Excel shows the Chinese header) at 1 mm."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["点号", "圈号", "X", "Y"])
    writer.writerows((label, ring, f"{x:.3f}", f"{y:.3f}") for label, ring, x, y in rows)
    return buffer.getvalue().encode("utf-8-sig")


def _plain_field(value: str, what: str) -> str:
    if any(char in value for char in ",\r\n"):
        raise InvalidSurvey(message("survey.field_comma", value=value, what=what))
    return value


def format_coordinate_text(
    rows: list[tuple[str, int, float, float]],
    area_ha: float,
    parcel_number: str,
    parcel_name: str,
    unit: str,
    produced_on: date,
    zone_number: int = 40,
) -> bytes:
    """One parcel in the submission coordinate text format, CRLF line ends, UTF-8.

    ``zone_number`` is the 3-degree zone (带号) the rows' Y values carry in front.
    """
    lines = [
        "[属性描述]",
        "格式版本号=1.01版本",
        f"数据产生单位={_plain_field(unit, message('survey.what_producing_unit'))}",
        f"数据产生日期={produced_on.isoformat()}",
        "坐标系=2000国家大地坐标系",
        "几度分带=3",
        "投影类型=高斯克吕格",
        "计量单位=米",
        f"带号={zone_number}",
        "精度=0.001",
        "转换参数=,,,,,,",
        "[地块坐标]",
        f"{len(rows)},{area_ha:.4f},{_plain_field(parcel_number, message('survey.what_parcel_number'))},"
        f"{_plain_field(parcel_name, message('survey.what_parcel_name'))},面,,,,@",
        *(f"{label},{ring},{x:.3f},{y:.3f}" for label, ring, x, y in rows),
    ]
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")
