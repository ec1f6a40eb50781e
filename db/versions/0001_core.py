"""Core: reference catalog, installation identity, known nodes, change journal.

Revision ID: 0001_core
Revises:
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = "0001_core"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('admin_unit',
    sa.Column('id', sa.String(length=40), nullable=False),
    sa.Column('code', sa.String(length=10), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('name_folded', sa.String(length=120), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('parent_id', sa.String(length=40), nullable=True),
    sa.Column('valid_from', sa.Date(), nullable=True),
    sa.Column('valid_to', sa.Date(), nullable=True),
    sa.Column('confidence', sa.String(length=20), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('retired', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['parent_id'], ['admin_unit.id'], name=op.f('fk_admin_unit_parent_id_admin_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_admin_unit'))
    )
    with op.batch_alter_table('admin_unit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_admin_unit_code'), ['code'], unique=False)
        batch_op.create_index(batch_op.f('ix_admin_unit_name_folded'), ['name_folded'], unique=False)
        batch_op.create_index(batch_op.f('ix_admin_unit_parent_id'), ['parent_id'], unique=False)

    op.create_table('capital_kind',
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=160), nullable=False),
    sa.Column('legal_basis', sa.Text(), nullable=False),
    sa.Column('carry_over_rule', sa.Text(), nullable=False),
    sa.Column('confidence', sa.String(length=20), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_capital_kind'))
    )
    op.create_table('capital_source',
    sa.Column('code', sa.String(length=30), nullable=False),
    sa.Column('name', sa.String(length=160), nullable=False),
    sa.Column('group', sa.String(length=20), nullable=False),
    sa.Column('budget_level', sa.String(length=20), nullable=False),
    sa.Column('counterpart', sa.Boolean(), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_capital_source'))
    )
    op.create_table('catalog_meta',
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_catalog_meta'))
    )
    op.create_table('change_journal',
    sa.Column('seq', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('table_name', sa.String(length=64), nullable=False),
    sa.Column('record_id', sa.Uuid(), nullable=False),
    sa.Column('operation', sa.String(length=10), nullable=False),
    sa.Column('version', sa.String(length=64), nullable=False),
    sa.Column('origin_node_id', sa.Uuid(), nullable=False),
    sa.Column('owner_unit_id', sa.String(length=40), nullable=False),
    sa.Column('payload', sa.Text(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('seq', name=op.f('pk_change_journal'))
    )
    with op.batch_alter_table('change_journal', schema=None) as batch_op:
        batch_op.create_index('ix_change_journal_owner_seq', ['owner_unit_id', 'seq'], unique=False)
        batch_op.create_index(batch_op.f('ix_change_journal_record_id'), ['record_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_change_journal_version'), ['version'], unique=False)

    op.create_table('installation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('node_id', sa.Uuid(), nullable=False),
    sa.Column('unit_id', sa.String(length=40), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('officer_name', sa.String(length=120), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('simulated_today', sa.Date(), nullable=True),
    sa.CheckConstraint('id = 1', name=op.f('ck_installation_single_row')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_installation'))
    )
    op.create_table('node',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('unit_id', sa.String(length=40), nullable=False),
    sa.Column('label', sa.String(length=120), nullable=False),
    sa.Column('is_local', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_node'))
    )
    with op.batch_alter_table('node', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_node_unit_id'), ['unit_id'], unique=False)

    op.create_table('program_period',
    sa.Column('id', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=False),
    sa.Column('valid_to', sa.Date(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_program_period'))
    )
    op.create_table('ntm_criterion',
    sa.Column('id', sa.String(length=40), nullable=False),
    sa.Column('period_id', sa.String(length=20), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=160), nullable=False),
    sa.Column('group', sa.String(length=120), nullable=False),
    sa.Column('confidence', sa.String(length=20), nullable=False),
    sa.Column('legal_basis', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['period_id'], ['program_period.id'], name=op.f('fk_ntm_criterion_period_id_program_period')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ntm_criterion'))
    )
    with op.batch_alter_table('ntm_criterion', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ntm_criterion_period_id'), ['period_id'], unique=False)

    op.create_table('program',
    sa.Column('id', sa.String(length=80), nullable=False),
    sa.Column('period_id', sa.String(length=20), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('short_name', sa.String(length=160), nullable=False),
    sa.Column('abbreviation', sa.String(length=40), nullable=False),
    sa.Column('legal_basis', sa.Text(), nullable=False),
    sa.Column('host_agency', sa.String(length=160), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('retired', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['period_id'], ['program_period.id'], name=op.f('fk_program_period_id_program_period')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_program'))
    )
    with op.batch_alter_table('program', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_program_period_id'), ['period_id'], unique=False)

    op.create_table('unit_succession',
    sa.Column('old_unit_id', sa.String(length=40), nullable=False),
    sa.Column('new_unit_id', sa.String(length=40), nullable=False),
    sa.Column('effective_on', sa.Date(), nullable=False),
    sa.Column('legal_basis', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['new_unit_id'], ['admin_unit.id'], name=op.f('fk_unit_succession_new_unit_id_admin_unit')),
    sa.ForeignKeyConstraint(['old_unit_id'], ['admin_unit.id'], name=op.f('fk_unit_succession_old_unit_id_admin_unit')),
    sa.PrimaryKeyConstraint('old_unit_id', 'new_unit_id', name=op.f('pk_unit_succession'))
    )
    with op.batch_alter_table('unit_succession', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_unit_succession_new_unit_id'), ['new_unit_id'], unique=False)

    op.create_table('program_component',
    sa.Column('id', sa.String(length=80), nullable=False),
    sa.Column('program_id', sa.String(length=80), nullable=False),
    sa.Column('parent_id', sa.String(length=80), nullable=True),
    sa.Column('level', sa.String(length=20), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('name_folded', sa.Text(), nullable=False),
    sa.Column('confidence', sa.String(length=20), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('retired', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['parent_id'], ['program_component.id'], name=op.f('fk_program_component_parent_id_program_component')),
    sa.ForeignKeyConstraint(['program_id'], ['program.id'], name=op.f('fk_program_component_program_id_program')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_program_component'))
    )
    with op.batch_alter_table('program_component', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_program_component_parent_id'), ['parent_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_program_component_program_id'), ['program_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('program_component', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_program_component_program_id'))
        batch_op.drop_index(batch_op.f('ix_program_component_parent_id'))

    op.drop_table('program_component')
    with op.batch_alter_table('unit_succession', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_unit_succession_new_unit_id'))

    op.drop_table('unit_succession')
    with op.batch_alter_table('program', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_program_period_id'))

    op.drop_table('program')
    with op.batch_alter_table('ntm_criterion', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ntm_criterion_period_id'))

    op.drop_table('ntm_criterion')
    op.drop_table('program_period')
    with op.batch_alter_table('node', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_node_unit_id'))

    op.drop_table('node')
    op.drop_table('installation')
    with op.batch_alter_table('change_journal', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_change_journal_version'))
        batch_op.drop_index(batch_op.f('ix_change_journal_record_id'))
        batch_op.drop_index('ix_change_journal_owner_seq')

    op.drop_table('change_journal')
    op.drop_table('catalog_meta')
    op.drop_table('capital_source')
    op.drop_table('capital_kind')
    with op.batch_alter_table('admin_unit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_admin_unit_parent_id'))
        batch_op.drop_index(batch_op.f('ix_admin_unit_name_folded'))
        batch_op.drop_index(batch_op.f('ix_admin_unit_code'))

    op.drop_table('admin_unit')
