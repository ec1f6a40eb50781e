"""Attachments: files attached to any record (the bytes are in attachments/).

Revision ID: 0004_attachments
Revises: 0003_projects
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_attachments"
down_revision = "0003_projects"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('attachment',
    sa.Column('parent_table', sa.String(length=64), nullable=False),
    sa.Column('parent_id', sa.Uuid(), nullable=False),
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('original_name', sa.String(length=255), nullable=False),
    sa.Column('media_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('caption', sa.String(length=300), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('owner_unit_id', sa.String(length=40), nullable=False),
    sa.Column('origin_node_id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.String(length=64), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attachment'))
    )
    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attachment_digest'), ['digest'], unique=False)
        batch_op.create_index(batch_op.f('ix_attachment_owner_unit_id'), ['owner_unit_id'], unique=False)
        batch_op.create_index('ix_attachment_parent', ['parent_table', 'parent_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.drop_index('ix_attachment_parent')
        batch_op.drop_index(batch_op.f('ix_attachment_owner_unit_id'))
        batch_op.drop_index(batch_op.f('ix_attachment_digest'))

    op.drop_table('attachment')
