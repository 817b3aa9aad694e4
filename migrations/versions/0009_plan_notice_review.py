"""Each plan keeps the review of the notice it was ingested from.

``notice_review`` is what the planner reviewed before committing (``ingest --dry-run`` and the
map's 导入公告 show the same): every field verbatim with the line or cell it came from, each area as
printed (value and unit) with its 亩 and m², the corrections typed in, and every warning. The
parcel rows hold the derived values; this is their evidence. ``notice_sha256`` identifies the
file and corrections, so that ingesting the same document again is seen to change nothing.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("plans", sa.Column("notice_review", JSONB(), nullable=True))
    op.add_column("plans", sa.Column("notice_sha256", sa.String(64), nullable=True))


def downgrade() -> None:
    op.drop_column("plans", "notice_sha256")
    op.drop_column("plans", "notice_review")
