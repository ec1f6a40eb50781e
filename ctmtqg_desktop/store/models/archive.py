"""Báo cáo đã ban hành: the register of the reports a unit issued, and what a parent unit
asks its children to report.

A report is issued (ban hành) under Nghị định 30/2020/NĐ-CP: it takes the next number of the
unit's register for the year (số, Điều 15 and Phụ lục I: numbered from 01 on 1 January to 31
December) with its symbol (ký hiệu, ``BC-UBND``), a date, the period it covers, the signer,
and the exact files (the attachments' SHA-256 are written in the record, so the locked record
names its bytes). A leader's sign-off (named approver, date) locks it: no edit, no deletion.
It travels up in the next package, where the parent counts it for completeness.

A :class:`ReportRequest` (yêu cầu báo cáo, kỳ báo cáo) is the parent's record of what each
child must report: a report kind, a period and a due date; it travels down to every child.
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import Index
from sqlalchemy.orm import Mapped, mapped_column

from ctmtqg_desktop.i18n import N_
from ctmtqg_desktop.store.base import Base, StoredString, StoredText, SyncedRecord


class ReportRequest(SyncedRecord, Base):
    """What a parent unit asks its child units to report (owned by the parent, audience
    ``*``)."""

    __tablename__ = "report_request"
    __label__ = N_("Report requests")

    #: the report kind: a key of the report list (``capital``, ``tasks``…) or of a form
    kind: Mapped[str] = mapped_column(StoredString(80), index=True)
    title: Mapped[str] = mapped_column(StoredString(300))
    period_start: Mapped[dt.date] = mapped_column()
    period_end: Mapped[dt.date] = mapped_column()
    #: the day by which the signed report is due (hạn gửi báo cáo)
    due_on: Mapped[dt.date] = mapped_column()
    #: the text that asks for it (a circular, a plan): free text
    legal_basis: Mapped[str] = mapped_column(StoredString(300), default="")


class IssuedReport(SyncedRecord, Base):
    """A report the unit issued, with its number, its files and its sign-off."""

    __tablename__ = "issued_report"
    __label__ = N_("Issued reports")
    __table_args__ = (
        Index("ix_issued_report_kind_period", "kind", "period_start", "period_end"),
    )

    kind: Mapped[str] = mapped_column(StoredString(80))
    #: trích yếu: what the report is about
    title: Mapped[str] = mapped_column(StoredString(300))
    #: the register's year (the year of ``issued_on``) and the number in it
    register_year: Mapped[int] = mapped_column()
    number: Mapped[int] = mapped_column()
    #: ký hiệu, e.g. ``BC-UBND``
    symbol: Mapped[str] = mapped_column(StoredString(40))
    issued_on: Mapped[dt.date] = mapped_column()
    period_start: Mapped[dt.date] = mapped_column()
    period_end: Mapped[dt.date] = mapped_column()
    signer_name: Mapped[str] = mapped_column(StoredString(120), default="")
    signer_title: Mapped[str] = mapped_column(StoredString(120), default="")
    #: the exact files, as canonical JSON ``[{"name", "sha256", "size", "role"}]``
    files: Mapped[str] = mapped_column(StoredText, default="[]")
    #: the leader's sign-off (người duyệt ký, ngày): set once, then the record is locked
    approved_by: Mapped[str] = mapped_column(StoredString(120), default="")
    approved_on: Mapped[dt.date | None] = mapped_column()
    #: a parent's consolidated report (báo cáo tổng hợp) of its children
    consolidated: Mapped[bool] = mapped_column(default=False)
    #: for a consolidated report: the child units that had not reported, one per line
    not_reported: Mapped[str] = mapped_column(StoredText, default="")
    note: Mapped[str] = mapped_column(StoredText, default="")
    #: an official form's filled figures as canonical JSON (``report-figures/1``: the rows of
    #: each table with their raw values, money in đồng), written when it is issued and locked
    #: with it; a parent sums its children's from here (empty for other reports)
    figures: Mapped[str] = mapped_column(StoredText, default="")


class ReportArrival(Base):
    """When a signed report of another unit arrived here (ngày nhận báo cáo): written by the
    sync import, in the receiving workspace only (never sent). Timeliness is judged on this
    day against the due date: a report signed on time but sent late arrived late.

    ``received_on`` is the receiving unit's working date at the import (the demo's fixed
    date when it has one), ``received_at`` the moment (UTC)."""

    __tablename__ = "report_arrival"
    report_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    #: the version of the record that arrived signed
    version: Mapped[str] = mapped_column(StoredString(64), primary_key=True)
    received_on: Mapped[dt.date] = mapped_column()
    received_at: Mapped[dt.datetime] = mapped_column()
