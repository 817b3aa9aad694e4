"""Look-ups: a point, an address, or a table of addresses."""

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from api.deps import (
    GeocoderDep,
    GeocoderMakerDep,
    ReaderDep,
    ReadSessionDep,
    ReadSessionOpenerDep,
)
from api.schemas import ERROR_RESPONSES
from geo.addresses.batch import (
    MAX_ROWS,
    batch_lookup,
    read_address_table,
    table_format,
    write_table,
)
from geo.addresses.lookup import lookup_address
from geo.addresses.parse import MAX_ADDRESS_CHARS
from geo.coords import parse_crs
from geo.errors import InvalidInput
from geo.messages import message
from geo.parcels.lookup import lookup_point_query

router = APIRouter(tags=["lookup"])
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@router.get("/lookup", responses=ERROR_RESPONSES)
async def lookup(
    reader: ReaderDep,
    open_session: ReadSessionOpenerDep,
    make_geocoder: GeocoderMakerDep,
    lon: Annotated[float | None, Query(ge=-180, le=180, allow_inf_nan=False)] = None,
    lat: Annotated[float | None, Query(ge=-90, le=90, allow_inf_nan=False)] = None,
    crs: Annotated[
        str, Query(description="wgs84 (GPS), gcj02 (Amap, Tencent) or bd09 (Baidu)")
    ] = "wgs84",
    address: Annotated[
        str | None, Query(max_length=MAX_ADDRESS_CHARS, description="e.g. 嘉兴市城北路592号")
    ] = None,
) -> Response:
    """Does this point or address fall in a parcel? If not, which parcel is nearest?

    Give ``lon`` and ``lat`` (in ``crs``), or ``address``. An address matched only to its road or
    district is too coarse for inside/outside: ``inside`` is null and nearby parcels are listed.
    """
    if address is not None:
        if lon is not None or lat is not None:
            raise InvalidInput(message("lookups.point_or_address"))
        geocoder = make_geocoder()

        def answer_address() -> dict[str, Any]:
            # Geocoding may call an outside service and blocks: it runs in the thread pool.
            with open_session() as session:
                return lookup_address(session, address, geocoder)

        return JSONResponse(await run_in_threadpool(answer_address))
    if lon is None or lat is None:
        raise InvalidInput(message("lookups.point_or_address_missing"))
    # The hot path: one statement, the answer built by PostGIS and passed through as bytes.
    body = await reader.value(lookup_point_query(lon, lat, parse_crs(crs)))
    return Response(body, media_type="application/json")


@router.post(
    "/lookup/batch",
    responses=ERROR_RESPONSES,
    description="Upload a CSV or XLSX with an address column (the one named address or 地址, "
    f"else the first; at most {MAX_ROWS} rows) and get the same table back, in the same format, "
    "with the answer to each row. A row that fails says why and does not stop the others.",
)
def lookup_batch(session: ReadSessionDep, geocoder: GeocoderDep, file: UploadFile) -> Response:
    """Check a table of addresses."""
    fmt = table_format(file.filename)
    frame = read_address_table(file.file.read(), fmt)
    body = write_table(batch_lookup(session, frame, geocoder), fmt)
    name = f"zhengshou-lookup.{fmt}"
    return Response(
        body,
        media_type=MEDIA_TYPES[fmt],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
