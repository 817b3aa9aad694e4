"""The ``stage`` command: move a parcel, or a plan's parcels, to a stage (as the API does)."""

import json
from datetime import date
from typing import Annotated

import typer

from geo.cli.context import database_session, reported_errors
from geo.messages import message
from geo.models import STAGES
from geo.parcels.editing import parcel_version
from geo.stages import stage_name
from geo.stages.changes import StageChange, change_plan_stage, change_stage

ACTOR = "cli:stage"


def stage(
    target: Annotated[
        str, typer.Argument(help="A parcel's id (JX2022-06); with --plan, a plan's code.")
    ],
    to: Annotated[str, typer.Argument(metavar="STAGE", help=", ".join(STAGES))],
    on: Annotated[
        str | None,
        typer.Option("--date", help="The document's date, YYYY-MM-DD (default: today)."),
    ] = None,
    document: Annotated[
        str | None, typer.Option(help="The document behind the stage (title and number).")
    ] = None,
    reason: Annotated[
        str | None,
        typer.Option(help="Why: needed for paused, withdrawn and a move back (a correction)."),
    ] = None,
    signed: Annotated[
        int | None, typer.Option(help="Compensation: agreements signed so far.")
    ] = None,
    total: Annotated[
        int | None, typer.Option(help="Compensation: agreements to be signed in all.")
    ] = None,
    approval_reference: Annotated[
        str | None, typer.Option(help="The decision's approval number (批复文号).")
    ] = None,
    plan: Annotated[
        bool, typer.Option("--plan", help="TARGET is a plan's code: move all its parcels.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the answer as JSON.")] = False,
) -> None:
    """Move a parcel (or a whole plan) to a stage, with its date and document; history kept."""
    if on is None:
        on = date.today().isoformat()
        typer.echo(message("stages.cli_dated_today", date=on), err=True)
    body = {
        "stage": to,
        "date": on,
        "document": document,
        "reason": reason,
        "agreements_signed": signed,
        "agreements_total": total,
        "approval_reference": approval_reference,
    }
    with reported_errors():
        change = StageChange.from_json(body)
    with database_session() as session:
        if plan:
            moved = change_plan_stage(session, target, change, ACTOR)
            answer = moved.to_dict()
            lines = [
                message(
                    "stages.cli_plan",
                    plan=target,
                    stage=stage_name(change.stage),
                    changed=len(moved.changed),
                    unchanged=len(moved.unchanged),
                )
            ]
            warnings = moved.warnings
        else:
            result = change_stage(session, target, change, parcel_version(session, target), ACTOR)
            answer = result.to_dict()
            properties = result.feature["properties"]
            key = "stages.cli_changed" if result.changed else "stages.cli_unchanged"
            lines = [
                message(
                    key,
                    id=target,
                    stage=stage_name(properties["stage"]),
                    date=properties["stage_date"],
                    version=properties["version"],
                )
            ]
            warnings = result.warnings
    if as_json:
        typer.echo(json.dumps(answer, ensure_ascii=False, indent=1))
        return
    lines += [message("stages.cli_warning", warning=warning) for warning in warnings]
    typer.echo("\n".join(lines))
