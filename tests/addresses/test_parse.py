"""The address parser reads the plan's addresses, numerals in every width and form, and says no."""

import ast
import doctest
import json
import subprocess
import sys
from dataclasses import FrozenInstanceError, fields

import pytest

import geo.addresses.parse
from geo.addresses.parse import (
    MAX_ADDRESS_CHARS,
    ParsedAddress,
    chinese_numeral_to_int,
    parse_address,
)
from geo.errors import InvalidAddress, InvalidInput
from tests.support.files import ROOT

PARTS = [f.name for f in fields(ParsedAddress) if f.name not in ("text", "normalized")]


def parts(address: ParsedAddress) -> dict:
    """Only the parts that were found, so each case lists what it expects and nothing else."""
    return {
        name: getattr(address, name) for name in PARTS if getattr(address, name) not in (None, ())
    }


CASES = [
    # The addresses of the 2022 Jiaxing plan.
    pytest.param("城北路592号", {"road": "城北路", "house_number": 592}, id="plan-chengbei"),
    pytest.param(
        "嘉兴市环城西路23号一楼及仓库",
        {"city": "嘉兴市", "road": "环城西路", "house_number": 23, "ignored": ("一楼及仓库",)},
        id="plan-warehouse-ignored",
    ),
    pytest.param(
        "嘉兴市南湖区城北路592号",
        {"city": "嘉兴市", "district": "南湖区", "road": "城北路", "house_number": 592},
        id="plan-city-district",
    ),
    pytest.param(
        "浙江省嘉兴市南湖区少年路12号",
        {
            "province": "浙江省",
            "city": "嘉兴市",
            "district": "南湖区",
            "road": "少年路",
            "house_number": 12,
        },
        id="plan-full-admin",
    ),
    pytest.param("环城西路23号", {"road": "环城西路", "house_number": 23}, id="plan-huancheng"),
    pytest.param("少年路12号", {"road": "少年路", "house_number": 12}, id="plan-shaonian"),
    pytest.param(
        "嘉兴城北路五百九十二号",
        {"city": "嘉兴市", "road": "城北路", "house_number": 592},
        id="plan-alias-chinese-numeral",
    ),
    pytest.param("大新弄17号", {"road": "大新弄", "house_number": 17}, id="plan-lane-as-road"),
    pytest.param(
        "电力局宿舍4号楼",
        {"building": "4", "ignored": ("电力局宿舍",)},
        id="plan-named-place-building",
    ),
    pytest.param(
        "新兴街道文经路8号",
        {"subdistrict": "新兴街道", "road": "文经路", "house_number": 8},
        id="plan-subdistrict",
    ),
    # Road kinds.
    pytest.param("汤家弄5号", {"road": "汤家弄", "house_number": 5}, id="road-nong"),
    pytest.param("精严寺街3号", {"road": "精严寺街", "house_number": 3}, id="road-jie"),
    pytest.param("竹篱弄9号", {"road": "竹篱弄", "house_number": 9}, id="road-zhuli"),
    pytest.param("南湖大道100号", {"road": "南湖大道", "house_number": 100}, id="road-dadao"),
    pytest.param("北京巷2号", {"road": "北京巷", "house_number": 2}, id="road-xiang"),
    # Streets named after places are roads, never areas.
    pytest.param(
        "嘉兴市广东路10号",
        {"city": "嘉兴市", "road": "广东路", "house_number": 10},
        id="guangdong-road-not-province",
    ),
    pytest.param("上海路5号", {"road": "上海路", "house_number": 5}, id="shanghai-road-not-city"),
    pytest.param("南湖路8号", {"road": "南湖路", "house_number": 8}, id="nanhu-road-not-district"),
    pytest.param(
        "秀洲路1号", {"road": "秀洲路", "house_number": 1}, id="xiuzhou-road-not-district"
    ),
    pytest.param("嘉兴路7号", {"road": "嘉兴路", "house_number": 7}, id="jiaxing-road-not-city"),
    pytest.param("嘉兴南路3号", {"road": "嘉兴南路", "house_number": 3}, id="jiaxing-south-road"),
    pytest.param(
        "南湖街道竹篱弄5号",
        {"subdistrict": "南湖街道", "road": "竹篱弄", "house_number": 5},
        id="nanhu-subdistrict-not-district",
    ),
    # Aliases and areas.
    pytest.param(
        "浙江嘉兴秀洲区",
        {"province": "浙江省", "city": "嘉兴市", "district": "秀洲区"},
        id="aliases-province-city",
    ),
    pytest.param("秀洲区", {"district": "秀洲区"}, id="district-alone-no-parents-guessed"),
    pytest.param(
        "海宁市硖石街道",
        {"district": "海宁市", "subdistrict": "硖石街道"},
        id="county-level-city-is-district",
    ),
    pytest.param(
        "嘉兴市桐乡市梧桐街道",
        {"city": "嘉兴市", "district": "桐乡市", "subdistrict": "梧桐街道"},
        id="city-then-county-level-city",
    ),
    pytest.param("嘉善县西塘镇", {"district": "嘉善县", "subdistrict": "西塘镇"}, id="county-town"),
    pytest.param(
        "上海市黄浦区南京东路1号",
        {"city": "上海市", "district": "黄浦区", "road": "南京东路", "house_number": 1},
        id="generic-suffix-rule",
    ),
    pytest.param(
        "广东省广州市天河区天河路1号",
        {
            "province": "广东省",
            "city": "广州市",
            "district": "天河区",
            "road": "天河路",
            "house_number": 1,
        },
        id="generic-province",
    ),
    pytest.param(
        "阳光小区3幢", {"building": "3", "ignored": ("阳光小区",)}, id="estate-is-not-district"
    ),
    # Sub-lane, suffixes, buildings, units and rooms.
    pytest.param(
        "城北路592弄3号",
        {"road": "城北路", "sub_lane": "592弄", "house_number": 3},
        id="sub-lane",
    ),
    pytest.param(
        "城北路592-1号",
        {"road": "城北路", "house_number": 592, "house_suffix": "-1"},
        id="suffix-dash",
    ),
    pytest.param(
        "少年路12号甲",
        {"road": "少年路", "house_number": 12, "house_suffix": "甲"},
        id="suffix-jia",
    ),
    pytest.param(
        "城北路592号3幢2单元301室",
        {"road": "城北路", "house_number": 592, "building": "3", "unit": "2", "room": "301"},
        id="building-unit-room",
    ),
    pytest.param(
        "少年路12号4栋1单元502房",
        {"road": "少年路", "house_number": 12, "building": "4", "unit": "1", "room": "502"},
        id="dong-fang",
    ),
    pytest.param("城北路5号A座", {"road": "城北路", "house_number": 5, "building": "A"}, id="zuo"),
    pytest.param("4幢", {"building": "4"}, id="zhuang-alone"),
    # Full-width and Chinese numerals.
    pytest.param("城北路５９２号", {"road": "城北路", "house_number": 592}, id="full-width-digits"),
    pytest.param(
        "城北路５９２\uff0d\uff11号",
        {"road": "城北路", "house_number": 592, "house_suffix": "-1"},
        id="full-width-hyphen",
    ),
    pytest.param("少年路十二号", {"road": "少年路", "house_number": 12}, id="numeral-12"),
    pytest.param("环城西路二十三号", {"road": "环城西路", "house_number": 23}, id="numeral-23"),
    pytest.param("精严寺街一百零五号", {"road": "精严寺街", "house_number": 105}, id="numeral-105"),
    pytest.param("城北路五百九十二号", {"road": "城北路", "house_number": 592}, id="numeral-592"),
    pytest.param(
        "城北路五百九十二弄三号",
        {"road": "城北路", "sub_lane": "592弄", "house_number": 3},
        id="numeral-sub-lane",
    ),
    pytest.param(
        "城北路十号三幢二单元三零一室",
        {"road": "城北路", "house_number": 10, "building": "3", "unit": "2", "room": "301"},
        id="numeral-building-unit-room",
    ),
    pytest.param(
        "电力局宿舍四号楼", {"building": "4", "ignored": ("电力局宿舍",)}, id="numeral-haolou"
    ),
    pytest.param(
        "汤家弄一百五号",
        {"road": "汤家弄", "ignored": ("一百五号",)},
        id="ambiguous-numeral-kept-verbatim",
    ),
    # Ignored fragments, verbatim from the input.
    pytest.param(
        "嘉兴市 环城西路 23号 一楼 及仓库",
        {"city": "嘉兴市", "road": "环城西路", "house_number": 23, "ignored": ("一楼 及仓库",)},
        id="spaces",
    ),
    pytest.param(
        "城北路592号，（北侧）３楼",
        {"road": "城北路", "house_number": 592, "ignored": ("（北侧）３楼",)},
        id="ignored-full-width-kept",
    ),
    pytest.param(
        "城北路3号5弄",
        {"road": "城北路", "house_number": 3, "ignored": ("5弄",)},
        id="out-of-order",
    ),
    pytest.param("某某", {"ignored": ("某某",)}, id="nothing-understood"),
    pytest.param("12", {"ignored": ("12",)}, id="digits-only"),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_parse_address(text, expected):
    address = parse_address(text)
    assert parts(address) == expected
    assert address.text == text


@pytest.mark.parametrize(
    ("text", "normalized"),
    [
        pytest.param("嘉兴城北路五百九十二号", "嘉兴城北路592号", id="numeral"),
        pytest.param("城北路　５９２号 Ａ座", "城北路592号A座", id="width-and-spaces"),
        pytest.param("环城西路23号一楼", "环城西路23号一楼", id="floor-numeral-kept"),
        pytest.param("九里弄三号", "九里弄3号", id="name-numeral-kept"),
    ],
)
def test_normalized(text, normalized):
    assert parse_address(text).normalized == normalized


@pytest.mark.parametrize(
    ("numeral", "value"),
    [
        ("十", 10),
        ("十二", 12),
        ("二十", 20),
        ("二十三", 23),
        ("一百零五", 105),
        ("一百一十", 110),
        ("五百九十二", 592),
        ("两百", 200),
        ("一千零五十", 1050),
        ("三零一", 301),
        ("二\u3007二", 202),
        ("一百五", None),
        ("一百十", None),
        ("十百", None),
        ("二二十", None),
        ("", None),
        ("十a", None),
    ],
)
def test_chinese_numeral_to_int(numeral, value):
    assert chinese_numeral_to_int(numeral) == value


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param("", "empty", id="empty"),
        pytest.param(" \u3000\n", "empty", id="whitespace"),
        pytest.param("城" * (MAX_ADDRESS_CHARS + 1), str(MAX_ADDRESS_CHARS), id="too-long"),
        pytest.param("hello, world!", "not an address", id="no-chinese-no-digits"),
        pytest.param("——……", "not an address", id="punctuation-only"),
    ],
)
def test_invalid_address(text, message):
    with pytest.raises(InvalidAddress, match=message) as info:
        parse_address(text)
    assert isinstance(info.value, InvalidInput)
    assert info.value.code == "invalid_address"


def test_limit_is_inclusive():
    assert parse_address("城" * MAX_ADDRESS_CHARS).ignored == ("城" * MAX_ADDRESS_CHARS,)


def test_not_text():
    with pytest.raises(InvalidAddress, match="must be text"):
        parse_address(592)


def test_to_dict_is_json():
    address = parse_address("浙江省嘉兴市南湖区城北路592-1号3幢2单元301室（仓库）")
    data = json.loads(json.dumps(address.to_dict(), ensure_ascii=False))
    assert data == {
        "text": "浙江省嘉兴市南湖区城北路592-1号3幢2单元301室（仓库）",
        "normalized": "浙江省嘉兴市南湖区城北路592-1号3幢2单元301室(仓库)",
        "province": "浙江省",
        "city": "嘉兴市",
        "district": "南湖区",
        "subdistrict": None,
        "road": "城北路",
        "house_number": 592,
        "house_suffix": "-1",
        "sub_lane": None,
        "building": "3",
        "unit": "2",
        "room": "301",
        "ignored": ["（仓库）"],
    }


def test_frozen_and_deterministic():
    first = parse_address("嘉兴城北路五百九十二号")
    assert first == parse_address("嘉兴城北路五百九十二号")
    with pytest.raises(FrozenInstanceError):
        first.road = "少年路"


@pytest.mark.parametrize("text", [p.values[0] for p in CASES])
def test_ignored_fragments_are_cut_from_the_input(text):
    for fragment in parse_address(text).ignored:
        assert fragment in text


def test_doctests():
    result = doctest.testmod(geo.addresses.parse, verbose=False)
    assert result.attempted >= 8
    assert result.failed == 0


def test_tables_do_not_know_the_roads():
    # Roads are found by their suffix, not looked up; a road name in the code would hide that.
    # Docstrings may use them as examples, so only the other string literals are searched.
    for module in ("addresses/parse.py", "addresses/vocab.py"):
        tree = ast.parse((ROOT / "geo" / module).read_text())
        docstrings = {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(node, ast.Module | ast.FunctionDef | ast.ClassDef)
            and node.body
            and isinstance(node.body[0], ast.Expr)
        }
        literals = [
            node.value
            for node in ast.walk(tree)
            if isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in docstrings
        ]
        for road in (
            "城北路",
            "大新弄",
            "文经路",
            "少年路",
            "精严寺街",
            "广东路",
            "上海路",
            "南湖路",
        ):
            assert not [lit for lit in literals if road in lit], (module, road)


def test_imports_only_the_standard_library():
    code = "import sys, geo.addresses.parse; print(sorted({'pandas', 'fastapi', 'cpca'} & set(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"
