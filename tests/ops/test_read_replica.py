"""Read-only requests can go to a read replica (READ_DATABASE_URL); writes stay on the primary.

No streaming replica is set up here: the test points the read URL at the same cluster through a
role that can only read (default_transaction_read_only), which proves the routing. A real
replica works the same way, with replication lag as the one difference.
"""

import os

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import InternalError
from sqlalchemy.pool import NullPool

from api.main import create_app
from api.settings import ApiSettings
from geo.db import DatabaseSettings, session_scope
from geo.tokens import create_token

READER = f"zs_reader_{os.getpid()}"


def admin(url: str, *statements: str) -> None:
    engine = create_engine(url, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        for statement in statements:
            connection.execute(text(statement))
    engine.dispose()


@pytest.fixture
def reader_url(database_url):
    name = make_url(database_url).database
    admin(
        database_url,
        f'CREATE ROLE "{READER}" LOGIN',
        f'GRANT CONNECT ON DATABASE "{name}" TO "{READER}"',
        f'GRANT USAGE ON SCHEMA public TO "{READER}"',
        f'GRANT SELECT ON ALL TABLES IN SCHEMA public TO "{READER}"',
        f'ALTER ROLE "{READER}" SET default_transaction_read_only = on',
    )
    yield make_url(database_url).set(username=READER).render_as_string(hide_password=False)
    admin(database_url, f'DROP OWNED BY "{READER}"', f'DROP ROLE "{READER}"')


def test_reads_use_the_read_url_and_writes_the_primary(database_url, reader_url):
    engine = create_engine(database_url, poolclass=NullPool)
    with session_scope(engine) as session:
        token = create_token(session, "副本测试", "editor")
    settings = ApiSettings(
        db=DatabaseSettings(database_url=database_url, read_database_url=reader_url)
    )
    with TestClient(create_app(settings)) as client:
        assert len(client.get("/api/v1/parcels").json()["features"]) == 13
        assert client.get("/ogc/collections/parcels/items", params={"limit": 2}).status_code == 200
        assert client.get("/api/v1/lookup", params={"lon": 120.75, "lat": 30.76}).status_code == 200
        with engine.connect() as connection:
            readers = connection.execute(
                text("SELECT count(*) FROM pg_stat_activity WHERE usename = :r"), {"r": READER}
            ).scalar_one()
        assert readers >= 1  # the read pool's connection, idle after the requests
        parcel = client.get("/api/v1/parcels/JX2022-13")
        body = {"properties": {"approval_reference": "副本测试"}, "reason": "replica routing"}
        headers = {"Authorization": f"Bearer {token}", "If-Match": parcel.headers["etag"]}
        written = client.patch("/api/v1/parcels/JX2022-13", json=body, headers=headers)
        assert written.status_code == 200, written.text  # on the primary: the reader cannot write
        assert (
            client.get("/api/v1/parcels/JX2022-13").json()["properties"]["approval_reference"]
            == "副本测试"
        )
        back = {"properties": {"approval_reference": None}, "reason": "restore"}
        headers["If-Match"] = written.headers["etag"]
        assert (
            client.patch("/api/v1/parcels/JX2022-13", json=back, headers=headers).status_code == 200
        )
    reader = create_engine(reader_url, poolclass=NullPool)
    with (
        reader.connect() as connection,
        pytest.raises(InternalError, match="read-only transaction"),
    ):
        connection.execute(text("UPDATE parcels SET name = name"))
    reader.dispose()
    engine.dispose()
