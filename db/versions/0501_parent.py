"""The parent unit's desk: reference documents sent down and their deliveries, assignments
to several children at once, reorganisations of units applied.

Revision ID: 0501_parent
Revises: 0401_sync
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = "0501_parent"
down_revision = "0401_sync"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('parent_assignment',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_parent_assignment'))
    )
    with op.batch_alter_table('parent_assignment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_parent_assignment_kind'), ['kind'], unique=False)

    op.create_table('parent_reference',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('item_key', sa.String(length=80), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('file_name', sa.String(length=200), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('audience_unit_id', sa.String(length=40), nullable=False),
    sa.Column('origin', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_parent_reference')),
    sa.UniqueConstraint('kind', 'item_key', 'audience_unit_id', name=op.f('uq_parent_reference_kind'))
    )
    with op.batch_alter_table('parent_reference', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_parent_reference_audience_unit_id'), ['audience_unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_parent_reference_item_key'), ['item_key'], unique=False)

    op.create_table('parent_reorganisation',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('new_unit_id', sa.String(length=40), nullable=False),
    sa.Column('old_unit_ids', sa.Text(), nullable=False),
    sa.Column('effective_on', sa.Date(), nullable=False),
    sa.Column('legal_basis', sa.Text(), nullable=False),
    sa.Column('applied_at', sa.DateTime(), nullable=False),
    sa.Column('moved_from_unit_id', sa.String(length=40), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_parent_reorganisation'))
    )
    with op.batch_alter_table('parent_reorganisation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_parent_reorganisation_new_unit_id'), ['new_unit_id'], unique=False)

    op.create_table('parent_assignment_record',
    sa.Column('assignment_id', sa.Uuid(), nullable=False),
    sa.Column('table_name', sa.String(length=64), nullable=False),
    sa.Column('record_id', sa.Uuid(), nullable=False),
    sa.Column('child_unit_id', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['assignment_id'], ['parent_assignment.id'], name=op.f('fk_parent_assignment_record_assignment_id_parent_assignment')),
    sa.PrimaryKeyConstraint('assignment_id', 'table_name', 'record_id', name=op.f('pk_parent_assignment_record'))
    )
    with op.batch_alter_table('parent_assignment_record', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_parent_assignment_record_child_unit_id'), ['child_unit_id'], unique=False)

    op.create_table('parent_reference_delivery',
    sa.Column('reference_id', sa.Integer(), nullable=False),
    sa.Column('recipient_unit_id', sa.String(length=40), nullable=False),
    sa.Column('first_number', sa.Integer(), nullable=False),
    sa.Column('first_sent_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['reference_id'], ['parent_reference.id'], name=op.f('fk_parent_reference_delivery_reference_id_parent_reference')),
    sa.PrimaryKeyConstraint('reference_id', 'recipient_unit_id', name=op.f('pk_parent_reference_delivery'))
    )


def downgrade() -> None:
    op.drop_table('parent_reference_delivery')
    with op.batch_alter_table('parent_assignment_record', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_parent_assignment_record_child_unit_id'))

    op.drop_table('parent_assignment_record')
    with op.batch_alter_table('parent_reorganisation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_parent_reorganisation_new_unit_id'))

    op.drop_table('parent_reorganisation')
    with op.batch_alter_table('parent_reference', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_parent_reference_item_key'))
        batch_op.drop_index(batch_op.f('ix_parent_reference_audience_unit_id'))

    op.drop_table('parent_reference')
    with op.batch_alter_table('parent_assignment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_parent_assignment_kind'))

    op.drop_table('parent_assignment')
