"""The region of a plan: province, city, district or county, and the 6-digit adcode.

Found from the names a notice prints (its issuer, title, numbers, the parcels' places, then the
running text) in the administrative-division table ``cpca`` ships (``cpca/resources/adcodes.csv``:
12-digit codes, names and centres). The table is read here rather than through ``cpca.transform``,
because ``transform`` silently takes the first of several districts of one name (朝阳区 becomes
长春's), reads a street (嘉兴路) as its city, knows no Traditional characters, and importing
``cpca`` builds its whole matcher through ``pkg_resources``. The table alone (150 KB of CSV) is
read on the first call, so API workers that never ask for a region pay nothing for it.

Rules:

- names are matched on the folded text (Traditional to Simplified, spaces removed), longest first,
  as printed in full (嘉兴市, 南湖区, 海宁市) or, for a province or a prefecture-level city, without
  its 省/市 (浙江, 嘉兴). A short form followed by 路, 街, 村, 镇, … names a street or a village,
  not the region; a short form, or a county of two characters (新县), preceded by a character
  that may begin another word (平安顺利 holds 安顺) is not read. Villages and towns are not in
  the table;
- a land approval number of a province (豫政土〔2021〕, 鲁政土字〔2020〕) names that province;
- each level, province then city then county, is set by the first text naming one place at it,
  within the level above. A body's name (嘉兴市人民政府, 海宁市自然资源和规划局: the issuer,
  usually) decides on its own; any other name decides only if no later text names a different
  place at that level, and a text naming two (南湖区、秀洲区) never does. Otherwise the region
  stays at the level above, with a warning: nothing is guessed;
- 北京市, 上海市, 天津市 and 重庆市 are provinces with no city level, like the county-level cities
  a province governs directly (济源市): their ``city`` is None.
"""

import csv
import importlib.util
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from geo.chinese import fold
from geo.messages import Term, message
from geo.notices.preamble import running_lines

if TYPE_CHECKING:
    from geo.notices.preview import NoticePreview

Level = Literal["province", "city", "county"]
LEVELS: tuple[Level, ...] = ("province", "city", "county")
LEVEL_WORDS = {
    "province": "notices.level_province",
    "city": "notices.level_city",
    "county": "notices.level_county",
}
PARAGRAPHS = 20
"""How many lines of running text ``region_texts`` adds after the issuer, title and places."""

# Rows of the table that are groupings, not places, and district names that are ordinary words.
_NOT_PLACES = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}
_COMMON_WORDS = {"城区", "郊区", "矿区", "东区", "西区"}
_SHORT_PROVINCES = {
    "内蒙古自治区": "内蒙古", "广西壮族自治区": "广西", "西藏自治区": "西藏",
    "新疆维吾尔自治区": "新疆", "宁夏回族自治区": "宁夏", "香港特别行政区": "香港",
    "澳门特别行政区": "澳门",
}  # fmt: skip
# A short form followed by one of these is a street, a village or a building named after it, or
# a division the table does not know (莱芜区, made in 2019 of 莱芜市).
_NAMED_AFTER = re.compile(
    r"[东西南北中]?(?:路|街|大街|大道|巷|弄|桥|村|镇|乡|社区|小区|公园|广场|大厦|宾馆|饭店|酒店|"
    r"站|机场|高速|公路|铁路)|[区县市旗]"
)
# Before a short form (嘉兴) or a two-character county (新县), a CJK character other than these
# may be the start of another word (平安顺利 holds 安顺).
_PARTICLES = set("经由于在的和与及至对向将据按以为是即把被从到了、")
# The one-character names of provinces as their land approvals are numbered. Left out: 新, 宁,
# 吉, 青, 云, 甘, 贵 and 台, which begin too many county names (新郑, 宁陵, 吉安) whose own
# numbers read the same way.
_APPROVAL_PROVINCES = {
    "京": "110000", "津": "120000", "冀": "130000", "晋": "140000", "蒙": "150000",
    "辽": "210000", "黑": "230000", "沪": "310000", "苏": "320000", "浙": "330000",
    "皖": "340000", "闽": "350000", "赣": "360000", "鲁": "370000", "豫": "410000",
    "鄂": "420000", "湘": "430000", "粤": "440000", "桂": "450000", "琼": "460000",
    "渝": "500000", "川": "510000", "黔": "520000", "滇": "530000", "藏": "540000",
    "陕": "610000",
}  # fmt: skip
_APPROVAL = re.compile(
    rf"([{''.join(_APPROVAL_PROVINCES)}])[政府](?:土|地)[\u4e00-\u9fff]{{0,2}}[〔\[(【﹝]\s*(?:19|20)\d\d"
)
# A name followed by one of these is a body's: it speaks for one place, the one it governs.
_BODY = re.compile(
    r"人民政府|政府|人民代表大会|人大|委员会|管委会|自然资源|国土资源|规划|住房|住建|房屋征收|"
    r"土地储备|人民法院"
)
# 县道 and 省道 are county and provincial roads: 东至县道X205 is "east to county road X205".
_ROAD = re.compile(r"[县省]道(?!路)")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_SPACE = re.compile(r"\s")


@dataclass(frozen=True)
class Division:
    """One row of the division table: the 6-digit adcode, the name and the centre."""

    adcode: str
    name: str
    longitude: float | None
    latitude: float | None

    @property
    def level(self) -> Level:
        """province, city or county, from the code (330000, 330400, 330402)."""
        if self.adcode.endswith("0000"):
            return "province"
        return "city" if self.adcode.endswith("00") else "county"


@dataclass(frozen=True)
class Evidence:
    """A name a region was read from: as printed, the text it was printed in, and where."""

    name: str
    text: str
    where: str


@dataclass(frozen=True)
class Region:
    """Where a plan is: the divisions named, the most precise one's adcode and centre."""

    province: str | None
    city: str | None
    county: str | None
    adcode: str
    """The 6-digit code of the most precise division found (330402, or 330400 for a city)."""
    level: Level
    """How precise ``adcode`` is."""
    longitude: float | None
    latitude: float | None
    """The centre of that division (WGS84), for a map to zoom to a plan with no shapes."""
    evidence: tuple[Evidence, ...] = ()
    warnings: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return asdict(self) | {
            "evidence": [asdict(item) for item in self.evidence],
            "warnings": list(self.warnings),
        }


@dataclass(frozen=True)
class _Table:
    by_code: dict[str, Division]
    by_name: dict[str, tuple[Division, ...]]
    longest: int


def _adcodes_csv() -> Path:
    # Located without importing cpca, whose import builds its matcher (see the docstring).
    spec = importlib.util.find_spec("cpca")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("cpca is not installed: it holds the administrative divisions")
    return Path(next(iter(spec.submodule_search_locations))) / "resources" / "adcodes.csv"


def _coordinate(text: str) -> float | None:
    return float(text) if text.strip() else None


@lru_cache(maxsize=1)
def division_table() -> _Table:
    """The division table of cpca, indexed by 6-digit code and by every name a notice prints."""
    by_code: dict[str, Division] = {}
    names: dict[str, list[Division]] = {}
    with _adcodes_csv().open(encoding="utf-8", newline="") as stream:
        for row in csv.DictReader(stream):
            division = Division(
                row["adcode"][:6],
                row["name"],
                _coordinate(row["longitude"]),
                _coordinate(row["latitude"]),
            )
            if division.name in _NOT_PLACES:
                continue
            by_code[division.adcode] = division
            if division.name in _COMMON_WORDS:
                continue
            for name in {division.name, _short(division)} - {None}:
                names.setdefault(name, []).append(division)
    by_name = {name: tuple(divisions) for name, divisions in names.items()}
    return _Table(by_code, by_name, max(map(len, by_name)))


def _short(division: Division) -> str | None:
    if division.level == "province":
        return _SHORT_PROVINCES.get(division.name) or re.sub("[省市]$", "", division.name)
    if division.level == "city" and division.name.endswith("市") and len(division.name) > 2:
        return division.name[:-1]
    return None


def _parents(division: Division) -> list[Division]:
    """The province and the city above a division, where the table has them."""
    table = division_table().by_code
    if division.level == "province":
        return []
    parents = [table[division.adcode[:2] + "0000"]]
    if division.level == "county" and (city := table.get(division.adcode[:4] + "00")):
        parents.append(city)
    return parents


def _at(division: Division, level: Level) -> Division | None:
    """The division at ``level`` that holds ``division`` (itself at its own level), if any."""
    return next((item for item in [*_parents(division), division] if item.level == level), None)


def _within(division: Division, scope: Division) -> bool:
    return division.adcode.startswith(scope.adcode[: 2 * (LEVELS.index(scope.level) + 1)])


def _label(division: Division) -> str:
    return "".join(item.name for item in [*_parents(division), division]) + f" ({division.adcode})"


@dataclass(frozen=True)
class _Mention:
    name: str
    candidates: tuple[Division, ...]
    index: int
    start: int
    end: int
    text: str
    where: str
    body: bool = False


def _mentions(text: str, where: str, index: int) -> list[_Mention]:
    """The division names printed in one text, leftmost and longest first."""
    table = division_table()
    kept = [i for i, char in enumerate(text) if not _SPACE.match(char)]
    folded = fold("".join(text[i] for i in kept))
    found: list[_Mention] = []

    def mention(start: int, end: int, candidates: tuple[Division, ...]) -> _Mention:
        name = text[kept[start] : kept[end - 1] + 1]
        return _Mention(name, candidates, index, start, end, text, where)

    last_end, start = -1, 0
    while start < len(folded):
        for end in range(min(len(folded), start + table.longest), start + 1, -1):
            candidates = table.by_name.get(folded[start:end])
            if candidates and _stands_alone(folded, start, end, candidates, last_end):
                found.append(mention(start, end, candidates))
                last_end, start = end, end
                break
        else:
            start += 1
    for match in _APPROVAL.finditer(folded):
        province = table.by_code[_APPROVAL_PROVINCES[match.group(1)]]
        found.append(mention(match.start(), match.end(1) + 2, (province,)))
    found.sort(key=lambda item: item.start)
    # In 嘉兴市南湖区人民政府 both names are the body's.
    for number in reversed(range(len(found))):
        item, following = found[number], found[number + 1 : number + 2]
        if _BODY.match(folded, item.end) or (
            following and following[0].start == item.end and following[0].body
        ):
            found[number] = replace(item, body=True)
    return found


def _stands_alone(
    folded: str, start: int, end: int, candidates: tuple[Division, ...], last_end: int
) -> bool:
    name = folded[start:end]
    full = any(name == division.name for division in candidates)
    if (not full and _NAMED_AFTER.match(folded, end)) or _ROAD.match(folded, end - 1):
        return False
    if full and len(name) > 2:
        return True
    before = folded[start - 1] if start else ""
    return not _CJK.match(before) or start == last_end or before in _PARTICLES


def find_region(texts: Sequence[tuple[str, str]]) -> Region | None:
    """The region a notice's texts name, or None when they name none for certain.

    ``texts`` are (text, where) pairs in priority order: the issuer, the title, the parcels'
    places, then other running text (``region_texts`` builds them from a preview).
    """
    mentions = [
        item for index, (text, where) in enumerate(texts) for item in _mentions(text, where, index)
    ]
    if not mentions:
        return None
    chosen: list[tuple[Division, _Mention]] = []
    warnings: list[str] = []
    for level in LEVELS:
        scope = chosen[-1][0] if chosen else None
        votes = _votes(mentions, level, scope)
        if not votes:
            continue
        winner, first = votes[0]
        rivals = [(division, item) for division, item in votes if division != winner]
        if any(item.index == first.index for _, item in rivals) or (rivals and not first.body):
            named = "; ".join(
                dict.fromkeys(
                    message("notices.named_in", label=_label(d), where=m.where)
                    for d, m in [votes[0], *rivals]
                )
            )
            stays = _label(scope) if scope else message("notices.no_region")
            warnings.append(
                message(
                    "notices.several_named",
                    level=Term(LEVEL_WORDS[level]),
                    stays=stays,
                    named=named,
                )
            )
            break
        warnings += list(
            dict.fromkeys(
                message(
                    "notices.outside_region",
                    name=item.name,
                    where=item.where,
                    region=_label(winner),
                )
                for _, item in rivals
            )
        )
        chosen.append((winner, first))
    if not chosen:
        return None
    return _region(chosen, warnings + _ambiguities(mentions, chosen[-1][0]))


def _votes(
    mentions: list[_Mention], level: Level, scope: Division | None
) -> list[tuple[Division, _Mention]]:
    """Each mention that names one place at ``level`` within ``scope``, with that place."""
    votes = []
    for item in mentions:
        candidates = [c for c in item.candidates if scope is None or _within(c, scope)]
        places = {_at(candidate, level) for candidate in candidates}
        if len(places) == 1 and (place := places.pop()) is not None:
            votes.append((place, item))
    return votes


def _ambiguities(mentions: list[_Mention], scope: Division | None) -> list[str]:
    """A warning for each name that stands for several places below the region found."""
    depth = LEVELS.index(scope.level) if scope else -1
    warnings = {}
    for item in mentions:
        finer = [
            candidate
            for candidate in item.candidates
            if (scope is None or _within(candidate, scope))
            and LEVELS.index(candidate.level) > depth
        ]
        if len(finer) > 1 and item.name not in warnings:
            places = ", ".join(_label(candidate) for candidate in finer)
            stays = _label(scope) if scope else message("notices.no_region")
            warnings[item.name] = message(
                "notices.any_of", name=item.name, where=item.where, stays=stays, places=places
            )
    return list(warnings.values())


def _region(chosen: list[tuple[Division, _Mention]], warnings: list[str]) -> Region:
    place = chosen[-1][0]
    names = {item.level: item.name for item in [*_parents(place), place]}
    centre = next(
        (item for item in [place, *reversed(_parents(place))] if item.longitude is not None),
        None,
    )
    if centre is not place:
        warnings.append(
            message("notices.no_centre", name=place.name)
            + (message("notices.centre_used", name=centre.name) if centre else "")
        )
    evidence = dict.fromkeys(Evidence(item.name, item.text, item.where) for _, item in chosen)
    return Region(
        province=names.get("province"),
        city=names.get("city"),
        county=names.get("county"),
        adcode=place.adcode,
        level=place.level,
        longitude=centre.longitude if centre else None,
        latitude=centre.latitude if centre else None,
        evidence=tuple(evidence),
        warnings=tuple(warnings),
    )


def region_texts(preview: "NoticePreview") -> list[tuple[str, str]]:
    """The (text, where) pairs of a notice for ``find_region``, in priority order.

    The issuer, the title, the document and approval numbers, each parcel's place and name, then
    the first lines of running text.
    """
    preamble = preview.preamble
    texts = []
    for label, found in (
        ("issuer", preamble.issuer),
        ("title", preamble.title),
        ("document number", preamble.document_number),
        *(("approval number", found) for found in preamble.approval_numbers),
    ):
        if found is not None:
            texts.append((found.text, f"{label}, {found.where}"))
    for number, parcel in enumerate(preview.extraction.parcels, start=1):
        for label, value in (("place", parcel.place), ("name", parcel.name)):
            if value is not None and value.text.strip():
                texts.append((value.text, f"parcel {number} {label}, {value.where}"))
    lines = [line for line in running_lines(preview.document) if line.text.strip()]
    texts += [(line.text, line.where) for line in lines[:PARAGRAPHS]]
    return texts
