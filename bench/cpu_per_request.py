"""CPU time per point look-up, split between the server's processes and PostgreSQL's backends.

    .venv/bin/python bench/cpu_per_request.py --parcels 100000 [--baseline-root ../main] \
        [--servers probe zs1 zs1base tipg]

On a shared machine wall-clock figures drift with everyone else's load; the CPU time each side
spends per request drifts much less, and says where a request's cost lies. For each server in
turn: start it (as ``run.py`` does), warm it up, then load it at 8 and at 32 clients and read
the CPU time of its process tree and of the benchmark database's backends from ``/proc``
before and after. Prints one Markdown table.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import load as loadgen  # noqa: E402
import run  # noqa: E402

TICKS = os.sysconf("SC_CLK_TCK")
LABELS = {"probe": "probe", "tipg": "tipg"}  # everything else is zhengshou's look-up


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU of these processes so far (those gone since count nothing)."""
    total = 0.0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / TICKS
    return total


def backends() -> list[int]:
    """The benchmark database's backends, this query's own aside."""
    out = run.psql(
        f"SELECT pid FROM pg_stat_activity WHERE datname = '{run.DB}' AND pid <> pg_backend_pid()"
    )
    return [int(pid) for pid in out.split()]


def main() -> None:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--parcels", type=int, default=100_000)
    parser.add_argument("--database", help="default zhengshou_bench_<parcels>")
    parser.add_argument("--baseline-root", type=Path)
    parser.add_argument("--servers", nargs="+", default=["probe", "zs1", "tipg"])
    parser.add_argument("--points", choices=["uniform", "inside"], default="uniform")
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args()
    run.DB = args.database or f"zhengshou_bench_{args.parcels}"
    run.BASELINE_ROOT = args.baseline_root.resolve() if args.baseline_root else None
    run.WORK.mkdir(parents=True, exist_ok=True)
    urls_of = run.endpoints(run.workload())[f"lookup_{args.points}"]
    print("| server | clients | req/s | p99 ms | server CPU µs/request | database CPU µs/request |")
    print("|---|---|---|---|---|---|")
    for name in args.servers:
        paths = urls_of[LABELS.get(name, "zs /api/v1/lookup")]
        with run.server(name) as pid:
            urls = [f"http://127.0.0.1:{run.PORTS[name]}{path}" for path in paths]
            loadgen.load(urls, 8, 2 * len(urls), args.seconds)  # warm-up
            for clients in (8, 32):
                processes, db = run.process_tree(pid), backends()
                before = cpu_seconds(processes), cpu_seconds(db)
                res = loadgen.load(urls, clients, args.requests, args.seconds)
                db = sorted(set(db) | set(backends()))
                after = cpu_seconds(processes), cpu_seconds(db)
                n = res["requests"] or 1
                print(
                    f"| {name} | {clients} | {res['req_s']} | {res['p99_ms']} | "
                    f"{1e6 * (after[0] - before[0]) / n:.0f} | {1e6 * (after[1] - before[1]) / n:.0f} |",
                    flush=True,
                )


if __name__ == "__main__":
    main()
