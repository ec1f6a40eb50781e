"""Sổ đăng ký văn bản đi: issuing a report (number, date, period, signer, the exact files),
the leader's sign-off that locks it, and the register as a list.

``issue_report`` writes the report's files (each format of its kind, with ``Số: 12/BC-UBND``
in the letterhead) into the content-addressed attachment store, with any file the officer adds
(a scan), and records their names and SHA-256 in the record itself. Until it is signed off the
record may be corrected or deleted (its number is then free again if it was the last);
``sign_off`` (named approver, date, optionally the signed scan) locks it for good.
"""

from __future__ import annotations

import datetime as dt
import json
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ctmtqg_desktop.domain import field_rules
from ctmtqg_desktop.domain.formats import format_date
from ctmtqg_desktop.domain.report_periods import Period
from ctmtqg_desktop.domain.text import normalize
from ctmtqg_desktop.i18n import _
from ctmtqg_desktop.services import attachments, catalog, report_catalog, settings
from ctmtqg_desktop.services.archive._rules import (
    ATTACHMENT_TABLE,
    DEFAULT_SYMBOL,
    FileChanged,
    IssueInvalid,
    NotOwnReport,
    NumberTaken,
    ReportLocked,
    check_period,
    installed,
    kind_of,
    kind_title,
    number_symbol,
    period_label,
    period_phrase,
    slug,
)
from ctmtqg_desktop.services.report_catalog import ReportOptions
from ctmtqg_desktop.store.attachments import StoredFile
from ctmtqg_desktop.store.models.archive import IssuedReport
from ctmtqg_desktop.store.uow import UnitOfWork, get_or_refuse
from ctmtqg_desktop.store.workspace import Workspace


@dataclass(frozen=True)
class ReportFile:
    name: str
    sha256: str
    size: int
    #: ``generated`` (written by the application when issued), ``added`` (a file the officer
    #: added) or ``signed`` (the signed scan given at sign-off)
    role: str


@dataclass(frozen=True)
class IssuedInfo:
    id: uuid.UUID
    owner_unit_id: str
    kind: str
    kind_title: str
    title: str
    register_year: int
    number: int
    symbol: str
    issued_on: dt.date
    period_start: dt.date
    period_end: dt.date
    signer_name: str
    signer_title: str
    files: tuple[ReportFile, ...]
    approved_by: str
    approved_on: dt.date | None
    consolidated: bool
    not_reported: tuple[str, ...]
    note: str
    #: an official form's figures (canonical JSON, ``report-figures/1``), else empty
    figures: str = ""

    @property
    def number_symbol(self) -> str:
        return number_symbol(self.number, self.symbol)

    @property
    def period(self) -> str:
        return period_label(self.period_start, self.period_end)

    @property
    def signed(self) -> bool:
        return self.approved_on is not None

    @property
    def signed_file(self) -> ReportFile | None:
        """The file to open: the signed scan, else the PDF, else the first file."""
        for role in ("signed",):
            for item in self.files:
                if item.role == role:
                    return item
        pdfs = [f for f in self.files if f.name.lower().endswith(".pdf")]
        choices = pdfs or list(self.files)
        return choices[0] if choices else None


def _files(text: str) -> tuple[ReportFile, ...]:
    return tuple(ReportFile(f["name"], f["sha256"], int(f["size"]), f["role"])
                 for f in json.loads(text or "[]"))


def _files_text(files: list[ReportFile]) -> str:
    return json.dumps([{"name": f.name, "role": f.role, "sha256": f.sha256, "size": f.size}
                       for f in files], ensure_ascii=False, sort_keys=True,
                      separators=(",", ":"))


def info_of(workspace: Workspace, row: IssuedReport) -> IssuedInfo:
    return IssuedInfo(row.id, row.owner_unit_id, row.kind, kind_title(workspace, row.kind),
                      row.title, row.register_year, row.number, row.symbol, row.issued_on,
                      row.period_start, row.period_end, row.signer_name, row.signer_title,
                      _files(row.files), row.approved_by, row.approved_on, row.consolidated,
                      tuple(line for line in row.not_reported.splitlines() if line),
                      row.note, row.figures or "")


# ------------------------------------------------------------------------------ register
def _used(session: Session, unit: str, year: int) -> dict[int, IssuedReport]:
    rows = session.scalars(select(IssuedReport).where(
        IssuedReport.owner_unit_id == unit, IssuedReport.register_year == year,
        IssuedReport.deleted.is_(False)))
    return {row.number: row for row in rows}


def next_number(workspace: Workspace, year: int | None = None) -> int:
    """The next free number of this unit's register for ``year`` (default: this year)."""
    year = year or workspace.today().year
    unit = installed(workspace).unit_id
    with UnitOfWork.read(workspace) as session:
        highest = session.scalar(select(func.max(IssuedReport.number)).where(
            IssuedReport.owner_unit_id == unit, IssuedReport.register_year == year,
            IssuedReport.deleted.is_(False)))
    return (highest or 0) + 1


def _check_number(session: Session, unit: str, year: int, number: int,
                  exclude: uuid.UUID | None = None) -> None:
    if number < 1:
        raise IssueInvalid(detail=_("A report's number is a whole number from 1."))
    used = _used(session, unit, year)
    taken = used.get(number)
    if taken is not None and taken.id != exclude:
        raise NumberTaken(number=number, year=str(year),
                          number_symbol=number_symbol(taken.number, taken.symbol),
                          free=max(used) + 1)


def _check_dates(issued_on: dt.date, start: dt.date, end: dt.date) -> None:
    check_period(start, end)
    if issued_on < start:
        raise IssueInvalid(detail=_("A report on {period} cannot be issued on {date}, before "
                                    "its period begins.").format(
            period=period_phrase(start, end), date=format_date(issued_on)))


def _produce(workspace: Workspace, kind_key: str, *, number: int, symbol: str,
             issued_on: dt.date, start: dt.date, end: dt.date, title: str,
             consolidated: bool) -> tuple[list[tuple[StoredFile, ReportFile]], str]:
    """Each format of the kind written with its number and stored by content, and the
    figures of an official form (canonical JSON; empty for other reports)."""
    kind = kind_of(workspace, kind_key)
    store = attachments.attachment_store(workspace)
    options = ReportOptions(date=issued_on, year=end.year, extra={
        "number_symbol": number_symbol(number, symbol), "period_start": start,
        "period_end": end, "consolidated": consolidated},
        period=Period.from_dates(start, end), issued_on=issued_on)
    figures = kind.figures(workspace, options) if kind.figures else ""
    made: list[tuple[StoredFile, ReportFile]] = []
    with tempfile.TemporaryDirectory(prefix="issue-", dir=workspace.folder / "cache"
                                     if (workspace.folder / "cache").is_dir() else None) as tmp:
        for fmt in kind.formats:
            name = f"{slug(title)}-so-{number}-{slug(symbol)}-{issued_on:%Y-%m-%d}.{fmt}"
            out = Path(tmp) / name
            kind.produce(workspace, fmt, out, options)
            stored = store.add_file(out, name=name)
            made.append((stored, ReportFile(name, stored.digest, stored.size, "generated")))
    return made, figures


def _store_files(workspace: Workspace, paths: list[Path], role: str
                 ) -> list[tuple[StoredFile, ReportFile]]:
    store = attachments.attachment_store(workspace)
    made = []
    for path in paths:
        path = Path(path)
        if not path.is_file():
            raise IssueInvalid(detail=_("There is no file “{path}”.").format(path=path))
        stored = store.add_file(path)
        made.append((stored, ReportFile(path.name, stored.digest, stored.size, role)))
    return made


def issue_report(workspace: Workspace, *, kind: str, period_start: dt.date,
                 period_end: dt.date, issued_on: dt.date | None = None, title: str = "",
                 number: int | None = None, symbol: str = DEFAULT_SYMBOL,
                 signer_name: str | None = None, signer_title: str | None = None,
                 files: list[Path] | tuple[Path, ...] = (), generate: bool = True,
                 note: str = "", consolidated: bool = False,
                 not_reported: tuple[str, ...] = ()) -> IssuedInfo:
    """Issue a report under the next free number of the register (or ``number``)."""
    issued_on = issued_on or workspace.today()
    _check_dates(issued_on, period_start, period_end)
    report_kind = kind_of(workspace, kind)
    title = normalize(title) or _(report_kind.title) + " " + \
        period_phrase(period_start, period_end)
    symbol = normalize(symbol).upper() or DEFAULT_SYMBOL
    field_rules.check("issued_report", {  # before any file is written (issue 12)
        "title": title, "symbol": symbol, "note": normalize(note),
        "signer_name": normalize(signer_name or ""), "signer_title": normalize(signer_title or "")})
    unit = installed(workspace).unit_id
    year = issued_on.year
    if not generate and not files:
        raise IssueInvalid(detail=_("An issued report needs its files: let the application "
                                    "write them, or add the signed file."))
    with UnitOfWork(workspace) as uow:
        chosen = number if number is not None else max(_used(uow.session, unit, year),
                                                       default=0) + 1
        _check_number(uow.session, unit, year, chosen)
    stored, figures = (_produce(workspace, kind, number=chosen, symbol=symbol,
                                issued_on=issued_on, start=period_start, end=period_end,
                                title=title, consolidated=consolidated)
                       if generate else ([], ""))
    stored += _store_files(workspace, list(files), "added")
    with UnitOfWork(workspace) as uow:
        _check_number(uow.session, unit, year, chosen)  # again, inside the write
        row = IssuedReport(
            kind=kind, title=title, register_year=year, number=chosen, symbol=symbol,
            issued_on=issued_on, period_start=period_start, period_end=period_end,
            signer_name=normalize(signer_name if signer_name is not None else settings.get(
                workspace, report_catalog.SIGNER_NAME)),
            signer_title=normalize(signer_title if signer_title is not None else settings.get(
                workspace, report_catalog.SIGNER_TITLE)),
            files=_files_text([item for _stored, item in stored]), note=normalize(note),
            consolidated=consolidated, not_reported="\n".join(not_reported),
            figures=figures)
        uow.session.add(row)
        uow.session.flush()
        for file, item in stored:
            attachments.add_attachment_record(uow.session, file, parent_table=ATTACHMENT_TABLE,
                                              parent_id=row.id, caption=item.role)
        uow.commit()
        return info_of(workspace, row)


def _own_open(session: Session, workspace: Workspace, report_id: uuid.UUID) -> IssuedReport:
    row = get_or_refuse(session, IssuedReport, report_id, kind=_("Issued report"))
    if row.owner_unit_id != installed(workspace).unit_id:
        raise NotOwnReport(number_symbol=number_symbol(row.number, row.symbol))
    if row.approved_on is not None:
        raise ReportLocked(number_symbol=number_symbol(row.number, row.symbol),
                           approver=row.approved_by, date=row.approved_on)
    return row


def update_report(workspace: Workspace, report_id: uuid.UUID, *, title: str | None = None,
                  number: int | None = None, issued_on: dt.date | None = None,
                  signer_name: str | None = None, signer_title: str | None = None,
                  note: str | None = None) -> IssuedInfo:
    """Correct an issued report that is not signed off yet."""
    field_rules.check("issued_report", {name: normalize(value) for name, value in (
        ("title", title), ("signer_name", signer_name), ("signer_title", signer_title),
        ("note", note)) if value is not None})
    with UnitOfWork(workspace) as uow:
        row = _own_open(uow.session, workspace, report_id)
        day = issued_on or row.issued_on
        _check_dates(day, row.period_start, row.period_end)
        if number is not None or day.year != row.register_year:
            _check_number(uow.session, row.owner_unit_id, day.year,
                          number if number is not None else row.number, exclude=row.id)
            row.number = number if number is not None else row.number
        row.issued_on, row.register_year = day, day.year
        if title is not None:
            row.title = normalize(title) or row.title
        if signer_name is not None:
            row.signer_name = normalize(signer_name)
        if signer_title is not None:
            row.signer_title = normalize(signer_title)
        if note is not None:
            row.note = normalize(note)
        uow.commit()
        return info_of(workspace, row)


def delete_report(workspace: Workspace, report_id: uuid.UUID) -> None:
    """Withdraw a report issued by mistake, before its sign-off (a tombstone)."""
    from ctmtqg_desktop.store.models.attachments import Attachment

    with UnitOfWork(workspace) as uow:
        row = _own_open(uow.session, workspace, report_id)
        row.deleted = True
        for file in uow.session.scalars(select(Attachment).where(
                Attachment.parent_table == ATTACHMENT_TABLE, Attachment.parent_id == row.id)):
            file.deleted = True
        uow.commit()


def sign_off(workspace: Workspace, report_id: uuid.UUID, *, approver: str,
             approved_on: dt.date | None = None, signed_file: Path | None = None
             ) -> IssuedInfo:
    """The leader's sign-off (duyệt ký): a named approver and the date, with the signed
    scan if there is one. The report is locked from then on."""
    approver = normalize(approver)
    if not approver:
        raise IssueInvalid(detail=_("Name the leader who signs the report off."))
    field_rules.check("issued_report", {"approved_by": approver})
    stored = _store_files(workspace, [signed_file], "signed") if signed_file else []
    with UnitOfWork(workspace) as uow:
        row = _own_open(uow.session, workspace, report_id)
        day = approved_on or workspace.today()
        if day < row.issued_on:
            raise IssueInvalid(detail=_("A report issued on {issued} cannot be signed off on "
                                        "{date}.").format(issued=format_date(row.issued_on),
                                                          date=format_date(day)))
        row.approved_by, row.approved_on = approver, day
        row.files = _files_text(list(_files(row.files)) + [item for _s, item in stored])
        for file, item in stored:
            attachments.add_attachment_record(uow.session, file, parent_table=ATTACHMENT_TABLE,
                                              parent_id=row.id, caption=item.role)
        uow.commit()
        return info_of(workspace, row)


# ------------------------------------------------------------------------------- reading
def issued_reports(workspace: Workspace, *, unit: str | None = None,
                   year: int | None = None, kind: str | None = None) -> list[IssuedInfo]:
    """The register of ``unit`` (default: this unit), newest first."""
    unit = unit or installed(workspace).unit_id
    query = select(IssuedReport).where(IssuedReport.owner_unit_id == unit,
                                       IssuedReport.deleted.is_(False))
    if year:
        query = query.where(IssuedReport.register_year == year)
    if kind:
        query = query.where(IssuedReport.kind == kind)
    with UnitOfWork.read(workspace) as session:
        rows = session.scalars(query.order_by(IssuedReport.register_year.desc(),
                                              IssuedReport.number.desc()))
        return [info_of(workspace, row) for row in rows]


def get_report(workspace: Workspace, report_id: uuid.UUID) -> IssuedInfo:
    with UnitOfWork.read(workspace) as session:
        return info_of(workspace, get_or_refuse(session, IssuedReport, report_id,
                                                kind=_("Issued report")))


def open_file(workspace: Workspace, report_id: uuid.UUID, folder: Path,
              name: str | None = None) -> Path:
    """A copy of the report's file ``name`` (default: the signed one) in ``folder``, after
    checking its bytes against the SHA-256 recorded in the report."""
    report = get_report(workspace, report_id)
    wanted = report.signed_file if name is None else next(
        (f for f in report.files if f.name == name), None)
    if wanted is None:
        raise IssueInvalid(detail=_("Report {number_symbol} has no file “{name}”.").format(
            number_symbol=report.number_symbol, name=name or ""))
    store = attachments.attachment_store(workspace)
    if not store.has(wanted.sha256) or not store.verify(wanted.sha256):
        raise FileChanged(name=wanted.name, number_symbol=report.number_symbol)
    folder.mkdir(parents=True, exist_ok=True)
    return store.export_to(wanted.sha256, folder / Path(wanted.name).name)


def unit_name(workspace: Workspace, unit_id: str) -> str:
    unit = catalog.get_unit(workspace, unit_id)
    return catalog.unit_kind_label(unit.kind) + " " + unit.name


def find_report(workspace: Workspace, text: str) -> uuid.UUID:
    """The report whose id starts with ``text`` (the CLI prints the first 8 characters), or
    whose number and symbol of a year is ``text`` (``12/BC-UBND/2023``, this unit's)."""
    wanted = text.strip().lower()
    unit = installed(workspace).unit_id
    with UnitOfWork.read(workspace) as session:
        rows = list(session.execute(select(IssuedReport.id, IssuedReport.owner_unit_id,
                                           IssuedReport.number, IssuedReport.symbol,
                                           IssuedReport.register_year)
                                    .where(IssuedReport.deleted.is_(False))))
    found = [r.id for r in rows if wanted and str(r.id).startswith(wanted)]
    found += [r.id for r in rows if r.owner_unit_id == unit and wanted ==
              f"{number_symbol(r.number, r.symbol)}/{r.register_year}".lower()]
    if len(set(found)) != 1:
        raise IssueInvalid(detail=_("“{text}” names no single issued report: give the id as "
                                    "the list prints it, or number/symbol/year "
                                    "(12/BC-UBND/2023).").format(text=text))
    return uuid.UUID(str(found[0]))
