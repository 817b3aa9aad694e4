"""A plan's parcels counted and summed by block, company, public-interest type and stage.

What a planning office reports on a plan: how many parcels and how many 亩 (declared, and
measured on the map) per block (所属板块), implementing company (实施单位), public-interest type
(公共利益类型) and stage, with the area check's verdicts and how many parcels are located. PostGIS
computes every figure in one GROUPING SETS statement; Python only orders the groups and names
them in the reader's language.

A parcel whose notice does not state a field (NULL or blank) is counted in a group of its own,
labelled "not stated", never dropped: each grouping's rows add up to the plan's total. The
stage, area-check and location groupings list every value of their vocabulary in order, with
zero rows, so that a report always has the same rows.
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from geo.area import MU_M2
from geo.checks.area import DEFAULT_TOLERANCE_PCT, PARCEL_STATUSES, area_status_sql
from geo.errors import InvalidInput
from geo.messages import message
from geo.models import STAGES
from geo.plans.reads import no_such_plan

LOCATIONS = ("located", "not_located")
"""Whether a parcel has a shape on the map (not_located: 待落图)."""


@dataclass(frozen=True)
class Grouping:
    """One way of grouping a plan's parcels."""

    key: str
    """The parcel column (or derived value) grouped on; also the group's key in the answer."""
    vocabulary: tuple[str, ...] | None = None
    """Every value, in order, for a grouping by code (its rows are always all there); None for
    a grouping by the notice's own words, ordered by first appearance in the notice."""

    def label(self) -> str:
        """The grouping's name for people."""
        return message(f"summary.group_{self.key}")

    def value_label(self, value: str | None) -> str:
        """A group's name for people: a code's name, a notice's words as printed."""
        if value is None:
            return message("summary.not_stated")
        if self.key == "stage":
            return message(f"stage_names.{value}")
        if self.vocabulary is not None:
            return message(f"summary.{self.key}_{value}")
        return value


GROUPINGS = (
    Grouping("block"),
    Grouping("implementing_unit"),
    Grouping("interest_type"),
    Grouping("stage", STAGES),
    Grouping("area_check", PARCEL_STATUSES),
    Grouping("location", LOCATIONS),
)
"""The groupings of a summary, in the order it lists them."""

FIGURES = (
    "parcels",
    "located",
    "not_located",
    "declared_mu",
    "declared_unstated",
    "measured_mu",
)
"""Each group's figures, in order: counts, then declared 亩 (the stated ones summed, with how
many state none), then measured 亩 (the located ones summed)."""


def _stated(column: str) -> str:
    # A blank cell states nothing either; any other text is kept exactly as printed.
    return f"CASE WHEN btrim(p.{column}) <> '' THEN p.{column} END"


_DIMENSIONS = tuple(grouping.key for grouping in GROUPINGS)

# Per grouping set, GROUPING(column) = 0 for the column grouped on; the empty set is the total.
_GROUPING_NAME = "CASE {cases} ELSE 'total' END".format(
    cases=" ".join(f"WHEN GROUPING({d}) = 0 THEN '{d}'" for d in _DIMENSIONS)
)
_GROUPING_VALUE = "CASE {cases} END".format(
    cases=" ".join(f"WHEN GROUPING({d}) = 0 THEN {d}" for d in _DIMENSIONS)
)

PLAN_SQL = text("SELECT id, code, title, year, published_total_mu FROM plans WHERE code = :code")
SUMMARY_SQL = text(f"""
    WITH rated AS (
        SELECT p.seq, p.declared_area_mu, p.measured_area_m2,
               {_stated("block")} AS block,
               {_stated("implementing_unit")} AS implementing_unit,
               {_stated("interest_type")} AS interest_type,
               p.stage,
               {area_status_sql("p.declared_area_mu", "p.measured_area_m2")} AS area_check,
               CASE WHEN p.geom IS NULL THEN 'not_located' ELSE 'located' END AS location
        FROM parcels p
        WHERE p.plan_id = :plan_id
    )
    SELECT * FROM (
        SELECT {_GROUPING_NAME} AS grouping,
               {_GROUPING_VALUE} AS value,
               count(*) AS parcels,
               count(*) FILTER (WHERE location = 'located') AS located,
               count(*) FILTER (WHERE location = 'not_located') AS not_located,
               sum(declared_area_mu) AS declared_mu,
               count(*) FILTER (WHERE declared_area_mu IS NULL) AS declared_unstated,
               round((sum(measured_area_m2) / {MU_M2!r})::numeric, 2) AS measured_mu,
               min(seq) AS first_seq
        FROM rated
        GROUP BY GROUPING SETS ({", ".join(f"({d})" for d in _DIMENSIONS)}, ())
    ) AS groups
    ORDER BY grouping, value IS NULL, first_seq""")


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _row(grouping: Grouping | None, value: str | None, figures: Any | None) -> dict[str, Any]:
    """One group's row: its value and name, and its figures (zeros for an empty group)."""
    label = message("summary.total") if grouping is None else grouping.value_label(value)
    if figures is None:
        counts = dict.fromkeys(FIGURES, 0) | {"declared_mu": None, "measured_mu": None}
    else:
        counts = {
            "parcels": figures.parcels,
            "located": figures.located,
            "not_located": figures.not_located,
            "declared_mu": _number(figures.declared_mu),
            "declared_unstated": figures.declared_unstated,
            "measured_mu": _number(figures.measured_mu),
        }
    return {"value": value, "label": label} | counts


def _group(grouping: Grouping, rows: list[Any]) -> dict[str, Any]:
    if grouping.vocabulary is None:  # already in order of first appearance, not stated last
        listed = [_row(grouping, row.value, row) for row in rows]
    else:
        found = {row.value: row for row in rows}
        listed = [_row(grouping, value, found.get(value)) for value in grouping.vocabulary]
    return {"key": grouping.key, "label": grouping.label(), "rows": listed}


def plan_summary(
    session: Session, code: str, tolerance_pct: float = DEFAULT_TOLERANCE_PCT
) -> dict[str, Any]:
    """The summary of the plan with this code, labelled in the current language.

    ``tolerance_pct`` is the area check's (the same rule as ``zhengshou check``). Raises
    PlanNotFound for an unknown code.
    """
    if not 0 <= tolerance_pct <= 100:
        raise InvalidInput(message("summary.bad_tolerance", value=tolerance_pct))
    plan = session.execute(PLAN_SQL, {"code": code}).one_or_none()
    if plan is None:
        raise no_such_plan(code)
    rows = session.execute(SUMMARY_SQL, {"plan_id": plan.id, "tolerance_pct": tolerance_pct}).all()
    by_grouping: dict[str, list[Any]] = {}
    for row in rows:  # one row per group: a few dozen, whatever the number of parcels
        by_grouping.setdefault(row.grouping, []).append(row)
    (total,) = by_grouping["total"]
    groups = [_group(g, by_grouping.get(g.key, [])) for g in GROUPINGS]
    area_check = next(group for group in groups if group["key"] == "area_check")
    return {
        "plan": {
            "code": plan.code,
            "title": plan.title,
            "year": plan.year,
            "published_total_mu": _number(plan.published_total_mu),
        },
        "tolerance_pct": tolerance_pct,
        "totals": _row(None, None, total),
        "area_check": {row["value"]: row["parcels"] for row in area_check["rows"]},
        "groups": groups,
    }
