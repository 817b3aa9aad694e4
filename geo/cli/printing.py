"""The print command: a parcel's or a plan's printed map (附图) into a PDF or PNG file."""

from pathlib import Path
from typing import Annotated

import typer

from geo.cli.context import database_session, fail
from geo.messages import current_language, message, use_language
from geo.printing.output import print_map
from geo.printing.paper import DEFAULT_DPI, PrintOptions


def print_command(
    target: Annotated[
        str, typer.Argument(metavar="PARCEL_OR_PLAN", help="A parcel id or a plan code.")
    ],
    out: Annotated[Path, typer.Option("--out", "-o", help="The file to write: .pdf or .png.")],
    paper: Annotated[str, typer.Option(help="A4 or A3.")] = "A4",
    orientation: Annotated[str, typer.Option(help="portrait or landscape.")] = "portrait",
    dpi: Annotated[int, typer.Option(help="PNG resolution (50 to 300).")] = DEFAULT_DPI,
    page: Annotated[int, typer.Option(help="PNG: which page to write.")] = 1,
    lang: Annotated[
        str | None, typer.Option(help="Language of the labels (zh or en); else the shell's.")
    ] = None,
) -> None:
    """Print a parcel's map, or a whole plan's, to a standard scale on A4 or A3."""
    language = lang or current_language()
    with use_language(language):
        fmt = out.suffix.lower().lstrip(".")
        if fmt not in ("pdf", "png"):
            raise fail(message("printing.bad_suffix", path=out))
        with database_session() as session:
            options = PrintOptions(paper, orientation, fmt, dpi, page, language)
            printed = print_map(session, target, options)
        out.write_bytes(printed.content)
        typer.echo(message("printing.written", path=out, pages=printed.pages))
