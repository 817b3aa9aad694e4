"""Parcel downloads: GeoJSON (streamed), GeoPackage, Shapefile (zip), KML, CSV and XLSX."""

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, ExitStack
from typing import Annotated

from fastapi import APIRouter, Query, Response
from fastapi.responses import StreamingResponse
from sqlalchemy.orm import Session

from api.deps import ReadSessionDep, ReadSessionOpenerDep
from api.requests import FilterDep
from api.schemas import ERROR_RESPONSES, GEOJSON_RESPONSE
from geo.parcels.export import (
    FORMATS,
    WGS84,
    ExportFormat,
    export_file,
    export_format,
    export_srid_for,
    geojson_chunks,
)
from geo.parcels.reads import ParcelFilter

router = APIRouter()

DOWNLOAD_RESPONSES = {
    200: {
        "content": {fmt.media_type: {} for fmt in FORMATS.values()},
        "description": "The parcels as a file (Content-Disposition: attachment)",
    }
}


def attachment(fmt: ExportFormat) -> dict[str, str]:
    """The header that makes a browser save the answer as the format's file."""
    return {"Content-Disposition": f'attachment; filename="{fmt.filename}"'}


def closing(chunks: Iterator[str], resources: ExitStack) -> Iterator[str]:
    """The chunks, then the stream's own session closed, however the stream ends."""
    try:
        yield from chunks
    finally:
        resources.close()


def streamed_geojson(
    open_session: Callable[[], AbstractContextManager[Session]],
    filters: ParcelFilter,
    srid: int,
) -> StreamingResponse:
    """The parcels as a GeoJSON download, streamed from a database cursor.

    The stream gets a session of its own. The request's session ends with the request, while
    a client that stops reading leaves the stream to be closed later, from another thread: with
    a shared session its cursor would close on a connection already lent to another request.
    """
    fmt = FORMATS["geojson"]
    resources = ExitStack()
    session = resources.enter_context(open_session())
    try:
        chunks = geojson_chunks(session, filters, srid)
    except BaseException:
        resources.close()
        raise
    return StreamingResponse(
        closing(chunks, resources), media_type=fmt.media_type, headers=attachment(fmt)
    )


# Tagged "parcels" as it always was: generated clients name their classes by the first tag.
@router.get("/export.geojson", responses=GEOJSON_RESPONSE | ERROR_RESPONSES, tags=["parcels"])
def export_geojson(open_session: ReadSessionOpenerDep, filters: FilterDep) -> Response:
    """Download parcels (all, or filtered as in the list) as a GeoJSON file."""
    return streamed_geojson(open_session, filters, WGS84)


@router.get(
    "/export",
    response_class=Response,
    responses=DOWNLOAD_RESPONSES | ERROR_RESPONSES,
    tags=["export"],
)
def export_parcels(
    session: ReadSessionDep,
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

    GeoJSON is streamed from a database cursor; GeoJSON in metres carries a ``crs`` member.
    """
    fmt = export_format(format)
    srid = export_srid_for(session, crs, fmt, filters)
    if fmt.name == "geojson":
        return streamed_geojson(open_session, filters, srid)
    body = export_file(session, fmt, filters, srid)
    return Response(body, media_type=fmt.media_type, headers=attachment(fmt))
