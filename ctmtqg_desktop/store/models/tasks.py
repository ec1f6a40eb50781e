"""Văn bản chỉ đạo, nhiệm vụ, tiến độ, khó khăn và kiến nghị: what was asked of a unit, by
whom and by when, what it has done, and what blocks it.

* :class:`Directive` (văn bản chỉ đạo): a plan, instruction or official letter of a higher
  body (e.g. Kế hoạch số 729/KH-UBND ngày 17/3/2023 của UBND tỉnh Kon Tum); its scan is an
  attachment (``parent_table`` ``directive``).
* :class:`Task` (nhiệm vụ): one duty a directive gives (or one the unit sets itself), with
  its lead and coordinating bodies, programme links, a deadline or recurring schedule
  (:mod:`ctmtqg_desktop.domain.schedules`), the expected output and a measurable target.
* :class:`TaskProgress` (cập nhật tiến độ): a dated update; the history is never rewritten
  by a later update. Evidence files are attachments (``parent_table`` ``task_progress``).
* :class:`Difficulty` (khó khăn, vướng mắc; kiến nghị, đề xuất): owned by the unit that
  raises it; :class:`DifficultyAnswer` is the parent unit's answer, a separate record owned
  by the parent (``audience_unit_id`` = the child that raised it), so the two sides never
  edit the same record.

Columns marked *derived* are recomputed by the service from the record and its progress
in the same transaction (for filtering and sorting 10,000 tasks in SQL); they are never
typed by a user.
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import BigInteger, ForeignKey, Index
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

#: chưa thực hiện / đang thực hiện / đã hoàn thành (overdue is computed, never a status)
TASK_STATUSES = ("not_started", "in_progress", "done")
#: no measurable target / a quantity in a unit (km, hộ, lớp) / an amount in đồng
TARGET_KINDS = ("none", "quantity", "amount")
#: khó khăn, vướng mắc / kiến nghị, đề xuất
DIFFICULTY_KINDS = ("difficulty", "proposal")
#: stored statuses of a difficulty; "answered" follows from an answer record existing
DIFFICULTY_STORED_STATUSES = ("new", "sent", "resolved")


class Directive(SyncedRecord, Base):
    __tablename__ = "directive"
    __label__ = N_("Directives")

    #: số, ký hiệu: ``729/KH-UBND`` (empty when the copy at hand does not show it)
    number_symbol: Mapped[str] = mapped_column(StoredString(60), default="")
    #: Kế hoạch, Công văn, Chỉ thị, Quyết định, Thông báo…
    doc_type: Mapped[str] = mapped_column(StoredString(60), default="")
    issued_on: Mapped[dt.date | None] = mapped_column()
    #: cơ quan ban hành, as written (``Ủy ban nhân dân tỉnh Kon Tum``)
    issuing_body: Mapped[str] = mapped_column(StoredString(200), default="")
    #: the issuing unit in the catalog, when it is one (``62`` for the province)
    issuing_unit_id: Mapped[str | None] = mapped_column(UnitKey)
    #: trích yếu
    title: Mapped[str] = mapped_column(StoredString(500), default="")
    summary: Mapped[str] = mapped_column(StoredText, default="")
    #: programme keys, one per line (``2021-2025/NTM``); empty: every programme
    program_ids: Mapped[str] = mapped_column(StoredText, default="")
    #: documents it refers to (căn cứ, văn bản liên quan), one per line
    related_documents: Mapped[str] = mapped_column(StoredText, default="")
    #: derived: folded number, title, body and summary for diacritic-insensitive search
    search_text: Mapped[str] = mapped_column(StoredText, default="")


class Task(SyncedRecord, Base):
    __tablename__ = "task"
    __label__ = N_("Tasks")
    __table_args__ = (
        Index("ix_task_owner_live", "owner_unit_id", "deleted"),
    )

    directive_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("directive.id"),
                                                           index=True)
    #: the task it details (a "+" sub-item, or the commune's own task derived from it)
    parent_task_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("task.id"))
    #: the heading it stands under in the directive (``1. Ủy ban nhân dân các huyện…``)
    section: Mapped[str] = mapped_column(StoredString(300), default="")
    sort_order: Mapped[int] = mapped_column(default=0)
    text: Mapped[str] = mapped_column(StoredText)
    #: chủ trì: a catalog unit key, or else an agency's name
    lead_unit_id: Mapped[str | None] = mapped_column(UnitKey)
    lead_agency: Mapped[str] = mapped_column(StoredString(300), default="")
    #: phối hợp: one per line, each ``unit:KEY`` or an agency's name
    coordinators: Mapped[str] = mapped_column(StoredText, default="")
    program_id: Mapped[str | None] = mapped_column(CatalogKey, index=True)
    component_id: Mapped[str | None] = mapped_column(CatalogKey)
    project_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("project.id"))
    #: none, once, monthly, quarterly, semiannual, yearly (domain/schedules.py)
    schedule_kind: Mapped[str] = mapped_column(StoredString(20), default="none")
    deadline: Mapped[dt.date | None] = mapped_column()
    schedule_day: Mapped[int] = mapped_column(default=0)
    schedule_month: Mapped[int] = mapped_column(default=1)
    schedule_start: Mapped[dt.date | None] = mapped_column()
    schedule_end: Mapped[dt.date | None] = mapped_column()
    #: sản phẩm đầu ra
    expected_output: Mapped[str] = mapped_column(StoredText, default="")
    #: none, quantity (``target_quantity`` ``target_unit``), amount (đồng, 100% of it)
    target_kind: Mapped[str] = mapped_column(StoredString(20), default="none")
    target_quantity: Mapped[int | None] = mapped_column(BigInteger)
    target_unit: Mapped[str] = mapped_column(StoredString(40), default="")
    # -- derived ----------------------------------------------------------------------
    #: ``unit:KEY`` or ``agency:<folded name>``: the lead filter
    lead_key: Mapped[str] = mapped_column(StoredString(320), default="", index=True)
    #: the lead as shown (unit title or agency name), for sorting
    lead_label: Mapped[str] = mapped_column(StoredString(300), default="")
    search_text: Mapped[str] = mapped_column(StoredText, default="")
    #: earliest unfulfilled occurrence of the schedule (None: nothing due)
    next_due_on: Mapped[dt.date | None] = mapped_column(index=True)
    #: the latest progress update's status, percent and date
    status: Mapped[str] = mapped_column(StoredString(20), default="not_started", index=True)
    latest_percent: Mapped[int | None] = mapped_column()
    latest_progress_on: Mapped[dt.date | None] = mapped_column()


class TaskProgress(SyncedRecord, Base):
    __tablename__ = "task_progress"
    __label__ = N_("Progress updates")

    task_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("task.id"), index=True)
    reported_on: Mapped[dt.date] = mapped_column()
    status: Mapped[str] = mapped_column(StoredString(20))
    #: 0-100, typed or computed from the quantity against the target
    percent: Mapped[int | None] = mapped_column()
    #: quantity done so far, in the task's target unit (đồng for an amount target)
    quantity: Mapped[int | None] = mapped_column(BigInteger)
    narrative: Mapped[str] = mapped_column(StoredText, default="")


class Difficulty(SyncedRecord, Base):
    __tablename__ = "difficulty"
    __label__ = N_("Difficulties and proposals")

    #: difficulty (khó khăn, vướng mắc) or proposal (kiến nghị, đề xuất)
    kind: Mapped[str] = mapped_column(StoredString(20), default="difficulty")
    raised_on: Mapped[dt.date] = mapped_column()
    title: Mapped[str] = mapped_column(StoredString(300))
    content: Mapped[str] = mapped_column(StoredText, default="")
    #: what the unit asks for
    proposal: Mapped[str] = mapped_column(StoredText, default="")
    task_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("task.id"), index=True)
    program_id: Mapped[str | None] = mapped_column(CatalogKey)
    project_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("project.id"))
    #: the unit it concerns or is addressed to (catalog key)
    unit_id: Mapped[str | None] = mapped_column(UnitKey)
    #: new, sent, resolved ("answered" is computed from the answers)
    status: Mapped[str] = mapped_column(StoredString(20), default="new")
    sent_on: Mapped[dt.date | None] = mapped_column()
    resolved_on: Mapped[dt.date | None] = mapped_column()
    search_text: Mapped[str] = mapped_column(StoredText, default="")


class DifficultyAnswer(SyncedRecord, Base):
    """Trả lời, hướng dẫn của cấp trên: owned by the parent unit; ``audience_unit_id`` is
    the child unit whose difficulty it answers."""

    __tablename__ = "difficulty_answer"
    __label__ = N_("Answers to difficulties")

    difficulty_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("difficulty.id"), index=True)
    answered_on: Mapped[dt.date] = mapped_column()
    #: the body that answers (``UBND huyện Đắk Hà``, ``Phòng Tài chính - Kế hoạch``)
    answered_by: Mapped[str] = mapped_column(StoredString(200), default="")
    #: the document carrying the answer (``Công văn số 1520/UBND-TCKH``), if any
    document_ref: Mapped[str] = mapped_column(StoredString(200), default="")
    content: Mapped[str] = mapped_column(StoredText)
