"""PostgreSQL clusters a test owns: a primary made by scripts/pgcluster.sh, as `make run` makes the
project's cluster, and a hot standby streamed from it with `pg_basebackup -R`.

Both live in temporary directories on free ports, so starting and stopping them disturbs no other
test. Run as root, the servers run as the postgres user (PostgreSQL refuses root), as
pgcluster.sh does. :func:`streaming_pair` always stops and removes both, even when a step fails.
"""

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from functools import cache
from pathlib import Path

from tests.support.files import ROOT
from tests.support.server import free_port

PGCLUSTER = ROOT / "scripts" / "pgcluster.sh"
SUPERUSER = "zhengshou"  # pgcluster.sh's superuser, trusted on 127.0.0.1
RUNS_AS_ROOT = os.geteuid() == 0
SERVER_USER = "postgres"


def as_server_user(command: list[str]) -> list[str]:
    """The command as the user the servers run as."""
    return ["runuser", "-u", SERVER_USER, "--", *command] if RUNS_AS_ROOT else command


def server_owned_directory(prefix: str) -> Path:
    """A fresh temporary directory the servers' user owns."""
    path = Path(tempfile.mkdtemp(prefix=prefix))
    if RUNS_AS_ROOT:
        shutil.chown(path, SERVER_USER)
    return path


def run(command: list[str], env: dict[str, str] | None = None, timeout: float = 120) -> str:
    """Run a command; on failure raise with what it printed."""
    done = subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({done.returncode}):\n{done.stderr}")
    return done.stdout


@cache
def bindir() -> Path:
    """The PostgreSQL binaries pgcluster.sh uses."""
    return Path(run([str(PGCLUSTER), "bindir"]).strip())


def url(port: int, database: str = "zhengshou") -> str:
    """The SQLAlchemy URL of a database on a local test cluster."""
    return f"postgresql+psycopg://{SUPERUSER}@127.0.0.1:{port}/{database}"


class PrimaryCluster:
    """A private cluster made and started by scripts/pgcluster.sh on a free port."""

    def __init__(self) -> None:
        self.base = server_owned_directory("zs-primary-")
        self.port = free_port()
        self.data = self.base / "data"
        self.env = os.environ | {"ZS_PGPORT": str(self.port), "ZS_PGDATA": str(self.data)}

    def pgcluster(self, action: str) -> str:
        """Run ``scripts/pgcluster.sh <action>`` on this cluster; what it said on stderr."""
        done = subprocess.run(
            [str(PGCLUSTER), action],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"pgcluster.sh {action} failed:\n{done.stderr}")
        return done.stderr

    def psql(self, sql: str, database: str = "postgres") -> str:
        """One statement's result as psql prints it unaligned (``-tA``)."""
        command = [str(bindir() / "psql"), "-h", "127.0.0.1", "-p", str(self.port)]
        return run([*command, "-U", SUPERUSER, "-d", database, "-tAqc", sql]).strip()

    def url(self, database: str = "zhengshou") -> str:
        return url(self.port, database)

    def remove(self) -> None:
        """Stop the cluster and delete its files."""
        with suppress(RuntimeError, subprocess.TimeoutExpired):
            self.pgcluster("stop")
        shutil.rmtree(self.base, ignore_errors=True)


class Standby:
    """A hot standby of ``primary``: a base backup with ``-R``, streaming through a slot."""

    SLOT = "zs_test_standby"

    def __init__(self, primary: PrimaryCluster) -> None:
        self.primary = primary
        self.base = server_owned_directory("zs-standby-")
        self.port = free_port()
        self.data = self.base / "data"
        self.log = self.base / "standby.log"

    def build(self) -> None:
        """Copy the primary (pg_basebackup -R writes standby.signal and primary_conninfo).

        The slot keeps the primary's WAL for the standby while it is stopped.
        """
        host = ["-h", "127.0.0.1", "-p", str(self.primary.port), "-U", SUPERUSER]
        copy = ["-D", str(self.data), "-R", "-X", "stream", "-c", "fast"]
        slot = ["--create-slot", "--slot", self.SLOT]
        run(as_server_user([str(bindir() / "pg_basebackup"), *host, *copy, *slot]))

    def pg_ctl(self, *args: str) -> None:
        command = [str(bindir() / "pg_ctl"), "-D", str(self.data), "-l", str(self.log), *args]
        try:
            run(as_server_user(command))
        except RuntimeError as exc:
            log = self.log.read_text(errors="replace")[-3000:] if self.log.exists() else ""
            raise RuntimeError(f"{exc}\nstandby log:\n{log}") from None

    def start(self) -> None:
        """Start as a hot standby; returns once it accepts read-only connections."""
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 "
            f"-c unix_socket_directories={self.base} -c hot_standby=on"
        )
        self.pg_ctl("-w", "-t", "60", "start", "-o", options)

    def stop(self) -> None:
        """Stop as an administrator would (fast: open connections are cut)."""
        self.pg_ctl("-m", "fast", "-w", "stop")

    def is_running(self) -> bool:
        pid = self.data / "postmaster.pid"
        return (
            pid.exists()
            and subprocess.run(
                as_server_user([str(bindir() / "pg_ctl"), "-D", str(self.data), "status"]),
                capture_output=True,
                check=False,
            ).returncode
            == 0
        )

    def psql(self, sql: str, database: str = "postgres") -> str:
        command = [str(bindir() / "psql"), "-h", "127.0.0.1", "-p", str(self.port)]
        return run([*command, "-U", SUPERUSER, "-d", database, "-tAqc", sql]).strip()

    def url(self, database: str = "zhengshou") -> str:
        return url(self.port, database)

    def remove(self) -> None:
        """Stop the standby, delete its files and its slot on the primary."""
        with suppress(RuntimeError, subprocess.TimeoutExpired):
            if self.is_running():
                self.stop()
        shutil.rmtree(self.base, ignore_errors=True)
        with suppress(RuntimeError, subprocess.TimeoutExpired):
            self.primary.psql(
                "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots "
                f"WHERE slot_name = '{self.SLOT}'"
            )


@contextmanager
def streaming_pair(prepare_primary=None) -> Iterator[tuple[PrimaryCluster, Standby]]:
    """A started primary and a hot standby streaming from it, removed when the block ends.

    ``prepare_primary(primary)`` runs before the base backup (to load data, so that the standby
    starts with it).
    """
    primary = PrimaryCluster()
    standby = None
    try:
        primary.pgcluster("start")
        if prepare_primary is not None:
            prepare_primary(primary)
        standby = Standby(primary)
        standby.build()
        standby.start()
        yield primary, standby
    finally:
        if standby is not None:
            standby.remove()
        primary.remove()
