"""Writing parcels: create, update, retire (editor role), and their history (open)."""

import json
from typing import Annotated, Any, Literal
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Header, Query, Request, Response, UploadFile
from fastapi.responses import JSONResponse

from api.auth import EditorDep
from api.deps import SessionDep
from api.schemas import ERROR_RESPONSES, ErrorBody
from geo.errors import InvalidInput, PayloadTooLarge
from geo.intake.file_import import MAX_IMPORT_BYTES, import_parcels
from geo.parcels.documents import MAX_DOCUMENT_BYTES, attach_document, get_document, list_documents
from geo.parcels.editing import create_parcel, retire_parcel, update_parcel
from geo.parcels.history import parcel_history
from geo.survey.apply import MAX_SURVEY_BYTES, boundary_file, survey_parcel

router = APIRouter(tags=["editing"])
GEOJSON = "application/geo+json"
MAX_BODY_BYTES = 1_000_000
WRITE_RESPONSES: dict[int | str, dict[str, Any]] = {
    **ERROR_RESPONSES,
    401: {"model": ErrorBody, "description": "No valid bearer token"},
    403: {"model": ErrorBody, "description": "Token revoked, or its role may not write"},
    412: {"model": ErrorBody, "description": "The parcel changed since it was read"},
    413: {"model": ErrorBody, "description": f"Body larger than {MAX_BODY_BYTES} bytes"},
    422: {"model": ErrorBody, "description": "Invalid geometry or attributes"},
    428: {"model": ErrorBody, "description": "If-Match missing"},
}


async def json_body(request: Request) -> Any:
    """The request's JSON body, refused in plain words when too large or not JSON."""
    declared = request.headers.get("content-length", "0")
    if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise PayloadTooLarge(f"The body is {declared} bytes; the limit is {MAX_BODY_BYTES}.")
    raw = await request.body()
    if len(raw) > MAX_BODY_BYTES:
        raise PayloadTooLarge(f"The body is {len(raw)} bytes; the limit is {MAX_BODY_BYTES}.")
    try:
        return json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise InvalidInput("The body is not JSON.") from None


Body = Annotated[Any, Depends(json_body)]
IfMatch = Annotated[str | None, Header(description='The ETag you read, e.g. "3"')]


def version_from(if_match: str | None) -> int | None:
    """The version in an If-Match header ("3", 3 or W/"3")."""
    if if_match is None:
        return None
    value = if_match.strip().removeprefix("W/").strip('"')
    if not value.isdigit():
        raise InvalidInput(f"If-Match {if_match!r} is not a version this service gave out.")
    return int(value)


def feature_response(feature: dict[str, Any], status_code: int = 200) -> JSONResponse:
    """A Feature with its version as the ETag."""
    etag = f'"{feature["properties"]["version"]}"'
    return JSONResponse(
        feature, status_code=status_code, media_type=GEOJSON, headers={"ETag": etag}
    )


@router.post("/parcels", status_code=201, responses=WRITE_RESPONSES)
def create(session: SessionDep, principal: EditorDep, body: Body) -> JSONResponse:
    """Create a parcel: a GeoJSON Feature with every property of data/parcels.geojson and a reason."""
    feature = create_parcel(session, body, principal.actor)
    session.commit()
    response = feature_response(feature, 201)
    response.headers["Location"] = f"/api/v1/parcels/{feature['id']}"
    return response


@router.patch("/parcels/{parcel_id}", responses=WRITE_RESPONSES)
def patch(
    session: SessionDep, principal: EditorDep, parcel_id: str, body: Body, if_match: IfMatch = None
) -> JSONResponse:
    """Change properties and/or the geometry: `{"properties", "geometry", "reason"}`, If-Match required."""
    feature = update_parcel(session, parcel_id, body, version_from(if_match), principal.actor)
    session.commit()
    return feature_response(feature)


@router.delete("/parcels/{parcel_id}", status_code=204, responses=WRITE_RESPONSES)
def retire(
    session: SessionDep,
    principal: EditorDep,
    parcel_id: str,
    reason: Annotated[str, Query(max_length=2000, description="Why the parcel is retired")],
    if_match: IfMatch = None,
) -> Response:
    """Retire a parcel (soft delete): it leaves the map and lists, and stays in its history."""
    retire_parcel(session, parcel_id, reason, version_from(if_match), principal.actor)
    session.commit()
    return Response(status_code=204)


@router.get("/parcels/{parcel_id}/history", responses=ERROR_RESPONSES)
def history(session: SessionDep, parcel_id: str) -> dict[str, Any]:
    """Every change to the parcel: action, actor, time, reason, before and after."""
    return {"parcel_id": parcel_id, "changes": parcel_history(session, parcel_id)}


@router.post("/imports", responses=WRITE_RESPONSES)
def import_file(
    session: SessionDep,
    principal: EditorDep,
    file: UploadFile,
    reason: Annotated[str, Form(max_length=2000, description="Where the data comes from, and why")],
    dry_run: Annotated[bool, Form(description="Report what would happen, write nothing")] = True,
) -> dict[str, Any]:
    """Import parcels from GeoJSON, GeoPackage, zipped Shapefile or CSV (WKT): all or nothing."""
    data = file.file.read(MAX_IMPORT_BYTES + 1)
    report = import_parcels(session, data, file.filename or "", reason, principal.actor, dry_run)
    if not dry_run:
        session.commit()
    return report.to_dict()


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
        raise PayloadTooLarge(f"The file is larger than {MAX_SURVEY_BYTES // (1024 * 1024)} MB.")
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
    etag = f'"{answer["parcel"]["properties"]["version"]}"'
    return JSONResponse(answer, headers={"ETag": etag})


@router.get("/parcels/{parcel_id}/survey.{fmt}", responses=ERROR_RESPONSES)
def survey_export(
    session: SessionDep,
    parcel_id: str,
    fmt: Literal["csv", "txt"],
    zone_prefix: Annotated[
        bool, Query(description="Y with the zone number 40 (EPSG:4528)")
    ] = False,
) -> Response:
    """The parcel's boundary points: a 界址点 CSV table, or the 坐标 text file for submissions."""
    body = boundary_file(session, parcel_id, fmt, zone_prefix)
    media = "text/csv; charset=utf-8" if fmt == "csv" else "text/plain; charset=utf-8"
    headers = {"Content-Disposition": f'attachment; filename="{parcel_id}-boundary.{fmt}"'}
    return Response(body, media_type=media, headers=headers)


@router.post("/parcels/{parcel_id}/documents", status_code=201, responses=WRITE_RESPONSES)
def attach(
    session: SessionDep,
    principal: EditorDep,
    parcel_id: str,
    file: UploadFile,
    title: Annotated[str, Form(max_length=500, description="e.g. 征收决定批复扫描件")],
    reason: Annotated[str, Form(max_length=2000)],
) -> dict[str, Any]:
    """Attach a PDF (approval scan, survey report) to a parcel."""
    data = file.file.read(MAX_DOCUMENT_BYTES + 1)
    meta = attach_document(
        session, parcel_id, data, file.filename or "", title, reason, principal.actor
    )
    session.commit()
    return meta


@router.get("/parcels/{parcel_id}/documents", responses=ERROR_RESPONSES)
def documents(session: SessionDep, parcel_id: str) -> dict[str, Any]:
    """The documents attached to a parcel."""
    return {"parcel_id": parcel_id, "documents": list_documents(session, parcel_id)}


@router.get("/documents/{document_id}", responses=ERROR_RESPONSES)
def document(session: SessionDep, document_id: int) -> Response:
    """A document's file."""
    found = get_document(session, document_id)
    disposition = f"inline; filename*=UTF-8''{quote(found.filename)}"
    return Response(
        found.content,
        media_type=found.content_type,
        headers={"Content-Disposition": disposition, "ETag": f'"{found.sha256}"'},
    )
