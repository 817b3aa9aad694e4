"""Documents attached to parcels (approval scans, survey reports): attach (editor role), read."""

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Form, Request, Response, UploadFile

from api.auth import EditorDep
from api.conditional import none_match, not_modified
from api.deps import SessionDep
from api.requests import WRITE_RESPONSES
from api.schemas import ERROR_RESPONSES
from geo.parcels.documents import MAX_DOCUMENT_BYTES, attach_document, get_document, list_documents

router = APIRouter(tags=["editing"])


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
def document(request: Request, session: SessionDep, document_id: int) -> Response:
    """A document's file; 304 when If-None-Match names its ETag (its SHA-256)."""
    found = get_document(session, document_id)
    etag = f'"{found.sha256}"'
    if none_match(request, etag):
        return not_modified({"ETag": etag})
    disposition = f"inline; filename*=UTF-8''{quote(found.filename)}"
    return Response(
        found.content,
        media_type=found.content_type,
        headers={"Content-Disposition": disposition, "ETag": etag},
    )
