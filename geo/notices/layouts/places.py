"""Where a parcel lies, as running text says it without a 位置 label.

Notices say it in several ways, all kept verbatim:

- ``位于X`` / ``坐落于X``: X to the end of its clause; a list of villages set off by
  semicolons that ends in ``范围内`` is one place (``位于A镇甲村、乙村；B镇丙村范围内``);
- ``该地块涉及X``: X is a place only when each of its clauses names a settlement (村, 镇, 乡,
  街道, 社区, 组), so ``涉及集体土地5公顷`` is not one; the clauses run on over commas
  (``涉及A街道甲村，B街道乙村、丙村，四至范围：…``);
- a label naming several things at once (``拟征收土地权属、范围、面积：X的集体土地2公顷``):
  what precedes the area figure, less ``的集体土地``.

A place never carries the land it describes (``…地段的集体土地``) or an area figure with it.
"""

import re

from geo.chinese import fold
from geo.notices.areas import UNIT_PATTERN
from geo.notices.document import Paragraph
from geo.notices.layouts.model import Field

_SETTLEMENT = r"(?:村|镇|乡|街道|社区|组|居委会|办事处|经济联合社|联合社)"
_FIGURE = re.compile(rf"(?:约为|约|大约)?\s*\d[\d,.]*\s*(?:{UNIT_PATTERN})")
_LAND = re.compile(r"(?:的)?(?:农民)?(?:集体)?(?:所有)?土地\s*$")
_AT = re.compile(r"(?:位于|坐落于|坐落在|座落于)\s*")
_RANGE_END = re.compile(r"范围内")
_INVOLVED = re.compile(r"(?:该地块|该项目|本次征收|拟征收土地)?涉及\s*")
_COMBINED = re.compile(
    r"(?:拟征收|征收)?(?:土地)?(?:权属|位置|范围|坐落)(?:[、和及](?:权属|位置|范围|面积|四至|地类)){1,3}"
    r"\s*[:]\s*"
)
_LEAD = re.compile(r"^(?:具体为|具体是|位于|涉及|包括)\s*")


def _trim(text: str) -> str:
    """A place without the land it describes or an area after it, verbatim."""
    folded = fold(text)
    figure = _FIGURE.search(folded)
    if figure:
        text, folded = text[: figure.start()], folded[: figure.start()]
    land = _LAND.search(folded)
    if land and land.start() > 0:
        text = text[: land.start()]
    return text.strip().rstrip(",;，；。")


def _field(paragraph: Paragraph, start: int, end: int) -> Field | None:
    text = _trim(paragraph.text[start:end])
    return Field(text, paragraph.where) if text else None


def place_at(paragraph: Paragraph, start: int = 0) -> Field | None:
    """The place after 位于/坐落于 (from ``start``), or None."""
    folded = fold(paragraph.text)
    at = _AT.search(folded, start)
    if not at:
        return None
    sentence = re.search(r"[。:]|$", folded[at.end() :])
    assert sentence is not None
    stop = at.end() + sentence.start()
    ranged = _RANGE_END.search(folded, at.end(), stop)
    if ranged:
        return _field(paragraph, at.end(), ranged.start())
    clause_end = re.search(r"[,;。]|$", folded[at.end() :])
    assert clause_end is not None
    return _field(paragraph, at.end(), at.end() + clause_end.start())


def place_involved(paragraph: Paragraph, start: int = 0) -> Field | None:
    """The settlements after 涉及 (from ``start``), over commas while each clause names one."""
    folded = fold(paragraph.text)
    involved = _INVOLVED.search(folded, start)
    if not involved:
        return None
    position, end = involved.end(), None
    while position < len(folded):
        stop = re.search(r"[,;。]|$", folded[position:])
        assert stop is not None
        piece = folded[position : position + stop.start()].strip()
        if not re.search(rf"{_SETTLEMENT}$", piece) or _FIGURE.search(piece) or ":" in piece:
            break
        end = position + stop.start()
        position = end + 1
    return None if end is None else _field(paragraph, involved.end(), end)


def place_combined(paragraph: Paragraph) -> Field | None:
    """The place a label naming several things gives (权属、范围、面积：X…), or None."""
    folded = fold(paragraph.text)
    label = _COMBINED.search(folded)
    if not label:
        return None
    stop = re.search(r"[。]|$", folded[label.end() :])
    assert stop is not None
    return _field(paragraph, label.end(), label.end() + stop.start())


def place_in_range(text: str, where: str) -> Field | None:
    """The settlements a 范围 value names when it is no 四至 (共涉及…，具体为A村甲组、乙组)."""
    folded = fold(text)
    position = 0
    found = None
    while position < len(folded):
        stop = re.search(r"[,;。]|$", folded[position:])
        assert stop is not None
        piece = folded[position : position + stop.start()]
        lead = _LEAD.match(piece.strip())
        if re.search(rf"{_SETTLEMENT}\s*$", piece) and not re.search(r"\d", piece):
            offset = position + (len(piece) - len(piece.lstrip())) + (lead.end() if lead else 0)
            found = Field(_trim(text[offset : position + stop.start()]), where)
        position += stop.start() + 1
    return found
