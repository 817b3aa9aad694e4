"""A parcel's timeline: the stages it has been in, read from its history by PostgreSQL.

Every history row keeps the parcel after the change (or, for a bulk import, the next change's
"before": ``NEW_STATE_SQL``). The timeline is the sequence of those states whose stage record
(stage, date, document, reason, agreements) differs from the one before, each with who changed it,
when and why. A state written before the parcels had stages is at 列入计划 (``planned``), as
migration 0011 put every parcel.
"""

from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from geo.errors import ParcelNotFound
from geo.messages import message
from geo.parcels.history import NEW_STATE_SQL
from geo.parcels.reads import FEATURE_SQL, FROM_SQL
from geo.stages import STAGES, stage_name

# The stage record of a state's properties ``s``, as SQL; the first stage where none is given.
_RECORD = f"""coalesce(s ->> 'stage', '{STAGES[0]}') AS stage,
        s ->> 'stage_date' AS stage_date,
        s ->> 'stage_document' AS stage_document,
        s ->> 'stage_reason' AS stage_reason,
        (s ->> 'agreements_signed')::int AS agreements_signed,
        (s ->> 'agreements_total')::int AS agreements_total,
        s ->> 'approval_reference' AS approval_reference"""
_KEY = "stage, stage_date, stage_document, stage_reason, agreements_signed, agreements_total"

TIMELINE_SQL = text(f"""
WITH states AS (
    SELECT h.id, h.at, h.actor, h.action, h.reason, h.version,
           ({NEW_STATE_SQL}) -> 'properties' AS s
    FROM parcel_history h WHERE h.parcel_id = :id
),
records AS (
    SELECT id, at, actor, action, reason, version, {_RECORD}
    FROM states WHERE s IS NOT NULL
),
steps AS (
    SELECT *, ROW({_KEY}) IS DISTINCT FROM lag(ROW({_KEY})) OVER (ORDER BY at, id) AS moved
    FROM records
)
SELECT * FROM steps WHERE moved ORDER BY at, id""")

CURRENT_SQL = text(f"""
SELECT NULL::bigint AS id, NULL::timestamptz AS at, NULL AS actor, NULL AS action,
       NULL AS reason, p.version, {_RECORD}
FROM (SELECT p.version, ({FEATURE_SQL})::jsonb -> 'properties' AS s {FROM_SQL}
      WHERE p.id = :id) AS p""")


def _entry(row: Any) -> dict[str, Any]:
    signed, total = row.agreements_signed, row.agreements_total
    return {
        "stage": row.stage,
        "label": stage_name(row.stage),
        "date": row.stage_date,
        "document": row.stage_document,
        "reason": row.stage_reason,
        "agreements_signed": signed,
        "agreements_total": total,
        "agreements_share": round(signed / total, 4) if signed is not None and total else None,
        "approval_reference": row.approval_reference,
        "changed_at": row.at.isoformat() if row.at else None,
        "changed_by": row.actor,
        "change_reason": row.reason,
        "action": row.action,
        "version": row.version,
    }


def parcel_timeline(session: Session, parcel_id: str) -> list[dict[str, Any]]:
    """The stages the parcel has been in, oldest first; ParcelNotFound if it never existed.

    A parcel stored without any history row (loaded before there was history) has one entry:
    its stage as it is, with no change time or author.
    """
    rows = session.execute(TIMELINE_SQL, {"id": parcel_id}).all()
    if not rows:
        rows = session.execute(CURRENT_SQL, {"id": parcel_id}).all()
    if not rows:
        raise ParcelNotFound(message("parcels.not_found_ever", parcel_id=parcel_id))
    return [_entry(row) for row in rows]
