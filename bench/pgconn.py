"""The benchmark cluster as the bench scripts reach it: URLs, the app's environment, psql."""

from __future__ import annotations

import os
import subprocess

PG = {"host": "127.0.0.1", "port": int(os.environ.get("ZS_PGPORT", "55432")), "user": "zhengshou"}


def dsn(db: str) -> str:
    """The libpq URL of a database on the benchmark cluster."""
    return f"postgresql://{PG['user']}@{PG['host']}:{PG['port']}/{db}"


def app_env(db: str) -> dict[str, str]:
    """This environment with zhengshou's DATABASE_URL pointing at ``db``."""
    url = f"postgresql+psycopg://{PG['user']}@{PG['host']}:{PG['port']}/{db}"
    return {**os.environ, "DATABASE_URL": url}


def psql(sql: str, db: str = "postgres") -> str:
    """One statement through psql, unaligned, quiet; its output."""
    out = subprocess.run(
        ["psql", dsn(db), "-v", "ON_ERROR_STOP=1", "-Atqc", sql],
        check=True,
        capture_output=True,
        text=True,
    )
    return out.stdout.strip()
