"""The area and topology checks over a whole layer, on two layouts of the same size.

    .venv/bin/python bench/checks.py --parcels 1000000

``zhengshou check --summary`` runs each check as one statement, and reports the seconds each took.
It is run on two databases of the same number of synthetic parcels (``bench/generate.py``):

- ``tiling`` (``zhengshou_bench_tiling_<n>``, made here when missing): a cadastral map, where
  parcels share edges with their neighbours and one in a thousand overlaps them; the realistic
  case, whose overlap check is the target;
- ``clustered`` (``zhengshou_bench_<n>``, the other benchmarks' database): parcels piled on each
  other around town centres, about 58 overlapping neighbours each at 1,000,000; the worst case.

``bench/run.py`` calls ``measure`` and ``render`` for its pages. Nothing here is a test: timings
never go into pytest.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from pgconn import app_env, dsn, psql

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
VENV = ROOT / ".venv" / "bin" if (ROOT / ".venv").exists() else Path(sys.prefix) / "bin"


def databases(n: int) -> dict[str, str]:
    """The database of each layout for n synthetic parcels."""
    return {"tiling": f"zhengshou_bench_tiling_{n}", "clustered": f"zhengshou_bench_{n}"}


def ensure_layout(db: str, n: int, layout: str, log: Callable[[str], None]) -> None:
    """Create, migrate and fill ``db`` with n synthetic parcels of a layout, unless done already."""
    if not psql(f"SELECT 1 FROM pg_database WHERE datname = '{db}'"):
        psql(f"CREATE DATABASE {db}")
    zhengshou = str(VENV / "zhengshou")
    subprocess.run(
        [zhengshou, "migrate"], env=app_env(db), cwd=ROOT, check=True, capture_output=True
    )
    if psql("SELECT count(*) FROM plans WHERE code = 'JX2022'", db) == "0":
        subprocess.run(
            [zhengshou, "load", "data/parcels.geojson"],
            env=app_env(db),
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
    if int(psql("SELECT count(*) FROM parcels WHERE id LIKE 'JX2022-S%'", db)) == n:
        return
    log(f"loading {n} synthetic parcels ({layout}) into {db}")
    generate = [str(VENV / "python"), str(HERE / "generate.py"), "--parcels", str(n)]
    generate += ["--layout", layout, "--dsn", dsn(db)]
    subprocess.run(generate, cwd=ROOT, check=True, capture_output=True)


def measure_one(db: str, overlaps: bool = True) -> dict:
    """``zhengshou check --summary`` on one database: the seconds of each check and in all."""
    command = [str(VENV / "zhengshou"), "check", "--summary"]
    if not overlaps:
        command.append("--no-overlaps")
    started = time.perf_counter()
    out = subprocess.run(
        command, env=app_env(db), cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout
    wall = round(time.perf_counter() - started, 2)
    report = json.loads(out)
    return {
        "database": db,
        "command": " ".join(command[1:]),
        "wall_seconds": wall,
        "seconds": report["seconds"],
        "parcels": report["area"]["parcels"],
        "area_fail": report["area"]["fail"],
        "overlapping_pairs": report["topology"]["overlapping_pairs"],
        "overlap_total_m2": report["topology"]["overlap_total_m2"],
    }


def measure(
    n: int, log: Callable[[str], None] = print, clustered_overlaps: bool = True
) -> dict[str, dict]:
    """Both layouts' figures; the clustered layout's database must exist (``bench/run.py``)."""
    dbs = databases(n)
    ensure_layout(dbs["tiling"], n, "tiling", log)
    results = {}
    for layout, db in dbs.items():
        log(f"checks on the {layout} layout ({db})")
        results[layout] = measure_one(db, overlaps=layout == "tiling" or clustered_overlaps)
        log(f"checks ({layout}): {results[layout]['seconds']}")
    return results


def render(results: dict[str, dict]) -> list[str]:
    """The page section, as Markdown lines."""
    results = {k: v for k, v in results.items() if k in ("tiling", "clustered")}
    if not results:  # none measured, or an older results file
        return []
    lines = [
        "## Area and topology checks, computed in PostGIS",
        "",
        "`zhengshou check --summary` on two layouts of the same number of parcels "
        "(`bench/generate.py --layout`): a cadastral tiling (neighbours share edges; one parcel "
        "in a thousand is drawn too large and overlaps them) and the clustered layout of the "
        "other benchmarks (parcels piled on each other). Seconds as the command reports them; "
        "wall seconds include the process start.",
        "",
        "| layout | parcels | overlap s | other checks s | wall s | overlapping pairs |",
        "|---|---|---|---|---|---|",
    ]
    for layout, figures in results.items():
        seconds = dict(figures["seconds"])
        overlap = seconds.pop("overlaps", None)
        others = ", ".join(f"{name} {value}" for name, value in seconds.items())
        pairs = figures["overlapping_pairs"]
        lines.append(
            f"| {layout} | {figures['parcels']:,} | "
            f"{'not checked' if overlap is None else overlap} | {others} | "
            f"{figures['wall_seconds']} | {'—' if pairs is None else f'{pairs:,}'} |"
        )
    lines.append("")
    return lines


def main() -> None:
    """Command line: measure both layouts, print the JSON and the Markdown."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--parcels", type=int, default=100_000)
    parser.add_argument("--no-clustered-overlaps", action="store_true")
    parser.add_argument("--json", type=Path, help="write the figures here")
    args = parser.parse_args()
    log = lambda m: print(m, file=sys.stderr, flush=True)  # noqa: E731
    results = measure(args.parcels, log, clustered_overlaps=not args.no_clustered_overlaps)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    print("\n".join(render(results)))


if __name__ == "__main__":
    main()
