"""CSV notices: UTF-8, UTF-8 with a byte-order mark or GB18030; comma, tab or semicolon."""

import csv
import io

from geo.notices.document import NoticeDocument
from geo.notices.readers.common import Origin, cell_where, decode_text, spread, tidy

DELIMITERS = (",", "\t", ";")
"""The separators tried, in order of preference; the Chinese comma "，" is never one (it is
running text inside a cell: "东至规划路，南至河道")."""
_SAMPLE_LINES = 50


def sniff_delimiter(text: str) -> str:
    """The separator that splits the first lines into the most rows of one common width (>1)."""
    sample = "\n".join(text.split("\n")[:_SAMPLE_LINES])
    best, best_score = DELIMITERS[0], 0
    for delimiter in DELIMITERS:
        widths = [len(row) for row in csv.reader(io.StringIO(sample), delimiter=delimiter) if row]
        wide = [width for width in widths if width > 1]
        if not wide:
            continue
        common = max(set(wide), key=wide.count)
        score = wide.count(common)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def read_csv(data: bytes, filename: str) -> NoticeDocument:
    """The whole file as one table ("表1").

    Each cell's ``where`` is its record and column ("第4行 第3列", records counted from 1, so a
    quoted field spanning lines counts once).
    """
    text, _ = decode_text(data)
    delimiter = sniff_delimiter(text)
    origins = {
        (row, col): Origin(tidy(value))
        for row, record in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter))
        for col, value in enumerate(record)
    }
    table = spread(origins, lambda row, col: cell_where("", row, col), "表1")
    blocks = (table,) if table.rows else ()
    return NoticeDocument(source=filename, format="csv", blocks=blocks)
