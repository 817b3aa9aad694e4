"""Web pages saved as .html/.htm: paragraphs from block elements, tables with spans spread."""

import re
from collections.abc import Iterator

import lxml.html
from lxml import etree

from geo.notices.document import Block, NoticeDocument, Paragraph
from geo.notices.readers.common import Origin, cell_where, decode_text, spread, tidy

_DROPPED = {"script", "style", "noscript", "template", "head", "title", "iframe", "object"}
_BLOCKS = {
    "p", "div", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6",
    "section", "article", "header", "footer", "main", "nav", "aside", "blockquote", "pre",
    "center", "form", "fieldset", "address", "figure", "figcaption", "hr", "caption", "body",
}  # fmt: skip
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.IGNORECASE)
_SPACES = re.compile(r"[ \t\n\r\f]+")
_MAX_COLSPAN = 1000
"""Browsers cap colspan at 1000; so does this reader."""
_WIDE = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f"
_CJK_BREAK = re.compile(f"(?<=[{_WIDE}])[ \t\r\f]*\n[ \t\r\n\f]*(?=[{_WIDE}])")
"""A source line break between two Chinese characters: a browser shows nothing there."""
_BREAK = "\x00"
"""Marks a ``<br>`` or block end while a line is gathered (decoded text never holds NUL)."""


def declared_charset(data: bytes) -> str | None:
    """The encoding a page declares in a ``<meta charset>`` or ``http-equiv`` tag, if any."""
    match = _CHARSET.search(data[:8192])
    return match.group(1).decode("ascii") if match else None


def _tag(element: etree._Element) -> str:
    return element.tag.lower() if isinstance(element.tag, str) else ""


def _nested_tables(table: etree._Element) -> bool:
    return bool(table.xpath(".//table"))


def _walk(element: etree._Element, line: list[str]) -> Iterator[str | etree._Element]:
    """The page's content in order: lines of text (str) and data tables (elements).

    Text is collapsed as a browser shows it (runs of spaces, tabs and newlines become one space,
    a source line break between two Chinese characters none; full-width and non-breaking spaces
    are kept); a block element or ``<br>`` ends a line. A
    table holding tables is page layout, not data: its cells are read as running content.
    """
    tag = _tag(element)
    if tag in _DROPPED:
        return
    if tag == "br":
        line.append(_BREAK)
        return
    if tag == "table" and not _nested_tables(element):
        yield from _flush(line)
        yield element
        return
    block = tag in _BLOCKS or tag in {"table", "tr", "td", "th"}
    if block:
        yield from _flush(line)
    if isinstance(element.tag, str) and element.text:
        line.append(element.text)
    for child in element:
        yield from _walk(child, line)
        if child.tail:
            line.append(child.tail)
    if block:
        yield from _flush(line)


def _flush(line: list[str]) -> Iterator[str]:
    text = _SPACES.sub(" ", _CJK_BREAK.sub("", "".join(line)))
    line.clear()
    for piece in text.split(_BREAK):
        piece = piece.strip(" ").rstrip()
        if piece:
            yield piece


def _cell_text(cell: etree._Element) -> str:
    line: list[str] = []
    pieces = [item for item in _walk_inside(cell, line) if isinstance(item, str)]
    return tidy("\n".join(pieces))


def _walk_inside(cell: etree._Element, line: list[str]) -> Iterator[str | etree._Element]:
    if cell.text:
        line.append(cell.text)
    for child in cell:
        yield from _walk(child, line)
        if child.tail:
            line.append(child.tail)
    yield from _flush(line)


def _span(cell: etree._Element, name: str, cap: int) -> int:
    try:
        value = int(str(cell.get(name, "1")).strip() or "1")
    except ValueError:
        return 1
    return cap if value == 0 else max(1, min(value, cap))


def _table(element: etree._Element, number: int) -> Block:
    rows = element.xpath("./tr | ./thead/tr | ./tbody/tr | ./tfoot/tr")
    origins: dict[tuple[int, int], Origin] = {}
    taken: set[tuple[int, int]] = set()
    for r, row in enumerate(rows):
        c = 0
        for cell in row.xpath("./td | ./th"):
            while (r, c) in taken:
                c += 1
            rowspan = _span(cell, "rowspan", len(rows) - r)
            colspan = _span(cell, "colspan", _MAX_COLSPAN)
            origins[(r, c)] = Origin(_cell_text(cell), rowspan, colspan)
            taken.update((r + dr, c + dc) for dr in range(rowspan) for dc in range(colspan))
            c += colspan
    prefix = f"表{number}"
    return spread(origins, lambda row, col: cell_where(prefix, row, col), prefix)


def read_html(data: bytes, filename: str) -> NoticeDocument:
    """Paragraphs ("第3段") and tables ("表1 第4行 第3列") in reading order.

    The encoding is the one declared in a meta tag, else UTF-8, else GB18030. Scripts, styles
    and the page head are dropped. ``rowspan``/``colspan`` spread the cell over every position
    it covers, naming the origin in ``merged_from``.
    """
    text, _ = decode_text(data, declared_charset(data))
    text = re.sub(r"^\s*<\?xml[^>]*>", "", text)
    try:
        root = lxml.html.document_fromstring(text) if text.strip() else None
    except etree.ParserError:  # nothing but comments or a bare declaration
        root = None
    blocks: list[Block] = []
    line: list[str] = []
    paragraphs = tables = 0
    if root is not None:
        for item in (*_walk(root, line), *_flush(line)):
            if isinstance(item, str):
                paragraphs += 1
                blocks.append(Paragraph(item, f"第{paragraphs}段"))
            elif (table := _table(item, tables + 1)).rows:
                tables += 1
                blocks.append(table)
    return NoticeDocument(source=filename, format="html", blocks=tuple(blocks))
