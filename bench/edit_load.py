"""Concurrent look-ups and exports while planners edit: zero errors, zero lost updates.

Bounded on loopback: it creates a scratch database on the project's cluster, migrates and loads
it, starts one uvicorn, runs a fixed number of requests from a few concurrent clients, stops the
server, checks the history against every successful write, and prints a Markdown section with
p50/p99 per request kind. It sends traffic to 127.0.0.1 only and stops by itself.

    python bench/edit_load.py [--lookups 600] [--exports 20] [--edits 120] [--writers 4]
"""

import argparse
import asyncio
import os
import random
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from geo import migrate  # noqa: E402
from geo.boundaries.reference import read_reference_file, replace_reference_layer  # noqa: E402
from geo.db import DEFAULT_DATABASE_URL, session_scope  # noqa: E402
from geo.intake.loader import load_parcels  # noqa: E402
from geo.intake.parcel_file import read_parcel_file  # noqa: E402
from geo.tokens import create_token  # noqa: E402

SCRATCH = "zhengshou_edit_load"
PARCELS = [f"JX2022-{n:02d}" for n in range(1, 14)]


def scratch_database() -> str:
    """A fresh database on the project cluster, migrated and loaded with the shipped plan."""
    server = make_url(os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL))
    admin = create_engine(
        server.set(database="postgres"), isolation_level="AUTOCOMMIT", poolclass=NullPool
    )
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{SCRATCH}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{SCRATCH}"'))
    admin.dispose()
    url = server.set(database=SCRATCH).render_as_string(hide_password=False)
    migrate.upgrade(url)
    engine = create_engine(url, poolclass=NullPool)
    with session_scope(engine) as session:
        replace_reference_layer(session, read_reference_file(ROOT / "data" / "reference.geojson"))
        load_parcels(session, read_parcel_file(ROOT / "data" / "parcels.geojson"))
    engine.dispose()
    return url


def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def percentile(values: list[float], share: float) -> float:
    """The value below which ``share`` of the values lie."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


async def run(base: str, token: str, args: argparse.Namespace) -> dict:
    """Readers, an exporter and writers at once; every response timed and checked."""
    timings: dict[str, list[float]] = {"lookup": [], "export": [], "edit": []}
    errors: list[str] = []
    written: list[tuple[str, int, str]] = []  # (parcel, version, value) of every 200 PATCH
    rng = random.Random(7)
    points = [
        (120.72 + rng.random() * 0.05, 30.75 + rng.random() * 0.03) for _ in range(args.lookups)
    ]

    async with httpx.AsyncClient(base_url=base, timeout=60) as client:

        async def timed(kind: str, coroutine) -> httpx.Response:
            started = time.perf_counter()
            response = await coroutine
            timings[kind].append((time.perf_counter() - started) * 1000)
            return response

        async def readers(chunk: list[tuple[float, float]]) -> None:
            for lon, lat in chunk:
                response = await timed(
                    "lookup", client.get("/api/v1/lookup", params={"lon": lon, "lat": lat})
                )
                if response.status_code != 200:
                    errors.append(f"lookup {response.status_code}")

        async def exporter() -> None:
            for _ in range(args.exports):
                response = await timed(
                    "export", client.get("/api/v1/export", params={"format": "geojson"})
                )
                if response.status_code != 200 or response.json()["numberReturned"] != 13:
                    errors.append(f"export {response.status_code}")

        async def writer(number: int) -> None:
            headers = {"Authorization": f"Bearer {token}"}
            for attempt in range(args.edits // args.writers):
                parcel = PARCELS[(number + attempt) % len(PARCELS)]
                read = await client.get(f"/api/v1/parcels/{parcel}")
                value = f"负载测试 writer {number} edit {attempt}"
                body = {"properties": {"geometry_note": value}, "reason": "load test"}
                response = await timed(
                    "edit",
                    client.patch(
                        f"/api/v1/parcels/{parcel}",
                        json=body,
                        headers=headers | {"If-Match": read.headers["etag"]},
                    ),
                )
                if response.status_code == 200:
                    written.append((parcel, response.json()["properties"]["version"], value))
                elif response.status_code != 412:  # a lost race is told, not an error
                    errors.append(f"edit {response.status_code}")

        per_reader = max(1, args.lookups // args.readers)
        tasks = [readers(points[i : i + per_reader]) for i in range(0, args.lookups, per_reader)]
        tasks += [exporter()] + [writer(n) for n in range(args.writers)]
        started = time.perf_counter()
        await asyncio.gather(*tasks)
        elapsed = time.perf_counter() - started
    return {"timings": timings, "errors": errors, "written": written, "elapsed": elapsed}


def check_history(url: str, written: list[tuple[str, int, str]]) -> list[str]:
    """Lost updates: acknowledged writes missing from history, or versions out of order."""
    problems = []
    engine = create_engine(url, poolclass=NullPool)
    with engine.connect() as connection:
        for parcel in PARCELS:
            versions = [
                v
                for (v,) in connection.execute(
                    text(
                        "SELECT version FROM parcel_history WHERE parcel_id = :p AND action = 'update' ORDER BY id"
                    ),
                    {"p": parcel},
                )
            ]
            if versions != sorted(set(versions)):
                problems.append(f"{parcel}: versions not strictly increasing {versions}")
        for parcel, version, value in written:
            found = connection.execute(
                text(
                    "SELECT new -> 'properties' ->> 'geometry_note' FROM parcel_history "
                    "WHERE parcel_id = :p AND version = :v AND action = 'update'"
                ),
                {"p": parcel, "v": version},
            ).scalar_one_or_none()
            if found != value:
                problems.append(f"{parcel} v{version}: acknowledged write missing from history")
    engine.dispose()
    return problems


def main() -> None:
    """Run the bounded load and print the Markdown section."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lookups", type=int, default=600)
    parser.add_argument("--readers", type=int, default=8)
    parser.add_argument("--exports", type=int, default=20)
    parser.add_argument("--edits", type=int, default=120)
    parser.add_argument("--writers", type=int, default=4)
    args = parser.parse_args()
    url = scratch_database()
    engine = create_engine(url, poolclass=NullPool)
    with session_scope(engine) as session:
        token = create_token(session, "edit-load", "editor")
    engine.dispose()
    port = free_port()
    server = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("uvicorn")),
            "api.main:create_app",
            "--factory",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=os.environ | {"DATABASE_URL": url},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                httpx.get(f"{base}/healthz", timeout=2)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        result = asyncio.run(run(base, token, args))
    finally:
        server.terminate()
        server.wait(timeout=20)
    problems = check_history(url, result["written"])
    print("### Concurrent look-ups, exports and edits (one uvicorn worker)\n")
    print(
        f"`python bench/edit_load.py --lookups {args.lookups} --readers {args.readers} --exports {args.exports} "
        f"--edits {args.edits} --writers {args.writers}`; {result['elapsed']:.1f} s in all.\n"
    )
    print("| requests | count | p50 ms | p99 ms |\n|---|---|---|---|")
    for kind, values in result["timings"].items():
        print(
            f"| {kind} | {len(values)} | {statistics.median(values):.1f} | {percentile(values, 0.99):.1f} |"
        )
    print(
        f"\nErrors: {len(result['errors'])} {result['errors'][:5]}. Successful edits: {len(result['written'])} "
        f"(the others lost a race and were told with 412). Lost updates: {len(problems)} {problems[:5]}."
    )
    sys.exit(1 if result["errors"] or problems else 0)


if __name__ == "__main__":
    main()
