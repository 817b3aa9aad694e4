"""Areas given per village in one sentence: one parcel per village.

``面积约为17.26公顷，其中冯台村约为3.90公顷、付台村约为6.39公顷…`` or
``征收李庄村集体土地2.1316公顷，王楼村集体土地1.5公顷``. When a notice names no 地块 and gives
no 四至, these villages are the only units it gives areas for, and they are the units the land is
surveyed, compensated and later approved by (a 方案公告 lists the same villages as rows of its
table), so each village is a parcel: its name and place are the village as printed, its area the
village's figure. A total printed before 其中 is kept as a total and checked against the villages.

With a 四至 or a named 地块 the villages only split one drawn plot; the notice is then read as
that plot (``running``), and this layout does not apply.
"""

import re
from dataclasses import replace

from geo.chinese import fold
from geo.messages import message
from geo.notices.areas import UNIT_PATTERN, parse_area
from geo.notices.document import Paragraph
from geo.notices.layouts.model import Field, Parcel, check_total, make_parcel

_VILLAGE_AREA = re.compile(
    r"(?P<village>[^,;、:。]{1,24}?(?:村|社区|居委会|村民小组|组))\s*(?:的)?(?:农民)?(?:集体)?"
    r"(?:所有)?(?:土地)?\s*(?P<area>(?:约为|约|为|共|计)?\s*\d[\d,.]*\s*(?:" + UNIT_PATTERN + r"))"
)
_LEAD = re.compile(r"^\s*(?:其中|涉及|拟征收|征收|包括|分别为|分别是)\s*")
_TOTAL = re.compile(
    rf"(?:面积|共计|共|合计)\s*(?:为)?\s*(?P<area>(?:约为|约)?\s*\d[\d,.]*\s*(?:{UNIT_PATTERN}))"
    r"[^。]*?其中"
)
_PLOTS = re.compile(r"地块|宗地|[东南西北]\s*(?:侧\s*)?至|四至\s*[:：为]")


def _pieces(paragraph: Paragraph) -> list[tuple[Field, Field]]:
    """The (village, area) pairs of a paragraph, when it gives two or more in one sentence."""
    folded = fold(paragraph.text)
    for sentence in re.finditer(r"[^。]+", folded):
        pairs = []
        for piece in re.finditer(r"[^,;、。]+", sentence.group()):
            start = sentence.start() + piece.start()
            text = folded[start : sentence.start() + piece.end()]
            lead = _LEAD.match(text)
            offset = lead.end() if lead else 0
            match = _VILLAGE_AREA.fullmatch(text[offset:].rstrip())
            if match:
                base = start + offset
                village = paragraph.text[
                    base + match.start("village") : base + match.end("village")
                ]
                area = paragraph.text[base + match.start("area") : base + match.end("area")]
                pairs.append(
                    (
                        Field(village.strip(), paragraph.where),
                        Field(area.strip(), paragraph.where, parse_area(area.strip())),
                    )
                )
        if len(pairs) >= 2:
            return pairs
    return []


def read_villages(paragraphs: list[Paragraph]) -> tuple[list[Parcel], list[Field], list[str]]:
    """Parcels, one per village, the printed total and warnings; no parcels when it does not apply."""
    if any(_PLOTS.search(fold(p.text)) for p in paragraphs):
        return [], [], []
    for paragraph in paragraphs:
        pairs = _pieces(paragraph)
        if not pairs:
            continue
        parcels = [
            make_parcel(paragraph.where, {"name": village, "place": village, "area": area})
            for village, area in pairs
        ]
        # Every parcel here lacks a 四至 by construction; the notice's warning says so once.
        parcels = [
            replace(p, warnings=tuple(w for w in p.warnings if "四至" not in w)) for p in parcels
        ]
        warnings = [message("notices.areas_per_village", where=paragraph.where)]
        totals = []
        if total := _TOTAL.search(fold(paragraph.text)):
            text = paragraph.text[total.start("area") : total.end("area")].strip()
            field = Field(text, paragraph.where, parse_area(text))
            totals.append(field)
            assert field.value is not None
            if why := check_total("合计", field.value, parcels, paragraph.where):  # type: ignore[arg-type]
                warnings.append(why)
        return parcels, totals, warnings
    return [], [], []
