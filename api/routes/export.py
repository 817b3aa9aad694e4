"""Parcel downloads: GeoJSON (streamed), GeoPackage, Shapefile (zip), KML, CSV and XLSX."""

from collections.abc import Iterator
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import StreamingResponse
from sqlalchemy.orm import Session

from api.deps import ReadSessionDep
from api.routes.parcels import FilterDep
from api.schemas import ERROR_RESPONSES
from geo.parcels.export import FORMATS, export_file, export_format, export_srid, geojson_chunks

router = APIRouter(tags=["export"])

DOWNLOAD_RESPONSES = {
    200: {
        "content": {fmt.media_type: {} for fmt in FORMATS.values()},
        "description": "The parcels as a file (Content-Disposition: attachment)",
    }
}


def closing(chunks: Iterator[str], session: Session) -> Iterator[str]:
    """The chunks, then the stream's own session closed, however the stream ends."""
    try:
        yield from chunks
    finally:
        session.close()


@router.get("/export", response_class=Response, responses=DOWNLOAD_RESPONSES | ERROR_RESPONSES)
def export_parcels(
    request: Request,
    session: ReadSessionDep,
    filters: FilterDep,
    format: Annotated[str, Query(description=f"One of: {', '.join(FORMATS)}")] = "geojson",
    crs: Annotated[
        str, Query(description="EPSG:4326 (WGS84, default) or EPSG:4549 (CGCS2000 GK 120E, m)")
    ] = "EPSG:4326",
) -> Response:
    """Download parcels (all, or filtered as in the list) in a GIS, Google Earth or table format.

    GeoJSON is streamed from a database cursor; EPSG:4549 GeoJSON carries a ``crs`` member.
    """
    fmt = export_format(format)
    srid = export_srid(crs, fmt)
    headers = {"Content-Disposition": f'attachment; filename="{fmt.filename}"'}
    if fmt.name == "geojson":
        # The stream gets a session of its own. The request's session ends with the request,
        # while a client that stops reading leaves the stream to be closed later, from another
        # thread: with a shared session its cursor would close on a connection already lent
        # to another request.
        own = request.app.state.read_session_factory()
        try:
            chunks = geojson_chunks(own, filters, srid)
        except BaseException:
            own.close()
            raise
        return StreamingResponse(closing(chunks, own), media_type=fmt.media_type, headers=headers)
    body = export_file(session, fmt, filters, srid)
    return Response(body, media_type=fmt.media_type, headers=headers)
