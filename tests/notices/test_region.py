"""The region of a plan, read from the names a notice prints, against cpca's division table."""

import json
import subprocess
import sys

import pytest

from geo.notices.corpus import notices
from geo.notices.preview import preview_notice
from geo.notices.region import division_table, find_region, region_texts
from tests.support.notice_builders import FIXTURES


def region(*texts: str):
    """find_region over texts given in priority order, each named by its position."""
    return find_region([(text, f"text {number}") for number, text in enumerate(texts, 1)])


def names(found) -> tuple:
    return (found.province, found.city, found.county, found.adcode, found.level)


def test_a_city_government_gives_the_city():
    found = region("嘉兴市人民政府")
    assert names(found) == ("浙江省", "嘉兴市", None, "330400", "city")
    assert (found.evidence[0].name, found.evidence[0].where) == ("嘉兴市", "text 1")
    assert 120 < found.longitude < 121.5 and 30 < found.latitude < 31.2
    assert found.warnings == ()


def test_a_district_named_by_the_issuer_or_by_the_places_under_the_city():
    expected = ("浙江省", "嘉兴市", "南湖区", "330402", "county")
    assert names(region("嘉兴市南湖区人民政府")) == expected
    found = region("嘉兴市人民政府", "南湖区东栅街道新丰村")
    assert names(found) == expected
    assert [(item.name, item.where) for item in found.evidence] == [
        ("嘉兴市", "text 1"),
        ("南湖区", "text 2"),
    ]


@pytest.mark.parametrize(
    ("issuer", "expected"),
    [
        ("固始县人民政府", ("河南省", "信阳市", "固始县", "411525", "county")),
        ("长宁县人民政府", ("四川省", "宜宾市", "长宁县", "511524", "county")),
        ("昌宁县人民政府", ("云南省", "保山市", "昌宁县", "530524", "county")),
        ("长宁区人民政府", ("上海市", None, "长宁区", "310105", "county")),
        # County-level cities under 嘉兴市.
        ("海宁市人民政府", ("浙江省", "嘉兴市", "海宁市", "330481", "county")),
        ("桐乡市自然资源和规划局", ("浙江省", "嘉兴市", "桐乡市", "330483", "county")),
        # A county-level city the province governs directly has no city above it.
        ("济源市人民政府", ("河南省", None, "济源市", "419001", "county")),
    ],
)
def test_a_county_names_its_city_and_province(issuer, expected):
    assert names(region(issuer)) == expected


def test_province_level_cities_have_no_city_level():
    assert names(region("北京市人民政府")) == ("北京市", None, None, "110000", "province")
    assert names(region("上海市浦东新区人民政府")) == (
        "上海市",
        None,
        "浦东新区",
        "310115",
        "county",
    )
    assert names(region("天津市和平区人民政府"))[3] == "120101"
    assert names(region("重庆市人民政府", "涪陵区"))[3] == "500102"


def test_traditional_characters_and_spaces_are_read_and_quoted_as_printed():
    found = region("嘉興市人民政府")
    assert found.adcode == "330400"
    assert found.evidence[0].name == "嘉興市"
    found = region("嘉 兴 市 南 湖 区 人 民 政 府")
    assert found.adcode == "330402"
    assert [item.name for item in found.evidence] == ["嘉 兴 市", "南 湖 区"]


@pytest.mark.parametrize(
    ("texts", "adcode"),
    [
        (("朝阳区人民政府", "北京市规划和自然资源委员会"), "110105"),
        (("朝阳区人民政府", "长春市自然资源局"), "220104"),
        (("朝阳区人民政府", "经吉林省人民政府批准"), "220104"),
        (("鼓楼区人民政府", "福州市"), "350102"),
        (("鼓楼区人民政府", "徐州市"), "320302"),
        # A province's land approval (豫政土, 鲁政土字) names its province.
        (("鼓楼区人民政府", "经河南省人民政府豫政土〔2021〕88号批准"), "410204"),
        (("新华区人民政府", "豫政土〔2021〕1172号"), "410402"),
        (("河东区人民政府", "鲁政土字〔2020〕1234号"), "371312"),
        (("河东区人民政府", "天津市"), "120102"),
    ],
)
def test_a_district_of_several_places_is_settled_by_the_province_or_city_named(texts, adcode):
    assert region(*texts).adcode == adcode


def test_a_district_of_several_places_in_one_province_stays_at_the_province():
    found = region("鼓楼区人民政府", "江苏省人民政府")
    assert names(found) == ("江苏省", None, None, "320000", "province")
    (warning,) = found.warnings
    assert "鼓楼区" in warning and "320106" in warning and "320302" in warning
    found = region("市中区人民政府", "鲁政土字〔2020〕56号")
    assert found.adcode == "370000"
    assert "370103" in found.warnings[0] and "370402" in found.warnings[0]
    assert region("市中区人民政府", "鲁政土字〔2020〕56号", "济南市").adcode == "370103"


def test_a_district_of_several_provinces_with_nothing_else_is_no_region():
    assert region("朝阳区人民政府") is None
    assert region("鼓楼区人民政府") is None
    assert region("新华区人民政府", "新华区建设路") is None


def test_places_in_two_districts_keep_the_city():
    found = region("嘉兴市人民政府", "南湖区新丰镇", "秀洲区王店镇")
    assert names(found) == ("浙江省", "嘉兴市", None, "330400", "city")
    assert "330402" in found.warnings[0] and "330411" in found.warnings[0]
    found = region("嘉兴市人民政府关于南湖区、秀洲区2021年度征收土地的公告")
    assert found.adcode == "330400"
    # Without a body to speak for the plan, the first place named does not outrank the others.
    found = region("征收土地公告", "南湖区新丰镇", "秀洲区王店镇")
    assert names(found) == ("浙江省", "嘉兴市", None, "330400", "city")
    found = region("浙江省人民政府", "嘉兴市南湖区新丰镇", "嘉兴市秀洲区王店镇")
    assert found.adcode == "330400"
    # The title's district stands unless a parcel lies in another.
    title = "浙江省人民政府关于嘉兴市南湖区2021年度第3批次城镇建设用地征收土地的公告"
    assert region("浙江省人民政府", title, "新丰镇").adcode == "330402"
    assert region("浙江省人民政府", title, "秀洲区王店镇").adcode == "330400"


def test_the_issuer_decides_and_other_places_named_are_warned_of():
    found = region("海宁市人民政府", "东至桐乡市界", "上海市某公司")
    assert found.adcode == "330481"
    assert any("桐乡市" in warning and "not taken" in warning for warning in found.warnings)
    assert any("上海市" in warning for warning in found.warnings)


def test_a_province_issuer_with_the_district_in_the_title():
    found = region(
        "浙江省人民政府",
        "浙江省人民政府关于嘉兴市南湖区2021年度第3批次城镇建设用地征收土地的公告",
    )
    assert names(found) == ("浙江省", "嘉兴市", "南湖区", "330402", "county")


def test_streets_villages_and_words_named_after_places_are_not_regions():
    assert region("东至嘉兴路，西至南湖大道，南至中山路，北至北京东路，上海路") is None
    assert region("朝阳街道新乡村", "平安顺利") is None
    # A short form standing alone is read: 浙江嘉兴.
    assert region("浙江嘉兴").adcode == "330400"
    # A full name is the place whatever follows it.
    assert region("嘉兴市乡村振兴示范带建设项目").adcode == "330400"
    assert region("信阳市新县人民政府").adcode == "411523"
    assert region("重新县域规划") is None
    # 东至县道X205 is "east to county road X205", not 东至县 (安徽省池州市).
    assert region("东至县道X205，南至省道S101") is None
    assert region("东至县道路建设项目").adcode == "341721"


def test_a_district_newer_than_the_table_leaves_the_city():
    # 莱芜区 (2019) and 临平区 (2021) are not in cpca 0.5.5's table; their names are not guessed.
    if {"莱芜区", "临平区"} & set(division_table().by_name):
        pytest.skip("this cpca knows 莱芜区 or 临平区")
    found = region("济南市莱芜区人民政府")
    assert names(found) == ("山东省", "济南市", None, "370100", "city")
    assert found.warnings == ()
    assert region("杭州市临平区人民政府").adcode == "330100"


def test_nothing_named_is_none():
    assert region() is None
    assert region("延水县人民政府", "柳湾街道石桥村、河口村") is None
    assert region("", "特此公告。") is None


def test_a_division_without_a_centre_takes_its_parents():
    table = division_table()
    uncentred = [
        division
        for division in table.by_code.values()
        if division.longitude is None and len(table.by_name.get(division.name, ())) == 1
    ]
    if not uncentred:
        pytest.skip("every division in this cpca has a centre")
    division = uncentred[0]
    found = region(f"{division.name}人民政府")
    assert found.adcode == division.adcode
    assert found.longitude is not None
    assert any("no centre" in warning for warning in found.warnings)


def test_to_dict_is_json_ready():
    body = region("嘉興市人民政府", "南湖区新丰镇").to_dict()
    assert body["adcode"] == "330402" and body["county"] == "南湖区"
    assert body["evidence"][0] == {"name": "嘉興市", "text": "嘉興市人民政府", "where": "text 1"}
    json.dumps(body, ensure_ascii=False)


SHANGCHENG = """商城县人民政府
征收土地方案公告
商政土〔2021〕12号
经河南省人民政府豫政土〔2021〕612号文批准，同意商城县人民政府征收集体土地8.2130公顷。
一、征收土地位置：上石桥镇杨楼村、鄢岗镇朝阳村
二、征收土地面积：8.2130公顷
三、征收目的：城镇建设
特此公告。
商城县人民政府
2021年9月10日
"""

LICHENG = """济南市历城区人民政府
征收土地公告
济历政土告〔2020〕7号
经山东省人民政府鲁政土字〔2020〕1560号文批准，征收历城区王舍人街道集体土地。
一、征收土地位置：王舍人街道东沙村
二、征收土地面积：约12.0012公顷
三、征收目的：城镇建设
特此公告。
济南市历城区人民政府
2020年12月2日
"""

SCHEME = """郑州市人民政府
征收土地方案公告
（2021）8号
经河南省人民政府以豫政土〔2021〕1172号文批准，郑州市中原区2021年度第十五批次城乡建设用地已获批准。
一、征收土地位置：须水街道
特此公告。
郑州市自然资源和规划局
2021-09-30
"""


@pytest.mark.parametrize(
    ("text", "adcode"),
    [(SHANGCHENG, "411524"), (LICHENG, "370112"), (SCHEME, "410102")],
    ids=["henan-county", "shandong-district", "henan-city-with-district-in-text"],
)
def test_whole_notices_read_through_their_preview(text, adcode):
    preview = preview_notice(text.encode("utf-8"), "notice.txt")
    found = find_region(region_texts(preview))
    assert found.adcode == adcode, found


def test_region_texts_put_the_issuer_and_title_first():
    texts = region_texts(preview_notice(SHANGCHENG.encode("utf-8"), "notice.txt"))
    wheres = [where for _, where in texts]
    assert wheres[0].startswith("issuer") and wheres[1].startswith("title")
    assert any(where.startswith("approval number") for where in wheres)
    assert ("商城县人民政府", texts[0][1]) == texts[0]


# As a person reads each notice of the corpus. Most are set in invented counties (延水县, 定平市,
# 丰源县, …), which no table knows; where an invented county's notice names a real province (the
# approval 豫政土, the regulations of 广东省) that province is what can be known. Some invented
# notices borrow a real county's name (平阳县, 安溪县, 安平县, 宁陵县): the name is the real
# county's, even where 安溪县's approval comes from an invented 浙东省.
CORPUS_REGIONS = {
    "01_yugonggao_single.txt": None,
    "02_yugonggao_traditional.txt": None,
    "03_qidong_two_parcels.txt": None,
    "04_fangan_village_table.html": "410000",
    "05_jueding_single.txt": None,
    "06_city_plan_table.html": None,
    "07_plan_flattened_gb18030.txt": None,
    "08_plan_items.txt": None,
    "09_qidong_table_web.html": "511011",
    "10_qidong_traditional.html": None,
    "11_fangan_single.txt": "411423",
    "12_plan_word.docx": None,
    "13_plan_excel.xlsx": "330326",
    "14_zhengshou_pdf.pdf": "350524",
    "15_jueding_items.txt": "131125",
    "17_yugonggao_see_map.txt": "440000",
    # Invented counties: nothing in cpca's table to find.
    "18_qidong_untitled_wide.txt": None,
    "19_yugonggao_villages.txt": None,
    "20_yugonggao_range_area.txt": None,
    "21_yugonggao_numbered_places.txt": None,
    "22_yugonggao_combined_label.txt": None,
}
CORPUS = FIXTURES / "corpus"


def test_every_corpus_notice_has_an_expected_region():
    assert sorted(path.name for path in notices(CORPUS)) == sorted(CORPUS_REGIONS)


@pytest.mark.parametrize("path", notices(CORPUS), ids=lambda path: path.name)
def test_corpus_notices_give_the_region_a_person_reads(path):
    preview = preview_notice(path.read_bytes(), path.name)
    found = find_region(region_texts(preview))
    assert (found and found.adcode) == CORPUS_REGIONS[path.name], found


def test_reading_the_table_imports_neither_pandas_nor_cpca():
    # API workers import this module; cpca's own import builds its matcher, and pandas is large.
    code = (
        "import sys\n"
        "from geo.notices.region import find_region\n"
        "assert find_region([('嘉兴市人民政府', 'issuer')]).adcode == '330400'\n"
        "assert 'pandas' not in sys.modules and 'cpca' not in sys.modules, sorted(sys.modules)\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
