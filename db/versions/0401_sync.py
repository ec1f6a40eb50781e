"""Sync packages: node keys and trust, packages made and received, acknowledgements,
overridden values, the history; the base version of changes applied from packages.

Revision ID: 0401_sync
Revises: 0201_capital
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = "0401_sync"
down_revision = "0201_capital"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('sync_ack',
    sa.Column('recipient_unit_id', sa.String(length=40), nullable=False),
    sa.Column('node_id', sa.Uuid(), nullable=False),
    sa.Column('through_seq', sa.BigInteger(), nullable=False),
    sa.Column('package_number', sa.Integer(), nullable=False),
    sa.Column('package_sha256', sa.String(length=64), nullable=True),
    sa.Column('acknowledged_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('recipient_unit_id', 'node_id', name=op.f('pk_sync_ack'))
    )
    op.create_table('sync_conflict',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('table_name', sa.String(length=64), nullable=False),
    sa.Column('record_id', sa.Uuid(), nullable=False),
    sa.Column('owner_unit_id', sa.String(length=40), nullable=False),
    sa.Column('kept_version', sa.String(length=64), nullable=False),
    sa.Column('kept_node_id', sa.Uuid(), nullable=False),
    sa.Column('kept_payload', sa.Text(), nullable=False),
    sa.Column('overridden_version', sa.String(length=64), nullable=False),
    sa.Column('overridden_node_id', sa.Uuid(), nullable=False),
    sa.Column('overridden_payload', sa.Text(), nullable=False),
    sa.Column('detected_at', sa.DateTime(), nullable=False),
    sa.Column('reviewed', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sync_conflict')),
    sa.UniqueConstraint('table_name', 'record_id', 'overridden_version', name=op.f('uq_sync_conflict_table_name'))
    )
    with op.batch_alter_table('sync_conflict', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sync_conflict_record_id'), ['record_id'], unique=False)

    op.create_table('sync_enrollment',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('child_unit_id', sa.String(length=40), nullable=False),
    sa.Column('issued_at', sa.DateTime(), nullable=False),
    sa.Column('issued_by_node_id', sa.Uuid(), nullable=False),
    sa.Column('file_name', sa.String(length=255), nullable=False),
    sa.Column('revoked', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sync_enrollment'))
    )
    with op.batch_alter_table('sync_enrollment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sync_enrollment_child_unit_id'), ['child_unit_id'], unique=False)

    op.create_table('sync_event',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('outcome', sa.String(length=20), nullable=False),
    sa.Column('file_name', sa.String(length=255), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=True),
    sa.Column('peer_unit_id', sa.String(length=40), nullable=True),
    sa.Column('node_id', sa.Uuid(), nullable=True),
    sa.Column('package_number', sa.Integer(), nullable=True),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('counts', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sync_event'))
    )
    with op.batch_alter_table('sync_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sync_event_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_sync_event_outcome'), ['outcome'], unique=False)

    op.create_table('sync_incoming',
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('package_id', sa.Uuid(), nullable=False),
    sa.Column('sender_node_id', sa.Uuid(), nullable=False),
    sa.Column('sender_unit_id', sa.String(length=40), nullable=False),
    sa.Column('recipient_unit_id', sa.String(length=40), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('first_seq', sa.BigInteger(), nullable=False),
    sa.Column('last_seq', sa.BigInteger(), nullable=False),
    sa.Column('previous_sha256', sa.String(length=64), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('file_name', sa.String(length=255), nullable=False),
    sa.Column('stored_path', sa.Text(), nullable=True),
    sa.Column('received_at', sa.DateTime(), nullable=False),
    sa.Column('processed_at', sa.DateTime(), nullable=True),
    sa.Column('local_first_seq', sa.BigInteger(), nullable=True),
    sa.Column('local_last_seq', sa.BigInteger(), nullable=True),
    sa.Column('schema_revision', sa.String(length=64), nullable=False),
    sa.Column('app_version', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('sha256', name=op.f('pk_sync_incoming'))
    )
    with op.batch_alter_table('sync_incoming', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sync_incoming_package_id'), ['package_id'], unique=False)
        batch_op.create_index('ix_sync_incoming_sender_number', ['sender_node_id', 'number'], unique=False)
        batch_op.create_index(batch_op.f('ix_sync_incoming_status'), ['status'], unique=False)

    op.create_table('sync_outgoing',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('package_id', sa.Uuid(), nullable=False),
    sa.Column('recipient_unit_id', sa.String(length=40), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('first_seq', sa.BigInteger(), nullable=False),
    sa.Column('last_seq', sa.BigInteger(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('previous_sha256', sa.String(length=64), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('file_name', sa.String(length=255), nullable=False),
    sa.Column('folder', sa.Text(), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('changes', sa.BigInteger(), nullable=False),
    sa.Column('totals', sa.Text(), nullable=False),
    sa.Column('attachments', sa.Integer(), nullable=False),
    sa.Column('encrypted', sa.Boolean(), nullable=False),
    sa.Column('catalog_version', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sync_outgoing')),
    sa.UniqueConstraint('package_id', name=op.f('uq_sync_outgoing_package_id')),
    sa.UniqueConstraint('recipient_unit_id', 'number', name=op.f('uq_sync_outgoing_recipient_unit_id')),
    sa.UniqueConstraint('sha256', name=op.f('uq_sync_outgoing_sha256'))
    )
    with op.batch_alter_table('sync_outgoing', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sync_outgoing_recipient_unit_id'), ['recipient_unit_id'], unique=False)

    op.create_table('sync_peer',
    sa.Column('unit_id', sa.String(length=40), nullable=False),
    sa.Column('relation', sa.String(length=10), nullable=False),
    sa.Column('catalog_version', sa.Integer(), nullable=True),
    sa.Column('added_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('unit_id', name=op.f('pk_sync_peer'))
    )
    op.create_table('sync_stream_in',
    sa.Column('sender_node_id', sa.Uuid(), nullable=False),
    sa.Column('sender_unit_id', sa.String(length=40), nullable=False),
    sa.Column('applied_through', sa.BigInteger(), nullable=False),
    sa.Column('last_number', sa.Integer(), nullable=False),
    sa.Column('last_sha256', sa.String(length=64), nullable=True),
    sa.Column('last_applied_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('sender_node_id', name=op.f('pk_sync_stream_in'))
    )
    with op.batch_alter_table('change_journal', schema=None) as batch_op:
        batch_op.add_column(sa.Column('base_version', sa.String(length=64), nullable=True))

    with op.batch_alter_table('node', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sign_public_key', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('box_public_key', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('fingerprint', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('status', sa.String(length=20), server_default='trusted', nullable=False))
        batch_op.add_column(sa.Column('first_seen_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('last_seen_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('enrollment_id', sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column('app_version', sa.String(length=32), server_default='', nullable=False))

    # the installation's own node was the only one before sync existed
    op.execute(sa.text("UPDATE node SET status = 'local' WHERE is_local = :yes")
               .bindparams(yes=True))


def downgrade() -> None:
    with op.batch_alter_table('node', schema=None) as batch_op:
        batch_op.drop_column('app_version')
        batch_op.drop_column('enrollment_id')
        batch_op.drop_column('last_seen_at')
        batch_op.drop_column('first_seen_at')
        batch_op.drop_column('status')
        batch_op.drop_column('fingerprint')
        batch_op.drop_column('box_public_key')
        batch_op.drop_column('sign_public_key')

    with op.batch_alter_table('change_journal', schema=None) as batch_op:
        batch_op.drop_column('base_version')

    op.drop_table('sync_stream_in')
    op.drop_table('sync_peer')
    with op.batch_alter_table('sync_outgoing', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sync_outgoing_recipient_unit_id'))

    op.drop_table('sync_outgoing')
    with op.batch_alter_table('sync_incoming', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sync_incoming_status'))
        batch_op.drop_index('ix_sync_incoming_sender_number')
        batch_op.drop_index(batch_op.f('ix_sync_incoming_package_id'))

    op.drop_table('sync_incoming')
    with op.batch_alter_table('sync_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sync_event_outcome'))
        batch_op.drop_index(batch_op.f('ix_sync_event_at'))

    op.drop_table('sync_event')
    with op.batch_alter_table('sync_enrollment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sync_enrollment_child_unit_id'))

    op.drop_table('sync_enrollment')
    with op.batch_alter_table('sync_conflict', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sync_conflict_record_id'))

    op.drop_table('sync_conflict')
    op.drop_table('sync_ack')
