"""Which reader a notice file needs, decided by its content, with the file name as a hint."""

import codecs
import re
from collections.abc import Callable
from pathlib import PurePath

from geo.errors import PayloadTooLarge, UnreadableNotice
from geo.messages import message
from geo.notices.document import NoticeDocument
from geo.notices.readers import messages
from geo.notices.readers.common import open_zip
from geo.notices.readers.csv_file import read_csv
from geo.notices.readers.excel import read_xlsx
from geo.notices.readers.pdf import read_pdf
from geo.notices.readers.plain_text import read_text
from geo.notices.readers.web_page import read_html
from geo.notices.readers.word import read_docx

Reader = Callable[[bytes, str], NoticeDocument]

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_IMAGES = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"II*\x00", b"MM\x00*")
_BINARIES = (b"Rar!", b"7z\xbc\xaf", b"\x1f\x8b", b"\x7fELF")
_HTML = re.compile(rb"<!doctype\s+html|<html[\s>]|<body[\s>]|<head[\s>]|<meta\s", re.IGNORECASE)
_TAGS = re.compile(rb"<(table|p|div|br|tr|td|span|h[1-6])[\s>/]", re.IGNORECASE)
_KIND_NAMES = {
    "text": "文本 (text)",
    "html": "网页 (web page)",
    "docx": "Word (.docx)",
    "pdf": "PDF",
    "xlsx": "Excel (.xlsx)",
    "csv": "CSV",
}
READERS: dict[str, Reader] = {
    "text": read_text,
    "html": read_html,
    "docx": read_docx,
    "pdf": read_pdf,
    "xlsx": read_xlsx,
    "csv": read_csv,
}


def sniff(data: bytes, filename: str) -> str:
    """The format of a notice file: text, html, docx, pdf, xlsx or csv.

    The content decides (``%PDF-``; a zip holding ``word/document.xml`` or ``xl/workbook.xml``;
    HTML markers); the extension only chooses between text, web page and CSV, which content
    alone cannot tell apart. Legacy Office files, pictures and other binaries are refused.
    """
    extension = PurePath(filename).suffix.lower()
    head = data[:1024]
    if b"%PDF-" in head:
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        names = set(open_zip(data, "Office").namelist())
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
        raise UnreadableNotice(message(messages.UNKNOWN_FORMAT))
    if data.startswith(_OLE):
        legacy = {".doc": messages.LEGACY_DOC, ".xls": messages.LEGACY_XLS}
        raise UnreadableNotice(message(legacy.get(extension, messages.LEGACY_OFFICE)))
    if data.startswith(_IMAGES):
        raise UnreadableNotice(message(messages.IMAGE))
    if data.startswith(_BINARIES) and extension not in {".txt", ".csv", ".tsv"}:
        raise UnreadableNotice(message(messages.UNKNOWN_FORMAT))
    sample = data[:8192]
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        sample = sample.decode("utf-16", errors="ignore").encode()
    if extension in {".csv", ".tsv"}:
        return "csv"
    if _HTML.search(sample) or (extension in {".html", ".htm"} and _TAGS.search(sample)):
        return "html"
    return "text"


def read_notice(data: bytes, filename: str) -> NoticeDocument:
    """Read a notice file of any supported format into a :class:`NoticeDocument`.

    Refuses, with :class:`~geo.errors.PayloadTooLarge`, a file over
    :data:`messages.MAX_BYTES`, and with :class:`~geo.errors.UnreadableNotice`, in plain
    words, an empty file, a format it cannot read, a scan, an encrypted PDF, a legacy Office
    file, text in an unknown encoding, or a damaged file; it never lets a library's traceback
    through.
    """
    if len(data) > messages.MAX_BYTES:
        raise PayloadTooLarge(message(messages.TOO_LARGE))
    if not data.strip():
        raise UnreadableNotice(message(messages.EMPTY))
    kind = sniff(data, filename)
    try:
        document = READERS[kind](data, filename)
    except (UnreadableNotice, PayloadTooLarge):
        raise
    except Exception as exc:  # any library's failure on a damaged file is the user's to fix
        raise UnreadableNotice(message(messages.DAMAGED, kind=_KIND_NAMES[kind])) from exc
    if not document.blocks:
        raise UnreadableNotice(message(messages.EMPTY))
    return document
