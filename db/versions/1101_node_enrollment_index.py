"""An index on the installation's enrollment (issue 17: the enrolment check of each new
child's first package looked for another installation seated by the same file by scanning
every installation; the country has 3,321 children).

Revision ID: 1101_node_enrollment_index
Revises: 1001_carried_records
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "1101_node_enrollment_index"
down_revision = "1001_carried_records"
branch_labels = None
depends_on = None


def upgrade() -> None:
    indexes = {index["name"] for index in sa.inspect(op.get_bind()).get_indexes("node")}
    if "ix_node_enrollment_id" in indexes:
        return  # a database stamped back to an older revision over a newer schema (tests)
    with op.batch_alter_table("node", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_node_enrollment_id"), ["enrollment_id"],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table("node", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_node_enrollment_id"))
