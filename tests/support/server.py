"""The app as `make run` serves it: a real uvicorn process on a free loopback port."""

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from tests.support.files import ROOT

UVICORN = Path(sys.executable).with_name("uvicorn")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LiveServer:
    """uvicorn on a database; the environment pins the local geocoder and no outside basemap."""

    def __init__(self, database_url: str, log_dir: Path | None = None, wait_s: float = 30) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = Path(log_dir or tempfile.mkdtemp(prefix="zs-uvicorn-")) / "uvicorn.log"
        env = os.environ | {
            "DATABASE_URL": database_url,
            "ZS_BASEMAP": "none",
            "ZS_GEOCODER": "local",
        }
        self._log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            [
                str(UVICORN),
                "api.main:create_app",
                "--factory",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + wait_s
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.base}/healthz", timeout=1).status_code in (200, 503):
                    return
            except httpx.TransportError:
                pass
            if self.process.poll() is not None:
                pytest.fail(
                    f"uvicorn exited with {self.process.returncode}:\n{self.log_path.read_text()}"
                )
            time.sleep(0.1)
        self.stop()
        pytest.fail(f"uvicorn did not answer /healthz within {wait_s:g} s")

    def kill(self) -> None:
        """kill -9, as a crash would."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)
        self._log.close()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self._log.close()


@contextmanager
def serve(database_url: str, log_dir: Path | None = None) -> Iterator[str]:
    """A LiveServer for the duration of the block; yields its base URL."""
    server = LiveServer(database_url, log_dir)
    try:
        yield server.base
    finally:
        server.stop()
