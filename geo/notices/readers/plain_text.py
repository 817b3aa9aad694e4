"""Plain text notices: UTF-8 (with or without a byte-order mark) or GB18030 (GBK, GB2312)."""

from geo.notices.document import NoticeDocument, Paragraph
from geo.notices.readers.common import decode_text


def read_text(data: bytes, filename: str) -> NoticeDocument:
    """Every non-empty line as a paragraph, verbatim but for trailing whitespace.

    ``where`` is the line number in the file ("第12行"). A line of a table typed with ``|`` or
    tabs stays one paragraph: splitting a flattened table is the layouts' business.
    """
    text, _ = decode_text(data)
    paragraphs = tuple(
        Paragraph(line.rstrip(), f"第{number}行")
        for number, line in enumerate(text.split("\n"), start=1)
        if line.strip()
    )
    return NoticeDocument(source=filename, format="text", blocks=paragraphs)
