"""A reviewed notice as a plan and its parcels, in the parcels-file form the one write path loads.

Rules, for notices of any county (the Jiaxing layout has its own, in ``notice``):

- a field the notice does not state is null, never invented; the one exception is a parcel's
  name, which every list shows: a parcel without one is called by its place or "地块N", with a
  warning;
- the sequence number is the notice's own (序号) when every parcel has a distinct one, else the
  parcel's position, with a warning;
- the declared area is the printed area in 亩, rounded to 0.01 亩 as plans publish it; the
  printed text and unit stay in the plan's ``notice_review``;
- the plan's title is the notice's title, prefixed with its issuer when the title does not name
  the place (many are just "征收土地预公告") and followed by the document number when the title
  lacks it, so that two counties' notices are two plans.
"""

import hashlib
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from geo.errors import UnreadableNotice
from geo.messages import message
from geo.notices.layouts.model import Parcel
from geo.notices.preview import NoticePreview

MAX_CODE = 32
NO_BOUNDARY_NOTE = (
    "Not located: the notice gives no 四至 for this parcel, so there is nothing to digitize "
    "from. Draw it or load a survey."
)
_ISSUER_SUFFIX = re.compile(r"(人民政府|管理委员会|管委会|办公室|办事处|局|厅|委员会|中心)$")
_YEAR = re.compile(r"(19[5-9]\d|20\d\d)")


@dataclass(frozen=True)
class NoticePlan:
    """The plan and parcels a reviewed notice gives, and what was decided for them."""

    collection: dict[str, Any]
    """A parcels FeatureCollection (no shapes yet), as geo.intake.parcel_file reads them."""
    plan_columns: dict[str, Any]
    """The plan's columns beyond a parcels file's: document type, numbers, region."""
    warnings: tuple[str, ...]


def region_columns(region) -> dict[str, Any]:
    """The plan's region columns from a found ``geo.notices.region.Region`` (None: all null)."""
    names = ("province", "city", "county", "adcode")
    columns = {name: getattr(region, name, None) for name in names}
    columns["region_longitude"] = getattr(region, "longitude", None)
    columns["region_latitude"] = getattr(region, "latitude", None)
    return columns


def region_name(region) -> str:
    """The region's most precise name (固始县, 嘉兴市), for messages."""
    return region.county or region.city or region.province


def _value(found) -> str | None:
    return None if found is None else found.value


def _verbatim(found) -> str | None:
    """A number as printed (full-width digits, 第, 號 kept): the document is the evidence."""
    return None if found is None else found.text.strip()


def _text(field) -> str | None:
    return None if field is None or not field.text.strip() else field.text.strip()


def plan_title(preview: NoticePreview, filename: str) -> str:
    """The plan's title: the notice's, made to name its issuer and number when it does not."""
    preamble = preview.preamble
    title = _value(preamble.title) or re.sub(r"\.[A-Za-z0-9]+$", "", filename)
    issuer = _value(preamble.issuer)
    if issuer and _ISSUER_SUFFIX.sub("", issuer)[:2] not in title:
        title = issuer + title
    number = _verbatim(preamble.document_number)
    if number and number not in title:
        title += f"（{number}）"
    return title


def plan_year(preview: NoticePreview) -> int:
    """The plan's year: its publication date's, else the first year its title or number give."""
    preamble = preview.preamble
    candidates = [
        _value(preamble.published_on),
        _value(preamble.title),
        _value(preamble.document_number),
        *(found.value for found in preamble.dates),
    ]
    for text in candidates:
        match = text and _YEAR.search(text)
        if match:
            return int(match.group())
    raise UnreadableNotice(message("intake.no_year"))


def derived_code(preview: NoticePreview, title: str, year: int) -> str:
    """A plan code when none is given: region, year and a digest of the title (stable)."""
    region = preview.region
    place = region.adcode if region is not None else "CN"
    digest = hashlib.sha1(title.encode()).hexdigest()[:6].upper()
    return f"{place}-{year}-{digest}"[:MAX_CODE]


def _sequence(parcels: tuple[Parcel, ...]) -> tuple[list[int], list[str]]:
    printed = [p.seq.value if p.seq is not None else None for p in parcels]
    if all(isinstance(n, int) and n > 0 for n in printed) and len(set(printed)) == len(printed):
        return printed, []  # type: ignore[return-value]
    warnings = []
    if any(n is not None for n in printed):
        warnings.append(message("intake.seq_unusable"))
    return list(range(1, len(parcels) + 1)), warnings


def _declared_mu(parcel: Parcel, where: str) -> tuple[float | None, list[str]]:
    area = parcel.area_value
    if area is None or area.mu is None:
        return None, []
    mu = Decimal(area.mu).quantize(Decimal("0.01"))
    if mu <= 0:
        return None, [message("intake.area_rounds_to_zero", text=area.text.strip(), where=where)]
    return float(mu), []


def _parcel_feature(parcel: Parcel, seq: int, plan: dict[str, Any]) -> tuple[dict, list[str]]:
    warnings: list[str] = []
    name = _text(parcel.name) or _text(parcel.place)
    if name is None:
        name = f"地块{seq}"
        warnings.append(message("intake.no_name", where=parcel.where, name=name))
    declared, area_warnings = _declared_mu(parcel, parcel.where)
    properties = {
        "id": f"{plan['code']}-{seq:02d}",
        "plan": plan["title"],
        "plan_year": plan["year"],
        "seq": seq,
        "block": _text(parcel.place),
        "name": name,
        "boundary_text": _text(parcel.boundary),
        "declared_area_mu": declared,
        "interest_type": _text(parcel.purpose),
        "implementing_unit": _text(parcel.implementer),
        "geometry_source": "none",
        "geometry_note": "" if parcel.boundary else NO_BOUNDARY_NOTE,
    }
    feature = {"type": "Feature", "id": properties["id"], "properties": properties}
    return feature | {"geometry": None}, warnings + area_warnings


def _total_mu(preview: NoticePreview) -> float | None:
    # Only a total printed in 亩 is the plan's published total: one converted from 公顷 would
    # never equal the sum of parcels rounded to 0.01 亩. The review keeps the others.
    for total in preview.extraction.totals:
        area = total.value
        if area is not None and area.unit == "亩" and area.mu is not None:
            return float(Decimal(area.mu).quantize(Decimal("0.01")))
    return None


def notice_plan(preview: NoticePreview, filename: str, code: str | None) -> NoticePlan:
    """The plan and parcels of a reviewed notice; refused when it lists no parcel."""
    parcels = preview.extraction.parcels
    if not parcels:
        raise UnreadableNotice(message("intake.no_parcels"))
    # A parcel without an area or a name is kept (null, or called by its place), and notices
    # in running text often give neither (a 启动公告 lists 四至 only). But a *table* where no
    # parcel has one is no plan table, or a column was missed: say so, write nothing.
    tabular = preview.extraction.layout in ("table", "flattened-table")
    if tabular and all(parcel.area_value is None for parcel in parcels):
        raise UnreadableNotice(message("intake.no_areas"))
    if tabular and all(_text(p.name) is None and _text(p.place) is None for p in parcels):
        raise UnreadableNotice(message("intake.no_names"))
    title = plan_title(preview, filename)
    year = plan_year(preview)
    code = code or derived_code(preview, title, year)
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]{0,31}", code):
        raise UnreadableNotice(message("intake.bad_code", code=code))
    number = _verbatim(preview.preamble.document_number)
    plan = {
        "code": code,
        "title": title,
        "year": year,
        "issuer": _value(preview.preamble.issuer),
        "published_on": _value(preview.preamble.published_on),
        "source_document": f"{title}（{filename}）",
        "published_total_mu": _total_mu(preview),
    }
    sequence, warnings = _sequence(parcels)
    features = []
    for parcel, seq in zip(parcels, sequence, strict=True):
        feature, parcel_warnings = _parcel_feature(parcel, seq, plan)
        features.append(feature)
        warnings += parcel_warnings
    region = preview.region
    columns = {
        "document_type": _value(preview.preamble.document_type),
        "document_number": number,
        "approval_number": _verbatim(preview.preamble.approval_number),
        **region_columns(region),
    }
    collection = {"type": "FeatureCollection", "plan": plan, "features": features}
    return NoticePlan(collection, columns, tuple(warnings))
