"""The zhengshou command, run as a separate process against a database."""

import os
import subprocess
import sys
from pathlib import Path

ZHENGSHOU = Path(sys.executable).with_name("zhengshou")


# English unless a test says otherwise: the CLI follows LANG, LC_ALL and LC_MESSAGES.
LOCALE_VARIABLES = ("LANG", "LC_ALL", "LC_MESSAGES")


def run(
    database_url: str, *args: str, timeout: float = 120, environment: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    inherited = {k: v for k, v in os.environ.items() if k not in LOCALE_VARIABLES}
    env = inherited | {"DATABASE_URL": database_url, "LANG": "C.UTF-8"} | (environment or {})
    return subprocess.run(
        [str(ZHENGSHOU), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        check=False,
    )
