"""The rules of a stage change, checked on every edit before anything is written.

An edit that touches a stage field (``STAGE_FIELDS``) is checked against the parcel as it is:

- a move to another stage carries its date (``stage_date``): the day of the document that moved
  the parcel, never invented here;
- a new stage starts afresh: the document, reason and agreements of the stage left behind are
  not carried into it (the timeline keeps them);
- 暂缓/撤销 (paused, withdrawn) need a reason, as the database's CHECK does, said in plain words
  before it would refuse;
- agreements are counted during 补偿安置 only, signed never more than the total;
- moving back on the main line is a correction, and taking a withdrawn parcel up again a
  reinstatement: both are allowed, with a reason saying why.

A 征收决定 without its 批复文号 is allowed (the number is often learnt later) and warned about.
"""

from collections.abc import Mapping
from datetime import date
from typing import Any

from geo.errors import InvalidInput
from geo.messages import message
from geo.stages import MAIN_LINE, NEEDS_REASON, STAGES, stage_name

STAGE_FIELDS = (
    "stage",
    "stage_date",
    "stage_document",
    "stage_reason",
    "agreements_signed",
    "agreements_total",
)
"""The parcel's fields that describe its stage; an edit of any of them is a stage edit."""
DETAILS = STAGE_FIELDS[2:]
"""What belongs to one stage only and is cleared when the parcel moves to another."""
FIRST_STAGE = STAGES[0]
COUNTED_STAGE = "compensation"
"""The stage during which agreements are signed and counted."""
DECISION = "decision"
WITHDRAWN = "withdrawn"


def iso_date(value: Any, name: str) -> date:
    """A date written YYYY-MM-DD, or InvalidInput in plain words.

    >>> iso_date("2022-05-14", "stage_date")
    datetime.date(2022, 5, 14)
    """
    if isinstance(value, date):
        return value
    if isinstance(value, str) and len(value.strip()) == 10:
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise InvalidInput(message("stages.invalid_date", field=name, value=repr(value)))


def _blank_to_none(value: Any) -> Any:
    return None if isinstance(value, str) and not value.strip() else value


def is_backward(before: str, after: str) -> bool:
    """Whether a move goes back along the main line (a correction).

    >>> is_backward("decision", "pre_notice"), is_backward("planned", "decision")
    (True, False)
    """
    return (
        before in MAIN_LINE
        and after in MAIN_LINE
        and MAIN_LINE.index(after) < (MAIN_LINE.index(before))
    )


def check_stage_state(state: Mapping[str, Any]) -> None:
    """Refuse a stage record that cannot stand: a missing reason, impossible agreements."""
    stage = state["stage"]
    if stage in NEEDS_REASON and not state.get("stage_reason"):
        raise InvalidInput(message("stages.reason_required", stage=stage_name(stage)))
    signed, total = state.get("agreements_signed"), state.get("agreements_total")
    if (signed is not None or total is not None) and stage != COUNTED_STAGE:
        raise InvalidInput(
            message(
                "stages.agreements_only_in_compensation",
                stage=stage_name(stage),
                counted=stage_name(COUNTED_STAGE),
            )
        )
    if total is not None and total < 1:
        raise InvalidInput(message("stages.agreements_total_positive"))
    if signed is not None and total is not None and signed > total:
        raise InvalidInput(message("stages.agreements_exceed", signed=signed, total=total))


def check_move(before: str, after: str, reason: str | None) -> None:
    """Refuse a move back, or out of 撤销, that does not say why."""
    if reason:
        return
    if is_backward(before, after):
        raise InvalidInput(
            message(
                "stages.backward_needs_reason", before=stage_name(before), after=stage_name(after)
            )
        )
    if before == WITHDRAWN and after != WITHDRAWN:
        raise InvalidInput(message("stages.reinstate_needs_reason", after=stage_name(after)))


def checked_stage_change(
    current: Mapping[str, Any], changes: dict[str, Any], dated: bool = True
) -> dict[str, Any]:
    """The changes of an edit with the stage rules applied, or InvalidInput saying which failed.

    Args:
        current: The parcel's properties as they are (a served Feature's).
        changes: The edit's checked values by field name (dates as ``date``).
        dated: Whether a move to another stage must give its date (False only for a notice
            that proves the stage without stating when it was published).

    Returns:
        The changes to write: unchanged when no stage field is touched; on a move to another
        stage, the details of the stage left behind cleared unless given anew.
    """
    if not any(name in changes for name in STAGE_FIELDS):
        return changes
    changes = {
        name: _blank_to_none(value) if name in STAGE_FIELDS else value
        for name, value in changes.items()
    }
    before = current.get("stage") or FIRST_STAGE
    after = changes.get("stage", before)
    if after != before:
        if dated and changes.get("stage_date") is None:
            raise InvalidInput(message("stages.date_required", stage=stage_name(after)))
        for name in DETAILS:
            changes.setdefault(name, None)
    state = {name: changes.get(name, current.get(name)) for name in STAGE_FIELDS}
    state["stage"] = after
    check_stage_state(state)
    if after != before:
        check_move(before, after, state["stage_reason"])
    return changes


def stage_warnings(properties: Mapping[str, Any]) -> list[str]:
    """What a parcel's stage record lacks that it should have: a decision's 批复文号."""
    stage = properties.get("stage")
    if stage == DECISION and not properties.get("approval_reference"):
        return [message("stages.decision_without_approval", stage=stage_name(stage))]
    return []
