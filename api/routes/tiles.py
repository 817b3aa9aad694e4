"""Vector tiles of the parcels, with a TileJSON document and caching headers."""

import hashlib
from typing import Any

from fastapi import APIRouter, Request, Response

from api.deps import ReadSessionDep
from api.schemas import ERROR_RESPONSES
from geo.tiles import parcel_tile, tilejson

router = APIRouter(prefix="/tiles", tags=["tiles"])
MVT = "application/vnd.mapbox-vector-tile"
# Parcels change rarely (a load or an edit); a short shared cache plus ETag revalidation keeps
# maps fast without serving stale shapes for long.
CACHE_CONTROL = "public, max-age=300"


@router.get("/parcels.json", responses=ERROR_RESPONSES)
def parcels_tilejson(request: Request, session: ReadSessionDep) -> dict[str, Any]:
    """TileJSON for the parcel tiles."""
    url = str(request.base_url).rstrip("/") + "/tiles/parcels/{z}/{x}/{y}.pbf"
    return tilejson(session, url)


@router.get(
    "/parcels/{z}/{x}/{y}.pbf",
    responses={200: {"content": {MVT: {}}}, **ERROR_RESPONSES},
)
def parcels_tile(request: Request, session: ReadSessionDep, z: int, x: int, y: int) -> Response:
    """One Mapbox Vector Tile (layer "parcels"); 204 when no parcel touches it."""
    body = parcel_tile(session, z, x, y)
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    headers = {"Cache-Control": CACHE_CONTROL, "ETag": etag}
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    if not body:
        return Response(status_code=204, headers=headers)
    return Response(body, media_type=MVT, headers=headers)
