"""The zhengshou command, run as a separate process against a database."""

import os
import subprocess
import sys
from pathlib import Path

ZHENGSHOU = Path(sys.executable).with_name("zhengshou")


def run(database_url: str, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    env = os.environ | {"DATABASE_URL": database_url}
    return subprocess.run(
        [str(ZHENGSHOU), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        check=False,
    )
