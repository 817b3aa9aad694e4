"""Databases on the test cluster: one per test run, and others that tests make for themselves."""

import os

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from geo import migrate
from geo.addresses.gazetteer import read_gazetteer_file, replace_gazetteer
from geo.boundaries.reference import read_reference_file, replace_reference_layer
from geo.db import DEFAULT_DATABASE_URL, session_scope
from geo.intake.loader import load_parcels
from geo.intake.parcel_file import read_parcel_file
from tests.support.files import GAZETTEER_FILE, PARCELS_FILE, REFERENCE_FILE

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


def migrate_and_load(url: str) -> None:
    """Migrate an empty database by Alembic and load the shipped reference layer, gazetteer and
    parcels into it."""
    migrate.upgrade(url)
    engine = create_engine(url, poolclass=NullPool)
    with session_scope(engine) as session:
        replace_reference_layer(session, read_reference_file(REFERENCE_FILE))
        replace_gazetteer(session, read_gazetteer_file(GAZETTEER_FILE))
        load_parcels(session, read_parcel_file(PARCELS_FILE))
    engine.dispose()
