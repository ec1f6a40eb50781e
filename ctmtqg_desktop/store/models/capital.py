"""Kế hoạch vốn, phân bổ, giải ngân; vốn đối ứng; danh mục dự án (điểm, trùng lặp).

Every amount is integer đồng in a 64-bit column (a district's plan passes 2^31 đồng). The
invariants (disbursed ≤ allocated ≤ assigned − returned, per line and per allocation) are
kept by ``services/capital.py`` in the same unit of work as each write.
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from ctmtqg_desktop.i18n import N_
from ctmtqg_desktop.store.base import Base, CatalogKey, StoredString, StoredText, SyncedRecord


class CapitalLine(SyncedRecord, Base):
    """Dòng kế hoạch vốn: capital assigned (giao) by one decision for a year, programme,
    component, capital kind and source.

    Community contributions in labour days or in kind (huy động cộng đồng: ngày công, hiện
    vật) keep their quantity, unit and value per unit; ``amount`` is their value in đồng.
    """

    __tablename__ = "capital_line"
    __label__ = N_("Capital plan lines")
    __table_args__ = (CheckConstraint("amount >= 0", name="amount_not_negative"),)

    year: Mapped[int] = mapped_column(index=True)
    #: ``2021-2025/NTM``
    program_id: Mapped[str] = mapped_column(CatalogKey, index=True)
    #: the project, sub-project or content (``2021-2025/DTTS/DA4/TDA1``); None: the programme
    component_id: Mapped[str | None] = mapped_column(CatalogKey)
    #: ``capital_kind`` code: DTPT or SN
    capital_kind: Mapped[str] = mapped_column(StoredString(20))
    #: ``capital_source`` code
    source: Mapped[str] = mapped_column(StoredString(30))
    #: giao (assigned), đồng
    amount: Mapped[int] = mapped_column(BigInteger)
    quantity: Mapped[int | None] = mapped_column(BigInteger, default=None)
    quantity_unit: Mapped[str] = mapped_column(StoredString(40), default="")
    unit_value: Mapped[int | None] = mapped_column(BigInteger, default=None)
    decision_number: Mapped[str] = mapped_column(StoredString(60), default="")
    decision_date: Mapped[dt.date | None] = mapped_column(default=None)
    decision_body: Mapped[str] = mapped_column(StoredString(200), default="")
    note: Mapped[str] = mapped_column(StoredText, default="")
    #: folded (no diacritics, lower case) decision, body, component, source and note, written
    #: by the service on every save, for diacritic-insensitive search in SQL
    search_folded: Mapped[str] = mapped_column(StoredText, default="")


class CapitalAllocation(SyncedRecord, Base):
    """Phân bổ chi tiết: part of a line given to a project or activity."""

    __tablename__ = "capital_allocation"
    __label__ = N_("Capital allocations")
    __table_args__ = (CheckConstraint("amount >= 0", name="amount_not_negative"),)

    line_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("capital_line.id"), index=True)
    project_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("project.id"), index=True)
    amount: Mapped[int] = mapped_column(BigInteger)
    decision_number: Mapped[str] = mapped_column(StoredString(60), default="")
    decision_date: Mapped[dt.date | None] = mapped_column(default=None)
    note: Mapped[str] = mapped_column(StoredText, default="")


class CapitalPayment(SyncedRecord, Base):
    """Giải ngân: one payment through the State Treasury from an allocation."""

    __tablename__ = "capital_payment"
    __label__ = N_("Disbursements")
    __table_args__ = (CheckConstraint("amount > 0", name="amount_positive"),)

    allocation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("capital_allocation.id"),
                                                     index=True)
    paid_on: Mapped[dt.date] = mapped_column(index=True)
    amount: Mapped[int] = mapped_column(BigInteger)
    #: số chứng từ (giấy rút vốn, lệnh chi) at the State Treasury
    voucher: Mapped[str] = mapped_column(StoredString(80), default="")
    note: Mapped[str] = mapped_column(StoredText, default="")


class CapitalCarryOver(SyncedRecord, Base):
    """Kéo dài thời gian giải ngân / chuyển nguồn: the undisbursed part of a line may be spent
    until ``deadline`` (the latest carry-over of a line is the one in force)."""

    __tablename__ = "capital_carry_over"
    __label__ = N_("Capital carried over")
    __table_args__ = (CheckConstraint("amount > 0", name="amount_positive"),)

    line_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("capital_line.id"), index=True)
    amount: Mapped[int] = mapped_column(BigInteger)
    deadline: Mapped[dt.date] = mapped_column()
    decision_number: Mapped[str] = mapped_column(StoredString(60), default="")
    decision_date: Mapped[dt.date | None] = mapped_column(default=None)
    note: Mapped[str] = mapped_column(StoredText, default="")


class CapitalReturn(SyncedRecord, Base):
    """Hoàn trả ngân sách: unallocated capital of a line given back, with the reason."""

    __tablename__ = "capital_return"
    __label__ = N_("Capital returned to the budget")
    __table_args__ = (CheckConstraint("amount > 0", name="amount_positive"),)

    line_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("capital_line.id"), index=True)
    amount: Mapped[int] = mapped_column(BigInteger)
    returned_on: Mapped[dt.date] = mapped_column()
    reason: Mapped[str] = mapped_column(StoredText)
    decision_number: Mapped[str] = mapped_column(StoredString(60), default="")


class CounterpartRule(SyncedRecord, Base):
    """Tỷ lệ vốn đối ứng: the local-budget counterpart a programme's central capital needs.

    Set by the Provincial People's Council (Kon Tum: Nghị quyết 21/2022/NQ-HĐND for the DTTS
    programme) and written by a parent unit with ``audience_unit_id = "*"`` so that it flows
    down to every child unit. ``ratio_bp`` is in basis points (1000 = 10%).
    """

    __tablename__ = "counterpart_rule"
    __label__ = N_("Counterpart-ratio rules")

    program_id: Mapped[str] = mapped_column(CatalogKey, index=True)
    capital_kind: Mapped[str] = mapped_column(StoredString(20))
    ratio_bp: Mapped[int] = mapped_column()
    legal_basis: Mapped[str] = mapped_column(StoredText, default="")
    valid_from: Mapped[dt.date] = mapped_column()
    valid_to: Mapped[dt.date | None] = mapped_column(default=None)
    #: confirmed, partial, unverified
    confidence: Mapped[str] = mapped_column(StoredString(20), default="unverified")
    note: Mapped[str] = mapped_column(StoredText, default="")


class ProjectFunding(SyncedRecord, Base):
    """Tổng mức đầu tư theo nguồn: what the approved project plans to spend, by source."""

    __tablename__ = "project_funding"
    __label__ = N_("Project funding by source")
    __table_args__ = (CheckConstraint("amount >= 0", name="amount_not_negative"),)

    project_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("project.id"), index=True)
    #: ``capital_source`` code
    source: Mapped[str] = mapped_column(StoredString(30))
    amount: Mapped[int] = mapped_column(BigInteger)


class ProjectScore(SyncedRecord, Base):
    """The points an officer gave a project on one scoring criterion (with a note)."""

    __tablename__ = "project_score"
    __label__ = N_("Project scores")

    project_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("project.id"), index=True)
    #: a criterion code of ``resources/capital/scoring.json``
    criterion: Mapped[str] = mapped_column(StoredString(40))
    points: Mapped[int] = mapped_column()
    note: Mapped[str] = mapped_column(StoredText, default="")


class OverlapDecision(SyncedRecord, Base):
    """"Không trùng lặp": an officer's written finding that two flagged projects are distinct
    works. ``first_project_id`` sorts before ``second_project_id``."""

    __tablename__ = "overlap_decision"
    __label__ = N_("Overlap reviews")

    first_project_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("project.id"), index=True)
    second_project_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("project.id"), index=True)
    reason: Mapped[str] = mapped_column(StoredText)
    decided_by: Mapped[str] = mapped_column(StoredString(120), default="")
    decided_on: Mapped[dt.date] = mapped_column()
