"""Local gazetteer: address points, road centrelines with house-number ranges, districts.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import geoalchemy2
import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "gazetteer_entries",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("district", sa.Text()),
        sa.Column("road", sa.Text()),
        sa.Column("house_number", sa.Integer()),
        sa.Column("house_suffix", sa.Text()),
        sa.Column("odd_from", sa.Integer()),
        sa.Column("odd_to", sa.Integer()),
        sa.Column("even_from", sa.Integer()),
        sa.Column("even_to", sa.Integer()),
        sa.Column("uncertainty_m", sa.Float(53), nullable=False),
        sa.Column("geometry_source", sa.String(16), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column(
            "geom",
            geoalchemy2.Geometry("GEOMETRY", srid=4326, spatial_index=False),
            nullable=False,
        ),
        sa.CheckConstraint(
            "kind IN ('address', 'road', 'district')", name="ck_gazetteer_entries_kind"
        ),
        sa.CheckConstraint(
            "geometry_source IN ('schematic', 'digitized', 'surveyed')",
            name="ck_gazetteer_entries_geometry_source",
        ),
        sa.CheckConstraint(
            "(kind = 'address') = (house_number IS NOT NULL AND road IS NOT NULL)",
            name="ck_gazetteer_entries_address_number",
        ),
        sa.CheckConstraint("uncertainty_m >= 0", name="ck_gazetteer_entries_uncertainty"),
        sa.CheckConstraint(
            "ST_IsValid(geom) AND NOT ST_IsEmpty(geom)", name="ck_gazetteer_entries_geom_valid"
        ),
    )
    op.create_index("ix_gazetteer_entries_kind_name", "gazetteer_entries", ["kind", "name"])
    op.create_index(
        "idx_gazetteer_entries_geom", "gazetteer_entries", ["geom"], postgresql_using="gist"
    )


def downgrade() -> None:
    op.drop_index("idx_gazetteer_entries_geom", table_name="gazetteer_entries")
    op.drop_index("ix_gazetteer_entries_kind_name", table_name="gazetteer_entries")
    op.drop_table("gazetteer_entries")
