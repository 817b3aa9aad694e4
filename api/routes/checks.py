"""Audits of the stored parcels."""

from typing import Annotated, Any

from fastapi import APIRouter, Query

from api.deps import SessionDep
from api.schemas import ERROR_RESPONSES
from geo.checks import DEFAULT_TOLERANCE_PCT, check_areas

router = APIRouter(tags=["checks"])


@router.get("/checks/area", responses=ERROR_RESPONSES)
def area_check(
    session: SessionDep,
    tolerance_pct: Annotated[
        float, Query(ge=0, le=100, allow_inf_nan=False, description="Allowed difference in %")
    ] = DEFAULT_TOLERANCE_PCT,
) -> dict[str, Any]:
    """Measured area (EPSG:4549) against declared mu per parcel, and plan totals."""
    return check_areas(session, tolerance_pct).to_dict()
