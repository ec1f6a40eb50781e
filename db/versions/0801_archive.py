"""Issued reports (báo cáo đã ban hành) and the parent's report requests.

Revision ID: 0801_archive
Revises: 0601_activities
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0801_archive"
down_revision = "0701_today"
branch_labels = None
depends_on = None


def _synced_columns() -> list[sa.Column]:
    return [
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('owner_unit_id', sa.String(length=40), nullable=False),
        sa.Column('origin_node_id', sa.Uuid(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.Column('version', sa.String(length=64), nullable=False),
        sa.Column('deleted', sa.Boolean(), nullable=False),
        sa.Column('audience_unit_id', sa.String(length=40), nullable=True),
    ]


def upgrade() -> None:
    op.create_table('report_request',
    sa.Column('kind', sa.String(length=80), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('legal_basis', sa.String(length=300), nullable=False),
    *_synced_columns(),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_request'))
    )
    with op.batch_alter_table('report_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_request_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_report_request_owner_unit_id'), ['owner_unit_id'],
                              unique=False)

    op.create_table('issued_report',
    sa.Column('kind', sa.String(length=80), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('register_year', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('symbol', sa.String(length=40), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('signer_name', sa.String(length=120), nullable=False),
    sa.Column('signer_title', sa.String(length=120), nullable=False),
    sa.Column('files', sa.Text(), nullable=False),
    sa.Column('approved_by', sa.String(length=120), nullable=False),
    sa.Column('approved_on', sa.Date(), nullable=True),
    sa.Column('consolidated', sa.Boolean(), nullable=False),
    sa.Column('not_reported', sa.Text(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    *_synced_columns(),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_issued_report'))
    )
    with op.batch_alter_table('issued_report', schema=None) as batch_op:
        batch_op.create_index('ix_issued_report_kind_period',
                              ['kind', 'period_start', 'period_end'], unique=False)
        batch_op.create_index(batch_op.f('ix_issued_report_owner_unit_id'), ['owner_unit_id'],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table('issued_report', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_issued_report_owner_unit_id'))
        batch_op.drop_index('ix_issued_report_kind_period')
    op.drop_table('issued_report')
    with op.batch_alter_table('report_request', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_request_owner_unit_id'))
        batch_op.drop_index(batch_op.f('ix_report_request_kind'))
    op.drop_table('report_request')
