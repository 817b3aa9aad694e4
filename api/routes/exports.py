"""Parcel downloads: GeoJSON (streamed), GeoPackage, Shapefile (zip), KML, CSV and XLSX."""

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Query, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import StreamingResponse
from sqlalchemy.orm import Session

from api.deps import ReaderDep, ReadSessionOpenerDep
from api.requests import FilterDep
from api.schemas import ERROR_RESPONSES, GEOJSON_RESPONSE
from geo.parcels.export import (
    FORMATS,
    WGS84,
    ExportFormat,
    export_file,
    export_format,
    export_srid,
    export_srid_for,
)
from geo.parcels.export_geojson import geojson_stream
from geo.parcels.reads import ParcelFilter
from geo.query import AsyncReader

router = APIRouter()
Result = TypeVar("Result")

DOWNLOAD_RESPONSES = {
    200: {
        "content": {fmt.media_type: {} for fmt in FORMATS.values()},
        "description": "The parcels as a file (Content-Disposition: attachment)",
    }
}


def attachment(fmt: ExportFormat) -> dict[str, str]:
    """The header that makes a browser save the answer as the format's file."""
    return {"Content-Disposition": f'attachment; filename="{fmt.filename}"'}


def in_session(
    open_session: Callable[[], AbstractContextManager[Session]],
    work: Callable[..., Result],
    *args: Any,
) -> Result:
    """Blocking work (a zone look-up, a file written by GDAL) with a read session of its own."""
    with open_session() as session:
        return work(session, *args)


async def streamed_geojson(
    reader: AsyncReader, filters: ParcelFilter, srid: int
) -> StreamingResponse:
    """The parcels as a GeoJSON download, streamed from PostgreSQL's COPY on the read pool.

    The header and the slices are read before the response starts, so that a database error is
    still an error response; the features follow as they are copied.
    """
    fmt = FORMATS["geojson"]
    chunks = await geojson_stream(reader, filters, srid)
    return StreamingResponse(chunks, media_type=fmt.media_type, headers=attachment(fmt))


# Tagged "parcels" as it always was: generated clients name their classes by the first tag.
@router.get("/export.geojson", responses=GEOJSON_RESPONSE | ERROR_RESPONSES, tags=["parcels"])
async def export_geojson(reader: ReaderDep, filters: FilterDep) -> Response:
    """Download parcels (all, or filtered as in the list) as a GeoJSON file."""
    return await streamed_geojson(reader, filters, WGS84)


@router.get(
    "/export",
    response_class=Response,
    responses=DOWNLOAD_RESPONSES | ERROR_RESPONSES,
    tags=["export"],
)
async def export_parcels(
    reader: ReaderDep,
    open_session: ReadSessionOpenerDep,
    filters: FilterDep,
    format: Annotated[str, Query(description=f"One of: {', '.join(FORMATS)}")] = "geojson",
    crs: Annotated[
        str,
        Query(
            description="EPSG:4326 (WGS84, default); a CGCS2000 3-degree GK zone in metres, "
            "EPSG:4534 (CM 75E) … EPSG:4554 (CM 135E), e.g. EPSG:4549 (CM 120E); or local, the "
            "zone of the exported parcels (refused if they lie in several)"
        ),
    ] = "EPSG:4326",
) -> Response:
    """Download parcels (all, or filtered as in the list) in a GIS, Google Earth or table format.

    GeoJSON is streamed from PostgreSQL's COPY; GeoJSON in metres carries a ``crs`` member.
    """
    fmt = export_format(format)
    srid = export_srid(crs, fmt)
    if srid is None:  # crs=local: the one zone the selected parcels lie in
        srid = await run_in_threadpool(in_session, open_session, export_srid_for, crs, fmt, filters)
    if fmt.name == "geojson":
        return await streamed_geojson(reader, filters, srid)
    body = await run_in_threadpool(in_session, open_session, export_file, fmt, filters, srid)
    return Response(body, media_type=fmt.media_type, headers=attachment(fmt))
