"""Alembic migrations go up and down cleanly, and match the models."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from geoalchemy2 import alembic_helpers
from sqlalchemy import create_engine, inspect
from sqlalchemy.pool import NullPool

from geo import migrate
from geo.db import session_scope
from geo.models import Base
from tests.support.databases import TEST_DATABASE, drop_database, recreate_database


def tables(url: str) -> set[str]:
    engine = create_engine(url, poolclass=NullPool)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_upgrade_downgrade_upgrade():
    name = f"{TEST_DATABASE}_migrations"
    url = recreate_database(name)
    migrate.upgrade(url)
    ours = {"plans", "parcels", "reference_features", "gazetteer_entries"}
    assert ours | {"alembic_version"} <= tables(url)
    for revision, gone in (("0002", "gazetteer_entries"), ("0001", "reference_features")):
        migrate.downgrade(url, revision)
        assert gone not in tables(url)
    migrate.downgrade(url, "base")
    assert tables(url) & ours == set()
    migrate.upgrade(url)
    assert ours <= tables(url)
    drop_database(name)


def test_models_match_the_migrated_schema(engine):
    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn,
            opts={"compare_type": True, "include_object": alembic_helpers.include_object},
        )
        assert compare_metadata(context, Base.metadata) == []


def test_schema_has_gist_index_and_validity_check(engine):
    inspector = inspect(engine)
    indexes = {ix["name"]: ix for ix in inspector.get_indexes("parcels")}
    assert "idx_parcels_geom" in indexes
    checks = {ck["name"]: ck["sqltext"] for ck in inspector.get_check_constraints("parcels")}
    assert "st_isvalid" in checks["ck_parcels_geom_valid"].lower()
    uniques = {uc["name"]: uc["column_names"] for uc in inspector.get_unique_constraints("parcels")}
    assert uniques["uq_parcels_plan_seq"] == ["plan_id", "seq"]


def test_downgrade_below_0007_refuses_while_a_parcel_has_no_shape():
    import pytest
    from sqlalchemy import text

    from tests.support.shapeless import load_shapeless

    name = f"{TEST_DATABASE}_migrations_0007"
    url = recreate_database(name)
    migrate.upgrade(url)
    engine = create_engine(url, poolclass=NullPool)
    try:
        with session_scope(engine) as session:
            load_shapeless(session)
        with pytest.raises(RuntimeError, match="1 parcel\\(s\\) have no shape yet"):
            migrate.downgrade(url, "0006")
        with engine.begin() as conn:
            # The refused downgrade is one transaction: the schema stays at the head.
            head = ScriptDirectory.from_config(migrate.alembic_config(url)).get_current_head()
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == head
            conn.execute(text("DELETE FROM parcels WHERE geom IS NULL"))
        migrate.downgrade(url, "0006")
        with engine.connect() as conn:
            nullable = conn.execute(
                text(
                    "SELECT is_nullable FROM information_schema.columns "
                    "WHERE table_name = 'parcels' AND column_name = 'geom'"
                )
            ).scalar()
        assert nullable == "NO"
        migrate.upgrade(url)
    finally:
        engine.dispose()
        drop_database(name)
