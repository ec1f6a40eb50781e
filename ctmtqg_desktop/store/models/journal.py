"""The change journal: every local write, in the same transaction, in order.

Export reads the journal (never a diff of tables). Each row holds the full record after the
change as canonical JSON, so a package can be built from the journal alone.
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import Index
from sqlalchemy.orm import Mapped, mapped_column

from ctmtqg_desktop.store.base import Base, StoredJSONText, StoredString, UnitKey

#: the columns the sync status counts and groups by besides the owner and the sequence
STATUS_COLUMNS = ("table_name", "operation", "recorded_at")


class ChangeJournalEntry(Base):
    __tablename__ = "change_journal"
    #: as the sync status's counts read them (revision 1211_journal_status_indexes): on
    #: PostgreSQL the migration makes the owner's index also carry :data:`STATUS_COLUMNS`
    #: (``INCLUDE``: read from the index alone, not from the rows with their payloads); it
    #: is not declared here, where ``postgresql_include`` would load the PostgreSQL dialect
    #: in every process (the overview's start-up process among them); a child's records
    #: between two sequence numbers by audience
    __table_args__ = (Index("ix_change_journal_owner_seq", "owner_unit_id", "seq"),
                      Index("ix_change_journal_audience_seq", "audience_unit_id", "seq"))
    seq: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    table_name: Mapped[str] = mapped_column(StoredString(64))
    record_id: Mapped[uuid.UUID] = mapped_column(index=True)
    #: insert, update or delete (a tombstone)
    operation: Mapped[str] = mapped_column(StoredString(10))
    version: Mapped[str] = mapped_column(StoredString(64), index=True)
    origin_node_id: Mapped[uuid.UUID] = mapped_column()
    owner_unit_id: Mapped[str] = mapped_column(UnitKey)
    #: copied from the record: which child unit (or ``*``) a parent's record is for
    audience_unit_id: Mapped[str | None] = mapped_column(UnitKey)
    payload: Mapped[str] = mapped_column(StoredJSONText)
    #: for a change applied from a sync package: the version its author had before writing
    #: it (None for a new record, and for local writes, where the journal itself tells)
    base_version: Mapped[str | None] = mapped_column(StoredString(64))
    recorded_at: Mapped[dt.datetime] = mapped_column()
    #: the export's check mark (issue 17): a digest of ``payload`` under the receiver's
    #: checks (``store.journal.check_mark``), set when the row was written here and its
    #: record passed them; None when not checked (older rows, rows applied from packages)
    checked: Mapped[str | None] = mapped_column(StoredString(32))
