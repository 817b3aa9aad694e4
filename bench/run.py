"""Benchmark zhengshou side by side with tipg, pygeoapi and GDAL's ogr2ogr, on one database.

    /work/main/.venv/bin/python bench/run.py --parcels 100000

Steps, all in one run:

1. the database ``zhengshou_bench`` (created if missing, never the app's or the tests'):
   migrate, load the shipped plan, add N synthetic parcels with ``bench/generate.py`` (COPY)
   unless exactly N are already there;
2. the peers' own virtualenvs under /tmp (``/tmp/tipg-venv``, ``/tmp/pygeoapi-venv``), made
   with pip when missing;
3. each server in turn (zhengshou 1 worker, zhengshou 2 workers, tipg 1 worker, pygeoapi 1
   worker) on its own loopback port: start, warm up, load with ``bench/load.py`` (bounded by
   request count and time), sample the server's RSS, stop;
4. whole-file GeoJSON exports (zhengshou streamed, tipg and pygeoapi items with a high limit,
   ``ogr2ogr``, and a ``psql`` COPY of one SQL as the floor);
5. the figures as JSON in ``bench/results/`` and as tables in ``docs/benchmarks.md``
   (``--render RESULTS.json`` re-renders the page without measuring).

Every request goes to 127.0.0.1 only. Nothing here is a test: timings never go into pytest.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import http.client
import json
import math
import os
import platform
import random
import shlex
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
import checks as bench_checks  # noqa: E402  (bench/checks.py: the checks on two layouts)
import imports as bench_imports  # noqa: E402  (bench/imports.py: the bulk import's runs)
import load as loadgen  # noqa: E402
import page  # noqa: E402  (bench/page.py: the page from a results file)
import tiles as bench_tiles  # noqa: E402  (bench/tiles.py: cold tiles per zoom)
import worker_memory  # noqa: E402  (bench/worker_memory.py: lean against heavy start-up)

PG = {"host": "127.0.0.1", "port": int(os.environ.get("ZS_PGPORT", "55432")), "user": "zhengshou"}
DB = "zhengshou_bench_100000"  # one database per size: set from --parcels in main()
WORK = Path("/tmp/zhengshou-bench-work")
# The project's virtualenv: the checkout's own, else the one running this script (a git worktree
# shares its main checkout's).
VENV = ROOT / ".venv" / "bin" if (ROOT / ".venv").exists() else Path(sys.prefix) / "bin"
TIPG_VENV = Path("/tmp/tipg-venv")
PYGEOAPI_VENV = Path("/tmp/pygeoapi-venv")
PORTS = {
    "zs1": 18110,
    "zs2": 18111,
    "tipg": 18112,
    "pygeoapi": 18113,
    "zs1nc": 18114,
    "probe": 18115,
    "zs1base": 18116,
}
# zs1nc is zs1 with its tile cache off: the warm-up pass fills zs1's cache, so zs1's tile figure
# is the cached one and zs1nc's is every tile made by PostGIS. probe is bench/probe.py, the bare
# look-up ceiling. zs1base is zs1 run from another checkout (--baseline-root), for before/after
# figures of the look-up and of the worker's memory.
LOOKUPS = {"lookup_uniform", "lookup_inside"}
ONLY_SCENARIOS = {"zs1nc": {"mvt_z14"}, "probe": LOOKUPS, "zs1base": LOOKUPS}
BASELINE_ROOT: Path | None = None  # --baseline-root
EXTENT = (120.60, 30.65, 120.90, 30.85)
SEED = 20221
FORBIDDEN_DBS = {"zhengshou"}
COMMANDS: list[str] = []  # every shell command the run issued, for the report


def log(msg: str) -> None:
    """Progress on stderr."""
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def sh(cmd: list[str] | str, *, env: dict | None = None, record: bool = True, **kw) -> str:
    """Run a command, record it, return stdout."""
    text = cmd if isinstance(cmd, str) else shlex.join(cmd)
    if record:
        COMMANDS.append(text)
    out = subprocess.run(
        cmd,
        shell=isinstance(cmd, str),
        env={**os.environ, **(env or {})},
        check=True,
        capture_output=True,
        text=True,
        **kw,
    )
    return out.stdout


def dsn(db: str | None = None) -> str:
    """Libpq URL (the benchmark database by default)."""
    return f"postgresql://{PG['user']}@{PG['host']}:{PG['port']}/{db or DB}"


def psql(sql: str, db: str | None = None, record: bool = False) -> str:
    """One SQL statement through psql, unaligned output."""
    return sh(["psql", dsn(db), "-v", "ON_ERROR_STOP=1", "-Atc", sql], record=record).strip()


# --------------------------------------------------------------------------- setup


def prepare_database(n: int) -> dict:
    """Create, migrate and fill the benchmark database; returns load timings if it loaded."""
    if DB in FORBIDDEN_DBS or not DB.startswith("zhengshou_bench"):
        raise SystemExit(f"refusing to use database {DB}")
    exists = psql(f"SELECT 1 FROM pg_database WHERE datname = '{DB}'", db="postgres")
    if not exists:
        psql(f"CREATE DATABASE {DB}", db="postgres", record=True)
    env = {"DATABASE_URL": f"postgresql+psycopg://{PG['user']}@{PG['host']}:{PG['port']}/{DB}"}
    sh([str(VENV / "zhengshou"), "migrate"], env=env, cwd=ROOT)
    have_plan = psql("SELECT count(*) FROM plans WHERE code = 'JX2022'")
    if have_plan == "0":
        sh([str(VENV / "zhengshou"), "load", "data/parcels.geojson"], env=env, cwd=ROOT)
    synthetic = int(psql("SELECT count(*) FROM parcels WHERE id LIKE 'JX2022-S%'"))
    if synthetic == n:
        log(f"{n} synthetic parcels already loaded")
        # A migration may just have written every row of a table (0012: parcel_tiles):
        # vacuumed now, autovacuum does not do it in the middle of the measurements.
        psql("VACUUM (ANALYZE)", record=True)
        return {"reused": True}
    log(f"loading {n} synthetic parcels with COPY")
    out = sh(
        [str(VENV / "python"), str(HERE / "generate.py"), "--parcels", str(n), "--dsn", dsn()],
        cwd=ROOT,
    )
    return json.loads(out.strip().splitlines()[-1])


def ensure_peer_venvs() -> None:
    """Make the peers' virtualenvs if they are missing."""
    for venv, packages in (
        (TIPG_VENV, ["tipg", "uvicorn"]),
        (PYGEOAPI_VENV, ["pygeoapi", "psycopg2-binary", "geoalchemy2", "starlette", "uvicorn"]),
    ):
        if not (venv / "bin" / "uvicorn").exists():
            log(f"creating {venv}")
            sh(
                [
                    sys.executable if "python3" in sys.executable else "python3",
                    "-m",
                    "venv",
                    str(venv),
                ]
            )
            sh([str(venv / "bin" / "pip"), "install", "-q", *packages])


def versions() -> dict:
    """Versions of everything measured, and the machine."""

    def commit_of(root: Path) -> str:
        # git itself: in a worktree .git is a file, not the directory it names. A tree exported
        # with git archive names its commit in BASELINE_COMMIT.
        if (root / "BASELINE_COMMIT").exists():
            return (root / "BASELINE_COMMIT").read_text().strip()
        return sh(["git", "-C", str(root), "rev-parse", "HEAD"], record=False).strip()

    commit = commit_of(ROOT)

    def pyver(venv: Path, module: str) -> str:
        try:
            return sh(
                [
                    str(venv / "bin" / "python"),
                    "-c",
                    f"import importlib.metadata as m; print(m.version('{module}'))",
                ],
                record=False,
            ).strip()
        except subprocess.CalledProcessError:
            return "missing"

    meminfo = Path("/proc/meminfo").read_text().splitlines()
    mem_kb = int(next(line.split()[1] for line in meminfo if line.startswith("MemTotal")))
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    cpu = next(
        (line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")),
        platform.processor(),
    )
    return {
        "zhengshou_commit": commit,
        **({"baseline_commit": commit_of(BASELINE_ROOT)} if BASELINE_ROOT else {}),
        "zhengshou_uvicorn": pyver(VENV.parent, "uvicorn"),
        "zhengshou_fastapi": pyver(VENV.parent, "fastapi"),
        "zhengshou_psycopg": pyver(VENV.parent, "psycopg"),
        "tipg": pyver(TIPG_VENV, "tipg"),
        "tipg_uvicorn": pyver(TIPG_VENV, "uvicorn"),
        "pygeoapi": pyver(PYGEOAPI_VENV, "pygeoapi"),
        "pygeoapi_uvicorn": pyver(PYGEOAPI_VENV, "uvicorn"),
        "gdal": sh(["ogr2ogr", "--version"], record=False).strip(),
        "postgis": psql("SELECT postgis_full_version()"),
        "postgresql": psql("SHOW server_version"),
        "python": platform.python_version(),
        "nproc": os.cpu_count(),
        "memory_gib": round(mem_kb / 1024 / 1024, 1),
        "cpu_model": cpu,
        "kernel": platform.release(),
        "pg_settings": psql(
            "SELECT string_agg(name || '=' || setting || coalesce(unit, ''), ', ') "
            "FROM pg_settings WHERE name IN ('shared_buffers', 'work_mem', "
            "'max_connections', 'jit', 'max_parallel_workers_per_gather')"
        ),
    }


# --------------------------------------------------------------------------- workload


def workload(n_urls: int = 400) -> dict:
    """Seeded points, bboxes and tiles drawn from the data."""
    rng = random.Random(SEED)
    min_lon, min_lat, max_lon, max_lat = EXTENT
    points = [
        (round(rng.uniform(min_lon, max_lon), 6), round(rng.uniform(min_lat, max_lat), 6))
        for _ in range(n_urls)
    ]
    values = ",".join(f"({i},{x},{y})" for i, (x, y) in enumerate(points))
    hits = psql(
        f"SELECT count(*) FROM (VALUES {values}) v(i,x,y) WHERE EXISTS (SELECT 1 FROM "
        f"parcels p WHERE ST_Intersects(p.geom, ST_SetSRID(ST_MakePoint(x,y),4326)))"
    )
    # Points surely inside a parcel: a seeded sample of synthetic parcels' surface points.
    total = int(psql("SELECT count(*) FROM parcels WHERE id LIKE 'JX2022-S%'"))
    seqs = sorted(rng.sample(range(1000, 1000 + total), min(n_urls, total)))
    rows = psql(
        "SELECT round(ST_X(pt)::numeric, 6) || ' ' || round(ST_Y(pt)::numeric, 6) FROM "
        "(SELECT ST_PointOnSurface(geom) pt, seq FROM parcels WHERE id LIKE 'JX2022-S%' "
        f"AND seq IN ({','.join(map(str, seqs))})) s ORDER BY seq"
    )
    inside = [tuple(map(float, r.split())) for r in rows.splitlines()]
    rng.shuffle(inside)
    # Small bboxes (~100 parcels) around seeded parcel points, sized by a search on the median
    # count; and larger ones (well over 100 parcels) for limit=100 pages.
    centres = inside[:40]

    def median_count(h: float) -> float:
        counts = [
            int(
                psql(
                    f"SELECT count(*) FROM parcels WHERE geom && ST_MakeEnvelope("
                    f"{x - h},{y - h * 0.86},{x + h},{y + h * 0.86},4326)"
                )
            )
            for x, y in centres
        ]
        return statistics.median(counts)

    lo, hi = 0.0005, 0.05
    for _ in range(12):
        mid = math.sqrt(lo * hi)
        if median_count(mid) < 100:
            lo = mid
        else:
            hi = mid
    h_small = round(hi, 5)
    h_large = round(h_small * 3, 5)

    def boxes(h: float) -> list[str]:
        return [f"{x - h:.6f},{y - h * 0.86:.6f},{x + h:.6f},{y + h * 0.86:.6f}" for x, y in inside]

    small = boxes(h_small)
    large = boxes(h_large)
    counts_small = [
        int(psql(f"SELECT count(*) FROM parcels WHERE geom && ST_MakeEnvelope({b},4326)"))
        for b in small[:40]
    ]
    counts_large = [
        int(psql(f"SELECT count(*) FROM parcels WHERE geom && ST_MakeEnvelope({b},4326)"))
        for b in large[:40]
    ]
    # The densest z14 tiles: the 25 tiles holding most parcel centres.
    tiles = psql("""
        WITH c AS (SELECT ST_X(ST_Centroid(geom)) x, ST_Y(ST_Centroid(geom)) y FROM parcels),
        t AS (SELECT floor((x + 180) / 360 * 16384)::int tx,
                     floor((1 - ln(tan(radians(y)) + 1 / cos(radians(y))) / pi()) / 2 * 16384)::int ty
              FROM c)
        SELECT tx || ' ' || ty || ' ' || count(*) FROM t GROUP BY tx, ty ORDER BY count(*) DESC, tx, ty
        LIMIT 25""")
    tile_list = [tuple(map(int, r.split())) for r in tiles.splitlines()]
    return {
        "points_uniform": points,
        "points_uniform_hit_fraction": int(hits) / len(points),
        "points_inside": inside,
        "bbox_small_half_deg": h_small,
        "bbox_small": small,
        "bbox_small_count_median": statistics.median(counts_small),
        "bbox_small_count_range": [min(counts_small), max(counts_small)],
        "bbox_large_half_deg": h_large,
        "bbox_large": large,
        "bbox_large_count_median": statistics.median(counts_large),
        "tiles_z14": [(14, x, y) for x, y, _ in tile_list],
        "tiles_z14_centres": [c for _, _, c in tile_list],
    }


# --------------------------------------------------------------------------- servers


def process_tree(pid: int) -> list[int]:
    """Pid and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children.get(p, []))
    return out


def rss_each_mb(pid: int) -> list[float]:
    """VmRSS of each process in the tree, in MB (MiB)."""
    out = []
    for p in process_tree(pid):
        try:
            with open(f"/proc/{p}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        out.append(int(line.split()[1]) / 1024)
        except OSError:
            pass
    return out


def rss_mb(pid: int) -> float:
    """Sum of VmRSS over the process tree, in MB (MiB)."""
    return sum(rss_each_mb(pid))


class RssSampler:
    """Samples the RSS of a process tree every 0.1 s in a thread; peak and baseline."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.baseline = rss_mb(pid)
        self.peak = self.baseline
        self.peak_process = max(rss_each_mb(pid), default=0.0)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            each = rss_each_mb(self.pid)
            self.peak = max(self.peak, sum(each))
            self.peak_process = max(self.peak_process, max(each, default=0.0))
            self._stop.wait(0.1)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, rss_mb(self.pid))


def port_free(port: int) -> bool:
    """Nobody listens on 127.0.0.1:port."""
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) != 0


def pygeoapi_config(port: int) -> Path:
    """Write pygeoapi's YAML config (PostgreSQL provider on public.parcels) and its OpenAPI."""
    cfg = WORK / "pygeoapi.yml"
    cfg.write_text(f"""\
server:
  bind: {{host: 127.0.0.1, port: {port}}}
  url: http://127.0.0.1:{port}
  mimetype: application/json; charset=UTF-8
  encoding: utf-8
  gzip: false
  languages: [en-US]
  pretty_print: false
  limits:
    default_items: 10
    max_items: 200000
  map:
    url: https://tile.openstreetmap.org/{{z}}/{{x}}/{{y}}.png
    attribution: OSM
logging:
  level: ERROR
metadata:
  identification:
    title: zhengshou bench
    description: benchmark peer
    keywords: [bench]
    keywords_type: theme
    terms_of_service: https://creativecommons.org/licenses/by/4.0/
    url: http://127.0.0.1
  license: {{name: CC-BY 4.0, url: https://creativecommons.org/licenses/by/4.0/}}
  provider: {{name: bench, url: http://127.0.0.1}}
  contact:
    name: bench
    position: bench
    address: none
    city: none
    stateorprovince: none
    postalcode: none
    country: none
    phone: none
    fax: none
    email: none@example.org
    url: http://127.0.0.1
    hours: none
    instructions: none
    role: pointOfContact
resources:
  parcels:
    type: collection
    title: parcels
    description: parcels
    keywords: [parcels]
    extents:
      spatial:
        bbox: [120.6, 30.65, 120.9, 30.85]
        crs: http://www.opengis.net/def/crs/OGC/1.3/CRS84
    providers:
      - type: feature
        name: PostgreSQL
        data:
          host: {PG["host"]}
          port: {PG["port"]}
          dbname: {DB}
          user: {PG["user"]}
          password: ""
          search_path: [public]
        id_field: id
        table: parcels
        geom_field: geom
""")
    openapi = WORK / "pygeoapi-openapi.yml"
    sh(
        [
            str(PYGEOAPI_VENV / "bin" / "pygeoapi"),
            "openapi",
            "generate",
            str(cfg),
            "--output-file",
            str(openapi),
        ],
        env={"PYGEOAPI_CONFIG": str(cfg)},
    )
    return cfg


def uvicorn(executable: Path, *app: str, port: str, workers: int = 1) -> list[str]:
    """The argv serving ``app`` with uvicorn on 127.0.0.1:port, quietly (no access log)."""
    return [
        str(executable),
        *app,
        *("--host", "127.0.0.1", "--port", port, "--workers", str(workers)),
        *("--log-level", "warning", "--no-access-log"),
    ]


def server_spec(name: str) -> tuple[list[str], dict, Path, str]:
    """(argv, env, cwd, health path) for a server."""
    port = str(PORTS[name])
    if name in ("zs1", "zs2", "zs1nc", "zs1base"):
        env = {"DATABASE_URL": f"postgresql+psycopg://{PG['user']}@{PG['host']}:{PG['port']}/{DB}"}
        if name == "zs1nc":
            env["ZS_TILE_CACHE_MB"] = "0"
        root = ROOT
        if name == "zs1base":
            if BASELINE_ROOT is None:
                raise SystemExit("zs1base needs --baseline-root")
            root = BASELINE_ROOT
        env["PYTHONPATH"] = str(root)  # this checkout's code, not the virtualenv's install
        workers = 2 if name == "zs2" else 1
        argv = uvicorn(
            VENV / "uvicorn", "api.main:create_app", "--factory", port=port, workers=workers
        )
        return argv, env, root, "/healthz"
    if name == "probe":
        env = {"DATABASE_URL": dsn()}
        argv = uvicorn(VENV / "uvicorn", "--app-dir", str(HERE), "probe:app", port=port)
        return argv, env, ROOT, "/lookup?lon=120.75&lat=30.76"
    if name == "tipg":
        env = {
            "DATABASE_URL": dsn(),
            "TIPG_DB_SCHEMAS": '["public"]',
            "TIPG_DB_TABLES": '["public.parcels"]',
            "TIPG_MAX_FEATURES_PER_QUERY": "10000000",
        }
        argv = uvicorn(TIPG_VENV / "bin" / "uvicorn", "tipg.main:app", port=port)
        return argv, env, WORK, "/collections/public.parcels"
    cfg = pygeoapi_config(PORTS[name])
    env = {"PYGEOAPI_CONFIG": str(cfg), "PYGEOAPI_OPENAPI": str(WORK / "pygeoapi-openapi.yml")}
    argv = uvicorn(PYGEOAPI_VENV / "bin" / "uvicorn", "pygeoapi.starlette_app:APP", port=port)
    return argv, env, WORK, "/collections/parcels?f=json"


@contextlib.contextmanager
def server(name: str):
    """Start one server on its port, wait until it answers, yield its pid, stop it."""
    argv, env, cwd, health = server_spec(name)
    port = PORTS[name]
    if not port_free(port):
        raise SystemExit(f"port {port} is taken; not starting {name}")
    COMMANDS.append(
        " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items()) + " " + shlex.join(argv)
    )
    logf = open(WORK / f"{name}.log", "w")  # noqa: SIM115 - closed in finally
    proc = subprocess.Popen(
        argv,
        env={**os.environ, **env},
        cwd=cwd,
        stdout=logf,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.time() + 60
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"{name} exited; see {WORK / (name + '.log')}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                conn.request("GET", health)
                if conn.getresponse().status < 500:
                    break
            except OSError:
                pass
            if time.time() > deadline:
                raise RuntimeError(f"{name} did not answer within 60 s")
            time.sleep(0.3)
        time.sleep(1.0)  # let --workers 2 bring up its second worker
        yield proc.pid
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)  # our own session only
            proc.wait()
        logf.close()


# --------------------------------------------------------------------------- measurements


def endpoints(w: dict) -> dict[str, dict[str, list[str]]]:
    """Per scenario, per server: the URL list (same points/boxes/tiles in the same order)."""

    def lookups(points: list) -> dict[str, list[str]]:
        """A point look-up at each point, as each server asks it."""
        return {
            server: [fmt.format(x=x, y=y) for x, y in points]
            for server, fmt in (
                ("zs /api/v1/lookup", "/api/v1/lookup?lon={x}&lat={y}"),
                (
                    "zs OGC S_INTERSECTS",
                    "/ogc/collections/parcels/items?filter=S_INTERSECTS(geometry,POINT({x}%20{y}))",
                ),
                (
                    "tipg",
                    "/collections/public.parcels/items?filter-lang=cql2-text&limit=100"
                    "&filter=S_INTERSECTS(geom,POINT({x}%20{y}))",
                ),
                ("probe", "/lookup?lon={x}&lat={y}"),
                # pygeoapi's parser rejects CQL2 S_INTERSECTS; its ECQL INTERSECTS is the same
                # predicate.
                (
                    "pygeoapi",
                    "/collections/parcels/items?f=json&limit=100"
                    "&filter=INTERSECTS(geom,POINT({x}%20{y}))",
                ),
            )
        }

    def item_pages(boxes: list) -> dict[str, list[str]]:
        """A page of 100 items in each box, from each OGC API - Features server."""
        return {
            "zs OGC items": [f"/ogc/collections/parcels/items?bbox={b}&limit=100" for b in boxes],
            "tipg": [f"/collections/public.parcels/items?bbox={b}&limit=100" for b in boxes],
            "pygeoapi": [f"/collections/parcels/items?f=json&bbox={b}&limit=100" for b in boxes],
        }

    tiles = w["tiles_z14"]
    return {
        "lookup_uniform": lookups(w["points_uniform"]),
        "lookup_inside": lookups(w["points_inside"]),
        "bbox_small": {
            "zs /api/v1/parcels": [f"/api/v1/parcels?bbox={b}" for b in w["bbox_small"]],
            **item_pages(w["bbox_small"]),
        },
        "bbox_large_page": item_pages(w["bbox_large"]),
        "mvt_z14": {
            "zs /tiles": [f"/tiles/parcels/{z}/{x}/{y}.pbf" for z, x, y in tiles],
            "tipg": [
                f"/collections/public.parcels/tiles/WebMercatorQuad/{z}/{x}/{y}"
                for z, x, y in tiles
            ],
        },
    }


SERVER_OF = {
    "zs": ("zs1", "zs2", "zs1base"),
    "tipg": ("tipg",),
    "pygeoapi": ("pygeoapi",),
    "probe": ("probe",),
}


def measure_server(name: str, eps: dict, args: argparse.Namespace) -> dict:
    """All load scenarios against one server."""
    family = "zs" if name.startswith("zs") else name
    out: dict = {}
    with server(name) as pid:
        base = f"http://127.0.0.1:{PORTS[name]}"
        idle = rss_mb(pid)
        out["rss_idle_mb"] = round(idle, 1)
        for scenario, per in eps.items():
            if scenario not in ONLY_SCENARIOS.get(name, {scenario}):
                continue
            for label, paths in per.items():
                if not label.startswith(family):
                    continue
                urls = [base + p for p in paths]
                # warm-up: every URL once at low concurrency, bounded
                loadgen.load(urls, 4, len(urls), args.seconds)
                for c in args.clients:
                    if (
                        scenario not in ("lookup_uniform", "lookup_inside")
                        and c != args.clients[0]
                        and not args.all_concurrency
                    ):
                        continue
                    with RssSampler(pid) as rss:
                        res = loadgen.load(urls, c, args.requests, args.seconds)
                    res["rss_peak_mb"] = round(rss.peak, 1)
                    res["rss_peak_process_mb"] = round(rss.peak_process, 1)
                    res["rss_start_mb"] = round(rss.baseline, 1)
                    key = f"{scenario}|{label}|{name}|c{c}"
                    out[key] = res
                    COMMANDS.append(
                        f"bench/load.py -c {c} -n {args.requests} -t {args.seconds} "
                        f"<{len(urls)} {scenario} URLs on {base}> ({label})"
                    )
                    log(
                        f"{key}: {res['req_s']} req/s p50 {res['p50_ms']} p99 {res['p99_ms']} "
                        f"err {res['errors']} non2xx {res['non_2xx']} rss {res['rss_peak_mb']}"
                    )
        out["rss_end_mb"] = round(rss_mb(pid), 1)
    return out


ROUND_SERVERS = ("zs1", "zs1base", "probe", "tipg")
ROUND_LABELS = ("zs /api/v1/lookup", "probe", "tipg")


def measure_lookup_rounds(eps: dict, args: argparse.Namespace, results: dict) -> None:
    """More rounds of the point look-ups, the servers in turn each round; medians kept.

    On a shared machine the load drifts between servers measured minutes apart; the median of
    a few rounds, each visiting every server, keeps that drift out of the ratios.
    """
    lookup_eps = {
        scn: {label: urls for label, urls in per.items() if label in ROUND_LABELS}
        for scn, per in eps.items()
        if scn in LOOKUPS
    }
    rounds: dict[str, list[dict]] = {}
    for number in range(2, args.lookup_rounds + 1):
        for name in (s for s in args.servers if s in ROUND_SERVERS):
            log(f"look-up round {number}: {name}")
            for key, res in measure_server(name, lookup_eps, args).items():
                if "|" in key:
                    rounds.setdefault(key, [results["load"][key]]).append(res)
    for key, runs in rounds.items():
        results["load"][key] = median_run(runs)
    results["lookup_rounds"] = rounds


def median_run(runs: list[dict]) -> dict:
    """One load figure from several runs: each timing's median, errors summed, memory's peak."""
    out = dict(runs[0])
    for name in ("req_s", "p50_ms", "p90_ms", "p99_ms", "max_ms", "mean_kb"):
        values = [r[name] for r in runs if r.get(name) is not None]
        out[name] = round(statistics.median(values), 2) if values else None
    for name in ("errors", "non_2xx", "requests"):
        out[name] = sum(r.get(name, 0) for r in runs)
    for name in ("rss_peak_mb", "rss_peak_process_mb"):
        out[name] = max(r.get(name) or 0 for r in runs)
    out["rounds"] = len(runs)
    return out


def fetch_stream(url: str, pid: int | None, out_path: Path, timeout: float) -> dict:
    """GET a URL, stream the body to a file; time to first byte, total, MB/s, RSS growth."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    assert parts.hostname == "127.0.0.1"
    sampler = RssSampler(pid) if pid else None
    t0 = time.perf_counter()
    size = 0
    with sampler or contextlib.nullcontext():
        conn = http.client.HTTPConnection("127.0.0.1", parts.port, timeout=timeout)
        conn.request("GET", parts.path + "?" + parts.query, headers={"Accept-Encoding": "identity"})
        resp = conn.getresponse()
        status = resp.status
        first = resp.read(1)
        ttfb = time.perf_counter() - t0
        with open(out_path, "wb") as f:
            f.write(first)
            size = len(first)
            while True:
                if time.perf_counter() - t0 > timeout:
                    raise TimeoutError(f"{url} took over {timeout} s")
                chunk = resp.read(1 << 18)
                if not chunk:
                    break
                f.write(chunk)
                size += len(chunk)
        conn.close()
    total = time.perf_counter() - t0
    features = None
    with contextlib.suppress(Exception):
        features = len(json.loads(out_path.read_bytes())["features"])
    res = {
        "status": status,
        "seconds": round(total, 2),
        "ttfb_s": round(ttfb, 3),
        "mb": round(size / 1e6, 1),
        "mb_s": round(size / 1e6 / total, 1),
        "features": features,
    }
    if sampler:
        res["rss_start_mb"] = round(sampler.baseline, 1)
        res["rss_peak_mb"] = round(sampler.peak, 1)
        res["rss_growth_mb"] = round(sampler.peak - sampler.baseline, 1)
    return res


def best(runs: list[dict]) -> dict:
    """The fastest successful run, with every run's seconds."""
    ok = [r for r in runs if r.get("status", 200) == 200 and "error" not in r]
    if not ok:
        return {"runs": runs, "error": runs[-1].get("error") if runs else "no run"}
    top = min(ok, key=lambda r: r["seconds"])
    return {
        **top,
        "all_seconds": [r["seconds"] for r in runs],
        "rss_growth_max_mb": max((r.get("rss_growth_mb", 0) for r in ok), default=None),
    }


OWN_TEXT_FLOOR = "psql COPY of the export's own Feature text"


def own_feature_text() -> str:
    """The SQL of one Feature's text as zhengshou's GeoJSON export writes it."""
    sys.path.insert(0, str(ROOT))
    from geo.parcels.export_geojson import feature_text_sql
    from geo.parcels.reads import PARCEL_PROPERTIES

    return feature_text_sql("p.id", "p.geom", PARCEL_PROPERTIES)


def measure_exports(n: int, args: argparse.Namespace) -> dict:
    """Whole-table GeoJSON exports, each repeated args.export_runs times."""
    res: dict = {}
    runs = args.export_runs
    total = int(psql("SELECT count(*) FROM parcels"))
    zhengshous = [("zs1", "zs", "streamed to a file", 600)]
    if BASELINE_ROOT:
        zhengshous.append(("zs1base", "zs1base", "the --baseline-root checkout", 900))
    for name, label, note, timeout in zhengshous:
        with server(name) as pid:
            url = f"http://127.0.0.1:{PORTS[name]}/api/v1/export?format=geojson"
            COMMANDS.append(f"GET {url} ({note})")
            res[f"{label} /api/v1/export"] = best(
                [fetch_stream(url, pid, WORK / f"{label}.json", timeout) for _ in range(runs)]
            )
            log(f"export {label}: {res[f'{label} /api/v1/export']}")
    if not args.skip_tipg_export:  # tipg holds the whole collection: 10 GB at 1M
        with server("tipg") as pid:
            url = (
                f"http://127.0.0.1:{PORTS['tipg']}/collections/public.parcels/items"
                f"?limit={total}&f=geojson"
            )
            COMMANDS.append(f"GET {url}")
            out = []
            for _ in range(runs):
                try:
                    out.append(fetch_stream(url, pid, WORK / "tipg.json", 600))
                except Exception as exc:
                    out.append({"error": repr(exc)})
            res["tipg items"] = best(out)
            log(f"export tipg: {res['tipg items']}")
    if not args.skip_pygeoapi_export:
        with server("pygeoapi") as pid:
            url = (
                f"http://127.0.0.1:{PORTS['pygeoapi']}/collections/parcels/items"
                f"?limit={total}&f=json"
            )
            COMMANDS.append(f"GET {url}")
            try:
                res["pygeoapi items"] = best([fetch_stream(url, pid, WORK / "pga.json", 600)])
            except Exception as exc:
                res["pygeoapi items"] = {"error": repr(exc)}
            log(f"export pygeoapi: {res['pygeoapi items']}")
    pg = f"PG:host={PG['host']} port={PG['port']} dbname={DB} user={PG['user']}"
    ogr_runs = []
    for _ in range(runs):
        target = WORK / "ogr.json"
        target.unlink(missing_ok=True)
        t0 = time.perf_counter()
        sh(["ogr2ogr", "-f", "GeoJSON", str(target), pg, "parcels"], record=not ogr_runs)
        ogr_runs.append(file_figures(target, time.perf_counter() - t0, total))
    res["ogr2ogr"] = best(ogr_runs)
    log(f"export ogr2ogr: {res['ogr2ogr']}")
    # One Feature per row, streamed: a single json_agg of a million features would pass
    # PostgreSQL's 1 GB limit for one value.
    floor_sql = "COPY (SELECT ST_AsGeoJSON(p.*, 'geom', 7) FROM parcels p) TO STDOUT"
    res["psql COPY floor"] = psql_copy_runs(floor_sql, "copy.json", runs, total, None)
    log(f"export floor: {res['psql COPY floor']}")
    # The same, of the text zhengshou's export writes per feature (in any order, so that
    # PostgreSQL may use parallel workers as for the floor): what its pass-through is up against.
    own_sql = (
        f"COPY (SELECT {own_feature_text()} FROM parcels p JOIN plans pl ON pl.id = p.plan_id) "
        "TO STDOUT"
    )
    shown = "psql … COPY (SELECT <the export's Feature text> …) TO STDOUT"
    res[OWN_TEXT_FLOOR] = psql_copy_runs(own_sql, "copy-own.json", runs, total, shown)
    log(f"export own-text floor: {res[OWN_TEXT_FLOOR]}")
    return res


OVERLAP_CHECK_MAX_PARCELS = 200_000
"""Above this, the clustered layout's overlap check is left out: its cost is per overlapping
pair, about 28 million at 1,000,000 (the tiling layout's is always measured)."""


def measure_bulk_import(args: argparse.Namespace) -> dict:
    """The bulk import beside ogr2ogr and a psql COPY, run by run (``bench/imports.py``)."""
    return bench_imports.measure(DB, args.import_runs, log)


def measure_checks(n: int) -> dict:
    """The checks on the tiling and clustered layouts (``bench/checks.py``)."""
    return bench_checks.measure(n, log, clustered_overlaps=n <= OVERLAP_CHECK_MAX_PARCELS)


def measure_cold_tiles() -> dict:
    """Cold tiles per zoom beside tipg, capped and uncapped (``bench/tiles.py``)."""
    options = ["--db", DB, "--tipg-complete", "--out", str(WORK / "cold-tiles.json")]
    COMMANDS.append(f"bench/tiles.py {' '.join(options)}")
    return bench_tiles.run(bench_tiles.parser().parse_args(options))


def psql_copy_runs(sql: str, name: str, runs: int, total: int, shown: str | None) -> dict:
    """``psql`` running a COPY to a file ``runs`` times: the best run's figures.

    The command is recorded once, as ``shown`` if given (the SQL may be long).
    """
    figures = []
    for _ in range(runs):
        target = WORK / name
        t0 = time.perf_counter()
        with open(target, "wb") as f:
            cmd = ["psql", dsn(), "-v", "ON_ERROR_STOP=1", "-Atc", sql]
            if not figures:
                COMMANDS.append(shown or f"{shlex.join(cmd)} > {name}")
            subprocess.run(cmd, stdout=f, check=True)
        figures.append(file_figures(target, time.perf_counter() - t0, total))
    return best(figures)


def file_figures(target: Path, secs: float, total: int) -> dict:
    """Seconds, size and throughput of one exported file."""
    size = target.stat().st_size
    return {
        "seconds": round(secs, 2),
        "mb": round(size / 1e6, 1),
        "mb_s": round(size / 1e6 / secs, 1),
        "features": total,
    }


# --------------------------------------------------------------------------- main


def render(results: dict, docs: Path) -> None:
    """The page of these results, with what this run measures with."""
    page.render(results, docs, database=DB, seed=SEED, round_servers=ROUND_SERVERS)


def main() -> None:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--parcels", type=int, default=100_000)
    parser.add_argument("--clients", type=int, nargs="+", default=[8, 32])
    parser.add_argument("--requests", type=int, default=3000, help="max requests per load run")
    parser.add_argument("--seconds", type=float, default=15.0, help="max seconds per load run")
    parser.add_argument(
        "--all-concurrency",
        action="store_true",
        help="bbox and MVT at every --clients value, not only the first",
    )
    parser.add_argument(
        "--servers", nargs="+", default=["zs1", "zs2", "zs1nc", "probe", "tipg", "pygeoapi"]
    )
    parser.add_argument(
        "--baseline-root",
        type=Path,
        help="another checkout (e.g. the main branch's) served as zs1base, for before/after",
    )
    parser.add_argument(
        "--lookup-rounds",
        type=int,
        default=3,
        help="rounds of the point look-ups over zs1, zs1base, probe and tipg (medians kept)",
    )
    parser.add_argument("--export-runs", type=int, default=2)
    parser.add_argument("--skip-exports", action="store_true")
    parser.add_argument("--skip-pygeoapi-export", action="store_true")
    parser.add_argument("--skip-tipg-export", action="store_true")
    parser.add_argument("--import-runs", type=int, default=2)
    parser.add_argument("--skip-import", action="store_true")
    parser.add_argument("--skip-checks", action="store_true")
    parser.add_argument("--skip-cold-tiles", action="store_true")
    parser.add_argument(
        "--database", help="benchmark database (default zhengshou_bench_<parcels>); never the app's"
    )
    parser.add_argument("--results", type=Path, help="results JSON (default bench/results/…)")
    parser.add_argument("--docs", type=Path, default=ROOT / "docs" / "benchmarks.md")
    parser.add_argument("--render", type=Path, help="only re-render docs from this results JSON")
    args = parser.parse_args()
    global DB
    DB = args.database or f"zhengshou_bench_{args.parcels}"
    global BASELINE_ROOT
    BASELINE_ROOT = args.baseline_root.resolve() if args.baseline_root else None
    if BASELINE_ROOT and "zs1base" not in args.servers:
        args.servers.insert(1, "zs1base")
    if args.render:
        render(json.loads(args.render.read_text()), args.docs)
        return
    WORK.mkdir(parents=True, exist_ok=True)
    started = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    results_file = args.results or HERE / "results" / f"{args.parcels}.json"
    results_file.parent.mkdir(parents=True, exist_ok=True)
    results: dict = {
        "started": started,
        "args": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()},
        "results_file": str(results_file.relative_to(ROOT))
        if results_file.is_relative_to(ROOT)
        else str(results_file),
    }
    ensure_peer_venvs()
    results["generate"] = prepare_database(args.parcels)
    results["versions"] = versions()
    log("drawing the workload")
    w = workload()
    results["workload"] = w
    eps = endpoints(w)
    results["load"] = {}
    for name in args.servers:
        log(f"measuring {name}")
        res = measure_server(name, eps, args)
        results["load"].update({k: v for k, v in res.items() if "|" in k})
        results.setdefault("rss", {})[name] = {k: v for k, v in res.items() if "|" not in k}
        results_file.write_text(
            json.dumps({**results, "commands": COMMANDS}, indent=1, ensure_ascii=False)
        )
    if args.lookup_rounds > 1:
        measure_lookup_rounds(eps, args, results)
    results["export"] = {} if args.skip_exports else measure_exports(args.parcels, args)
    results["import"] = {} if args.skip_import else measure_bulk_import(args)
    results["checks"] = {} if args.skip_checks else measure_checks(args.parcels)
    results["worker_memory"] = worker_memory.measure(dsn().replace("://", "+psycopg://", 1))
    results["cold_tiles"] = {} if args.skip_cold_tiles else measure_cold_tiles()
    results["commands"] = COMMANDS
    results_file.write_text(json.dumps(results, indent=1, ensure_ascii=False))
    render(results, args.docs)
    log(f"wrote {results_file} and {args.docs}")


if __name__ == "__main__":
    main()
