"""Read and validate a parcels GeoJSON file before anything reaches the database.

Every problem is reported with the feature it belongs to (position and id) in plain words, so a
planner can fix the file; nothing is loaded from a file that has any problem. Each feature is
checked by ``geo.parcels.record.parse_feature``; this module checks what concerns the whole file
(one plan, unique ids and seqs, the plan's metadata).
"""

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from geo.errors import InvalidParcelData
from geo.geometry_input import collection_features, read_json_file
from geo.messages import message
from geo.parcels.record import (
    KEY_NAMES,
    PROPERTY_NAMES,
    ParcelRecord,
    PlanInfo,
    is_positive_number,
    json_decimal,
    parse_feature,
)

# The record and its plan belong to geo.parcels.record; they stay importable from here too.
__all__ = [
    "PROPERTY_NAMES",
    "ParcelFile",
    "ParcelRecord",
    "PlanInfo",
    "parse_parcel_collection",
    "read_parcel_file",
]


@dataclass(frozen=True)
class ParcelFile:
    """A validated parcels file: its plan and its parcels."""

    plan: PlanInfo
    parcels: tuple[ParcelRecord, ...]


def _plan_info(collection: dict[str, Any], title: str, year: int) -> PlanInfo:
    meta = collection.get("plan") if isinstance(collection.get("plan"), dict) else {}
    if meta.get("title", title) != title:
        raise InvalidParcelData(
            message("intake.plan_title_differs", collection_title=meta["title"], title=title)
        )
    try:
        published = date.fromisoformat(meta["published_on"]) if meta.get("published_on") else None
    except (TypeError, ValueError):
        raise InvalidParcelData(
            message("intake.published_on_not_date", published_on=meta["published_on"])
        ) from None
    total = meta.get("published_total_mu")
    return PlanInfo(
        code=str(meta.get("code") or f"{title}"),
        title=title,
        year=year,
        issuer=meta.get("issuer"),
        published_on=published,
        source_document=meta.get("source_document"),
        published_total_mu=json_decimal(total) if is_positive_number(total) else None,
    )


def parse_parcel_collection(collection: Any) -> ParcelFile:
    """Validate a decoded GeoJSON FeatureCollection of parcels of one plan."""
    features = collection_features(collection, InvalidParcelData, message("intake.what_file"))
    records: list[ParcelRecord] = []
    plans: set[tuple[str, int]] = set()
    for position, feature in enumerate(features, start=1):
        record, title, year = parse_feature(
            feature, message("intake.feature_at", position=position)
        )
        records.append(record)
        plans.add((title, year))
    if len(plans) > 1:
        raise InvalidParcelData(
            message("intake.several_plans") + "; ".join(f"{t} ({y})" for t, y in sorted(plans))
        )
    for key in KEY_NAMES:
        seen: set[object] = set()
        for record in records:
            value = getattr(record, key)
            if value in seen:
                raise InvalidParcelData(message("intake.value_repeated", value=value, key=key))
            seen.add(value)
    ((title, year),) = plans
    return ParcelFile(_plan_info(collection, title, year), tuple(records))


def read_parcel_file(path: Path) -> ParcelFile:
    """Read, decode and validate a parcels GeoJSON file."""
    return parse_parcel_collection(read_json_file(path, InvalidParcelData))
