"""Fields a notice gives once for all its parcels, carried to each parcel that lacks them.

A 启动公告 says ``一、拟征收土地用途`` once and then lists 地块一, 地块二; a 房屋征收决定 lists
its plots and then ``房屋征收部门：…``. The purpose and the implementer then hold for every
parcel: each parcel that gives none of its own gets the notice-wide text, with ``where`` (and
``filled_from``) pointing at the notice-wide line and a note saying it was carried, so that a
planner sees it was not printed beside the parcel.

The purpose is the paragraph after its heading (or the value of a ``征收目的：`` line), cut to
the clause that says what the land is for: lead-ins such as ``因公共利益需要``,
``依据《…》`` or ``按《…》组卷报批`` say why or how, not for what, and are skipped.
"""

import re
from dataclasses import replace

from geo.chinese import fold
from geo.messages import message
from geo.notices.document import Paragraph
from geo.notices.layouts.model import LABELS, Field, Parcel, clause

# A section heading alone on its line (一、拟征收土地用途): the purpose is the next paragraph.
PURPOSE_HEADING = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+\s*[、.])?\s*(?:拟|本次)?(?:征收土地|征地|征收)?(?:的)?"
    r"(?:用途|目的)\s*$"
)
_PURPOSE_LINE = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+\s*[、.])?\s*(?:拟|本次)?(?:征收土地|征地|征收|土地征收)(?:的)?"
    r"(?:用途|目的)\s*[:]\s*(?=\S)"
)
# Ordered: the unit carrying the work out is the implementer before the department ordering it.
_IMPLEMENTER = (
    r"建设活动组织实施单位|征收实施单位|房屋征收实施单位|实施单位",
    r"房屋征收部门|征收部门",
)
_ITEM_NUMBER = re.compile(r"^\s*(?:\d{1,3}\s*[、.](?!\d)|\(\s*\d{1,3}\s*\))\s*")
_SAYS_USE = re.compile(r"用于|用途|作为|建设|用地|工程|项目|设施")
_LEAD_IN = re.compile(r"公共利益|^(?:依据|根据|按照|依照)\s*《|报批|纳入")


def purpose_clause(paragraph: Paragraph, start: int = 0) -> Field:
    """The clause of a purpose paragraph that says what the land is for, verbatim.

    The first sentence's clauses are tried in order; the first naming a use (用于, 作为, 建设,
    用地…) that is not a lead-in wins, else the first clause. A leading item number (1、) is
    not part of the purpose.
    """
    text, folded = paragraph.text, fold(paragraph.text)
    number = _ITEM_NUMBER.match(folded, start)
    position = number.end() if number else start
    sentence_end = folded.find("。", position)
    end = len(folded) if sentence_end < 0 else sentence_end
    first = None
    while position < end:
        found, stop = clause(text, folded, position)
        found = found.strip().rstrip("。;；")
        if first is None and found:
            first = found
        words = fold(found)
        if found and _SAYS_USE.search(words) and not _LEAD_IN.search(words):
            return Field(found, paragraph.where)
        position = stop + 1
    return Field(first or text[start:].strip(), paragraph.where)


def notice_wide(paragraphs: list[Paragraph], parcels: tuple[Parcel, ...] = ()) -> dict[str, Field]:
    """The purpose and the implementer a notice gives once, each where it was found.

    A parcel's own paragraph is not notice-wide: its 实施单位 belongs to that parcel only.
    """
    values: dict[str, Field] = {}
    own = {field.where for parcel in parcels for field in parcel.fields().values()}
    own |= {parcel.where for parcel in parcels}
    texts = [p for p in paragraphs if p.text.strip() and p.where not in own]
    for index, paragraph in enumerate(texts):
        folded = fold(paragraph.text)
        if "purpose" in values:
            break
        if PURPOSE_HEADING.match(folded) and index + 1 < len(texts):
            values["purpose"] = purpose_clause(texts[index + 1])
        elif line := _PURPOSE_LINE.match(folded):
            values["purpose"] = purpose_clause(paragraph, line.end())
    for labels in _IMPLEMENTER:
        pattern = re.compile(rf"(?:{labels})\s*(?:为|是)?\s*[:]\s*(?P<v>[^,;。]+)")
        found = next(
            ((p, m) for p in texts if (m := pattern.search(fold(p.text))) is not None), None
        )
        if found is not None:
            paragraph, match = found
            text = paragraph.text[match.start("v") : match.end("v")].strip()
            values["implementer"] = Field(text, paragraph.where)
            break
    return values


def carry(parcels: tuple[Parcel, ...], wide: dict[str, Field]) -> tuple[Parcel, ...]:
    """The parcels, each given the notice-wide fields it lacks, with a note for each."""
    if not wide:
        return parcels
    carried = []
    for parcel in parcels:
        values, notes = {}, []
        for kind, field in wide.items():
            if getattr(parcel, kind) is None:
                values[kind] = Field(field.text, field.where, None, field.where)
                notes.append(
                    message(
                        "notices.carried_to_parcel",
                        where=parcel.where,
                        label=LABELS[kind],
                        source=field.where,
                    )
                )
        carried.append(
            replace(parcel, **values, warnings=parcel.warnings + tuple(notes)) if values else parcel
        )
    return tuple(carried)
