"""Stages: a parcel's timeline (open to read); moving a parcel, or a plan's parcels (editors)."""

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from api.auth import EditorDep
from api.deps import ReadSessionDep, SessionDep
from api.requests import WRITE_RESPONSES, Body, IfMatch, version_etag, version_from
from api.schemas import ERROR_RESPONSES
from geo.errors import InvalidInput
from geo.messages import message
from geo.stages.changes import StageChange, change_plan_stage, change_stage
from geo.stages.timeline import parcel_timeline

router = APIRouter(tags=["stages"])


@router.get("/parcels/{parcel_id}/timeline", responses=ERROR_RESPONSES)
def timeline(session: ReadSessionDep, parcel_id: str) -> dict[str, Any]:
    """The stages the parcel has been in, oldest first.

    Each with its date, document, reason, agreements, and who changed it, when and why.
    """
    entries = parcel_timeline(session, parcel_id)
    return {"parcel_id": parcel_id, "stage": entries[-1]["stage"], "timeline": entries}


@router.post("/parcels/{parcel_id}/stage", responses=WRITE_RESPONSES)
def move_parcel(
    session: SessionDep, principal: EditorDep, parcel_id: str, body: Body, if_match: IfMatch = None
) -> JSONResponse:
    """Move a parcel to a stage, If-Match required.

    The body: `{stage, date, document, reason, agreements_signed, agreements_total,
    approval_reference}`. Answers the parcel, whether it changed, and warnings (a decision
    without its 批复文号).
    """
    change = StageChange.from_json(body)
    result = change_stage(session, parcel_id, change, version_from(if_match), principal.actor)
    session.commit()
    return JSONResponse(result.to_dict(), headers={"ETag": version_etag(result.feature)})


@router.post("/plans/{code}/stage", responses=WRITE_RESPONSES)
def move_plan(session: SessionDep, principal: EditorDep, code: str, body: Body) -> dict[str, Any]:
    """Move a plan's parcels (all, or those listed in `parcels`) to a stage in one transaction.

    The same body as for one parcel; one parcel the rules refuse refuses them all.
    """
    if not isinstance(body, dict):
        raise InvalidInput(message("stages.body_invalid"))
    parcels = body.get("parcels")
    if parcels is not None and not (
        isinstance(parcels, list) and all(isinstance(item, str) for item in parcels)
    ):
        raise InvalidInput(message("stages.parcels_not_list"))
    change = StageChange.from_json({k: v for k, v in body.items() if k != "parcels"})
    result = change_plan_stage(session, code, change, principal.actor, parcels)
    session.commit()
    return result.to_dict()
