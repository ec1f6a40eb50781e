"""Report: Báo cáo kết quả hoạt động truyền thông, tập huấn, kiểm tra giám sát: the year's
activities grouped by kind with counts, participants and a total row (xlsx and PDF in the
shared layout), and the activity list exported to Excel from the page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ctmtqg_desktop.domain.formats import format_number
from ctmtqg_desktop.i18n import N_, _, pgettext
from ctmtqg_desktop.reports.document import (
    Column,
    Document,
    Group,
    Note,
    Sheet,
    Table,
    Total,
    write,
)
from ctmtqg_desktop.services import report_catalog
from ctmtqg_desktop.services.activities import _summary
from ctmtqg_desktop.services.activities._listing import activity_ids
from ctmtqg_desktop.services.activities._records import ActivityInfo, get_activity, kind_label
from ctmtqg_desktop.services.activities._summary import YearGroup, kinds_text, year_groups
from ctmtqg_desktop.services.report_catalog import ReportOptions, ReportSpec
from ctmtqg_desktop.store.workspace import Workspace


def _headers() -> list[str]:
    return [_("No."), _("Activity"), _("Campaign or movement"), _("Date"), _("Place"),
            _("Organiser"), _("Participants"), _("Women"), _("Ethnic minority"),
            _("Poor households"), _("Cost (đồng)"), _("Results, findings and recommendations")]


def _outcome(line: ActivityInfo) -> str:
    parts = [line.results]
    if line.recommendations:
        parts.append(_("Recommendations: {text}").format(text=line.recommendations))
    return "\n".join(p for p in parts if p)


def _group_title(group: YearGroup) -> str:
    return _("{kind}: {count} activities, {people} participants").format(
        kind=kind_label(group.kind), count=format_number(group.totals.count),
        people=format_number(group.totals.participants))


def _build(workspace: Workspace, fmt: str, out: Path, options: ReportOptions) -> None:
    # the year of the report's period (issue 14: every report takes a period)
    year = report_catalog.report_year(workspace, options)
    groups = year_groups(workspace, year)
    summary = _summary.summary(workspace, {"year": year})
    info = report_catalog.document_info(
        workspace, doc_type=pgettext("document type", "REPORT"),
        subject=_("Results of communication, training, inspection and supervision activities "
                  "for the national target programmes in {year} of {unit}").format(
            year=year, unit=report_catalog.subject_unit(workspace, options)),
        options=options)
    total = summary.total
    intro = [_("In {year} the unit held {count} activities ({kinds}) with {people} "
               "participants, of whom {women} women, {ethnic} ethnic-minority people and "
               "{poor} people of poor households; cost {cost} đồng.").format(
        year=year, count=format_number(total.count), kinds=kinds_text(summary),
        people=format_number(total.participants), women=format_number(total.women),
        ethnic=format_number(total.ethnic_minority), poor=format_number(total.poor),
        cost=format_number(total.cost)) if total.count
        else _("No activity was recorded in {year}.").format(year=year)]
    for campaign, totals in summary.by_campaign:
        intro.append(_("“{campaign}”: {count} activities, {people} participants.").format(
            campaign=campaign, count=format_number(totals.count),
            people=format_number(totals.participants)))
    headers = _headers()
    columns = [Column(headers[0], "int", width=6, weight=0.85, align="center", grouped=False),
               Column(headers[1], width=44, weight=3.0), Column(headers[2], width=30, weight=1.9),
               Column(headers[3], width=14, weight=1.55, align="center"),
               Column(headers[4], width=18, weight=1.2), Column(headers[5], width=22, weight=1.4),
               Column(headers[6], "int", width=11, weight=1.05),
               Column(headers[7], "int", width=9, weight=0.85),
               Column(headers[8], "int", width=11, weight=1.0),
               Column(headers[9], "int", width=10, weight=1.1),
               Column(headers[10], "money", width=14, weight=1.75),
               Column(headers[11], width=44, weight=2.5)]
    body: list[Any] = []
    number = 0
    for group in groups:
        body.append(Group(_group_title(group)))
        for line in group.lines:
            number += 1
            body.append([number, line.title, line.campaign, line.dates, line.where,
                         line.organiser, line.participants, line.women,
                         line.ethnic_minority, line.poor, line.cost, _outcome(line)])
    body.append(Total(["", _("Total"), "", "", "", "", total.participants, total.women,
                       total.ethnic_minority, total.poor, total.cost, ""]))
    parts: list[Any] = [Note(text) for text in intro]
    parts.append(Table(columns, body, font_size=9))
    write(Document(info, [Sheet(_("Activities"), parts)]), fmt, out)


def write_list(workspace: Workspace, query: dict[str, Any], out: Path, *,
               sort_key: str | None = None, descending: bool = False) -> int:
    """The activities of the page's filter as a print-ready workbook; returns the count."""
    from ctmtqg_desktop.reports.xlsx_workbook import ReportWorkbook, XlsxColumn, XlsxTotal

    ids = activity_ids(workspace, query, sort_key, descending)
    lines = [get_activity(workspace, i) for i in ids]
    info = report_catalog.document_info(
        workspace, doc_type=_("LIST"),
        subject=_("Activities of {unit}").format(
            unit=report_catalog.subject_unit(workspace, report_catalog.ReportOptions())))
    headers = [_("No."), _("Kind"), _("Activity"), _("Campaign or movement"), _("Programme"),
               _("Date"), _("Place"), _("Organiser"), _("Participants"), _("Women"),
               _("Ethnic minority"), _("Poor households"), _("Cost (đồng)"), _("Content"),
               _("Results, findings and recommendations"), _("Evidence")]
    book = ReportWorkbook()
    sheet = book.add_sheet(_("Activities"), landscape=True)
    kinds = ["int", "text", "text", "text", "text", "text", "text", "text", "int", "int", "int",
             "int", "money", "text", "text", "int"]
    widths = [6, 16, 40, 30, 12, 14, 18, 22, 11, 9, 11, 10, 14, 40, 40, 10]
    columns = [XlsxColumn(h, k, width=w) for h, k, w in zip(headers, kinds, widths)]
    sheet.letterhead(info, len(columns))
    body: list[Any] = [[n, kind_label(a.kind), a.title, a.campaign,
                        a.program_label.split(":")[0] if a.program_label else _("Common"),
                        a.dates, a.where, a.organiser, a.participants, a.women,
                        a.ethnic_minority, a.poor, a.cost, a.content, _outcome(a), len(a.files)]
                       for n, a in enumerate(lines, 1)]
    body.append(XlsxTotal(["", "", _("Total"), "", "", "", "", "",
                           sum(a.participants for a in lines), sum(a.women for a in lines),
                           sum(a.ethnic_minority for a in lines), sum(a.poor for a in lines),
                           sum(a.cost or 0 for a in lines), "", "", ""]))
    sheet.table(columns, body)
    book.write(out)
    return len(lines)


ACTIVITIES_REPORT = ReportSpec(
    key="activities",
    title=N_("Communication, training, inspection and supervision"),
    description=N_("The year's activities grouped by kind (communication, training, "
                   "inspection and supervision, steering committee, emulation movements) with "
                   "participants, by campaign, and a total."),
    build=_build, roles=("commune", "parent"))
