"""An API worker's memory with and without the heavy libraries, measured side by side.

    /work/main/.venv/bin/python bench/worker_memory.py --database-url postgresql+psycopg://…

Round one's workers imported pandas, geopandas, pyarrow and folium at start; this round's
import them only with the requests that need them (exports to files, imports, the shareable
map). Each variant is a fresh interpreter that builds the app as uvicorn's factory does and,
for "as before", also imports those libraries; its resident memory (VmRSS) is read after.
Memory is not timing: these figures hardly move from run to run.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("pandas", "geopandas", "pyarrow", "folium")
"""What round one's workers imported at start (matplotlib came later, with printed maps)."""
VARIANTS = {"lean (this checkout)": (), "as before (heavy libraries at start)": HEAVY}
BUILD = """
import importlib, re
from api.main import create_app
from api.settings import ApiSettings
from geo.db import DatabaseSettings
create_app(ApiSettings(db=DatabaseSettings(database_url={url!r})))
for name in {heavy!r}:
    importlib.import_module(name)
status = open("/proc/self/status").read()
print(int(re.search(r"VmRSS:\\s+(\\d+) kB", status).group(1)) / 1024)
"""


def rss_mb(database_url: str, heavy: tuple[str, ...]) -> float:
    """VmRSS in MB of a fresh interpreter that built the app (and imported ``heavy``)."""
    answer = subprocess.run(
        [sys.executable, "-c", BUILD.format(url=database_url, heavy=heavy)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return float(answer.stdout.strip().splitlines()[-1])


def measure(database_url: str, repeats: int = 3) -> dict[str, float]:
    """Median VmRSS in MB of each variant over ``repeats`` fresh interpreters."""
    return {
        name: round(statistics.median(rss_mb(database_url, heavy) for _ in range(repeats)), 1)
        for name, heavy in VARIANTS.items()
    }


def main() -> None:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    print(json.dumps(measure(parser.parse_args().database_url), ensure_ascii=False))


if __name__ == "__main__":
    main()
