"""The Jiaxing plan layout: a notice whose annex table (…征收计划表) is the plan, in one transaction.

Any other layout goes through ``geo.intake.notice_ingest``, which sends this layout here.

The notice text (laid out like data/sources/jiaxing-2022-plan-notice.txt) gives the table, whose
merged cells are resolved, and the plan's issuer and dates. Each row's 四至 text is parsed and
its geometry digitized on the stored reference layer; a row that cannot be digitized has no
shape to store, so it is reported and left out rather than given an invented one.
"""

import re
from dataclasses import dataclass, field
from typing import Any

from geoalchemy2.shape import to_shape
from sqlalchemy import select
from sqlalchemy.orm import Session

from geo.boundaries.digitize_plan import DigitizeOutcome, digitize_collection
from geo.boundaries.reference import ReferenceRecord
from geo.errors import InvalidParcelData
from geo.intake.loader import LoadReport, load_parcels
from geo.intake.notice_table import PlanTable, parse_plan_table
from geo.intake.parcel_file import parse_parcel_collection
from geo.intake.schematic import plan_member, row_properties
from geo.messages import message
from geo.models import ReferenceFeature

SIGNED = re.compile(r"(\S+人民政府)\s*\n\s*(\d{4})年(\d{1,2})月(\d{1,2})日")
PRINTED = re.compile(r"(\S+办公室)\s*\n?\s*(\d{4}年\d{1,2}月\d{1,2}日)印发")
ANNEX_NUMBER = re.compile(r"附件\s*(\d+)\s*\n\s*{title}")


@dataclass
class IngestReport:
    """What an ingest did, row by row."""

    plan: str
    outcomes: list[DigitizeOutcome] = field(default_factory=list)
    load: LoadReport | None = None

    def summary(self) -> str:
        """Lines for people."""
        lines = [outcome.summary() for outcome in self.outcomes]
        unplaced = sum(outcome.geometry_source == "none" for outcome in self.outcomes)
        if self.load:
            lines.append(self.load.summary())
        lines.append(message("intake.unplaced_summary", unplaced=unplaced))
        return "\n".join(lines)


def notice_heading(text: str) -> str:
    """The notice's title: its first lines up to the one ending in 通知, joined."""
    parts: list[str] = []
    for line in text.splitlines():
        if line.strip():
            parts.append(line.strip())
        if line.strip().endswith("通知"):
            return "".join(parts)
    raise InvalidParcelData(message("intake.no_notice_heading"))


def plan_metadata(text: str, table: PlanTable, code: str) -> dict[str, Any]:
    """The plan's code, title, year, issuer, publication date and source, from the notice."""
    year = re.match(r"\d{4}", table.title)
    signed = SIGNED.search(text)
    if year is None or signed is None:
        raise InvalidParcelData(message("intake.no_year_or_signature"))
    issuer, y, m, d = signed.groups()
    annex = re.search(ANNEX_NUMBER.pattern.format(title=re.escape(table.title)), text)
    printed = PRINTED.search(text)
    source = notice_heading(text)
    if annex:
        source += f"，附件{annex.group(1)}"
    source += f"（{issuer}{y}年{int(m)}月{int(d)}日"
    source += f"；{printed.group(1)}{printed.group(2)}印发）" if printed else "）"
    return {
        "code": code,
        "title": table.title,
        "year": int(year.group()),
        "issuer": issuer,
        "published_on": f"{y}-{int(m):02d}-{int(d):02d}",
        "source_document": source,
    }


def stored_reference(session: Session) -> list[ReferenceRecord]:
    """The reference layer as loaded in the database."""
    rows = session.execute(select(ReferenceFeature).order_by(ReferenceFeature.id)).scalars()
    return [
        ReferenceRecord(r.name, r.kind, r.geometry_source, r.note, to_shape(r.geom), r.address)
        for r in rows
    ]


def ingest_notice(
    session: Session, text: str, code: str, source: str, actor: str = "cli:ingest"
) -> IngestReport:
    """Create or update the notice's plan and parcels; the caller's transaction holds it all."""
    table = parse_plan_table(text)
    plan = plan_metadata(text, table, code)
    collection = {
        "type": "FeatureCollection",
        "plan": plan_member(plan, table),
        "features": [
            {
                "type": "Feature",
                "id": f"{code}-{row.seq:02d}",
                "properties": row_properties(plan, row)
                | {"geometry_source": "digitized", "geometry_note": ""},
                "geometry": None,
            }
            for row in table.rows
        ],
    }
    report = IngestReport(plan["title"], digitize_collection(collection, stored_reference(session)))
    for feature in collection["features"]:
        if feature["geometry"] is None:  # the notice is the record: the parcel exists regardless
            properties = feature["properties"]
            properties["geometry_source"] = "none"
            properties["geometry_note"] = properties["geometry_note"].strip()
    report.load = load_parcels(session, parse_parcel_collection(collection), actor, source)
    return report
