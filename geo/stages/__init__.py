"""Where a parcel stands in the expropriation process: the stages, their order and their rules.

Owns the stage vocabulary (``geo.models.STAGES``), what each stage needs (a reason for 暂缓/撤销,
agreements for 补偿安置), changing a parcel's stage through the one write path, the stage a later
notice proves, and a parcel's timeline read from its history. The stages' names a person reads
are in the message catalogues (``stage_names.<code>``).
"""

from geo.models import STAGES

MAIN_LINE = STAGES[:6]
"""The stages every parcel goes through, in order: 列入计划 … 交地."""
OFF_LINE = STAGES[6:]
"""暂缓 and 撤销: a parcel leaves the main line, for a stated reason."""
NEEDS_REASON = frozenset(OFF_LINE)

__all__ = ["MAIN_LINE", "NEEDS_REASON", "OFF_LINE", "STAGES"]
