"""Parcels without a shape: a notice names parcels the digitizer cannot place yet.

The notice is the legal record, so the row exists whether or not it has a shape. Such a parcel has
``geom`` NULL and ``geometry_source`` 'none' (its note says why), and one CHECK ties the two
together so that neither can be NULL or 'none' alone. The measured area, computed from ``geom``,
is NULL with it. The spatial predicates (bbox, tiles, look-up, topology) skip NULL shapes by
themselves; the readers say so where an answer would otherwise hide the parcel.

The downgrade puts back NOT NULL, which a shapeless parcel would break: it refuses, naming how
many there are, rather than deleting the legal record.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SOURCES_BEFORE = "geometry_source IN ('schematic', 'digitized', 'surveyed')"
SOURCES_AFTER = "geometry_source IN ('schematic', 'digitized', 'surveyed', 'none')"
VALID_BEFORE = "ST_IsValid(geom) AND NOT ST_IsEmpty(geom)"
VALID_AFTER = "geom IS NULL OR (ST_IsValid(geom) AND NOT ST_IsEmpty(geom))"
SHAPELESS = "(geom IS NULL) = (geometry_source = 'none')"


def _replace_check(name: str, condition: str) -> None:
    op.drop_constraint(name, "parcels", type_="check")
    op.create_check_constraint(name, "parcels", condition)


def upgrade() -> None:
    op.alter_column("parcels", "geom", nullable=True)
    op.alter_column("parcels", "measured_area_m2", nullable=True)
    _replace_check("ck_parcels_geometry_source", SOURCES_AFTER)
    _replace_check("ck_parcels_geom_valid", VALID_AFTER)
    op.create_check_constraint("ck_parcels_shapeless", "parcels", SHAPELESS)
    # Holds only the shapeless rows, so "how many are not located" (asked by every point
    # look-up) reads an index that is empty in the usual case instead of scanning the table.
    op.create_index(
        "ix_parcels_shapeless", "parcels", ["plan_id"], postgresql_where=sa.text("geom IS NULL")
    )


def downgrade() -> None:
    shapeless = (
        op.get_bind()
        .execute(sa.text("SELECT count(*) FROM parcels WHERE geom IS NULL"))
        .scalar_one()
    )
    if shapeless:
        raise RuntimeError(
            f"Cannot downgrade below 0007: {shapeless} parcel(s) have no shape yet "
            "(geometry_source 'none'), and the older schema requires one. Give them a shape "
            "(or retire them) first; the rows are the legal record and are not deleted."
        )
    op.drop_index("ix_parcels_shapeless", table_name="parcels")
    op.drop_constraint("ck_parcels_shapeless", "parcels", type_="check")
    _replace_check("ck_parcels_geom_valid", VALID_BEFORE)
    _replace_check("ck_parcels_geometry_source", SOURCES_BEFORE)
    op.alter_column("parcels", "measured_area_m2", nullable=False)
    op.alter_column("parcels", "geom", nullable=False)
