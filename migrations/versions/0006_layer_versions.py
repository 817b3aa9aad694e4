"""A version number per layer that any write to it bumps, for tile caches and ETags.

A statement-level trigger bumps it, so every writer (the API, the CLI, a bulk COPY, psql by
hand) is covered and a million-row load costs one bump. Values come from a sequence: a rolled
back write can never hand out a number that a later write reuses for other content. The cost:
transactions that write parcels queue on this one row until they commit. Edits are short (the
edit-load benchmark's four writers saw no errors), and a bulk load is one statement.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute("CREATE SEQUENCE layer_version_seq")
    op.create_table(
        "layer_versions",
        sa.Column("layer", sa.String(64), primary_key=True),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column(
            "changed_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
        ),
    )
    op.execute(
        "INSERT INTO layer_versions (layer, version) VALUES ('parcels', nextval('layer_version_seq'))"
    )
    op.execute("""
        CREATE FUNCTION bump_layer_version() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            UPDATE layer_versions
               SET version = nextval('layer_version_seq'), changed_at = clock_timestamp()
             WHERE layer = TG_ARGV[0];
            RETURN NULL;
        END $$""")
    op.execute("""
        CREATE TRIGGER parcels_layer_version
        AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON parcels
        FOR EACH STATEMENT EXECUTE FUNCTION bump_layer_version('parcels')""")


def downgrade() -> None:
    op.execute("DROP TRIGGER parcels_layer_version ON parcels")
    op.execute("DROP FUNCTION bump_layer_version()")
    op.drop_table("layer_versions")
    op.execute("DROP SEQUENCE layer_version_seq")
