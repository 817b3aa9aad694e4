"""A plan's summary worked out independently: the stored parcels read one by one with plain SQL
and grouped in Python, each parcel's area verdict from the Python area check (check_areas)."""

from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import text
from sqlalchemy.orm import Session

from geo.checks.area import check_areas
from tests.support.independent import MU_M2

PARCELS_SQL = text("""
    SELECT p.id, p.seq, p.block, p.implementing_unit, p.interest_type, p.stage,
           p.declared_area_mu, p.measured_area_m2, p.geom IS NOT NULL AS located
    FROM parcels p JOIN plans pl ON pl.id = p.plan_id
    WHERE pl.code = :code ORDER BY p.seq""")


@dataclass
class Figures:
    parcels: int = 0
    located: int = 0
    declared: list[Decimal] = field(default_factory=list)
    declared_unstated: int = 0
    measured_m2: list[float] = field(default_factory=list)

    def add(self, parcel) -> None:
        self.parcels += 1
        self.located += parcel.located
        if parcel.declared_area_mu is None:
            self.declared_unstated += 1
        else:
            self.declared.append(parcel.declared_area_mu)
        if parcel.measured_area_m2 is not None:
            self.measured_m2.append(parcel.measured_area_m2)

    @property
    def declared_mu(self) -> Decimal | None:
        return sum(self.declared, Decimal(0)) if self.declared else None

    @property
    def measured_mu(self) -> float | None:
        return sum(self.measured_m2) / MU_M2 if self.measured_m2 else None


def stated(value: str | None) -> str | None:
    """What the notice states: nothing for NULL or a blank cell."""
    return value if value is not None and value.strip() else None


def stored_parcels(session: Session, code: str) -> list:
    return session.execute(PARCELS_SQL, {"code": code}).all()


def independent_groups(session: Session, code: str) -> dict[str, dict[str | None, Figures]]:
    """Every grouping's figures by value, in order of first appearance (dicts keep it)."""
    statuses = {check.id: check.status for check in check_areas(session).parcels}
    groups: dict[str, dict[str | None, Figures]] = {
        key: {}
        for key in (
            "block",
            "implementing_unit",
            "interest_type",
            "stage",
            "area_check",
            "location",
            "total",
        )
    }
    for parcel in stored_parcels(session, code):
        values = {
            "block": stated(parcel.block),
            "implementing_unit": stated(parcel.implementing_unit),
            "interest_type": stated(parcel.interest_type),
            "stage": parcel.stage,
            "area_check": statuses[parcel.id],
            "location": "located" if parcel.located else "not_located",
            "total": None,
        }
        for key, value in values.items():
            groups[key].setdefault(value, Figures()).add(parcel)
    return groups


def assert_row_matches(row: dict, figures: Figures) -> None:
    """A summary row (JSON) against the figures worked out here."""
    assert row["parcels"] == figures.parcels
    assert row["located"] == figures.located
    assert row["not_located"] == figures.parcels - figures.located
    assert row["declared_unstated"] == figures.declared_unstated
    if figures.declared_mu is None:
        assert row["declared_mu"] is None
    else:
        assert Decimal(str(row["declared_mu"])) == figures.declared_mu
    if figures.measured_mu is None:
        assert row["measured_mu"] is None
    else:  # rounded to 0.01 by the service
        assert abs(row["measured_mu"] - figures.measured_mu) <= 0.005 + 1e-9
