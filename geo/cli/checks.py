"""Commands that check: the parcel audits, and how a 四至 text reads."""

import json
from typing import Annotated

import typer

from geo.boundaries.parse import parse_boundaries
from geo.boundaries.sides import NEAR_M
from geo.checks.area import DEFAULT_TOLERANCE_PCT, check_areas
from geo.checks.audit import audit_parcels, audit_summary
from geo.checks.summary import check_summary
from geo.cli.context import database_session
from geo.messages import current_language, message


def check(
    tolerance_pct: Annotated[float, typer.Option(help="Allowed area difference in %.")] = (
        DEFAULT_TOLERANCE_PCT
    ),
    near_m: Annotated[float, typer.Option(help="How close a named feature must be (m).")] = NEAR_M,
    strict: Annotated[bool, typer.Option(help="Exit 1 when any parcel fails.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
    summary: Annotated[
        bool,
        typer.Option(
            help="Counts, the worst findings and each check's time, computed in PostGIS: for "
            "large tables, where the per-parcel report would be millions of lines."
        ),
    ] = False,
    overlaps: Annotated[
        bool,
        typer.Option(
            help="With --summary: include the overlap check (slow where parcels pile up)."
        ),
    ] = True,
) -> None:
    """Audit the parcels: area against declared mu, topology, and the 四至 sides."""
    if summary:
        with database_session() as session:
            report = check_summary(session, tolerance_pct, overlaps)
        typer.echo(json.dumps(report, ensure_ascii=False, indent=1, default=str))
        if strict and (report["area"]["fail"] or report["topology"]["overlapping_pairs"]):
            raise typer.Exit(1)
        return
    with database_session() as session:
        areas = check_areas(session, tolerance_pct)
        audits = audit_parcels(session, tolerance_pct, near_m)
    if as_json:
        report = {"area": areas.to_dict(), "parcels": [a.to_dict() for a in audits]}
        typer.echo(json.dumps(report, ensure_ascii=False, indent=1))
    else:
        typer.echo(message("cli.area_table_header"))
        typer.echo("\n".join(item.summary() for item in (*areas.parcels, *areas.plans)))
        typer.echo("")
        for audit in audits:
            typer.echo(f"{audit.id:<12} {audit.status.upper():<5} {audit.name}")
            for reason in audit.reasons:
                typer.echo(f"    {reason['status']:<4} {reason[current_language()]}")
        counts = audit_summary(audits)
        typer.echo(
            message(
                "cli.audit_counts",
                ok=counts["ok"],
                warn=counts["warn"],
                fail=counts["fail"],
                tolerance_pct=tolerance_pct,
                near_m=near_m,
            )
        )
    if strict and (any(a.status == "fail" for a in audits) or not areas.ok):
        raise typer.Exit(1)


def parse(text: str) -> None:
    """Parse a four-boundary (四至) text and print the sides as JSON."""
    parsed = parse_boundaries(text)
    typer.echo(json.dumps(parsed.to_dict(), ensure_ascii=False, indent=1))
    if parsed.unparsed:
        raise typer.Exit(1)
