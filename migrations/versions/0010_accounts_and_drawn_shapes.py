"""Accounts that sign in on the map page, their sessions, and shapes drawn by hand.

- ``users``: a person's account (name, argon2 password hash, role, disabled or not). Bearer
  tokens (``api_tokens``) stay for scripts and GIS tools.
- ``user_sessions``: a signed-in browser. Only a hash of the session cookie's secret is kept,
  with the token the page must echo on every write (against cross-site request forgery), an
  expiry, and when it was revoked (sign-out, or the account disabled).
- ``sign_in_failures``: failed sign-ins by account name and client address, counted over a
  window to slow down password guessing.
- A parcel's ``geometry_source`` may be ``drawn``: a planner drew or corrected it on the map
  (its note names the basemap and the editor).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SOURCES_BEFORE = "geometry_source IN ('schematic', 'digitized', 'surveyed', 'none')"
SOURCES_AFTER = "geometry_source IN ('schematic', 'digitized', 'surveyed', 'drawn', 'none')"


def _sources(condition: str) -> None:
    op.drop_constraint("ck_parcels_geometry_source", "parcels", type_="check")
    op.create_check_constraint("ck_parcels_geometry_source", "parcels", condition)


def upgrade() -> None:
    now = sa.func.now()
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.Text(), nullable=False, unique=True),
        sa.Column("password_hash", sa.Text(), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=now),
        sa.Column("disabled_at", sa.DateTime(timezone=True)),
        sa.CheckConstraint("role IN ('viewer', 'editor', 'admin')", name="ck_users_role"),
        sa.CheckConstraint("length(btrim(name)) > 0", name="ck_users_name"),
    )
    op.create_table(
        "user_sessions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "user_id",
            sa.Integer(),
            sa.ForeignKey("users.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("secret_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("csrf_token", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=now),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True)),
    )
    op.create_table(
        "sign_in_failures",
        sa.Column("id", sa.BigInteger(), primary_key=True),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("client", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False, server_default=now),
    )
    op.create_index("ix_sign_in_failures_name_at", "sign_in_failures", ["name", "at"])
    op.create_index("ix_sign_in_failures_client_at", "sign_in_failures", ["client", "at"])
    _sources(SOURCES_AFTER)


def downgrade() -> None:
    drawn = (
        op.get_bind()
        .execute(sa.text("SELECT count(*) FROM parcels WHERE geometry_source = 'drawn'"))
        .scalar_one()
    )
    if drawn:
        raise RuntimeError(
            f"Cannot downgrade below 0010: {drawn} parcel(s) have a drawn shape, which the older "
            "schema has no source for. The rows are the record and are not changed."
        )
    _sources(SOURCES_BEFORE)
    op.drop_index("ix_sign_in_failures_client_at", table_name="sign_in_failures")
    op.drop_index("ix_sign_in_failures_name_at", table_name="sign_in_failures")
    op.drop_table("sign_in_failures")
    op.drop_table("user_sessions")
    op.drop_table("users")
