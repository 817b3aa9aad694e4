import pytest

from geo.notices.document import NoticeDocument, Paragraph
from geo.notices.preamble import document_type, find_dates, read_preamble


def notice(text: str) -> NoticeDocument:
    lines = text.strip("\n").splitlines()
    blocks = tuple(Paragraph(line, f"第{i}行") for i, line in enumerate(lines, 1))
    return NoticeDocument("notice.txt", "text", blocks)


PRE_NOTICE = """
桐乡市人民政府
征收土地预公告
桐政告〔2021〕第8号
因桐乡市乌镇大道（二期）道路工程建设需要，我市拟征收下列土地，现将有关事项公告如下：
一、拟征收土地位置：梧桐街道凤鸣村、同福村。
二、拟征收土地范围：东至凤鸣路，南至环城南路，西至规划支路，北至同福河。
三、拟征收土地面积：约3.2456公顷。
四、征收目的：交通基础设施建设。
特此公告。
桐乡市人民政府
二〇二一年八月十二日
"""

SCHEME = """
郑州市人民政府
征收土地方案公告
（2021）8号
经河南省人民政府以豫政土〔2021〕1172号文批准，郑州市中原区2021年度第十五批次城乡建设用地已获批准。
根据《中华人民共和国土地管理法》规定，现将征收土地方案公告如下：
一、批准征收机关：河南省人民政府。批准文号：豫政土〔2021〕1172号。
附：征收土地方案（略）
郑州市自然资源和规划局
2021-09-30
"""

DECISION = """
济南市历下区人民政府关于解放东路片区国有土地上房屋征收的决定
[2021]3号
为了公共利益的需要，依据《国有土地上房屋征收与补偿条例》，区政府决定对解放东路片区实施房屋征收。
房屋征收部门为济南市历下区住房和城乡建设局。
2021.8.12
"""

LAUNCH = """
关于鲁政土字〔2018〕146号批复范围内土地征收启动公告
批复文号：浙土字A〔2020〕-0123
根据嘉政发〔2022〕12号文件精神，现启动征收。
嘉兴市秀洲区自然资源和规划局（盖章）
2022年3月1日
嘉兴市秀洲区人民政府办公室
2022年3月2日印发
"""


@pytest.mark.parametrize(
    ("text", "fields"),
    [
        (
            PRE_NOTICE,
            {
                "title": ("桐乡市人民政府征收土地预公告", "第1行"),
                "document_type": ("预公告", "第1行"),
                "issuer": ("桐乡市人民政府", "第10行"),
                "document_number": ("桐政告〔2021〕8号", "第3行"),
                "published_on": ("2021-08-12", "第11行"),
            },
        ),
        (
            SCHEME,
            {
                "document_type": ("方案公告", "第1行"),
                "issuer": ("郑州市自然资源和规划局", "第8行"),
                "document_number": ("〔2021〕8号", "第3行"),
                "approval_number": ("豫政土〔2021〕1172号", "第4行"),
                "published_on": ("2021-09-30", "第9行"),
            },
        ),
        (
            DECISION,
            {
                "document_type": ("征收决定", "第1行"),
                "issuer": ("济南市历下区人民政府", "第1行"),
                "document_number": ("〔2021〕3号", "第2行"),
                "published_on": ("2021-08-12", "第5行"),
            },
        ),
        (
            LAUNCH,
            {
                "document_type": ("启动公告", "第1行"),
                "issuer": ("嘉兴市秀洲区自然资源和规划局", "第4行"),
                "approval_number": ("鲁政土字〔2018〕146号", "第1行"),
                "published_on": ("2022-03-01", "第5行"),
            },
        ),
    ],
    ids=["pre-notice", "scheme", "decision", "launch"],
)
def test_preamble_fields_with_where_they_were_found(text, fields):
    preamble = read_preamble(notice(text))
    got = {name: (getattr(preamble, name).value, getattr(preamble, name).where) for name in fields}
    assert got == fields


def test_verbatim_text_kept_beside_the_derived_value():
    preamble = read_preamble(notice(PRE_NOTICE))
    assert preamble.published_on.text == "二〇二一年八月十二日"
    assert preamble.document_number.text == "桐政告〔2021〕第8号"
    assert read_preamble(notice(SCHEME)).document_number.text == "（2021）8号"


def test_every_approval_number_is_kept():
    launch = read_preamble(notice(LAUNCH))
    assert [found.text for found in launch.approval_numbers] == [
        "鲁政土字〔2018〕146号",
        "浙土字A〔2020〕-0123",
    ]
    assert launch.issuer.text == "嘉兴市秀洲区自然资源和规划局（盖章）"
    assert launch.document_number is None  # 嘉政发〔2022〕12号 is cited, not this notice's


@pytest.mark.parametrize(
    ("line", "iso"),
    [
        ("2021年8月12日", "2021-08-12"),
        ("二〇二一年八月十二日", "2021-08-12"),
        ("二零二一年十二月三十一日", "2021-12-31"),
        ("2021-08-12", "2021-08-12"),
        ("2021.8.12", "2021-08-12"),
        ("２０２１年８月１２日", "2021-08-12"),
    ],
)
def test_dates(line, iso):
    found = find_dates(Paragraph(f"日期：{line}", "第1行"))
    assert [(f.value, f.text) for f in found] == [(iso, line)]


def test_impossible_dates_and_decimals_are_not_dates():
    assert find_dates(Paragraph("2021年2月30日；面积2021.85亩", "第1行")) == []


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("2022年嘉兴市级国有土地上房屋征收计划表", "征收计划"),
        ("关于XX项目征收土地的预公告", "预公告"),
        ("土地征收啟動公告", "启动公告"),
        ("征收土地方案公告", "方案公告"),
        ("关于XX片区房屋征收的决定", "征收决定"),
        ("XX片区房屋征收补偿安置方案公告", "补偿安置方案"),
        ("年度工作报告", None),
    ],
)
def test_document_type_from_the_title(title, kind):
    assert document_type(title) == kind


def test_a_notice_without_preamble_says_so():
    preamble = read_preamble(notice("东至河，南至路。"))
    assert preamble.issuer is None and preamble.published_on is None
    assert len(preamble.warnings) == 3


def test_a_spreadsheet_title_and_signature_are_rows_of_one_text():
    from geo.notices.document import Cell, Table

    def row(r, *texts):
        return tuple(Cell(text, f"第{r}行 第{c}列") for c, text in enumerate(texts, 1))

    title = "平阳县2024年度国有土地上房屋征收计划表"
    table = Table(
        (
            row(1, title, title, title),
            row(2, "序号", "项目名称", "用地面积（亩）"),
            row(3, "1", "县一中扩建", "12"),
            row(4, "平阳县人民政府", "", ""),
            row(5, "2024年4月2日", "", ""),
        ),
        "表1",
    )
    found = read_preamble(NoticeDocument("plan.xlsx", "xlsx", (table,)))
    assert found.document_type.value == "征收计划"
    assert (found.issuer.value, found.published_on.value) == ("平阳县人民政府", "2024-04-02")
    assert found.issuer.where == "第4行 第1列"


def test_a_title_saying_the_expropriation_starts_is_a_start_notice():
    assert document_type("关于2026年第2批次建设用地土地征收启动的公告") == "启动公告"


def test_a_web_page_breadcrumb_is_not_the_title():
    document = NoticeDocument(
        "notice.html",
        "html",
        (
            Paragraph("首页 > 政务公开 > 征地公告 > 征收土地方案公告", "第1段"),
            Paragraph("焦平市人民政府征收土地方案公告", "第2段"),
            Paragraph("焦平征〔2021〕第8号", "第3段"),
        ),
    )
    assert read_preamble(document).title.value == "焦平市人民政府征收土地方案公告"
