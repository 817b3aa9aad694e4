"""Plans and parcels, with PostGIS geometry and measured area.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import geoalchemy2
import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute("CREATE EXTENSION IF NOT EXISTS postgis")
    op.create_table(
        "plans",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("code", sa.String(32), nullable=False, unique=True),
        sa.Column("title", sa.Text(), nullable=False, unique=True),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("issuer", sa.Text()),
        sa.Column("published_on", sa.Date()),
        sa.Column("source_document", sa.Text()),
        sa.Column("published_total_mu", sa.Numeric(12, 2)),
    )
    op.create_table(
        "parcels",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column(
            "plan_id",
            sa.Integer(),
            sa.ForeignKey("plans.id", ondelete="RESTRICT"),
            nullable=False,
        ),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("block", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("boundary_text", sa.Text(), nullable=False),
        sa.Column("declared_area_mu", sa.Numeric(10, 2), nullable=False),
        sa.Column("interest_type", sa.Text(), nullable=False),
        sa.Column("implementing_unit", sa.Text(), nullable=False),
        sa.Column("geometry_source", sa.String(16), nullable=False),
        sa.Column("geometry_note", sa.Text(), nullable=False),
        sa.Column(
            "geom",
            geoalchemy2.Geometry("MULTIPOLYGON", srid=4326, spatial_index=False),
            nullable=False,
        ),
        sa.Column(
            "measured_area_m2",
            sa.Float(53),
            sa.Computed("ST_Area(ST_Transform(geom, 4549))", persisted=True),
            nullable=False,
        ),
        sa.UniqueConstraint("plan_id", "seq", name="uq_parcels_plan_seq"),
        sa.CheckConstraint(
            "geometry_source IN ('schematic', 'digitized', 'surveyed')",
            name="ck_parcels_geometry_source",
        ),
        sa.CheckConstraint(
            "ST_IsValid(geom) AND NOT ST_IsEmpty(geom)", name="ck_parcels_geom_valid"
        ),
        sa.CheckConstraint("declared_area_mu > 0", name="ck_parcels_declared_area_positive"),
        sa.CheckConstraint("seq > 0", name="ck_parcels_seq_positive"),
    )
    op.create_index("ix_parcels_plan_id", "parcels", ["plan_id"])
    op.create_index("idx_parcels_geom", "parcels", ["geom"], postgresql_using="gist")


def downgrade() -> None:
    op.drop_index("idx_parcels_geom", table_name="parcels")
    op.drop_index("ix_parcels_plan_id", table_name="parcels")
    op.drop_table("parcels")
    op.drop_table("plans")
    # The postgis extension stays: other schemas in the same database may use it.
