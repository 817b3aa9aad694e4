"""The change history of parcels: every create, update, retire, survey, import and load.

Each row keeps the parcel before and after as GeoJSON Features written by PostGIS, so any past
state can be shown exactly (``as_of``) even after the parcel was retired.
"""

import json
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, text
from sqlalchemy.orm import Session

from geo.errors import ParcelNotFound, ParcelRetired
from geo.messages import message
from geo.models import ParcelHistory
from geo.parcels.reads import FEATURE_SQL, FROM_SQL


def snapshots(session: Session, parcel_ids: list[str]) -> dict[str, dict[str, Any]]:
    """The current GeoJSON Feature of each of these parcels that exists."""
    if not parcel_ids:
        return {}
    rows = session.execute(
        text(f"SELECT p.id, {FEATURE_SQL}::text {FROM_SQL} WHERE p.id = ANY(:ids)"),
        {"ids": parcel_ids},
    )
    return {parcel_id: json.loads(feature) for parcel_id, feature in rows}


def record_change(
    session: Session,
    parcel_id: str,
    action: str,
    actor: str,
    reason: str,
    old: dict[str, Any] | None,
    new: dict[str, Any] | None,
) -> None:
    """Append one history row; the version is the new one (or the last one for a retire)."""
    version = (new or old or {}).get("properties", {}).get("version", 0)
    session.execute(
        insert(ParcelHistory).values(
            parcel_id=parcel_id,
            version=version,
            action=action,
            actor=actor,
            reason=reason,
            old=old,
            new=new,
            # The moment of the change itself, not its transaction's start, so that changes
            # made in one transaction (an import) keep their order and real times.
            at=func.clock_timestamp(),
        )
    )


# A bulk import records no copy of the state after (new is NULL, see geo.intake.bulk_import): that
# state is the next change's "old", or the parcel as it is now when nothing changed since.
NEW_STATE_SQL = f"""CASE WHEN h.action = 'retire' THEN NULL ELSE coalesce(
    h.new,
    (SELECT n.old FROM parcel_history n WHERE n.parcel_id = h.parcel_id
        AND (n.at, n.id) > (h.at, h.id) ORDER BY n.at, n.id LIMIT 1),
    (SELECT ({FEATURE_SQL})::jsonb {FROM_SQL} WHERE p.id = h.parcel_id)
) END"""


def parcel_history(session: Session, parcel_id: str) -> list[dict[str, Any]]:
    """Every change to a parcel, oldest first; ParcelNotFound if it never existed."""
    rows = session.execute(
        text(f"""SELECT h.id, h.version, h.action, h.actor, h.at, h.reason, h.old,
                        {NEW_STATE_SQL} AS new
                 FROM parcel_history h WHERE h.parcel_id = :id ORDER BY h.at, h.id"""),
        {"id": parcel_id},
    ).all()
    if not rows:
        raise ParcelNotFound(message("parcels.not_found_ever", parcel_id=parcel_id))
    return [
        {
            "id": row.id,
            "version": row.version,
            "action": row.action,
            "actor": row.actor,
            "at": row.at.isoformat(),
            "reason": row.reason,
            "old": row.old,
            "new": row.new,
        }
        for row in rows
    ]


def parcel_as_of(session: Session, parcel_id: str, when: datetime) -> dict[str, Any]:
    """The parcel as it was at ``when``, from its history."""
    row = session.execute(
        text(f"""SELECT h.action, h.at, {NEW_STATE_SQL} AS new FROM parcel_history h
                 WHERE h.parcel_id = :id AND h.at <= :when ORDER BY h.at DESC, h.id DESC LIMIT 1"""),
        {"id": parcel_id, "when": when},
    ).one_or_none()
    if row is None:
        raise ParcelNotFound(message("parcels.not_yet", when=when.isoformat(), parcel_id=parcel_id))
    if row.action == "retire":
        raise ParcelRetired(
            message(
                "parcels.retired_by",
                when=when.isoformat(),
                at=row.at.isoformat(),
                parcel_id=parcel_id,
            )
        )
    return row.new
