"""Chuyển tiếp sau sắp xếp: what a commune created by the merger of 01/07/2025 carried over
from its predecessors' 2021-2025 records into 2026 (kéo dài, chuyển nguồn).

One row per carried record: the predecessor's record (table, id, old unit) stays unchanged
as history; the new record (same table, new id) is owned by the successor. The row travels
up with the new records, so the parent sees the link too, and a second run carries nothing
twice (one row per owner and predecessor record).
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import BigInteger, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ctmtqg_desktop.i18n import N_
from ctmtqg_desktop.store.base import (
    Base,
    CatalogKey,
    StoredString,
    StoredText,
    SyncedRecord,
    UnitKey,
)


class CarriedRecord(SyncedRecord, Base):
    """Việc chuyển tiếp: one predecessor record carried into the successor's 2026 records."""

    __tablename__ = "carried_record"
    __label__ = N_("Records carried over after the merger")
    __table_args__ = (UniqueConstraint("owner_unit_id", "source_table", "source_id",
                                       name="uq_carried_record_source"),)

    #: ``project``, ``task``, ``capital_line``, ``dossier``, ``dossier_document``
    source_table: Mapped[str] = mapped_column(StoredString(64))
    #: the predecessor's record (unchanged, read-only history)
    source_id: Mapped[uuid.UUID] = mapped_column(index=True)
    #: the old unit that owns it (``23524``: xã Đắk La)
    source_unit_id: Mapped[str] = mapped_column(UnitKey)
    #: the successor's new record (in the same table)
    target_id: Mapped[uuid.UUID] = mapped_column(index=True)
    carried_on: Mapped[dt.date] = mapped_column()
    #: the 2021-2025 programme or component and the 2026-2035 one it was mapped to
    old_program_key: Mapped[str] = mapped_column(CatalogKey, default="")
    new_program_key: Mapped[str] = mapped_column(CatalogKey, default="")
    #: the mapping's mark: confirmed, partial, unverified
    confidence: Mapped[str] = mapped_column(StoredString(20), default="unverified")
    #: capital: ``extension`` (kéo dài, vốn đầu tư) or ``carry_forward`` (chuyển nguồn,
    #: vốn sự nghiệp); empty for other records
    capital_mode: Mapped[str] = mapped_column(StoredString(20), default="")
    #: capital: the undisbursed remainder carried, đồng
    amount: Mapped[int | None] = mapped_column(BigInteger, default=None)
    note: Mapped[str] = mapped_column(StoredText, default="")
