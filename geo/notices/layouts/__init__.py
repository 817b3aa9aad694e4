"""The parcels a notice lists, read from whichever of the known layouts it uses.

``extract_parcels`` tries, in order: a table with a header row (``tables``), a table flattened
to one cell per line in the running text (``flattened``), one numbered paragraph per parcel,
areas given per village in one sentence (``villages``) and a single-parcel announcement
(``running``). It says which matched; a notice none matches gives
no parcels and a warning. Fields are verbatim with where they came from (``model``);
``accuracy`` scores an extraction against the fields a person read off the notice.
"""

import re
from dataclasses import replace

from geo.chinese import fold
from geo.messages import message
from geo.notices.areas import header_unit
from geo.notices.document import NoticeDocument, Paragraph, Table
from geo.notices.layouts.flattened import read_flattened
from geo.notices.layouts.model import FIELDS, Extraction, Field, Parcel
from geo.notices.layouts.noticewide import carry, notice_wide
from geo.notices.layouts.running import read_items, read_single
from geo.notices.layouts.tables import read_tables
from geo.notices.layouts.villages import read_villages

__all__ = ["FIELDS", "Extraction", "Field", "Parcel", "extract_parcels"]


_UNIT_NOTE = re.compile(r"^\s*(?:面积)?单位\s*[:：]\s*\S+\s*$")


def table_units(document: NoticeDocument) -> list[str | None]:
    """For each table, the unit a note just above it gives (单位：公顷), as 方案公告 print it."""
    units: list[str | None] = []
    previous = None
    for block in document.blocks:
        if isinstance(block, Table):
            note = previous if isinstance(previous, Paragraph) else None
            match = note is not None and _UNIT_NOTE.match(fold(note.text))
            units.append(header_unit(note.text) if match and note else None)
        if not isinstance(block, Paragraph) or block.text.strip():
            previous = block
    return units


def extract_parcels(document: NoticeDocument) -> Extraction:
    """The parcels of a notice, the layout they were read with, and warnings.

    A purpose or implementer the notice gives once is carried to every parcel without its own
    (``noticewide``).
    """
    found = _extract(document)
    wide = notice_wide(document.paragraphs(), found.parcels)
    return replace(found, parcels=carry(found.parcels, wide))


def _extract(document: NoticeDocument) -> Extraction:
    tables = read_tables(document.tables(), table_units(document))
    if tables is not None:
        return Extraction(
            "table", tuple(tables.parcels), tuple(tables.warnings), tuple(tables.totals)
        )
    warnings = [message("notices.no_header_row", where=table.where) for table in document.tables()]
    paragraphs = document.paragraphs()
    flattened = read_flattened(paragraphs)
    if flattened is not None:
        reader, _ = flattened
        return Extraction(
            "flattened-table",
            tuple(reader.parcels),
            tuple(warnings + reader.warnings),
            tuple(reader.totals),
        )
    items = read_items(paragraphs)
    if items:
        return Extraction("paragraphs", tuple(items), tuple(warnings))
    villages, totals, notes = read_villages(paragraphs)
    if villages:
        return Extraction("villages", tuple(villages), tuple(warnings + notes), tuple(totals))
    single = read_single(document)
    if single is not None:
        return Extraction("single-parcel", (single,), tuple(warnings))
    warnings.append(message("notices.no_parcels_found"))
    return Extraction(None, (), tuple(warnings))
