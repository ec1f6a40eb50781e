"""Reports of the projects area, as PDF (Nghị định 30/2020/NĐ-CP layout) and Excel.

* ``portfolio``: the investment project list ranked by priority with its scores, the overlap
  review, and (workbook) the criteria and the funding by source;
* ``capital-proposal``: tờ trình đề xuất điều chỉnh kế hoạch vốn from the what-if, with the
  total in words as a proposal to the parent unit asks.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ctmtqg_desktop.domain.formats import format_date, format_number, format_percent
from ctmtqg_desktop.domain.money import amount_in_words
from ctmtqg_desktop.i18n import N_, _, pgettext
from ctmtqg_desktop.reports.document import (
    Cell,
    Column,
    Document,
    Heading,
    Note,
    Sheet,
    Table,
    Total,
    write,
)
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
    flags = overlaps.detect(workspace)
    rows = portfolio(workspace, year=year, weights=weights, flags=flags)
    info = report_catalog.document_info(
        workspace, doc_type=pgettext("document type", "REPORT"),
        subject=_("Investment projects of the national target programmes in {year}, in order "
                  "of priority by feasibility, effectiveness and ability to disburse").format(
            year=str(year)), options=options)
    weight_text = _("Priority = weighted mean of the scores: feasibility {f}%, effectiveness "
                    "{e}%, ability to disburse {d}% of the weights.").format(
        f=_weight_share(weights, "feasibility"), e=_weight_share(weights, "effectiveness"),
        d=_weight_share(weights, "disbursement"))
    sheets = [Sheet(_("Project list"), [
        Note(weight_text), Heading(_("I. PROJECTS IN ORDER OF PRIORITY"), only="pdf"),
        _ranked_table(year, rows)])]
    sheets += _criteria_and_funding_sheets(workspace, rows)
    sheets.append(_overlap_sheet(flags))
    write(Document(info, sheets), fmt, out)


def _rank_text(row: PortfolioRow) -> str:
    return str(row.rank) if row.rank else "-"


def _ranked_table(year: int, rows: list[PortfolioRow]) -> Table:
    """The projects by rank; the PDF puts the village and stage after the name."""
    def score(title: str, pdf_title: str, weight: float) -> Column:
        return Column(title, "decimal", width=10, weight=weight, decimals=1,
                      pdf_title=pdf_title)

    columns = [Column(_("Rank"), width=7, weight=0.8, align="center"),
               Column(_("Project, work"), width=46, weight=5,
                      pdf_title=_("Project, work (village, stage)")),
               Column(_("Programme"), width=16, weight=1.6),
               Column(_("Village"), width=16, only="xlsx"),
               Column(_("Stage"), width=14, only="xlsx"),
               Column(_("Physical progress"), "percent", width=11, weight=1.2),
               Column(_("Capital {year}").format(year=str(year)), "money", width=15,
                      weight=1.9),
               Column(_("Disbursed"), "money", width=15, weight=1.9),
               Column(_("Rate"), "percent", width=10, weight=1.0),
               score(_("Feasibility"), pgettext("score column", "Feasibility"), 1.0),
               score(_("Effectiveness"), pgettext("score column", "Effectiveness"), 1.0),
               score(_("Ability to disburse"), pgettext("score column", "Disbursement"), 1.1),
               score(_("Priority"), pgettext("score column", "Priority"), 1.0),
               Column(_("Note"), width=40, weight=2.6)]
    return Table(columns, [[
        _rank_text(r),
        Cell(r.name, r.name + " (" + ", ".join(x for x in (r.village_name, r.stage_label) if x)
             + ")"),
        r.program_label, r.village_name, r.stage_label,
        Cell(r.physical_progress / 100, f"{r.physical_progress}%"), r.allocated_year,
        r.disbursed_year, r.rate_year, r.scores["feasibility"], r.scores["effectiveness"],
        r.scores["disbursement"], r.priority, _flag_note(r)] for r in rows], font_size=9)


def _criteria_and_funding_sheets(workspace: Workspace, rows: list[PortfolioRow]) -> list[Sheet]:
    columns = [Column(_("Project"), width=46), Column(_("Criterion group")),
               Column(_("Criterion"), width=50), Column(_("Points"), "int"),
               Column(_("Maximum"), "int"), Column(_("How it was scored"), width=60)]
    criteria = Table(columns, [[r.name, dimension_label(c.dimension), c.name, c.points,
                                c.max_points, c.explanation if c.auto else
                                (_("Scored by the officer") + (": " + c.note if c.note else ""))]
                               for r in rows for c in r.criteria])
    columns = [Column(_("Project"), width=46), Column(_("Capital source"), width=36),
               Column(_("Total investment"), "money"),
               Column(_("Allocated, all years"), "money")]
    source_names = {s.code: s.name for s in catalog.capital_sources(workspace)}
    funding = Table(columns, [[r.name, source_names.get(source, source), amount,
                               r.allocated_by_source.get(source, 0)]
                              for r in rows for source, amount in sorted(r.funding.items())])
    return [Sheet(_("Scoring criteria"), [criteria], only="xlsx", letterhead=True),
            Sheet(_("Funding by source"), [funding], only="xlsx", letterhead=True)]


def _overlap_sheet(flags: list[Any]) -> Sheet:
    """The pairs flagged: in the workbook each project in its columns, in the PDF a pair a
    row (or "None.")."""
    columns = [Column(_("Project"), width=40), Column(_("Programme")),
               Column(_("Project"), width=40), Column(_("Programme")),
               Column(_("Reason flagged"), width=60), Column(_("Review"), width=60)]
    # each pair's review, once for both tables ("not reviewed yet" translated once)
    not_reviewed = _("Not reviewed yet")
    reviews = [not_reviewed if f.decision is None else _decision_text(f) for f in flags]
    listed = Table(columns, [[f.first.name, f.first.program_label, f.second.name,
                              f.second.program_label, f.reason_text, review]
                             for f, review in zip(flags, reviews)], only="xlsx")
    pairs = Table([Column(_("Projects"), weight=5), Column(_("Reason flagged"), weight=4),
                   Column(_("Review"), weight=4)],
                  [[f"{f.first.name} ({f.first.program_label}) - {f.second.name} "
                    f"({f.second.program_label})", f.reason_text, review]
                   for f, review in zip(flags, reviews)], font_size=10, only="pdf")
    return Sheet(_("Overlap review"), [
        Heading(_("II. OVERLAPS BETWEEN PROGRAMMES"), only="pdf"), listed,
        pairs if flags else Note(_("None."), only="pdf")], letterhead=True)


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
    # a submission names the committees as they are on the day it is made (the letterhead's)
    on = options.issued_on or options.date or workspace.today()
    unit = report_catalog.unit_phrase(workspace, on=on)
    parent = report_catalog.parent_phrase(workspace, on=on) or _("the competent authority")
    info = report_catalog.document_info(
        workspace, doc_type=pgettext("document type", "SUBMISSION"),
        subject=_("Proposal to adjust the capital plan of {year} of the national target "
                  "programmes").format(year=str(year)), options=options, symbol="TTr-UBND")
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
    total_line = _("Total capital proposed for adjustment: {amount} đồng (in words: "
                   "{words}).").format(amount=_n(plan.total),
                                       words=amount_in_words(plan.total))
    closing = _("{unit} respectfully submits this to {parent} for consideration and "
                "decision./.").format(unit=unit, parent=parent)
    changes, moves = _proposal_tables(plan)
    write(Document(info, [
        Sheet(_("Adjustment proposal"), [
            Note(_("To: {parent}").format(parent=parent), italic=False, indent=False),
            *[Note(text, italic=True) for text in grounds], Note(body, italic=False),
            Heading(_("I. ADJUSTMENT BY PROJECT (đồng)"), only="pdf"), changes,
            Note(total_line, italic=False, only="xlsx"), Note(closing, italic=False,
                                                              only="xlsx")]),
        Sheet(_("Moves by line"), [
            Heading(_("II. MOVES BY CAPITAL PLAN LINE (đồng)"), only="pdf"), moves,
            Note(total_line, only="pdf"), Note(closing, only="pdf")], letterhead=True)]),
        fmt, out)
    return Path(out)


def _proposal_tables(plan: AdjustmentPlan) -> tuple[Table, Table]:
    """The changes by project and the moves by capital plan line, each with its total."""
    def number(title: str) -> Column:
        return Column(title, "int", width=6, weight=0.85, align="center", grouped=False)

    columns = [number(_("No.")), Column(_("Project, work"), width=46, weight=4.2),
               Column(_("Programme"), width=16, weight=1.6),
               Column(_("Rank"), width=8, weight=0.9, align="center"),
               Column(_("Capital allocated in {year}").format(year=str(plan.year)), "money",
                      width=16, weight=1.7),
               Column(_("Decrease"), "money", width=16, weight=1.6),
               Column(_("Increase"), "money", width=16, weight=1.6),
               Column(_("After adjustment"), "money", width=16, weight=1.7),
               Column(_("Reason"), width=50, weight=3.2)]
    changes = Table(columns, [[i, c.name, c.program_label, str(c.rank or "-"), c.before,
                               Cell(c.decrease, _n(c.decrease) if c.decrease else ""),
                               Cell(c.increase, _n(c.increase) if c.increase else ""),
                               c.after, c.reason] for i, c in enumerate(plan.changes, 1)]
                    + [Total(["", _("Total"), "", "", sum(c.before for c in plan.changes),
                              sum(c.decrease for c in plan.changes),
                              sum(c.increase for c in plan.changes),
                              sum(c.after for c in plan.changes), ""])], font_size=10)
    columns = [number(_("No.")), Column(_("Capital plan line"), width=50, weight=4),
               Column(_("Move from"), width=46, weight=4), Column(_("To"), width=46, weight=4),
               Column(_("Amount (đồng)"), "money", weight=1.7)]
    moves = Table(columns, [[i, m.line_label, m.from_name, m.to_name, m.amount]
                            for i, m in enumerate(plan.moves, 1)]
                  + [Total(["", _("Total"), "", "", plan.total])], font_size=10)
    return changes, moves


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
