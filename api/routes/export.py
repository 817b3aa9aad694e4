"""Parcel downloads: GeoJSON (streamed), GeoPackage, Shapefile (zip), KML, CSV and XLSX."""

from typing import Annotated

from fastapi import APIRouter, Query, Response
from fastapi.responses import StreamingResponse

from api.deps import SessionDep
from api.routes.parcels import FilterDep
from api.schemas import ERROR_RESPONSES
from geo.export import FORMATS, export_file, export_format, export_srid, geojson_chunks

router = APIRouter(tags=["export"])

DOWNLOAD_RESPONSES = {
    200: {
        "content": {fmt.media_type: {} for fmt in FORMATS.values()},
        "description": "The parcels as a file (Content-Disposition: attachment)",
    }
}


@router.get("/export", response_class=Response, responses=DOWNLOAD_RESPONSES | ERROR_RESPONSES)
def export_parcels(
    session: SessionDep,
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
        chunks = geojson_chunks(session, filters, srid)
        return StreamingResponse(chunks, media_type=fmt.media_type, headers=headers)
    body = export_file(session, fmt, filters, srid)
    return Response(body, media_type=fmt.media_type, headers=headers)
