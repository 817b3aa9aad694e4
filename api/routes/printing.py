"""Printed maps (附图): one parcel's or a whole plan's, as PDF or PNG on A4 or A3.

The routes are plain ``def``: FastAPI runs them in its thread pool, so that drawing a map (CPU
work, a second or so) never holds up the event loop.
"""

from typing import Annotated, Literal
from urllib.parse import quote

from fastapi import APIRouter, Query, Request, Response

from api.deps import ReadSessionDep
from api.schemas import ERROR_RESPONSES, ErrorBody
from geo.messages import language_from_accept
from geo.printing.output import PrintedMap, print_parcel, print_plan
from geo.printing.paper import DEFAULT_DPI, MAX_DPI, MIN_DPI, PrintOptions

router = APIRouter(tags=["printing"])

Format = Literal["pdf", "png"]
Paper = Annotated[Literal["A4", "A3"], Query(description="Paper size")]
Orientation = Annotated[Literal["portrait", "landscape"], Query(description="Page orientation")]
Dpi = Annotated[int, Query(ge=MIN_DPI, le=MAX_DPI, description="PNG resolution")]
Page = Annotated[int, Query(ge=1, le=1000, description="PNG: which page (a PDF has them all)")]
Language = Annotated[
    Literal["zh", "en"] | None,
    Query(description="Language of the map's labels; by default the Accept-Language header's"),
]
MAP_RESPONSES = {
    200: {
        "content": {"application/pdf": {}, "image/png": {}},
        "description": "The map: a PDF with every page, or one page as PNG",
    },
    404: {"model": ErrorBody, "description": "Unknown parcel or plan"},
} | ERROR_RESPONSES


def _options(
    request: Request, fmt: str, paper: str, orientation: str, dpi: int, page: int, lang: str | None
) -> PrintOptions:
    language = lang or language_from_accept(request.headers.get("accept-language"))
    return PrintOptions(paper, orientation, fmt, dpi, page, language)


def _response(printed: PrintedMap) -> Response:
    fallback = printed.filename.encode("ascii", "replace").decode().replace('"', "_")
    disposition = f"inline; filename=\"{fallback}\"; filename*=UTF-8''{quote(printed.filename)}"
    headers = {"Content-Disposition": disposition, "X-Page-Count": str(printed.pages)}
    return Response(printed.content, media_type=printed.media_type, headers=headers)


@router.get("/parcels/{parcel_id}/map.{fmt}", responses=MAP_RESPONSES)
def parcel_map(
    session: ReadSessionDep,
    request: Request,
    parcel_id: str,
    fmt: Format,
    paper: Paper = "A4",
    orientation: Orientation = "portrait",
    dpi: Dpi = DEFAULT_DPI,
    page: Page = 1,
    lang: Language = None,
) -> Response:
    """The parcel's map (附图).

    Its 红线, 四至, neighbours and named features to a standard scale, with its table and, for a
    drawn or surveyed shape, its boundary points.
    """
    options = _options(request, fmt, paper, orientation, dpi, page, lang)
    return _response(print_parcel(session, parcel_id, options))


@router.get("/plans/{code}/map.{fmt}", responses=MAP_RESPONSES)
def plan_map(
    session: ReadSessionDep,
    request: Request,
    code: str,
    fmt: Format,
    paper: Paper = "A4",
    orientation: Orientation = "portrait",
    dpi: Dpi = DEFAULT_DPI,
    page: Page = 1,
    lang: Language = None,
) -> Response:
    """The plan's map.

    Every parcel numbered by 序号 and coloured by block, with its index and totals; the index
    continues on further pages when it is long.
    """
    options = _options(request, fmt, paper, orientation, dpi, page, lang)
    return _response(print_plan(session, code, options))
