"""Commands that look after the installation: the schema, backups and restores, the server."""

from pathlib import Path

import typer

from geo import migrate as migrations
from geo.cli.context import database_engine, reported_errors
from geo.db import DatabaseSettings
from geo.messages import message
from geo.operations.backup import backup, restore


def migrate(revision: str = "head") -> None:
    """Create or upgrade the database schema (Alembic)."""
    with reported_errors():
        migrations.upgrade(DatabaseSettings().database_url, revision)
    typer.echo(message("cli.schema_at", revision=revision))


def backup_command(target: Path) -> None:
    """Back up the whole database (pg_dump custom format) plus a GeoPackage of the parcels."""
    with database_engine() as engine:
        dump, snapshot = backup(engine, target)
    typer.echo(message("cli.backup_written", dump=dump, snapshot=snapshot))


def restore_command(source: Path) -> None:
    """Restore a backup into the (empty) database DATABASE_URL points at, in one transaction."""
    with database_engine() as engine:
        restore(engine, source)
    typer.echo(message("cli.restored", source=source))


def serve(host: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve the API and the map."""
    import uvicorn

    uvicorn.run("api.main:create_app", factory=True, host=host, port=port)
