"""The export's check mark on each change-journal row (dấu đã kiểm tra, issue 17): a digest
of the row's payload under the receiver's checks, set when the row is written by this
installation's services and found good; an export that finds the mark still true (same
payload, same checks) does not check the record again. Rows written before this revision
have no mark and are checked at each export, as before.

Revision ID: 1105_journal_checked
Revises: 1101_node_enrollment_index
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "1105_journal_checked"
down_revision = "1101_node_enrollment_index"
branch_labels = None
depends_on = None


def upgrade() -> None:
    columns = {column["name"] for column in sa.inspect(op.get_bind()).get_columns(
        "change_journal")}
    if "checked" in columns:
        return  # a database stamped back to an older revision over a newer schema (tests)
    # a nullable column without a default: SQLite adds it without rewriting the table
    op.add_column("change_journal", sa.Column("checked", sa.String(length=32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("change_journal", schema=None) as batch_op:
        batch_op.drop_column("checked")
