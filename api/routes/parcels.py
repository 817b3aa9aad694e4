"""Parcels as GeoJSON: the list and one parcel to read; create, change and retire (editor role)."""

import json
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse

from api.auth import EditorDep
from api.conditional import none_match, not_modified
from api.deps import ReaderDep, ReadSessionDep, SessionDep
from api.requests import (
    WRITE_RESPONSES,
    Body,
    FilterDep,
    IfMatch,
    feature_response,
    version_etag,
    version_from,
    version_tag,
)
from api.schemas import ERROR_RESPONSES, GEOJSON, GEOJSON_RESPONSE, ErrorBody
from geo.errors import ParcelNotFound, ParcelRetired
from geo.messages import message
from geo.parcels.editing import create_parcel, parcel_version, retire_parcel, update_parcel
from geo.parcels.history import parcel_as_of, parcel_history
from geo.parcels.reads import feature_collection_query, feature_json

# Reads and writes keep the tags /docs has always shown (and generated clients group by).
router = APIRouter()
READ = ["parcels"]
WRITE = ["editing"]


@router.get("/parcels", responses=GEOJSON_RESPONSE | ERROR_RESPONSES, tags=READ)
async def list_parcels(reader: ReaderDep, filters: FilterDep) -> Response:
    """Parcels as a GeoJSON FeatureCollection, with where each geometry comes from."""
    return Response(await reader.value(feature_collection_query(filters)), media_type=GEOJSON)


@router.post("/parcels", status_code=201, responses=WRITE_RESPONSES, tags=WRITE)
def create(session: SessionDep, principal: EditorDep, body: Body) -> JSONResponse:
    """Create a parcel: a GeoJSON Feature with every property of data/parcels.geojson and a reason."""
    feature = create_parcel(session, body, principal.actor)
    session.commit()
    response = feature_response(feature, 201)
    response.headers["Location"] = f"/api/v1/parcels/{feature['id']}"
    return response


@router.get(
    "/parcels/{parcel_id}",
    responses=GEOJSON_RESPONSE | {404: {"model": ErrorBody, "description": "Unknown parcel"}},
    tags=READ,
)
def get_parcel(
    request: Request,
    session: ReadSessionDep,
    parcel_id: str,
    as_of: Annotated[
        datetime | None, Query(description="The parcel as it was then, e.g. 2022-06-01T00:00:00Z")
    ] = None,
) -> Response:
    """One parcel as a GeoJSON Feature; its ETag is the version to send back in If-Match.

    With If-None-Match naming that ETag (or *), 304 and no body.
    """
    if as_of is None and "if-none-match" in request.headers:
        etag = current_etag(session, parcel_id)
        if etag is not None and none_match(request, etag):
            return not_modified({"ETag": etag})
    if as_of is not None:
        body = json.dumps(parcel_as_of(session, parcel_id, as_of), ensure_ascii=False)
        return Response(body, media_type=GEOJSON)
    try:
        body = feature_json(session, parcel_id)
    except ParcelNotFound:
        parcel_history(session, parcel_id)  # a parcel that never existed stays a 404
        raise ParcelRetired(message("parcels.retired", parcel_id=parcel_id)) from None
    return Response(body, media_type=GEOJSON, headers={"ETag": version_etag(json.loads(body))})


def current_etag(session: ReadSessionDep, parcel_id: str) -> str | None:
    """The parcel's ETag from one small query; None when it is retired or unknown."""
    try:
        return version_tag(parcel_version(session, parcel_id))
    except ParcelNotFound:  # the read goes on to answer 410 or 404
        return None


@router.patch("/parcels/{parcel_id}", responses=WRITE_RESPONSES, tags=WRITE)
def patch(
    session: SessionDep, principal: EditorDep, parcel_id: str, body: Body, if_match: IfMatch = None
) -> JSONResponse:
    """Change properties and/or the geometry: `{"properties", "geometry", "reason"}`, If-Match required."""
    feature = update_parcel(session, parcel_id, body, version_from(if_match), principal.actor)
    session.commit()
    return feature_response(feature)


@router.delete("/parcels/{parcel_id}", status_code=204, responses=WRITE_RESPONSES, tags=WRITE)
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
