"""The stage a published notice proves, and moving a plan's parcels to it on ingest.

A notice's type (``geo.notices.preamble.document_type``) says how far the parcels it lists have
come: a 征收计划 lists them in the plan (列入计划); a 预公告 or 征收启动公告 starts the process
(``pre_notice``); a 征收决定, a 方案公告, a 补偿安置方案 or the 征收土地公告 published after the
approval is the decision (``decision``, with the notice's 批复文号 where it states one).

A notice only moves parcels forward on the main line: it never takes a parcel back (an earlier
notice ingested late), nor out of 暂缓/撤销, which people decide. The stage's date is the notice's
publication date (null, with a warning, when the notice states none) and its document the
notice's title and number. Each move is an edit through the one write path, with its history row.
"""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from geo.messages import message
from geo.notices.preamble import Preamble
from geo.parcels.editing import update_parcel
from geo.parcels.history import snapshots
from geo.stages import MAIN_LINE, OFF_LINE, stage_name

NOTICE_STAGES = {
    "征收计划": "planned",
    "预公告": "pre_notice",
    "启动公告": "pre_notice",
    "方案公告": "decision",
    "补偿安置方案": "decision",
    "征收决定": "decision",
    "征收公告": "decision",
}
"""The stage each kind of notice (``geo.notices.preamble.DOCUMENT_TYPES``) proves."""
DECISION = "decision"
DECISION_NUMBERED = "征收决定"
"""A decision whose own document number is its 批复文号 when it cites no approval."""


@dataclass(frozen=True)
class NoticeStage:
    """The stage a notice proves for the parcels it lists, with its evidence."""

    stage: str
    date: date | None
    document: str
    approval_reference: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "stage": self.stage,
            "label": stage_name(self.stage),
            "date": self.date.isoformat() if self.date else None,
            "document": self.document,
            "approval_reference": self.approval_reference,
        }


def notice_stage(preamble: Preamble, source: str) -> NoticeStage | None:
    """The stage a notice proves, or None when its type proves none (or is not known)."""
    kind = preamble.document_type.value if preamble.document_type else None
    stage = NOTICE_STAGES.get(kind or "")
    if stage is None:
        return None
    title = preamble.title.value if preamble.title else source
    number = preamble.document_number.value if preamble.document_number else None
    document = f"{title}（{number}）" if number and number not in title else title
    approval = None
    if stage == DECISION:
        if preamble.approval_number is not None:
            approval = preamble.approval_number.value
        elif kind == DECISION_NUMBERED:
            approval = number
    published = date.fromisoformat(preamble.published_on.value) if preamble.published_on else None
    return NoticeStage(stage, published, document, approval)


@dataclass
class StageMoves:
    """What a notice did to its parcels' stages."""

    proven: NoticeStage
    moved: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    """Already at the stage or past it (or off the main line): left as they are."""
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return self.proven.to_dict() | {"moved": self.moved, "kept": self.kept}

    def summary(self) -> str:
        """One line for people."""
        return message(
            "stages.notice_summary",
            stage=stage_name(self.proven.stage),
            moved=len(self.moved),
            kept=len(self.kept),
        )


def _is_ahead(proven: str, current: str) -> bool:
    return current in MAIN_LINE and MAIN_LINE.index(proven) > MAIN_LINE.index(current)


def apply_notice_stage(
    session: Session, parcel_ids: list[str], proven: NoticeStage, actor: str
) -> StageMoves:
    """Move the notice's parcels forward to the stage it proves (caller's transaction)."""
    moves = StageMoves(proven)
    current = snapshots(session, parcel_ids)
    off_line = []
    reason = message("stages.notice_reason", document=proven.document)
    for parcel_id in parcel_ids:
        feature = current.get(parcel_id)
        if feature is None:
            continue
        properties = feature["properties"]
        stage = properties.get("stage")
        if not _is_ahead(proven.stage, stage):
            moves.kept.append(parcel_id)
            if stage in OFF_LINE:
                off_line.append(parcel_id)
            continue
        changed: dict[str, Any] = {
            "stage": proven.stage,
            "stage_date": proven.date.isoformat() if proven.date else None,
            "stage_document": proven.document,
        }
        stored_approval = properties.get("approval_reference")
        if proven.approval_reference and not stored_approval:
            changed["approval_reference"] = proven.approval_reference
        elif proven.approval_reference and stored_approval != proven.approval_reference:
            moves.warnings.append(
                message(
                    "stages.notice_approval_differs",
                    id=parcel_id,
                    stored=stored_approval,
                    given=proven.approval_reference,
                )
            )
        update_parcel(
            session,
            parcel_id,
            {"properties": changed, "reason": reason},
            properties["version"],
            actor,
            undated_stage=True,
        )
        moves.moved.append(parcel_id)
    if moves.moved and proven.date is None:
        moves.warnings.append(message("stages.notice_no_date", stage=stage_name(proven.stage)))
    if off_line:
        moves.warnings.append(message("stages.notice_off_line", ids=", ".join(off_line)))
    return moves
