"""The one write path into ``parcels``: a record becomes a row, and one upsert stores it.

Loads, file imports and the editing API's create all write through :func:`upsert_parcel`; an
edit and the bulk import take the derived columns (the stored shape, the parsed 四至) and the
column lists from here, so every way in stores a parcel the same way.
"""

from typing import Any

from geoalchemy2 import WKBElement
from geoalchemy2.shape import from_shape
from shapely import MultiPolygon
from sqlalchemy import literal_column, select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from geo.boundaries.parse import parse_boundaries
from geo.errors import InvalidParcelData
from geo.messages import message
from geo.models import Parcel
from geo.parcels.history import record_change, snapshots
from geo.parcels.record import LOADED_COLUMNS, ParcelRecord

DERIVED_COLUMNS = ("geom", "boundaries")
"""Columns computed from a record rather than copied: its stored shape and its parsed 四至."""
UPDATED_COLUMNS = (*LOADED_COLUMNS, *DERIVED_COLUMNS)
"""What a load or import writes into an existing (plan, seq) row, besides its version."""

# Only rows whose content differs are updated, so a repeated load changes no version. Shapes are
# compared topologically: a ring that starts elsewhere or runs the other way (as Shapefiles
# write them) is the same boundary.
CHANGED_SQL = (
    f"({', '.join(f'parcels.{column}' for column in LOADED_COLUMNS)}) IS DISTINCT FROM "
    f"({', '.join(f'excluded.{column}' for column in LOADED_COLUMNS)}) "
    "OR (parcels.geom IS NULL) <> (excluded.geom IS NULL) "
    "OR NOT ST_Equals(parcels.geom, excluded.geom)"
)


def stored_geometry(geometry: MultiPolygon | None) -> WKBElement | None:
    """The ``geom`` column's value for a validated shape (WGS84 lon/lat); None: no shape yet."""
    return None if geometry is None else from_shape(geometry, srid=4326)


def parsed_boundaries(boundary_text: str | None) -> dict[str, Any] | None:
    """The ``boundaries`` column's value: the 四至 text parsed, kept beside the verbatim text.

    None when the notice states no 四至: there is nothing to parse, and nothing is invented.
    """
    return None if boundary_text is None else parse_boundaries(boundary_text).to_dict()


def parcel_row(record: ParcelRecord, plan_id: int) -> dict[str, Any]:
    """The ``parcels`` row for a record of a plan, derived columns included."""
    row = {"id": record.id, "plan_id": plan_id, "seq": record.seq}
    row |= {column: getattr(record, column) for column in LOADED_COLUMNS}
    row |= {
        "geom": stored_geometry(record.geometry),
        "boundaries": parsed_boundaries(record.boundary_text),
    }
    return row


def upsert_parcel(session: Session, row: dict[str, Any], update_existing: bool) -> bool | None:
    """Write one row; True if inserted, False if an existing one was updated, None if neither.

    With ``update_existing`` a row of the same (plan, seq) is updated when its content differs
    (None when it does not); without it, a row whose id or (plan, seq) is taken is not written
    (None).
    """
    statement = insert(Parcel).values(row)
    if update_existing:
        statement = statement.on_conflict_do_update(
            constraint="uq_parcels_plan_seq",
            set_={column: statement.excluded[column] for column in UPDATED_COLUMNS}
            | {"version": Parcel.version + 1},
            where=text(CHANGED_SQL),
        )
    else:
        statement = statement.on_conflict_do_nothing()
    # xmax is 0 only on a freshly inserted row.
    return session.execute(statement.returning(literal_column("xmax = 0"))).scalar_one_or_none()


def _check_stable_ids(session: Session, plan_id: int, records: tuple[ParcelRecord, ...]) -> None:
    query = select(Parcel.seq, Parcel.id).where(Parcel.plan_id == plan_id)
    stored: dict[int, str] = dict(session.execute(query).all())  # type: ignore[arg-type]
    for record in records:
        if record.seq in stored and stored[record.seq] != record.id:
            raise InvalidParcelData(
                message(
                    "parcels.id_stable", seq=record.seq, stored=stored[record.seq], given=record.id
                )
            )


def upsert_parcels(
    session: Session, plan_id: int, records: tuple[ParcelRecord, ...]
) -> tuple[list[str], list[str]]:
    """Insert or update parcels by (plan, seq); return the ids (inserted, updated)."""
    _check_stable_ids(session, plan_id, records)
    inserted: list[str] = []
    updated: list[str] = []
    for record in records:
        fresh = upsert_parcel(session, parcel_row(record, plan_id), update_existing=True)
        if fresh is not None:
            (inserted if fresh else updated).append(record.id)
    return inserted, updated


def database_refusal(exc: IntegrityError) -> InvalidParcelData:
    """A constraint the database enforced, as the error a planner reads."""
    detail = getattr(exc.orig, "diag", None)
    reason = getattr(detail, "message_primary", None) or str(exc.orig).splitlines()[0]
    return InvalidParcelData(message("intake.database_refused", reason=reason))


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
        raise database_refusal(exc) from None
    after = snapshots(session, inserted + updated)
    for parcel_id in inserted + updated:
        record_change(
            session, parcel_id, action, actor, reason, before.get(parcel_id), after[parcel_id]
        )
    return inserted, updated
