"""Parcels in running text: one numbered paragraph per parcel, or a single-parcel announcement.

A parcel paragraph is a numbered item (一、 1. 1、 （1） （一）) that names something and gives a
四至 or an area: ``一、XX地块，位于…，四至范围：东至…；…，面积约12.5亩，…``, or
``1.XX项目：…``. Lines that follow an item without a number of their own and give a field
continue it. An item that begins with a label (拟征收土地范围：…) is a section of a single-parcel
announcement, not a parcel.

A single-parcel announcement gives labelled fields (拟征收土地位置：…, 四至范围：…, 面积：…公顷,
征收目的：…) in its paragraphs or in a two-column label/value table. A labelled value runs to the
end of its paragraph or to the next label; an area to the end of its clause. Trailing full stops
are dropped from values, nothing else: values are verbatim.
"""

import re

from geo.chinese import fold
from geo.notices.areas import UNIT_PATTERN, parse_area
from geo.notices.document import NoticeDocument, Paragraph, Table
from geo.notices.layouts.model import Field, Parcel, clause, column_of, make_parcel, not_boundary
from geo.notices.layouts.noticewide import PURPOSE_HEADING, purpose_clause
from geo.notices.layouts.places import place_at, place_combined, place_in_range, place_involved

_ITEM = re.compile(
    r"^\s*(?:[一二三四五六七八九十百]+\s*[、.]|\d{1,4}\s*[.、](?!\d)|"
    r"\(\s*(?:\d{1,4}|[一二三四五六七八九十]+)\s*\))\s*"
)
_SECTION = re.compile(
    r"^(?:拟|本次)?(?:征收|征地|土地|四至|范围|面积|用途|位置|目的|实施|项目名称|地块名称|公告|"
    r"现状|补偿|安置|其他|其它|联系|附件|注)"
)
_GIVES = re.compile(rf"[东南西北]\s*(?:侧\s*)?[至起]|四至|\d\s*(?:{UNIT_PATTERN})")
_STOP = r"(?=。|[,;]\s*(?:其中|总?面积|占地面积|用地面积|征收面积|土地面积|用途|公共利益|征收目的|项目类型|实施单位|征收实施|建设活动|由)|$)"
_IN_ITEM = {
    "place": re.compile(r"(?:位于|坐落于|坐落在|座落于|位置为|地址为)\s*[:]?\s*(?P<v>[^,;。]+)"),
    "boundary": re.compile(
        rf"(?:四至范围|四至|征收范围)[\"'“”」]?\s*(?:为|是)?\s*[:]?\s*(?P<v>.+?){_STOP}"
    ),
    "area": re.compile(
        r"(?<!建筑)(?:总?面积|用地面积|征收面积|土地面积|占地面积)\s*(?:为|是|共|计)?\s*[:]?\s*(?P<v>)"
    ),
    "purpose": re.compile(
        r"(?:(?:公共利益类型|土地用途|用途|征收目的|项目类型)\s*(?:为|是)?\s*[:]?|(?:将|拟)用于)"
        r"\s*(?P<v>[^,;。]+)"
    ),
    "implementer": re.compile(
        r"(?:建设活动组织实施单位|征收实施单位|实施单位|征收部门|实施主体)\s*(?:为|是)?\s*[:]?\s*"
        r"(?P<v>[^,;。]+)|由(?P<by>[^,;。]+?)(?:组织|负责)?实施"
    ),
}
_DIRECTIONS = re.compile(rf"(?P<v>[东南西北]\s*(?:侧\s*)?[至起].+?){_STOP}")
_AREA_FIGURE = re.compile(rf"(?:约|大约|约为)?\s*\d[\d,.]*\s*(?:{UNIT_PATTERN})")
_AREA_SPAN = re.compile(rf"{_AREA_FIGURE.pattern}(?:\s*\([^)]*\))?")
_LABELS = {
    "name": r"建设项目名称|用地项目名称|项目名称|地块名称",
    "place": r"拟征收土地(?:的)?位置|征收土地位置|土地位置|地块位置|土地坐落|坐落|位置",
    "boundary": r"拟征收土地(?:的)?范围|征收土地范围|征收范围|四至范围|四至|范围",
    # 建筑面积 is the floor area of the houses, not the land's.
    "area": r"拟征收土地(?:的)?面积|征收土地面积|征收面积|用地面积|土地面积|(?<!建筑)面积",
    "purpose": r"土地征收目的|征收土地(?:的)?目的|征收目的|土地用途|用途|公共利益类型|项目类型",
    "implementer": r"建设活动组织实施单位|征收实施单位|实施单位",
}
_ANY_LABEL = "|".join(_LABELS.values())
# 拟征收地块一：… / 宗地二：… / 拟征收的1号土地位于…: a parcel paragraph named, not numbered.
_NAMED_ITEM = re.compile(
    r"^\s*(?:拟征收的?|拟征)?(?P<name>(?:地块|宗地)[一二三四五六七八九十\d]{1,3}|"
    r"[一二三四五六七八九十\d]{1,3}号(?:地块|土地|宗地))\s*(?:[:]\s*|(?=位于|坐落))"
)
# 1、拟征收土地位于…: an item numbered 1、2、 that starts like a section but locates a parcel.
_LOCATING_ITEM = re.compile(r"^(?:拟|本次)?(?:征收|征)(?:的)?(?:土地)?(?:位于|坐落)")
_DIRECTION_RUN = re.compile(
    r"[东南西北]\s*(?:侧\s*)?[至起][^,;。()]+(?:[,;、]\s*[东南西北]\s*(?:侧\s*)?至[^,;。()]+)+"
)
# 该地块为规划20号路建设项目: the name of an announcement's one parcel.
_IS_NAMED = re.compile(r"(?:该地块|该项目)为\s*(?P<v>[^,;。]+?(?:项目|工程|地块))(?=[,;。])")
# 涉及集体土地548.2588公顷 / 征收集体土地3.8562公顷: an area given without a 面积 label.
_LAND_AREA = re.compile(r"集体(?:所有)?土地(?:面积)?\s*(?:为|约为|约|共计|共|计)?\s*(?=\d)")


def _value(paragraph: Paragraph, folded: str, match: re.Match[str], group: str = "v") -> Field:
    text = paragraph.text[match.start(group) : match.end(group)].strip().rstrip("。;；")
    return Field(text, paragraph.where)


def _area_field(paragraph: Paragraph, folded: str, start: int) -> Field:
    """The area from ``start`` to the end of its clause, or its figures alone.

    Words after the figures (``0.413公顷集体土地``) name the land, not part of the area.
    """
    text, _ = clause(paragraph.text, folded, start)
    area = parse_area(text)
    span = _AREA_SPAN.match(folded, start)
    if span and area.unread:
        text = paragraph.text[start : span.end()].strip()
        area = parse_area(text)
    return Field(text, paragraph.where, area)


def _item_fields(paragraph: Paragraph, body_start: int) -> dict[str, Field]:
    folded = fold(paragraph.text)
    body = folded[body_start:]
    values: dict[str, Field] = {}
    name = re.match(
        r"(?:地块名称|项目名称|名称)?[:]?\s*(?P<v>[^,;:。]+?)\s*(?=(?:四至)?范围\s*[:]|[,;:。]|位于|坐落|$)",
        body,
    )
    if name and not _SECTION.match(name.group("v")):
        offset = body_start + name.start("v")
        values["name"] = Field(
            paragraph.text[offset : body_start + name.end("v")].strip(), paragraph.where
        )
    for kind, pattern in _IN_ITEM.items():
        match = pattern.search(folded, body_start)
        if kind == "area":
            figure = _AREA_FIGURE.search(folded, match.end() if match else body_start)
            if figure:
                values[kind] = _area_field(paragraph, folded, figure.start())
        elif match:
            group = "by" if kind == "implementer" and match.group("by") else "v"
            values[kind] = _value(paragraph, folded, match, group)
    place = place_at(paragraph, body_start) or values.get("place")
    place = place or place_involved(paragraph, body_start)
    if place is not None:
        values["place"] = place
    if "boundary" not in values and (match := _DIRECTIONS.search(folded, body_start)):
        values["boundary"] = _value(paragraph, folded, match)
    return values


def read_items(paragraphs: list[Paragraph]) -> list[Parcel]:
    """Parcels from numbered paragraphs, one per parcel (continuation lines joined)."""
    items: list[tuple[Paragraph, int, Field | None]] = []
    for paragraph in paragraphs:
        folded = fold(paragraph.text)
        number = _ITEM.match(folded)
        named = _NAMED_ITEM.match(folded)
        if named:
            name = paragraph.text[named.start("name") : named.end("name")]
            items.append((paragraph, named.end(), Field(name, paragraph.where)))
        elif number:
            items.append((paragraph, number.end(), None))
        elif items and _GIVES.search(folded):
            first, start, name = items[-1]
            joined = Paragraph(first.text + "\n" + paragraph.text, first.where)
            items[-1] = (joined, start, name)
    parcels = []
    for paragraph, start, name in items:
        folded = fold(paragraph.text)
        body = folded[start:]
        locating = _LOCATING_ITEM.match(body) and re.match(r"\s*\d", folded)
        if (_SECTION.match(body) and name is None and not locating) or not _GIVES.search(body):
            continue
        values = _item_fields(paragraph, start)
        if name is not None:
            values["name"] = name
        if "name" in values or (locating and "place" in values):
            parcels.append(make_parcel(paragraph.where, values))
    return parcels


def _labelled(paragraphs: list[Paragraph]) -> dict[str, Field]:
    values: dict[str, Field] = {}
    for paragraph in paragraphs:
        folded = fold(paragraph.text)
        for kind, labels in _LABELS.items():
            if kind in values:
                continue
            pattern = (
                rf"(?:{labels})\s*(?:为|是)?\s*[:]\s*"
                if kind != "area"
                else rf"(?:{labels})\s*(?:为|是|共)?\s*[:]?\s*(?=约|大约|\d)"
            )
            match = re.search(pattern, folded)
            if not match:
                continue
            if kind == "area":
                values[kind] = _area_field(paragraph, folded, match.end())
                continue
            after = re.search(
                rf"[,;。]\s*(?:[一二三四五六七八九十]+、|\d+[.、])?\s*(?:{_ANY_LABEL})\s*[:]",
                folded[match.end() :],
            )
            end = match.end() + after.start() if after else len(folded)
            text = paragraph.text[match.end() : end].strip().rstrip("。;；")
            if kind == "boundary" and not_boundary(text):
                # 征收范围：征收面积为…，具体为A村甲组: a range given as an area and places.
                if "place" not in values and (place := place_in_range(text, paragraph.where)):
                    values["place"] = place
                continue
            if text:
                values[kind] = Field(text, paragraph.where)
        if "place" not in values and (place := place_combined(paragraph)):
            values["place"] = place
    return values | {k: v for k, v in _unlabelled(paragraphs).items() if k not in values}


def _unlabelled(paragraphs: list[Paragraph]) -> dict[str, Field]:
    """Fields an announcement gives without a label and colon.

    The purpose is the paragraph after its heading, the place follows 位于 or 涉及
    (``places``), the 四至 is a run of 东至…, 西至… (in brackets too; a road's 南起…北至…), the
    area follows 集体土地, the name follows 该地块为.
    """
    values: dict[str, Field] = {}
    texts = [p for p in paragraphs if p.text.strip()]
    for index, paragraph in enumerate(texts):
        folded = fold(paragraph.text)
        if "purpose" not in values and PURPOSE_HEADING.match(folded) and index + 1 < len(texts):
            values["purpose"] = purpose_clause(texts[index + 1])
        if "place" not in values and (place := place_at(paragraph) or place_involved(paragraph)):
            values["place"] = place
        if "boundary" not in values and (match := _DIRECTION_RUN.search(folded)):
            values["boundary"] = _value(paragraph, folded, match, 0)
        if "name" not in values and (match := _IS_NAMED.search(folded)):
            values["name"] = _value(paragraph, folded, match)
        if "area" not in values and (match := _LAND_AREA.search(folded)):
            values["area"] = _area_field(paragraph, folded, match.end())
    return values


def _from_table(table: Table) -> dict[str, Field]:
    values: dict[str, Field] = {}
    for row in table.rows:
        if len(row) < 2 or (kind := column_of(row[0].text)) is None or kind in values:
            continue
        value = next(
            (cell for cell in row[1:] if cell.text.strip() and cell.text != row[0].text), None
        )
        if value is None:
            continue
        area = parse_area(value.text) if kind == "area" else None
        values[kind] = Field(value.text.strip(), value.where, area)
    return values


def read_single(document: NoticeDocument) -> Parcel | None:
    """The one parcel of an announcement that gives it as labelled fields, or None."""
    values = _labelled(document.paragraphs())
    for table in document.tables():
        if table.width == 2 and len(table.rows) >= 2:
            values = _from_table(table) | values
    # A notice that only says where (拟征收土地位于A镇B村) still names one parcel to locate.
    if len(values) < 2 or not values.keys() & {"area", "boundary", "place"}:
        return None
    paragraphs = [p for p in document.paragraphs() if p.text.strip()]
    title = next((p for p in paragraphs[:3] if "关于" in p.text), None)
    if "name" not in values and title is not None:
        match = re.search(
            r"关于(?:拟)?(?P<v>.+?)(?:国有土地上|集体土地上?)?(?:房屋)?(?:拟)?(?:征收|征地|用地|土地)",
            fold(title.text),
        )
        if match:
            values["name"] = _value(title, fold(title.text), match)
    return make_parcel(next(iter(values.values())).where, values)
