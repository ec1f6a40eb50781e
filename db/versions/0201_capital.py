"""Capital plans: lines, allocations, payments, carry-overs, returns; counterpart-ratio rules;
project funding by source, scores and overlap reviews (all synced records).

Revision ID: 0201_capital
Revises: 0301_dossiers
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = "0201_capital"
down_revision = "0301_dossiers"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('capital_line',
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('program_id', sa.String(length=80), nullable=False),
    sa.Column('component_id', sa.String(length=80), nullable=True),
    sa.Column('capital_kind', sa.String(length=20), nullable=False),
    sa.Column('source', sa.String(length=30), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('quantity', sa.BigInteger(), nullable=True),
    sa.Column('quantity_unit', sa.String(length=40), nullable=False),
    sa.Column('unit_value', sa.BigInteger(), nullable=True),
    sa.Column('decision_number', sa.String(length=60), nullable=False),
    sa.Column('decision_date', sa.Date(), nullable=True),
    sa.Column('decision_body', sa.String(length=200), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('search_folded', sa.Text(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('owner_unit_id', sa.String(length=40), nullable=False),
    sa.Column('origin_node_id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.String(length=64), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('audience_unit_id', sa.String(length=40), nullable=True),
    sa.CheckConstraint('amount >= 0', name=op.f('ck_capital_line_amount_not_negative')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_capital_line'))
    )
    with op.batch_alter_table('capital_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_capital_line_owner_unit_id'), ['owner_unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_capital_line_program_id'), ['program_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_capital_line_year'), ['year'], unique=False)

    op.create_table('counterpart_rule',
    sa.Column('program_id', sa.String(length=80), nullable=False),
    sa.Column('capital_kind', sa.String(length=20), nullable=False),
    sa.Column('ratio_bp', sa.Integer(), nullable=False),
    sa.Column('legal_basis', sa.Text(), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=False),
    sa.Column('valid_to', sa.Date(), nullable=True),
    sa.Column('confidence', sa.String(length=20), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('owner_unit_id', sa.String(length=40), nullable=False),
    sa.Column('origin_node_id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.String(length=64), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('audience_unit_id', sa.String(length=40), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_counterpart_rule'))
    )
    with op.batch_alter_table('counterpart_rule', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_counterpart_rule_owner_unit_id'), ['owner_unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_counterpart_rule_program_id'), ['program_id'], unique=False)

    op.create_table('capital_carry_over',
    sa.Column('line_id', sa.Uuid(), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=False),
    sa.Column('decision_number', sa.String(length=60), nullable=False),
    sa.Column('decision_date', sa.Date(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('owner_unit_id', sa.String(length=40), nullable=False),
    sa.Column('origin_node_id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.String(length=64), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('audience_unit_id', sa.String(length=40), nullable=True),
    sa.CheckConstraint('amount > 0', name=op.f('ck_capital_carry_over_amount_positive')),
    sa.ForeignKeyConstraint(['line_id'], ['capital_line.id'], name=op.f('fk_capital_carry_over_line_id_capital_line')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_capital_carry_over'))
    )
    with op.batch_alter_table('capital_carry_over', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_capital_carry_over_line_id'), ['line_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_capital_carry_over_owner_unit_id'), ['owner_unit_id'], unique=False)

    op.create_table('capital_return',
    sa.Column('line_id', sa.Uuid(), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('returned_on', sa.Date(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('decision_number', sa.String(length=60), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('owner_unit_id', sa.String(length=40), nullable=False),
    sa.Column('origin_node_id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.String(length=64), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('audience_unit_id', sa.String(length=40), nullable=True),
    sa.CheckConstraint('amount > 0', name=op.f('ck_capital_return_amount_positive')),
    sa.ForeignKeyConstraint(['line_id'], ['capital_line.id'], name=op.f('fk_capital_return_line_id_capital_line')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_capital_return'))
    )
    with op.batch_alter_table('capital_return', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_capital_return_line_id'), ['line_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_capital_return_owner_unit_id'), ['owner_unit_id'], unique=False)

    op.create_table('capital_allocation',
    sa.Column('line_id', sa.Uuid(), nullable=False),
    sa.Column('project_id', sa.Uuid(), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('decision_number', sa.String(length=60), nullable=False),
    sa.Column('decision_date', sa.Date(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('owner_unit_id', sa.String(length=40), nullable=False),
    sa.Column('origin_node_id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.String(length=64), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('audience_unit_id', sa.String(length=40), nullable=True),
    sa.CheckConstraint('amount >= 0', name=op.f('ck_capital_allocation_amount_not_negative')),
    sa.ForeignKeyConstraint(['line_id'], ['capital_line.id'], name=op.f('fk_capital_allocation_line_id_capital_line')),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_capital_allocation_project_id_project')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_capital_allocation'))
    )
    with op.batch_alter_table('capital_allocation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_capital_allocation_line_id'), ['line_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_capital_allocation_owner_unit_id'), ['owner_unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_capital_allocation_project_id'), ['project_id'], unique=False)

    op.create_table('overlap_decision',
    sa.Column('first_project_id', sa.Uuid(), nullable=False),
    sa.Column('second_project_id', sa.Uuid(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('decided_by', sa.String(length=120), nullable=False),
    sa.Column('decided_on', sa.Date(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('owner_unit_id', sa.String(length=40), nullable=False),
    sa.Column('origin_node_id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.String(length=64), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('audience_unit_id', sa.String(length=40), nullable=True),
    sa.ForeignKeyConstraint(['first_project_id'], ['project.id'], name=op.f('fk_overlap_decision_first_project_id_project')),
    sa.ForeignKeyConstraint(['second_project_id'], ['project.id'], name=op.f('fk_overlap_decision_second_project_id_project')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_overlap_decision'))
    )
    with op.batch_alter_table('overlap_decision', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_overlap_decision_first_project_id'), ['first_project_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_overlap_decision_owner_unit_id'), ['owner_unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_overlap_decision_second_project_id'), ['second_project_id'], unique=False)

    op.create_table('project_funding',
    sa.Column('project_id', sa.Uuid(), nullable=False),
    sa.Column('source', sa.String(length=30), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('owner_unit_id', sa.String(length=40), nullable=False),
    sa.Column('origin_node_id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.String(length=64), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('audience_unit_id', sa.String(length=40), nullable=True),
    sa.CheckConstraint('amount >= 0', name=op.f('ck_project_funding_amount_not_negative')),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_project_funding_project_id_project')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_project_funding'))
    )
    with op.batch_alter_table('project_funding', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_project_funding_owner_unit_id'), ['owner_unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_project_funding_project_id'), ['project_id'], unique=False)

    op.create_table('project_score',
    sa.Column('project_id', sa.Uuid(), nullable=False),
    sa.Column('criterion', sa.String(length=40), nullable=False),
    sa.Column('points', sa.Integer(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('owner_unit_id', sa.String(length=40), nullable=False),
    sa.Column('origin_node_id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.String(length=64), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('audience_unit_id', sa.String(length=40), nullable=True),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_project_score_project_id_project')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_project_score'))
    )
    with op.batch_alter_table('project_score', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_project_score_owner_unit_id'), ['owner_unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_project_score_project_id'), ['project_id'], unique=False)

    op.create_table('capital_payment',
    sa.Column('allocation_id', sa.Uuid(), nullable=False),
    sa.Column('paid_on', sa.Date(), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('voucher', sa.String(length=80), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('owner_unit_id', sa.String(length=40), nullable=False),
    sa.Column('origin_node_id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.String(length=64), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('audience_unit_id', sa.String(length=40), nullable=True),
    sa.CheckConstraint('amount > 0', name=op.f('ck_capital_payment_amount_positive')),
    sa.ForeignKeyConstraint(['allocation_id'], ['capital_allocation.id'], name=op.f('fk_capital_payment_allocation_id_capital_allocation')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_capital_payment'))
    )
    with op.batch_alter_table('capital_payment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_capital_payment_allocation_id'), ['allocation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_capital_payment_owner_unit_id'), ['owner_unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_capital_payment_paid_on'), ['paid_on'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('capital_payment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_capital_payment_paid_on'))
        batch_op.drop_index(batch_op.f('ix_capital_payment_owner_unit_id'))
        batch_op.drop_index(batch_op.f('ix_capital_payment_allocation_id'))

    op.drop_table('capital_payment')
    with op.batch_alter_table('project_score', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_project_score_project_id'))
        batch_op.drop_index(batch_op.f('ix_project_score_owner_unit_id'))

    op.drop_table('project_score')
    with op.batch_alter_table('project_funding', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_project_funding_project_id'))
        batch_op.drop_index(batch_op.f('ix_project_funding_owner_unit_id'))

    op.drop_table('project_funding')
    with op.batch_alter_table('overlap_decision', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_overlap_decision_second_project_id'))
        batch_op.drop_index(batch_op.f('ix_overlap_decision_owner_unit_id'))
        batch_op.drop_index(batch_op.f('ix_overlap_decision_first_project_id'))

    op.drop_table('overlap_decision')
    with op.batch_alter_table('capital_allocation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_capital_allocation_project_id'))
        batch_op.drop_index(batch_op.f('ix_capital_allocation_owner_unit_id'))
        batch_op.drop_index(batch_op.f('ix_capital_allocation_line_id'))

    op.drop_table('capital_allocation')
    with op.batch_alter_table('capital_return', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_capital_return_owner_unit_id'))
        batch_op.drop_index(batch_op.f('ix_capital_return_line_id'))

    op.drop_table('capital_return')
    with op.batch_alter_table('capital_carry_over', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_capital_carry_over_owner_unit_id'))
        batch_op.drop_index(batch_op.f('ix_capital_carry_over_line_id'))

    op.drop_table('capital_carry_over')
    with op.batch_alter_table('counterpart_rule', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_counterpart_rule_program_id'))
        batch_op.drop_index(batch_op.f('ix_counterpart_rule_owner_unit_id'))

    op.drop_table('counterpart_rule')
    with op.batch_alter_table('capital_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_capital_line_year'))
        batch_op.drop_index(batch_op.f('ix_capital_line_program_id'))
        batch_op.drop_index(batch_op.f('ix_capital_line_owner_unit_id'))

    op.drop_table('capital_line')
