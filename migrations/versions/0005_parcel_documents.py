"""Documents attached to parcels (PDF scans of approvals, survey reports), and their history.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_ACTIONS = "action IN ('create', 'update', 'retire', 'survey', 'import', 'load')"
NEW_ACTIONS = "action IN ('create', 'update', 'retire', 'survey', 'import', 'load', 'attach')"


def upgrade() -> None:
    op.create_table(
        "parcel_documents",
        sa.Column("id", sa.Integer(), primary_key=True),
        # No foreign key: a retired parcel's documents stay, as its history does.
        sa.Column("parcel_id", sa.String(64), nullable=False, index=True),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("filename", sa.Text(), nullable=False),
        sa.Column("content_type", sa.String(64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column(
            "uploaded_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
        ),
        sa.Column("uploaded_by", sa.Text(), nullable=False),
    )
    op.drop_constraint("ck_parcel_history_action", "parcel_history", type_="check")
    op.create_check_constraint("ck_parcel_history_action", "parcel_history", NEW_ACTIONS)


def downgrade() -> None:
    op.execute("DELETE FROM parcel_history WHERE action = 'attach'")
    op.drop_constraint("ck_parcel_history_action", "parcel_history", type_="check")
    op.create_check_constraint("ck_parcel_history_action", "parcel_history", OLD_ACTIONS)
    op.drop_table("parcel_documents")
