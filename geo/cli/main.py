"""The ``zhengshou`` app: every command, registered in the order ``zhengshou --help`` lists them."""

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

app = typer.Typer(
    help="zhengshou: land and house expropriation plans as a GIS service.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
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
