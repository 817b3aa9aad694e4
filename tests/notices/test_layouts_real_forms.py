"""Forms met in published notices: fields given once, places after 涉及, per-village areas.

Each text is our own, in the style of a real notice; the corpus holds whole notices of each form.
"""

from geo.notices.document import Paragraph
from geo.notices.layouts import extract_parcels
from geo.notices.layouts.model import not_boundary
from geo.notices.layouts.noticewide import purpose_clause
from geo.notices.layouts.places import place_at, place_in_range, place_involved
from geo.notices.preamble import read_preamble
from tests.notices.test_layouts_text import notice

WIDE = """
一、拟征收土地用途
拟作为住宅用地项目建设用地，符合法律法规规定的确需征收农民集体所有土地的情形。
二、拟征收土地范围
拟征收地块一：该地块涉及东城街道甲村，四至范围：东至一路，西至二路，南至三路，北至四路。
拟征收地块二：该地块涉及东城街道乙村，四至范围：东至五路，西至一路，南至三路，北至四路。
征收实施单位：东城街道办事处。
"""


def test_a_purpose_and_implementer_given_once_are_carried_to_every_parcel():
    extraction = extract_parcels(notice(WIDE))
    assert extraction.layout == "paragraphs"
    for parcel in extraction.parcels:
        assert parcel.purpose.text == "拟作为住宅用地项目建设用地"
        assert parcel.purpose.where == "第2行" and parcel.purpose.filled_from == "第2行"
        assert parcel.implementer.text == "东城街道办事处"
        assert parcel.implementer.where == "第6行"
        assert any("given once for the notice (第2行)" in w for w in parcel.warnings)
    assert [p.place.text for p in extraction.parcels] == ["东城街道甲村", "东城街道乙村"]


def test_a_parcels_own_implementer_is_not_the_notices():
    text = """
一、甲地块，位于东村，四至：东至河，南至路，西至田，北至沟，面积2亩，实施单位：甲公司。
二、乙地块，位于西村，四至：东至沟，南至路，西至河，北至田，面积3亩。
"""
    first, second = extract_parcels(notice(text)).parcels
    assert first.implementer.text == "甲公司" and second.implementer is None


def test_the_purpose_is_the_clause_naming_a_use_not_the_lead_in():
    cases = {
        "因公共利益需要，依照规划进行城镇道路建设。": "依照规划进行城镇道路建设",
        "依据《关于某路工程的批复》，实施某路工程项目建设。": "实施某路工程项目建设",
        "本次拟征收土地按《某批次》组卷报批，土地用途为交通运输用地。": "土地用途为交通运输用地",
        "1、拟征收土地用于工业用地，符合法律规定的征收情形。": "拟征收土地用于工业用地",
        "公告如下，另行通知。": "公告如下",
    }
    for text, purpose in cases.items():
        assert purpose_clause(Paragraph(text, "第1行")).text == purpose


def test_places_after_involved_and_located_run_over_their_lists():
    involved = Paragraph("该地块涉及甲街道一村，乙镇二村、三村，四至范围：东至路。", "第1行")
    assert place_involved(involved).text == "甲街道一村，乙镇二村、三村"
    assert place_involved(Paragraph("涉及集体土地5.2公顷。", "第1行")) is None
    ranged = Paragraph("拟征收土地位于甲镇一村、二村；乙乡三村范围内，涉及1公顷集体土地。", "第1行")
    assert place_at(ranged).text == "甲镇一村、二村；乙乡三村"
    land = Paragraph("甲社位于牛角坪地段的集体土地1.9公顷。", "第1行")
    assert place_at(land).text == "牛角坪地段"


def test_a_range_given_as_an_area_is_no_boundary_but_may_name_the_place():
    text = "征收面积为0.5公顷，共涉及1个镇1个村，具体为甲镇乙村丙村民小组"
    assert not_boundary(text)
    assert not not_boundary("东至河，西至路")
    assert place_in_range(text, "第1行").text == "甲镇乙村丙村民小组"
    parcel = extract_parcels(notice("征收范围：" + text + "。\n征收目的：修路。")).parcels[0]
    assert parcel.boundary is None and parcel.area.text == "0.5公顷"
    assert parcel.place.text == "甲镇乙村丙村民小组"


VILLAGES = """
一、拟征收土地范围
拟征收土地位置详见勘测定界图，面积约为6.0公顷，其中甲镇一村约为1.5公顷、二村约为2.5公顷、三村约为2.2公顷。
"""


def test_areas_given_per_village_are_one_parcel_each_and_the_total_is_checked():
    extraction = extract_parcels(notice(VILLAGES))
    assert extraction.layout == "villages"
    assert [(p.name.text, p.place.text, p.area.text) for p in extraction.parcels] == [
        ("甲镇一村", "甲镇一村", "约为1.5公顷"),
        ("二村", "二村", "约为2.5公顷"),
        ("三村", "三村", "约为2.2公顷"),
    ]
    assert extraction.totals[0].text == "约为6.0公顷"
    assert any("differs from the parcels' sum" in w for w in extraction.warnings)


def test_villages_splitting_one_drawn_plot_stay_one_parcel():
    text = VILLAGES.replace("拟征收土地位置详见勘测定界图", "四至：东至河，西至路，南至沟，北至田")
    extraction = extract_parcels(notice(text))
    assert extraction.layout == "single-parcel" and len(extraction.parcels) == 1


def test_a_title_is_never_a_numbered_section_or_a_sentence():
    for text in (
        "为保障用地需求，现发布公告：\n四、公告期限：2024年1月1日至1月15日。\n2024年1月1日",
        "近日，某区发布土地征收预公告，两块土地拟进行征收。\n二、征收公告",
    ):
        assert read_preamble(notice(text)).title is None


def test_a_title_is_not_joined_to_a_line_of_page_furniture():
    preamble = read_preamble(notice("The Beginning\n某县人民政府土地征收启动公告\n2022年1月29日"))
    assert preamble.title.text == "某县人民政府土地征收启动公告"
    assert preamble.issuer.value == "某县人民政府"


def test_numbers_whose_prefix_says_approved_are_approval_numbers():
    text = "现将有关事项公告如下：\n1 | 某电站 | 第五批次（陕政土批〔2024〕1248号）\n经省政府批准（鄂政土批（荆门）〔2024〕33号）。"
    approvals = [found.text for found in read_preamble(notice(text)).approval_numbers]
    assert approvals == ["陕政土批〔2024〕1248号", "鄂政土批（荆门）〔2024〕33号"]


def test_a_type_is_not_read_from_a_cited_notice_or_the_verb_decide():
    text = "决定启动实施某片区改造项目。\n补偿按照《某县征地补偿安置方案公告》执行。"
    assert read_preamble(notice(text)).document_type is None
