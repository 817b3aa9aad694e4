"""Write a validated parcels file into PostGIS in one transaction, idempotently.

The plan is upserted here; its parcels go through the store's one write path
(``geo.parcels.writes``), as imports and edits do.
"""

from dataclasses import asdict, dataclass

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from geo.intake.parcel_file import ParcelFile
from geo.messages import message
from geo.models import Plan
from geo.parcels.record import PlanInfo
from geo.parcels.writes import database_refusal, write_parcels


@dataclass(frozen=True)
class LoadReport:
    """What a load did."""

    plan: str
    inserted: int
    updated: int
    unchanged: int = 0

    def summary(self) -> str:
        """One line for people."""
        return message(
            "intake.load_summary",
            plan=self.plan,
            inserted=self.inserted,
            updated=self.updated,
            unchanged=self.unchanged,
        )


def upsert_plan(session: Session, plan: PlanInfo) -> int:
    """Insert or update a plan by title and return its id."""
    values = asdict(plan)
    statement = insert(Plan).values(values)
    statement = statement.on_conflict_do_update(
        index_elements=[Plan.title],
        set_={key: statement.excluded[key] for key in values if key != "title"},
    ).returning(Plan.id)
    return session.execute(statement).scalar_one()


def load_parcels(
    session: Session, parcel_file: ParcelFile, actor: str = "cli:load", source: str = "a file"
) -> LoadReport:
    """Write a plan and its parcels, with a history row for each change.

    The caller's transaction makes it all or nothing.
    """
    try:
        plan_id = upsert_plan(session, parcel_file.plan)
    except IntegrityError as exc:
        raise database_refusal(exc) from None
    inserted, updated = write_parcels(
        session, plan_id, parcel_file.parcels, "load", actor, f"loaded from {source}"
    )
    unchanged = len(parcel_file.parcels) - len(inserted) - len(updated)
    return LoadReport(parcel_file.plan.title, len(inserted), len(updated), unchanged)
