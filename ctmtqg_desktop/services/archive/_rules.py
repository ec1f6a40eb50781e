"""The archive's words and rules: refusals, report periods, number and symbol, and the report
kinds a unit can issue (the small interface the official forms plug into).

**Number and symbol** (số, ký hiệu; Nghị định 30/2020/NĐ-CP, Điều 15 and Phụ lục I, mục
II.3): the number is the order of the document in the unit's register for the year (from 1 on
1 January to 31 December), written in Arabic figures; the symbol of a commune's report is the
kind's abbreviation and the issuing body's, ``BC-UBND``. Printed ``Số: 12/BC-UBND``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ctmtqg_desktop.domain.errors import UserError, WorkspaceNotInitialized
from ctmtqg_desktop.domain.formats import format_date, parse_date
from ctmtqg_desktop.domain.text import fold
from ctmtqg_desktop.i18n import N_, _
from ctmtqg_desktop.services import report_catalog
from ctmtqg_desktop.services.report_catalog import ReportOptions
from ctmtqg_desktop.store.workspace import InstallationInfo, Workspace

#: the attachments of an issued report (``Attachment.parent_table``)
ATTACHMENT_TABLE = "issued_report"
DEFAULT_SYMBOL = "BC-UBND"

# completeness of one child for one request
ON_TIME, LATE, MISSING, NOT_DUE, UNSIGNED = "on_time", "late", "missing", "not_due", "unsigned"


class ReportLocked(UserError):
    template = N_("Report {number_symbol} was signed off by {approver} on {date}: it can no "
                  "longer be changed or deleted.")


class NumberTaken(UserError):
    form_field = "number"  # shown under the form's number (issue 15)
    template = N_("Number {number} of {year} is already used by report {number_symbol} in "
                  "the register; the next free number is {free}.")


class IssueInvalid(UserError):
    exit_code = 2
    template = N_("{detail}")


class UnknownReportKind(UserError):
    exit_code = 2
    template = N_("“{kind}” is not a report this unit can issue. Kinds: {kinds}.")


class NotOwnReport(UserError):
    template = N_("Report {number_symbol} belongs to another unit: only the unit that issued "
                  "it can change it.")


class FileChanged(UserError):
    template = N_("The file “{name}” of report {number_symbol} is missing or was altered: its "
                  "content no longer matches the SHA-256 recorded when it was issued.")


class NeedsParent(UserError):
    template = N_("Only a parent unit asks its child units for reports.")


def installed(workspace: Workspace) -> InstallationInfo:
    """This installation (unit and role); refused before the workspace is set up."""
    info = workspace.installation()
    if info is None:
        raise WorkspaceNotInitialized(path=str(workspace.folder))
    return info


def number_symbol(number: int, symbol: str) -> str:
    """``12/BC-UBND``."""
    return f"{number}/{symbol}"


# ------------------------------------------------------------------------------ periods
_ROMAN = ("I", "II", "III", "IV")


def _month_end(year: int, month: int) -> dt.date:
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def period_label(start: dt.date, end: dt.date) -> str:
    """``Năm 2023``, ``6 tháng đầu năm 2023``, ``Quý II/2023``, ``Tháng 6/2023`` or the two
    dates."""
    if start.year == end.year and start.day == 1 and end == _month_end(end.year, end.month):
        months = end.month - start.month + 1
        if start.month == 1 and end.month == 12:
            return _("Year {year}").format(year=start.year)
        if start.month == 1 and end.month == 6:
            return _("First 6 months of {year}").format(year=start.year)
        if start.month == 1 and end.month == 9:
            return _("9 months of {year}").format(year=start.year)
        if months == 3 and start.month % 3 == 1:
            return _("Quarter {quarter}/{year}").format(quarter=_ROMAN[start.month // 3],
                                                        year=start.year)
        if months == 1:
            return _("Month {month}/{year}").format(month=start.month, year=start.year)
    return _("{start} to {end}").format(start=format_date(start), end=format_date(end))


def period_phrase(start: dt.date, end: dt.date) -> str:
    """The period inside a sentence: ``6 tháng đầu năm 2023``, ``quý II/2023``."""
    label = period_label(start, end)
    return label[:1].lower() + label[1:]


_PERIOD_HELP = N_("“{text}” is not a report period. Write 2023 (the year), 6t/2023 (first 6 "
                  "months), 9t/2023, q2/2023 (a quarter), t6/2023 (a month) or "
                  "01/01/2023-30/06/2023.")


def parse_period(text: str) -> tuple[dt.date, dt.date]:
    """A period as the CLI and the forms write it (see ``_PERIOD_HELP``)."""
    raw = fold(text).replace(" ", "")
    try:
        if re.fullmatch(r"\d{4}", raw):
            year = int(raw)
            return dt.date(year, 1, 1), dt.date(year, 12, 31)
        found = re.fullmatch(r"([69])t/(\d{4})", raw)
        if found:
            year = int(found[2])
            return dt.date(year, 1, 1), _month_end(year, int(found[1]))
        found = re.fullmatch(r"q([1-4])/(\d{4})", raw)
        if found:
            quarter, year = int(found[1]), int(found[2])
            return dt.date(year, 3 * quarter - 2, 1), _month_end(year, 3 * quarter)
        found = re.fullmatch(r"t(\d{1,2})/(\d{4})", raw)
        if found:
            month, year = int(found[1]), int(found[2])
            return dt.date(year, month, 1), _month_end(year, month)
        found = re.fullmatch(r"([\d/]+)-([\d/]+)", raw)
        if found:
            start, end = parse_date(found[1]), parse_date(found[2])
            if start <= end:
                return start, end
    except (ValueError, UserError):
        pass
    raise IssueInvalid(detail=_(_PERIOD_HELP).format(text=text))


def check_period(start: dt.date, end: dt.date) -> None:
    if start > end:
        raise IssueInvalid(detail=_("The period cannot end ({end}) before it starts "
                                    "({start}).").format(start=format_date(start),
                                                         end=format_date(end)))


def slug(text: str) -> str:
    """``bao-cao-tien-do``: a file name part without diacritics."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")[:60] or "bao-cao"


# ------------------------------------------------------------------------- report kinds
@dataclass(frozen=True)
class ReportKind:
    """A report a unit can issue: a key, a title (msgid), its formats and how to write it.

    Today every kind is a report of the report list (``report_catalog``); the official forms
    (issue 14, first half) add theirs with :func:`add_kind_source`, and issuing, the
    register, requests and completeness work on them unchanged."""
    key: str
    title: str  # msgid
    formats: tuple[str, ...]
    roles: tuple[str, ...]
    produce: Callable[[Workspace, str, Path, ReportOptions], object]
    #: an official form's figures as canonical JSON, kept in the record when issued
    figures: Callable[[Workspace, ReportOptions], str] | None = None


def _catalog_kinds(workspace: Workspace) -> list[ReportKind]:
    """One kind per report of the list and role (a parent's ``capital`` is its own)."""
    def producer(key: str) -> Callable[[Workspace, str, Path, ReportOptions], object]:
        return lambda ws, fmt, out, options: report_catalog.build_report(ws, key, fmt, out,
                                                                         options)

    return [ReportKind(spec.key, spec.title, spec.formats, spec.roles, producer(spec.key),
                       spec.figures)
            for spec in report_catalog.all_reports()]


_SOURCES: list[Callable[[Workspace], list[ReportKind]]] = [_catalog_kinds]


def add_kind_source(source: Callable[[Workspace], list[ReportKind]]) -> None:
    """Another provider of report kinds (the official forms), asked after the report list."""
    if source not in _SOURCES:
        _SOURCES.append(source)


def report_kinds(workspace: Workspace, role: str | None = None) -> list[ReportKind]:
    """The kinds a unit of ``role`` (default: this one's) issues."""
    role = role or installed(workspace).role
    found: dict[str, ReportKind] = {}
    for source in _SOURCES:
        for kind in source(workspace):
            if role in kind.roles:
                found.setdefault(kind.key, kind)
    return list(found.values())


def kind_of(workspace: Workspace, key: str, role: str | None = None) -> ReportKind:
    kinds = report_kinds(workspace, role)
    for kind in kinds:
        if kind.key == key:
            return kind
    raise UnknownReportKind(kind=key, kinds=", ".join(k.key for k in kinds))


def kind_title(workspace: Workspace, key: str) -> str:
    for source in _SOURCES:
        for kind in source(workspace):
            if kind.key == key:
                return _(kind.title)
    return key
