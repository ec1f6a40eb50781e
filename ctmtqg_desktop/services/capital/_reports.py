"""Reports of the capital area, as PDF (Nghị định 30/2020/NĐ-CP layout) and Excel.

``capital``: báo cáo tình hình giao, phân bổ chi tiết và giải ngân kế hoạch vốn of a year, by
programme and line, by source, counterpart funds, carry-overs and returns, warnings; the
workbook also lists every allocation and payment (every list of the area, exported). The
projects area's reports (priority list, proposal to adjust the plan) are in
``services/projects/_reports.py``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ctmtqg_desktop.domain import capital as rules
from ctmtqg_desktop.domain.formats import format_date, format_number, format_percent
from ctmtqg_desktop.i18n import N_, _, pgettext
from ctmtqg_desktop.reports.letterhead import DocumentInfo
from ctmtqg_desktop.services import report_catalog
from ctmtqg_desktop.services.capital import _allocations
from ctmtqg_desktop.services.capital import _counterpart as counterpart
from ctmtqg_desktop.services.capital import _status as capital_status
from ctmtqg_desktop.services.capital._payments import payments
from ctmtqg_desktop.services.capital._records import LineInfo, list_lines, short_kind
from ctmtqg_desktop.services.capital._transfers import carry_overs, returns
from ctmtqg_desktop.services.report_catalog import ReportOptions, ReportSpec
from ctmtqg_desktop.store.workspace import Workspace


def _rate(value: float | None) -> str:
    return format_percent(value) if value is not None else ""


def _n(value: int) -> str:
    return format_number(value)


# ---------------------------------------------------------------------------- capital
def _line_text(line: LineInfo) -> str:
    text = short_kind(line.capital_kind, line.kind_name) + ", " + \
        line.source_name
    if line.component_label:
        text += " - " + line.component_label
    if line.decision_number:
        text += " (" + _("Decision {number}").format(number=line.decision_number)
        if line.decision_date:
            text += " " + format_date(line.decision_date)
        text += ")"
    return text


def _build_capital(workspace: Workspace, fmt: str, out: Path, options: ReportOptions) -> None:
    year = report_catalog.report_year(workspace, options)
    summary = capital_status.year_summary(workspace, year)
    checks = counterpart.check(workspace, year)
    warnings = capital_status.alerts(workspace)
    info = report_catalog.document_info(
        workspace, doc_type=pgettext("document type", "REPORT"),
        subject=_("Capital plans of the national target programmes in {year}: assigned, "
                  "allocated in detail and disbursed").format(year=str(year)), options=options)
    total = summary.total
    intro = _(
        "As of {date} ({share} of the year has passed), the capital plan of {year} assigned "
        "to the unit is {assigned} đồng; {allocated} đồng have been allocated in detail "
        "({unallocated} đồng not yet allocated); {disbursed} đồng have been disbursed, "
        "{rate} of the plan. At the pace of the last 90 days, the disbursement would reach "
        "{forecast} by 31/12/{year}.").format(
        date=format_date(summary.today), share=format_percent(summary.on_track),
        year=str(year), assigned=_n(total.assigned), allocated=_n(total.allocated),
        unallocated=_n(total.unallocated), disbursed=_n(total.disbursed),
        rate=_rate(total.rate) or "0,0%", forecast=_rate(summary.forecast.rate) or "0,0%")
    headers = [_("No."), _("Programme, capital kind, source, decision"), _("Assigned"),
               _("Allocated in detail"), _("Not allocated"), _("Disbursed"),
               _("Disbursement rate"), _("Disbursement deadline")]
    by_program: dict[str, list[LineInfo]] = {}
    for line in summary.lines:
        by_program.setdefault(line.program_id, []).append(line)
    groups = [(g, by_program[g.key]) for g in summary.by_program]
    carry = [(line, item) for line in list_lines(workspace)
             for item in carry_overs(workspace, line.id)]
    returned = [(line, item) for line in list_lines(workspace)
                for item in returns(workspace, line.id)]
    if fmt == "xlsx":
        _capital_xlsx(workspace, out, info, year, intro, headers, groups, summary, checks,
                      warnings, carry, returned)
        return
    _capital_pdf(out, info, intro, headers, groups, summary, checks, warnings, carry,
                 returned)


def _capital_pdf(out: Path, info: DocumentInfo, intro: str, headers: list[str],
                 groups: list[Any], summary: Any, checks: list[Any], warnings: list[Any],
                 carry: list[Any], returned: list[Any]) -> None:
    total = summary.total
    from ctmtqg_desktop.reports.pdf_document import GroupRow, OfficialPdf, PdfColumn, TotalRow

    pdf = OfficialPdf(info, landscape=True)
    pdf.paragraph(intro)
    pdf.heading(_("I. CAPITAL BY PROGRAMME AND LINE (đồng)"))
    rows: list = []
    for index, (group, lines) in enumerate(groups, 1):
        rows.append(GroupRow(f"{index}. {group.label}: " + _("assigned {assigned}, "
                                                             "disbursed {rate}").format(
            assigned=_n(group.figures.assigned), rate=_rate(group.figures.rate) or "0,0%")))
        for number, line in enumerate(lines, 1):
            f = line.figures
            rows.append([f"{index}.{number}", _line_text(line), _n(f.assigned), _n(f.allocated),
                         _n(f.unallocated), _n(f.disbursed), _rate(f.rate),
                         format_date(line.deadline)])
    rows.append(TotalRow(["", _("Total"), _n(total.assigned), _n(total.allocated),
                          _n(total.unallocated), _n(total.disbursed), _rate(total.rate), ""]))
    pdf.table([PdfColumn(headers[0], 0.85, "center"), PdfColumn(headers[1], 5),
               PdfColumn(headers[2], 1.6, "right"), PdfColumn(headers[3], 1.6, "right"),
               PdfColumn(headers[4], 1.5, "right"), PdfColumn(headers[5], 1.6, "right"),
               PdfColumn(headers[6], 1.1, "right"), PdfColumn(headers[7], 1.2, "center")],
              rows, font_size=10)
    pdf.heading(_("II. DISBURSEMENT BY SOURCE (đồng)"))
    pdf.table([PdfColumn(_("Capital source"), 4), PdfColumn(_("Assigned"), 2, "right"),
               PdfColumn(_("Disbursed"), 2, "right"), PdfColumn(_("Disbursement rate"), 1.4,
                                                                  "right"),
               PdfColumn(_("Forecast by 31/12"), 1.4, "right")],
              [[g.label, _n(g.figures.assigned), _n(g.figures.disbursed), _rate(g.figures.rate),
                _rate(g.forecast.rate)] for g in summary.by_source], font_size=10)
    pdf.heading(_("III. COUNTERPART FUNDS (đồng)"))
    pdf.table(_counterpart_columns(PdfColumn), [_counterpart_cells(c, text=True) for c in checks],
              font_size=10)
    pdf.heading(_("IV. CARRY-OVERS AND RETURNS TO THE BUDGET"))
    if carry or returned:
        pdf.table([PdfColumn(_("Capital plan line"), 5), PdfColumn(_("Kind of entry"), 1.6),
                   PdfColumn(_("Amount (đồng)"), 1.6, "right"), PdfColumn(_("Date"), 1.3,
                                                                         "center"),
                   PdfColumn(_("Decision, reason"), 4)],
                  [[line.label, _("Carried over"), _n(item.amount),
                    _("until {date}").format(date=format_date(item.deadline)),
                    " ".join(x for x in (item.decision_number, item.note) if x)]
                   for line, item in carry]
                  + [[line.label, _("Returned"), _n(item.amount), format_date(item.returned_on),
                      " ".join(x for x in (item.decision_number, item.reason) if x)]
                     for line, item in returned], font_size=10)
    else:
        pdf.paragraph(_("None."))
    pdf.heading(_("V. WARNINGS"))
    if warnings:
        for alert in warnings:
            pdf.paragraph("- " + alert.text)
    else:
        pdf.paragraph(_("None."))
    pdf.write(out)


class _Title:
    """Column description reduced to its title (shared by the PDF and the workbook)."""

    def __init__(self, title: str, *_layout) -> None:
        self.title = title


def _counterpart_columns(column_type):
    return [column_type(_("Programme"), 2.4), column_type(_("Capital kind"), 1.4),
            column_type(_("Central budget capital"), 1.8, "right"),
            column_type(_("Ratio"), 0.9, "right"),
            column_type(_("Counterpart required"), 1.8, "right"),
            column_type(_("Counterpart assigned"), 1.8, "right"),
            column_type(_("Shortfall"), 1.6, "right"), column_type(_("Legal basis"), 4)]


def _counterpart_cells(item: counterpart.CounterpartCheck, *, text: bool) -> list:
    basis = ""
    if item.rule:
        basis = item.rule.legal_basis + " (" + counterpart.origin_label(item.rule.origin) + \
            ", " + counterpart.confidence_label(item.rule.confidence) + ")"
    ratio = item.rule.ratio if item.rule else 0
    values = [item.program_label, short_kind(item.capital_kind, item.kind_name),
              item.central, ratio, item.required,
              item.assigned, item.shortfall, basis]
    if text:
        values[2:7] = [_n(item.central), format_percent(ratio), _n(item.required),
                       _n(item.assigned), _n(item.shortfall)]
    return values


def _capital_xlsx(workspace, out, info, year, intro, headers, groups, summary, checks,
                  warnings, carry, returned) -> None:
    from ctmtqg_desktop.reports.xlsx_workbook import (
        ReportWorkbook,
        XlsxColumn,
        XlsxGroup,
        XlsxTotal,
    )

    book = ReportWorkbook()
    sheet = book.add_sheet(_("Capital plan"))
    columns = [XlsxColumn(headers[0], width=7), XlsxColumn(headers[1], width=60),
               XlsxColumn(headers[2], "money"), XlsxColumn(headers[3], "money"),
               XlsxColumn(headers[4], "money"), XlsxColumn(headers[5], "money"),
               XlsxColumn(headers[6], "percent", width=12), XlsxColumn(headers[7], "date")]
    sheet.letterhead(info, len(columns))
    sheet.note(intro)
    body: list = []
    for index, (group, lines) in enumerate(groups, 1):
        body.append(XlsxGroup(f"{index}. {group.label}"))
        for number, line in enumerate(lines, 1):
            f = line.figures
            body.append([f"{index}.{number}", _line_text(line), f.assigned, f.allocated,
                         f.unallocated, f.disbursed, f.rate, line.deadline])
    total = summary.total
    body.append(XlsxTotal(["", _("Total"), total.assigned, total.allocated, total.unallocated,
                           total.disbursed, total.rate, None]))
    sheet.table(columns, body)
    sheet.signature(info)

    _xlsx_lists(book, workspace, info, year, groups)
    _xlsx_sources_and_counterpart(book, workspace, info, year, summary, checks)
    _xlsx_entries_and_warnings(book, info, carry, returned, warnings)
    book.write(out)


def _xlsx_lists(book: Any, workspace: Workspace, info: DocumentInfo, year: int,
                groups: list[Any]) -> None:
    """Every allocation and payment of the year (the workbook lists what the PDF sums)."""
    from ctmtqg_desktop.reports.xlsx_workbook import XlsxColumn, XlsxTotal

    allocations = _allocations.allocations(workspace, year=year)
    sheet = book.add_sheet(_("Allocations"))
    columns = [XlsxColumn(_("Capital plan line"), width=50), XlsxColumn(_("Project"), width=50),
               XlsxColumn(_("Allocated"), "money"), XlsxColumn(_("Disbursed"), "money"),
               XlsxColumn(_("Disbursement rate"), "percent", width=12),
               XlsxColumn(_("Decision number")), XlsxColumn(_("Decision date"), "date")]
    sheet.letterhead(info, len(columns))
    sheet.table(columns, [[a.line_label, a.project_name, a.amount, a.disbursed, a.rate,
                           a.decision_number, a.decision_date] for a in allocations]
                + [XlsxTotal([_("Total"), "", sum(a.amount for a in allocations),
                              sum(a.disbursed for a in allocations), None, "", None])])

    line_labels = {line.id: line.label for _g, lines in groups for line in lines}
    paid = payments(workspace, year=year)
    sheet = book.add_sheet(_("Payments"))
    columns = [XlsxColumn(_("Date"), "date"), XlsxColumn(_("Capital plan line"), width=50),
               XlsxColumn(_("Project"), width=50), XlsxColumn(_("Amount (đồng)"), "money"),
               XlsxColumn(_("Voucher"), width=26)]
    sheet.letterhead(info, len(columns))
    sheet.table(columns, [[p.paid_on, line_labels.get(p.line_id, ""), p.project_name,
                           p.amount, p.voucher] for p in sorted(paid, key=lambda p: p.paid_on)]
                + [XlsxTotal(["", _("Total"), "", sum(p.amount for p in paid), ""])])


def _xlsx_sources_and_counterpart(book: Any, workspace: Workspace, info: DocumentInfo,
                                  year: int, summary: Any, checks: list[Any]) -> None:
    from ctmtqg_desktop.reports.xlsx_workbook import XlsxColumn

    sheet = book.add_sheet(_("By source"))
    columns = [XlsxColumn(_("Capital source"), width=40), XlsxColumn(_("Assigned"), "money"),
               XlsxColumn(_("Allocated in detail"), "money"), XlsxColumn(_("Disbursed"), "money"),
               XlsxColumn(_("Disbursement rate"), "percent", width=12),
               XlsxColumn(_("Forecast by 31/12"), "percent", width=12)]
    sheet.letterhead(info, len(columns))
    sheet.table(columns, [[g.label, g.figures.assigned, g.figures.allocated,
                           g.figures.disbursed, g.figures.rate, g.forecast.rate]
                          for g in summary.by_source])

    sheet = book.add_sheet(_("Counterpart funds"))
    titles = [c.title for c in _counterpart_columns(_Title)]
    kinds = ["text", "text", "money", "percent", "money", "money", "money", "text"]
    widths = [22, 16, 16, 10, 16, 16, 16, 70]
    columns = [XlsxColumn(t, k, width=w) for t, k, w in zip(titles, kinds, widths)]
    sheet.letterhead(info, len(columns))
    sheet.table(columns, [_counterpart_cells(c, text=False) for c in checks])

    sheet = book.add_sheet(_("Counterpart-ratio rules"))
    in_force = set(counterpart.effective_rules(workspace, year).values())
    columns = [XlsxColumn(_("Programme"), width=18), XlsxColumn(_("Capital kind"), width=16),
               XlsxColumn(_("Ratio"), "percent", width=10), XlsxColumn(_("Legal basis"), width=60),
               XlsxColumn(_("Valid from"), "date"), XlsxColumn(_("Valid until"), "date"),
               XlsxColumn(_("Origin"), width=24), XlsxColumn(_("Data"), width=16),
               XlsxColumn(_("Note"), width=50)]
    sheet.letterhead(info, len(columns))
    sheet.table(columns, [[r.program_id.split("/")[-1], short_kind(r.capital_kind),
                           r.ratio, r.legal_basis, r.valid_from, r.valid_to,
                           counterpart.origin_label(r.origin)
                           + ("" if r in in_force else " · " + _("not in force")),
                           counterpart.confidence_label(r.confidence), r.note]
                          for r in counterpart.rule_records(workspace)
                          + counterpart.default_rules()])


def _xlsx_entries_and_warnings(book: Any, info: DocumentInfo, carry: list[Any],
                               returned: list[Any], warnings: list[Any]) -> None:
    from ctmtqg_desktop.reports.xlsx_workbook import XlsxColumn

    sheet = book.add_sheet(_("Carry-overs, returns"))
    columns = [XlsxColumn(_("Capital plan line"), width=50), XlsxColumn(_("Kind of entry")),
               XlsxColumn(_("Amount (đồng)"), "money"), XlsxColumn(_("Date"), "date"),
               XlsxColumn(_("Decision, reason"), width=60)]
    sheet.letterhead(info, len(columns))
    sheet.table(columns, [[line.label, _("Carried over"), item.amount, item.deadline,
                           " ".join(x for x in (item.decision_number, item.note) if x)]
                          for line, item in carry]
                + [[line.label, _("Returned"), item.amount, item.returned_on,
                    " ".join(x for x in (item.decision_number, item.reason) if x)]
                   for line, item in returned])

    sheet = book.add_sheet(_("Warnings"))
    columns = [XlsxColumn(_("Level")), XlsxColumn(_("Warning"), width=120)]
    sheet.letterhead(info, len(columns))
    level = {rules.LATE: _("Late"), rules.DUE_SOON: _("Due soon")}
    sheet.table(columns, [[level.get(a.state, ""), a.text] for a in warnings])


CAPITAL_REPORT = ReportSpec(
    key="capital", title=N_("Capital plans: assigned, allocated, disbursed"),
    description=N_("The year's capital plan by programme, line and source: assigned, allocated "
                   "in detail, disbursed, on-track line and forecast; counterpart funds, "
                   "carry-overs, returns and warnings. The workbook also lists every "
                   "allocation and payment."), build=_build_capital)
