"""A plan's summary (统计): parcels and 亩 by block, company, type and stage; as JSON, CSV, XLSX.

The labels (groupings, stage names, 未注明, column headers) are in the language the request asks
for: ``?lang=zh|en`` when given (a download link cannot set a header), else Accept-Language.
"""

from collections.abc import Callable
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Query, Request, Response

from api.deps import ReadSessionDep
from api.schemas import ERROR_RESPONSES, ErrorBody, PlanSummaryReport
from geo.checks.area import DEFAULT_TOLERANCE_PCT
from geo.messages import language_from_accept, use_language
from geo.plans.summary import plan_summary
from geo.plans.summary_files import filename, summary_csv, summary_xlsx

router = APIRouter(tags=["plans"])

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"
NOT_FOUND = {404: {"model": ErrorBody, "description": "No plan has this code"}}

Tolerance = Annotated[
    float, Query(ge=0, le=100, description="The area check's allowed difference in %")
]
Language = Annotated[
    str | None,
    Query(pattern="^(zh|en)$", description="zh or en: the labels' language (else Accept-Language)"),
]


def _summary(
    session: ReadSessionDep,
    request: Request,
    code: str,
    tolerance_pct: float,
    lang: str | None,
    render: Callable[[dict[str, Any]], Any],
) -> Any:
    language = lang or language_from_accept(request.headers.get("accept-language"))
    with use_language(language):
        return render(plan_summary(session, code, tolerance_pct))


def _download(body: bytes, media_type: str, name: str) -> Response:
    # The code may be Chinese (a plan loaded by its title): RFC 6266's filename* carries it, the
    # plain filename gives older clients an ASCII name.
    disposition = f"attachment; filename=\"{quote(name)}\"; filename*=UTF-8''{quote(name)}"
    return Response(
        body,
        media_type=media_type,
        headers={"Content-Disposition": disposition, "Vary": "Accept-Language"},
    )


@router.get(
    "/plans/{code}/summary",
    response_model=PlanSummaryReport,
    responses=NOT_FOUND | ERROR_RESPONSES,
)
def get_plan_summary(
    session: ReadSessionDep,
    request: Request,
    response: Response,
    code: str,
    tolerance_pct: Tolerance = DEFAULT_TOLERANCE_PCT,
    lang: Language = None,
) -> dict[str, Any]:
    """A plan's parcels counted and their declared and measured 亩 summed, group by group.

    By block, implementing company, public-interest type and stage (every stage, zeros
    included), by the area check's verdict and by located or not; a field the notice does not
    state is a group of its own.
    """
    response.headers["Vary"] = "Accept-Language"
    return _summary(session, request, code, tolerance_pct, lang, lambda summary: summary)


@router.get(
    "/plans/{code}/summary.csv",
    response_class=Response,
    responses={200: {"content": {CSV: {}}, "description": "CSV, UTF-8 with BOM"}}
    | NOT_FOUND
    | ERROR_RESPONSES,
)
def get_plan_summary_csv(
    session: ReadSessionDep,
    request: Request,
    code: str,
    tolerance_pct: Tolerance = DEFAULT_TOLERANCE_PCT,
    lang: Language = None,
) -> Response:
    """The summary as one CSV table (UTF-8 with a BOM, so that Excel reads the Chinese)."""
    return _summary(
        session,
        request,
        code,
        tolerance_pct,
        lang,
        lambda summary: _download(summary_csv(summary), CSV, filename(summary, "csv")),
    )


@router.get(
    "/plans/{code}/summary.xlsx",
    response_class=Response,
    responses={200: {"content": {XLSX: {}}, "description": "Excel workbook"}}
    | NOT_FOUND
    | ERROR_RESPONSES,
)
def get_plan_summary_xlsx(
    session: ReadSessionDep,
    request: Request,
    code: str,
    tolerance_pct: Tolerance = DEFAULT_TOLERANCE_PCT,
    lang: Language = None,
) -> Response:
    """The summary as an Excel workbook: the table, and a sheet naming the plan."""
    return _summary(
        session,
        request,
        code,
        tolerance_pct,
        lang,
        lambda summary: _download(summary_xlsx(summary), XLSX, filename(summary, "xlsx")),
    )
