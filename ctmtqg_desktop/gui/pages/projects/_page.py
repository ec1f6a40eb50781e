"""Dự án, công trình: the project portfolio with scores, rank and filters, weights the user can
change, the project's details beside the list (its record, scores, funding and overlap
warnings), the what-if of capital adjustment and the overlap review."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ctmtqg_desktop.domain.text import fold
from ctmtqg_desktop.gui.lazy_table import LazyColumn, LazyTableModel
from ctmtqg_desktop.gui.pages.base import WorkingPage
from ctmtqg_desktop.gui.pages.projects import _details as details
from ctmtqg_desktop.gui.pages.projects._details import _score
from ctmtqg_desktop.gui.pages.projects._dialogs import NotOverlapDialog
from ctmtqg_desktop.gui.pages.projects._review import OverlapsTab, WhatIfTab
from ctmtqg_desktop.gui.tables import (
    CENTER,
    RIGHT,
    fit_columns,
    money,
    rate,
    row_view,
    short_program,
)
from ctmtqg_desktop.gui.widgets import select_data
from ctmtqg_desktop.i18n import _, pgettext
from ctmtqg_desktop.services import capital, catalog, projects, report_catalog, villages
from ctmtqg_desktop.store.models.projects import PROJECT_STAGES

if TYPE_CHECKING:
    from ctmtqg_desktop.gui.pages.projects._form import ProjectForm
    from ctmtqg_desktop.gui.tables import StateTable
    from ctmtqg_desktop.gui.widgets import MoneyEdit


def warning_words() -> list[str]:
    """Every warning the list can show, one short phrase each (for the column's width)."""
    return [_("stalled"), _("overlap?")]


def warning_text(row: projects.PortfolioRow) -> str:
    """The row's warnings, one a line (the rows have two lines; the column is as wide as
    the widest single warning)."""
    stalled, overlap = warning_words()
    parts = []
    if row.stalled:
        parts.append(stalled)
    if row.overlaps_open:
        parts.append(overlap)
    return "\n".join(parts)


class PortfolioSource:
    """The ranked projects for :class:`LazyTableModel`. Rows are computed in the background
    (scores need every project's figures); the filters and the sort work on them."""

    SORT = {
        "rank": lambda r: (r.rank is None, r.rank or 0),
        "name": lambda r: fold(r.name),
        "program": lambda r: r.program_label,
        "rate": lambda r: -1 if r.rate_year is None else r.rate_year,
        "feasibility": lambda r: r.scores["feasibility"],
        "effectiveness": lambda r: r.scores["effectiveness"],
        "disbursement": lambda r: r.scores["disbursement"],
        "priority": lambda r: r.priority,
        "warnings": lambda r: (r.stalled, r.overlaps_open),
    }

    def __init__(self) -> None:
        self.rows_by_id: dict[uuid.UUID, projects.PortfolioRow] = {}
        self.ordered: list[projects.PortfolioRow] = []
        self.columns: list[LazyColumn] = []
        self.retranslate()

    def retranslate(self) -> None:
        def state(row):
            return row.state

        self.columns = [
            LazyColumn(_("Rank"), lambda r: str(r.rank) if r.rank else "-", "rank", CENTER,
                       state=state),
            LazyColumn(_("Project, work"), lambda r: r.name, "name", state=state,
                       tooltip=lambda r: f"{r.name}\n{r.village_name} · {r.stage_label}"),
            LazyColumn(_("Programme"), lambda r: short_program(r.program_label), "program",
                       state=state),
            LazyColumn(_("Rate"), lambda r: rate(r.rate_year), "rate", RIGHT, state=state,
                       tooltip=lambda r: _("{disbursed} of {allocated} đồng of the year").format(
                           disbursed=money(r.disbursed_year), allocated=money(r.allocated_year))),
            LazyColumn(pgettext("score column", "Feasibility"),
                       lambda r: _score(r.scores["feasibility"]), "feasibility", RIGHT,
                       state=state),
            LazyColumn(pgettext("score column", "Effectiveness"),
                       lambda r: _score(r.scores["effectiveness"]), "effectiveness", RIGHT,
                       state=state),
            LazyColumn(pgettext("score column", "Disbursement"),
                       lambda r: _score(r.scores["disbursement"]), "disbursement", RIGHT,
                       state=state),
            LazyColumn(pgettext("score column", "Priority"), lambda r: _score(r.priority),
                       "priority", RIGHT, state=state),
            LazyColumn(_("Warnings"), warning_text, "warnings", state=state,
                       tooltip=lambda r: "\n".join(
                           part for part in (r.stalled_reason, warning_text(r)) if part)),
        ]

    def set_rows(self, rows: list[projects.PortfolioRow]) -> None:
        self.ordered = list(rows)
        self.rows_by_id = {r.id: r for r in rows}

    def ids(self, query: dict, sort_key: str | None, descending: bool) -> list:
        rows = projects.filter_rows(self.ordered, text=query.get("text", ""),
                                     program_id=query.get("program_id"),
                                     stage=query.get("stage"), kind=query.get("kind"),
                                     only_warnings=bool(query.get("only_warnings")))
        if sort_key in self.SORT:
            rows = sorted(rows, key=self.SORT[sort_key], reverse=descending)
        return [r.id for r in rows]

    def rows(self, ids: list) -> dict:
        return {i: self.rows_by_id[i] for i in ids if i in self.rows_by_id}


class ProjectsPage(WorkingPage):
    """Dự án, công trình: the ranked projects with their filters and weights, the detail pane
    (functions over the page in ``_details``, bound below), the overlaps and what-if tabs
    (``_review``) and the project form (``_form``)."""

    # widgets the functions of the page's other modules create (see their modules)
    detail_line: QLabel
    detail_tabs: QTabWidget
    detail_title: QLabel
    form: ProjectForm
    funding_edits: dict[str, MoneyEdit]
    funding_note: QLabel
    funding_table: StateTable
    not_overlap_button: QPushButton
    overlap_notice: QLabel
    project_flags: StateTable
    reopen_button: QPushButton
    save_funding_button: QPushButton
    save_scores_button: QPushButton
    score_edits: dict[str, QSpinBox]
    score_summary: QLabel
    score_table: StateTable
    stalled_notice: QLabel

    def build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 8)
        layout.setSpacing(6)
        self.add_header(layout)
        self.tabs = QTabWidget()
        self.tabs.addTab(self._build_portfolio(), "")
        self.what_if = WhatIfTab(self)
        self.overlap_tab = OverlapsTab(self)
        self.tabs.addTab(self.what_if, "")
        self.tabs.addTab(self.overlap_tab, "")
        self.tabs.currentChanged.connect(self._tab_changed)
        layout.addWidget(self.tabs, 1)
        self.add_footer(layout)
        self.loaded = False
        self.meta: dict = {}
        self.rows: list[projects.PortfolioRow] = []
        self.current: projects.PortfolioRow | None = None
        self.flags: list[projects.OverlapFlag] = []
        #: the rows the list's model was last loaded with (None: never)
        self.model_rows: list[projects.PortfolioRow] | None = None

    # -- portfolio tab ------------------------------------------------------------------
    def _build_portfolio(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.setContentsMargins(8, 8, 8, 8)
        bar = QHBoxLayout()
        self.search = QLineEdit(clearButtonEnabled=True)
        self.program = QComboBox()
        self.stage = QComboBox()
        self.kind = QComboBox()
        for combo, length in ((self.program, 15), (self.stage, 13), (self.kind, 10)):
            combo.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(length)
        self.only_warnings = QCheckBox()
        self.year = QComboBox()
        self.add_button = QPushButton(objectName="primary")
        self.add_button.clicked.connect(self.new_project)
        self.export_button = QPushButton()
        self.export_button.clicked.connect(self._export_clicked)
        bar.addWidget(self.search, 1)
        for widget in (self.program, self.stage, self.kind, self.only_warnings, self.year,
                       self.add_button):
            bar.addWidget(widget)
        layout.addLayout(bar)
        weights = QHBoxLayout()
        self.weights_label = QLabel()
        weights.addWidget(self.weights_label)
        self.weight_edits: dict[str, QSpinBox] = {}
        for dim in ("feasibility", "effectiveness", "disbursement"):
            edit = QSpinBox(minimum=0, maximum=100)
            edit.valueChanged.connect(self._weights_changed)
            self.weight_edits[dim] = edit
            weights.addWidget(edit)
        self.save_weights_button = QPushButton()
        self.save_weights_button.clicked.connect(self.save_weights)
        weights.addWidget(self.save_weights_button)
        weights.addStretch(1)
        weights.addWidget(self.export_button)
        layout.addLayout(weights)
        for widget in (self.program, self.stage, self.kind, self.year):
            widget.currentIndexChanged.connect(self._filters_changed)
        self.only_warnings.toggled.connect(self._filters_changed)
        self.search.textChanged.connect(self._filters_changed)

        splitter = QSplitter()
        self.source = PortfolioSource()
        self.model = LazyTableModel(self.source, self)
        self.view = row_view(QTableView(), self.model, sort=(0, Qt.AscendingOrder), wrap=True,
                             row_height=26)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.view.setTextElideMode(Qt.ElideRight)
        self.view.selectionModel().currentRowChanged.connect(self._row_chosen)
        splitter.addWidget(self.view)
        splitter.addWidget(self._build_details())
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 1)
        # the record form (labels above the fields, choices on as many lines as they need)
        # readable beside the list, the list's names with the rest of the room
        splitter.setSizes([740, 350])
        layout.addWidget(splitter, 1)
        return tab

    def _fit_columns(self) -> None:
        """Rows of two lines: a project's name wraps onto the second line (at 1366x768 one
        line showed about four words; a longer name ends in "…" and is whole in its
        tooltip). The warnings column is as wide as its widest single warning ("chậm giải
        ngân"; two warnings take a line each), so that the name keeps the room the figures
        leave."""
        header = self.view.horizontalHeader()
        words = self.view.fontMetrics()
        self.view.verticalHeader().setDefaultSectionSize(words.lineSpacing() * 2 + 10)
        last = len(self.source.columns) - 1
        if last > 1 and header.count() > last:
            header.setSectionResizeMode(last, QHeaderView.Interactive)
            header.resizeSection(last, max(
                [header.fontMetrics().horizontalAdvance(_("Warnings"))]
                + [words.horizontalAdvance(word) for word in warning_words()]) + 14)

    # the detail pane (_details.py)
    _build_details = details._build_details
    _show = details._show
    _show_scores = details._show_scores
    _show_funding = details._show_funding
    _show_flags = details._show_flags

    def retranslate(self) -> None:
        self.title.setText(_("Projects and works"))
        self.subtitle.setText(_("Investment projects and activities ranked by feasibility, "
                                "effectiveness and ability to disburse; overlaps between "
                                "programmes; moving unspent capital to the best projects."))
        for index, text in enumerate((_("Project list and priority"),
                                      _("Capital adjustment (what-if)"),
                                      _("Overlap review"))):
            self.tabs.setTabText(index, text)
        self.search.setPlaceholderText(_("Search project, village (diacritics optional)…"))
        self.only_warnings.setText(_("Needs attention"))
        self.add_button.setText(_("Add a project…"))
        self.export_button.setText(_("Export to Excel…"))
        self.weights_label.setText(_("Weights of the rank:"))
        self.weights_label.setBuddy(self.weight_edits["feasibility"])
        for dim, edit in self.weight_edits.items():
            edit.setPrefix(projects.dimension_label(dim) + ": ")
            edit.setAccessibleName(projects.dimension_label(dim))
        self.weights_label.setToolTip(_("The priority is the weighted mean of the three "
                                        "scores; the rank changes as you change the weights."))
        self.save_weights_button.setText(_("Keep these weights"))
        for edit in self.weight_edits.values():
            edit.setToolTip(_("The rank changes as you change the weights."))
        for index, text in enumerate((_("Record"), _("Scores"), _("Funding"), _("Overlaps"))):
            self.detail_tabs.setTabText(index, text)
        self.save_scores_button.setText(_("Save the scores"))
        self.funding_note.setText(_("Total investment by source (as approved), and what the "
                                    "capital plan lines have allocated so far."))
        self.save_funding_button.setText(_("Save the funding"))
        self.not_overlap_button.setText(_("Not an overlap…"))
        self.reopen_button.setText(_("Review again"))
        self.form.retranslate()
        self.source.retranslate()
        self.what_if.retranslate()
        self.overlap_tab.retranslate()

    # -- loading ------------------------------------------------------------------------
    def activate(self) -> None:
        if self.loaded:
            self.refresh()
            return
        workspace = self.workspace
        self.loading = True

        def load():
            return dict(programs=catalog.programs(workspace),
                        period_years=catalog.period_years(workspace),
                        kinds=catalog.project_kinds(workspace),
                        villages=villages.list_villages(workspace, history=True),
                        components=catalog.component_choices(workspace),
                        years=capital.plan_years(workspace), today=workspace.today(),
                        sources=catalog.capital_sources(workspace),
                        weights=projects.get_weights(workspace))

        self.context.runner.run(load, on_done=self._meta_loaded, on_error=self._failed)

    def _meta_loaded(self, meta: dict) -> None:
        self.meta = meta
        combos = ((self.program, _("All programmes"),
                   [(p.abbreviation, p.id) for p in meta["programs"]]),
                  (self.stage, _("All stages"),
                   [(projects.stage_label(s), s) for s in PROJECT_STAGES]),
                  (self.kind, _("All kinds"), [(k.name, k.code) for k in meta["kinds"]]))
        for combo, everything, items in combos:
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(everything, None)
            for text, key in items:
                combo.addItem(text, key)
            combo.blockSignals(False)
        self.year.blockSignals(True)
        self.year.clear()
        for year in meta["years"]:
            self.year.addItem(str(year), year)
        select_data(self.year, meta["today"].year)
        self.year.blockSignals(False)
        for dim, edit in self.weight_edits.items():
            edit.blockSignals(True)
            edit.setValue(meta["weights"][dim])
            edit.blockSignals(False)
        self.form.load_choices(meta)
        self.what_if.load_years(meta["years"], meta["today"].year)
        self.loaded = True
        self.refresh()

    def weights(self) -> dict[str, int]:
        return {dim: edit.value() for dim, edit in self.weight_edits.items()}

    def refresh(self) -> None:
        index = self.tabs.currentIndex()
        if index == 0:
            self.load_portfolio()
        elif index == 1:
            self.what_if.activate()
        else:
            self.overlap_tab.load()

    def _tab_changed(self, _index: int) -> None:
        if self.loaded:
            self.refresh()

    def load_portfolio(self) -> None:
        workspace = self.workspace
        year = self.year.currentData()
        weights = self.weights()
        if sum(weights.values()) == 0:
            self.show_message(_("At least one weight must be above 0."), "due_soon")
            return
        self.loading = True

        def load():
            return projects.portfolio_and_flags(workspace, year=year, weights=weights)

        self.context.runner.run(load, on_done=self._portfolio_loaded, on_error=self._failed)

    def _portfolio_loaded(self, result) -> None:
        rows, flags = result
        # the same rows as the list shows (a visit with nothing written meanwhile: the
        # service keeps them): the list stays as it is, filtered, sorted and sized
        unchanged = self.model_rows is not None and rows == self.model_rows
        self.rows = rows
        self.flags = flags
        selected = self.current.id if self.current else None
        if not unchanged:
            self.source.set_rows(rows)
            self.model_rows = rows
            self._reload_model()
        row = self.model.row_of(selected) if selected else -1
        if row < 0 and self.model.rowCount():
            row = 0
        if row >= 0:
            self.view.selectRow(row)
            self._show(self.model.row_object(row))
        self.loading = False

    def _reload_model(self) -> None:
        self.model.reload({"text": self.search.text(), "program_id": self.program.currentData(),
                           "stage": self.stage.currentData(), "kind": self.kind.currentData(),
                           "only_warnings": self.only_warnings.isChecked()})
        fit_columns(self.view, 1)
        self._fit_columns()

    def _filters_changed(self, *_args) -> None:
        if not self.loaded:
            return
        if self.sender() is self.year:
            self.load_portfolio()
        else:
            self._reload_model()

    def _weights_changed(self, *_args) -> None:
        if self.loaded:
            self.load_portfolio()

    def save_weights(self) -> None:
        workspace = self.workspace
        weights = self.weights()
        self.context.runner.run(lambda: projects.set_weights(workspace, weights),
                                on_done=lambda _r: self.show_message(
                                    _("The weights were kept for this workspace.")),
                                on_error=self._failed)

    def _row_chosen(self, current, _previous=None) -> None:
        row = self.model.row_object(current.row()) if current.isValid() else None
        if row is not None:
            self._show(row)

    # -- writes -------------------------------------------------------------------------
    def _run(self, work, done_text: str) -> None:
        def done(_result) -> None:
            self.show_message(done_text)
            self.refresh()

        self.work(work, done)

    def new_project(self) -> None:
        self.tabs.setCurrentIndex(0)
        self.current = None
        self.view.clearSelection()
        self.detail_title.setText(_("New project"))
        self.detail_line.setText(_("Fill in the record, then save (Ctrl+S)."))
        self.overlap_notice.hide()
        self.stalled_notice.hide()
        self.form.show_project(None)
        self.form.save_button.setEnabled(True)  # after a read-only (history) project
        self.detail_tabs.setCurrentIndex(0)
        self.form.name.setFocus()

    def save_project(self, project_id: uuid.UUID | None, values: dict,
                     draft: str | None = None) -> None:
        workspace = self.workspace

        def done(info) -> None:
            self.form.drafts.saved(draft)  # the typing is saved: its draft has served
            self.show_message(_("The project was saved."))
            self.current = next((r for r in self.rows if r.id == info.id), None) or \
                _Placeholder(info.id)
            self.refresh()

        self.work(lambda: projects.save_project(workspace, project_id=project_id, **values),
                  done)

    def save_scores(self) -> None:
        row = self.current
        if row is None:
            return
        workspace = self.workspace
        points = {code: edit.value() for code, edit in self.score_edits.items()}
        notes = {c.code: c.note for c in row.criteria}

        self._run(lambda: projects.set_scores(
            workspace, row.id, {code: (value, notes.get(code, ""))
                                for code, value in points.items()}),
            _("The scores were saved."))

    def save_funding(self) -> None:
        row = self.current
        if row is None:
            return
        amounts = {}
        for code, edit in self.funding_edits.items():
            if edit.error():
                self.show_message(edit.error(), "late")
                edit.setFocus()
                return
            amounts[code] = edit.value() or 0
        workspace = self.workspace
        self._run(lambda: projects.set_funding(workspace, row.id, amounts),
                  _("The funding was saved."))

    def review_overlap(self, key) -> None:
        flag = next((f for f in self.flags if (f.first.id, f.second.id) == key), None)
        if flag is None:
            self.show_message(_("Choose a flagged pair first."), "due_soon")
            return
        values = NotOverlapDialog.ask(self, flag=flag, minimum=projects.MIN_REASON_LENGTH)
        if values is None:
            return
        workspace = self.workspace
        self._run(lambda: projects.mark_not_overlap(workspace, flag.first.id, flag.second.id,
                                                    values["reason"]),
                  _("Kept: these projects are not an overlap."))

    def reopen_overlap(self, key) -> None:
        flag = next((f for f in self.flags if (f.first.id, f.second.id) == key), None)
        if flag is None or flag.decision is None:
            self.show_message(_("Choose a reviewed pair first."), "due_soon")
            return
        workspace = self.workspace
        self._run(lambda: projects.reopen(workspace, flag.decision.id),
                  _("The pair is flagged again for review."))

    def _export_clicked(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(
            self, _("Save the report as"), str(Path.home() / "danh-muc-du-an.xlsx"),
            "Excel (*.xlsx)")
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path, fmt: str = "xlsx") -> None:
        workspace = self.workspace
        options = report_catalog.ReportOptions(year=self.year.currentData(),
                                               extra={"weights": self.weights()})
        self.write_report(
            lambda: report_catalog.build_report(workspace, "portfolio", fmt, path, options))

    # -- keyboard -----------------------------------------------------------------------
    def screenshot_views(self) -> list:
        """The other tabs and details, for ``--screenshots``."""
        return [("scores", lambda: (self.tabs.setCurrentIndex(0),
                                    self.detail_tabs.setCurrentIndex(1))),
                ("what-if", lambda: self.tabs.setCurrentIndex(1)),
                ("overlaps", lambda: self.tabs.setCurrentIndex(2))]

    def focus_search(self) -> bool:
        self.tabs.setCurrentIndex(0)
        self.search.setFocus()
        self.search.selectAll()
        return True

    def save(self) -> bool:
        if self.tabs.currentIndex() == 0:
            return self.form.save()
        return False


class _Placeholder:
    """Remembers which project to select after a save, until the rows are reloaded."""

    def __init__(self, project_id: uuid.UUID) -> None:
        self.id = project_id

