"""PDF notices with a text layer: tables found by their ruling lines, the text around them."""

import io
from collections.abc import Sequence

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfplumber.page import Page
from pdfplumber.table import Table as PlumberTable
from pdfplumber.utils.exceptions import PdfminerException

from geo.errors import UnreadableNotice
from geo.messages import message
from geo.notices.document import Block, NoticeDocument, Paragraph
from geo.notices.readers import messages
from geo.notices.readers.common import Origin, cell_where, spread, tidy

_EPSILON = 0.5
"""Points of slack when deciding which grid lines a merged cell's box covers."""

_LOCKED = (PDFPasswordIncorrect, PDFEncryptionError)
Box = tuple[float, float, float, float]


def _inside(obj: dict, boxes: Sequence[Box]) -> bool:
    x = (obj["x0"] + obj["x1"]) / 2
    y = (obj["top"] + obj["bottom"]) / 2
    return any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)


def _covers(start: float, end: float, lines: list[float]) -> int:
    return max(1, sum(start - _EPSILON <= line < end - _EPSILON for line in lines))


def _table(found: PlumberTable, prefix: str) -> Block:
    """The table's cells by grid position; a merged cell spreads over the grid lines it spans."""
    texts = found.extract()
    tops = [row.bbox[1] for row in found.rows]
    lefts = sorted({column.bbox[0] for column in found.columns})
    origins: dict[tuple[int, int], Origin] = {}
    for r, row in enumerate(found.rows):
        for c, box in enumerate(row.cells):
            if box is None:
                continue
            x0, top, x1, bottom = box
            text = texts[r][c] or ""
            origins[(r, c)] = Origin(tidy(text), _covers(top, bottom, tops), _covers(x0, x1, lefts))
    return spread(origins, lambda row, col: cell_where(prefix, row, col), prefix)


def _page(page: Page, number: int) -> list[Block]:
    """A page's tables and the lines of text outside them, top to bottom."""
    found = page.find_tables()
    boxes = [table.bbox for table in found]
    placed: list[tuple[float, int, Block]] = []
    outside = page.filter(lambda obj: obj.get("object_type") != "char" or not _inside(obj, boxes))
    for index, line in enumerate(outside.extract_text_lines(return_chars=False)):
        text = line["text"].rstrip()
        if text.strip():
            placed.append((line["top"], 0, Paragraph(text, f"第{number}页 第{index + 1}行")))
    for index, table in enumerate(found, start=1):
        block = _table(table, f"第{number}页 表{index}")
        if block.rows:
            placed.append((table.bbox[1], 1, block))
    placed.sort(key=lambda item: (item[0], item[1]))
    return [block for _, _, block in placed]


def read_pdf(data: bytes, filename: str) -> NoticeDocument:
    """Page by page, the tables and the lines of text between them, as they stand on the page.

    Tables are "第2页 表1 第4行 第3列"; lines "第2页 第5行", counting the lines outside tables.

    A cell merged over several rows or columns is spread with ``merged_from``. A PDF with no
    text on any page is a scan and is refused (:data:`messages.SCAN`); pages without text in
    an otherwise readable PDF are named in a warning. A PDF that needs a password is refused.
    """
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except PdfminerException as exc:
        if exc.args and isinstance(exc.args[0], _LOCKED):
            raise UnreadableNotice(message(messages.ENCRYPTED)) from exc
        raise
    with pdf:
        if len(pdf.pages) > messages.MAX_PDF_PAGES:
            raise UnreadableNotice(message(messages.TOO_MANY_PAGES))
        blocks: list[Block] = []
        blank: list[str] = []
        for number, page in enumerate(pdf.pages, start=1):
            if not any(char["text"].strip() for char in page.chars):
                blank.append(str(number))
                continue
            blocks.extend(_page(page, number))
    if not blocks:
        raise UnreadableNotice(message(messages.SCAN))
    warnings = (message(messages.NO_TEXT_PAGES, pages="、".join(blank)),) if blank else ()
    return NoticeDocument(source=filename, format="pdf", blocks=tuple(blocks), warnings=warnings)
