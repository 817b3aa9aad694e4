"""Ingest any county's notice: review it, apply the planner's corrections, write it in one go.

The same function serves ``zhengshou ingest`` and ``POST /api/v1/plans/ingest``:

1. the file is read and reviewed (``geo.notices.preview``), corrections applied;
2. a notice in the Jiaxing plan layout (a …征收计划表 annex) goes the way it always went
   (``geo.intake.notice``), so the shipped data stays exactly reproducible; any other becomes a
   plan and parcels by ``geo.intake.notice_parcels``;
3. each parcel's 四至 is digitized on the reference features near the notice's region only: a
   中山路 in another city is not this county's 中山路. A notice whose region is not found is not
   digitized at all, and its parcels say why;
4. the parcels go through the one write path (history for every change; the same document
   again changes nothing), and the plan keeps the review as its evidence;
5. the parcels move forward to the stage the notice proves (``geo.stages.notices``: a 预公告
   to ``pre_notice``, a 征收决定 to ``decision``), each move an edit with its history row.

Parcels the plan already had but this notice does not list are kept (the notice may be a later
stage naming only some of them) and named in a warning.
"""

import hashlib
import json
from dataclasses import dataclass, field
from math import cos, radians
from typing import Any

from sqlalchemy import select, text, update
from sqlalchemy.orm import Session

from geo.boundaries.digitize_plan import DigitizeOutcome, digitize_collection
from geo.boundaries.reference import ReferenceRecord
from geo.errors import InvalidInput, InvalidParcelData
from geo.intake.loader import LoadReport, load_parcels
from geo.intake.notice import ingest_notice, stored_reference
from geo.intake.notice_parcels import (
    NoticePlan,
    notice_plan,
    plan_title,
    region_columns,
    region_name,
)
from geo.intake.notice_table import parse_plan_table
from geo.intake.parcel_file import parse_parcel_collection
from geo.messages import message
from geo.models import Plan
from geo.notices.corrections import Correction, apply_corrections
from geo.notices.preview import NoticePreview, preview_notice
from geo.notices.readers.common import decode_text
from geo.stages.notices import NoticeStage, StageMoves, apply_notice_stage, notice_stage

NEAR_REGION_KM = 80.0
"""How far from the region's centre a reference feature may lie and still be this county's."""


@dataclass
class NoticeIngest:
    """What ingesting a notice did (or, in a dry run, would do)."""

    preview: NoticePreview
    plan: dict[str, Any]
    outcomes: list[DigitizeOutcome] = field(default_factory=list)
    load: LoadReport | None = None
    warnings: list[str] = field(default_factory=list)
    dry_run: bool = False
    stages: StageMoves | None = None
    """How the parcels' stages moved (None in a dry run, or for a notice proving no stage)."""

    @property
    def proven_stage(self) -> NoticeStage | None:
        """The stage the notice proves for its parcels, if its type proves one."""
        return notice_stage(self.preview.preamble, self.preview.document.source)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form: the review, the plan as it will be (or was) written, the outcome."""
        answer = self.preview.to_dict() | {"dry_run": self.dry_run, "proposed_plan": self.plan}
        answer["warnings"] = answer["warnings"] + self.warnings
        proven = self.proven_stage
        answer["stage"] = (
            self.stages.to_dict() if self.stages else proven.to_dict() if proven else None
        )
        if self.load is not None:
            answer["written"] = {
                "inserted": self.load.inserted,
                "updated": self.load.updated,
                "unchanged": self.load.unchanged,
                "not_located": sum(o.geometry_source == "none" for o in self.outcomes),
                "parcels": [
                    {"id": o.id, "geometry_source": o.geometry_source, "detail": o.detail}
                    for o in self.outcomes
                ],
            }
        return answer

    def summary(self) -> str:
        """Lines for people: the review in a dry run, what was written otherwise."""
        if self.dry_run:
            plan = ", ".join(f"{k}: {v}" for k, v in self.plan.items() if v is not None)
            lines = [self.preview.table(), message("intake.would_write_plan", plan=plan)]
            return "\n".join(
                lines
                + [message("intake.warning_line", warning=warning) for warning in self.warnings]
            )
        lines = [outcome.summary() for outcome in self.outcomes]
        if self.load is not None:
            lines.append(self.load.summary())
            unplaced = sum(outcome.geometry_source == "none" for outcome in self.outcomes)
            lines.append(message("intake.unplaced_summary", unplaced=unplaced))
        if self.stages is not None:
            lines.append(self.stages.summary())
        lines += [f"warning: {warning}" for warning in self.warnings]
        return "\n".join(lines)


def review_notice(
    data: bytes, filename: str, corrections: list[Correction], who: str
) -> NoticePreview:
    """The review of a notice file with the planner's corrections applied."""
    return apply_corrections(preview_notice(data, filename), corrections, who)


def notice_digest(data: bytes, corrections: list[Correction]) -> str:
    """Identifies a file and its corrections: the same again is the same document."""
    typed = json.dumps([c.__dict__ for c in corrections], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(data + b"\0" + typed.encode()).hexdigest()


def _jiaxing_layout(preview: NoticePreview, data: bytes) -> str | None:
    """The notice's text when it is laid out as Jiaxing's plan (a …征收计划表 annex)."""
    if preview.document.format != "text":
        return None
    notice_text, _ = decode_text(data)
    try:
        parse_plan_table(notice_text)
    except InvalidParcelData:
        return None
    return notice_text


def _existing_code(session: Session | None, title: str, code: str | None) -> str | None:
    """The code to write under: the given one, or the stored plan's of the same title."""
    if session is None:  # a review without a database: nothing stored to agree with
        return code
    stored = session.execute(select(Plan.code).where(Plan.title == title)).scalar_one_or_none()
    if code is not None and stored is not None and stored != code:
        raise InvalidInput(message("intake.title_stored_under_code", stored=stored, title=title))
    return code or stored


def _near_region(preview: NoticePreview, references: list[ReferenceRecord]):
    region = preview.region
    if region is None or region.longitude is None or region.latitude is None:
        return None
    km_per_degree_lon = 111.32 * cos(radians(region.latitude))

    def near(record: ReferenceRecord) -> bool:
        point = record.geometry.representative_point()
        dx = (point.x - region.longitude) * km_per_degree_lon
        dy = (point.y - region.latitude) * 110.57
        return dx * dx + dy * dy <= NEAR_REGION_KM**2

    return [record for record in references if near(record)]


def _digitize(
    session: Session, preview: NoticePreview, collection: dict[str, Any]
) -> list[DigitizeOutcome]:
    references = _near_region(preview, stored_reference(session))
    features = collection["features"]
    if references is None:
        reason = (
            "Not located: the notice's county or city was not recognised, so its 四至 were not "
            "matched against the reference layer (it may be another city's). Draw it or load "
            "a survey."
        )
    elif not references:
        reason = (
            f"Not located: the reference layer has no features near {region_name(preview.region)}, so "
            "the 四至 could not be matched. Load a reference layer for the county, or draw it."
        )
    else:
        outcomes = digitize_collection(collection, references)
        for feature in features:
            properties = feature["properties"]
            if feature["geometry"] is None:
                properties["geometry_source"] = "none"
                properties["geometry_note"] = properties["geometry_note"].strip()
        return outcomes
    for feature in features:
        properties = feature["properties"]
        properties["geometry_note"] = properties["geometry_note"] or reason
    return [
        DigitizeOutcome(f["properties"]["id"], "none", f["properties"]["geometry_note"])
        for f in features
    ]


def _absent_parcels(session: Session, code: str, ids: list[str]) -> list[str]:
    rows = session.execute(
        text(
            "SELECT p.id FROM parcels p JOIN plans pl ON pl.id = p.plan_id "
            "WHERE pl.code = :code AND NOT (p.id = ANY(:ids)) ORDER BY p.seq"
        ),
        {"code": code, "ids": ids},
    ).scalars()
    return list(rows)


def ingest_notice_file(
    session: Session | None,
    data: bytes,
    filename: str,
    *,
    code: str | None = None,
    corrections: list[Correction] | None = None,
    actor: str = "cli:ingest",
    dry_run: bool = False,
) -> NoticeIngest:
    """Review a notice and, unless ``dry_run``, write its plan and parcels (caller's transaction).

    A dry run may go without a database (``session`` None): it then cannot say whether the plan
    is already stored under another code.
    """
    corrections = corrections or []
    preview = review_notice(data, filename, corrections, actor)
    jiaxing_text = _jiaxing_layout(preview, data)
    if jiaxing_text is not None:
        if corrections:
            # That layout is read exactly as the shipped data was built; a correction would send
            # it down the general path and rewrite the shipped parcels from a looser reading.
            raise InvalidInput(message("intake.jiaxing_layout_no_corrections"))
        return _ingest_jiaxing(session, preview, jiaxing_text, filename, code, actor, dry_run)
    code = _existing_code(session, plan_title(preview, filename), code)
    planned: NoticePlan = notice_plan(preview, filename, code)
    plan = planned.collection["plan"]
    result = NoticeIngest(preview, plan | planned.plan_columns, warnings=list(planned.warnings))
    if dry_run or session is None:
        result.dry_run = True
        return result
    # A plan is upserted by its title: a changed title (a corrected notice) under the same code
    # renames the stored plan rather than starting a second one with the same code.
    session.execute(
        update(Plan)
        .where(Plan.code == plan["code"], Plan.title != plan["title"])
        .values(title=plan["title"])
    )
    result.outcomes = _digitize(session, preview, planned.collection)
    result.load = load_parcels(
        session, parse_parcel_collection(planned.collection), actor, filename
    )
    _record_plan(session, plan["code"], planned.plan_columns, preview, data, corrections)
    ids = [f["id"] for f in planned.collection["features"]]
    _move_stages(session, result, ids, actor)
    absent = _absent_parcels(session, plan["code"], ids)
    if absent:
        result.warnings.append(message("intake.parcels_absent", parcels=", ".join(absent)))
    return result


def _record_plan(
    session: Session,
    code: str,
    columns: dict[str, Any],
    preview: NoticePreview,
    data: bytes,
    corrections: list[Correction],
) -> None:
    review = preview.to_dict() | {"corrections": [c.__dict__ for c in corrections]}
    session.execute(
        update(Plan)
        .where(Plan.code == code)
        .values(**columns, notice_review=review, notice_sha256=notice_digest(data, corrections))
    )


def _ingest_jiaxing(session, preview, notice_text, filename, code, actor, dry_run) -> NoticeIngest:
    table = parse_plan_table(notice_text)
    columns = {
        "document_type": preview.preamble.document_type.value
        if preview.preamble.document_type
        else None,
        **region_columns(preview.region),
    }
    code = _existing_code(session, table.title, code)
    result = NoticeIngest(preview, {"title": table.title, "code": code} | columns)
    if dry_run or session is None:
        result.dry_run = True
        return result
    if code is None:
        raise InvalidInput(message("intake.code_needed"))
    report = ingest_notice(session, notice_text, code, filename, actor)
    result.outcomes, result.load = report.outcomes, report.load
    _record_plan(session, code, columns, preview, notice_text.encode(), [])
    _move_stages(session, result, [outcome.id for outcome in result.outcomes], actor)
    return result


def _move_stages(session: Session, result: NoticeIngest, ids: list[str], actor: str) -> None:
    proven = result.proven_stage
    if proven is not None:
        result.stages = apply_notice_stage(session, ids, proven, actor)
        result.warnings += result.stages.warnings
