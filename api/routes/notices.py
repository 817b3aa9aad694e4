"""Ingesting a published notice (any county, any layout): review it, correct it, commit it."""

import json
from typing import Annotated, Any

from fastapi import APIRouter, Form, UploadFile

from api.auth import EditorDep
from api.deps import SessionDep
from api.requests import WRITE_RESPONSES
from geo.errors import InvalidInput
from geo.intake.notice_ingest import ingest_notice_file
from geo.messages import message
from geo.notices.corrections import read_corrections
from geo.notices.readers.messages import MAX_BYTES

router = APIRouter(tags=["editing"])


@router.post("/plans/ingest", responses=WRITE_RESPONSES)
def ingest_notice(
    session: SessionDep,
    principal: EditorDep,
    file: UploadFile,
    dry_run: Annotated[
        bool,
        Form(description="Answer the review (every field, where from, warnings); write nothing"),
    ] = False,
    code: Annotated[
        str | None,
        Form(max_length=32, description="The plan's short code (default: stored or derived)"),
    ] = None,
    corrections: Annotated[
        str | None,
        Form(
            description='JSON list of corrections: [{"parcel": 0, "field": "area", '
            '"text": "12.5亩"}, {"field": "title", "text": "…"}]'
        ),
    ] = None,
) -> dict[str, Any]:
    """Read a notice file (text, web page, Word, PDF, Excel, CSV) into a plan and its parcels.

    With ``dry_run`` the answer is the review the map's 导入公告 shows; without it the plan and
    parcels are written in one transaction (the same file again changes nothing).
    """
    data = file.file.read(MAX_BYTES + 1)
    try:
        typed = None if not corrections else json.loads(corrections)
    except ValueError:
        raise InvalidInput(message("notices.corrections_not_json")) from None
    result = ingest_notice_file(
        session,
        data,
        file.filename or "notice",
        code=code or None,
        corrections=read_corrections(typed),
        actor=principal.actor,
        dry_run=dry_run,
    )
    if not dry_run:
        session.commit()
    return result.to_dict()
