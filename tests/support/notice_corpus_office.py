"""The Word, Excel and PDF notices of the corpus, written from the data below.

The corpus keeps the generated files (tests/fixtures/notices/corpus/12_*.docx, 13_*.xlsx,
14_*.pdf) so that reading them needs no font and no builder; this module is how they were made
and how to make them again after an edit: ``python -m tests.support.notice_corpus_office``.
"""

from pathlib import Path

import docx
from fpdf import FPDF

from tests.support.notice_builders import _fix_merged_text, cjk_font, saved, titled_sheet

CORPUS = Path(__file__).parent.parent / "fixtures" / "notices" / "corpus"


def wide(text: str) -> str:
    """The text in full-width digits and stops, as some county offices type their tables."""
    return text.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789."})


DOCX_TITLE = ("明州市海湾区人民政府", "关于2025年度国有土地上房屋征收计划的公告")
DOCX_HEADER = (
    "序号",
    "所属地块",
    "所属板块\n（或行政区域）",
    "四至范围（具体由人民政府依法确定征收范围）",
    "土地面积（亩）",
    "公共利益类型",
    "建设活动组织实施单位",
)
DOCX_ROWS = (
    (
        "1",
        "滨海新城12号地块",
        "滨海板块",
        "东至海晏路，南至规划河道，西至滨海大道，北至观潮路",
        "约72.08",
        "保障性安居工程建设",
        "明州市海湾区城市建设发展有限公司",
    ),
    (
        "2",
        "滨海新城13号地块",
        "",
        "东至观潮路，南至海晏路，西至规划支路",
        wide("35.6"),
        "旧城区改建",
        "",
    ),
    (
        "3",
        "盐仓老街区块",
        "盐仓板块",
        "东至盐仓河，南至老街南路，西至盐仓中学，北至盐仓大桥",
        "18.4452",
        "旧城区改建",
        "明州市海湾区盐仓街道办事处",
    ),
)


def docx_plan() -> bytes:
    """A district plan in Word: a two-line title, a table with 板块 and 实施单位 merged down."""
    document = docx.Document()
    for line in DOCX_TITLE:
        document.add_paragraph(line)
    document.add_paragraph("海政〔2025〕6号")
    document.add_paragraph(
        "根据《国有土地上房屋征收与补偿条例》等规定，现将我区2025年度国有土地上房屋征收计划公告如下："
    )
    table = document.add_table(rows=len(DOCX_ROWS) + 2, cols=len(DOCX_HEADER))
    for r, values in enumerate((DOCX_HEADER, *DOCX_ROWS)):
        for c, value in enumerate(values):
            if value:
                table.cell(r, c).text = value
    last = len(DOCX_ROWS) + 1
    table.cell(last, 0).text = "合计"
    table.cell(last, 4).text = "126.1252"
    table.cell(1, 2).merge(table.cell(2, 2))
    table.cell(1, 6).merge(table.cell(2, 6))
    table.cell(last, 0).merge(table.cell(last, 3))
    _fix_merged_text(table)
    document.add_paragraph("特此公告。")
    document.add_paragraph("明州市海湾区人民政府")
    document.add_paragraph("2025年1月20日")
    return saved(document)


XLSX_ROWS = (
    (
        1,
        "河西棚户区改造一期",
        "河西街道",
        "东至河西路，南至纺织厂路，西至铁路专用线，北至河西大街",
        86.25,
        "棚户区改造",
        "平阳县河西街道办事处",
    ),
    (
        2,
        "河西棚户区改造二期",
        None,
        "东至铁路专用线，南至纺织厂路，西至规划西环路，北至河西大街",
        40.5,
        None,
        None,
    ),
    (
        3,
        "县一中扩建",
        "城南街道",
        "东至育才路，南至南环路，西至平阳县第一中学，北至学府街",
        12.0375,
        "教育事业",
        "平阳县教育局",
    ),
)


def xlsx_plan() -> bytes:
    """A county plan in Excel: a merged title, a header, areas as numbers, merged cells."""
    header = (
        "序号",
        "项目名称",
        "所在街道",
        "四至范围",
        "用地面积（亩）",
        "项目类型",
        "征收实施单位",
    )
    workbook, sheet = titled_sheet(
        "2024年征收计划", "平阳县2024年度国有土地上房屋征收计划表", "A1:G1", header
    )
    for row in XLSX_ROWS:
        sheet.append(list(row))
    sheet.merge_cells("C3:C4")
    sheet.merge_cells("F3:F4")
    sheet.merge_cells("G3:G4")
    sheet.append(["合计", None, None, None, 138.7875, None, None])
    sheet.merge_cells("A6:D6")
    sheet["A8"] = "平阳县人民政府"
    sheet["A9"] = "2024年4月2日"
    return saved(workbook)


PDF_ROWS = (
    (
        "1",
        "石门村",
        "石门村1号地块",
        "东至石门水库管理所，南至县道X205，西至石门村3组，北至山脚",
        "12500.5",
    ),
    ("2", "石门村", "石门村2号地块", "东至县道X205，南至石门溪，西至石门村4组", "8321"),
    (
        "3",
        "高岭村",
        "高岭村地块",
        "东至高岭村5组，南至高岭小学，西至石门溪，北至县道X205",
        "30466.7",
    ),
)


def pdf_notice(font: str) -> bytes:
    """A 征收土地公告 as a PDF with a text layer and a ruled table, areas in 平方米."""
    pdf = FPDF()
    pdf.add_font("cjk", fname=font)
    pdf.set_font("cjk", size=8)
    pdf.add_page()
    for line in (
        "安溪县人民政府征收土地公告",
        "安政土告〔2023〕第14号",
        "经浙东省人民政府浙土字〔2023〕321号文批准，现将征收土地有关事项公告如下：",
        "一、被征收土地的位置、地块及面积：",
    ):
        pdf.cell(text=line)
        pdf.ln(8)
    header = ("序号", "被征地村", "地块名称", "四至", "面积（平方米）")
    with pdf.table(col_widths=(10, 20, 30, 90, 30), first_row_as_headings=False) as table:
        for values in (header, *PDF_ROWS):
            row = table.row()
            for value in values:
                row.cell(value)
    pdf.ln(5)
    for line in (
        "二、征收土地用途：水利设施建设。",
        "特此公告。",
        "安溪县人民政府",
        "2023年7月24日",
    ):
        pdf.cell(text=line)
        pdf.ln(8)
    return bytes(pdf.output())


def write_all() -> None:
    """Write the three generated notices into the corpus."""
    (CORPUS / "12_plan_word.docx").write_bytes(docx_plan())
    (CORPUS / "13_plan_excel.xlsx").write_bytes(xlsx_plan())
    (CORPUS / "14_zhengshou_pdf.pdf").write_bytes(pdf_notice(cjk_font()))


if __name__ == "__main__":
    write_all()
