"""A parcel's history: every change, by whom, when and why (open to read)."""

from typing import Any

from fastapi import APIRouter

from api.deps import SessionDep
from api.schemas import ERROR_RESPONSES
from geo.parcels.history import parcel_history

router = APIRouter(tags=["editing"])


@router.get("/parcels/{parcel_id}/history", responses=ERROR_RESPONSES)
def history(session: SessionDep, parcel_id: str) -> dict[str, Any]:
    """Every change to the parcel: action, actor, time, reason, before and after."""
    return {"parcel_id": parcel_id, "changes": parcel_history(session, parcel_id)}
