"""The four-boundary (四至) parser reads the forms real notices use beyond the Jiaxing plan.

Traditional side words, 起/止, sides listed with 、, the reversed form (X以东), neighbours,
以X为界, line qualifiers (中心线, 红线), bracketed states and aliases, land-use kinds.
"""

import json
import random
import re
import unicodedata
from collections import Counter

import pytest

from geo.boundaries.parse import parse_boundaries
from geo.boundaries.parsed import SIDES, FeatureRef, ParsedBoundaries
from geo.chinese import simplified_in_place
from tests.support.boundaries import FOUR, assert_sides, assert_warnings


def read(parsed: ParsedBoundaries) -> dict:
    """Side -> [(name, kind)], plus "neighbours" when there are some."""
    sides = {s: [(f.name, f.kind) for f in refs.features] for s, refs in parsed.sides.items()}
    if parsed.neighbours:
        sides["neighbours"] = [(f.name, f.kind) for f in parsed.neighbours]
    return sides


# (text, side -> [(name, kind)], extra), FOUR being test_parse's A路/B河/C小区/D街: unparsed
# compares exactly; warnings are substrings that must each appear (no warning when absent); the
# keys of SIDE_CHECKS (tests.support.boundaries) compare the given sides.
FORMS = [
    # Traditional characters: side words and kinds are read, names keep their characters.
    pytest.param(
        "東至中山路，南至花園小區，西至小河，北至圍牆",
        {
            "east": [("中山路", "road")],
            "south": [("花園小區", "estate")],
            "west": [("小河", "water")],
            "north": [("圍牆", "wall")],
        },
        {},
        id="traditional-side-words-and-kinds",
    ),
    pytest.param(
        "東側至A路，南邊臨B河，西面至C小區，北臨D街",
        {**FOUR, "west": [("C小區", "estate")]},
        {},
        id="traditional-ce-bian-lin",
    ),
    pytest.param(
        "東至甲廠東側邊界，南至乙溝，西至丙號樓，北至丁區",
        {
            "east": [("甲廠", "boundary")],
            "south": [("乙溝", "water")],
            "west": [("丙號樓", "building")],
            "north": [("丁區", None)],
        },
        {"qualifiers": {"east": ("東側邊界",)}},
        id="traditional-edge-qualifier-kept-verbatim",
    ),
    # 起 and 止 are side verbs.
    pytest.param("南起B河，北至D街，东起A路，西止C小区", FOUR, {}, id="qi-and-zhi"),
    pytest.param("东起A路、西止C小区、南起B河、北止D街", FOUR, {}, id="qi-zhi-listed-with-dun"),
    pytest.param(
        "东起A路西止C小区",
        {"east": [("A路西止C小区", "estate")]},
        {"warnings": ['possible side word inside "A路西止C小区"', "missing sides"]},
        id="qi-zhi-missing-comma-is-reported",
    ),
    pytest.param("东毗邻A路，南紧邻B河，西紧靠C小区，北临D街", FOUR, {}, id="two-character-verbs"),
    # Sides separated by 、, ，, ；, or a space; 、 inside one side still lists features.
    pytest.param("东至A路、南至B河、西至C小区、北至D街", FOUR, {}, id="sides-listed-with-dun"),
    pytest.param("东至A路 南至B河；西至C小区，北至D街", FOUR, {}, id="space-semicolon-comma"),
    pytest.param(
        "东至A路、E河，南至B河、西至C小区、F路，北至D街",
        {
            **FOUR,
            "east": [("A路", "road"), ("E河", "water")],
            "west": [("C小区", "estate"), ("F路", "road")],
        },
        {"joined": {"east": "and", "south": "single", "west": "and"}},
        id="dun-lists-features-within-a-side",
    ),
    pytest.param(
        "东、南至A路、B河，西至C小区，北至D街",
        {
            "east": [("A路", "road"), ("B河", "water")],
            "south": [("A路", "road"), ("B河", "water")],
            "west": [("C小区", "estate")],
            "north": [("D街", "road")],
        },
        {"joined": {"east": "and"}},
        id="dun-in-a-head-is-not-a-separator",
    ),
    # Any order; a side given twice gathers both lists (with a warning, as before).
    pytest.param("西至C小区；北至D街，南至B河、东至A路", FOUR, {}, id="any-order-mixed"),
    pytest.param(
        "东至A路，南至B河，东至E河，西至C小区，北至D街",
        {**FOUR, "east": [("A路", "road"), ("E河", "water")]},
        {"warnings": ['side "east" given twice'], "joined": {"east": "and"}},
        id="repeated-side-merges",
    ),
    # The reversed form: the parcel lies east of X, so X is its west boundary.
    pytest.param("C小区以东、B河以北、A路以西、D街以南", FOUR, {}, id="reversed-form-all-four"),
    pytest.param(
        "位于C小区以东，A路以西，D街以南 B河以北", FOUR, {}, id="reversed-form-weiyu-and-space"
    ),
    pytest.param(
        "位于A路、E河以西",
        {"east": [("A路", "road"), ("E河", "water")]},
        {"warnings": ["missing sides: south, west, north"], "joined": {"east": "and"}},
        id="reversed-form-lists-features",
    ),
    pytest.param("东至A路，南至B河，C小区以东，北至D街", FOUR, {}, id="reversed-form-among-heads"),
    # Neighbours without a side are kept apart; with a side they are that side.
    pytest.param(
        "东至A路，南至B河，西至C小区，北至D街，与E村、F村相邻",
        {**FOUR, "neighbours": [("E村", None), ("F村", None)]},
        {},
        id="neighbours-without-side",
    ),
    pytest.param(
        "与E村相接、与G地块交界，东至A路",
        {"east": [("A路", "road")], "neighbours": [("E村", None), ("G地块", "parcel")]},
        {"warnings": ["missing sides: south, west, north"]},
        id="neighbours-xiangjie-jiaojie",
    ),
    pytest.param(
        "东与A路毗邻，南与B河相邻，西侧与C小区交界，北同D街相接", FOUR, {}, id="neighbour-with-side"
    ),
    # 以X为界: X bounds the side named before it, or the side of the clause it follows.
    pytest.param("东以A路为界，南以B河为界，西至C小区，北至D街", FOUR, {}, id="side-yi-x-wei-jie"),
    pytest.param(
        "东至张家村，以E河为界，南至B河，西至C小区，北至D街",
        {**FOUR, "east": [("张家村", None), ("E河", "water")]},
        {"joined": {"east": "and"}},
        id="yi-x-wei-jie-follows-a-side",
    ),
    pytest.param(
        "东至张家村以E河为界，南至B河，西至C小区，北至D街",
        {**FOUR, "east": [("张家村", None), ("E河", "water")]},
        {"joined": {"east": "and"}},
        id="yi-x-wei-jie-inside-a-side",
    ),
    pytest.param(
        "以E河为界，东至A路",
        {"east": [("A路", "road")]},
        {
            "unparsed": ("以E河为界",),
            "warnings": ['"以E河为界" is not tied to a side', "missing sides"],
        },
        id="yi-x-wei-jie-first-is-not-guessed",
    ),
    # Where on the feature the boundary runs is a qualifier, not part of the name.
    pytest.param(
        "东至规划支路中心线，南至A路道路红线，西至B公司用地红线，北至规划道路红线",
        {
            "east": [("规划支路", "road")],
            "south": [("A路", "road")],
            "west": [("B公司", "facility")],
            "north": [("规划道路", "road")],
        },
        {
            "qualifiers": {
                "east": ("中心线",),
                "south": ("道路红线",),
                "west": ("用地红线",),
                "north": ("红线",),
            },
            "texts": {"east": ["规划支路中心线"]},
        },
        id="line-qualifiers",
    ),
    pytest.param(
        "东至A路（规划），南至(现状)B河，西至C小区西侧边界，北至现状D街北侧道路红线",
        {**FOUR, "west": [("C小区", "boundary")]},
        {
            "qualifiers": {
                "east": ("规划",),
                "south": ("现状",),
                "west": ("西侧边界",),
                "north": ("现状", "北侧", "道路红线"),
            },
            "notes": {"east": ()},
        },
        id="state-and-edge-qualifiers",
    ),
    # A bracket naming the feature again is an alias; 含… stays a note.
    pytest.param(
        "东至银河村(中桥村)土地，南至B河（B港），西至C小区（原E小区），北至D街（含1幢）",
        {**FOUR, "east": [("银河村土地", "land")]},
        {
            "aliases": {"east": ("中桥村",), "south": (), "west": ("原E小区",), "north": ()},
            "notes": {"east": (), "north": ("含1幢",)},
            "texts": {"east": ["银河村(中桥村)土地"]},
        },
        id="bracketed-aliases",
    ),
    # Land-use classes are land, not road or water (坑塘水面 ends in 塘's land-use class).
    pytest.param(
        "东至村集体土地，南至水浇地，西至其他林地，北至坑塘水面",
        {
            "east": [("村集体土地", "land")],
            "south": [("水浇地", "land")],
            "west": [("其他林地", "land")],
            "north": [("坑塘水面", "land")],
        },
        {},
        id="land-use-neighbours",
    ),
    pytest.param(
        "东至城镇住宅用地、政府储备地，南至耕地及林地，西至农用地和宅基地，北至空地",
        {
            "east": [("城镇住宅用地", "land"), ("政府储备地", "land")],
            "south": [("耕地", "land"), ("林地", "land")],
            "west": [("农用地", "land"), ("宅基地", "land")],
            "north": [("空地", "land")],
        },
        {"joined": dict.fromkeys(SIDES[:3], "and")},
        id="land-use-lists",
    ),
    # A side with no feature is reported, never invented.
    pytest.param(
        "东至A路，南至B河，西至C小区，北至",
        {side: FOUR[side] for side in ("east", "south", "west")},
        {"unparsed": ("北至",), "warnings": ['side "north" names no feature', "missing sides"]},
        id="empty-side-at-the-end",
    ),
    pytest.param(
        "东至A路，北至；南至B河，西至C小区",
        {side: FOUR[side] for side in ("east", "south", "west")},
        {"unparsed": ("北至",), "warnings": ['side "north" names no feature', "missing sides"]},
        id="empty-side-before-semicolon",
    ),
    pytest.param(
        "東至A路，南至B河，西至C小区，北至D街，见附图",
        FOUR,
        {"unparsed": ("见附图",), "warnings": ['fragment "见附图" is not tied to a side']},
        id="unreadable-stays-unparsed",
    ),
    # Full-width and half-width punctuation alike.
    pytest.param(
        "东:A路;南至(现状)B河,西：C小区；北至D街（规划）",
        FOUR,
        {"qualifiers": {"south": ("现状",), "north": ("规划",)}},
        id="half-and-full-width-punctuation",
    ),
]


@pytest.mark.parametrize(("text", "expected", "extra"), FORMS)
def test_form(text, expected, extra):
    parsed = parse_boundaries(text)
    assert read(parsed) == expected
    assert (parsed.unparsed, parsed.address) == (extra.get("unparsed", ()), None)
    assert_warnings(parsed, extra.get("warnings", []))
    assert_sides(parsed, extra)


def test_reversed_form_turns_the_side_round():
    for word, side in (("以东", "west"), ("以西", "east"), ("以南", "north"), ("以北", "south")):
        parsed = parse_boundaries(f"位于A路{word}")
        assert list(parsed.sides) == [side]
        assert parsed.sides[side].features[0].text == "A路"


def test_alias_and_neighbour_keys_appear_only_when_given():
    plain = parse_boundaries("东至A路，南至B河").to_dict()
    assert "neighbours" not in plain
    assert "aliases" not in plain["boundaries"]["east"][0]
    data = parse_boundaries("东至银河村(中桥村)土地，与E村相邻").to_dict()
    assert data["boundaries"]["east"][0]["aliases"] == ["中桥村"]
    assert data["boundaries"]["east"][0]["notes"] == []
    assert data["neighbours"] == [
        {"text": "E村", "name": "E村", "kind": None, "qualifiers": [], "notes": []}
    ]
    assert list(data)[-1] == "neighbours"


def test_new_fields_are_frozen_values():
    ref = FeatureRef("甲(乙)", "甲", None, aliases=("乙",))
    assert ref == FeatureRef("甲(乙)", "甲", None, (), (), ("乙",))
    with pytest.raises(AttributeError):
        ref.aliases = ()


# --- nothing dropped, with the new structure words --------------------------------------------

# Side heads (also after 、), and the words of the new forms; both sides of the comparison are
# read in Simplified characters.
HEAD = re.compile(
    r"(?:^|(?<=[，,；;。：:、\s]))[东南西北](?:\s*、?\s*[东南西北])*\s*[侧面边]?\s*"
    r"(?:(?:毗邻|紧邻|紧靠|[至到临邻靠接为起止])\s*[：:]?|[：:])"
)
FORM_WORDS = re.compile(
    r"(?:^|(?<=[，,；;。：:、\s]))[东南西北](?:\s*、?\s*[东南西北])*\s*[侧面边]?\s*(?=[与同以])"
    r"|位\s*于|以\s*[东南西北]\s*[侧面边]?|相邻|相接|相连|交界|毗邻|接壤|为\s*界"
)
STRUCTURE = set("和及与以同")


def content(text: str) -> Counter:
    text = FORM_WORDS.sub("", HEAD.sub("", simplified_in_place(text)))
    return Counter(c for c in text if not c.isspace() and unicodedata.category(c)[0] not in "PS")


def kept(parsed: ParsedBoundaries) -> Counter:
    shared = {id(f): f for refs in parsed.sides.values() for f in refs.features}
    pieces = [f.text for f in [*shared.values(), *parsed.neighbours]]
    pieces += [*parsed.notes, *parsed.unparsed, parsed.address or ""]
    return Counter(simplified_in_place("".join(pieces)))


def assert_nothing_dropped(text: str) -> None:
    parsed = parse_boundaries(text)
    dropped = content(text) - kept(parsed)
    assert set(dropped) <= STRUCTURE, (text, dropped, parsed)


@pytest.mark.parametrize("text", [p.values[0] for p in FORMS], ids=[p.id for p in FORMS])
def test_nothing_dropped_silently(text):
    assert_nothing_dropped(text)


def test_random_forms_never_raise_and_drop_nothing():
    words = [
        *"东南西北東至起止临臨、，；。：（）()和与以为界路河村地号侧側 ",
        *("以东", "以西", "相邻", "交界", "位于", "中心线", "红线", "规划", "用地", "土地"),
    ]
    rng = random.Random(20240614)
    for _ in range(2000):
        text = "".join(rng.choice(words) for _ in range(rng.randint(0, 20)))
        assert_nothing_dropped(text)
        parsed = parse_boundaries(text)
        json.dumps(parsed.to_dict(), ensure_ascii=False)
        for side in parsed.sides.values():
            assert side.features and all(ref.name for ref in side.features)
        assert all(ref.name for ref in parsed.neighbours)
