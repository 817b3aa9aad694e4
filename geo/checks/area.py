"""Area check: each parcel's measured area against its declared mu, and plan totals."""

from collections import Counter
from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from geo.area import MU_M2, m2_to_mu
from geo.errors import InvalidInput
from geo.messages import message

NOT_LOCATED = "not_located"
"""The status of a parcel without a shape: listed, its declared area counted, nothing measured."""
NOT_DECLARED = "not_declared"
"""The status of a parcel whose notice states no area: measured if it has a shape, not compared."""
PARCEL_STATUSES = ("ok", "fail", NOT_DECLARED, NOT_LOCATED)
"""Every status a parcel's area check can have."""
DEFAULT_TOLERANCE_PCT = 5.0
"""Allowed difference between measured and declared area: usual for map-digitized parcels."""


@dataclass(frozen=True)
class ParcelAreaCheck:
    """One parcel's declared and measured area."""

    id: str
    seq: int
    name: str
    geometry_source: str
    declared_area_mu: float | None
    """None when the notice states no area for the parcel."""
    measured_area_mu: float | None
    """None for a parcel not yet located (no shape, so nothing measured)."""
    difference_mu: float | None
    difference_pct: float | None
    status: str
    """ok, fail, not_located, or not_declared."""

    def summary(self) -> str:
        """One line for people."""
        declared = "-" if self.declared_area_mu is None else f"{self.declared_area_mu:.2f}"
        if self.measured_area_mu is None or self.difference_pct is None:
            measured = "-" if self.measured_area_mu is None else f"{self.measured_area_mu:.2f}"
            return (
                f"{self.id:<12} {declared:>9} {measured:>9} {'-':>9}  "
                f"{self.status:<4} {self.geometry_source:<9} {self.name}"
            )
        return (
            f"{self.id:<12} {declared:>9} {self.measured_area_mu:>9.2f} "
            f"{self.difference_pct:>+8.2f}%  {self.status:<4} {self.geometry_source:<9} {self.name}"
        )


@dataclass(frozen=True)
class PlanTotalCheck:
    """A plan's declared areas summed, against the total it publishes."""

    plan: str
    parcels: int
    declared_sum_mu: float
    published_total_mu: float | None
    difference_mu: float | None
    status: str
    not_located: int = 0
    """How many of the parcels counted have no shape yet (their declared areas are summed)."""
    not_declared: int = 0
    """How many parcels have no declared area: the sum leaves them out, so it cannot fail."""

    def summary(self) -> str:
        """One line for people."""
        published = (
            message("checks.total_not_published")
            if self.published_total_mu is None
            else f"{self.published_total_mu:.2f}"
        )
        located = (
            message("checks.total_not_located", count=self.not_located) if self.not_located else ""
        )
        if self.not_declared:
            located += message("checks.total_not_declared", count=self.not_declared)
        return message(
            "checks.total_line",
            plan=self.plan,
            parcels=self.parcels,
            located=located,
            declared_sum=self.declared_sum_mu,
            published=published,
            status=self.status,
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form; ``not_located`` and ``not_declared`` only when not zero."""
        answer = asdict(self)
        for count in ("not_located", "not_declared"):
            if not answer[count]:
                del answer[count]
        return answer


@dataclass(frozen=True)
class AreaReport:
    """The area check over every stored parcel."""

    tolerance_pct: float
    parcels: list[ParcelAreaCheck]
    plans: list[PlanTotalCheck]

    @property
    def ok(self) -> bool:
        """Whether no parcel and no plan total failed (an unpublished total cannot fail)."""
        return all(item.status != "fail" for item in (*self.parcels, *self.plans))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "method": message("checks.area_method"),
            "tolerance_pct": self.tolerance_pct,
            "status": "ok" if self.ok else "fail",
            "parcels": [asdict(item) for item in self.parcels],
            "plans": [item.to_dict() for item in self.plans],
        }


def check_parcel_area(row: Any, tolerance_pct: float) -> ParcelAreaCheck:
    """Compare one parcel row (declared mu, measured m²) within a tolerance in percent."""
    declared = None if row.declared_area_mu is None else float(row.declared_area_mu)
    if row.measured_area_m2 is None:  # no shape yet: the declared area stands unchecked
        status = NOT_LOCATED if declared is not None else NOT_DECLARED
        return ParcelAreaCheck(
            row.id, row.seq, row.name, row.geometry_source, declared, None, None, None, status
        )
    measured = m2_to_mu(row.measured_area_m2)
    if declared is None:  # nothing to compare the measurement with
        return ParcelAreaCheck(
            row.id,
            row.seq,
            row.name,
            row.geometry_source,
            None,
            round(measured, 2),
            None,
            None,
            NOT_DECLARED,
        )
    difference_pct = (measured - declared) / declared * 100
    return ParcelAreaCheck(
        id=row.id,
        seq=row.seq,
        name=row.name,
        geometry_source=row.geometry_source,
        declared_area_mu=declared,
        measured_area_mu=round(measured, 2),
        difference_mu=round(measured - declared, 2),
        difference_pct=round(difference_pct, 2),
        status="ok" if abs(difference_pct) <= tolerance_pct else "fail",
    )


def area_status_sql(declared_mu: str, measured_m2: str) -> str:
    """The SQL twin of :func:`check_parcel_area`'s status, to count statuses in PostGIS.

    ``declared_mu`` and ``measured_m2`` are SQL expressions for a parcel's declared 亩 and
    measured m²; the statement binds ``:tolerance_pct``. The arithmetic is the Python one, in
    double precision and in the same order, so that both judge a parcel at the edge of the
    tolerance alike.
    """
    difference_pct = (
        f"({measured_m2} / {MU_M2!r}::float8 - {declared_mu}::float8) / {declared_mu}::float8 * 100"
    )
    return (
        f"CASE WHEN {declared_mu} IS NULL THEN '{NOT_DECLARED}' "
        f"WHEN {measured_m2} IS NULL THEN '{NOT_LOCATED}' "
        f"WHEN abs({difference_pct}) <= :tolerance_pct THEN 'ok' ELSE 'fail' END"
    )


def check_plan_total(
    title: str, declared: list[Decimal | None], published: Decimal | None, not_located: int = 0
) -> PlanTotalCheck:
    """Sum declared areas exactly (they are decimals) and compare with the published total.

    A parcel without a declared area leaves the sum incomplete: the comparison is then
    ``unknown``, never ``fail``.
    """
    stated = [area for area in declared if area is not None]
    total = sum(stated, Decimal(0))
    difference = None if published is None else float(total - published)
    complete = len(stated) == len(declared)
    status = (
        "unknown" if published is None or not complete else ("ok" if total == published else "fail")
    )
    return PlanTotalCheck(
        plan=title,
        parcels=len(declared),
        declared_sum_mu=float(total),
        published_total_mu=None if published is None else float(published),
        difference_mu=difference,
        status=status,
        not_located=not_located,
        not_declared=len(declared) - len(stated),
    )


def check_areas(session: Session, tolerance_pct: float = DEFAULT_TOLERANCE_PCT) -> AreaReport:
    """Run the area check on every stored parcel."""
    if not 0 <= tolerance_pct <= 100:
        raise InvalidInput(message("checks.tolerance_range", tolerance_pct=tolerance_pct))
    rows = session.execute(
        text("""
        SELECT p.id, p.seq, p.name, p.geometry_source, p.declared_area_mu, p.measured_area_m2,
               pl.title AS plan_title, pl.published_total_mu
        FROM parcels p JOIN plans pl ON pl.id = p.plan_id
        ORDER BY pl.year, pl.id, p.seq""")
    ).all()
    parcels = [check_parcel_area(row, tolerance_pct) for row in rows]
    by_plan: dict[str, tuple[list[Decimal | None], Decimal | None]] = {}
    for row in rows:
        by_plan.setdefault(row.plan_title, ([], row.published_total_mu))[0].append(
            row.declared_area_mu
        )
    unlocated = Counter(row.plan_title for row in rows if row.measured_area_m2 is None)
    plans = [
        check_plan_total(title, areas, total, unlocated[title])
        for title, (areas, total) in by_plan.items()
    ]
    return AreaReport(tolerance_pct, parcels, plans)


def check_one_area(
    session: Session, parcel_id: str, tolerance_pct: float = DEFAULT_TOLERANCE_PCT
) -> ParcelAreaCheck | None:
    """One parcel's row of ``check_areas`` (the same judgement), without reading every parcel."""
    if not 0 <= tolerance_pct <= 100:
        raise InvalidInput(message("checks.tolerance_range", tolerance_pct=tolerance_pct))
    row = session.execute(
        text(
            "SELECT id, seq, name, geometry_source, declared_area_mu, measured_area_m2 "
            "FROM parcels WHERE id = :id"
        ),
        {"id": parcel_id},
    ).one_or_none()
    return None if row is None else check_parcel_area(row, tolerance_pct)
