"""Survey results (勘测定界): a parcel's 界址点 uploaded (editor role) and downloaded (open)."""

from typing import Annotated, Literal

from fastapi import APIRouter, Form, Query, Response, UploadFile
from fastapi.responses import JSONResponse

from api.auth import EditorDep
from api.deps import SessionDep
from api.requests import WRITE_RESPONSES, IfMatch, version_etag, version_from
from api.schemas import ERROR_RESPONSES
from geo.errors import PayloadTooLarge
from geo.messages import message
from geo.survey.apply import MAX_SURVEY_BYTES, boundary_file, survey_parcel

router = APIRouter(tags=["editing"])


@router.post("/parcels/{parcel_id}/survey", responses=WRITE_RESPONSES)
def survey(
    session: SessionDep,
    principal: EditorDep,
    parcel_id: str,
    file: UploadFile,
    reason: Annotated[
        str, Form(max_length=2000, description="e.g. 勘测定界成果, survey report no.")
    ],
    confirm: Annotated[bool, Form(description="Store it; without, only report the areas")] = False,
    if_match: IfMatch = None,
) -> JSONResponse:
    """Upload a 界址点 table (CSV/XLSX) or 坐标 text file; report areas, and store it on confirm."""
    data = file.file.read(MAX_SURVEY_BYTES + 1)
    if len(data) > MAX_SURVEY_BYTES:
        raise PayloadTooLarge(
            message("files.too_large", limit_mb=MAX_SURVEY_BYTES // (1024 * 1024))
        )
    answer = survey_parcel(
        session,
        parcel_id,
        data,
        file.filename or "",
        reason=reason,
        confirm=confirm,
        expected_version=version_from(if_match),
        actor=principal.actor,
    )
    if not confirm:
        return JSONResponse(answer)
    session.commit()
    return JSONResponse(answer, headers={"ETag": version_etag(answer["parcel"])})


@router.get("/parcels/{parcel_id}/survey.{fmt}", responses=ERROR_RESPONSES)
def survey_export(
    session: SessionDep,
    parcel_id: str,
    fmt: Literal["csv", "txt"],
    zone_prefix: Annotated[
        bool,
        Query(
            description="Y with the zone number of the parcel's own zone (e.g. 40 for 120E, EPSG:4528)"
        ),
    ] = False,
) -> Response:
    """The parcel's boundary points: a 界址点 CSV table, or the 坐标 text file for submissions."""
    body = boundary_file(session, parcel_id, fmt, zone_prefix)
    media = "text/csv; charset=utf-8" if fmt == "csv" else "text/plain; charset=utf-8"
    headers = {"Content-Disposition": f'attachment; filename="{parcel_id}-boundary.{fmt}"'}
    return Response(body, media_type=media, headers=headers)
