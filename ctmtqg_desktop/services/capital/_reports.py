"""Reports of the capital area, as PDF (Nghị định 30/2020/NĐ-CP layout) and Excel.

``capital``: báo cáo tình hình giao, phân bổ chi tiết và giải ngân kế hoạch vốn of a year, by
programme and line, by source, counterpart funds, carry-overs and returns, warnings; the
workbook also lists every allocation and payment (every list of the area, exported). The
projects area's reports (priority list, proposal to adjust the plan) are in
``services/projects/_reports.py``.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from ctmtqg_desktop.domain import capital as rules
from ctmtqg_desktop.domain.formats import format_date, format_number, format_percent
from ctmtqg_desktop.i18n import N_, _, pgettext
from ctmtqg_desktop.reports.document import (
    Cell,
    Column,
    Document,
    Group,
    Heading,
    Note,
    Sheet,
    Table,
    Total,
    write,
)
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
    as_of = report_catalog.as_of(workspace, options)
    summary = capital_status.year_summary(workspace, year, as_of=as_of)
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
    by_program: dict[str, list[LineInfo]] = {}
    for line in summary.lines:
        by_program.setdefault(line.program_id, []).append(line)
    groups = [(g, by_program[g.key]) for g in summary.by_program]
    sheets = [Sheet(_("Capital plan"), [
        Note(intro), Heading(_("I. CAPITAL BY PROGRAMME AND LINE (đồng)"), only="pdf"),
        _lines_table(groups, total)], letterhead=True)]
    sheets += _list_sheets(workspace, year, groups, as_of)
    sheets += _source_and_counterpart_sheets(workspace, year, summary)
    sheets += _entry_and_warning_sheets(workspace, as_of)
    write(Document(info, sheets), fmt, out)


def _lines_table(groups: list[Any], total: Any) -> Table:
    columns = [Column(_("No."), width=7, weight=0.85, align="center"),
               Column(_("Programme, capital kind, source, decision"), width=60, weight=5),
               Column(_("Assigned"), "money", weight=1.6),
               Column(_("Allocated in detail"), "money", weight=1.6),
               Column(_("Not allocated"), "money", weight=1.5),
               Column(_("Disbursed"), "money", weight=1.6),
               Column(_("Disbursement rate"), "percent", width=12, weight=1.1),
               Column(_("Disbursement deadline"), "date", weight=1.2, align="center")]
    rows: list = []
    for index, (group, lines) in enumerate(groups, 1):
        # the PDF's programme row also says what was assigned and disbursed
        rows.append(Group(Cell(f"{index}. {group.label}", f"{index}. {group.label}: " + _(
            "assigned {assigned}, disbursed {rate}").format(
            assigned=_n(group.figures.assigned), rate=_rate(group.figures.rate) or "0,0%"))))
        for number, line in enumerate(lines, 1):
            f = line.figures
            rows.append([f"{index}.{number}", _line_text(line), f.assigned, f.allocated,
                         f.unallocated, f.disbursed, f.rate, line.deadline])
    rows.append(Total(["", _("Total"), total.assigned, total.allocated, total.unallocated,
                       total.disbursed, total.rate, None]))
    return Table(columns, rows, font_size=10)


def _list_sheets(workspace: Workspace, year: int, groups: list[Any], as_of: Any
                 ) -> list[Sheet]:
    """Every allocation and payment of the year by ``as_of`` (the workbook lists what the
    PDF sums)."""
    allocations = _allocations.allocations(workspace, year=year, as_of=as_of)
    columns = [Column(_("Capital plan line"), width=50), Column(_("Project"), width=50),
               Column(_("Allocated"), "money"), Column(_("Disbursed"), "money"),
               Column(_("Disbursement rate"), "percent", width=12),
               Column(_("Decision number")), Column(_("Decision date"), "date")]
    allocated = Table(columns, [[a.line_label, a.project_name, a.amount, a.disbursed, a.rate,
                                 a.decision_number, a.decision_date] for a in allocations]
                      + [Total([_("Total"), "", sum(a.amount for a in allocations),
                                sum(a.disbursed for a in allocations), None, "", None])])
    line_labels = {line.id: line.label for _g, lines in groups for line in lines}
    paid = [p for p in payments(workspace, year=year) if p.paid_on <= as_of]
    columns = [Column(_("Date"), "date"), Column(_("Capital plan line"), width=50),
               Column(_("Project"), width=50), Column(_("Amount (đồng)"), "money"),
               Column(_("Voucher"), width=26)]
    payment_table = Table(columns, [[p.paid_on, line_labels.get(p.line_id, ""),
                                     p.project_name, p.amount, p.voucher]
                                    for p in sorted(paid, key=lambda p: p.paid_on)]
                          + [Total(["", _("Total"), "", sum(p.amount for p in paid), ""])])
    return [Sheet(_("Allocations"), [allocated], only="xlsx", letterhead=True),
            Sheet(_("Payments"), [payment_table], only="xlsx", letterhead=True)]


def _source_and_counterpart_sheets(workspace: Workspace, year: int,
                                   summary: Any) -> list[Sheet]:
    columns = [Column(_("Capital source"), width=40, weight=4),
               Column(_("Assigned"), "money", weight=2),
               Column(_("Allocated in detail"), "money", only="xlsx"),
               Column(_("Disbursed"), "money", weight=2),
               Column(_("Disbursement rate"), "percent", width=12, weight=1.4),
               Column(_("Forecast by 31/12"), "percent", width=12, weight=1.4)]
    sources = Table(columns, [[g.label, g.figures.assigned, g.figures.allocated,
                               g.figures.disbursed, g.figures.rate, g.forecast.rate]
                              for g in summary.by_source], font_size=10)
    columns = [Column(_("Programme"), width=22, weight=2.4),
               Column(_("Capital kind"), width=16, weight=1.4),
               Column(_("Central budget capital"), "money", width=16, weight=1.8),
               Column(_("Ratio"), "percent", width=10, weight=0.9),
               Column(_("Counterpart required"), "money", width=16, weight=1.8),
               Column(_("Counterpart assigned"), "money", width=16, weight=1.8),
               Column(_("Shortfall"), "money", width=16, weight=1.6),
               Column(_("Legal basis"), width=70, weight=4)]
    funds = Table(columns, [_counterpart_cells(c) for c in counterpart.check(workspace, year)],
                  font_size=10)
    in_force = set(counterpart.effective_rules(workspace, year).values())
    columns = [Column(_("Programme"), width=18), Column(_("Capital kind"), width=16),
               Column(_("Ratio"), "percent", width=10), Column(_("Legal basis"), width=60),
               Column(_("Valid from"), "date"), Column(_("Valid until"), "date"),
               Column(_("Origin"), width=24), Column(_("Data"), width=16),
               Column(_("Note"), width=50)]
    rules_table = Table(columns, [[r.program_id.split("/")[-1], short_kind(r.capital_kind),
                                   r.ratio, r.legal_basis, r.valid_from, r.valid_to,
                                   counterpart.origin_label(r.origin)
                                   + ("" if r in in_force else " · " + _("not in force")),
                                   counterpart.confidence_label(r.confidence), r.note]
                                  for r in counterpart.rule_records(workspace)
                                  + counterpart.default_rules()])
    return [Sheet(_("By source"), [Heading(_("II. DISBURSEMENT BY SOURCE (đồng)"), only="pdf"),
                                   sources], letterhead=True),
            Sheet(_("Counterpart funds"), [Heading(_("III. COUNTERPART FUNDS (đồng)"),
                                                   only="pdf"), funds], letterhead=True),
            Sheet(_("Counterpart-ratio rules"), [rules_table], only="xlsx", letterhead=True)]


def _counterpart_cells(item: counterpart.CounterpartCheck) -> list:
    basis = ""
    if item.rule:
        basis = item.rule.legal_basis + " (" + counterpart.origin_label(item.rule.origin) + \
            ", " + counterpart.confidence_label(item.rule.confidence) + ")"
    return [item.program_label, short_kind(item.capital_kind, item.kind_name), item.central,
            item.rule.ratio if item.rule else 0, item.required, item.assigned, item.shortfall,
            basis]


def _entry_and_warning_sheets(workspace: Workspace, as_of: Any) -> list[Sheet]:
    """Carry-overs decided and returns made by ``as_of``, and today's warnings."""
    carry = [(line, item) for line in list_lines(workspace)
             for item in carry_overs(workspace, line.id)
             if item.decision_date is None or item.decision_date <= as_of]
    returned = [(line, item) for line in list_lines(workspace)
                for item in returns(workspace, line.id) if item.returned_on <= as_of]
    columns = [Column(_("Capital plan line"), width=50, weight=5),
               Column(_("Kind of entry"), weight=1.6),
               Column(_("Amount (đồng)"), "money", weight=1.6),
               Column(_("Date"), "date", weight=1.3, align="center"),
               Column(_("Decision, reason"), width=60, weight=4)]
    entries = Table(columns, [[line.label, _("Carried over"), item.amount, Cell(
        item.deadline, _("until {date}").format(date=format_date(item.deadline))),
        " ".join(x for x in (item.decision_number, item.note) if x)] for line, item in carry]
        + [[line.label, _("Returned"), item.amount, item.returned_on,
            " ".join(x for x in (item.decision_number, item.reason) if x)]
           for line, item in returned], font_size=10)
    none = Note(_("None."), only="pdf")
    warnings = capital_status.alerts(workspace)
    level = {rules.LATE: _("Late"), rules.DUE_SOON: _("Due soon")}
    listed = Table([Column(_("Level")), Column(_("Warning"), width=120)],
                   [[level.get(a.state, ""), a.text] for a in warnings], only="xlsx")
    return [Sheet(_("Carry-overs, returns"), [
                Heading(_("IV. CARRY-OVERS AND RETURNS TO THE BUDGET"), only="pdf"),
                entries if carry or returned else replace(entries, only="xlsx"),
                *([] if carry or returned else [none])], letterhead=True),
            Sheet(_("Warnings"), [
                Heading(_("V. WARNINGS"), only="pdf"), listed,
                *([Note("- " + a.text, only="pdf") for a in warnings] or [none])],
                letterhead=True)]


CAPITAL_REPORT = ReportSpec(
    key="capital", title=N_("Capital plans: assigned, allocated, disbursed"),
    description=N_("The year's capital plan by programme, line and source: assigned, allocated "
                   "in detail, disbursed, on-track line and forecast; counterpart funds, "
                   "carry-overs, returns and warnings. The workbook also lists every "
                   "allocation and payment."), build=_build_capital,
    # a parent's ``capital`` totals its children (services/archive/_reports.py)
    roles=("commune",))
