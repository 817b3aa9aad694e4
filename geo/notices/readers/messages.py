"""The limits a notice file must keep and the plain words a refusal uses.

Every refusal is a constant here, in Chinese and then in English, so that a message catalogue
can take them over later without hunting through the readers.
"""

MAX_BYTES = 20 * 1024 * 1024
"""The largest notice file read (20 MB); a bigger one is refused as too large."""
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
"""The most a .docx or .xlsx may unpack to (a guard against zip bombs)."""
MAX_CELLS = 1_000_000
"""The most table cells one notice may hold (10,000 rows of 30 columns is well within)."""
MAX_PDF_PAGES = 500
"""The most pages read from one PDF."""

TOO_LARGE = (
    "文件太大（超过 20 MB），请只上传公告本身。"
    " The file is larger than 20 MB; upload the notice alone."
)
EMPTY = "文件是空的，没有可读的内容。 The file is empty: there is nothing to read."
UNKNOWN_FORMAT = (
    "不认识的文件格式：请上传文本、网页、Word（.docx）、PDF、Excel（.xlsx）或 CSV 文件。"
    " The file is in a format that cannot be read: upload plain text, a web page, Word (.docx),"
    " PDF, Excel (.xlsx) or CSV."
)
IMAGE = (
    "这是图片，没有文字，需要先做文字识别（OCR）。"
    " The file is a picture without text; it needs text recognition (OCR) first."
)
SCAN = (
    "这是扫描件（没有文字层），需要先做文字识别（OCR）。"
    " The PDF is a scan without a text layer; it needs text recognition (OCR) first."
)
ENCRYPTED = (
    "PDF 设有密码保护，无法读取；请上传未加密的文件。"
    " The PDF is protected by a password and cannot be read; upload an unprotected copy."
)
LEGACY_DOC = (
    "这是旧版 Word 文件（.doc），请在 Word 或 WPS 中另存为 .docx 后再上传。"
    " This is a legacy Word file (.doc); save it as .docx in Word or WPS and upload that."
)
LEGACY_XLS = (
    "这是旧版 Excel 文件（.xls），请在 Excel 或 WPS 中另存为 .xlsx 后再上传。"
    " This is a legacy Excel file (.xls); save it as .xlsx in Excel or WPS and upload that."
)
LEGACY_OFFICE = (
    "这是旧版 Office 文件（.doc 或 .xls），请另存为 .docx 或 .xlsx 后再上传。"
    " This is a legacy Office file (.doc or .xls); save it as .docx or .xlsx and upload that."
)
UNDECODABLE = (
    "文本的编码无法识别（既不是 UTF-8，也不是 GB18030/GBK），请另存为 UTF-8 后再上传。"
    " The text is neither UTF-8 nor GB18030/GBK; save it as UTF-8 and upload that."
)
ZIP_BOMB = (
    "文件解压后大得不合常理（超过 200 MB），拒绝读取。"
    " The file would unpack to more than 200 MB, which no notice needs; it is refused."
)
TOO_MANY_CELLS = (
    "表格太大（超过一百万个单元格），请只上传公告本身。"
    " The tables hold more than a million cells; upload the notice alone."
)
TOO_MANY_PAGES = (
    "PDF 页数太多（超过 500 页），请只上传公告本身。"
    " The PDF has more than 500 pages; upload the notice alone."
)
DAMAGED = (
    "文件已损坏或不完整，无法作为 {kind} 读取。"
    " The file is damaged or incomplete and cannot be read as {kind}."
)
NO_TEXT_PAGES = "第{pages}页没有文字层（可能是扫描页），未读取。 Page(s) {pages} carry no text (scanned?) and were not read."
