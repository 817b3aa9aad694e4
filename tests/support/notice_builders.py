"""Notices in the style of real ones, written as .docx, .xlsx and .pdf inside the tests."""

import io
import subprocess
from pathlib import Path

import docx
import openpyxl
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from fpdf import FPDF

TITLE = "某县人民政府征收土地预公告"
PREAMBLE = "根据《中华人民共和国土地管理法》第四十七条规定，现将拟征收土地有关事项公告如下："
HEADER = ("序号", "所属板块", "地块名称", "四至", "面积", "实施单位")
PARCELS = (
    (
        "1",
        "城东板块",
        "城东片区1号地块",
        "东至规划路，南至河道，西至村道，北至国道",
        "53999平方米(合80.9985亩)",
    ),
    ("2", "城东板块", "城東片區2號地塊", "東至規劃路，南至河道", "1.2公頃"),
)
COMPANY = "某县城市建设投资有限公司"
TOTAL = ("合计", "", "", "", "6.5999公顷", "")
CLOSING = "特此公告。"


def cjk_font() -> str:
    """A CJK TrueType font on this machine, or a failure saying how to get one."""
    found = subprocess.run(
        ["fc-list", ":lang=zh", "file"], capture_output=True, text=True, check=False
    ).stdout.split()
    fonts = sorted(
        line.rstrip(":") for line in found if line.rstrip(":").endswith((".ttf", ".ttc"))
    )
    assert fonts, (
        "No CJK font found (fc-list :lang=zh); install fonts-wqy-microhei for the PDF tests"
    )
    return fonts[0]


def docx_notice() -> bytes:
    """A Word notice: title, preamble, a table with 所属板块 and 实施单位 merged down, a 合计 row
    merged across, and a closing paragraph."""
    document = docx.Document()
    document.add_paragraph(TITLE)
    document.add_paragraph(PREAMBLE)
    table = document.add_table(rows=4, cols=6)
    rows = (HEADER, *[(*parcel, COMPANY) for parcel in PARCELS], TOTAL)
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            if value:
                table.cell(r, c).text = value
    table.cell(1, 1).merge(table.cell(2, 1))  # 所属板块, vMerge
    table.cell(1, 5).merge(table.cell(2, 5))  # 实施单位, vMerge
    table.cell(3, 0).merge(table.cell(3, 3))  # 合计, gridSpan
    _fix_merged_text(table)
    line = document.add_paragraph("联系人：张三")
    line.add_run().add_break()
    line.add_run("联系电话：0571-12345678")
    document.add_paragraph(CLOSING)
    return saved(document)


def _fix_merged_text(table) -> None:
    """python-docx joins the merged cells' paragraphs; keep only the origin's text, as Word does."""
    for tc in table._tbl.iter(qn("w:tc")):
        paragraphs = tc.findall(qn("w:p"))
        texts = [p for p in paragraphs if "".join(p.itertext()).strip()]
        for p in paragraphs[1:]:
            tc.remove(p)
        if texts and texts[0] is not paragraphs[0]:
            tc.replace(paragraphs[0], texts[0])
        if not tc.findall(qn("w:p")):
            tc.append(OxmlElement("w:p"))


def saved(document) -> bytes:
    """The bytes of a python-docx document or an openpyxl workbook, as written to a file."""
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def titled_sheet(name: str, title: str, span: str, header) -> tuple:
    """A workbook whose one sheet has the title merged across ``span`` and the header under it."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = name
    origin = sheet[span.split(":")[0]]
    origin.value = title
    sheet.merge_cells(span)
    for c, value in enumerate(header, start=origin.column):
        sheet.cell(origin.row + 1, c, value)
    return workbook, sheet


def xlsx_notice() -> bytes:
    """An Excel notice: a title merged across, a header, numbers and a date, merged columns."""
    workbook, sheet = titled_sheet("征收计划", "2024年度第一批次征收计划", "B2:G2", HEADER)
    sheet.append([None, 1, "城东板块", "城东片区1号地块", "东至规划路，南至河道", 53999, COMPANY])
    sheet.append([None, 2, None, "城東片區2號地塊", "東至規劃路", 12.5, None])
    sheet.merge_cells("C4:C5")
    sheet.merge_cells("G4:G5")
    sheet["F5"].number_format = "0.00"
    sheet["B6"] = "合计"
    sheet.merge_cells("B6:E6")
    sheet["F6"] = 0.1 + 0.2
    sheet["H3"] = "公告日期"
    sheet["H4"] = __import__("datetime").datetime(2024, 3, 1)
    sheet["H5"] = 0.125
    sheet["H5"].number_format = "0.0%"
    other = workbook.create_sheet("说明")
    other["A1"] = "面积单位：平方米"
    workbook.create_sheet("空表")
    return saved(workbook)


def pdf_notice(font: str) -> bytes:
    """A PDF notice with a text layer: title and preamble, a ruled table with 所属板块 merged
    down and 合计 merged across, a closing line; a second page of text."""
    pdf = FPDF()
    pdf.add_font("cjk", fname=font)
    pdf.set_font("cjk", size=9)
    pdf.add_page()
    pdf.cell(text=TITLE)
    pdf.ln(10)
    pdf.cell(text=PREAMBLE)
    pdf.ln(10)
    with pdf.table(col_widths=(10, 18, 30, 60, 45, 30), first_row_as_headings=False) as table:
        row = table.row()
        for value in HEADER:
            row.cell(value)
        for index, parcel in enumerate(PARCELS):
            row = table.row()
            for c, value in enumerate(parcel):
                if c == 1 and index == 0:
                    row.cell(value, rowspan=2)
                elif c != 1:
                    row.cell(value)
            row.cell(COMPANY[:6])
        row = table.row()
        row.cell("合计", colspan=4)
        row.cell(TOTAL[4])
        row.cell("")
    pdf.ln(5)
    pdf.cell(text=CLOSING)
    pdf.add_page()
    pdf.cell(text="附件：征收范围图")
    return bytes(pdf.output())


def scanned_pdf(text_page_font: str | None = None) -> bytes:
    """A PDF whose first page is a picture (a scan) without a text layer; with a font, a second
    page with the title as text follows."""
    from PIL import Image

    image = io.BytesIO()
    Image.new("L", (200, 100), color=200).save(image, format="PNG")
    pdf = FPDF()
    pdf.add_page()
    pdf.image(image, x=10, y=10, w=100)
    if text_page_font:
        pdf.add_font("cjk", fname=text_page_font)
        pdf.set_font("cjk", size=9)
        pdf.add_page()
        pdf.cell(text=TITLE)
    return bytes(pdf.output())


def encrypted_pdf(font: str) -> bytes:
    """A PDF that needs a password to open."""
    pdf = FPDF()
    pdf.set_encryption(owner_password="owner", user_password="secret")
    pdf.add_font("cjk", fname=font)
    pdf.set_font("cjk", size=9)
    pdf.add_page()
    pdf.cell(text=TITLE)
    return bytes(pdf.output())


FIXTURES = Path(__file__).parent.parent / "fixtures" / "notices"
