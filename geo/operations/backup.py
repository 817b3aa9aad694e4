"""Backups: a pg_dump of the whole database, and a GeoPackage snapshot of the parcels.

The snapshot is for people without PostgreSQL. Restore the dump with pg_restore into an empty
database.

The dump holds everything: plans, parcels, history, tokens (hashed), documents, reference layer
and gazetteer. The PostgreSQL client used is the server's own major version, as pg_dump requires.
"""

import shutil
import subprocess
from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

from geo.db import session_scope
from geo.errors import BackupFailed
from geo.messages import message
from geo.parcels.export import export_file, export_format
from geo.parcels.reads import ParcelFilter


def libpq_url(database_url: str) -> str:
    """The SQLAlchemy URL as libpq tools take it (no +driver)."""
    url = make_url(database_url)
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def client_tool(engine: Engine, name: str) -> str:
    """The pg_dump/pg_restore matching the server's major version, else the one on PATH."""
    with engine.connect() as connection:
        major = int(connection.execute(text("SHOW server_version_num")).scalar_one()) // 10000
    candidate = Path(f"/usr/lib/postgresql/{major}/bin/{name}")
    found = str(candidate) if candidate.exists() else shutil.which(name)
    if not found:
        raise BackupFailed(message("operations.tool_missing", major=major, name=name))
    return found


def _run(command: list[str]) -> None:
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no message"])[-1]
        raise BackupFailed(message("operations.tool_failed", tool=Path(command[0]).name, last=last))


def backup(engine: Engine, target: Path) -> tuple[Path, Path]:
    """Write ``target`` (pg_dump custom format) and ``target`` with .gpkg (the parcels)."""
    url = libpq_url(engine.url.render_as_string(hide_password=False))
    _run([client_tool(engine, "pg_dump"), "--format=custom", "--no-owner", f"--file={target}", url])
    snapshot = target.with_suffix(".gpkg")
    with session_scope(engine) as session:
        data = export_file(session, export_format("gpkg"), ParcelFilter())
    snapshot.write_bytes(data)
    return target, snapshot


def restore(engine: Engine, source: Path) -> None:
    """Restore a pg_dump custom-format file into the (empty) database ``engine`` points at."""
    if not source.is_file():
        raise BackupFailed(message("files.no_such_file", path=source))
    url = libpq_url(engine.url.render_as_string(hide_password=False))
    _run(
        [
            client_tool(engine, "pg_restore"),
            "--no-owner",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={url}",
            str(source),
        ]
    )
