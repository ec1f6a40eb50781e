"""Tasks and progress: directives, tasks, progress updates, difficulties and the parent's
answers (issue 3).

Revision ID: 0101_tasks
Revises: 0005_audience
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = "0101_tasks"
down_revision = "0005_audience"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('directive',
    sa.Column('number_symbol', sa.String(length=60), nullable=False),
    sa.Column('doc_type', sa.String(length=60), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=True),
    sa.Column('issuing_body', sa.String(length=200), nullable=False),
    sa.Column('issuing_unit_id', sa.String(length=40), nullable=True),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('program_ids', sa.Text(), nullable=False),
    sa.Column('related_documents', sa.Text(), nullable=False),
    sa.Column('search_text', sa.Text(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('owner_unit_id', sa.String(length=40), nullable=False),
    sa.Column('origin_node_id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.String(length=64), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('audience_unit_id', sa.String(length=40), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_directive'))
    )
    with op.batch_alter_table('directive', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_directive_owner_unit_id'), ['owner_unit_id'], unique=False)

    op.create_table('task',
    sa.Column('directive_id', sa.Uuid(), nullable=True),
    sa.Column('parent_task_id', sa.Uuid(), nullable=True),
    sa.Column('section', sa.String(length=300), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('lead_unit_id', sa.String(length=40), nullable=True),
    sa.Column('lead_agency', sa.String(length=300), nullable=False),
    sa.Column('coordinators', sa.Text(), nullable=False),
    sa.Column('program_id', sa.String(length=80), nullable=True),
    sa.Column('component_id', sa.String(length=80), nullable=True),
    sa.Column('project_id', sa.Uuid(), nullable=True),
    sa.Column('schedule_kind', sa.String(length=20), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=True),
    sa.Column('schedule_day', sa.Integer(), nullable=False),
    sa.Column('schedule_month', sa.Integer(), nullable=False),
    sa.Column('schedule_start', sa.Date(), nullable=True),
    sa.Column('schedule_end', sa.Date(), nullable=True),
    sa.Column('expected_output', sa.Text(), nullable=False),
    sa.Column('target_kind', sa.String(length=20), nullable=False),
    sa.Column('target_quantity', sa.BigInteger(), nullable=True),
    sa.Column('target_unit', sa.String(length=40), nullable=False),
    sa.Column('lead_key', sa.String(length=320), nullable=False),
    sa.Column('lead_label', sa.String(length=300), nullable=False),
    sa.Column('search_text', sa.Text(), nullable=False),
    sa.Column('next_due_on', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('latest_percent', sa.Integer(), nullable=True),
    sa.Column('latest_progress_on', sa.Date(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('owner_unit_id', sa.String(length=40), nullable=False),
    sa.Column('origin_node_id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.String(length=64), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('audience_unit_id', sa.String(length=40), nullable=True),
    sa.ForeignKeyConstraint(['directive_id'], ['directive.id'], name=op.f('fk_task_directive_id_directive')),
    sa.ForeignKeyConstraint(['parent_task_id'], ['task.id'], name=op.f('fk_task_parent_task_id_task')),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_task_project_id_project')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_task'))
    )
    with op.batch_alter_table('task', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_task_directive_id'), ['directive_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_task_lead_key'), ['lead_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_task_next_due_on'), ['next_due_on'], unique=False)
        batch_op.create_index('ix_task_owner_live', ['owner_unit_id', 'deleted'], unique=False)
        batch_op.create_index(batch_op.f('ix_task_owner_unit_id'), ['owner_unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_task_program_id'), ['program_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_task_status'), ['status'], unique=False)

    op.create_table('difficulty',
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('raised_on', sa.Date(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('proposal', sa.Text(), nullable=False),
    sa.Column('task_id', sa.Uuid(), nullable=True),
    sa.Column('program_id', sa.String(length=80), nullable=True),
    sa.Column('project_id', sa.Uuid(), nullable=True),
    sa.Column('unit_id', sa.String(length=40), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('sent_on', sa.Date(), nullable=True),
    sa.Column('resolved_on', sa.Date(), nullable=True),
    sa.Column('search_text', sa.Text(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('owner_unit_id', sa.String(length=40), nullable=False),
    sa.Column('origin_node_id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.String(length=64), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('audience_unit_id', sa.String(length=40), nullable=True),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_difficulty_project_id_project')),
    sa.ForeignKeyConstraint(['task_id'], ['task.id'], name=op.f('fk_difficulty_task_id_task')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_difficulty'))
    )
    with op.batch_alter_table('difficulty', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_difficulty_owner_unit_id'), ['owner_unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_difficulty_task_id'), ['task_id'], unique=False)

    op.create_table('task_progress',
    sa.Column('task_id', sa.Uuid(), nullable=False),
    sa.Column('reported_on', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('percent', sa.Integer(), nullable=True),
    sa.Column('quantity', sa.BigInteger(), nullable=True),
    sa.Column('narrative', sa.Text(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('owner_unit_id', sa.String(length=40), nullable=False),
    sa.Column('origin_node_id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.String(length=64), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('audience_unit_id', sa.String(length=40), nullable=True),
    sa.ForeignKeyConstraint(['task_id'], ['task.id'], name=op.f('fk_task_progress_task_id_task')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_task_progress'))
    )
    with op.batch_alter_table('task_progress', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_task_progress_owner_unit_id'), ['owner_unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_task_progress_task_id'), ['task_id'], unique=False)

    op.create_table('difficulty_answer',
    sa.Column('difficulty_id', sa.Uuid(), nullable=False),
    sa.Column('answered_on', sa.Date(), nullable=False),
    sa.Column('answered_by', sa.String(length=200), nullable=False),
    sa.Column('document_ref', sa.String(length=200), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('owner_unit_id', sa.String(length=40), nullable=False),
    sa.Column('origin_node_id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.String(length=64), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('audience_unit_id', sa.String(length=40), nullable=True),
    sa.ForeignKeyConstraint(['difficulty_id'], ['difficulty.id'], name=op.f('fk_difficulty_answer_difficulty_id_difficulty')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_difficulty_answer'))
    )
    with op.batch_alter_table('difficulty_answer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_difficulty_answer_difficulty_id'), ['difficulty_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_difficulty_answer_owner_unit_id'), ['owner_unit_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('difficulty_answer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_difficulty_answer_owner_unit_id'))
        batch_op.drop_index(batch_op.f('ix_difficulty_answer_difficulty_id'))

    op.drop_table('difficulty_answer')
    with op.batch_alter_table('task_progress', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_task_progress_task_id'))
        batch_op.drop_index(batch_op.f('ix_task_progress_owner_unit_id'))

    op.drop_table('task_progress')
    with op.batch_alter_table('difficulty', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_difficulty_task_id'))
        batch_op.drop_index(batch_op.f('ix_difficulty_owner_unit_id'))

    op.drop_table('difficulty')
    with op.batch_alter_table('task', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_task_status'))
        batch_op.drop_index(batch_op.f('ix_task_program_id'))
        batch_op.drop_index(batch_op.f('ix_task_owner_unit_id'))
        batch_op.drop_index('ix_task_owner_live')
        batch_op.drop_index(batch_op.f('ix_task_next_due_on'))
        batch_op.drop_index(batch_op.f('ix_task_lead_key'))
        batch_op.drop_index(batch_op.f('ix_task_directive_id'))

    op.drop_table('task')
    with op.batch_alter_table('directive', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_directive_owner_unit_id'))

    op.drop_table('directive')
