"""Writing parcels: create, update, retire (editor role), and their history (open)."""

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Query, Request, Response
from fastapi.responses import JSONResponse

from api.auth import EditorDep
from api.deps import SessionDep
from api.schemas import ERROR_RESPONSES, ErrorBody
from geo.editing import create_parcel, retire_parcel, update_parcel
from geo.errors import InvalidInput, PayloadTooLarge
from geo.history import parcel_history

router = APIRouter(tags=["editing"])
GEOJSON = "application/geo+json"
MAX_BODY_BYTES = 1_000_000
WRITE_RESPONSES: dict[int | str, dict[str, Any]] = {
    **ERROR_RESPONSES,
    401: {"model": ErrorBody, "description": "No valid bearer token"},
    403: {"model": ErrorBody, "description": "Token revoked, or its role may not write"},
    412: {"model": ErrorBody, "description": "The parcel changed since it was read"},
    413: {"model": ErrorBody, "description": f"Body larger than {MAX_BODY_BYTES} bytes"},
    422: {"model": ErrorBody, "description": "Invalid geometry or attributes"},
    428: {"model": ErrorBody, "description": "If-Match missing"},
}


async def json_body(request: Request) -> Any:
    """The request's JSON body, refused in plain words when too large or not JSON."""
    declared = request.headers.get("content-length", "0")
    if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise PayloadTooLarge(f"The body is {declared} bytes; the limit is {MAX_BODY_BYTES}.")
    raw = await request.body()
    if len(raw) > MAX_BODY_BYTES:
        raise PayloadTooLarge(f"The body is {len(raw)} bytes; the limit is {MAX_BODY_BYTES}.")
    try:
        return json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise InvalidInput("The body is not JSON.") from None


Body = Annotated[Any, Depends(json_body)]
IfMatch = Annotated[str | None, Header(description='The ETag you read, e.g. "3"')]


def version_from(if_match: str | None) -> int | None:
    """The version in an If-Match header ("3", 3 or W/"3")."""
    if if_match is None:
        return None
    value = if_match.strip().removeprefix("W/").strip('"')
    if not value.isdigit():
        raise InvalidInput(f"If-Match {if_match!r} is not a version this service gave out.")
    return int(value)


def feature_response(feature: dict[str, Any], status_code: int = 200) -> JSONResponse:
    """A Feature with its version as the ETag."""
    etag = f'"{feature["properties"]["version"]}"'
    return JSONResponse(
        feature, status_code=status_code, media_type=GEOJSON, headers={"ETag": etag}
    )


@router.post("/parcels", status_code=201, responses=WRITE_RESPONSES)
def create(session: SessionDep, principal: EditorDep, body: Body) -> JSONResponse:
    """Create a parcel: a GeoJSON Feature with every property of data/parcels.geojson and a reason."""
    feature = create_parcel(session, body, principal.actor)
    session.commit()
    response = feature_response(feature, 201)
    response.headers["Location"] = f"/api/v1/parcels/{feature['id']}"
    return response


@router.patch("/parcels/{parcel_id}", responses=WRITE_RESPONSES)
def patch(
    session: SessionDep, principal: EditorDep, parcel_id: str, body: Body, if_match: IfMatch = None
) -> JSONResponse:
    """Change properties and/or the geometry: `{"properties", "geometry", "reason"}`, If-Match required."""
    feature = update_parcel(session, parcel_id, body, version_from(if_match), principal.actor)
    session.commit()
    return feature_response(feature)


@router.delete("/parcels/{parcel_id}", status_code=204, responses=WRITE_RESPONSES)
def retire(
    session: SessionDep,
    principal: EditorDep,
    parcel_id: str,
    reason: Annotated[str, Query(max_length=2000, description="Why the parcel is retired")],
    if_match: IfMatch = None,
) -> Response:
    """Retire a parcel (soft delete): it leaves the map and lists, and stays in its history."""
    retire_parcel(session, parcel_id, reason, version_from(if_match), principal.actor)
    session.commit()
    return Response(status_code=204)


@router.get("/parcels/{parcel_id}/history", responses=ERROR_RESPONSES)
def history(session: SessionDep, parcel_id: str) -> dict[str, Any]:
    """Every change to the parcel: action, actor, time, reason, before and after."""
    return {"parcel_id": parcel_id, "changes": parcel_history(session, parcel_id)}
