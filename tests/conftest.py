"""Fixtures: a fresh PostGIS database per test run, migrated and loaded, a rolled-back session
per test, and the app served by uvicorn. The database is real; `make test` starts the project's
cluster first. Helpers that tests import live in tests/support/."""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from api.main import create_app
from api.settings import ApiSettings
from geo.db import DatabaseSettings
from tests.support.databases import (
    TEST_DATABASE,
    drop_database,
    migrate_and_load,
    recreate_database,
)
from tests.support.readers import use_session
from tests.support.server import serve


@pytest.fixture(scope="session")
def database_url() -> Iterator[str]:
    """A fresh database, migrated by Alembic and loaded with the shipped parcels."""
    url = recreate_database(TEST_DATABASE)
    migrate_and_load(url)
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


@pytest.fixture(scope="module")
def server(database_url: str) -> Iterator[str]:
    """The app as `make run` serves it: a real uvicorn process on the test database."""
    with serve(database_url) as base:
        yield base
