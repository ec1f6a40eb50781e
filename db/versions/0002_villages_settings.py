"""Villages of a commune (synced records) and workspace settings.

Revision ID: 0002_villages_settings
Revises: 0001_core
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_villages_settings"
down_revision = "0001_core"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('setting',
    sa.Column('key', sa.String(length=80), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_setting'))
    )
    op.create_table('village',
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('ethnic_groups', sa.String(length=200), nullable=False),
    sa.Column('households', sa.Integer(), nullable=False),
    sa.Column('population', sa.Integer(), nullable=False),
    sa.Column('extremely_disadvantaged', sa.Boolean(), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('owner_unit_id', sa.String(length=40), nullable=False),
    sa.Column('origin_node_id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.String(length=64), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_village'))
    )
    with op.batch_alter_table('village', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_village_owner_unit_id'), ['owner_unit_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('village', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_village_owner_unit_id'))

    op.drop_table('village')
    op.drop_table('setting')

