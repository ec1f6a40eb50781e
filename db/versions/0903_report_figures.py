"""The figures of an issued report (số liệu của báo cáo đã ban hành): the filled cell values
of an official form as canonical JSON in the record, so a parent sums its children's issued
reports without reading their files; and the day each signed report of another unit arrived
(``report_arrival``, local), on which timeliness is judged.

Revision ID: 0903_report_figures
Revises: 0801_archive
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0903_report_figures"
down_revision = "0902_attribute_history"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("issued_report", schema=None) as batch_op:
        batch_op.add_column(sa.Column("figures", sa.Text(), nullable=False,
                                      server_default=""))
    op.create_table(
        "report_arrival",
        sa.Column("report_id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.String(length=64), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("report_id", "version", name=op.f("pk_report_arrival")),
    )


def downgrade() -> None:
    op.drop_table("report_arrival")
    with op.batch_alter_table("issued_report", schema=None) as batch_op:
        batch_op.drop_column("figures")
