"""API tokens, parcel versions and approval references, and the change history.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("secret_hash", sa.Text(), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
        ),
        sa.Column("revoked_at", sa.DateTime(timezone=True)),
        sa.CheckConstraint("role IN ('viewer', 'editor', 'admin')", name="ck_api_tokens_role"),
    )
    op.add_column("parcels", sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
    op.add_column("parcels", sa.Column("approval_reference", sa.Text()))
    op.create_table(
        "parcel_history",
        sa.Column("id", sa.BigInteger(), primary_key=True),
        sa.Column("parcel_id", sa.String(64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("actor", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("old", postgresql.JSONB()),
        sa.Column("new", postgresql.JSONB()),
        sa.CheckConstraint(
            "action IN ('create', 'update', 'retire', 'survey', 'import', 'load')",
            name="ck_parcel_history_action",
        ),
        sa.CheckConstraint("length(trim(reason)) > 0", name="ck_parcel_history_reason"),
    )
    op.create_index("ix_parcel_history_parcel_at", "parcel_history", ["parcel_id", "at"])


def downgrade() -> None:
    op.drop_index("ix_parcel_history_parcel_at", table_name="parcel_history")
    op.drop_table("parcel_history")
    op.drop_column("parcels", "approval_reference")
    op.drop_column("parcels", "version")
    op.drop_table("api_tokens")
