"""Fixtures: a fresh PostGIS database per test run, migrated and loaded, and a rolled-back
session per test. The database is real; `make test` starts the project's cluster first."""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from api.main import create_app
from api.settings import ApiSettings
from geo import migrate
from geo.addresses.gazetteer import read_gazetteer_file, replace_gazetteer
from geo.boundaries.reference import read_reference_file, replace_reference_layer
from geo.db import DEFAULT_DATABASE_URL, DatabaseSettings, session_scope
from geo.intake.loader import load_parcels
from geo.intake.parcel_file import read_parcel_file
from tests.support.readers import use_session

ROOT = Path(__file__).resolve().parent.parent
PARCELS_FILE = ROOT / "data" / "parcels.geojson"
REFERENCE_FILE = ROOT / "data" / "reference.geojson"
GAZETTEER_FILE = ROOT / "data" / "gazetteer.geojson"
# One database per test run, so that runs side by side (developers, helpers) never collide.
TEST_DATABASE = f"zhengshou_test_{os.getpid()}"


def server_url() -> str:
    """The cluster the tests may create databases on."""
    return os.environ.get("ZS_TEST_SERVER_URL") or os.environ.get(
        "DATABASE_URL", DEFAULT_DATABASE_URL
    )


def _admin(statements: list[str]) -> None:
    url = make_url(server_url())
    admin = create_engine(
        url.set(database="postgres"), poolclass=NullPool, isolation_level="AUTOCOMMIT"
    )
    try:
        with admin.connect() as conn:
            for statement in statements:
                conn.execute(text(statement))
    except Exception as exc:  # a missing database is a failure, never a skip
        pytest.fail(f"cannot reach PostGIS at {url.render_as_string()} ({exc}); run `make test`")
    finally:
        admin.dispose()


def recreate_database(name: str) -> str:
    """Drop and create a database on the test server; return its URL."""
    _admin([f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"'])
    return make_url(server_url()).set(database=name).render_as_string(hide_password=False)


def drop_database(name: str) -> None:
    """Drop a test database at the end of the run."""
    _admin([f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'])


@pytest.fixture(scope="session")
def database_url() -> Iterator[str]:
    """A fresh database, migrated by Alembic and loaded with the shipped parcels."""
    url = recreate_database(TEST_DATABASE)
    migrate.upgrade(url)
    engine = create_engine(url, poolclass=NullPool)
    with session_scope(engine) as session:
        replace_reference_layer(session, read_reference_file(REFERENCE_FILE))
        replace_gazetteer(session, read_gazetteer_file(GAZETTEER_FILE))
        load_parcels(session, read_parcel_file(PARCELS_FILE))
    engine.dispose()
    yield url
    drop_database(TEST_DATABASE)


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    engine = create_engine(database_url, poolclass=NullPool)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session whose commits only release savepoints; everything is rolled back after."""
    with engine.connect() as conn:
        transaction = conn.begin()
        with Session(bind=conn, join_transaction_mode="create_savepoint") as session:
            yield session
        transaction.rollback()


@pytest.fixture
def client(session: Session, database_url: str) -> Iterator[TestClient]:
    app = create_app(ApiSettings(db=DatabaseSettings(database_url=database_url)))
    use_session(app, session)
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client
