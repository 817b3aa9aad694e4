"""The limits a notice file must keep and the catalogue keys of the refusals.

Every refusal is named here once (its words are in ``geo/messages``, in Chinese and English), so
that the readers and their tests share one name for it: ``message(messages.SCAN)``.
"""

MAX_BYTES = 20 * 1024 * 1024
"""The largest notice file read (20 MB); a bigger one is refused as too large."""
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
"""The most a .docx or .xlsx may unpack to (a guard against zip bombs)."""
MAX_CELLS = 1_000_000
"""The most table cells one notice may hold (10,000 rows of 30 columns is well within)."""
MAX_PDF_PAGES = 500
"""The most pages read from one PDF."""

TOO_LARGE = "notices.too_large"
EMPTY = "notices.empty"
UNKNOWN_FORMAT = "notices.unknown_format"
IMAGE = "notices.image"
SCAN = "notices.scan"
ENCRYPTED = "notices.encrypted"
LEGACY_DOC = "notices.legacy_doc"
LEGACY_XLS = "notices.legacy_xls"
LEGACY_OFFICE = "notices.legacy_office"
UNDECODABLE = "notices.undecodable"
ZIP_BOMB = "notices.zip_bomb"
TOO_MANY_CELLS = "notices.too_many_cells"
TOO_MANY_PAGES = "notices.too_many_pages"
DAMAGED = "notices.damaged"
NO_TEXT_PAGES = "notices.no_text_pages"
