"""The review of a notice before anything is written: what was read, from where, and what is wrong.

A planner checks this before committing a notice: the plan's fields (type, issuer, numbers,
dates) and every parcel's fields, each with the line or cell it came from, the area in 亩 and m²
derived from what was printed, the 四至 as the parser reads it, and every warning. Nothing here
touches the database; the same preview serves the CLI's ``--dry-run`` and, later, the API.
"""

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from geo.boundaries.parse import parse_boundaries
from geo.boundaries.parsed import ParsedBoundaries
from geo.messages import message
from geo.notices.areas import Area
from geo.notices.document import NoticeDocument
from geo.notices.layouts import extract_parcels
from geo.notices.layouts.model import LABELS, Extraction, Field, Parcel
from geo.notices.preamble import Found, Preamble, read_preamble
from geo.notices.readers import read_notice

if TYPE_CHECKING:
    from geo.notices.region import Region

PLAN_FIELDS = ("title", "document_type", "issuer", "document_number", "published_on")


@dataclass(frozen=True)
class NoticePreview:
    """A notice as read: the document, its preamble and its parcels."""

    document: NoticeDocument
    preamble: Preamble
    extraction: Extraction
    readings: tuple[ParsedBoundaries | None, ...]
    """Each parcel's 四至 as parsed (None where the notice gives none), in parcel order."""
    region: "Region | None" = None
    """The province, city and county the notice belongs to, when its text names them."""

    def warnings(self) -> list[str]:
        """Every warning, the reader's first, then the preamble's, then the parcels'."""
        return [
            *self.document.warnings,
            *self.preamble.warnings,
            *(self.region.warnings if self.region is not None else ()),
            *self.extraction.all_warnings(),
            *(
                warning
                for parcel, reading in self._parcels()
                for warning in _boundary_warnings(parcel, reading)
            ),
        ]

    def _parcels(self) -> list[tuple[Parcel, ParsedBoundaries | None]]:
        return list(zip(self.extraction.parcels, self.readings, strict=True))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form: every field verbatim, derived where there is a derived value."""
        plan = {name: _found(getattr(self.preamble, name)) for name in PLAN_FIELDS}
        plan["approval_numbers"] = [_found(found) for found in self.preamble.approval_numbers]
        return {
            "source": self.document.source,
            "format": self.document.format,
            "layout": self.extraction.layout,
            "plan": plan,
            "region": None if self.region is None else self.region.to_dict(),
            "parcels": [_parcel(parcel, reading) for parcel, reading in self._parcels()],
            "totals": [_field(total) for total in self.extraction.totals],
            "warnings": self.warnings(),
        }

    def table(self) -> str:
        """The preview as plain text lines for a terminal."""
        lines = [
            message(
                "notices.preview_head",
                source=self.document.source,
                format=self.document.format,
                layout=self.extraction.layout,
            )
        ]
        for name in PLAN_FIELDS:
            found = getattr(self.preamble, name)
            if found is not None:
                lines.append(f"  {name}: {found.value}  [{found.where}]")
        for found in self.preamble.approval_numbers:
            lines.append(f"  approval_number: {found.value}  [{found.where}]")
        if self.region is not None:
            names = "".join(
                n for n in (self.region.province, self.region.city, self.region.county) if n
            )
            lines.append(message("notices.preview_region", adcode=self.region.adcode, names=names))
        else:
            lines.append(message("notices.preview_no_region"))
        lines.append(_count(len(self.extraction.parcels), "parcel"))
        for number, parcel in enumerate(self.extraction.parcels, start=1):
            lines.append(f"{number}. [{parcel.where}]")
            for name, field in parcel.fields().items():
                derived = _area_words(field.value) if isinstance(field.value, Area) else ""
                lines.append(f"   {LABELS[name]}: {field.text}{derived}  [{field.where}]")
        warnings = self.warnings()
        lines.append(_count(len(warnings), "warning") + (":" if warnings else ""))
        lines += [f"  - {warning}" for warning in warnings]
        return "\n".join(lines)


def preview_readings(extraction: Extraction) -> tuple[ParsedBoundaries | None, ...]:
    """Each parcel's 四至 as parsed, None where the notice gives none."""
    return tuple(
        None if parcel.boundary is None else parse_boundaries(parcel.boundary.text)
        for parcel in extraction.parcels
    )


def preview_document(document: NoticeDocument) -> NoticePreview:
    """The preview of a notice already read."""
    from geo.notices.region import find_region, region_texts  # it reads the preview itself

    extraction = extract_parcels(document)
    preview = NoticePreview(
        document, read_preamble(document), extraction, preview_readings(extraction)
    )
    return replace(preview, region=find_region(region_texts(preview)))


def preview_notice(data: bytes, filename: str) -> NoticePreview:
    """Read a notice file (any supported format) and preview it; refusals as UnreadableNotice."""
    return preview_document(read_notice(data, filename))


COUNT_KEYS = {
    ("parcel", True): "notices.count_parcel",
    ("parcel", False): "notices.count_parcels",
    ("warning", True): "notices.count_warning",
    ("warning", False): "notices.count_warnings",
}


def _count(number: int, noun: str) -> str:
    return message(COUNT_KEYS[noun, number == 1], count=number)


def _boundary_warnings(parcel: Parcel, reading: ParsedBoundaries | None) -> list[str]:
    if parcel.boundary is None or reading is None:
        return []
    return [f"{parcel.boundary.where}: 四至 {warning}" for warning in reading.warnings]


def _found(found: Found | None) -> dict[str, str] | None:
    return (
        None if found is None else {"value": found.value, "text": found.text, "where": found.where}
    )


def _area_words(area: Area) -> str:
    if area.mu is None:
        return ""
    return f" (= {area.mu:.4f} 亩, {area.m2:.2f} m²)"


def _field(field: Field) -> dict[str, Any]:
    body: dict[str, Any] = {"text": field.text, "where": field.where}
    if field.filled_from:
        body["filled_from"] = field.filled_from
    if isinstance(field.value, Area):
        body |= field.value.to_dict()
    elif field.value is not None:
        body["value"] = field.value
    return body


def _parcel(parcel: Parcel, reading: ParsedBoundaries | None) -> dict[str, Any]:
    body: dict[str, Any] = {"where": parcel.where}
    body |= {name: _field(field) for name, field in parcel.fields().items()}
    if reading is not None:
        body["boundaries"] = reading.to_dict()
    body["others"] = {header: _field(field) for header, field in parcel.others}
    body["warnings"] = list(parcel.warnings) + _boundary_warnings(parcel, reading)
    return body
