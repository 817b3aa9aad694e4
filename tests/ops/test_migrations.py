"""Alembic migrations go up and down cleanly, and match the models."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from geoalchemy2 import alembic_helpers
from sqlalchemy import create_engine, inspect
from sqlalchemy.pool import NullPool

from geo import migrate
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
