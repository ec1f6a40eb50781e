"""Activities: communication campaigns, emulation movements, training, inspection and
supervision, steering-committee meetings, with their participants.

Revision ID: 0601_activities
Revises: 0501_parent
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = "0601_activities"
down_revision = "0501_parent"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('activity',
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('campaign', sa.String(length=300), nullable=False),
    sa.Column('program_id', sa.String(length=80), nullable=True),
    sa.Column('component_id', sa.String(length=80), nullable=True),
    sa.Column('project_id', sa.Uuid(), nullable=True),
    sa.Column('start_on', sa.Date(), nullable=False),
    sa.Column('end_on', sa.Date(), nullable=True),
    sa.Column('village_id', sa.Uuid(), nullable=True),
    sa.Column('place', sa.String(length=300), nullable=False),
    sa.Column('organiser', sa.String(length=300), nullable=False),
    sa.Column('participants', sa.Integer(), nullable=False),
    sa.Column('participants_women', sa.Integer(), nullable=False),
    sa.Column('participants_ethnic', sa.Integer(), nullable=False),
    sa.Column('participants_poor', sa.Integer(), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('results', sa.Text(), nullable=False),
    sa.Column('recommendations', sa.Text(), nullable=False),
    sa.Column('cost', sa.BigInteger(), nullable=True),
    sa.Column('search_text', sa.Text(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('owner_unit_id', sa.String(length=40), nullable=False),
    sa.Column('origin_node_id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.String(length=64), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('audience_unit_id', sa.String(length=40), nullable=True),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_activity_project_id_project')),
    sa.ForeignKeyConstraint(['village_id'], ['village.id'], name=op.f('fk_activity_village_id_village')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_activity'))
    )
    with op.batch_alter_table('activity', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_activity_kind'), ['kind'], unique=False)
        batch_op.create_index('ix_activity_owner_live', ['owner_unit_id', 'deleted'], unique=False)
        batch_op.create_index(batch_op.f('ix_activity_owner_unit_id'), ['owner_unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_activity_start_on'), ['start_on'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('activity', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_activity_start_on'))
        batch_op.drop_index(batch_op.f('ix_activity_owner_unit_id'))
        batch_op.drop_index('ix_activity_owner_live')
        batch_op.drop_index(batch_op.f('ix_activity_kind'))

    op.drop_table('activity')
