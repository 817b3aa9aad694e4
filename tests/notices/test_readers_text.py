"""Plain text, CSV and web pages read verbatim, with where each piece was found."""

import codecs

from geo.notices.document import Paragraph
from geo.notices.readers import read_notice
from tests.support.notice_builders import FIXTURES
from tests.support.notice_helpers import merged, notice_merges, outline, texts

# --- plain text ----------------------------------------------------------------------------------


def test_gb18030_text_is_read_line_by_line_with_line_numbers() -> None:
    data = (FIXTURES / "qidong_gb18030.txt").read_bytes()
    document = read_notice(data, "qidong.txt")
    assert document.format == "text"
    assert document.paragraphs() == [
        Paragraph("某镇人民政府", "第1行"),
        Paragraph("征收土地启动公告", "第2行"),
        Paragraph("　　根据《中华人民共和国土地管理法》，现将有关事项公告如下：", "第4行"),
        Paragraph("一、征收范围：城西村、城北村部分集体土地。", "第5行"),
        Paragraph("序号|地块名称|四至|面积", "第6行"),
        Paragraph("1\t城西1号地块\t东至滨河路，南至规划支路\t3.2公顷（合48亩）", "第7行"),
        Paragraph("特此公告。", "第9行"),
    ]
    assert document.tables() == []


def test_utf8_with_bom_keeps_traditional_characters_and_full_width_digits() -> None:
    area = "\uff11\uff12\uff0e\uff15"  # 12.5 typed full-width
    text = f"徵收土地預公告\n東至規劃路，南至河道，面積{area}公頃\n"
    document = read_notice(codecs.BOM_UTF8 + text.encode(), "notice.txt")
    assert [p.text for p in document.paragraphs()] == [
        "徵收土地預公告",
        f"東至規劃路，南至河道，面積{area}公頃",
    ]


def test_gbk_text_without_extension_is_text() -> None:
    document = read_notice("征收计划\r\n地块一：东至河道".encode("gbk"), "upload")
    assert document.text() == "征收计划\n地块一：东至河道"
    assert document.source == "upload"


# --- CSV -----------------------------------------------------------------------------------------


def test_csv_with_commas_keeps_the_chinese_comma_inside_cells() -> None:
    data = (
        "序号,地块名称,四至,面积\n"
        '1,城东1号地块,"东至规划路，南至河道",53999平方米(合80.9985亩)\n'
        "2,城東2號地塊,東至規劃路，南至河道,1.2公頃\n"
    ).encode()
    document = read_notice(data, "plan.csv")
    (table,) = document.tables()
    assert document.format == "csv"
    assert texts(table) == [
        ["序号", "地块名称", "四至", "面积"],
        ["1", "城东1号地块", "东至规划路，南至河道", "53999平方米(合80.9985亩)"],
        ["2", "城東2號地塊", "東至規劃路，南至河道", "1.2公頃"],
    ]
    assert table.rows[2][3].where == "第3行 第4列"


def test_csv_with_tabs_in_gb18030_and_a_bom_less_header() -> None:
    data = "序号\t四至\t面积\n1\t东至国道，南至河道\t3.2公顷\n".encode("gb18030")
    (table,) = read_notice(data, "plan.csv").tables()
    assert texts(table) == [["序号", "四至", "面积"], ["1", "东至国道，南至河道", "3.2公顷"]]


def test_csv_with_semicolons_and_utf8_bom_and_a_quoted_line_break() -> None:
    data = codecs.BOM_UTF8 + '序号;四至;面积\n1;"东至国道\n南至河道";12,5\n'.encode()
    (table,) = read_notice(data, "plan.csv").tables()
    assert texts(table) == [["序号", "四至", "面积"], ["1", "东至国道\n南至河道", "12,5"]]


def test_csv_short_rows_are_padded_to_the_table_width() -> None:
    (table,) = read_notice("a,b,c\n合计,5\n".encode(), "x.csv").tables()
    assert texts(table) == [["a", "b", "c"], ["合计", "5", ""]]
    assert table.rows[1][2].where == "第2行 第3列"


# --- web pages -----------------------------------------------------------------------------------


def test_gbk_page_with_a_layout_table_reads_paragraphs_and_the_data_table_in_order() -> None:
    data = (FIXTURES / "fangan_gbk.html").read_bytes()
    document = read_notice(data, "fangan.htm")
    assert document.format == "html"
    assert outline(document) == [
        "某县人民政府征收土地方案公告",
        "　　根据《中华人民共和国土地管理法》第四十八条，现将征收方案公告如下：",
        "联系人：李四",
        "电话：0571-87654321",
        "[table 表1]",
        "附件一：征收范围图",
        "附件二：补偿标准",
        "特此公告。",
    ]
    assert document.paragraphs()[3].where == "第4段"
    assert "东至不应出现" not in document.text()  # the script is dropped
    (table,) = document.tables()
    assert texts(table) == [
        ["序号", "所属板块", "地块名称", "四至", "面积", "实施单位"],
        ["1", "城北板块", "城北1号地块", "东至国道，\n南至河道", "53999平方米(合80.9985亩)", "某县自然资源和规划局"],
        ["2", "城北板块", "城北2號地塊", "東至規劃路", "1.2公頃", "某县自然资源和规划局"],
        ["合计", "合计", "合计", "合计", "6.5999公顷", ""],
    ]  # fmt: skip
    assert merged(table) == notice_merges("表1")


def test_undeclared_utf8_page_with_overlapping_spans_and_a_zero_rowspan() -> None:
    page = """<html><body><p>征收计划</p><table>
    <tr><td rowspan="0">板块</td><td colspan="2">地块</td></tr>
    <tr><td>甲</td><td colspan="9999">乙</td></tr>
    </table></body></html>"""
    (table,) = read_notice(page.encode(), "page.html").tables()
    assert table.width == 2 + 1000  # colspan capped at 1000, as browsers do
    assert [cell.text for cell in table.rows[0][:3]] == ["板块", "地块", "地块"]
    assert [cell.text for cell in table.rows[1][:4]] == ["板块", "甲", "乙", "乙"]
    assert table.rows[1][0].merged_from == "表1 第1行 第1列"


def test_page_with_an_html_extension_but_only_fragments_and_a_bom() -> None:
    data = codecs.BOM_UTF8 + "<p>東至國道</p><p>南至河道<br>西至村道</p>".encode()
    document = read_notice(data, "fragment.htm")
    assert [(p.text, p.where) for p in document.paragraphs()] == [
        ("東至國道", "第1段"),
        ("南至河道", "第2段"),
        ("西至村道", "第3段"),
    ]


def test_utf16_page_with_a_bom_is_a_web_page() -> None:
    data = codecs.BOM_UTF16_LE + "<html><body><p>東至國道</p></body></html>".encode("utf-16-le")
    document = read_notice(data, "page.htm")
    assert (document.format, document.text()) == ("html", "東至國道")


def test_html_saved_as_txt_is_still_a_web_page() -> None:
    data = '<!DOCTYPE html><html><head><meta charset="utf-8"></head><body><div>公告</div></body></html>'
    document = read_notice(data.encode(), "notice.txt")
    assert document.format == "html"
    assert document.text() == "公告"


def test_two_data_tables_nested_in_a_layout_table_are_numbered_in_order() -> None:
    page = (
        "<html><body><table><tr><td><table><tr><td>一</td></tr></table></td>"
        "<td>中间</td><td><table><tr><th>二</th></tr></table></td></tr></table></body></html>"
    )
    document = read_notice(page.encode(), "p.html")
    assert outline(document) == ["[table 表1]", "中间", "[table 表2]"]
    assert document.tables()[1].rows[0][0].where == "表2 第1行 第1列"
