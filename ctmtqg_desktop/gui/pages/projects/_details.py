"""The projects page's detail pane: the project chosen, its scores by criterion, its funding by
source and its overlap flags."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ctmtqg_desktop.domain.formats import format_number
from ctmtqg_desktop.gui.lazy_table import LATE_COLOR
from ctmtqg_desktop.gui.pages.projects._form import ProjectForm
from ctmtqg_desktop.gui.palette import NOTICE_STYLE
from ctmtqg_desktop.gui.tables import (
    RIGHT,
    Cell,
    StateTable,
    money,
)
from ctmtqg_desktop.gui.widgets import MoneyEdit
from ctmtqg_desktop.i18n import _
from ctmtqg_desktop.services import projects

if TYPE_CHECKING:
    from ctmtqg_desktop.gui.pages.projects._page import ProjectsPage


def _build_details(page: ProjectsPage) -> QWidget:
    panel = QWidget(objectName="sidePanel")
    layout = QVBoxLayout(panel)
    layout.setContentsMargins(10, 8, 10, 8)
    page.detail_title = QLabel(objectName="cardTitle", wordWrap=True)
    page.detail_line = QLabel(objectName="muted", wordWrap=True)
    page.overlap_notice = QLabel(wordWrap=True)
    page.overlap_notice.setStyleSheet(NOTICE_STYLE)
    page.overlap_notice.hide()
    page.stalled_notice = QLabel(wordWrap=True)
    page.stalled_notice.setStyleSheet(f"color: {LATE_COLOR.name()};")
    page.stalled_notice.hide()
    for widget in (page.detail_title, page.detail_line, page.overlap_notice,
                   page.stalled_notice):
        layout.addWidget(widget)
    page.detail_tabs = QTabWidget()
    # the pane is never narrower than its four tabs (the splitter keeps the minimum)
    page.detail_tabs.setUsesScrollButtons(False)
    page.form = ProjectForm(page)
    page.detail_tabs.addTab(page.form, "")
    score_tab = QWidget()
    score_layout = QVBoxLayout(score_tab)
    score_layout.setContentsMargins(4, 4, 4, 4)
    page.score_summary = QLabel(wordWrap=True)
    score_layout.addWidget(page.score_summary)
    page.score_table = StateTable(stretch=0, wrap_headers=False)
    page.score_table.setWordWrap(True)
    page.score_table.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
    score_layout.addWidget(page.score_table, 1)
    page.save_scores_button = QPushButton()
    page.save_scores_button.clicked.connect(page.save_scores)
    score_layout.addWidget(page.save_scores_button, 0, Qt.AlignLeft)
    page.detail_tabs.addTab(score_tab, "")
    funding_tab = QWidget()
    funding_layout = QVBoxLayout(funding_tab)
    funding_layout.setContentsMargins(4, 4, 4, 4)
    page.funding_note = QLabel(wordWrap=True, objectName="muted")
    funding_layout.addWidget(page.funding_note)
    page.funding_table = StateTable(stretch=0)
    funding_layout.addWidget(page.funding_table, 1)
    page.save_funding_button = QPushButton()
    page.save_funding_button.clicked.connect(page.save_funding)
    funding_layout.addWidget(page.save_funding_button, 0, Qt.AlignLeft)
    page.detail_tabs.addTab(funding_tab, "")
    overlap_tab = QWidget()
    overlap_layout = QVBoxLayout(overlap_tab)
    overlap_layout.setContentsMargins(4, 4, 4, 4)
    page.project_flags = StateTable(stretch=1)
    page.project_flags.setWordWrap(True)
    overlap_layout.addWidget(page.project_flags, 1)
    row = QHBoxLayout()
    page.not_overlap_button = QPushButton()
    page.reopen_button = QPushButton()
    page.not_overlap_button.clicked.connect(
        lambda: page.review_overlap(page.project_flags.current_key()))
    page.reopen_button.clicked.connect(
        lambda: page.reopen_overlap(page.project_flags.current_key()))
    row.addWidget(page.not_overlap_button)
    row.addWidget(page.reopen_button)
    row.addStretch(1)
    overlap_layout.addLayout(row)
    page.detail_tabs.addTab(overlap_tab, "")
    page.detail_tabs.setMinimumHeight(120)
    for table in (page.score_table, page.funding_table, page.project_flags):
        table.setMinimumHeight(50)
    layout.addWidget(page.detail_tabs, 1)
    page.funding_edits = {}
    page.score_edits = {}
    return panel


# -- details ------------------------------------------------------------------------
def _show(page: ProjectsPage, row: projects.PortfolioRow | None) -> None:
    page.current = row
    if row is None:
        return
    page.detail_title.setText(row.name)
    rank = _("rank {rank} of {count}").format(rank=row.rank, count=row.ranked_count) \
        if row.rank else _("not ranked (settled)")
    if row.history_of:  # a predecessor's project: history, read-only (the service refuses)
        rank = _("history of {unit} before the merger, read-only").format(unit=row.history_of)
    for button in (page.form.save_button, page.save_scores_button, page.save_funding_button):
        button.setEnabled(not row.history_of)
    page.detail_line.setText(" · ".join(x for x in (
        row.program_label, row.village_name, row.stage_label,
        _("progress {progress}%").format(progress=row.physical_progress), rank) if x))
    open_flags = [f for f in page.flags if f.is_open and row.id in (f.first.id,
                                                                     f.second.id)]
    if open_flags:
        page.overlap_notice.setText(_("Possible overlap with another programme:") + " " +
                                    " ".join(_("{project} ({program}): {reasons}").format(
                                        project=f.other(row.id).name,
                                        program=f.other(row.id).program_label,
                                        reasons=f.reason_text) for f in open_flags))
    page.overlap_notice.setVisible(bool(open_flags))
    page.stalled_notice.setText(_("Stalled: {reason}").format(reason=row.stalled_reason))
    page.stalled_notice.setVisible(row.stalled)
    workspace = page.workspace
    page.context.runner.run(lambda: projects.get_project(workspace, row.id),
                            on_done=page.form.show_project, on_error=page._failed)
    page._show_scores(row)
    page._show_funding(row)
    page._show_flags(row)


def _show_scores(page: ProjectsPage, row: projects.PortfolioRow) -> None:
    page.score_summary.setText(_("Feasibility {f}, effectiveness {e}, ability to disburse "
                                 "{d} (of 100): priority {p}.").format(
        f=_score(row.scores["feasibility"]), e=_score(row.scores["effectiveness"]),
        d=_score(row.scores["disbursement"]), p=_score(row.priority)))
    criteria = list(row.criteria)
    table_rows, keys, spans = [], [], []
    for dimension in ("feasibility", "effectiveness", "disbursement"):
        spans.append(len(table_rows))
        table_rows.append([Cell(projects.dimension_label(dimension) + ": "
                                + _score(row.scores[dimension])), Cell("")])
        keys.append(None)
        for c in (c for c in criteria if c.dimension == dimension):
            how = c.explanation if c.auto else (c.note or _("scored by the officer"))
            table_rows.append([Cell(c.name + "\n" + how, tooltip=c.help),
                               Cell(f"{c.points}/{c.max_points}", RIGHT)])
            keys.append(c.code)
    page.score_table.fill([_("Criterion and how it was scored"), _("Points")], table_rows,
                          keys=keys)
    bold = page.score_table.font()
    bold.setBold(True)
    for index in spans:
        page.score_table.setSpan(index, 0, 1, 2)
        page.score_table.item(index, 0).setFont(bold)
    page.score_edits = {}
    for index, code in enumerate(keys):
        criterion = next((c for c in criteria if c.code == code), None)
        if criterion is None or criterion.auto:
            continue
        edit = QSpinBox(minimum=0, maximum=criterion.max_points,
                        suffix=f"/{criterion.max_points}")
        edit.setValue(criterion.points)
        edit.setAccessibleName(criterion.name)
        page.score_table.setCellWidget(index, 1, edit)
        page.score_edits[criterion.code] = edit
    page.score_table.horizontalHeader().setSectionResizeMode(1, QHeaderView.Fixed)
    page.score_table.setColumnWidth(1, 76)
    page.score_table.resizeRowsToContents()


def _show_funding(page: ProjectsPage, row: projects.PortfolioRow) -> None:
    names = {s.code: s.name for s in page.meta.get("sources", [])}
    used = list(dict.fromkeys(list(row.funding) + list(row.allocated_by_source)))
    shown = used + [code for code in names if code not in used]
    page.funding_table.fill(
        [_("Capital source"), _("Total investment"), _("Allocated, all years")],
        [[Cell(names.get(code, code)), Cell(""),
          Cell(money(row.allocated_by_source.get(code, 0)), RIGHT)] for code in shown],
        keys=shown)
    page.funding_edits = {}
    for index, code in enumerate(shown):
        edit = MoneyEdit()
        edit.setValue(row.funding.get(code) or None)
        edit.setAccessibleName(names.get(code, code))
        page.funding_table.setCellWidget(index, 1, edit)
        page.funding_edits[code] = edit
    page.funding_table.horizontalHeader().setSectionResizeMode(1, QHeaderView.Fixed)
    page.funding_table.setColumnWidth(1, 130)


def _show_flags(page: ProjectsPage, row: projects.PortfolioRow) -> None:
    mine = [f for f in page.flags if row.id in (f.first.id, f.second.id)]
    page.project_flags.fill(
        [_("Other project"), _("Reason flagged"), _("Review")],
        [[Cell(f.other(row.id).name + " (" + f.other(row.id).program_label + ")"),
          Cell(f.reason_text, tooltip=f.reason_text),
          Cell(_("open") if f.is_open else _("not an overlap: {reason}").format(
              reason=f.decision.reason), tooltip=f.decision.reason if f.decision else "")]
         for f in mine],
        keys=[(f.first.id, f.second.id) for f in mine],
        states=["due_soon" if f.is_open else "normal" for f in mine])
    page.project_flags.cap_columns({0: 130, 2: 110})
    if mine:
        page.project_flags.selectRow(0)


def _score(value: float) -> str:
    return format_number(value, decimals=1)
