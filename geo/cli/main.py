"""The ``zhengshou`` app: every command, registered in the order ``zhengshou --help`` lists them."""

from enum import StrEnum
from typing import Annotated

import typer

from geo.cli import (
    checks,
    loading,
    lookups,
    operations,
    printing,
    stages,
    summary,
    tokens,
    users,
)
from geo.messages import language_from_environment, set_language


class Language(StrEnum):
    """The languages the CLI speaks (the message catalogues)."""

    zh = "zh"
    en = "en"


def choose_language(
    lang: Annotated[
        Language | None,
        typer.Option(
            "--lang", help="Language of the output: zh or en (default: from LANG / LC_ALL)."
        ),
    ] = None,
) -> None:
    """Set the language every command's output and errors are in."""
    set_language(lang.value if lang else language_from_environment())


app = typer.Typer(
    help="zhengshou: land and house expropriation plans as a GIS service.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    callback=choose_language,
)

for name, command in (
    ("migrate", operations.migrate),
    ("load", loading.load),
    ("build", loading.build),
    ("load-gazetteer", loading.load_gazetteer),
    ("load-reference", loading.load_reference),
    ("check", checks.check),
    ("summary", summary.summary),
    ("lookup", lookups.lookup),
    ("export", lookups.export),
    ("parse", checks.parse),
    ("import", loading.import_command),
    ("ingest", loading.ingest),
    ("stage", stages.stage),
    ("backup", operations.backup_command),
    ("restore", operations.restore_command),
    ("map", lookups.shareable_map),
    ("print", printing.print_command),
    ("serve", operations.serve),
):
    app.command(name)(command)
app.add_typer(tokens.app, name="token")
app.add_typer(users.app, name="user")
