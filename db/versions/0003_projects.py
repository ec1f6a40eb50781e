"""Projects, works and activities (synced) and their kinds (catalog).

Revision ID: 0003_projects
Revises: 0002_villages_settings
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_projects"
down_revision = "0002_villages_settings"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('project_kind',
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('group', sa.String(length=20), nullable=False),
    sa.Column('legal_basis', sa.Text(), nullable=False),
    sa.Column('confidence', sa.String(length=20), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_project_kind'))
    )
    op.create_table('project',
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('program_id', sa.String(length=80), nullable=False),
    sa.Column('component_id', sa.String(length=80), nullable=True),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('village_id', sa.Uuid(), nullable=True),
    sa.Column('location', sa.String(length=300), nullable=False),
    sa.Column('investor', sa.String(length=200), nullable=False),
    sa.Column('approval_number', sa.String(length=60), nullable=False),
    sa.Column('approval_date', sa.Date(), nullable=True),
    sa.Column('approval_body', sa.String(length=200), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=True),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('stage', sa.String(length=20), nullable=False),
    sa.Column('physical_progress', sa.Integer(), nullable=False),
    sa.Column('beneficiary_households', sa.Integer(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('owner_unit_id', sa.String(length=40), nullable=False),
    sa.Column('origin_node_id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.String(length=64), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['village_id'], ['village.id'], name=op.f('fk_project_village_id_village')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_project'))
    )
    with op.batch_alter_table('project', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_project_owner_unit_id'), ['owner_unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_project_program_id'), ['program_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_project_village_id'), ['village_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('project', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_project_village_id'))
        batch_op.drop_index(batch_op.f('ix_project_program_id'))
        batch_op.drop_index(batch_op.f('ix_project_owner_unit_id'))

    op.drop_table('project')
    op.drop_table('project_kind')
