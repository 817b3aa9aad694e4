"""The four-boundary (四至) parser reads every plan row and the variants seen in other cities."""

import doctest
import json
import random
import re
import unicodedata
from collections import Counter

import pytest

import geo.boundaries.parse
from geo.boundaries.parse import parse_boundaries
from geo.boundaries.parsed import SIDES, FeatureRef, ParsedBoundaries, SideRefs
from tests.support.boundaries import FOUR, assert_sides, assert_warnings
from tests.support.files import ROOT


def F(name, kind, qualifiers=(), notes=()):
    return (name, kind, tuple(qualifiers), tuple(notes))


def features(parsed: ParsedBoundaries) -> dict:
    return {
        side: [(f.name, f.kind, f.qualifiers, f.notes) for f in refs.features]
        for side, refs in parsed.sides.items()
    }


def names_and_kinds(parsed: ParsedBoundaries) -> dict:
    return {side: [(f.name, f.kind) for f in refs.features] for side, refs in parsed.sides.items()}


def joined(parsed: ParsedBoundaries) -> dict:
    return {side: refs.joined_by for side, refs in parsed.sides.items()}


# The 13 rows of the 2022 Jiaxing plan, verbatim (row 13 keeps its typo 己征收), with the full
# reading written out by hand: side -> [(name, kind, qualifiers, notes)], then how each side joins.
PLAN_ROWS = [
    pytest.param(
        "东至原南湖法院围墙，南至勤俭路，西至春波坊，北至大新路",
        {
            "east": [F("南湖法院围墙", "wall", ["原"])],
            "south": [F("勤俭路", "road")],
            "west": [F("春波坊", None)],
            "north": [F("大新路", "road")],
        },
        {},
        id="row01-former-court-wall",
    ),
    pytest.param(
        "东至青龙街，南至大新路，西至秀水人家，北至秀水人家",
        {
            "east": [F("青龙街", "road")],
            "south": [F("大新路", "road")],
            "west": [F("秀水人家", "estate")],
            "north": [F("秀水人家", "estate")],
        },
        {},
        id="row02-estate-twice",
    ),
    pytest.param(
        "东至兴波苑东侧边界，南至兴波苑南侧边界，西至兴波苑西侧边界，北至兴波苑北侧边界",
        {
            "east": [F("兴波苑", "boundary", ["东侧边界"])],
            "south": [F("兴波苑", "boundary", ["南侧边界"])],
            "west": [F("兴波苑", "boundary", ["西侧边界"])],
            "north": [F("兴波苑", "boundary", ["北侧边界"])],
        },
        {},
        id="row03-estate-own-edges",
    ),
    pytest.param(
        "东至秀洲区水利农机大楼东侧支路（含竹桥苑16幢、17幢、19幢）-竹桥街-竹桥苑西边界-602厂西边界"
        "-望秀苑东边界-紫薇花园西侧支路，南至竹桥港，西至越秀北路，北至洪兴路",
        {
            "east": [
                F("秀洲区水利农机大楼东侧支路", "road", ["东侧"], ["含竹桥苑16幢、17幢、19幢"]),
                F("竹桥街", "road"),
                F("竹桥苑", "boundary", ["西边界"]),
                F("602厂", "boundary", ["西边界"]),
                F("望秀苑", "boundary", ["东边界"]),
                F("紫薇花园西侧支路", "road", ["西侧"]),
            ],
            "south": [F("竹桥港", "water")],
            "west": [F("越秀北路", "road")],
            "north": [F("洪兴路", "road")],
        },
        {"east": "chain"},
        id="row04-east-chain-of-six",
    ),
    pytest.param(
        "东至百墅路，南至水系和百家公寓，西至中环路南侧绿地，北至城北路",
        {
            "east": [F("百墅路", "road")],
            "south": [F("水系", "water"), F("百家公寓", "estate")],
            "west": [F("中环路南侧绿地", "green", ["南侧"])],
            "north": [F("城北路", "road")],
        },
        {"south": "and"},
        id="row05-water-and-estate",
    ),
    pytest.param(
        "东、南至不锈钢设备总厂，西至百墅路，北至城北路（城北路592号）",
        {
            "east": [F("不锈钢设备总厂", "facility")],
            "south": [F("不锈钢设备总厂", "facility")],
            "west": [F("百墅路", "road")],
            "north": [F("城北路", "road", [], ["城北路592号"])],
        },
        {},
        id="row06-shared-side-and-address-note",
    ),
    pytest.param(
        "东、南至水系，西至百墅路和4号地块，北至城北路和4号地块",
        {
            "east": [F("水系", "water")],
            "south": [F("水系", "water")],
            "west": [F("百墅路", "road"), F("4号地块", "parcel")],
            "north": [F("城北路", "road"), F("4号地块", "parcel")],
        },
        {"west": "and", "north": "and"},
        id="row07-road-and-parcel",
    ),
    pytest.param(
        "东至过道，南至中和广场停车场，西至电力局宿舍4号楼，北至精严寺街",
        {
            "east": [F("过道", "road")],
            "south": [F("中和广场停车场", "facility")],
            "west": [F("电力局宿舍4号楼", "building")],
            "north": [F("精严寺街", "road")],
        },
        {},
        id="row08-numbered-building",
    ),
    pytest.param(
        "东至汤家弄，南至金福公寓三幢，西至少年路，北至菜场弄",
        {
            "east": [F("汤家弄", "road")],
            "south": [F("金福公寓三幢", "building")],
            "west": [F("少年路", "road")],
            "north": [F("菜场弄", "road")],
        },
        {},
        id="row09-lanes",
    ),
    pytest.param(
        "东至人民剧院，南至竹篱弄，西至少年路已征收地块边界，北至勤俭路",
        {
            "east": [F("人民剧院", "building")],
            "south": [F("竹篱弄", "road")],
            "west": [F("少年路已征收地块", "boundary", ["边界"])],
            "north": [F("勤俭路", "road")],
        },
        {},
        id="row11-parcel-boundary",
    ),
    pytest.param(
        "东至枫杨社区邻里中心围墙，南至围墙，西至泾水桥港，北至现状围墙",
        {
            "east": [F("枫杨社区邻里中心围墙", "wall")],
            "south": [F("围墙", "wall")],
            "west": [F("泾水桥港", "water")],
            "north": [F("围墙", "wall", ["现状"])],
        },
        {},
        id="row12-walls",
    ),
    pytest.param(
        "东至文经路，南至齐心弄己征收地块，西至河流，北至文纬路",
        {
            "east": [F("文经路", "road")],
            "south": [F("齐心弄己征收地块", "parcel")],
            "west": [F("河流", "water")],
            "north": [F("文纬路", "road")],
        },
        {},
        id="row13-typo-kept",
    ),
]
ADDRESS_ROW = "嘉兴市环城西路23号一楼及仓库"


@pytest.mark.parametrize(("text", "expected", "joins"), PLAN_ROWS)
def test_plan_row(text, expected, joins):
    parsed = parse_boundaries(text)
    assert features(parsed) == expected
    assert joined(parsed) == {side: joins.get(side, "single") for side in expected}
    assert parsed.unparsed == ()
    assert parsed.notes == ()
    assert parsed.warnings == ()
    assert parsed.address is None


def test_row04_texts_are_verbatim_and_the_note_stays_with_the_first_feature():
    east = parse_boundaries(PLAN_ROWS[3].values[0]).sides["east"].features
    assert [f.text for f in east] == [
        "秀洲区水利农机大楼东侧支路（含竹桥苑16幢、17幢、19幢）",
        "竹桥街",
        "竹桥苑西边界",
        "602厂西边界",
        "望秀苑东边界",
        "紫薇花园西侧支路",
    ]


def test_row06_shared_side_is_the_same_feature():
    parsed = parse_boundaries(PLAN_ROWS[5].values[0])
    assert parsed.sides["east"] == parsed.sides["south"]
    assert parsed.sides["north"].features[0].text == "城北路（城北路592号）"


def test_row10_address_is_not_split():
    parsed = parse_boundaries(ADDRESS_ROW)
    assert parsed.address == ADDRESS_ROW
    assert parsed.sides == {}
    assert parsed.unparsed == ()
    assert parsed.notes == ()
    assert len(parsed.warnings) == 1
    assert "no four sides" in parsed.warnings[0]
    assert ADDRESS_ROW in parsed.warnings[0]


CHECKED = "东至A路，南至B河，西至C小区，北至D街"

# (text, side -> [(name, kind)], extra expectations): notes/unparsed/address compare exactly,
# warnings lists substrings that must each appear in some warning (no warning when absent),
# joined compares the given sides' joins, texts the given sides' feature texts.
VARIANTS = [
    pytest.param(
        "北至洪兴路，东至青龙街，南至竹桥港，西至越秀北路",
        {
            "east": [("青龙街", "road")],
            "south": [("竹桥港", "water")],
            "west": [("越秀北路", "road")],
            "north": [("洪兴路", "road")],
        },
        {},
        id="sides-in-any-order",
    ),
    pytest.param(
        "东临河道，南到规划路，西邻阳光小区，北靠人民公园",
        {
            "east": [("河道", "water")],
            "south": [("规划路", "road")],
            "west": [("阳光小区", "estate")],
            "north": [("人民公园", "green")],
        },
        {},
        id="verbs-lin-dao-lin-kao",
    ),
    pytest.param(
        "东接红星机械厂，南至A路，西至B河，北至C街",
        {
            "east": [("红星机械厂", "facility")],
            "south": [("A路", "road")],
            "west": [("B河", "water")],
            "north": [("C街", "road")],
        },
        {},
        id="verb-jie",
    ),
    pytest.param("东侧至A路，南面至B河，西边至C小区，北侧临D街", FOUR, {}, id="side-ce-mian-bian"),
    pytest.param("东：A路；南：B河；西：C小区；北：D街", FOUR, {}, id="colon-full-width"),
    pytest.param("东:A路;南:B河;西:C小区;北:D街", FOUR, {}, id="colon-half-width"),
    pytest.param("东至：A路，南至：B河，西至：C小区，北至：D街", FOUR, {}, id="verb-then-colon"),
    pytest.param("东至A路; 南至B河。西至C小区,北至D街。", FOUR, {}, id="mixed-separators"),
    pytest.param(
        "  东至 A 路\n南至B河  西至C小区\u3000北至D街 ",
        FOUR,
        {"texts": {"east": ["A 路"]}},
        id="spaces-and-newlines-separate",
    ),
    pytest.param(
        "东、西、北至滨河路，南至规划路",
        {
            "east": [("滨河路", "road")],
            "south": [("规划路", "road")],
            "west": [("滨河路", "road")],
            "north": [("滨河路", "road")],
        },
        {},
        id="three-sides-share-one-feature",
    ),
    pytest.param(
        "东西至A路，南北至B河",
        {
            "east": [("A路", "road")],
            "south": [("B河", "water")],
            "west": [("A路", "road")],
            "north": [("B河", "water")],
        },
        {},
        id="opposite-pairs-without-separator",
    ),
    pytest.param(
        "东至A路、B河及C小区，南至D路与E河，西至F路以及G小区，北至和平路和河道",
        {
            "east": [("A路", "road"), ("B河", "water"), ("C小区", "estate")],
            "south": [("D路", "road"), ("E河", "water")],
            "west": [("F路", "road"), ("G小区", "estate")],
            "north": [("和平路", "road"), ("河道", "water")],
        },
        {"joined": dict.fromkeys(SIDES, "and")},
        id="lists-dun-ji-yu-he",
    ),
    pytest.param(
        "东至和平路，南至中和广场，西至A路与B路交叉口，北至普及路",
        {
            "east": [("和平路", "road")],
            "south": [("中和广场", None)],
            "west": [("A路与B路交叉口", None)],
            "north": [("普及路", "road")],
        },
        {"joined": dict.fromkeys(SIDES, "single")},
        id="he-inside-names-not-split",
    ),
    pytest.param(
        "东至A路（含B幢和C幢、D幢），南至B河，西至C小区，北至D街",
        FOUR,
        {"joined": {"east": "single"}},
        id="no-split-inside-brackets",
    ),
    pytest.param(
        "东至A路\uff0dB河\u2014C小区~D街，南至E路\u2014\u2014F河，西至G路\uff5eH港，北至城北路592-1号",
        {
            "east": [("A路", "road"), ("B河", "water"), ("C小区", "estate"), ("D街", "road")],
            "south": [("E路", "road"), ("F河", "water")],
            "west": [("G路", "road"), ("H港", "water")],
            "north": [("城北路592-1号", "address")],
        },
        {"joined": {"east": "chain", "south": "chain", "west": "chain", "north": "single"}},
        id="chains-with-dashes-and-tildes",
    ),
    pytest.param(f"{CHECKED}，详见图则", FOUR, {"notes": ("详见图则",)}, id="note-see-plan"),
    pytest.param(
        f"{CHECKED}。具体以红线图为准", FOUR, {"notes": ("具体以红线图为准",)}, id="note-as-final"
    ),
    pytest.param(f"{CHECKED}，总面积约30亩", FOUR, {"notes": ("总面积约30亩",)}, id="note-area"),
    pytest.param(
        f"{CHECKED}（以实际测量为准）",
        FOUR,
        {"notes": ("以实际测量为准",), "texts": {"north": ["D街"]}},
        id="note-bracketed-after-last-side",
    ),
    pytest.param(
        f"{CHECKED}，(以实际测量为准)",
        FOUR,
        {"notes": ("以实际测量为准",)},
        id="note-bracketed-alone",
    ),
    pytest.param(f"{CHECKED} 详见图则", FOUR, {"notes": ("详见图则",)}, id="note-after-space"),
    pytest.param(
        "东至A路，南至B河，西至C小区",
        {side: FOUR[side] for side in ("east", "south", "west")},
        {"warnings": ["missing sides: north"]},
        id="missing-one-side",
    ),
    pytest.param(
        "东至A路",
        {"east": [("A路", "road")]},
        {"warnings": ["missing sides: south, west, north"]},
        id="missing-three-sides",
    ),
    pytest.param(
        f"中至公园，{CHECKED}",
        FOUR,
        {"unparsed": ("中至公园",), "warnings": ['unknown side word "中" in "中至公园"']},
        id="unknown-side-zhong",
    ),
    pytest.param(
        f"左至A路，{CHECKED}",
        FOUR,
        {"unparsed": ("左至A路",), "warnings": ['unknown side word "左" in "左至A路"']},
        id="unknown-side-zuo",
    ),
    pytest.param(
        f"东北至河道，{CHECKED}",
        FOUR,
        {"unparsed": ("东北至河道",), "warnings": ['"东北"', '"东北至河道"']},
        id="diagonal-side-not-mapped",
    ),
    pytest.param(
        "西南至A路，东至B路",
        {"east": [("B路", "road")]},
        {
            "unparsed": ("西南至A路",),
            "warnings": ['"西南至A路"', "missing sides: south, west, north"],
        },
        id="diagonal-side-never-guessed",
    ),
    pytest.param(
        "东至A路，东至B河，南至C路，西至D路，北至E路",
        {
            "east": [("A路", "road"), ("B河", "water")],
            "south": [("C路", "road")],
            "west": [("D路", "road")],
            "north": [("E路", "road")],
        },
        {"warnings": ['side "east" given twice', '"东至B河"'], "joined": {"east": "and"}},
        id="same-side-twice-appends",
    ),
    pytest.param(
        "见附图", {}, {"unparsed": ("见附图",), "warnings": ['"见附图"']}, id="garbage-see-map"
    ),
    pytest.param("abc", {}, {"unparsed": ("abc",), "warnings": ['"abc"']}, id="garbage-latin"),
    pytest.param("", {}, {"warnings": ["empty"]}, id="empty"),
    pytest.param(" \n\t\u3000", {}, {"warnings": ["empty"]}, id="whitespace-only"),
    pytest.param(
        "嘉兴市中山路",
        {},
        {"address": "嘉兴市中山路", "warnings": ["address"]},
        id="address-without-number",
    ),
    pytest.param(f"四至：{CHECKED}", FOUR, {"notes": ("四至",)}, id="leading-label"),
    pytest.param(
        "东至A路，B河，南至B河，西至C小区，北至D街",
        FOUR,
        {"unparsed": ("B河",), "warnings": ['fragment "B河" is not tied to a side']},
        id="stray-fragment-not-guessed",
    ),
    pytest.param(
        "东至，南至B河，西至C小区，北至D街",
        {side: FOUR[side] for side in ("south", "west", "north")},
        {"unparsed": ("东至",), "warnings": ['"东至"', "missing sides: east"]},
        id="side-without-feature",
    ),
    pytest.param(
        "东至A路南至B河",
        {"east": [("A路南至B河", "water")]},
        {"warnings": ['possible side word inside "A路南至B河"', "missing sides"]},
        id="missing-comma-is-reported",
    ),
    pytest.param(
        "东至原野路，南至原围墙，西至原春波坊，北至兴波苑东侧",
        {
            "east": [("原野路", "road")],
            "south": [("围墙", "wall")],
            "west": [("原春波坊", None)],
            "north": [("兴波苑", "estate")],
        },
        {},
        id="former-only-before-a-real-name",
    ),
]


@pytest.mark.parametrize(("text", "expected", "extra"), VARIANTS)
def test_variant(text, expected, extra):
    parsed = parse_boundaries(text)
    assert names_and_kinds(parsed) == expected
    assert parsed.notes == extra.get("notes", ())
    assert parsed.unparsed == extra.get("unparsed", ())
    assert parsed.address == extra.get("address")
    assert_warnings(parsed, extra.get("warnings", []))
    # Here "notes" are the parse's own (checked above), not a side's.
    assert_sides(parsed, extra, keys=("joined", "texts"))


def test_qualifiers_of_variants():
    parsed = parse_boundaries("东至原野路，南至原围墙，西至原春波坊，北至兴波苑东侧")
    assert [refs.features[0].qualifiers for refs in parsed.sides.values()] == [
        (),
        ("原",),
        (),
        ("东侧",),
    ]


def test_none_is_refused():
    with pytest.raises(TypeError):
        parse_boundaries(None)


def test_to_dict_always_has_four_sides():
    data = parse_boundaries("东至A路（含B幢），南至B河和C小区").to_dict()
    assert list(data) == ["boundaries", "joined_by", "address", "notes", "unparsed", "warnings"]
    assert list(data["boundaries"]) == list(SIDES)
    assert data["boundaries"]["west"] == [] and data["boundaries"]["north"] == []
    assert data["joined_by"] == {"east": "single", "south": "and", "west": None, "north": None}
    assert data["boundaries"]["east"] == [
        {
            "text": "A路（含B幢）",
            "name": "A路",
            "kind": "road",
            "qualifiers": [],
            "notes": ["含B幢"],
        }
    ]
    assert data["warnings"] == ["missing sides: west, north"]


def test_records_are_frozen_values():
    ref = FeatureRef("A路", "A路", "road")
    assert SideRefs((ref,), "single") == SideRefs((FeatureRef("A路", "A路", "road"),), "single")
    with pytest.raises(AttributeError):
        ref.name = "B路"


def test_docstring_examples():
    result = doctest.testmod(geo.boundaries.parse, verbose=False)
    assert result.attempted >= 4
    assert result.failed == 0


def test_module_does_not_know_the_plan_rows():
    source = "".join(
        (ROOT / "geo" / name).read_text(encoding="utf-8")
        for name in ("boundaries/parse.py", "boundaries/parsed.py", "boundaries/vocab.py")
    )
    for name in ("兴波苑", "竹桥", "秀水人家", "百墅路", "城北路", "春波坊", "少年路", "环城西路"):
        assert name not in source


# --- properties over every input -------------------------------------------------------------

# Side words with their verb or colon are structure, not content; so are list conjunctions.
# The parser reads the text with whitespace removed, so spaces may sit inside a side word.
HEAD = re.compile(
    r"(?:^|(?<=[，,；;。：:\s]))[东南西北](?:\s*、?\s*[东南西北])*\s*[侧面边]?\s*"
    r"(?:[至到临邻靠接为]\s*[：:]?|[：:])"
)
CONJUNCTIONS = set("和及与以")


def content(text: str) -> Counter:
    text = HEAD.sub("", text)
    return Counter(c for c in text if not c.isspace() and unicodedata.category(c)[0] not in "PS")


def kept(parsed: ParsedBoundaries) -> Counter:
    shared = {id(f): f for refs in parsed.sides.values() for f in refs.features}
    pieces = [f.text for f in shared.values()]
    pieces += [*parsed.notes, *parsed.unparsed, parsed.address or ""]
    return Counter("".join(pieces))


def assert_nothing_dropped(text: str, parsed: ParsedBoundaries | None = None) -> None:
    parsed = parse_boundaries(text) if parsed is None else parsed
    dropped = content(text) - kept(parsed)
    listed = any(refs.joined_by == "and" for refs in parsed.sides.values())
    # Only the 和/及/与 that joined a list may go missing.
    assert not dropped or (listed and set(dropped) <= CONJUNCTIONS), (text, dropped, parsed)


def test_property_helper_catches_a_dropped_fragment():
    with pytest.raises(AssertionError):
        assert_nothing_dropped("东至A路，南至B河", parse_boundaries("东至A路"))
    with pytest.raises(AssertionError):
        assert_nothing_dropped("东至A路和B路", parse_boundaries("东至A路"))


ALL_TEXTS = [p.values[0] for p in PLAN_ROWS + VARIANTS] + [ADDRESS_ROW]
ALL_IDS = [p.id for p in PLAN_ROWS + VARIANTS] + ["row10-address"]


@pytest.mark.parametrize("text", ALL_TEXTS, ids=ALL_IDS)
def test_nothing_dropped_silently(text):
    assert_nothing_dropped(text)


@pytest.mark.parametrize("text", ALL_TEXTS, ids=ALL_IDS)
def test_to_dict_is_json_and_deterministic(text):
    first, second = parse_boundaries(text).to_dict(), parse_boundaries(text).to_dict()
    assert first == second
    dumped = json.dumps(first, ensure_ascii=False)
    assert json.loads(dumped) == first
    assert set(first["boundaries"]) == set(SIDES)


def test_random_text_never_raises_and_drops_nothing():
    alphabet = (
        "东南西北中至到临接、，,；;。：:（）()-—~和及与路河苑小区号12界侧边原现状详见为准a \n"
    )
    rng = random.Random(20220101)
    for _ in range(2000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        assert_nothing_dropped(text)
        json.dumps(parse_boundaries(text).to_dict(), ensure_ascii=False)
