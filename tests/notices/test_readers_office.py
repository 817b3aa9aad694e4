"""Word, Excel and PDF notices read verbatim, merged cells spread, in reading order."""

import pytest

from geo.errors import UnreadableNotice
from geo.messages import message, use_language
from geo.notices.readers import messages, read_notice
from tests.support.notice_builders import (
    COMPANY,
    PREAMBLE,
    TITLE,
    cjk_font,
    docx_notice,
    encrypted_pdf,
    pdf_notice,
    scanned_pdf,
    xlsx_notice,
)
from tests.support.notice_helpers import merged, notice_merges, outline, texts

BODY = [
    ["序号", "所属板块", "地块名称", "四至", "面积", "实施单位"],
    ["1", "城东板块", "城东片区1号地块", "东至规划路，南至河道，西至村道，北至国道", "53999平方米(合80.9985亩)", COMPANY],
    ["2", "城东板块", "城東片區2號地塊", "東至規劃路，南至河道", "1.2公頃", COMPANY],
    ["合计", "合计", "合计", "合计", "6.5999公顷", ""],
]  # fmt: skip


@pytest.fixture(scope="module")
def font() -> str:
    return cjk_font()


# --- Word ----------------------------------------------------------------------------------------


def test_docx_reads_paragraphs_and_the_table_in_body_order() -> None:
    document = read_notice(docx_notice(), "预公告.docx")
    assert document.format == "docx"
    assert outline(document) == [
        TITLE,
        PREAMBLE,
        "[table 表1]",
        "联系人：张三",
        "联系电话：0571-12345678",
        "特此公告。",
    ]
    assert [p.where for p in document.paragraphs()] == ["第1段", "第2段", "第3段", "第3段", "第4段"]


def test_docx_spreads_vertical_and_horizontal_merges() -> None:
    (table,) = read_notice(docx_notice(), "预公告.docx").tables()
    assert texts(table) == BODY
    assert merged(table) == notice_merges("表1")
    assert table.rows[1][3].where == "表1 第2行 第4列"


# --- Excel ---------------------------------------------------------------------------------------


def test_xlsx_reads_each_sheet_used_range_with_values_as_shown() -> None:
    document = read_notice(xlsx_notice(), "计划.xlsx")
    assert document.format == "xlsx"
    assert outline(document) == ["[table 工作表 征收计划]", "[table 工作表 说明]"]
    plan, notes = document.tables()
    assert texts(plan) == [
        ["2024年度第一批次征收计划"] * 6 + [""],
        ["序号", "所属板块", "地块名称", "四至", "面积", "实施单位", "公告日期"],
        [
            "1",
            "城东板块",
            "城东片区1号地块",
            "东至规划路，南至河道",
            "53999",
            COMPANY,
            "2024-03-01",
        ],
        ["2", "城东板块", "城東片區2號地塊", "東至規劃路", "12.50", COMPANY, "12.5%"],
        ["合计", "合计", "合计", "合计", "0.3", "", ""],
    ]
    assert plan.rows[0][0].where == "工作表 征收计划 B2"
    assert plan.rows[3][4].where == "工作表 征收计划 F5"
    assert plan.rows[3][1].merged_from == "工作表 征收计划 C4"
    assert plan.rows[3][5].merged_from == "工作表 征收计划 G4"
    assert plan.rows[0][5].merged_from == "工作表 征收计划 B2"
    assert plan.rows[4][3].merged_from == "工作表 征收计划 B6"
    assert texts(notes) == [["面积单位：平方米"]]
    assert notes.rows[0][0].where == "工作表 说明 A1"


# --- PDF -----------------------------------------------------------------------------------------


def test_pdf_reads_text_and_tables_in_page_order(font: str) -> None:
    document = read_notice(pdf_notice(font), "预公告.pdf")
    assert document.format == "pdf"
    assert outline(document) == [
        TITLE,
        PREAMBLE,
        "[table 第1页 表1]",
        "特此公告。",
        "附件：征收范围图",
    ]
    assert [p.where for p in document.paragraphs()] == [
        "第1页 第1行",
        "第1页 第2行",
        "第1页 第3行",
        "第2页 第1行",
    ]
    assert document.warnings == ()


def test_pdf_table_cells_verbatim_with_merges_spread(font: str) -> None:
    (table,) = read_notice(pdf_notice(font), "预公告.pdf").tables()
    expected = [[*row[:5], COMPANY[:6] if 0 < r < 3 else row[5]] for r, row in enumerate(BODY)]
    expected[1][3] = "东至规划路，南至河道，西至村道，北\n至国道"  # wrapped in its cell, kept so
    assert texts(table) == expected
    assert merged(table) == notice_merges("第1页 表1", merged_down=(2,))


def test_scanned_pdf_is_refused_with_the_ocr_message() -> None:
    with pytest.raises(UnreadableNotice) as refused:
        read_notice(scanned_pdf(), "扫描件.pdf")
    assert str(refused.value) == message(messages.SCAN)
    assert "text recognition (OCR)" in str(refused.value)
    with use_language("zh"), pytest.raises(UnreadableNotice) as in_chinese:
        read_notice(scanned_pdf(), "扫描件.pdf")
    assert "这是扫描件（没有文字层），需要先做文字识别（OCR）" in str(in_chinese.value)


def test_pdf_with_a_scanned_page_among_text_pages_warns_and_reads_the_rest(font: str) -> None:
    document = read_notice(scanned_pdf(text_page_font=font), "混合.pdf")
    assert outline(document) == [TITLE]
    assert document.paragraphs()[0].where == "第2页 第1行"
    assert document.warnings == (message(messages.NO_TEXT_PAGES, pages="1"),)


def test_pdf_with_a_password_is_refused(font: str) -> None:
    with use_language("zh"), pytest.raises(UnreadableNotice, match="密码"):
        read_notice(encrypted_pdf(font), "加密.pdf")
