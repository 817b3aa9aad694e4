"""Vector tiles of the parcels, with a TileJSON document and caching headers."""

from typing import Any

from fastapi import APIRouter, Request, Response

from api.conditional import none_match, not_modified
from api.deps import ReaderDep, ReadSessionDep, TileCacheDep
from api.schemas import ERROR_RESPONSES
from geo.parcels.tiles import (
    tile_etag,
    tile_query,
    tile_version_query,
    tilejson,
)

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
async def parcels_tile(
    request: Request, reader: ReaderDep, cache: TileCacheDep, z: int, x: int, y: int
) -> Response:
    """One Mapbox Vector Tile (layer "parcels"); 204 when no parcel touches it.

    The ETag names the tile's versions, so a client's revalidation costs one tiny query and a
    write changes only the ETags of the tiles it touched; tiles are also kept in memory
    (ZS_TILE_CACHE_MB) until a write touches them.
    """
    query = tile_query(z, x, y)  # refuses bad coordinates before any round trip
    versions = tuple(await reader.row(tile_version_query(z, x, y)))
    etag = tile_etag(versions, z, x, y)
    headers = {"Cache-Control": CACHE_CONTROL, "ETag": etag}
    if none_match(request, etag):
        return not_modified(headers)
    key = (*versions, z, x, y)
    body = cache.get(key)
    if body is None:
        body = bytes(await reader.value(query) or b"")
        cache.put(key, body)
    if not body:
        return Response(status_code=204, headers=headers)
    return Response(body, media_type=MVT, headers=headers)
