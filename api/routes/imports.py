"""Importing parcel files: GeoJSON, GeoPackage, zipped Shapefile or CSV (editor role)."""

from typing import Annotated, Any

from fastapi import APIRouter, Form, UploadFile

from api.auth import EditorDep
from api.deps import SessionDep
from api.requests import WRITE_RESPONSES

router = APIRouter(tags=["editing"])


@router.post("/imports", responses=WRITE_RESPONSES)
def import_file(
    session: SessionDep,
    principal: EditorDep,
    file: UploadFile,
    reason: Annotated[str, Form(max_length=2000, description="Where the data comes from, and why")],
    dry_run: Annotated[bool, Form(description="Report what would happen, write nothing")] = True,
) -> dict[str, Any]:
    """Import parcels from GeoJSON, GeoPackage, zipped Shapefile or CSV (WKT): all or nothing."""
    # Imported here, not at start-up: reading files needs pandas and GDAL, which a worker
    # serving maps and look-ups would otherwise carry (about 150 MB).
    from geo.intake.file_import import MAX_IMPORT_BYTES, import_parcels

    data = file.file.read(MAX_IMPORT_BYTES + 1)
    report = import_parcels(session, data, file.filename or "", reason, principal.actor, dry_run)
    if not dry_run:
        session.commit()
    return report.to_dict()
