"""The bulk import beside ogr2ogr, in the same run: every parcel of a database, from one GeoPackage.

    .venv/bin/python bench/imports.py --source zhengshou_bench_1000000 --runs 3

Three loads of the same file, each into a fresh migrated database holding the shipped plan, in
turn within each run so that a drift of the shared machine's speed hits all three alike:

- ``ogr2ogr PG_USE_COPY``: GDAL's COPY into a new plain table (the issue's yardstick);
- ``zhengshou import --bulk``: every check, the upsert and a history row per parcel, in one
  transaction, into the ``parcels`` table with its constraints, generated areas and indexes;
- ``psql COPY into parcels``: the same rows, already in PostgreSQL's binary format, copied
  straight into ``parcels`` by psql with no check and no history: what the table itself costs,
  the floor under any import into it.

The ratios are taken run by run (ogr2ogr's seconds over zhengshou's) and their median is quoted,
with the range. ``bench/run.py`` calls ``measure`` and ``render`` for its pages. Nothing here is
a test: timings never go into pytest.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from pgconn import PG, app_env, dsn, psql

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
VENV = ROOT / ".venv" / "bin" if (ROOT / ".venv").exists() else Path(sys.prefix) / "bin"
IMPORT_DB = "zhengshou_bench_import"
TEMPLATE_DB = "zhengshou_bench_import_template"
WORK = Path("/tmp/zhengshou-bench-work")
GPKG_SQL = (
    "SELECT p.id, pl.title AS plan, pl.year AS plan_year, p.seq, p.block, p.name, "
    "p.boundary_text, p.declared_area_mu::float8 AS declared_area_mu, p.interest_type, "
    "p.implementing_unit, p.geometry_source, p.geometry_note, p.boundaries::text AS boundaries, "
    "p.geom FROM parcels p JOIN plans pl ON pl.id = p.plan_id ORDER BY p.id"
)
COPIED_COLUMNS = (
    "id, plan_id, seq, block, name, boundary_text, declared_area_mu, interest_type, "
    "implementing_unit, geometry_source, geometry_note, geom, boundaries"
)
TOOLS = ("ogr2ogr PG_USE_COPY", "zhengshou import --bulk", "psql COPY into parcels")


def _template() -> None:
    """A migrated database holding the shipped plan, which each load starts from (a copy)."""
    psql(f"DROP DATABASE IF EXISTS {TEMPLATE_DB} WITH (FORCE)")
    psql(f"CREATE DATABASE {TEMPLATE_DB}")
    for command in (["migrate"], ["load", "data/parcels.geojson"]):
        subprocess.run(
            [str(VENV / "zhengshou"), *command],
            env=app_env(TEMPLATE_DB),
            cwd=ROOT,
            check=True,
            capture_output=True,
        )


def _fresh() -> None:
    psql(f"DROP DATABASE IF EXISTS {IMPORT_DB} WITH (FORCE)")
    psql(f"CREATE DATABASE {IMPORT_DB} TEMPLATE {TEMPLATE_DB}")
    psql("CHECKPOINT")


def _timed(command: list[str], **kwargs: object) -> dict[str, float]:
    """Wall seconds of a command, and the CPU seconds of its own processes (not the server's)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, **kwargs)  # type: ignore[call-overload]
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return {"seconds": round(wall, 2), "client_cpu_s": round(cpu, 2)}


def measure(source_db: str, runs: int, log: Callable[[str], None] = print) -> dict:
    """Load every parcel of ``source_db`` with each tool ``runs`` times; the figures."""
    WORK.mkdir(parents=True, exist_ok=True)
    gpkg = WORK / "parcels.gpkg"
    floor = WORK / "parcels.copy"
    gpkg.unlink(missing_ok=True)
    pg = f"PG:host={PG['host']} port={PG['port']} dbname={source_db} user={PG['user']}"
    subprocess.run(
        ["ogr2ogr", "-f", "GPKG", str(gpkg), pg, "-nln", "parcels", "-sql", GPKG_SQL],
        check=True,
        capture_output=True,
    )
    # The floor's rows: the new parcels (the shipped ones are in the template already).
    psql(
        f"\\copy (SELECT {COPIED_COLUMNS} FROM parcels WHERE id LIKE 'JX2022-S%') "
        f"TO '{floor}' (FORMAT binary)",
        source_db,
    )
    features = int(psql("SELECT count(*) FROM parcels", source_db))
    _template()
    created = features - int(psql("SELECT count(*) FROM parcels", TEMPLATE_DB))
    target = f"PG:host={PG['host']} port={PG['port']} dbname={IMPORT_DB} user={PG['user']}"
    ogr2ogr = ["ogr2ogr", "--config", "PG_USE_COPY", "YES", "-f", "PostgreSQL", target]
    copy_floor = f"\\copy parcels ({COPIED_COLUMNS}) FROM '{floor}' (FORMAT binary)"
    commands = {
        TOOLS[0]: [*ogr2ogr, str(gpkg), "-nln", "ogr_parcels", "-lco", "GEOMETRY_NAME=geom"],
        TOOLS[1]: [str(VENV / "zhengshou"), "import", str(gpkg), "--bulk", "--reason", "benchmark"],
        TOOLS[2]: ["psql", dsn(IMPORT_DB), "-v", "ON_ERROR_STOP=1", "-qc", copy_floor],
    }
    figures: dict[str, list[dict]] = {tool: [] for tool in TOOLS}
    stages = []
    for run in range(runs):
        for tool in TOOLS:
            _fresh()
            if tool == TOOLS[1]:
                report_file = WORK / "import-report.json"
                command = ["sh", "-c", f'exec "$@" > {report_file}', "sh", *commands[tool]]
                figures[tool].append(_timed(command, env=app_env(IMPORT_DB), cwd=ROOT))
                report = json.loads(report_file.read_text())
                if report["created_count"] != created:
                    raise SystemExit(f"the import created {report['created_count']}, not {created}")
                stages.append({"path": report["path"], **report["seconds"]})
            else:
                figures[tool].append(_timed(commands[tool]))
        log(f"import run {run + 1}: " + ", ".join(f"{t} {figures[t][-1]}" for t in TOOLS))
    psql(f"DROP DATABASE IF EXISTS {IMPORT_DB} WITH (FORCE)")
    psql(f"DROP DATABASE IF EXISTS {TEMPLATE_DB} WITH (FORCE)")
    ours = [r["seconds"] for r in figures[TOOLS[1]]]

    def ratios(tool: str) -> list[float]:
        theirs = [r["seconds"] for r in figures[tool]]
        return [round(t / o, 2) for t, o in zip(theirs, ours, strict=True)]

    return {
        "features": features,
        "file_mb": round(gpkg.stat().st_size / 1e6, 1),
        "runs": figures,
        "zhengshou_stages": stages,
        "median_seconds": {t: statistics.median(r["seconds"] for r in figures[t]) for t in TOOLS},
        "ratios": {t: ratios(t) for t in (TOOLS[0], TOOLS[2])},
        "commands": [" ".join(commands[t]) for t in TOOLS],
    }


def median_ratio(results: dict, tool: str) -> float | None:
    """The median of the run-by-run ratios (their seconds / ours), or None."""
    values = results.get("ratios", {}).get(tool)
    return statistics.median(values) if values else None


def render(results: dict) -> list[str]:
    """The page section, as Markdown lines."""
    if not results or "runs" not in results:
        return []
    lines = [
        "## Bulk import of every parcel from one GeoPackage",
        "",
        f"One GeoPackage of {results['features']:,} parcels ({results['file_mb']} MB, written by "
        "ogr2ogr from the benchmark table). Each run loads it with each tool in turn, each into "
        "a fresh copy of a migrated database holding the shipped plan; ratios are taken run by "
        "run, so that the shared machine's drift hits both sides alike.",
        "",
        "| tool | median s | every run s | client CPU s (median) |",
        "|---|---|---|---|",
    ]
    for tool, runs in results["runs"].items():
        cpu = statistics.median(r["client_cpu_s"] for r in runs)
        every = ", ".join(str(r["seconds"]) for r in runs)
        lines.append(f"| {tool} | {results['median_seconds'][tool]} | {every} | {cpu} |")
    lines.append("")
    for tool, values in results["ratios"].items():
        lines.append(
            f"- {tool} seconds / zhengshou seconds, run by run: {values} "
            f"(median {median_ratio(results, tool)})."
        )
    stages = results.get("zhengshou_stages") or []
    if stages:
        lines.append(f"- zhengshou's stages (s), run by run: {stages}.")
    lines.append("")
    return lines


def main() -> None:
    """Command line: measure, print the JSON and the Markdown."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", required=True, help="database whose parcels are exported")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", type=Path, help="write the figures here")
    parser.add_argument("--import-db", help="scratch database to load into")
    args = parser.parse_args()
    global IMPORT_DB, TEMPLATE_DB
    if args.import_db:
        IMPORT_DB, TEMPLATE_DB = args.import_db, f"{args.import_db}_template"
    results = measure(args.source, args.runs, lambda m: print(m, file=sys.stderr, flush=True))
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    print("\n".join(render(results)))


if __name__ == "__main__":
    main()
