"""What the readers share: decoding text, tidying cell text, spreading merged cells, zip guard."""

import codecs
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

from geo.errors import UnreadableNotice
from geo.messages import message
from geo.notices.document import Cell, Table
from geo.notices.readers import messages

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_GB_FAMILY = {"gb2312", "gbk", "gb18030", "gb_2312-80", "x-gbk", "cp936", "euc-cn"}


def decode_text(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode text bytes and say which encoding was used.

    A byte-order mark wins; then the declared encoding (a web page's meta charset; GB2312 and
    GBK are read as GB18030, their superset); then UTF-8; then GB18030. Text in none of these
    is refused with :data:`messages.UNDECODABLE`; text holding NUL bytes is refused as binary.
    Line endings become newlines.
    """
    candidates: list[str] = []
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            data = data[len(bom) :]
            candidates.append(encoding)
            break
    else:
        if b"\x00" in data:
            raise UnreadableNotice(message(messages.UNKNOWN_FORMAT))
        if declared:
            candidates.append("gb18030" if declared.lower() in _GB_FAMILY else declared)
        candidates += ["utf-8", "gb18030"]
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
        return text.replace("\r\n", "\n").replace("\r", "\n"), encoding
    raise UnreadableNotice(message(messages.UNDECODABLE))


def tidy(text: str) -> str:
    """Cell or paragraph text, verbatim but for trailing whitespace and blank edge lines.

    Trailing whitespace goes from each line, blank lines from either end; line endings become
    newlines.
    """
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines)


@dataclass
class Origin:
    """A cell as the source gives it: its text and how many rows and columns it covers."""

    text: str
    rowspan: int = 1
    colspan: int = 1


def spread(
    origins: dict[tuple[int, int], Origin],
    where: Callable[[int, int], str],
    table_where: str,
) -> Table:
    """A :class:`Table` from source cells keyed by (row, column), counted from 0.

    A merged cell's text is repeated over every position it covers, each repeat naming the
    origin in ``merged_from``; a position covered twice keeps the first; positions no cell
    covers are empty; every row is padded to the table's width.
    """
    grid: dict[tuple[int, int], Cell] = {}
    for (row, col), origin in sorted(origins.items()):
        if (row, col) in grid:
            continue
        source = where(row, col)
        for r in range(row, row + max(origin.rowspan, 1)):
            for c in range(col, col + max(origin.colspan, 1)):
                if (r, c) not in grid:
                    if len(grid) >= messages.MAX_CELLS:
                        raise UnreadableNotice(message(messages.TOO_MANY_CELLS))
                    merged = None if (r, c) == (row, col) else source
                    grid[(r, c)] = Cell(origin.text, where(r, c), merged)
    if not grid:
        return Table((), table_where)
    height = max(r for r, _ in grid) + 1
    width = max(c for _, c in grid) + 1
    rows = tuple(
        tuple(grid.get((r, c)) or Cell("", where(r, c)) for c in range(width))
        for r in range(height)
    )
    return Table(rows, table_where)


def cell_where(prefix: str, row: int, col: int) -> str:
    """A cell's place in words, rows and columns counted from 1: "表1 第4行 第3列"."""
    return f"{prefix} 第{row + 1}行 第{col + 1}列".strip()


def open_zip(data: bytes, kind: str) -> zipfile.ZipFile:
    """Open an Office file's zip, refusing one that is damaged or unpacks to an absurd size."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        total = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise UnreadableNotice(message(messages.DAMAGED, kind=kind)) from exc
    if total > messages.MAX_UNCOMPRESSED_BYTES:
        raise UnreadableNotice(message(messages.ZIP_BOMB))
    return archive
