"""Files a notice reader refuses, each in plain words; and the format chosen by content."""

import io
import zipfile

import openpyxl
import pytest

from geo.errors import PayloadTooLarge, UnreadableNotice
from geo.messages import message
from geo.notices.readers import messages, read_notice, sniff
from tests.support.notice_builders import cjk_font, docx_notice, pdf_notice, xlsx_notice

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504


def refusal(data: bytes, filename: str) -> str:
    with pytest.raises(UnreadableNotice) as refused:
        read_notice(data, filename)
    return str(refused.value)


def zipped(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return out.getvalue()


def test_empty_and_blank_files_are_refused() -> None:
    assert refusal(b"", "a.txt") == message(messages.EMPTY)
    assert refusal(b" \r\n\t\n", "a.txt") == message(messages.EMPTY)
    assert refusal("\u3000\n".encode(), "a.txt") == message(messages.EMPTY)
    assert refusal(b"<html><body><script>x()</script></body></html>", "a.html") == message(
        messages.EMPTY
    )
    assert refusal(b"<!DOCTYPE html><!-- nothing -->", "a.html") == message(messages.EMPTY)


def test_a_file_over_20_mb_is_too_large() -> None:
    with pytest.raises(PayloadTooLarge) as refused:
        read_notice(b"a" * (messages.MAX_BYTES + 1), "big.txt")
    assert "20 MB" in str(refused.value)


def test_legacy_office_files_are_refused_with_the_way_out() -> None:
    assert refusal(OLE, "计划.doc") == message(messages.LEGACY_DOC)
    assert "另存为 .docx" in message(messages.LEGACY_DOC, "zh")
    assert refusal(OLE, "计划.xls") == message(messages.LEGACY_XLS)
    assert "另存为 .xlsx" in message(messages.LEGACY_XLS, "zh")
    assert refusal(OLE, "计划") == message(messages.LEGACY_OFFICE)


def test_pictures_and_binaries_are_refused() -> None:
    assert refusal(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "公告.png") == message(messages.IMAGE)
    assert refusal(b"\xff\xd8\xff\xe0" + b"\x00" * 100, "公告.jpg") == message(messages.IMAGE)
    assert refusal(b"\x7fELF\x02\x01" + bytes(range(256)), "a.bin") == message(
        messages.UNKNOWN_FORMAT
    )
    assert refusal(b"abc\x00def", "a.txt") == message(messages.UNKNOWN_FORMAT)
    assert refusal(zipped({"content/text": b"x"}), "a.zip") == message(messages.UNKNOWN_FORMAT)


def test_text_in_an_unknown_encoding_is_refused() -> None:
    assert refusal("東至".encode("big5") + b"\xff\xfe\xfd", "a.txt") == message(
        messages.UNDECODABLE
    )
    assert refusal(b"a,b\n\x81\x20,c\n", "a.csv") == message(messages.UNDECODABLE)


def test_damaged_files_are_refused_without_a_traceback() -> None:
    assert refusal(b"%PDF-1.7\n garbage", "a.pdf") == message(messages.DAMAGED, kind="PDF")
    broken = zipped({"word/document.xml": b"<not word"})
    assert refusal(broken, "a.docx") == message(messages.DAMAGED, kind="Word (.docx)")
    broken = zipped({"xl/workbook.xml": b"<not excel"})
    assert refusal(broken, "a.xlsx") == message(messages.DAMAGED, kind="Excel (.xlsx)")
    truncated = docx_notice()[:2000]
    assert "damaged" in refusal(truncated, "a.docx")


def test_a_zip_that_unpacks_to_an_absurd_size_is_refused() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"<w/>")
        with archive.open("word/padding", "w") as padding:
            for _ in range(messages.MAX_UNCOMPRESSED_BYTES // 2**20 + 1):
                padding.write(bytes(2**20))  # a megabyte of zeros packs into a kilobyte
    bomb = out.getvalue()
    assert len(bomb) < messages.MAX_BYTES
    assert refusal(bomb, "bomb.docx") == message(messages.ZIP_BOMB)


def test_too_many_pages_or_cells_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(messages, "MAX_PDF_PAGES", 1)
    assert refusal(pdf_notice(cjk_font()), "a.pdf") == message(messages.TOO_MANY_PAGES)
    monkeypatch.setattr(messages, "MAX_CELLS", 5)
    assert refusal(b"a,b,c\n1,2,3\n", "a.csv") == message(messages.TOO_MANY_CELLS)
    page = b'<html><body><table><tr><td rowspan="9" colspan="9">x</td></tr></table></body></html>'
    assert refusal(page, "a.html") == message(messages.TOO_MANY_CELLS)


def test_ten_thousand_rows_are_fine() -> None:
    rows = "".join(f"{n},城东{n}号地块,东至河道，南至国道,{n}.5\n" for n in range(10_000))
    (table,) = read_notice(("序号,名称,四至,面积\n" + rows).encode(), "big.csv").tables()
    assert len(table.rows) == 10_001
    assert table.rows[-1][3].text == "9999.5"


def test_an_xlsx_of_ten_thousand_rows_is_fine() -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["序号", "地块名称", "面积（亩）"])
    for n in range(1, 10_001):
        sheet.append([n, f"城东{n}号地块", n + 0.5])
    out = io.BytesIO()
    workbook.save(out)
    (table,) = read_notice(out.getvalue(), "big.xlsx").tables()
    assert len(table.rows) == 10_001
    assert [cell.text for cell in table.rows[-1]] == ["10000", "城东10000号地块", "10000.5"]
    assert table.rows[-1][2].where == "工作表 Sheet C10001"


def test_the_content_decides_the_format_and_the_name_only_hints() -> None:
    assert sniff(docx_notice(), "plan.xlsx") == "docx"
    assert sniff(xlsx_notice(), "plan.docx") == "xlsx"
    assert sniff(b"\xef\xbb\xbf%PDF-1.4 ...", "plan.txt") == "pdf"
    assert sniff(b"<html><body>x</body></html>", "plan.txt") == "html"
    assert sniff(b"<p>x</p>", "plan.htm") == "html"
    assert sniff(b"<p>x</p>", "plan.txt") == "text"
    assert sniff(b"a,b", "plan.CSV") == "csv"
    assert sniff(b"a\tb", "plan.tsv") == "csv"
    assert sniff("东至河道".encode(), "") == "text"
