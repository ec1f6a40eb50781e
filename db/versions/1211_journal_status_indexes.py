"""The change journal's indexes as the sync status's counts ask for them (issue 17):

* ``ix_change_journal_audience_seq (audience_unit_id, seq)`` replaces
  ``ix_change_journal_audience_unit_id (audience_unit_id)``: the children's grouped count
  (``services/sync/_pending_down``) reads, for each interval of a child, the records
  addressed to it and those for every child (``*``) between two sequence numbers. With
  the audience alone PostgreSQL's plan, once the journal was analysed, intersected it with
  every row of the district's own records for each of 4,427 intervals (3-4.8 s at 3,321
  children instead of 0.1 s); with the sequence number in the key each interval is one
  short range. A lookup by audience alone reads the new index as it read the old one.
* on PostgreSQL ``ix_change_journal_owner_seq`` also carries ``table_name, operation,
  recorded_at`` (``INCLUDE``): the counts read the index alone (an index-only scan)
  instead of every journal row with its payload. The parent's own upward count, the whole
  journal of a country's district until the province acknowledges it, read 280 MB of rows
  for 355,000 changes; the index holds 21 MB. SQLite has no ``INCLUDE``: its index stays
  ``(owner_unit_id, seq)``.

Revision ID: 1211_journal_status_indexes
Revises: 1105_journal_checked
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "1211_journal_status_indexes"
down_revision = "1105_journal_checked"
branch_labels = None
depends_on = None

OWNER = "ix_change_journal_owner_seq"
AUDIENCE_OLD = "ix_change_journal_audience_unit_id"
AUDIENCE = "ix_change_journal_audience_seq"
INCLUDED = ["table_name", "operation", "recorded_at"]


def _indexes(bind) -> dict[str, list[str]]:
    """``{index name: its included columns}`` of the journal."""
    found = {}
    for index in sa.inspect(bind).get_indexes("change_journal"):
        options = index.get("dialect_options") or {}
        found[index["name"]] = list(options.get("postgresql_include")
                                    or index.get("include_columns") or ())
    return found


def upgrade() -> None:
    bind = op.get_bind()
    indexes = _indexes(bind)
    if AUDIENCE not in indexes:
        op.create_index(AUDIENCE, "change_journal", ["audience_unit_id", "seq"])
    if AUDIENCE_OLD in indexes:
        op.drop_index(AUDIENCE_OLD, table_name="change_journal")
    if bind.dialect.name == "postgresql" and indexes.get(OWNER) != INCLUDED:
        op.drop_index(OWNER, table_name="change_journal")
        op.create_index(OWNER, "change_journal", ["owner_unit_id", "seq"],
                        postgresql_include=INCLUDED)


def downgrade() -> None:
    bind = op.get_bind()
    op.create_index(AUDIENCE_OLD, "change_journal", ["audience_unit_id"])
    op.drop_index(AUDIENCE, table_name="change_journal")
    if bind.dialect.name == "postgresql":
        op.drop_index(OWNER, table_name="change_journal")
        op.create_index(OWNER, "change_journal", ["owner_unit_id", "seq"])
