"""Database outages and crashes mid-write, against a private PostGIS cluster of the test's own.

The cluster is started and stopped by scripts/pgcluster.sh (as `make run` does), on a free port
with its own data directory, so stopping it disturbs no other test.
"""

import json
import os
import shutil
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from geo import migrate
from geo.boundaries.reference import read_reference_file, replace_reference_layer
from geo.db import session_scope
from geo.intake.loader import load_parcels
from geo.intake.parcel_file import read_parcel_file
from geo.tokens import create_token
from tests.support.files import PARCELS_FILE, REFERENCE_FILE, ROOT
from tests.support.server import LiveServer, free_port

PGCLUSTER = ROOT / "scripts" / "pgcluster.sh"


class Cluster:
    def __init__(self) -> None:
        self.base = Path(tempfile.mkdtemp(prefix="zs-resilience-"))
        self.port = free_port()
        self.env = os.environ | {"ZS_PGPORT": str(self.port), "ZS_PGDATA": str(self.base / "data")}
        self.url = f"postgresql+psycopg://zhengshou@127.0.0.1:{self.port}/zhengshou"

    def run(self, action: str) -> None:
        subprocess.run(
            [str(PGCLUSTER), action], env=self.env, check=True, capture_output=True, timeout=120
        )


@pytest.fixture(scope="module")
def cluster():
    own = Cluster()
    own.run("start")
    migrate.upgrade(own.url)
    engine = create_engine(own.url, poolclass=NullPool)
    with session_scope(engine) as session:
        replace_reference_layer(session, read_reference_file(REFERENCE_FILE))
        load_parcels(session, read_parcel_file(PARCELS_FILE))
    engine.dispose()
    yield own
    own.run("stop")
    shutil.rmtree(own.base, ignore_errors=True)


def test_database_outage_is_503_and_recovers_without_restart(cluster):
    server = LiveServer(cluster.url)
    lookup = f"{server.base}/api/v1/lookup?lon=120.7411&lat=30.7822"
    try:
        assert httpx.get(f"{server.base}/healthz").status_code == 200
        # Fill the async read pool: its connections die with the server and must be replaced.
        assert httpx.get(lookup).status_code == 200
        assert httpx.get(f"{server.base}/api/v1/parcels").status_code == 200
        cluster.run("stop")
        started = time.monotonic()
        down = httpx.get(f"{server.base}/healthz", timeout=15)
        assert down.status_code == 503 and time.monotonic() - started < 10
        assert down.json()["error"]["code"] == "database_unavailable"
        listing = httpx.get(f"{server.base}/api/v1/parcels", timeout=15)
        assert listing.status_code == 503 and "Traceback" not in listing.text
        assert listing.json()["error"]["code"] == "database_unavailable"
        assert httpx.get(lookup, timeout=15).status_code == 503
        cluster.run("start")
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if httpx.get(f"{server.base}/healthz", timeout=10).status_code == 200:
                break
            time.sleep(0.2)
        assert httpx.get(f"{server.base}/healthz").json()["parcels"] == 13
        assert httpx.get(lookup).json()["inside"] is not None
        assert len(httpx.get(f"{server.base}/api/v1/parcels").json()["features"]) == 13
    finally:
        server.stop()


def synthetic_collection(count: int) -> bytes:
    shipped = json.loads(PARCELS_FILE.read_text(encoding="utf-8"))
    template = shipped["features"][0]
    features = []
    for n in range(count):
        x, y = 120.60 + (n % 100) * 0.002, 30.60 + (n // 100) * 0.002
        ring = [[x, y], [x + 0.001, y], [x + 0.001, y + 0.001], [x, y + 0.001], [x, y]]
        properties = template["properties"] | {
            "id": f"CRASH-{n:05d}",
            "seq": 1000 + n,
            "name": f"崩溃测试{n}",
        }
        features.append(
            {
                "type": "Feature",
                "properties": properties,
                "geometry": {"type": "Polygon", "coordinates": [ring]},
            }
        )
    return json.dumps(
        {"type": "FeatureCollection", "features": features}, ensure_ascii=False
    ).encode()


def count(url: str, sql: str) -> int:
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            return connection.execute(text(sql)).scalar_one()
    finally:
        engine.dispose()


def token_for(url: str) -> str:
    engine = create_engine(url, poolclass=NullPool)
    with session_scope(engine) as session:
        token = create_token(session, "崩溃测试", "editor")
    engine.dispose()
    return token


def test_kill_during_an_import_leaves_all_or_nothing(cluster):
    token = token_for(cluster.url)
    body = synthetic_collection(3000)
    server = LiveServer(cluster.url)
    outcome: dict[str, object] = {}

    def post() -> None:
        try:
            outcome["response"] = httpx.post(
                f"{server.base}/api/v1/imports",
                headers={"Authorization": f"Bearer {token}"},
                files={"file": ("crash.geojson", body)},
                data={"reason": "崩溃测试", "dry_run": "false"},
                timeout=120,
            )
        except httpx.TransportError as exc:
            outcome["error"] = exc

    thread = threading.Thread(target=post)
    thread.start()
    # Kill once the import's transaction is writing (its rows are visible to nobody else).
    deadline = time.monotonic() + 60
    while (
        time.monotonic() < deadline
        and count(
            cluster.url,
            "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query ILIKE '%INSERT INTO parcels%'",
        )
        == 0
    ):
        time.sleep(0.02)
    server.kill()
    thread.join(timeout=30)
    parcels = count(cluster.url, "SELECT count(*) FROM parcels WHERE id LIKE 'CRASH-%'")
    history = count(
        cluster.url, "SELECT count(*) FROM parcel_history WHERE parcel_id LIKE 'CRASH-%'"
    )
    assert "error" in outcome, (
        "the server answered before it was killed; the test did not hit a write"
    )
    assert parcels in (0, 3000) and history == parcels
    assert count(cluster.url, "SELECT count(*) FROM parcels WHERE id LIKE 'JX2022-%'") == 13


def test_kill_during_edits_keeps_history_and_data_in_agreement(cluster):
    token = token_for(cluster.url)
    server = LiveServer(cluster.url)
    stop = threading.Event()

    def edit() -> None:
        client = httpx.Client(base_url=server.base, timeout=10)
        n = 0
        while not stop.is_set():
            try:
                etag = client.get("/api/v1/parcels/JX2022-09").headers["etag"]
                n += 1
                client.patch(
                    "/api/v1/parcels/JX2022-09",
                    json={"properties": {"interest_type": f"旧城区改建{n}"}, "reason": f"第{n}次"},
                    headers={"Authorization": f"Bearer {token}", "If-Match": etag},
                )
            except (httpx.TransportError, KeyError):
                return

    thread = threading.Thread(target=edit)
    thread.start()
    time.sleep(1.5)
    server.kill()
    stop.set()
    thread.join(timeout=30)
    engine = create_engine(cluster.url, poolclass=NullPool)
    with engine.connect() as connection:
        version, interest = connection.execute(
            text("SELECT version, interest_type FROM parcels WHERE id = 'JX2022-09'")
        ).one()
        versions = [
            v
            for (v,) in connection.execute(
                text("SELECT version FROM parcel_history WHERE parcel_id = 'JX2022-09' ORDER BY id")
            )
        ]
        last = connection.execute(
            text(
                "SELECT new FROM parcel_history WHERE parcel_id = 'JX2022-09' ORDER BY id DESC LIMIT 1"
            )
        ).scalar_one()
    engine.dispose()
    assert len(versions) > 2, "no edit happened before the kill"
    assert versions == sorted(versions) and len(set(versions)) == len(
        versions
    )  # strictly increasing
    assert versions[-1] == version
    assert last["properties"]["interest_type"] == interest
