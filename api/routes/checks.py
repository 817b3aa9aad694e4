"""Audits of the stored parcels: area, topology, sides, and each parcel's overall status."""

from typing import Annotated, Any

from fastapi import APIRouter, Query

from api.auth import EditorDep
from api.deps import ReadSessionDep, SessionDep
from api.requests import WRITE_RESPONSES, Body
from api.schemas import ERROR_RESPONSES, ErrorBody
from geo.boundaries.sides import NEAR_M
from geo.checks.area import DEFAULT_TOLERANCE_PCT, check_areas
from geo.checks.audit import audit_parcels, audit_summary
from geo.checks.preview import preview_checks
from geo.checks.sides import check_sides
from geo.checks.topology import check_topology

router = APIRouter(tags=["checks"])

Tolerance = Annotated[
    float, Query(ge=0, le=100, allow_inf_nan=False, description="Allowed area difference in %")
]
NearM = Annotated[
    float,
    Query(gt=0, le=1000, allow_inf_nan=False, description="How close a named feature must be (m)"),
]


@router.get("/checks", responses=ERROR_RESPONSES)
def all_checks(
    session: ReadSessionDep,
    tolerance_pct: Tolerance = DEFAULT_TOLERANCE_PCT,
    near_m: NearM = NEAR_M,
) -> dict[str, Any]:
    """Every parcel's status (ok / warn / fail) with its reasons in Chinese and English."""
    audits = audit_parcels(session, tolerance_pct, near_m)
    return {"summary": audit_summary(audits), "parcels": [a.to_dict() for a in audits]}


@router.get("/checks/area", responses=ERROR_RESPONSES)
def area_check(
    session: ReadSessionDep, tolerance_pct: Tolerance = DEFAULT_TOLERANCE_PCT
) -> dict[str, Any]:
    """Measured area (EPSG:4549) against declared mu per parcel, and plan totals."""
    return check_areas(session, tolerance_pct).to_dict()


@router.get("/checks/topology", responses=ERROR_RESPONSES)
def topology_check(session: ReadSessionDep) -> dict[str, Any]:
    """Invalid shapes, overlaps between parcels of one plan (m²), slivers and small holes."""
    issues = check_topology(session)
    return {
        "status": "fail" if any(i.severity == "fail" for i in issues) else "ok",
        "issues": [issue.to_dict() for issue in issues],
    }


@router.get("/checks/sides", responses=ERROR_RESPONSES)
def sides_check(session: ReadSessionDep, near_m: NearM = NEAR_M) -> dict[str, Any]:
    """Whether each feature the 四至 text names lies along the parcel on the side it says."""
    checks = check_sides(session, near_m=near_m)
    return {"near_m": near_m, "checks": [check.to_dict() for check in checks]}


@router.get(
    "/parcels/{parcel_id}/checks",
    responses={**ERROR_RESPONSES, 404: {"model": ErrorBody, "description": "Unknown parcel"}},
)
def parcel_checks(
    session: ReadSessionDep,
    parcel_id: str,
    tolerance_pct: Tolerance = DEFAULT_TOLERANCE_PCT,
    near_m: NearM = NEAR_M,
) -> dict[str, Any]:
    """One parcel's audit: area, topology and sides, with its overall status."""
    (audit,) = audit_parcels(session, tolerance_pct, near_m, parcel_id=parcel_id)
    return audit.to_dict()


@router.post(
    "/parcels/{parcel_id}/checks/preview",
    responses={**WRITE_RESPONSES, 404: {"model": ErrorBody, "description": "Unknown parcel"}},
)
def parcel_checks_preview(
    session: SessionDep,
    principal: EditorDep,
    parcel_id: str,
    body: Body,
    tolerance_pct: Tolerance = DEFAULT_TOLERANCE_PCT,
    near_m: NearM = NEAR_M,
) -> dict[str, Any]:
    """The parcel's audit as it would be with `{"geometry": …}` saved as drawn; writes nothing.

    For editors only, although nothing is kept: the check runs on the primary database under a
    rolled-back savepoint, holding the parcel's row lock meanwhile, as a save does. `editor` is
    whom the check ran for, which the map names in a drawing's note.
    """
    answer = preview_checks(session, parcel_id, body, tolerance_pct, near_m)
    return answer | {"editor": principal.name}
