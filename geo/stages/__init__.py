"""Where a parcel stands in the expropriation process: the stages, their order and their rules.

Owns the stage vocabulary (``geo.models.STAGES``), what each stage needs (a reason for 暂缓/撤销,
agreements for 补偿安置; ``rules``), changing a parcel's stage through the one write path
(``changes``), the stage a later notice proves (``notices``), and a parcel's timeline read from
its history (``timeline``). The stages' names a person reads are in the message catalogues
(``stage_names.<code>``).
"""

from geo.errors import InvalidInput
from geo.messages import message
from geo.models import STAGES

MAIN_LINE = STAGES[:6]
"""The stages every parcel goes through, in order: 列入计划 … 交地."""
OFF_LINE = STAGES[6:]
"""暂缓 and 撤销: a parcel leaves the main line, for a stated reason."""
NEEDS_REASON = frozenset(OFF_LINE)


def stage_name(stage: str) -> str:
    """The stage's name in the current language (列入计划, planned …)."""
    return message(f"stage_names.{stage}")


def parse_stages(value: str) -> tuple[str, ...]:
    """Stage codes from a comma list (``decision,compensation``), each checked.

    >>> parse_stages("decision, compensation")
    ('decision', 'compensation')
    """
    stages = tuple(part.strip() for part in value.split(",") if part.strip())
    for stage in stages:
        check_stage(stage)
    return stages


def check_stage(stage: object) -> str:
    """A stage code, or InvalidInput naming the codes there are."""
    if stage not in STAGES:
        raise InvalidInput(
            message("stages.unknown_stage", value=repr(stage), stages=", ".join(STAGES))
        )
    return stage  # type: ignore[return-value]


__all__ = [
    "MAIN_LINE",
    "NEEDS_REASON",
    "OFF_LINE",
    "STAGES",
    "check_stage",
    "parse_stages",
    "stage_name",
]
