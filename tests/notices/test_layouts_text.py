"""Parcels in running text: one numbered paragraph per parcel, or a single-parcel announcement."""

from decimal import Decimal

from geo.notices.document import Cell, NoticeDocument, Paragraph, Table
from geo.notices.layouts import extract_parcels
from geo.notices.layouts.accuracy import field_accuracy


def notice(text: str, *tables: Table) -> NoticeDocument:
    lines = text.strip("\n").splitlines()
    blocks = tuple(Paragraph(line, f"第{i}行") for i, line in enumerate(lines, 1))
    return NoticeDocument("notice.txt", "text", blocks + tables)


def expect(document: NoticeDocument, layout: str, expected: list[dict[str, str]]):
    extraction = extract_parcels(document)
    assert extraction.layout == layout
    score = field_accuracy(extraction, expected)
    assert (score.differences, score.ratio) == ([], 1.0)
    return extraction


PARCEL_PARAGRAPHS = """
关于城西片区土地征收的预公告
为保障城西片区基础设施建设，拟征收以下地块：
一、城西1号地块，位于城西街道红星村，四至范围：东至红星路；南至工业大道；西至农田；北至红星河，面积约12.5亩，用途为道路建设，实施单位为城西街道办事处。
二、城西2号地块，位于城西街道红旗村，四至范围：东至红旗河；南至规划路；西至农田；北至村道，面积8.3公顷（约124.5亩），公共利益类型：成片开发建设，实施单位：市土地储备中心。
三、城西3号地块，位于城西街道红旗村，面积3亩。
特此公告。
"""


def test_one_paragraph_per_parcel_with_chinese_numbers():
    extraction = expect(
        notice(PARCEL_PARAGRAPHS),
        "paragraphs",
        [
            {
                "name": "城西1号地块",
                "place": "城西街道红星村",
                "boundary": "东至红星路；南至工业大道；西至农田；北至红星河",
                "area": "约12.5亩",
                "mu": "12.5",
                "purpose": "道路建设",
                "implementer": "城西街道办事处",
            },
            {
                "name": "城西2号地块",
                "place": "城西街道红旗村",
                "boundary": "东至红旗河；南至规划路；西至农田；北至村道",
                "area": "8.3公顷（约124.5亩）",
                "mu": "124.5",
                "purpose": "成片开发建设",
                "implementer": "市土地储备中心",
            },
            {"name": "城西3号地块", "place": "城西街道红旗村", "mu": "3"},
        ],
    )
    first, second, third = extraction.parcels
    assert first.area_value.about and first.where == "第3行"
    assert len(second.area_value.figures) == 2 and second.warnings == ()
    assert third.warnings == ("第5行: no 四至",)


PROJECT_ITEMS = """
2021年度第三批次城市建设用地征收土地预公告
1.滨江大道二期项目：位于江北镇，东至滨江路，南至长江大堤，西至江北大道，北至规划一路，征收面积3.2公顷，由市交通投资集团有限公司组织实施。
2.江北小学扩建项目：位于江北镇新民村，
东至新民路，南至学校，西至农田，北至河，征收面积1.6公顷（合24亩）。
"""


def test_numbered_projects_with_a_line_broken_item():
    extraction = expect(
        notice(PROJECT_ITEMS),
        "paragraphs",
        [
            {
                "name": "滨江大道二期项目",
                "place": "江北镇",
                "boundary": "东至滨江路，南至长江大堤，西至江北大道，北至规划一路",
                "mu": "48",
                "implementer": "市交通投资集团有限公司",
            },
            {
                "name": "江北小学扩建项目",
                "place": "江北镇新民村",
                "boundary": "东至新民路，南至学校，西至农田，北至河",
                "area": "1.6公顷（合24亩）",
            },
        ],
    )
    assert extraction.parcels[1].area_value.figures[1].mu == Decimal(24)


FULL_WIDTH_12_5 = "\uff11\uff12\uff0e\uff15"
BRACKETED_ITEMS = f"""
（1）东湖路延伸段：四至：东至东湖，南至湖滨路，西至老街，北至粮站，用地面积：{FULL_WIDTH_12_5}亩。
（2）东湖公园：东至环湖路，南至东湖，西至东湖路，北至粮站，用地面积：4,200平方米。
"""


def test_bracketed_numbers_and_full_width_figures():
    extraction = expect(
        notice(BRACKETED_ITEMS),
        "paragraphs",
        [
            {
                "name": "东湖路延伸段",
                "boundary": "东至东湖，南至湖滨路，西至老街，北至粮站",
                "area": f"{FULL_WIDTH_12_5}亩",
                "mu": "12.5",
            },
            {
                "name": "东湖公园",
                "boundary": "东至环湖路，南至东湖，西至东湖路，北至粮站",
                "mu": "6.3",
            },
        ],
    )
    assert extraction.parcels[1].area_value.m2 == Decimal(4200)


PRE_NOTICE = """
桐乡市人民政府
关于乌镇大道二期工程拟征收土地的预公告
因乌镇大道（二期）道路工程建设需要，我市拟征收下列土地，现将有关事项公告如下：
一、拟征收土地位置：梧桐街道凤鸣村、同福村。
二、拟征收土地范围：东至凤鸣路，南至环城南路，西至规划支路，北至同福河。
三、拟征收土地面积：约3.2456公顷。
四、征收目的：交通基础设施建设。
五、土地现状调查：自本公告发布之日起开展。
特此公告。
桐乡市人民政府
二〇二一年八月十二日
"""


def test_single_parcel_pre_notice_in_labelled_sections():
    extraction = expect(
        notice(PRE_NOTICE),
        "single-parcel",
        [
            {
                "name": "乌镇大道二期工程",
                "place": "梧桐街道凤鸣村、同福村",
                "boundary": "东至凤鸣路，南至环城南路，西至规划支路，北至同福河",
                "area": "约3.2456公顷",
                "mu": "48.684",
                "purpose": "交通基础设施建设",
            },
        ],
    )
    parcel = extraction.parcels[0]
    assert (parcel.boundary.where, parcel.area.where, parcel.name.where) == (
        "第5行",
        "第6行",
        "第2行",
    )
    assert parcel.warnings == ()


def test_single_parcel_from_a_label_value_table():
    rows = [
        ("项目名称", "城南中学新建工程"),
        ("拟征收土地位置", "城南镇石桥村"),
        ("四至范围", "东至石桥路，南至规划路，西至农田，北至石桥河"),
        ("拟征收土地面积", "2.6842公顷"),
        ("征收目的", "教育设施建设"),
    ]
    table = Table(
        tuple(
            tuple(Cell(text, f"表1 第{r}行 第{c}列") for c, text in enumerate(row, 1))
            for r, row in enumerate(rows, 1)
        ),
        "表1",
    )
    extraction = expect(
        notice("征收土地预公告\n现将拟征收土地情况公告如下：", table),
        "single-parcel",
        [
            {
                "name": "城南中学新建工程",
                "place": "城南镇石桥村",
                "boundary": "东至石桥路，南至规划路，西至农田，北至石桥河",
                "mu": "40.263",
                "purpose": "教育设施建设",
            },
        ],
    )
    assert extraction.parcels[0].area.where == "表1 第4行 第2列"


DECISION = """
济南市历下区人民政府关于解放东路片区国有土地上房屋征收的决定
为了公共利益的需要，依据《国有土地上房屋征收与补偿条例》，区政府决定对解放东路片区实施房屋征收。
征收范围：东至解放东路；南至和平路；西至历山路；北至山大路。
征收土地面积：约4.5万平方米。
房屋征收部门为济南市历下区住房和城乡建设局。
2021年8月12日
"""


def test_house_expropriation_decision():
    extraction = expect(
        notice(DECISION),
        "single-parcel",
        [
            {
                "name": "解放东路片区",
                "boundary": "东至解放东路；南至和平路；西至历山路；北至山大路",
                "area": "约4.5万平方米",
                "mu": "67.5",
            },
        ],
    )
    assert extraction.parcels[0].warnings == ()


def test_prose_without_parcels_says_so():
    extraction = extract_parcels(notice("关于做好征地工作的通知\n各乡镇：请认真做好相关工作。"))
    assert extraction.layout is None and extraction.parcels == ()
    assert "no parcels" in extraction.warnings[0]


LABELLED_BY_PARCEL = """
某县人民政府土地征收启动公告
二、拟征收土地范围
拟征收地块一：该地块位于城关镇东村、西村，四至范围：东至民安路，西至规划路，南至河道，北至国道。
拟征收地块二：该地块位于城关镇东村，四至范围：东至规划路，西至建设用地，南至河道，北至国道。
特此公告。
"""


def test_parcel_paragraphs_named_by_their_label_not_numbered():
    expect(
        notice(LABELLED_BY_PARCEL),
        "paragraphs",
        [
            {
                "name": "地块一",
                "place": "城关镇东村、西村",
                "boundary": "东至民安路，西至规划路，南至河道，北至国道",
            },
            {"name": "地块二", "place": "城关镇东村", "area": None},
        ],
    )


UNLABELLED = """
某市人民政府征地预公告
一、征收范围
拟征收你村东侧地块（东至道路，西至西坡村地，南至某某有限公司，北至村道）的集体土地，面积约0.6728公顷。
二、征收目的
拟用于城镇道路建设，符合法律规定。
特此公告。
"""


def test_single_parcel_fields_given_without_labels():
    """A 四至 in brackets, the purpose under its heading: no label and colon to read them by."""
    expect(
        notice(UNLABELLED),
        "single-parcel",
        [
            {
                "name": None,
                "place": None,
                "boundary": "东至道路，西至西坡村地，南至某某有限公司，北至村道",
                "area": "约0.6728公顷",
                "purpose": "拟用于城镇道路建设",
            }
        ],
    )


def test_single_parcel_place_after_located_and_about_kept_in_the_area():
    text = (
        "征收土地预公告\n拟征收地块：该地块位于柳湾街道石桥村，四至范围：东至河，西至路。\n"
        "拟征收土地面积约为17.2566公顷，其中石桥村约为3.8966公顷。"
    )
    expect(
        notice(text),
        "single-parcel",
        [{"place": "柳湾街道石桥村", "area": "约为17.2566公顷", "mu": "258.849"}],
    )


def test_floor_area_of_the_houses_is_not_the_parcel_area():
    text = (
        "关于某片区房屋征收决定的公告\n征收范围：东至解放路，南至湖滨路。\n"
        "三、征收范围内房屋总建筑面积约3.2万平方米，用地面积约48.6亩。"
    )
    expect(notice(text), "single-parcel", [{"area": "约48.6亩", "mu": "48.6"}])


def test_a_boundary_that_only_points_at_a_map_is_no_boundary():
    text = (
        "某县人民政府征收土地方案公告\n现将征收土地方案公告如下：\n一、征收土地位置：某镇东村\n"
        "二、征收土地范围：详见附图\n三、征收土地面积：2公顷\n特此公告。"
    )
    extraction = expect(notice(text), "single-parcel", [{"boundary": None, "mu": "30"}])
    assert any("only refers to a map" in w for w in extraction.all_warnings())
