"""Cold vector tiles, zhengshou beside tipg, per zoom band, in one run on one database.

    /work/main/.venv/bin/python bench/tiles.py --db zhengshou_bench_1000000

"Cold" is the first request for a tile: zhengshou runs with its tile cache off
(``ZS_TILE_CACHE_MB=0``), so every tile is made by PostGIS, as tipg makes every tile. Both
servers run one uvicorn worker on a loopback port, on the same database
(already loaded, as ``bench/run.py`` leaves it; tipg's virtualenv is the one run.py makes).

For each zoom from 8 to 16 the tiles are the densest ones of the data (most parcel centres).
All the servers are up at once, each idle while another is measured.

1. Latency: each tile once, one client, the servers in turn: the first request for that tile.
   The overview zooms (8-12) must each come back in under a second.
2. Throughput: the tiles of each zoom cycled by 8 clients (``bench/load.py``), bounded by
   requests and seconds, as run.py measures its z14 tiles; in rounds, the servers in turn, so
   that the machine's other work (it is shared) weighs on each alike; the best round counts.
3. What each tile holds (features, bytes), decoded: tipg stops at 10,000 features a tile
   (``TIPG_MAX_FEATURES_PER_TILE``); ``--tipg-complete`` also runs tipg with that limit lifted,
   so that both servers make the same whole tiles.

The figures go to ``bench/results/tiles-<parcels>.json`` (docs/benchmarks.md quotes them).
Nothing here is a test: timings never go into pytest.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import http.client
import json
import math
import os
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

import mapbox_vector_tile

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
import load as loadgen  # noqa: E402
from pgconn import app_env, dsn, psql  # noqa: E402

VENV = Path(sys.executable).parent
TIPG_VENV = Path("/tmp/tipg-venv")
WORK = Path("/tmp/zhengshou-bench-work")
PORTS = {"zs": 18120, "tipg": 18121, "tipg-complete": 18122}
ZOOMS = range(8, 17)
OVERVIEW = range(8, 13)
TILE_URL = {
    "zs": "/tiles/parcels/{z}/{x}/{y}.pbf",
    "tipg": "/collections/public.parcels/tiles/WebMercatorQuad/{z}/{x}/{y}",
}


def log(msg: str) -> None:
    """Progress on stderr."""
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def densest_tiles(db: str, zoom: int, count: int) -> list[tuple[int, int, int]]:
    """The tiles at this zoom holding the most parcel centres (bounding-box centres)."""
    n = 2**zoom
    rows = psql(
        f"""WITH c AS (SELECT (ST_XMin(geom) + ST_XMax(geom)) / 2 AS x,
                              (ST_YMin(geom) + ST_YMax(geom)) / 2 AS y FROM parcels
                       WHERE geom IS NOT NULL)
        SELECT floor((x + 180) / 360 * {n})::int, floor((1 - ln(tan(radians(y))
               + 1 / cos(radians(y))) / pi()) / 2 * {n})::int, count(*)
        FROM c GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2 LIMIT {count}""",
        db,
    )
    return [(zoom, *map(int, row.split("|")[:2])) for row in rows.splitlines()]


def server_argv(name: str, db: str) -> tuple[list[str], dict[str, str], Path]:
    """(argv, environment, working directory) of a server."""
    port = str(PORTS[name])
    common = ["--host", "127.0.0.1", "--port", port, "--workers", "1"]
    common += ["--log-level", "warning", "--no-access-log"]
    if name == "zs":
        env = {
            "DATABASE_URL": app_env(db)["DATABASE_URL"],
            "ZS_TILE_CACHE_MB": "0",
            "PYTHONPATH": str(ROOT),
        }
        return [str(VENV / "uvicorn"), "api.main:create_app", "--factory", *common], env, ROOT
    env = {
        "DATABASE_URL": dsn(db),
        "TIPG_DB_SCHEMAS": '["public"]',
        "TIPG_DB_TABLES": '["public.parcels"]',
    }
    if name == "tipg-complete":
        env["TIPG_MAX_FEATURES_PER_TILE"] = "100000000"
    return [str(TIPG_VENV / "bin" / "uvicorn"), "tipg.main:app", *common], env, WORK


@contextlib.contextmanager
def server(name: str, db: str):
    """One server on its port until the block ends; waits until it answers."""
    argv, env, cwd = server_argv(name, db)
    WORK.mkdir(exist_ok=True)
    logf = open(WORK / f"tiles-{name}.log", "w")  # noqa: SIM115 - closed in finally
    proc = subprocess.Popen(
        argv, env={**os.environ, **env}, cwd=cwd, stdout=logf, stderr=subprocess.STDOUT,
        start_new_session=True,
    )  # fmt: skip
    try:
        deadline = time.time() + 60
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"{name} exited; see {logf.name}")
            with contextlib.suppress(OSError):
                conn = http.client.HTTPConnection("127.0.0.1", PORTS[name], timeout=5)
                conn.request("GET", "/" if name == "zs" else "/collections")
                if conn.getresponse().status < 500:
                    break
            if time.time() > deadline:
                raise RuntimeError(f"{name} did not answer within 60 s")
            time.sleep(0.3)
        yield f"http://127.0.0.1:{PORTS[name]}"
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)  # this server's own session only
            proc.wait()
        logf.close()


def fetch(base: str, path: str, timeout: float) -> tuple[float, int, bytes]:
    """One GET: seconds to the last byte, status, body."""
    port = int(base.rsplit(":", 1)[1])
    start = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    conn.request("GET", path)
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return time.perf_counter() - start, response.status, body


def features(body: bytes) -> int:
    """How many features a tile holds (in its one layer)."""
    if not body:
        return 0
    return sum(len(layer["features"]) for layer in mapbox_vector_tile.decode(body).values())


def measure(
    names: list[str], db: str, tiles: dict[int, list], args: argparse.Namespace, save
) -> dict:
    """First requests, then rounds of load, zoom by zoom, the servers (all up) in turn.

    Taking turns lets the machine's other work weigh on every server alike; the best round
    counts.
    """
    out: dict = {name: {"latency": {}, "load": {}} for name in names}
    with contextlib.ExitStack() as stack:
        bases = {name: stack.enter_context(server(name, db)) for name in names}
        for name, base in bases.items():
            fetch(base, "/" if name == "zs" else "/collections", 30)  # connections, catalogues
        for zoom, zoom_tiles in tiles.items():
            here = [n for n in names if n != "tipg-complete" or zoom >= args.complete_from]
            for z, x, y in zoom_tiles[: args.first]:
                for name in here:
                    path = TILE_URL["zs" if name == "zs" else "tipg"].format(z=z, x=x, y=y)
                    seconds, status, body = fetch(bases[name], path, args.timeout)
                    out[name]["latency"].setdefault(zoom, []).append({
                        "tile": f"{z}/{x}/{y}", "seconds": round(seconds, 3), "status": status,
                        "bytes": len(body), "features": features(body),
                    })  # fmt: skip
            for name in here:
                firsts = [r["seconds"] for r in out[name]["latency"][zoom]]
                log(f"{name} z{zoom} first requests: {firsts}")
            for _ in range(args.rounds):
                for name in here:
                    url = TILE_URL["zs" if name == "zs" else "tipg"]
                    paths = [bases[name] + url.format(z=z, x=x, y=y) for z, x, y in zoom_tiles]
                    result = loadgen.load(paths, args.clients, args.requests, args.seconds)
                    out[name]["load"].setdefault(zoom, []).append(result)
            for name in here:
                runs = out[name]["load"][zoom]
                best = max(runs, key=lambda r: r["req_s"] or 0)
                out[name]["load"][zoom] = {**best, "all_req_s": [r["req_s"] for r in runs]}
                log(f"{name} z{zoom} {args.clients} clients: {best['req_s']} req/s (rounds "
                    f"{[r['req_s'] for r in runs]}), errors {best['errors']} non2xx {best['non_2xx']}")  # fmt: skip
            save(out)  # what is measured so far, should the run be cut short
    return out


def summary(results: dict) -> dict:
    """Per zoom and per band: ratios of zhengshou to each tipg (req/s; first-request time)."""
    rows = {}
    for zoom in ZOOMS:
        key = str(zoom)
        zs = results["servers"]["zs"]
        if key not in zs["load"]:
            continue
        row = {
            "zs_req_s": zs["load"][key]["req_s"],
            "zs_first_s_max": max(r["seconds"] for r in zs["latency"][key]),
            "zs_first_s_median": statistics.median(r["seconds"] for r in zs["latency"][key]),
            "zs_features_median": statistics.median(r["features"] for r in zs["latency"][key]),
        }
        for peer in ("tipg", "tipg-complete"):
            data = results["servers"].get(peer)
            if not data or key not in data["load"]:
                continue
            row[f"{peer}_req_s"] = data["load"][key]["req_s"]
            row[f"{peer}_first_s_median"] = statistics.median(
                r["seconds"] for r in data["latency"][key]
            )
            row[f"{peer}_features_median"] = statistics.median(
                r["features"] for r in data["latency"][key]
            )
            row[f"x_{peer}"] = round(row["zs_req_s"] / row[f"{peer}_req_s"], 2)
            row[f"x_{peer}_first"] = round(
                row[f"{peer}_first_s_median"] / row["zs_first_s_median"], 2
            )
        rows[key] = row
    bands = {}
    for band, zooms in (("overview 8-12", OVERVIEW), ("detail 13-16", range(13, 17))):
        for peer in ("tipg", "tipg-complete"):
            ratios = [rows.get(str(z), {}).get(f"x_{peer}") for z in zooms]
            if all(r is not None for r in ratios):
                geo_mean = math.exp(statistics.fmean(math.log(r) for r in ratios))
                bands[f"{band} vs {peer}"] = {
                    "min": min(ratios), "geometric_mean": round(geo_mean, 2),
                }  # fmt: skip
    return {"zooms": rows, "bands": bands}


def parser() -> argparse.ArgumentParser:
    """The command line's options (``bench/run.py`` takes their defaults)."""
    options = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    options.add_argument("--db", required=True, help="the loaded benchmark database")
    options.add_argument("--tiles", type=int, default=25, help="densest tiles per zoom")
    options.add_argument("--first", type=int, default=5, help="first requests timed per zoom")
    options.add_argument("--clients", type=int, default=8)
    options.add_argument("--requests", type=int, default=400)
    options.add_argument("--seconds", type=float, default=5.0, help="per round")
    options.add_argument("--rounds", type=int, default=3, help="load rounds, servers in turn")
    options.add_argument("--timeout", type=float, default=120.0)
    options.add_argument("--tipg-complete", action="store_true", help="also tipg without its cap")
    options.add_argument("--complete-from", type=int, default=13, help="zooms for that run")
    options.add_argument("--zooms", type=int, nargs="+", default=list(ZOOMS))
    options.add_argument("--out", help="the results file (default bench/results/tiles-N.json)")
    return options


def run(args: argparse.Namespace) -> dict:
    """Measure, write the results file, and return the results with their summary."""
    parcels = int(psql("SELECT count(*) FROM parcels", args.db))
    tiles = {zoom: densest_tiles(args.db, zoom, args.tiles) for zoom in args.zooms}
    results = {
        "date": dt.datetime.now().isoformat(timespec="seconds"),
        "database": args.db,
        "parcels": parcels,
        "args": vars(args),
        "tiles": {zoom: [f"{z}/{x}/{y}" for z, x, y in t] for zoom, t in tiles.items()},
        "servers": {},
    }
    names = ["zs", "tipg"] + (["tipg-complete"] if args.tipg_complete else [])
    out = Path(args.out) if args.out else HERE / "results" / f"tiles-{parcels}.json"

    def save(servers: dict) -> None:
        out.write_text(json.dumps({**results, "servers": servers}, indent=1, ensure_ascii=False))

    results["servers"] = measure(names, args.db, tiles, args, save)
    results = json.loads(json.dumps(results))  # zoom keys as the JSON file has them
    results["summary"] = summary(results)
    out.write_text(json.dumps(results, indent=1, ensure_ascii=False))
    log(f"wrote {out}")
    return results


COLD_TARGET_X = 3
"""Cold tiles (cache off, every request makes its tile): at least this many times tipg."""
OVERVIEW_FIRST_S = 1.0
"""An overview tile (zooms 8-12), its first request: under this many seconds."""


def like_for_like(row: dict) -> str:
    """The tipg run making the same tiles as zhengshou: uncapped where it was measured."""
    return "tipg-complete" if "x_tipg-complete" in row else "tipg"


def _figure(value: float | None) -> str:
    return "" if value is None else f"{round(value, 3):g}"


def render(results: dict) -> list[str]:
    """The page's cold-tiles section, as Markdown lines."""
    rows = (results.get("summary") or {}).get("zooms") or {}
    if not rows:
        return []
    a = results["args"]
    lines = [
        "## Cold vector tiles",
        "",
        f"Measured by `bench/tiles.py` in the same run ({results['date']}): zhengshou with its "
        "tile cache off (`ZS_TILE_CACHE_MB=0`), so that every request makes its tile in PostGIS, "
        "as tipg makes every tile; one worker each. Per zoom, the "
        f"{a['tiles']} tiles holding the most parcels. *first s* is one client's first request "
        f"for a tile (median of {a['first']} tiles; the overview zooms 8-12 must each come back "
        f"in under {OVERVIEW_FIRST_S:g} s); *req/s* is {a['clients']} clients cycling the tiles "
        f"(best of {a['rounds']} rounds, servers in turn). tipg stops at 10,000 features a tile; "
        f"*tipg-complete* is tipg with that cap lifted, making the same whole tiles as zhengshou "
        f"(from zoom {a['complete_from']}). From zoom 12 down zhengshou counts parcels under 16 "
        "pixels in 8-pixel cells (README, Vector tiles): its overview tiles hold far fewer "
        "features than tipg's, by design, which is most of their speed.",
        "",
        "| zoom | zs first s (max) | zs req/s | zs features | tipg first s | tipg req/s "
        "| tipg features | x tipg | tipg-complete first s | tipg-complete req/s | x tipg-complete |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for zoom, r in rows.items():
        cells = [
            f"{r['zs_first_s_median']:.3f} ({r['zs_first_s_max']:.3f})",
            *(_figure(r.get(k)) for k in ("zs_req_s", "zs_features_median")),
            *(_figure(r.get(f"{p}_{k}")) for p in ("tipg",) for k in ("first_s_median", "req_s")),
            *(_figure(r.get(k)) for k in ("tipg_features_median", "x_tipg")),
            *(_figure(r.get(f"tipg-complete_{k}")) for k in ("first_s_median", "req_s")),
            _figure(r.get("x_tipg-complete")),
        ]
        lines.append(f"| {zoom} | " + " | ".join(cells) + " |")
    lines.append("")
    return lines


def targets(results: dict) -> list[tuple[str, str, bool | None]]:
    """(target, figure, met) rows for the page's targets table."""
    rows = (results.get("summary") or {}).get("zooms") or {}
    out: list[tuple[str, str, bool | None]] = []
    for zoom, r in rows.items():
        peer = like_for_like(r)
        x = r.get(f"x_{peer}")
        figure = f"{x}x {peer}"
        if peer != "tipg":
            figure += f"; {r.get('x_tipg')}x tipg with its 10,000-feature cap"
        out.append((f"cold tiles z{zoom} ≥ {COLD_TARGET_X}x tipg (req/s, cache off)", figure,
                    x is not None and x >= COLD_TARGET_X))  # fmt: skip
    overview = [r["zs_first_s_max"] for z, r in rows.items() if int(z) in OVERVIEW]
    if overview:
        out.append((f"overview tiles z8-z12 cold < {OVERVIEW_FIRST_S:g} s each",
                    f"slowest first request {max(overview):.3f} s",
                    max(overview) < OVERVIEW_FIRST_S))  # fmt: skip
    return out


def main() -> None:
    """Command line."""
    results = run(parser().parse_args())
    print(json.dumps(results["summary"], indent=1))


if __name__ == "__main__":
    main()
