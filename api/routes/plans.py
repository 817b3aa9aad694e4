"""Plans (征收计划): every plan with its parcels' totals and extent, or one plan by its code."""

from fastapi import APIRouter, Response

from api.deps import ReaderDep
from api.schemas import ERROR_RESPONSES, ErrorBody, PlanList, PlanSummary
from geo.plans.reads import no_such_plan, plan_notice_query, plan_query, plans_query

router = APIRouter(tags=["plans"])
JSON = "application/json"


@router.get("/plans", responses={200: {"model": PlanList}} | ERROR_RESPONSES)
async def list_plans(reader: ReaderDep) -> Response:
    """Every plan: its notice's facts, region, parcel counts, declared and measured 亩, bbox."""
    return Response(await reader.value(plans_query()), media_type=JSON)


@router.get(
    "/plans/{code}",
    responses={200: {"model": PlanSummary}, 404: {"model": ErrorBody, "description": "Unknown"}}
    | ERROR_RESPONSES,
)
async def get_plan(reader: ReaderDep, code: str) -> Response:
    """One plan by its code (e.g. JX2022), as in the list."""
    body = await reader.value(plan_query(code))
    if body is None:
        raise no_such_plan(code)
    return Response(body, media_type=JSON)


@router.get(
    "/plans/{code}/notice",
    responses={404: {"model": ErrorBody, "description": "Unknown"}} | ERROR_RESPONSES,
)
async def get_plan_notice(reader: ReaderDep, code: str) -> Response:
    """The review the plan was ingested from (null for a plan loaded from a file).

    Every field as printed, where it was found, the corrections typed in and the warnings.
    """
    body = await reader.value(plan_notice_query(code))
    if body is None:
        raise no_such_plan(code)
    return Response(body, media_type=JSON)
