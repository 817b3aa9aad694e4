"""The summary command: a plan's parcels and 亩 by block, company, public-interest type and stage."""

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from geo.checks.area import DEFAULT_TOLERANCE_PCT
from geo.cli.context import database_session, fail
from geo.messages import LANGUAGES, current_language, message, use_language
from geo.plans.summary import FIGURES, plan_summary
from geo.plans.summary_files import header, summary_csv, summary_xlsx, table_rows


class SummaryFormat(StrEnum):
    """What ``zhengshou summary`` writes."""

    table = "table"
    csv = "csv"
    xlsx = "xlsx"
    json = "json"


def shown(figure: str, value: float | None) -> str:
    """A figure as the table shows it: 亩 to two decimals, nothing as '-'."""
    if value is None:
        return "-"
    return f"{value:.2f}" if figure.endswith("_mu") else str(value)


def as_table(summary: dict[str, Any]) -> Table:
    """The summary as a terminal table (rich measures Chinese characters as two columns)."""
    plan = summary["plan"]
    table = Table(
        title=message("summary.table_title", title=plan["title"], code=plan["code"]),
        caption=message("summary.table_caption", tolerance=f"{summary['tolerance_pct']:g}"),
    )
    names = header()
    for index, name in enumerate(names):
        table.add_column(name, justify="left" if index < 2 else "right", overflow="fold")
    previous = None
    for row in table_rows(summary):
        grouping = row[0]
        if previous is not None and grouping != previous:
            table.add_section()
        shown_grouping = "" if grouping == previous else grouping
        previous = grouping
        table.add_row(shown_grouping, row[1], *map(shown, FIGURES, row[2:]))
    return table


def print_table(report: dict[str, Any], output: Path | None) -> None:
    """The terminal table on stdout, or in a text file; wide enough not to wrap when piped."""
    if output is None:
        Console(width=None if sys.stdout.isatty() else 160).print(as_table(report))
        return
    with output.open("w", encoding="utf-8") as file:
        Console(file=file, width=160).print(as_table(report))


def summary(
    plan: Annotated[str, typer.Argument(help="The plan's code, e.g. JX2022.")],
    output_format: Annotated[
        SummaryFormat, typer.Option("--format", "-f", help="What to write.")
    ] = SummaryFormat.table,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write to this file (xlsx needs one)."),
    ] = None,
    tolerance_pct: Annotated[
        float, typer.Option(help="The area check's allowed difference in %.")
    ] = DEFAULT_TOLERANCE_PCT,
    lang: Annotated[
        str | None,
        typer.Option(help="zh or en; by default from LC_ALL, LC_MESSAGES or LANG."),
    ] = None,
) -> None:
    """A plan's parcels and 亩 by block, company, public-interest type and stage (统计).

    With the area check's counts and how many parcels are located: the API's summary.
    """
    language = lang or current_language()  # the global --lang, else LC_ALL/LC_MESSAGES/LANG
    if language not in LANGUAGES:
        raise fail(message("summary.bad_language", value=lang, languages=", ".join(LANGUAGES)))
    with use_language(language):
        if output_format is SummaryFormat.xlsx and output is None:
            raise fail(message("summary.xlsx_needs_file"))
        with database_session() as session:
            report = plan_summary(session, plan, tolerance_pct)
        if output_format is SummaryFormat.table:
            print_table(report, output)
            return
        body: bytes = {
            SummaryFormat.csv: summary_csv,
            SummaryFormat.xlsx: summary_xlsx,
            SummaryFormat.json: lambda r: json.dumps(r, ensure_ascii=False, indent=1).encode(),
        }[output_format](report)
        if output is None:
            sys.stdout.buffer.write(body)
            sys.stdout.flush()
        else:
            output.write_bytes(body)
            typer.echo(message("summary.written", path=str(output)), err=True)
