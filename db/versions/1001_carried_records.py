"""Records carried over after the merger (chuyển tiếp sau sắp xếp, issue 13).

Revision ID: 1001_carried_records
Revises: 0901_stored_text
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "1001_carried_records"
down_revision = "0901_stored_text"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if "carried_record" in sa.inspect(op.get_bind()).get_table_names():
        return  # a database stamped back to an older revision over a newer schema (tests)
    op.create_table('carried_record',
    sa.Column('source_table', sa.String(length=64), nullable=False),
    sa.Column('source_id', sa.Uuid(), nullable=False),
    sa.Column('source_unit_id', sa.String(length=40), nullable=False),
    sa.Column('target_id', sa.Uuid(), nullable=False),
    sa.Column('carried_on', sa.Date(), nullable=False),
    sa.Column('old_program_key', sa.String(length=80), nullable=False),
    sa.Column('new_program_key', sa.String(length=80), nullable=False),
    sa.Column('confidence', sa.String(length=20), nullable=False),
    sa.Column('capital_mode', sa.String(length=20), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('owner_unit_id', sa.String(length=40), nullable=False),
    sa.Column('origin_node_id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.String(length=64), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('audience_unit_id', sa.String(length=40), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_carried_record')),
    sa.UniqueConstraint('owner_unit_id', 'source_table', 'source_id',
                        name='uq_carried_record_source')
    )
    with op.batch_alter_table('carried_record', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_carried_record_source_id'), ['source_id'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_carried_record_target_id'), ['target_id'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_carried_record_owner_unit_id'),
                              ['owner_unit_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('carried_record', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_carried_record_owner_unit_id'))
        batch_op.drop_index(batch_op.f('ix_carried_record_target_id'))
        batch_op.drop_index(batch_op.f('ix_carried_record_source_id'))
    op.drop_table('carried_record')
