"""Records say which child unit a parent's record is for (audience_unit_id).

Revision ID: 0005_audience
Revises: 0004_attachments
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_audience"
down_revision = "0004_attachments"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('audience_unit_id', sa.String(length=40), nullable=True))

    with op.batch_alter_table('change_journal', schema=None) as batch_op:
        batch_op.add_column(sa.Column('audience_unit_id', sa.String(length=40), nullable=True))
        batch_op.create_index(batch_op.f('ix_change_journal_audience_unit_id'), ['audience_unit_id'], unique=False)

    with op.batch_alter_table('project', schema=None) as batch_op:
        batch_op.add_column(sa.Column('audience_unit_id', sa.String(length=40), nullable=True))

    with op.batch_alter_table('village', schema=None) as batch_op:
        batch_op.add_column(sa.Column('audience_unit_id', sa.String(length=40), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('village', schema=None) as batch_op:
        batch_op.drop_column('audience_unit_id')

    with op.batch_alter_table('project', schema=None) as batch_op:
        batch_op.drop_column('audience_unit_id')

    with op.batch_alter_table('change_journal', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_change_journal_audience_unit_id'))
        batch_op.drop_column('audience_unit_id')

    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.drop_column('audience_unit_id')

