"""Documents attached to parcels: PDF scans of approvals (批复) and survey reports.

Stored in PostGIS with the parcel's data, so one backup holds both; each upload is a history
row ("attach") with who, when and why.
"""

import hashlib
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from geo.errors import (
    DocumentNotFound,
    InvalidInput,
    NotAPdf,
    ParcelNotFound,
    PayloadTooLarge,
)
from geo.messages import message
from geo.models import ParcelDocument
from geo.parcels.history import record_change, snapshots

MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
PDF_MAGIC = b"%PDF-"


def attach_document(
    session: Session,
    parcel_id: str,
    data: bytes,
    filename: str,
    title: str,
    reason: str,
    actor: str,
) -> dict[str, Any]:
    """Attach a PDF to a parcel and record it in the parcel's history."""
    current = snapshots(session, [parcel_id]).get(parcel_id)
    if current is None:
        raise ParcelNotFound(message("parcels.not_found", parcel_id=parcel_id))
    if len(data) > MAX_DOCUMENT_BYTES:
        raise PayloadTooLarge(
            message("files.too_large", limit_mb=MAX_DOCUMENT_BYTES // (1024 * 1024))
        )
    if not data.startswith(PDF_MAGIC):
        raise NotAPdf(
            message("parcels.not_a_pdf", filename=filename or message("parcels.the_upload"))
        )
    if not title.strip() or not reason.strip():
        raise InvalidInput(message("parcels.document_needs_title"))
    document = ParcelDocument(
        parcel_id=parcel_id,
        title=title.strip(),
        filename=filename or "document.pdf",
        content_type="application/pdf",
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        content=data,
        uploaded_by=actor,
    )
    session.add(document)
    session.flush()
    meta = describe(document)
    record_change(
        session, parcel_id, "attach", actor, reason, current, current | {"document": meta}
    )
    return meta


def describe(document: ParcelDocument) -> dict[str, Any]:
    """A document's metadata, without its bytes."""
    return {
        "id": document.id,
        "parcel_id": document.parcel_id,
        "title": document.title,
        "filename": document.filename,
        "content_type": document.content_type,
        "size": document.size,
        "sha256": document.sha256,
        "uploaded_at": document.uploaded_at.isoformat() if document.uploaded_at else None,
        "uploaded_by": document.uploaded_by,
        "url": f"/api/v1/documents/{document.id}",
    }


def list_documents(session: Session, parcel_id: str) -> list[dict[str, Any]]:
    """The documents attached to a parcel, oldest first."""
    rows = session.execute(
        select(ParcelDocument)
        .where(ParcelDocument.parcel_id == parcel_id)
        .order_by(ParcelDocument.id)
    ).scalars()
    return [describe(row) for row in rows]


def get_document(session: Session, document_id: int) -> ParcelDocument:
    """One document with its bytes."""
    document = session.get(ParcelDocument, document_id)
    if document is None:
        raise DocumentNotFound(message("parcels.document_not_found", document_id=document_id))
    return document
