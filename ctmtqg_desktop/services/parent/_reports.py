"""Báo cáo tổng hợp of the parent unit: the board as a document, one row per child unit and
a total row, in five parts (tasks, capital, dossiers, difficulties, activities) — Excel with
one sheet per part, PDF (A4 landscape) with one table per part, under the parent unit's letterhead
(Nghị định 30/2020/NĐ-CP).

``ctmtqg report board --format xlsx|pdf [--date dd/mm/yyyy] [--year YYYY]``: the date
decides which units are the children (after a merge, the new unit once, with its
predecessors' records) and which payments, difficulties and activities count (those held up
to the date); the year is the plan year of the capital and the activities (default: the
year of the date).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from ctmtqg_desktop.domain.formats import format_date, format_percent
from ctmtqg_desktop.i18n import N_, _, pgettext
from ctmtqg_desktop.reports.document import Column as DocColumn
from ctmtqg_desktop.reports.document import Document, Heading, Note, Sheet, Table, Total, write
from ctmtqg_desktop.services import catalog, report_catalog
from ctmtqg_desktop.services.activities import kind_label
from ctmtqg_desktop.services.parent import _board as parent_board
from ctmtqg_desktop.services.parent._board import ACTIVITY_FIELDS, Board, BoardRow
from ctmtqg_desktop.services.report_catalog import ReportOptions, ReportSpec
from ctmtqg_desktop.store.workspace import Workspace


@dataclass(frozen=True)
class Column:
    title: str
    #: int, money, percent or text
    kind: str
    value: Callable[[BoardRow], object]
    weight: float = 1.2


def _ratio(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


def _kind_column(kind: str) -> Column:
    # a function, so that each column keeps its own kind (not the loop's last)
    return Column(kind_label(kind), "int", lambda r: r.activities_of(kind), 1.2)


def parts(board: Board) -> list[tuple[str, str, list[Column]]]:
    """(sheet name, heading, columns) of each part of the report."""
    return [
        (_("Tasks"), _("I. TASKS ASSIGNED AND THEIR PROGRESS"), [
            Column(_("Tasks"), "int", lambda r: r.tasks_total),
            Column(_("Done"), "int", lambda r: r.tasks_done),
            Column(_("Done (%)"), "percent", lambda r: _ratio(r.tasks_done, r.tasks_total)),
            Column(_("Overdue"), "int", lambda r: r.tasks_overdue),
            Column(_("Last package received"), "text",
                   lambda r: format_date(r.last_report_at.date()) if r.last_report_at
                   else _("never"), 1.4),
        ]),
        (_("Capital"), _("II. CAPITAL OF {year}: ASSIGNED, ALLOCATED, DISBURSED").format(
            year=board.year), [
            Column(_("Assigned (đồng)"), "money", lambda r: r.assigned, 1.8),
            Column(_("Allocated in detail (đồng)"), "money", lambda r: r.allocated, 1.8),
            Column(_("Disbursed (đồng)"), "money", lambda r: r.disbursed, 1.8),
            Column(_("Disbursement rate"), "percent", lambda r: r.rate),
            Column(_("Against the on-track line ({share})").format(
                share=format_percent(board.on_track)), "percent",
                lambda r: None if r.rate is None else r.rate - board.on_track, 1.4),
        ]),
        (_("Dossiers"), _("III. DOSSIERS OF THE PROJECTS"), [
            Column(_("Dossiers"), "int", lambda r: r.dossiers),
            Column(_("Complete"), "int", lambda r: r.dossiers_complete),
            Column(_("Required documents"), "int", lambda r: r.documents_required),
            Column(_("Documents done"), "int", lambda r: r.documents_done),
            Column(_("Completeness"), "percent", lambda r: r.dossier_ratio),
        ]),
        (_("Difficulties"), _("IV. DIFFICULTIES AND PROPOSALS"), [
            Column(_("Not resolved"), "int", lambda r: r.difficulties_open),
            Column(_("Without an answer"), "int", lambda r: r.difficulties_unanswered),
            Column(_("Sent down"), "int", lambda r: r.sent_down),
            Column(_("Acknowledged by the unit"), "int", lambda r: r.acknowledged, 1.4),
        ]),
        (_("Activities"), _("V. ACTIVITIES OF {year}: COMMUNICATION, TRAINING, INSPECTION AND "
                            "SUPERVISION").format(year=board.year), [
            *[_kind_column(kind) for kind in ACTIVITY_FIELDS],
            Column(_("All activities"), "int", lambda r: r.activities, 1.1),
            Column(_("Participants"), "int", lambda r: r.activity_participants, 1.1),
            Column(_("Of whom women"), "int", lambda r: r.activity_women, 1.1),
            Column(_("Of whom ethnic-minority people"), "int", lambda r: r.activity_ethnic,
                   1.5),
        ]),
    ]


def _build(workspace: Workspace, fmt: str, out: Path, options: ReportOptions) -> None:
    day = options.date or workspace.today()
    board = parent_board.compute(workspace, on=day, year=options.year)
    unit = catalog.get_unit(workspace, workspace.installation().unit_id, on=day)  # its kind then
    info = report_catalog.document_info(
        workspace, doc_type=pgettext("document type", "REPORT"),
        subject=_("Implementation of the national target programmes by the child units of "
                  "{unit}, up to {date}").format(
            unit=catalog.unit_kind_label(unit.kind) + " " + unit.name,
            date=format_date(day)),
        options=options)
    intro = _("Figures from the packages received from {count} child units; the capital of "
              "{year} (on-track line on {date}: {share} of the year passed).").format(
        count=len(board.rows), year=board.year, date=format_date(day),
        share=format_percent(board.on_track))
    sheets = [Sheet(name, [Heading(heading), Note(intro, only="xlsx"), _table(board, columns)],
                    letterhead=True, signature=True)
              for name, heading, columns in parts(board)]
    # the PDF says where the figures come from once, above the first part
    sheets[0] = replace(sheets[0], parts=[Note(intro, only="pdf"), *sheets[0].parts])
    write(Document(info, sheets), fmt, out)


def _table(board: Board, columns: list[Column]) -> Table:
    """One row per child unit and the total; the workbook also has the unit's code."""
    head = [DocColumn(_("No."), "int", width=6, weight=0.7, align="center", grouped=False),
            DocColumn(_("Unit"), width=28, weight=2.6),
            DocColumn(_("Code"), width=16, only="xlsx")]
    head += [DocColumn(c.title, c.kind, width=max(14, 8 * c.weight), weight=c.weight)
             for c in columns]
    body: list = [[index, row.name, row.unit_id] + [c.value(row) for c in columns]
                  for index, row in enumerate(board.rows, 1)]
    body.append(Total(["", _("Total"), ""] + [c.value(board.total) for c in columns]))
    return Table(head, body, font_size=10)


BOARD_REPORT = ReportSpec(
    key="board", title=N_("Consolidated report of the child units"),
    description=N_("Tasks, capital, dossiers, difficulties and activities of every child "
                   "unit, one row per unit and a total, from the packages received."),
    build=_build, roles=("parent",))
