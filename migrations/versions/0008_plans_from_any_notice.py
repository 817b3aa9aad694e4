"""Plans from any county's notice: what the notice says of itself, its region, and local zones.

- A plan records the notice's document type (征收计划, 预公告, 启动公告, 方案公告, 征收决定…), its
  document number, approval number (批复文号) and the region it belongs to (province, city,
  district/county, the 6-digit administrative code and the district's centre, for zooming to a
  plan none of whose parcels has a shape yet).
- A parcel's block, 四至, declared area, public-interest type and implementing unit become
  nullable: notices from other counties do not always state each of them, and a field the notice
  does not state is NULL, never invented.
- Each parcel's area is measured on the CGCS2000 3-degree Gauss-Kruger zone whose central
  meridian is nearest its centroid (EPSG:4534 at 75E … EPSG:4554 at 135E), not on EPSG:4549
  (120E) everywhere: a Henan parcel 6 degrees from 120E came out about 1% too large. The zone's
  EPSG code is kept with the parcel (``zone_epsg``) for the checks, exports and coordinates.

The downgrade refuses while a parcel lacks one of the fields the older schema requires.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NULLABLE_NOW = ("block", "boundary_text", "declared_area_mu", "interest_type", "implementing_unit")
# Kept in step with geo.models.ZONE_EPSG_SQL / MEASURED_AREA_SQL (a migration is frozen history).
ZONE_SQL = (
    "CASE WHEN geom IS NULL THEN NULL ELSE 4534 + LEAST(20, GREATEST(0, "
    "round((ST_X(ST_Centroid(geom)) - 75.0) / 3.0)))::integer END"
)
MEASURED_SQL = f"ST_Area(ST_Transform(geom, {ZONE_SQL}))"
MEASURED_BEFORE = "ST_Area(ST_Transform(geom, 4549))"
PLAN_COLUMNS = (
    ("document_type", sa.Text()),
    ("document_number", sa.Text()),
    ("approval_number", sa.Text()),
    ("province", sa.Text()),
    ("city", sa.Text()),
    ("county", sa.Text()),
    ("adcode", sa.String(6)),
    ("region_longitude", sa.Double()),
    ("region_latitude", sa.Double()),
)


def _measured(expression: str) -> None:
    op.drop_column("parcels", "measured_area_m2")
    op.add_column(
        "parcels",
        sa.Column("measured_area_m2", sa.Double(), sa.Computed(expression, persisted=True)),
    )


def upgrade() -> None:
    for name, type_ in PLAN_COLUMNS:
        op.add_column("plans", sa.Column(name, type_, nullable=True))
    op.create_check_constraint("ck_plans_adcode", "plans", "adcode ~ '^[0-9]{6}$'")
    for name in NULLABLE_NOW:
        op.alter_column("parcels", name, nullable=True)
    op.add_column(
        "parcels", sa.Column("zone_epsg", sa.Integer(), sa.Computed(ZONE_SQL, persisted=True))
    )
    _measured(MEASURED_SQL)


def downgrade() -> None:
    condition = " OR ".join(f"{name} IS NULL" for name in NULLABLE_NOW)
    lacking = (
        op.get_bind()
        .execute(sa.text(f"SELECT count(*) FROM parcels WHERE {condition}"))
        .scalar_one()
    )
    if lacking:
        raise RuntimeError(
            f"Cannot downgrade below 0008: {lacking} parcel(s) lack a field the older schema "
            "requires (block, 四至, declared area, interest type or implementing unit), because "
            "their notice does not state it. The rows are the legal record and are not deleted."
        )
    _measured(MEASURED_BEFORE)
    op.drop_column("parcels", "zone_epsg")
    for name in NULLABLE_NOW:
        op.alter_column("parcels", name, nullable=False)
    op.drop_constraint("ck_plans_adcode", "plans", type_="check")
    for name, _ in reversed(PLAN_COLUMNS):
        op.drop_column("plans", name)
