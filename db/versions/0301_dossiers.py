"""Dossiers, dossier templates (reference data, one row per version), beneficiary households
and the support each received.

Revision ID: 0301_dossiers
Revises: 0101_tasks
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = "0301_dossiers"
down_revision = "0101_tasks"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('dossier_template',
    sa.Column('id', sa.String(length=80), nullable=False),
    sa.Column('code', sa.String(length=60), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('province', sa.String(length=10), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('confidence', sa.String(length=20), nullable=False),
    sa.Column('source_name', sa.String(length=200), nullable=False),
    sa.Column('origin', sa.String(length=20), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('installed_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dossier_template'))
    )
    with op.batch_alter_table('dossier_template', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dossier_template_code'), ['code'], unique=False)
        batch_op.create_index(batch_op.f('ix_dossier_template_kind'), ['kind'], unique=False)

    op.create_table('household',
    sa.Column('head_name', sa.String(length=120), nullable=False),
    sa.Column('head_name_folded', sa.String(length=120), nullable=False),
    sa.Column('id_number', sa.String(length=12), nullable=False),
    sa.Column('birth_year', sa.Integer(), nullable=True),
    sa.Column('village_id', sa.Uuid(), nullable=True),
    sa.Column('ethnicity', sa.String(length=60), nullable=False),
    sa.Column('poverty_status', sa.String(length=20), nullable=False),
    sa.Column('ethnic_minority', sa.Boolean(), nullable=False),
    sa.Column('members', sa.Integer(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('owner_unit_id', sa.String(length=40), nullable=False),
    sa.Column('origin_node_id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.String(length=64), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('audience_unit_id', sa.String(length=40), nullable=True),
    sa.ForeignKeyConstraint(['village_id'], ['village.id'], name=op.f('fk_household_village_id_village')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_household'))
    )
    with op.batch_alter_table('household', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_household_head_name_folded'), ['head_name_folded'], unique=False)
        batch_op.create_index(batch_op.f('ix_household_owner_unit_id'), ['owner_unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_household_village_id'), ['village_id'], unique=False)

    op.create_table('dossier',
    sa.Column('project_id', sa.Uuid(), nullable=False),
    sa.Column('template_id', sa.String(length=80), nullable=False),
    sa.Column('started_on', sa.Date(), nullable=False),
    sa.Column('current_stage', sa.String(length=20), nullable=False),
    sa.Column('locked', sa.Boolean(), nullable=False),
    sa.Column('locked_on', sa.Date(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('owner_unit_id', sa.String(length=40), nullable=False),
    sa.Column('origin_node_id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.String(length=64), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('audience_unit_id', sa.String(length=40), nullable=True),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_dossier_project_id_project')),
    sa.ForeignKeyConstraint(['template_id'], ['dossier_template.id'], name=op.f('fk_dossier_template_id_dossier_template')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dossier'))
    )
    with op.batch_alter_table('dossier', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dossier_owner_unit_id'), ['owner_unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_dossier_project_id'), ['project_id'], unique=False)

    op.create_table('household_support',
    sa.Column('household_id', sa.Uuid(), nullable=False),
    sa.Column('project_id', sa.Uuid(), nullable=False),
    sa.Column('content', sa.String(length=40), nullable=False),
    sa.Column('amount', sa.Integer(), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('owner_unit_id', sa.String(length=40), nullable=False),
    sa.Column('origin_node_id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.String(length=64), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('audience_unit_id', sa.String(length=40), nullable=True),
    sa.ForeignKeyConstraint(['household_id'], ['household.id'], name=op.f('fk_household_support_household_id_household')),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_household_support_project_id_project')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_household_support'))
    )
    with op.batch_alter_table('household_support', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_household_support_content'), ['content'], unique=False)
        batch_op.create_index(batch_op.f('ix_household_support_household_id'), ['household_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_household_support_owner_unit_id'), ['owner_unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_household_support_project_id'), ['project_id'], unique=False)

    op.create_table('dossier_document',
    sa.Column('dossier_id', sa.Uuid(), nullable=False),
    sa.Column('document_code', sa.String(length=60), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('number', sa.String(length=60), nullable=False),
    sa.Column('document_date', sa.Date(), nullable=True),
    sa.Column('signed_on', sa.Date(), nullable=True),
    sa.Column('signer', sa.String(length=200), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('form_values', sa.Text(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('owner_unit_id', sa.String(length=40), nullable=False),
    sa.Column('origin_node_id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.String(length=64), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('audience_unit_id', sa.String(length=40), nullable=True),
    sa.ForeignKeyConstraint(['dossier_id'], ['dossier.id'], name=op.f('fk_dossier_document_dossier_id_dossier')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dossier_document'))
    )
    with op.batch_alter_table('dossier_document', schema=None) as batch_op:
        batch_op.create_index('ix_dossier_document_dossier_code', ['dossier_id', 'document_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_dossier_document_dossier_id'), ['dossier_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_dossier_document_owner_unit_id'), ['owner_unit_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('dossier_document', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dossier_document_owner_unit_id'))
        batch_op.drop_index(batch_op.f('ix_dossier_document_dossier_id'))
        batch_op.drop_index('ix_dossier_document_dossier_code')

    op.drop_table('dossier_document')
    with op.batch_alter_table('household_support', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_household_support_project_id'))
        batch_op.drop_index(batch_op.f('ix_household_support_owner_unit_id'))
        batch_op.drop_index(batch_op.f('ix_household_support_household_id'))
        batch_op.drop_index(batch_op.f('ix_household_support_content'))

    op.drop_table('household_support')
    with op.batch_alter_table('dossier', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dossier_project_id'))
        batch_op.drop_index(batch_op.f('ix_dossier_owner_unit_id'))

    op.drop_table('dossier')
    with op.batch_alter_table('household', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_household_village_id'))
        batch_op.drop_index(batch_op.f('ix_household_owner_unit_id'))
        batch_op.drop_index(batch_op.f('ix_household_head_name_folded'))

    op.drop_table('household')
    with op.batch_alter_table('dossier_template', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dossier_template_kind'))
        batch_op.drop_index(batch_op.f('ix_dossier_template_code'))

    op.drop_table('dossier_template')
