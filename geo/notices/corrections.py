"""A planner's corrections to what was read from a notice, applied before anything is written.

The review (``preview``) shows every field with where it came from; where the reader got a cell
wrong (a misread area, a name split over two lines) the planner types the right text. A
correction replaces one field's text, its derived value is derived again (the area in 亩 and m²,
the sequence number), and its ``where`` says it was corrected, by whom, and what the notice
printed, so the notice's own text stays on record beside the correction.
"""

from dataclasses import dataclass, replace
from typing import Any

from geo.errors import InvalidInput
from geo.messages import message
from geo.notices.areas import parse_area
from geo.notices.document import Paragraph
from geo.notices.layouts.model import FIELDS, LABELS, Field, Parcel, make_parcel, seq_value
from geo.notices.preamble import Found, document_type, find_dates
from geo.notices.preview import PLAN_FIELDS, NoticePreview, preview_readings

PLAN_CORRECTABLE = (*PLAN_FIELDS, "approval_number")
MAX_CORRECTIONS = 10_000
MAX_TEXT = 4_000


@dataclass(frozen=True)
class Correction:
    """One field's corrected text: a parcel's (by its position in the review) or the plan's."""

    field: str
    text: str
    parcel: int | None = None
    """The parcel's 0-based position in the review's list; None for a field of the plan."""


def read_corrections(raw: Any) -> list[Correction]:
    """Corrections from decoded JSON: ``[{"parcel": 0, "field": "area", "text": "12.5亩"}, …]``.

    A plan field leaves out ``parcel``. Anything else is refused, saying what is wrong.
    """
    if raw is None:
        return []
    if not isinstance(raw, list) or len(raw) > MAX_CORRECTIONS:
        raise InvalidInput(message("notices.corrections_form", limit=MAX_CORRECTIONS))
    corrections = []
    for number, item in enumerate(raw, start=1):
        if not isinstance(item, dict) or set(item) - {"parcel", "field", "text"}:
            raise InvalidInput(message("notices.correction_form", number=number))
        parcel, name, text = item.get("parcel"), item.get("field"), item.get("text")
        allowed = PLAN_CORRECTABLE if parcel is None else FIELDS
        if name not in allowed:
            raise InvalidInput(
                message(
                    "notices.correction_field", fields=", ".join(allowed), name=name, number=number
                )
            )
        if not isinstance(text, str) or len(text) > MAX_TEXT:
            raise InvalidInput(message("notices.correction_text", limit=MAX_TEXT, number=number))
        if parcel is not None and (isinstance(parcel, bool) or not isinstance(parcel, int)):
            raise InvalidInput(message("notices.correction_parcel", number=number))
        corrections.append(Correction(name, text, parcel))
    return corrections


def _corrected_where(old: Field | Found | None, who: str) -> str:
    if old is None:
        return message("notices.corrected_none", who=who)
    return message("notices.corrected", where=old.where, text=old.text, who=who)


def _parcel_field(name: str, text: str, old: Field | None, who: str) -> Field:
    where = _corrected_where(old, who)
    if name == "area":
        unit = None
        if old is not None and old.value is not None and old.value.unit_from_header:
            unit = old.value.unit  # the unit stood in the column's header, not in the cell
        return Field(text, where, parse_area(text, unit))
    if name == "seq":
        return Field(text, where, seq_value(text))
    return Field(text, where)


def _corrected_parcel(parcel: Parcel, changes: dict[str, str], who: str) -> Parcel:
    values = parcel.fields()
    for name, text in changes.items():
        if text.strip():
            values[name] = _parcel_field(name, text, values.get(name), who)
        else:  # an emptied field: the planner says the notice does not state it
            values.pop(name, None)
    # Warnings about the corrected fields no longer hold; the others (and new ones) stay.
    kept = [w for w in parcel.warnings if not any(LABELS[name] in w for name in changes)]
    return make_parcel(parcel.where, values, parcel.others, kept)


def _plan_found(name: str, text: str, old: Found | None, who: str) -> Found:
    where = _corrected_where(old, who)
    if name == "published_on":
        dates = find_dates(Paragraph(text, where))
        if not dates:
            raise InvalidInput(message("notices.correction_date", text=text))
        return Found(dates[0].value, text, where)
    if name == "document_type":
        return Found(document_type(text) or text.strip(), text, where)
    return Found(text.strip(), text, where)


def apply_corrections(
    preview: NoticePreview, corrections: list[Correction], who: str
) -> NoticePreview:
    """The review with the corrections applied; a correction of a parcel not listed is refused."""
    if not corrections:
        return preview
    parcels = list(preview.extraction.parcels)
    by_parcel: dict[int, dict[str, str]] = {}
    preamble = preview.preamble
    for correction in corrections:
        if correction.parcel is None:
            if correction.field == "approval_number":
                old = preamble.approval_number
                found = _plan_found(correction.field, correction.text, old, who)
                rest = preamble.approval_numbers[1:]
                preamble = replace(preamble, approval_numbers=(found, *rest))
            else:
                old = getattr(preamble, correction.field)
                found = _plan_found(correction.field, correction.text, old, who)
                preamble = replace(preamble, **{correction.field: found})
            continue
        if not 0 <= correction.parcel < len(parcels):
            raise InvalidInput(
                message(
                    "notices.correction_no_parcel", parcel=correction.parcel, count=len(parcels)
                )
            )
        by_parcel.setdefault(correction.parcel, {})[correction.field] = correction.text
    for index, changes in by_parcel.items():
        parcels[index] = _corrected_parcel(parcels[index], changes, who)
    extraction = replace(preview.extraction, parcels=tuple(parcels))
    return NoticePreview(
        preview.document, preamble, extraction, preview_readings(extraction), preview.region
    )
