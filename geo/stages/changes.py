"""Changing where a parcel stands: one parcel, or many of a plan at once, by the one write path.

A stage change states the whole stage record: the stage, its date, the document behind it, the
reason (for 暂缓/撤销 and corrections), the agreements (补偿安置) and, for a 征收决定, its 批复文号.
It is an edit like any other (``geo.parcels.editing.update_parcel``: the version checked, the rules
of ``geo.stages.rules`` applied, a history row written), so the API's
``POST /parcels/{id}/stage``, ``POST /plans/{code}/stage``, ``zhengshou stage`` and a later notice
all leave the same trace. A change that would leave the record as it is writes nothing.
"""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from geo.errors import InvalidInput
from geo.messages import message
from geo.models import Parcel, Plan
from geo.parcels.editing import MAX_TEXT_CHARS, update_parcel
from geo.parcels.history import snapshots
from geo.parcels.preconditions import ExpectedVersions, admits
from geo.plans.reads import require_plan
from geo.stages import STAGES, check_stage, stage_name
from geo.stages.rules import STAGE_FIELDS, iso_date, stage_warnings

TEXTS = ("document", "reason", "approval_reference")
WHOLES = ("agreements_signed", "agreements_total")
MEMBERS = ("stage", "date", *TEXTS, *WHOLES)


@dataclass(frozen=True)
class StageChange:
    """A parcel's new stage record, as a planner states it."""

    stage: str
    date: date
    document: str | None = None
    reason: str | None = None
    agreements_signed: int | None = None
    agreements_total: int | None = None
    approval_reference: str | None = None
    """The 批复文号; None leaves the parcel's as it is."""

    @classmethod
    def from_json(cls, body: Any, members: tuple[str, ...] = MEMBERS) -> "StageChange":
        """Read a stage change from JSON; InvalidInput names what is wrong.

        The members: ``stage``, ``date`` (both required), ``document``, ``reason``,
        ``agreements_signed``, ``agreements_total``, ``approval_reference``.
        """
        if not isinstance(body, dict):
            raise InvalidInput(message("stages.body_invalid"))
        unknown = sorted(set(body) - set(members))
        if unknown:
            raise InvalidInput(
                message(
                    "stages.unknown_members", names=", ".join(unknown), known=", ".join(members)
                )
            )
        if "date" not in body or body["date"] is None:
            raise InvalidInput(message("stages.date_required", stage=_stage_label(body)))
        values: dict[str, Any] = {
            "stage": check_stage(body.get("stage")),
            "date": iso_date(body["date"], "date"),
        }
        for name in TEXTS:
            value = body.get(name)
            if value is not None and not isinstance(value, str):
                raise InvalidInput(message("stages.not_text", field=name))
            if isinstance(value, str) and len(value) > MAX_TEXT_CHARS:
                raise InvalidInput(message("stages.too_long", field=name, limit=MAX_TEXT_CHARS))
            values[name] = value.strip() if value and value.strip() else None
        for name in WHOLES:
            value = body.get(name)
            if value is not None and (
                isinstance(value, bool) or not isinstance(value, int) or value < 0
            ):
                raise InvalidInput(message("stages.not_whole", field=name))
            values[name] = value
        return cls(**values)

    def properties(self) -> dict[str, Any]:
        """The parcel properties this change sets."""
        changed = {
            "stage": self.stage,
            "stage_date": self.date.isoformat(),
            "stage_document": self.document,
            "stage_reason": self.reason,
            "agreements_signed": self.agreements_signed,
            "agreements_total": self.agreements_total,
        }
        if self.approval_reference is not None:
            changed["approval_reference"] = self.approval_reference
        return changed

    def history_reason(self) -> str:
        """Why, for the history row: the planner's reason, else the stage, date and document."""
        if self.reason:
            return self.reason
        key = "stages.change_reason_document" if self.document else "stages.change_reason"
        return message(
            key, stage=stage_name(self.stage), date=self.date.isoformat(), document=self.document
        )


def _stage_label(body: dict[str, Any]) -> str:
    stage = body.get("stage")
    return stage_name(stage) if stage in STAGES else str(stage)


@dataclass
class StageResult:
    """What a stage change did: the parcel after it, whether anything changed, the warnings."""

    feature: dict[str, Any]
    changed: bool
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"feature": self.feature, "changed": self.changed, "warnings": self.warnings}


def _same(current: dict[str, Any], wanted: dict[str, Any]) -> bool:
    return all(current.get(name) == value for name, value in wanted.items())


def change_stage(
    session: Session,
    parcel_id: str,
    change: StageChange,
    expected_version: ExpectedVersions | int | None,
    actor: str,
) -> StageResult:
    """Move one parcel to a stage (or restate its record) in the caller's transaction."""
    current = snapshots(session, [parcel_id]).get(parcel_id)
    if current is not None:
        properties = current["properties"]
        if admits(expected_version, properties["version"]) and _same(
            properties, change.properties()
        ):
            return StageResult(current, False, stage_warnings(properties))
    # A parcel that is not there (unknown, retired) is refused by the write, as for any edit.
    body = {"properties": change.properties(), "reason": change.history_reason()}
    feature = update_parcel(session, parcel_id, body, expected_version, actor)
    return StageResult(feature, True, stage_warnings(feature["properties"]))


@dataclass
class PlanStageResult:
    """What moving a plan's parcels did: the parcels changed and those already so."""

    plan: str
    changed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return dict(self.__dict__)


def change_plan_stage(
    session: Session,
    plan_code: str,
    change: StageChange,
    actor: str,
    parcel_ids: list[str] | None = None,
) -> PlanStageResult:
    """Move a plan's parcels (all, or those named) to a stage in one transaction.

    Every parcel is checked by the same rules as one edit; the first refusal refuses the whole
    change, naming the parcel: the parcels moved before it are taken back.
    """
    require_plan(session, plan_code)
    query = (
        select(Parcel.id, Parcel.version)
        .join(Plan, Plan.id == Parcel.plan_id)
        .where(Plan.code == plan_code)
        .order_by(Parcel.seq)
    )
    versions: dict[str, int] = {row.id: row.version for row in session.execute(query)}
    wanted = list(dict.fromkeys(parcel_ids)) if parcel_ids is not None else list(versions)
    strangers = [parcel_id for parcel_id in wanted if parcel_id not in versions]
    if strangers:
        raise InvalidInput(message("stages.not_in_plan", ids=", ".join(strangers), plan=plan_code))
    result = PlanStageResult(plan_code)
    # A savepoint: a refusal half-way takes back the parcels already moved, whatever the caller
    # does with its transaction afterwards.
    with session.begin_nested():
        for parcel_id in wanted:
            try:
                moved = change_stage(session, parcel_id, change, versions[parcel_id], actor)
            except InvalidInput as refused:
                raise InvalidInput(
                    message("stages.plan_refused", id=parcel_id, reason=str(refused))
                ) from None
            (result.changed if moved.changed else result.unchanged).append(parcel_id)
            result.warnings += [f"{parcel_id}: {warning}" for warning in moved.warnings]
    return result


__all__ = [
    "STAGE_FIELDS",
    "PlanStageResult",
    "StageChange",
    "StageResult",
    "change_plan_stage",
    "change_stage",
]
