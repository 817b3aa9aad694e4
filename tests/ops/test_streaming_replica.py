"""READ_DATABASE_URL on a real streaming replica: a hot standby made with `pg_basebackup -R`.

The primary is a private cluster made by scripts/pgcluster.sh, as `make run` and the CI make the
project's cluster, on a free port, loaded with the shipped data; the standby streams from it on
another port. Both are the test's own (tests/support/standby.py), so stopping the standby
disturbs no other test, and both are removed at the end, even on failure. (A base backup of the
shared test cluster would copy every database on it, including any benchmark database of a
million parcels.)
"""

import time
from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from api.main import create_app
from api.settings import ApiSettings
from geo.db import DatabaseSettings, session_scope
from geo.query import Query
from geo.tokens import create_token
from tests.support.databases import migrate_and_load
from tests.support.errors import assert_error
from tests.support.standby import PrimaryCluster, Standby, bindir, run, streaming_pair

pytestmark = pytest.mark.db

PARCEL = "/api/v1/parcels/JX2022-13"
LOOKUP = "/api/v1/lookup?lon=120.7411&lat=30.7822"
IN_RECOVERY = "SELECT pg_is_in_recovery()"


def load(primary: PrimaryCluster) -> None:
    migrate_and_load(primary.url())


@pytest.fixture(scope="module")
def pair() -> Iterator[tuple[PrimaryCluster, Standby]]:
    with streaming_pair(prepare_primary=load) as both:
        yield both


@pytest.fixture(scope="module")
def token(pair) -> str:
    primary, _ = pair
    engine = create_engine(primary.url(), poolclass=NullPool)
    with session_scope(engine) as session:
        secret = create_token(session, "副本测试", "editor")
    engine.dispose()
    return secret


@pytest.fixture
def client(pair) -> Iterator[TestClient]:
    primary, standby = pair
    settings = ApiSettings(
        db=DatabaseSettings(database_url=primary.url(), read_database_url=standby.url())
    )
    with TestClient(create_app(settings), raise_server_exceptions=False) as test_client:
        yield test_client


def wait_until(check: Callable[[], bool], timeout_s: float = 30) -> None:
    deadline = time.monotonic() + timeout_s
    while not check():
        if time.monotonic() > deadline:
            pytest.fail(f"not true after {timeout_s:g} s: {check.__doc__ or check}")
        time.sleep(0.1)


def unit(client: TestClient) -> str | None:
    """JX2022-13's implementing unit as the API reads it (the sync read session)."""
    return client.get(PARCEL).json()["properties"]["implementing_unit"]


def unit_in_list(client: TestClient) -> str | None:
    """JX2022-13's implementing unit in the parcel list (the async read pool)."""
    features = client.get("/api/v1/parcels").json()["features"]
    return next(f["properties"]["implementing_unit"] for f in features if f["id"] == "JX2022-13")


def change_unit(client: TestClient, token: str, etag: str, value: str):
    body = {"properties": {"implementing_unit": value}, "reason": "副本测试"}
    headers = {"Authorization": f"Bearer {token}", "If-Match": etag}
    return client.patch(PARCEL, json=body, headers=headers)


def primary_unit(primary: PrimaryCluster) -> str:
    return primary.psql(
        "SELECT implementing_unit FROM parcels WHERE id = 'JX2022-13'", database="zhengshou"
    )


def test_the_read_connections_are_on_the_standby_and_the_write_connection_on_the_primary(
    client,
):
    state = client.app.state
    with state.read_session_factory() as session:
        assert session.scalar(text(IN_RECOVERY)) is True
    assert client.portal.call(state.read_pool.value, Query(text(IN_RECOVERY))) is True
    with state.session_factory() as session:
        assert session.scalar(text(IN_RECOVERY)) is False


def test_reads_come_from_the_standby_and_a_write_on_the_primary_reaches_it(pair, client, token):
    primary, standby = pair
    before = client.get(PARCEL)
    old = before.json()["properties"]["implementing_unit"]
    new = f"{old}（副本）"
    # With replay paused, the standby keeps the old value while the primary has the new one:
    # what the API answers then can only have come from the standby.
    standby.psql("SELECT pg_wal_replay_pause()")
    try:
        written = change_unit(client, token, before.headers["etag"], new)
        assert written.status_code == 200, written.text
        assert written.json()["properties"]["implementing_unit"] == new
        assert primary_unit(primary) == new
        assert unit(client) == old
        assert unit_in_list(client) == old
    finally:
        standby.psql("SELECT pg_wal_replay_resume()")

    def replicated() -> bool:
        """the write is visible through the API's reads"""
        return unit(client) == new and unit_in_list(client) == new

    wait_until(replicated)
    assert (
        standby.psql(
            "SELECT implementing_unit FROM parcels WHERE id = 'JX2022-13'", database="zhengshou"
        )
        == new
    )


def test_a_stopped_standby_is_503_writes_go_on_and_reads_recover_when_it_is_back(
    pair, client, token
):
    primary, standby = pair
    # Fill both read pools first: their connections die with the standby and must be replaced.
    assert client.get(PARCEL).status_code == 200
    assert client.get(LOOKUP).status_code == 200
    standby.stop()
    try:
        for path in (PARCEL, "/api/v1/parcels", LOOKUP, "/ogc/collections/parcels/items"):
            assert_error(client.get(path), 503, "database_unavailable", "database")
        # The primary still takes writes; the version comes from it, as a writer's would.
        version = primary.psql(
            "SELECT version FROM parcels WHERE id = 'JX2022-13'", database="zhengshou"
        )
        written = change_unit(client, token, f'"{version}"', "嘉兴市副本停机时写入")
        assert written.status_code == 200, written.text
    finally:
        standby.start()

    def answering() -> bool:
        """reads answer again, with the write made while the standby was down"""
        return client.get(LOOKUP).status_code == 200 and unit(client) == "嘉兴市副本停机时写入"

    wait_until(answering)
    assert unit_in_list(client) == "嘉兴市副本停机时写入"


def test_pgcluster_lets_an_older_cluster_accept_replicas_with_a_reload(pair):
    primary, _ = pair
    hba = primary.data / "pg_hba.conf"
    original = hba.read_text()
    kept = [
        line
        for line in original.splitlines()
        if line.lstrip().startswith("#") or "replication" not in line.split()
    ]
    # Rewritten in place, so that the file keeps its owner (the postgres user).
    hba.write_text("\n".join(kept) + "\n")
    try:
        primary.psql("SELECT pg_reload_conf()")
        with pytest.raises(RuntimeError, match="replication connection"):
            replication_connection(primary)
        said = primary.pgcluster("start")
        assert "allowing replication connections" in said
        assert replication_connection(primary).split("|")[0].isdigit()
        assert "allowing" not in primary.pgcluster("start")  # once only
    finally:
        hba.write_text(original)
        primary.psql("SELECT pg_reload_conf()")


def replication_connection(primary: PrimaryCluster) -> str:
    """The system identifier, asked over a physical replication connection (as a standby asks)."""
    conninfo = f"host=127.0.0.1 port={primary.port} user=zhengshou replication=true"
    return run([str(bindir() / "psql"), conninfo, "-tAc", "IDENTIFY_SYSTEM"])
