"""Where each parcel stands in the expropriation process: its stage, since when, and why.

A parcel moves from 列入计划 (``planned``) through 预公告 / 征收启动公告 (``pre_notice``),
社会稳定风险评估 (``risk_assessment``), 征收决定 / 方案公告 (``decision``, whose 批复文号 is the
parcel's ``approval_reference``), 补偿安置 (``compensation``, with agreements signed out of the
total where known) to 交地 (``handed_over``); or it is 暂缓 (``paused``) or 撤销 (``withdrawn``),
which need a reason. The stage is a parcel column like any other: it changes through the one write
path, so every change has its history row and ``as_of`` shows it; a parcel's timeline is read from
that history.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STAGES = (
    "planned",
    "pre_notice",
    "risk_assessment",
    "decision",
    "compensation",
    "handed_over",
    "paused",
    "withdrawn",
)
CHECKS = {
    "ck_parcels_stage": "stage IN (" + ", ".join(f"'{stage}'" for stage in STAGES) + ")",
    "ck_parcels_stage_reason": (
        "stage NOT IN ('paused', 'withdrawn') OR length(btrim(coalesce(stage_reason, ''))) > 0"
    ),
    "ck_parcels_agreements": (
        "(agreements_signed IS NULL OR agreements_signed >= 0) AND "
        "(agreements_total IS NULL OR agreements_total > 0) AND "
        "(agreements_signed IS NULL OR agreements_total IS NULL "
        "OR agreements_signed <= agreements_total)"
    ),
}


def upgrade() -> None:
    op.add_column(
        "parcels", sa.Column("stage", sa.String(16), nullable=False, server_default="planned")
    )
    op.add_column("parcels", sa.Column("stage_date", sa.Date()))
    op.add_column("parcels", sa.Column("stage_document", sa.Text()))
    op.add_column("parcels", sa.Column("stage_reason", sa.Text()))
    op.add_column("parcels", sa.Column("agreements_signed", sa.Integer()))
    op.add_column("parcels", sa.Column("agreements_total", sa.Integer()))
    for name, condition in CHECKS.items():
        op.create_check_constraint(name, "parcels", condition)
    op.create_index("ix_parcels_plan_stage", "parcels", ["plan_id", "stage"])


def downgrade() -> None:
    op.drop_index("ix_parcels_plan_stage", table_name="parcels")
    for name in CHECKS:
        op.drop_constraint(name, "parcels", type_="check")
    for column in (
        "agreements_total",
        "agreements_signed",
        "stage_reason",
        "stage_document",
        "stage_date",
        "stage",
    ):
        op.drop_column("parcels", column)
