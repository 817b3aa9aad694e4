"""Parcels as GeoJSON: the list, one parcel, and the export download."""

import json
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from api.deps import ReaderDep, ReadSessionDep
from api.schemas import ERROR_RESPONSES, GEOJSON_RESPONSE, ErrorBody
from geo.boundaries.reference import reference_collection_json
from geo.errors import ParcelNotFound, ParcelRetired
from geo.parcels.history import parcel_as_of, parcel_history
from geo.parcels.reads import (
    ParcelFilter,
    feature_collection_json,
    feature_collection_query,
    feature_json,
    parse_bbox,
)

router = APIRouter(tags=["parcels"])
GEOJSON = "application/geo+json"


async def parcel_filter(
    block: Annotated[str | None, Query(description="Exact block (所属板块), e.g. 城北板块")] = None,
    bbox: Annotated[
        str | None, Query(description="minLon,minLat,maxLon,maxLat in WGS84 degrees")
    ] = None,
    q: Annotated[
        str | None, Query(max_length=200, description="Text found in name, block, 四至, unit")
    ] = None,
) -> ParcelFilter:
    """The filters shared by the list and the export."""
    return ParcelFilter(block=block, bbox=parse_bbox(bbox) if bbox is not None else None, q=q)


FilterDep = Annotated[ParcelFilter, Depends(parcel_filter)]


@router.get("/parcels", responses=GEOJSON_RESPONSE | ERROR_RESPONSES)
async def list_parcels(reader: ReaderDep, filters: FilterDep) -> Response:
    """Parcels as a GeoJSON FeatureCollection, with where each geometry comes from."""
    return Response(await reader.value(feature_collection_query(filters)), media_type=GEOJSON)


@router.get(
    "/parcels/{parcel_id}",
    responses=GEOJSON_RESPONSE | {404: {"model": ErrorBody, "description": "Unknown parcel"}},
)
def get_parcel(
    session: ReadSessionDep,
    parcel_id: str,
    as_of: Annotated[
        datetime | None, Query(description="The parcel as it was then, e.g. 2022-06-01T00:00:00Z")
    ] = None,
) -> Response:
    """One parcel as a GeoJSON Feature; its ETag is the version to send back in If-Match."""
    if as_of is not None:
        body = json.dumps(parcel_as_of(session, parcel_id, as_of), ensure_ascii=False)
        return Response(body, media_type=GEOJSON)
    try:
        body = feature_json(session, parcel_id)
    except ParcelNotFound:
        parcel_history(session, parcel_id)  # a parcel that never existed stays a 404
        raise ParcelRetired(f"The parcel {parcel_id!r} was retired; see its history.") from None
    etag = f'"{json.loads(body)["properties"]["version"]}"'
    return Response(body, media_type=GEOJSON, headers={"ETag": etag})


@router.get("/export.geojson", responses=GEOJSON_RESPONSE | ERROR_RESPONSES)
def export_geojson(session: ReadSessionDep, filters: FilterDep) -> Response:
    """Download parcels (all, or filtered as in the list) as a GeoJSON file."""
    return Response(
        feature_collection_json(session, filters),
        media_type=GEOJSON,
        headers={"Content-Disposition": 'attachment; filename="zhengshou-parcels.geojson"'},
    )


@router.get("/reference", responses=GEOJSON_RESPONSE | ERROR_RESPONSES, tags=["reference"])
def reference_layer(session: ReadSessionDep) -> Response:
    """The reference layer (roads, rivers, walls, estates, addresses) the 四至 texts name."""
    return Response(reference_collection_json(session), media_type=GEOJSON)
