"""What a layout extracts: parcels of fields, each verbatim with where it came from.

Column names vary between counties; ``column_of`` names the field a header (or a label in
running text) stands for. The rules are ordered: a header is the first field whose words it
contains, after the text in brackets is set aside (``四至范围（具体由人民政府依法确定征收范围）`` is a
四至 column, ``所属板块（或行政区域）`` a place column).
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal

from geo.chinese import fold
from geo.messages import message
from geo.notices.areas import Area

FIELDS = ("seq", "name", "place", "boundary", "area", "purpose", "implementer", "remarks")
"""The fields of a parcel, in the order a notice usually gives them."""

LABELS = {
    "seq": "序号",
    "name": "名称",
    "place": "位置",
    "boundary": "四至",
    "area": "面积",
    "purpose": "公共利益类型",
    "implementer": "实施单位",
    "remarks": "备注",
}
"""The word a warning uses for each field."""

REQUIRED = ("name", "boundary", "area")
"""Fields a parcel is incomplete without: a warning names each one missing."""

FILL_DOWN = ("place", "purpose", "implementer")
"""Fields a blank cell repeats from the row above (merged cells left blank by a reader)."""

# Ordered: the first field whose words a header contains is the header's field.
_COLUMN_WORDS = (
    ("remarks", ("备注", "说明")),
    ("boundary", ("四至", "征收范围", "范围", "红线")),
    ("area", ("面积", "用地规模", "亩数")),
    ("purpose", ("公共利益", "用途", "征收目的", "项目类型", "类型", "目的", "性质")),
    ("implementer", ("实施单位", "组织实施", "征收部门", "实施主体", "征收单位", "征收实施")),
    ("name", ("名称", "地块", "项目", "宗地", "工程")),
    ("place", ("位置", "坐落", "板块", "乡镇", "街道", "村", "地址", "区域", "所在", "地点")),
    ("seq", ("序号", "编号", "序", "No", "NO")),
)
BRACKETED = re.compile(r"[(\[【〔][^)\]】〕]*[)\]】〕]?")
_SPACE = re.compile(r"\s+")
TOTAL_WORDS = ("合计", "总计", "小计", "共计")


def squeeze(text: str) -> str:
    """A folded text without whitespace, for matching words split by layout."""
    return _SPACE.sub("", fold(text))


def column_of(header: str) -> str | None:
    """The field a column header names (地块名称 → name, 土地面积（亩） → area), or None."""
    words = squeeze(header)
    if not words or len(words) > 40 or re.search(r"\d{2}", words):
        return None
    for text in (BRACKETED.sub("", words), words):
        for name, keys in _COLUMN_WORDS:
            if any(key in text for key in keys):
                return name
    return None


def is_total(text: str) -> bool:
    """Whether a cell labels a total row (合计, 总计, 小计, 合 计)."""
    words = squeeze(text)
    return any(words.startswith(word) for word in TOTAL_WORDS)


@dataclass(frozen=True)
class Field:
    """One field of a parcel: verbatim text, where it came from, and a derived value if any.

    ``value`` is an ``Area`` for the area, an ``int`` for the sequence number, else None. A field
    spread over several cells (面积 in 亩 and 平方米 sub-columns) joins their texts with `` | `` and
    their places with ``; ``. ``filled_from`` names the row a blank cell was filled from.
    """

    text: str
    where: str
    value: object = None
    filled_from: str | None = None


@dataclass(frozen=True)
class Parcel:
    """A parcel as the notice lists it: its fields (None where the notice gives none)."""

    where: str
    seq: Field | None = None
    name: Field | None = None
    place: Field | None = None
    boundary: Field | None = None
    area: Field | None = None
    purpose: Field | None = None
    implementer: Field | None = None
    remarks: Field | None = None
    others: tuple[tuple[str, Field], ...] = ()
    """Columns the layout does not know, by their header, verbatim."""
    warnings: tuple[str, ...] = field(default=())

    def fields(self) -> dict[str, Field]:
        """The fields the notice gives, by name."""
        found = {name: getattr(self, name) for name in FIELDS}
        return {name: value for name, value in found.items() if value is not None}

    @property
    def area_value(self) -> Area | None:
        """The parsed area, if any."""
        return self.area.value if self.area and isinstance(self.area.value, Area) else None


@dataclass(frozen=True)
class Extraction:
    """The parcels of a notice, which layout they were read with, and what went wrong."""

    layout: str | None
    """One of: table, flattened-table, paragraphs, villages, single-parcel; None when none matched."""
    parcels: tuple[Parcel, ...] = ()
    warnings: tuple[str, ...] = field(default=())
    totals: tuple[Field, ...] = ()
    """The 合计/总计/小计 figures the notice prints, as read."""

    def all_warnings(self) -> list[str]:
        """The extraction's warnings followed by every parcel's."""
        return list(self.warnings) + [w for parcel in self.parcels for w in parcel.warnings]


# A 四至 that only points at a map (详见附图, 见附件《…四至界线图》) gives no text to draw from.
_MAP_ONLY = re.compile(
    r"^(?:四至范围|四至|范围)?\s*(?:详见|见|参见)\s*(?:附图|附件|红线图|界线图|示意图)"
)


_SIDES = re.compile(r"[东南西北]")
_AREA_LEAD = re.compile(r"^(?:征收|用地|土地|占地|总)?面积")
_AREA_UNIT = re.compile(r"\d\s*(?:公顷|亩|平方米|万平方米|㎡)")


def not_boundary(text: str) -> bool:
    """Whether a text under a 范围 label is an area, not a 四至 (征收面积为0.79公顷，…).

    A 四至 names sides; a clause that begins with 面积, or gives an area and no side, is not one.
    """
    words = squeeze(text)
    return bool(_AREA_LEAD.match(words)) or (
        not _SIDES.search(words) and bool(_AREA_UNIT.search(words))
    )


def make_parcel(where: str, values: dict[str, Field], others=(), warnings=()) -> Parcel:
    """A parcel from its fields, with a warning for each required field it lacks.

    A 四至 that only refers to a map is no 四至: the parcel has no shape to come from text; nor
    is a 四至 that is an area.
    """
    notes = list(warnings)
    boundary = values.get("boundary")
    if boundary is not None and _MAP_ONLY.match(squeeze(boundary.text)):
        notes.append(message("notices.boundary_map_only", text=boundary.text.strip(), where=where))
        values = {name: value for name, value in values.items() if name != "boundary"}
    elif boundary is not None and not_boundary(boundary.text):
        notes.append(message("notices.boundary_is_area", text=boundary.text.strip(), where=where))
        values = {name: value for name, value in values.items() if name != "boundary"}
    if "area" in values and isinstance(values["area"].value, Area):
        notes += [f"{where}: 面积 {w}" for w in values["area"].value.warnings]
    missing = [LABELS[name] for name in REQUIRED if not (values.get(name) and values[name].text)]
    if missing:
        notes.append(message("notices.fields_missing", missing="/".join(missing), where=where))
    fields = {name: value for name, value in values.items() if value.text.strip()}
    return Parcel(where, **fields, others=tuple(others), warnings=tuple(notes))


def seq_value(text: str) -> int | None:
    """The sequence number a cell gives (1, 01, 1., full-width digits too), or None."""
    match = re.fullmatch(r"\s*(\d{1,6})\s*[.、]?\s*", fold(text))
    return int(match.group(1)) if match else None


def check_total(label: str, total: Area, parcels: list[Parcel], where: str) -> str | None:
    """A warning when a printed total differs from the sum of its parcels beyond rounding."""
    if total.m2 is None or not total.figures:
        return message("notices.total_not_area", text=total.text.strip(), where=where, label=label)
    areas = [parcel.area_value for parcel in parcels]
    known = [area.m2 for area in areas if area is not None and area.m2 is not None]
    summed = sum(known, Decimal(0))
    tolerance = Decimal(float(total.figures[0].half_unit_m2() or 0)) + Decimal("0.001")
    if abs(summed - total.m2) <= tolerance:
        return None
    unknown = len(parcels) - len(known)
    unit_mu = total.mu if total.unit == "亩" else None
    shown = f"{unit_mu}亩" if unit_mu is not None else f"{total.m2:.2f} m²"
    return message(
        "notices.total_differs",
        sum_mu=summed / Decimal(10000) * 15,
        shown=shown,
        summed=summed,
        where=where,
        label=label,
    ) + (message("notices.total_unknown_parcels", unknown=unknown) if unknown else "")


def clause(text: str, folded: str, start: int) -> tuple[str, int]:
    """The clause from ``start`` to the first separator outside brackets, verbatim."""
    depth = 0
    for i in range(start, len(folded)):
        char = folded[i]
        if char in "([【":
            depth += 1
        elif char in ")]】" and depth:
            depth -= 1
        between_digits = 0 < i < len(folded) - 1 and folded[i - 1 : i + 2 : 2].isdigit()
        if depth == 0 and char in ",;。" and not (char == "," and between_digits):
            return text[start:i].strip(), i
    return text[start:].rstrip("。 ").strip(), len(text)
