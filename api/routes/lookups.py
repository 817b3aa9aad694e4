"""Look-ups: a point, an address, or a table of addresses.

The point look-up is the service's hottest path. Its common form, ``?lon=…&lat=…`` (and
``&crs=…``), is taken by ``PointLookupRoute`` ahead of FastAPI's routing, dependencies and
parameter models, which cost more than the rest of the request (about 350 µs against 70 µs per
call, measured in process). Everything else, including every mistake, goes on to the documented
route below, which validates it and says what is wrong; both answer with the same bytes.
"""

import re
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from starlette.routing import Match, Route
from starlette.types import Receive, Scope, Send

from api.deps import (
    GeocoderDep,
    GeocoderMakerDep,
    ReaderDep,
    ReadSessionDep,
    ReadSessionOpenerDep,
    get_reader,
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
from geo.coords import InputCrs, parse_crs
from geo.errors import InvalidInput
from geo.messages import message
from geo.parcels.lookup import lookup_point_query

router = APIRouter(tags=["lookup"])
POINT_PATH = "/api/v1/lookup"
# A plain decimal within range; anything else (exponents, spaces, inf) is the route's to judge.
PLAIN_NUMBER = re.compile(rb"-?[0-9]{1,3}(?:\.[0-9]{1,17})?")
CRS_NAMES = {crs.value.encode(): crs for crs in InputCrs}
JSON_HEADERS = [(b"content-type", b"application/json")]
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


def plain_point(query_string: bytes) -> tuple[float, float, InputCrs] | None:
    """lon, lat and crs from ``lon=…&lat=…[&crs=…]`` when that is all the query holds."""
    values: dict[bytes, bytes] = {}
    for pair in query_string.split(b"&"):
        name, equals, value = pair.partition(b"=")
        if not equals or name in values or name not in (b"lon", b"lat", b"crs"):
            return None
        values[name] = value
    lon, lat = values.get(b"lon", b""), values.get(b"lat", b"")
    crs = CRS_NAMES.get(values.get(b"crs", b"wgs84"))
    if crs is None or not PLAIN_NUMBER.fullmatch(lon) or not PLAIN_NUMBER.fullmatch(lat):
        return None
    point = float(lon), float(lat)
    if not (-180 <= point[0] <= 180 and -90 <= point[1] <= 90):
        return None
    return point[0], point[1], crs


class PointLookupRoute(Route):
    """``GET /api/v1/lookup?lon=…&lat=…`` as a bare ASGI route, matched only for that form."""

    def __init__(self) -> None:
        super().__init__(POINT_PATH, self.answer, methods=["GET"], include_in_schema=False)
        self.app = self.answer  # a bare ASGI app: no Request, no response class

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        """A full match for the plain form of the point look-up, no match for anything else."""
        if scope["type"] != "http" or scope["path"] != POINT_PATH or scope["method"] != "GET":
            return Match.NONE, {}
        point = plain_point(scope["query_string"])
        if point is None:
            return Match.NONE, {}
        return Match.FULL, {"endpoint": self.answer, "path_params": {}, "zs.point": point}

    async def answer(self, scope: Scope, receive: Receive, send: Send) -> None:
        """The same bytes as the documented route."""
        lon, lat, crs = scope["zs.point"]
        reader = await get_reader(Request(scope))
        body = (await reader.value(lookup_point_query(lon, lat, crs))).encode()
        headers = [*JSON_HEADERS, (b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body})


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
