"""Every report the application can produce, for the CLI (``ctmtqg report KEY``) and the
GUI's "Báo cáo" page, and the unit's letterhead and signature used on all of them.

An area declares its reports (``Area.reports``, usually in its ``_reports`` module); the
builder writes the file in the asked format.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ctmtqg_desktop.domain.errors import BadArgument, UserError
from ctmtqg_desktop.domain.report_periods import Period, last_closed, up_to
from ctmtqg_desktop.i18n import N_, _
from ctmtqg_desktop.reports.letterhead import DocumentInfo, Letterhead, Signature
from ctmtqg_desktop.services import area, catalog, settings
from ctmtqg_desktop.store.workspace import Workspace

SIGNER_NAME = settings.declare("signer_name", str, "", N_("Name of the person who signs"))
SIGNER_TITLE = settings.declare("signer_title", str, "CHỦ TỊCH",
                                N_("Title of the person who signs"))
SIGNER_AUTHORITY = settings.declare("signer_authority", str, "TM. ỦY BAN NHÂN DÂN",
                                    N_("Signing authority (e.g. TM. ỦY BAN NHÂN DÂN)"))
RECIPIENTS = settings.declare("report_recipients", str, "",
                              N_("Recipients (Nơi nhận), separated by semicolons"))

FORMATS = ("xlsx", "pdf")


class ReportNotForRole(UserError):
    template = N_("The report “{key}” is not made by this unit: a commune's reports are made "
                  "by a commune and the consolidated reports by its parent unit.")
    exit_code = 2


@dataclass(frozen=True)
class ReportOptions:
    #: the date the figures stand at when no period is given (default: the working date)
    date: dt.date | None = None
    #: the year a yearly report covers
    year: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    #: the period the report covers; its figures are those as of its end (issue 14)
    period: Period | None = None
    #: the date written on the document (default: the working date)
    issued_on: dt.date | None = None


@dataclass(frozen=True)
class ReportSpec:
    key: str
    title: str  # msgid
    description: str  # msgid
    build: Callable[[Workspace, str, Path, ReportOptions], None]
    formats: tuple[str, ...] = FORMATS
    roles: tuple[str, ...] = ("commune", "parent")
    #: an official form's filled figures as canonical JSON (kept in the archive when issued)
    figures: Callable[[Workspace, ReportOptions], str] | None = None


def all_reports() -> list[ReportSpec]:
    """Every report, in the order of the areas."""
    return area.reports()


def available_reports(workspace: Workspace) -> list[ReportSpec]:
    role = workspace.installation().role
    return [spec for spec in all_reports() if role in spec.roles]


def report_spec(workspace: Workspace, key: str) -> ReportSpec:
    """The report ``key`` as this unit's role makes it (a parent's ``capital`` totals its
    children); a report of the other role only is refused with a sentence."""
    for spec in available_reports(workspace):
        if spec.key == key:
            return spec
    if any(spec.key == key for spec in all_reports()):
        raise ReportNotForRole(key=key)
    raise BadArgument(detail=_("There is no report “{key}”. Reports: {keys}.").format(
        key=key, keys=", ".join(sorted({s.key for s in available_reports(workspace)}))))


def build_report(workspace: Workspace, key: str, fmt: str, out: Path,
                 options: ReportOptions | None = None) -> Path:
    spec = report_spec(workspace, key)
    if fmt not in spec.formats:
        raise BadArgument(detail=_("The report “{key}” is made as {formats}, not {fmt}.").format(
            key=key, formats=", ".join(spec.formats), fmt=fmt))
    spec.build(workspace, fmt, Path(out), options or ReportOptions())
    return Path(out)


def file_name(workspace: Workspace, key: str, fmt: str,
              options: ReportOptions | None = None) -> str:
    """The default file name, in Vietnamese without marks: ``bao-cao-tien-do-thuc-hien-
    nhiem-vu-2023-06-30.pdf`` (the report's title, then its period's end)."""
    import re

    from ctmtqg_desktop.domain.text import fold

    options = options or ReportOptions()
    try:  # the report as this unit's role makes it (a parent's capital is another title)
        title = _(report_spec(workspace, key).title)
    except UserError:
        title = key
    slug = re.sub(r"[^a-z0-9]+", "-", fold(title)).strip("-")
    words = slug.split("-")
    while len("-".join(words)) > 60 and len(words) > 1:
        words.pop()
    slug = "-".join(words)
    if not slug.startswith("bao-cao"):
        slug = "bao-cao-" + slug
    end = (options.period or (default_period(workspace) if key.startswith("form-")
                              else report_period(workspace, options))).end
    return f"{slug}-{min(end, workspace.today()) if not key.startswith('form-') else end}.{fmt}"


def unit_id(workspace: Workspace) -> str:
    """The unit the workspace works for (a workspace is initialised before any report)."""
    info = workspace.installation()
    assert info is not None
    return info.unit_id


# ---------------------------------------------------------------------------- letterhead
def report_year(workspace: Workspace, options: ReportOptions) -> int:
    """The year a yearly report covers: asked, or the year of its period's end."""
    return options.year or report_period(workspace, options).year


def report_period(workspace: Workspace, options: ReportOptions) -> Period:
    """The period a report covers: asked; else the year up to ``date`` (``--date
    30/06/2023``: the figures of that day); else a past ``year`` whole; else the working
    year so far."""
    if options.period is not None:
        return options.period
    today = workspace.today()
    if options.date is not None:
        return up_to(options.date, year=options.year)
    if options.year and options.year < today.year:
        return Period.of("year", options.year)
    return up_to(today, year=options.year)


def as_of(workspace: Workspace, options: ReportOptions) -> dt.date:
    """The day a report's figures stand at: its period's end, never after the working day."""
    return min(report_period(workspace, options).end, workspace.today())


def subject_day(workspace: Workspace, options: ReportOptions) -> dt.date:
    """The day a report's subject names its units as: the end of its period (the day of a
    report ``--date``/``--on``; a whole past year's 31 December; the working day for the year
    so far). Đồng Nai's report of 2025 is "tỉnh Đồng Nai" even when made after 30/04/2026."""
    return report_period(workspace, options).end


def subject_unit(workspace: Workspace, options: ReportOptions, *,
                 unit: str | None = None) -> str:
    """``xã Lộc Ninh``: this unit (or ``unit``) as a report's subject names it, with its
    kind on :func:`subject_day` (``catalog.unit_title_on``)."""
    return catalog.unit_title_on(workspace, unit or unit_id(workspace),
                                 subject_day(workspace, options))


def default_period(workspace: Workspace) -> Period:
    """The last closed period of the working year (the form reports' default)."""
    return last_closed(workspace.today())


def unit_phrase(workspace: Workspace, *, on: dt.date | None = None) -> str:
    """``UBND xã Đắk La``: this unit's people's committee, as a sentence names it (``on``:
    with its kind that day)."""
    return "UBND " + catalog.unit_title_on(workspace, unit_id(workspace), on)


def parent_phrase(workspace: Workspace, *, on: dt.date | None = None) -> str:
    """The parent unit's people's committee (empty for a unit without a parent)."""
    unit = catalog.get_unit(workspace, unit_id(workspace))
    if not unit.parent_id:
        return ""
    return "UBND " + catalog.unit_title_on(workspace, unit.parent_id, on)


def _body_name(unit: catalog.UnitInfo, *, in_full: bool = False) -> str:
    """The body's name in the header; the parent body (cơ quan chủ quản) in full, as Nghị
    định 30/2020/NĐ-CP, Phụ lục I writes it ("ỦY BAN NHÂN DÂN HUYỆN ĐẮK HÀ")."""
    committee = "Ủy ban nhân dân" if in_full else "UBND"
    return f"{committee} {catalog.unit_kind_label(unit.kind)} {unit.name}".upper()


def letterhead_for(workspace: Workspace, *, symbol: str = "BC-UBND",
                   number: str = "", on: dt.date | None = None) -> Letterhead:
    """``UBND HUYỆN ĐẮK HÀ`` / ``UBND XÃ ĐẮK LA`` / ``Số: /BC-UBND`` for this unit; an issued
    report's ``number`` (``12/BC-UBND``) fills the blank; ``on``: the units' kinds that day
    ("UBND TỈNH ĐỒNG NAI" on 15/01/2026, "UBND THÀNH PHỐ ĐỒNG NAI" after 30/04/2026)."""
    unit = catalog.get_unit(workspace, workspace.installation().unit_id, on=on)
    parent = catalog.get_unit(workspace, unit.parent_id, on=on) if unit.parent_id else None
    return Letterhead(parent_body=_body_name(parent, in_full=True) if parent else "",
                      issuing_body=_body_name(unit), place=unit.name,
                      number_symbol=f"Số: {number}" if number else f"Số:       /{symbol}")


def signature_for(workspace: Workspace, *, on: dt.date | None = None) -> Signature:
    recipients_text = settings.get(workspace, RECIPIENTS)
    if recipients_text.strip():
        recipients = tuple(r.strip() for r in recipients_text.split(";") if r.strip())
    else:
        unit = catalog.get_unit(workspace, workspace.installation().unit_id, on=on)
        parent = catalog.get_unit(workspace, unit.parent_id, on=on) if unit.parent_id else None
        recipients = ((f"UBND {catalog.unit_kind_label(parent.kind)} {parent.name} (b/c);",)
                      if parent else ()) + ("Lưu: VT.",)
    return Signature(authority=settings.get(workspace, SIGNER_AUTHORITY),
                     title=settings.get(workspace, SIGNER_TITLE),
                     signer_name=settings.get(workspace, SIGNER_NAME),
                     recipients=recipients)


def document_info(workspace: Workspace, *, doc_type: str, subject: str,
                  options: ReportOptions | None = None, symbol: str = "BC-UBND"
                  ) -> DocumentInfo:
    day = (options.issued_on or options.date if options else None) or workspace.today()
    # the archive area issues a report with its number (``ReportOptions.extra``)
    number = str(options.extra.get("number_symbol", "")) if options else ""
    return DocumentInfo(doc_type=doc_type, subject=subject, date=day,
                        letterhead=letterhead_for(workspace, symbol=symbol, number=number,
                                                  on=day),
                        signature=signature_for(workspace, on=day))
