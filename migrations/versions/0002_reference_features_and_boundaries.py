"""Reference features (roads, rivers, walls, estates, addresses) and parsed four boundaries.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import geoalchemy2
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "reference_features",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("address", sa.Text()),
        sa.Column("geometry_source", sa.String(16), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column(
            "geom",
            geoalchemy2.Geometry("GEOMETRY", srid=4326, spatial_index=False),
            nullable=False,
        ),
        sa.CheckConstraint(
            "geometry_source IN ('schematic', 'digitized', 'surveyed')",
            name="ck_reference_features_geometry_source",
        ),
        sa.CheckConstraint(
            "ST_IsValid(geom) AND NOT ST_IsEmpty(geom)", name="ck_reference_features_geom_valid"
        ),
    )
    op.create_index("ix_reference_features_name", "reference_features", ["name"])
    op.create_index(
        "idx_reference_features_geom", "reference_features", ["geom"], postgresql_using="gist"
    )
    op.add_column("parcels", sa.Column("boundaries", postgresql.JSONB()))


def downgrade() -> None:
    op.drop_column("parcels", "boundaries")
    op.drop_index("idx_reference_features_geom", table_name="reference_features")
    op.drop_index("ix_reference_features_name", table_name="reference_features")
    op.drop_table("reference_features")
