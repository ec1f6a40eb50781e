"""Reports of the projects area, as PDF (Nghị định 30/2020/NĐ-CP layout) and Excel.

* ``portfolio``: the investment project list ranked by priority with its scores, the overlap
  review, and (workbook) the criteria and the funding by source;
* ``capital-proposal``: tờ trình đề xuất điều chỉnh kế hoạch vốn from the what-if, with the
  total in words as a proposal to the parent unit asks.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ctmtqg_desktop.domain.formats import format_date, format_number, format_percent
from ctmtqg_desktop.domain.money import amount_in_words
from ctmtqg_desktop.i18n import N_, _, pgettext
from ctmtqg_desktop.reports.letterhead import DocumentInfo
from ctmtqg_desktop.services import catalog, report_catalog
from ctmtqg_desktop.services.projects import _overlaps as overlaps
from ctmtqg_desktop.services.projects._adjustment import AdjustmentPlan, propose_adjustment
from ctmtqg_desktop.services.projects._portfolio import (
    PortfolioRow,
    dimension_label,
    get_weights,
    portfolio,
)
from ctmtqg_desktop.services.report_catalog import ReportOptions, ReportSpec
from ctmtqg_desktop.store.workspace import Workspace


def _rate(value: float | None) -> str:
    return format_percent(value) if value is not None else ""


def _n(value: int) -> str:
    return format_number(value)


# ---------------------------------------------------------------------------- portfolio
def _flag_note(row: PortfolioRow) -> str:
    notes = []
    if row.stalled:
        notes.append(_("Stalled: {reason}").format(reason=row.stalled_reason))
    if row.overlaps_open:
        notes.append(_("{count} possible overlaps to review").format(count=row.overlaps_open))
    return "; ".join(notes)


def _build_portfolio(workspace: Workspace, fmt: str, out: Path,
                     options: ReportOptions) -> None:
    year = report_catalog.report_year(workspace, options)
    weights = options.extra.get("weights") or get_weights(workspace)
    rows = portfolio(workspace, year=year, weights=weights)
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

    if fmt == "xlsx":
        _portfolio_xlsx(workspace, out, info, headers, weight_text, rows, flags)
        return
    _portfolio_pdf(out, info, headers, weight_text, rows, flags)


def _rank_text(row: PortfolioRow) -> str:
    return str(row.rank) if row.rank else "-"


def _portfolio_xlsx(workspace: Workspace, out: Path, info: DocumentInfo, headers: list[str],
                    weight_text: str, rows: list[PortfolioRow], flags: list[Any]) -> None:
    from ctmtqg_desktop.reports.xlsx_workbook import ReportWorkbook, XlsxColumn

    book = ReportWorkbook()
    sheet = book.add_sheet(_("Project list"))
    kinds = ["text", "text", "text", "text", "text", "percent", "money", "money", "percent",
             "decimal", "decimal", "decimal", "decimal", "text"]
    widths = [7, 46, 16, 16, 14, 11, 15, 15, 10, 10, 10, 10, 10, 40]
    columns = [XlsxColumn(h, k, width=w) for h, k, w in zip(headers, kinds, widths)]
    sheet.letterhead(info, len(columns))
    sheet.note(weight_text)
    sheet.table(columns, [[_rank_text(r), r.name, r.program_label, r.village_name,
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
    sheet.table(columns, [[r.name, dimension_label(c.dimension), c.name, c.points,
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


def _portfolio_pdf(out: Path, info: DocumentInfo, headers: list[str], weight_text: str,
                   rows: list[PortfolioRow], flags: list[Any]) -> None:
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
              [[_rank_text(r), r.name + " (" + ", ".join(x for x in (r.village_name,
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
def write_proposal(workspace: Workspace, plan: AdjustmentPlan, fmt: str, out: Path,
                   options: ReportOptions | None = None) -> Path:
    """Tờ trình đề xuất điều chỉnh kế hoạch vốn for ``plan`` (PDF or xlsx)."""
    options = options or ReportOptions(year=plan.year)
    year = plan.year
    unit = report_catalog.unit_phrase(workspace)
    parent = report_catalog.parent_phrase(workspace) or _("the competent authority")
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
    texts = _ProposalTexts(addressed, grounds, body, total_line, closing, change_headers,
                           move_headers)
    if fmt == "xlsx":
        _proposal_xlsx(out, info, plan, texts)
    else:
        _proposal_pdf(out, info, plan, texts)
    return Path(out)


@dataclass(frozen=True)
class _ProposalTexts:
    addressed: str
    grounds: list[str]
    body: str
    total_line: str
    closing: str
    change_headers: list[str]
    move_headers: list[str]


def _proposal_xlsx(out: Path, info: DocumentInfo, plan: AdjustmentPlan,
                   texts: _ProposalTexts) -> None:
    addressed, grounds, body = texts.addressed, texts.grounds, texts.body
    total_line, closing, total = texts.total_line, texts.closing, plan.total
    change_headers, move_headers = texts.change_headers, texts.move_headers
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


def _proposal_pdf(out: Path, info: DocumentInfo, plan: AdjustmentPlan,
                  texts: _ProposalTexts) -> None:
    addressed, grounds, body = texts.addressed, texts.grounds, texts.body
    total_line, closing, total = texts.total_line, texts.closing, plan.total
    change_headers, move_headers = texts.change_headers, texts.move_headers
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


def _build_proposal(workspace: Workspace, fmt: str, out: Path, options: ReportOptions) -> None:
    year = report_catalog.report_year(workspace, options)
    plan = propose_adjustment(workspace, year,
                                        weights=options.extra.get("weights"))
    write_proposal(workspace, plan, fmt, out, options)


PORTFOLIO_REPORT = ReportSpec(
    key="portfolio", title=N_("Investment projects in order of priority"),
    description=N_("Projects ranked by feasibility, effectiveness and ability to disburse, "
                   "with their scores, stalled projects and the review of overlaps between "
                   "programmes."), build=_build_portfolio)
CAPITAL_PROPOSAL_REPORT = ReportSpec(
    key="capital-proposal", title=N_("Proposal to adjust the capital plan"),
    description=N_("The submission (tờ trình) proposing to move unspent capital from stalled "
                   "or low-priority projects to high-priority ones, as the what-if suggests."),
    build=_build_proposal)
