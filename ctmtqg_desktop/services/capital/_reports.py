"""Reports of the capital area, as PDF (Nghị định 30/2020/NĐ-CP layout) and Excel.

* ``capital``: báo cáo tình hình giao, phân bổ chi tiết và giải ngân kế hoạch vốn of a year,
  by programme and line, by source, counterpart funds, carry-overs and returns, warnings; the
  workbook also lists every allocation and payment (every list of the area, exported);
* ``portfolio``: the investment project list ranked by priority with its scores, the overlap
  review, and (workbook) the criteria and the funding by source;
* ``capital-proposal``: tờ trình đề xuất điều chỉnh kế hoạch vốn from the what-if, with the
  total in words as a proposal to the parent unit asks.
"""

from __future__ import annotations

from pathlib import Path

from ctmtqg_desktop.domain import capital as rules
from ctmtqg_desktop.domain.formats import format_date, format_number, format_percent
from ctmtqg_desktop.domain.money import amount_in_words
from ctmtqg_desktop.i18n import N_, _, pgettext
from ctmtqg_desktop.services import report_catalog
from ctmtqg_desktop.services.capital import _counterpart as counterpart
from ctmtqg_desktop.services.capital import _records as capital
from ctmtqg_desktop.services.capital import _status as capital_status
from ctmtqg_desktop.services.catalog import _units as catalog
from ctmtqg_desktop.services.projects import _overlaps as overlaps
from ctmtqg_desktop.services.projects import _portfolio as portfolio
from ctmtqg_desktop.services.report_catalog import ReportOptions, ReportSpec
from ctmtqg_desktop.store.workspace import Workspace


def _year(workspace: Workspace, options: ReportOptions) -> int:
    return options.year or (options.date or workspace.today()).year


def _unit_phrase(workspace: Workspace) -> str:
    unit = catalog.get_unit(workspace, workspace.installation().unit_id)
    return f"UBND {catalog.unit_kind_label(unit.kind)} {unit.name}"


def _parent_phrase(workspace: Workspace) -> str:
    unit = catalog.get_unit(workspace, workspace.installation().unit_id)
    if not unit.parent_id:
        return ""
    parent = catalog.get_unit(workspace, unit.parent_id)
    return f"UBND {catalog.unit_kind_label(parent.kind)} {parent.name}"


def _rate(value: float | None) -> str:
    return format_percent(value) if value is not None else ""


def _n(value: int) -> str:
    return format_number(value)


# ---------------------------------------------------------------------------- capital
def _line_text(line: capital.LineInfo) -> str:
    text = capital.short_kind(line.capital_kind, line.kind_name) + ", " + \
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
    year = _year(workspace, options)
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
    by_program: dict[str, list[capital.LineInfo]] = {}
    for line in summary.lines:
        by_program.setdefault(line.program_id, []).append(line)
    groups = [(g, by_program[g.key]) for g in summary.by_program]
    carry = [(line, item) for line in capital.list_lines(workspace)
             for item in capital.carry_overs(workspace, line.id)]
    returned = [(line, item) for line in capital.list_lines(workspace)
                for item in capital.returns(workspace, line.id)]
    if fmt == "xlsx":
        _capital_xlsx(workspace, out, info, year, intro, headers, groups, summary, checks,
                      warnings, carry, returned)
        return
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
    values = [item.program_label, capital.short_kind(item.capital_kind, item.kind_name),
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

    allocations = capital.allocations(workspace, year=year)
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
    paid = capital.payments(workspace, year=year)
    sheet = book.add_sheet(_("Payments"))
    columns = [XlsxColumn(_("Date"), "date"), XlsxColumn(_("Capital plan line"), width=50),
               XlsxColumn(_("Project"), width=50), XlsxColumn(_("Amount (đồng)"), "money"),
               XlsxColumn(_("Voucher"), width=26)]
    sheet.letterhead(info, len(columns))
    sheet.table(columns, [[p.paid_on, line_labels.get(p.line_id, ""), p.project_name,
                           p.amount, p.voucher] for p in sorted(paid, key=lambda p: p.paid_on)]
                + [XlsxTotal(["", _("Total"), "", sum(p.amount for p in paid), ""])])

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
    sheet.table(columns, [[r.program_id.split("/")[-1], capital.short_kind(r.capital_kind),
                           r.ratio, r.legal_basis, r.valid_from, r.valid_to,
                           counterpart.origin_label(r.origin)
                           + ("" if r in in_force else " · " + _("not in force")),
                           counterpart.confidence_label(r.confidence), r.note]
                          for r in counterpart.rule_records(workspace)
                          + counterpart.default_rules()])

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
    book.write(out)


class _Title:
    """Column description reduced to its title (shared by the PDF and the workbook)."""

    def __init__(self, title: str, *_layout) -> None:
        self.title = title


# ---------------------------------------------------------------------------- portfolio
def _flag_note(row: portfolio.PortfolioRow) -> str:
    notes = []
    if row.stalled:
        notes.append(_("Stalled: {reason}").format(reason=row.stalled_reason))
    if row.overlaps_open:
        notes.append(_("{count} possible overlaps to review").format(count=row.overlaps_open))
    return "; ".join(notes)


def _build_portfolio(workspace: Workspace, fmt: str, out: Path,
                     options: ReportOptions) -> None:
    year = _year(workspace, options)
    weights = options.extra.get("weights") or portfolio.get_weights(workspace)
    rows = portfolio.portfolio(workspace, year=year, weights=weights)
    flags = overlaps.detect(workspace)
    info = report_catalog.document_info(
        workspace, doc_type=pgettext("document type", "REPORT"),
        subject=_("Investment projects of the national target programmes in {year}, in order "
                  "of priority by feasibility, effectiveness and ability to disburse").format(
            year=str(year)), options=options)
    weight_text = _("Priority = weighted mean of the scores: feasibility {f}%, effectiveness "
                    "{e}%, ability to disburse {d}% of the weights.").format(
        f=_weight_share(weights, "feasibility"), e=_weight_share(weights, "effectiveness"),
        d=_weight_share(weights, "disbursement"))
    headers = [_("Rank"), _("Project, work"), _("Programme"), _("Village"), _("Stage"),
               _("Physical progress"), _("Capital {year}").format(year=str(year)),
               _("Disbursed"), _("Rate"), _("Feasibility"), _("Effectiveness"),
               _("Ability to disburse"), _("Priority"), _("Note")]

    def rank_text(row) -> str:
        return str(row.rank) if row.rank else "-"

    if fmt == "xlsx":
        from ctmtqg_desktop.reports.xlsx_workbook import ReportWorkbook, XlsxColumn

        book = ReportWorkbook()
        sheet = book.add_sheet(_("Project list"))
        kinds = ["text", "text", "text", "text", "text", "percent", "money", "money", "percent",
                 "decimal", "decimal", "decimal", "decimal", "text"]
        widths = [7, 46, 16, 16, 14, 11, 15, 15, 10, 10, 10, 10, 10, 40]
        columns = [XlsxColumn(h, k, width=w) for h, k, w in zip(headers, kinds, widths)]
        sheet.letterhead(info, len(columns))
        sheet.note(weight_text)
        sheet.table(columns, [[rank_text(r), r.name, r.program_label, r.village_name,
                               r.stage_label, r.physical_progress / 100, r.allocated_year,
                               r.disbursed_year, r.rate_year, r.scores["feasibility"],
                               r.scores["effectiveness"], r.scores["disbursement"],
                               r.priority, _flag_note(r)] for r in rows])
        sheet.signature(info)
        sheet = book.add_sheet(_("Scoring criteria"))
        columns = [XlsxColumn(_("Project"), width=46), XlsxColumn(_("Criterion group")),
                   XlsxColumn(_("Criterion"), width=50), XlsxColumn(_("Points"), "int"),
                   XlsxColumn(_("Maximum"), "int"), XlsxColumn(_("How it was scored"),
                                                               width=60)]
        sheet.letterhead(info, len(columns))
        sheet.table(columns, [[r.name, portfolio.dimension_label(c.dimension), c.name, c.points,
                               c.max_points, c.explanation if c.auto else
                               (_("Scored by the officer") + (": " + c.note if c.note else ""))]
                              for r in rows for c in r.criteria])
        sheet = book.add_sheet(_("Funding by source"))
        columns = [XlsxColumn(_("Project"), width=46), XlsxColumn(_("Capital source"), width=36),
                   XlsxColumn(_("Total investment"), "money"),
                   XlsxColumn(_("Allocated, all years"), "money")]
        sheet.letterhead(info, len(columns))
        source_names = {s.code: s.name for s in catalog.capital_sources(workspace)}
        sheet.table(columns, [[r.name, source_names.get(source, source), amount,
                               r.allocated_by_source.get(source, 0)]
                              for r in rows for source, amount in sorted(r.funding.items())])
        sheet = book.add_sheet(_("Overlap review"))
        columns = [XlsxColumn(_("Project"), width=40), XlsxColumn(_("Programme")),
                   XlsxColumn(_("Project"), width=40), XlsxColumn(_("Programme")),
                   XlsxColumn(_("Reason flagged"), width=60), XlsxColumn(_("Review"), width=60)]
        sheet.letterhead(info, len(columns))
        sheet.table(columns, [[f.first.name, f.first.program_label, f.second.name,
                               f.second.program_label, f.reason_text, _decision_text(f)]
                              for f in flags])
        book.write(out)
        return
    from ctmtqg_desktop.reports.pdf_document import OfficialPdf, PdfColumn

    pdf = OfficialPdf(info, landscape=True)
    pdf.paragraph(weight_text)
    pdf.heading(_("I. PROJECTS IN ORDER OF PRIORITY"))
    columns = [PdfColumn(headers[0], 0.8, "center"),
               PdfColumn(_("Project, work (village, stage)"), 5),
               PdfColumn(headers[2], 1.6), PdfColumn(headers[5], 1.2, "right"),
               PdfColumn(headers[6], 1.9, "right"), PdfColumn(headers[7], 1.9, "right"),
               PdfColumn(headers[8], 1.0, "right"),
               PdfColumn(pgettext("score column", "Feasibility"), 1.0, "right"),
               PdfColumn(pgettext("score column", "Effectiveness"), 1.0, "right"),
               PdfColumn(pgettext("score column", "Disbursement"), 1.1, "right"),
               PdfColumn(pgettext("score column", "Priority"), 1.0, "right"),
               PdfColumn(headers[13], 2.6)]
    pdf.table(columns,
              [[rank_text(r), r.name + " (" + ", ".join(x for x in (r.village_name,
                                                                      r.stage_label) if x)
                + ")", r.program_label, f"{r.physical_progress}%", _n(r.allocated_year),
                _n(r.disbursed_year), _rate(r.rate_year),
                format_number(r.scores["feasibility"], decimals=1),
                format_number(r.scores["effectiveness"], decimals=1),
                format_number(r.scores["disbursement"], decimals=1),
                format_number(r.priority, decimals=1), _flag_note(r)] for r in rows],
              font_size=9)
    pdf.heading(_("II. OVERLAPS BETWEEN PROGRAMMES"))
    if flags:
        pdf.table([PdfColumn(_("Projects"), 5), PdfColumn(_("Reason flagged"), 4),
                   PdfColumn(_("Review"), 4)],
                  [[f"{f.first.name} ({f.first.program_label}) - {f.second.name} "
                    f"({f.second.program_label})", f.reason_text, _decision_text(f)]
                   for f in flags], font_size=10)
    else:
        pdf.paragraph(_("None."))
    pdf.write(out)


def _weight_share(weights: dict, dim: str) -> str:
    total = sum(weights.values()) or 1
    return format_number(100 * weights.get(dim, 0) / total, decimals=0)


def _decision_text(flag: overlaps.OverlapFlag) -> str:
    if flag.decision is None:
        return _("Not reviewed yet")
    return _("Not an overlap ({who}, {date}): {reason}").format(
        who=flag.decision.decided_by or _("officer"), date=format_date(flag.decision.decided_on),
        reason=flag.decision.reason)


# ---------------------------------------------------------------------------- proposal
def write_proposal(workspace: Workspace, plan: portfolio.AdjustmentPlan, fmt: str, out: Path,
                   options: ReportOptions | None = None) -> Path:
    """Tờ trình đề xuất điều chỉnh kế hoạch vốn for ``plan`` (PDF or xlsx)."""
    options = options or ReportOptions(year=plan.year)
    year = plan.year
    unit = _unit_phrase(workspace)
    parent = _parent_phrase(workspace) or _("the competent authority")
    info = report_catalog.document_info(
        workspace, doc_type=pgettext("document type", "SUBMISSION"),
        subject=_("Proposal to adjust the capital plan of {year} of the national target "
                  "programmes").format(year=str(year)), options=options, symbol="TTr-UBND")
    addressed = _("To: {parent}").format(parent=parent)
    grounds = [
        _("Pursuant to the directive of the Provincial People's Committee on continuing to carry "
          "out the national target programmes in 2023, which asks to review the list of "
          "investment projects, order them by feasibility, effectiveness and ability to "
          "disburse, and propose adjustments of the capital plan;"),
        _("Based on the review of the projects and the disbursement of the capital plan of "
          "{year} as of {date},").format(year=str(year),
                                         date=format_date(options.date or workspace.today())),
    ]
    body = _("{unit} respectfully proposes that {parent} consider adjusting the capital plan "
             "of {year} as follows: capital that stalled or low-priority projects cannot "
             "disburse, and capital not yet allocated in detail, moves to higher-priority "
             "projects of the same programme and source that still need capital.").format(
        unit=unit, parent=parent, year=str(year))
    total = plan.total
    total_line = _("Total capital proposed for adjustment: {amount} đồng (in words: "
                   "{words}).").format(amount=_n(total), words=amount_in_words(total))
    closing = _("{unit} respectfully submits this to {parent} for consideration and "
                "decision./.").format(unit=unit, parent=parent)
    change_headers = [_("No."), _("Project, work"), _("Programme"), _("Rank"),
                      _("Capital allocated in {year}").format(year=str(year)),
                      _("Decrease"), _("Increase"), _("After adjustment"), _("Reason")]
    move_headers = [_("No."), _("Capital plan line"), _("Move from"), _("To"), _("Amount (đồng)")]
    if fmt == "xlsx":
        from ctmtqg_desktop.reports.xlsx_workbook import ReportWorkbook, XlsxColumn, XlsxTotal

        book = ReportWorkbook()
        sheet = book.add_sheet(_("Adjustment proposal"))
        kinds = ["int", "text", "text", "text", "money", "money", "money", "money", "text"]
        widths = [6, 46, 16, 8, 16, 16, 16, 16, 50]
        columns = [XlsxColumn(h, k, width=w) for h, k, w in zip(change_headers, kinds, widths)]
        sheet.letterhead(info, len(columns))
        sheet.note(addressed, italic=False)
        for text in grounds:
            sheet.note(text)
        sheet.note(body, italic=False)
        sheet.table(columns, [[i, c.name, c.program_label, str(c.rank or "-"), c.before,
                               c.decrease, c.increase, c.after, c.reason]
                              for i, c in enumerate(plan.changes, 1)]
                    + [XlsxTotal(["", _("Total"), "", "", sum(c.before for c in plan.changes),
                                  sum(c.decrease for c in plan.changes),
                                  sum(c.increase for c in plan.changes),
                                  sum(c.after for c in plan.changes), ""])])
        sheet.note(total_line, italic=False)
        sheet.note(closing, italic=False)
        sheet.signature(info)
        sheet = book.add_sheet(_("Moves by line"))
        columns = [XlsxColumn(move_headers[0], "int", width=6),
                   XlsxColumn(move_headers[1], width=50), XlsxColumn(move_headers[2], width=46),
                   XlsxColumn(move_headers[3], width=46), XlsxColumn(move_headers[4], "money")]
        sheet.letterhead(info, len(columns))
        sheet.table(columns, [[i, m.line_label, m.from_name, m.to_name, m.amount]
                              for i, m in enumerate(plan.moves, 1)]
                    + [XlsxTotal(["", _("Total"), "", "", total])])
        book.write(out)
        return Path(out)
    from ctmtqg_desktop.reports.pdf_document import OfficialPdf, PdfColumn, TotalRow

    pdf = OfficialPdf(info, landscape=True)
    pdf.paragraph(addressed, indent=False)
    for text in grounds:
        pdf.paragraph(text, italic=True)
    pdf.paragraph(body)
    pdf.heading(_("I. ADJUSTMENT BY PROJECT (đồng)"))
    pdf.table([PdfColumn(change_headers[0], 0.85, "center"), PdfColumn(change_headers[1], 4.2),
               PdfColumn(change_headers[2], 1.6), PdfColumn(change_headers[3], 0.9, "center"),
               PdfColumn(change_headers[4], 1.7, "right"), PdfColumn(change_headers[5], 1.6,
                                                                     "right"),
               PdfColumn(change_headers[6], 1.6, "right"), PdfColumn(change_headers[7], 1.7,
                                                                     "right"),
               PdfColumn(change_headers[8], 3.2)],
              [[str(i), c.name, c.program_label, str(c.rank or "-"), _n(c.before),
                _n(c.decrease) if c.decrease else "", _n(c.increase) if c.increase else "",
                _n(c.after), c.reason] for i, c in enumerate(plan.changes, 1)]
              + [TotalRow(["", _("Total"), "", "", _n(sum(c.before for c in plan.changes)),
                           _n(sum(c.decrease for c in plan.changes)),
                           _n(sum(c.increase for c in plan.changes)),
                           _n(sum(c.after for c in plan.changes)), ""])], font_size=10)
    pdf.heading(_("II. MOVES BY CAPITAL PLAN LINE (đồng)"))
    pdf.table([PdfColumn(move_headers[0], 0.85, "center"), PdfColumn(move_headers[1], 4),
               PdfColumn(move_headers[2], 4), PdfColumn(move_headers[3], 4),
               PdfColumn(move_headers[4], 1.7, "right")],
              [[str(i), m.line_label, m.from_name, m.to_name, _n(m.amount)]
               for i, m in enumerate(plan.moves, 1)]
              + [TotalRow(["", _("Total"), "", "", _n(total)])], font_size=10)
    pdf.paragraph(total_line)
    pdf.paragraph(closing)
    pdf.write(out)
    return Path(out)


def _build_proposal(workspace: Workspace, fmt: str, out: Path, options: ReportOptions) -> None:
    year = _year(workspace, options)
    plan = portfolio.propose_adjustment(workspace, year,
                                        weights=options.extra.get("weights"))
    write_proposal(workspace, plan, fmt, out, options)


report_catalog.register(ReportSpec(
    key="capital", title=N_("Capital plans: assigned, allocated, disbursed"),
    description=N_("The year's capital plan by programme, line and source: assigned, allocated "
                   "in detail, disbursed, on-track line and forecast; counterpart funds, "
                   "carry-overs, returns and warnings. The workbook also lists every "
                   "allocation and payment."), build=_build_capital))
report_catalog.register(ReportSpec(
    key="portfolio", title=N_("Investment projects in order of priority"),
    description=N_("Projects ranked by feasibility, effectiveness and ability to disburse, "
                   "with their scores, stalled projects and the review of overlaps between "
                   "programmes."), build=_build_portfolio))
report_catalog.register(ReportSpec(
    key="capital-proposal", title=N_("Proposal to adjust the capital plan"),
    description=N_("The submission (tờ trình) proposing to move unspent capital from stalled "
                   "or low-priority projects to high-priority ones, as the what-if suggests."),
    build=_build_proposal))
