"""A backup restored into an empty database holds every parcel, history row and token."""

import pyogrio
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from geo.db import session_scope
from geo.tokens import create_token
from tests.support.cli import run
from tests.support.databases import TEST_DATABASE, drop_database, recreate_database

TABLES = {
    "parcels": "SELECT id, version, name, implementing_unit, ST_AsBinary(geom) FROM parcels ORDER BY id",
    "history": "SELECT id, parcel_id, version, action, actor, at, reason, old, new FROM parcel_history ORDER BY id",
    "tokens": "SELECT id, name, role, secret_hash, revoked_at FROM api_tokens ORDER BY id",
    "plans": "SELECT * FROM plans ORDER BY id",
    "reference": "SELECT name, kind, ST_AsBinary(geom) FROM reference_features ORDER BY id",
}


def contents(url: str) -> dict:
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            return {
                name: [tuple(row) for row in connection.execute(text(sql))]
                for name, sql in TABLES.items()
            }
    finally:
        engine.dispose()


def test_backup_and_restore_into_an_empty_database(database_url, tmp_path):
    engine = create_engine(database_url, poolclass=NullPool)
    with session_scope(engine) as session:
        create_token(session, "备份测试", "editor")
    engine.dispose()
    dump = tmp_path / "zhengshou.dump"
    made = run(database_url, "backup", str(dump), timeout=300)
    assert made.returncode == 0, made.stderr
    assert dump.stat().st_size > 0
    snapshot = pyogrio.read_dataframe(tmp_path / "zhengshou.gpkg")
    assert len(snapshot) == 13 and "嘉兴市城市投资发展集团有限公司" in set(
        snapshot["implementing_unit"]
    )

    name = f"{TEST_DATABASE}_restore"
    empty = recreate_database(name)
    try:
        restored = run(empty, "restore", str(dump), timeout=300)
        assert restored.returncode == 0, restored.stderr
        before, after = contents(database_url), contents(empty)
        for table in TABLES:
            assert after[table] == before[table], table
        assert len(after["tokens"]) >= 1 and len(after["parcels"]) == 13
    finally:
        drop_database(name)


def test_restore_of_a_missing_file_is_a_plain_error(database_url, tmp_path):
    answer = run(database_url, "restore", str(tmp_path / "none.dump"), timeout=300)
    assert answer.returncode == 2 and "no such file" in answer.stderr
