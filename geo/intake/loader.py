"""Write a validated parcels file into PostGIS in one transaction, idempotently."""

from dataclasses import dataclass, fields

from geoalchemy2.shape import from_shape
from sqlalchemy import literal_column, select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from geo.boundaries.parse import parse_boundaries
from geo.errors import InvalidParcelData
from geo.intake.parcel_file import ParcelFile, ParcelRecord, PlanInfo
from geo.models import Parcel, Plan
from geo.parcels.history import record_change, snapshots

# Every attribute of a record that is stored as is; id and seq identify the row.
PARCEL_COLUMNS = tuple(
    f.name for f in fields(ParcelRecord) if f.name not in ("id", "seq", "geometry")
)
UPDATED_COLUMNS = (*PARCEL_COLUMNS, "geom", "boundaries")
"""What a load or import writes into an existing (plan, seq) row, besides its version."""


@dataclass(frozen=True)
class LoadReport:
    """What a load did."""

    plan: str
    inserted: int
    updated: int
    unchanged: int = 0

    def summary(self) -> str:
        """One line for people."""
        return (
            f"{self.plan}: {self.inserted} parcels inserted, {self.updated} updated, "
            f"{self.unchanged} unchanged"
        )


def upsert_plan(session: Session, plan: PlanInfo) -> int:
    """Insert or update a plan by title and return its id."""
    values = {
        "code": plan.code,
        "title": plan.title,
        "year": plan.year,
        "issuer": plan.issuer,
        "published_on": plan.published_on,
        "source_document": plan.source_document,
        "published_total_mu": plan.published_total_mu,
    }
    statement = insert(Plan).values(values)
    statement = statement.on_conflict_do_update(
        index_elements=[Plan.title],
        set_={key: statement.excluded[key] for key in values if key != "title"},
    ).returning(Plan.id)
    return session.execute(statement).scalar_one()


def _check_stable_ids(session: Session, plan_id: int, records: tuple[ParcelRecord, ...]) -> None:
    query = select(Parcel.seq, Parcel.id).where(Parcel.plan_id == plan_id)
    stored: dict[int, str] = dict(session.execute(query).all())  # type: ignore[arg-type]
    for record in records:
        if record.seq in stored and stored[record.seq] != record.id:
            raise InvalidParcelData(
                f"parcel seq {record.seq} is stored with id {stored[record.seq]!r} but the file "
                f"gives {record.id!r}; ids are stable and cannot be changed by a load"
            )


# Only rows whose content differs are updated, so a repeated load changes no version. Shapes are
# compared topologically: a ring that starts elsewhere or runs the other way (as Shapefiles
# write them) is the same boundary.
CHANGED_SQL = (
    "(parcels.block, parcels.name, parcels.boundary_text, parcels.declared_area_mu, "
    "parcels.interest_type, parcels.implementing_unit, parcels.geometry_source, "
    "parcels.geometry_note) IS DISTINCT FROM "
    "(excluded.block, excluded.name, excluded.boundary_text, excluded.declared_area_mu, "
    "excluded.interest_type, excluded.implementing_unit, excluded.geometry_source, "
    "excluded.geometry_note) OR NOT ST_Equals(parcels.geom, excluded.geom)"
)


def upsert_parcels(
    session: Session, plan_id: int, records: tuple[ParcelRecord, ...]
) -> tuple[list[str], list[str]]:
    """Insert or update parcels by (plan, seq); return the ids (inserted, updated)."""
    _check_stable_ids(session, plan_id, records)
    inserted: list[str] = []
    updated: list[str] = []
    for record in records:
        values = {column: getattr(record, column) for column in PARCEL_COLUMNS}
        values |= {
            "id": record.id,
            "plan_id": plan_id,
            "seq": record.seq,
            "geom": from_shape(record.geometry, srid=4326),
            "boundaries": parse_boundaries(record.boundary_text).to_dict(),
        }
        statement = insert(Parcel).values(values)
        statement = statement.on_conflict_do_update(
            constraint="uq_parcels_plan_seq",
            set_={column: statement.excluded[column] for column in UPDATED_COLUMNS}
            | {"version": Parcel.version + 1},
            where=text(CHANGED_SQL),
        ).returning(literal_column("xmax = 0"))  # xmax is 0 only on a freshly inserted row
        fresh = session.execute(statement).scalar_one_or_none()
        if fresh is not None:
            (inserted if fresh else updated).append(record.id)
    return inserted, updated


def _refusal(exc: IntegrityError) -> InvalidParcelData:
    detail = getattr(exc.orig, "diag", None)
    reason = getattr(detail, "message_primary", None) or str(exc.orig).splitlines()[0]
    return InvalidParcelData(f"the database refused the data: {reason}")


def write_parcels(
    session: Session,
    plan_id: int,
    records: tuple[ParcelRecord, ...],
    action: str,
    actor: str,
    reason: str,
) -> tuple[list[str], list[str]]:
    """Upsert parcels of one plan and record each change; return ids (inserted, updated)."""
    before = snapshots(session, [record.id for record in records])
    try:
        inserted, updated = upsert_parcels(session, plan_id, records)
        session.flush()
    except IntegrityError as exc:
        raise _refusal(exc) from None
    after = snapshots(session, inserted + updated)
    for parcel_id in inserted + updated:
        record_change(
            session, parcel_id, action, actor, reason, before.get(parcel_id), after[parcel_id]
        )
    return inserted, updated


def load_parcels(
    session: Session, parcel_file: ParcelFile, actor: str = "cli:load", source: str = "a file"
) -> LoadReport:
    """Write a plan and its parcels, with a history row for each change.

    The caller's transaction makes it all or nothing.
    """
    try:
        plan_id = upsert_plan(session, parcel_file.plan)
    except IntegrityError as exc:
        raise _refusal(exc) from None
    inserted, updated = write_parcels(
        session, plan_id, parcel_file.parcels, "load", actor, f"loaded from {source}"
    )
    unchanged = len(parcel_file.parcels) - len(inserted) - len(updated)
    return LoadReport(parcel_file.plan.title, len(inserted), len(updated), unchanged)
