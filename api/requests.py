"""What several routes read from a request, and how a write answers.

The parcel filters (list and exports, with the plan code checked), a JSON body within its size limit, the version in
If-Match, and the Feature answered with that version as its ETag.
"""

import json
from typing import Annotated, Any

from fastapi import Depends, Header, Query, Request
from fastapi.responses import JSONResponse

from api.conditional import expected_versions
from api.deps import ReaderDep
from api.schemas import ERROR_RESPONSES, GEOJSON, ErrorBody
from geo.errors import InvalidInput, PayloadTooLarge
from geo.messages import message
from geo.parcels.preconditions import ExpectedVersions
from geo.parcels.reads import ParcelFilter, parse_bbox
from geo.plans.reads import no_such_plan, plan_exists_query
from geo.stages import parse_stages

MAX_BODY_BYTES = 1_000_000
WRITE_RESPONSES: dict[int | str, dict[str, Any]] = {
    **ERROR_RESPONSES,
    401: {"model": ErrorBody, "description": "No valid bearer token"},
    403: {"model": ErrorBody, "description": "Token revoked, or its role may not write"},
    412: {
        "model": ErrorBody,
        "description": "If-Match names no current version: the parcel changed since it was read",
    },
    413: {"model": ErrorBody, "description": f"Body larger than {MAX_BODY_BYTES} bytes"},
    422: {"model": ErrorBody, "description": "Invalid geometry or attributes"},
    428: {"model": ErrorBody, "description": "If-Match missing"},
}


async def parcel_filter(
    reader: ReaderDep,
    block: Annotated[str | None, Query(description="Exact block (所属板块), e.g. 城北板块")] = None,
    bbox: Annotated[
        str | None, Query(description="minLon,minLat,maxLon,maxLat in WGS84 degrees")
    ] = None,
    q: Annotated[
        str | None, Query(max_length=200, description="Text found in name, block, 四至, unit")
    ] = None,
    plan: Annotated[
        str | None, Query(max_length=32, description="A plan's code, e.g. JX2022 (see /plans)")
    ] = None,
    located: Annotated[
        bool | None,
        Query(description="true: parcels with a shape; false: those not located yet (待落图)"),
    ] = None,
    stage: Annotated[
        str | None,
        Query(max_length=200, description="A stage, or a comma list: decision,compensation"),
    ] = None,
) -> ParcelFilter:
    """The filters shared by the list and the export; an unknown plan code is a 404."""
    # Without this, a mistyped code would answer an empty list, indistinguishable from a plan
    # without parcels. One indexed look-up, only when a plan is asked for.
    if plan and not await reader.value(plan_exists_query(plan)):
        raise no_such_plan(plan)
    return ParcelFilter(
        block=block,
        bbox=parse_bbox(bbox) if bbox is not None else None,
        q=q,
        plan=plan or None,
        located=located,
        stages=parse_stages(stage) if stage else (),
    )


FilterDep = Annotated[ParcelFilter, Depends(parcel_filter)]


async def json_body(request: Request) -> Any:
    """The request's JSON body, refused in plain words when too large or not JSON."""
    declared = request.headers.get("content-length", "0")
    if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise PayloadTooLarge(message("api.body_too_large", size=declared, limit=MAX_BODY_BYTES))
    raw = await request.body()
    if len(raw) > MAX_BODY_BYTES:
        raise PayloadTooLarge(message("api.body_too_large", size=len(raw), limit=MAX_BODY_BYTES))
    try:
        return json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise InvalidInput(message("api.body_not_json")) from None


Body = Annotated[Any, Depends(json_body)]
IfMatch = Annotated[
    list[str] | None,
    Header(description='The ETag you read, e.g. "3"; or several ETags, or * for any version'),
]


def version_from(if_match: list[str] | str | None) -> ExpectedVersions | None:
    """The versions If-Match names (its field lines joined), as api/conditional.py reads them."""
    if isinstance(if_match, list):
        if_match = ", ".join(if_match) if if_match else None
    return expected_versions(if_match)


def version_tag(version: int) -> str:
    """A parcel's ETag: its version, to be sent back in If-Match."""
    return f'"{version}"'


def version_etag(feature: dict[str, Any]) -> str:
    """A parcel Feature's ETag."""
    return version_tag(feature["properties"]["version"])


def feature_response(feature: dict[str, Any], status_code: int = 200) -> JSONResponse:
    """A Feature with its version as the ETag."""
    return JSONResponse(
        feature,
        status_code=status_code,
        media_type=GEOJSON,
        headers={"ETag": version_etag(feature)},
    )
