"""Kế hoạch vốn: the capital plan grid by year and programme with drill-down to allocations and
payments; the disbursement overview (rate bars, the chart against the on-track line, the
forecast, warnings); the counterpart-funds check and its rules."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ctmtqg_desktop.domain.formats import format_percent
from ctmtqg_desktop.gui.lazy_table import LazyTableModel
from ctmtqg_desktop.gui.pages.base import WorkingPage
from ctmtqg_desktop.gui.pages.capital import _counterpart_tab as counterpart_tab
from ctmtqg_desktop.gui.pages.capital import _line_actions as line_actions
from ctmtqg_desktop.gui.pages.capital import _line_details as line_details
from ctmtqg_desktop.gui.pages.capital import _overview_tab as overview_tab
from ctmtqg_desktop.gui.pages.capital._tables import LineSource
from ctmtqg_desktop.gui.tables import (
    RIGHT,
    Cell,
    StateTable,
    fit_columns,
    money,
    rate,
    row_view,
)
from ctmtqg_desktop.gui.widgets import select_data
from ctmtqg_desktop.gui.workbook_dialogs import ImportRunner
from ctmtqg_desktop.i18n import _
from ctmtqg_desktop.services import capital, catalog
from ctmtqg_desktop.services import projects as projects_service

if TYPE_CHECKING:
    import uuid

    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QGroupBox, QListWidget

    from ctmtqg_desktop.gui.pages.capital._figures import FigureBox
    from ctmtqg_desktop.gui.pages.capital._tables import PaymentSource
    from ctmtqg_desktop.gui.pages.capital._widgets import DisbursementChart, RateBar
    from ctmtqg_desktop.gui.widgets import ElidedLabel, FormDialog


class CapitalPage(WorkingPage):
    """Kế hoạch vốn: the grid of plan lines, the detail pane of one line, the overview and
    counterpart tabs. The class keeps the grid and the page's state; the tabs, the detail pane
    and the actions on lines are functions over the page in ``_overview_tab``,
    ``_counterpart_tab``, ``_line_details`` and ``_line_actions``, bound below as methods."""

    # widgets the functions of the page's other modules create (see their modules)
    carry_action: QAction
    return_action: QAction
    edit_line_action: QAction
    delete_line_action: QAction
    overview_host: QWidget
    overview_figures: list[FigureBox]
    add_rule_button: QPushButton
    adopt_button: QPushButton
    alert_box: QGroupBox
    alert_list: QListWidget
    all_payments_button: QPushButton
    allocate_button: QPushButton
    allocation_table: StateTable
    chart: DisbursementChart
    check_box: QGroupBox
    check_table: StateTable
    counterpart_year: QComboBox
    counterpart_year_label: QLabel
    delete_allocation_button: QPushButton
    delete_payment_button: QPushButton
    delete_rule_button: QPushButton
    detail_tabs: QTabWidget
    edit_allocation_button: QPushButton
    edit_payment_button: QPushButton
    edit_rule_button: QPushButton
    figure_labels: list[tuple[QLabel, QLabel]]
    history_table: StateTable
    line_bar: RateBar
    line_decision: ElidedLabel
    line_state: QLabel
    line_title: QLabel
    more_button: QToolButton
    more_menu: QMenu
    overview_export: QPushButton
    overview_method: QLabel
    overview_program: QComboBox
    overview_program_label: QLabel
    overview_year: QComboBox
    overview_year_label: QLabel
    pay_button: QPushButton
    payment_allocation: uuid.UUID | None
    payment_filter: QLabel
    payment_model: LazyTableModel
    payment_source: PaymentSource
    payment_view: QTableView
    payments_of_button: QPushButton
    program_bars: QVBoxLayout
    program_bars_box: QGroupBox
    project_box: QGroupBox
    project_rates: StateTable
    rules: list[capital.RuleInfo]
    rules_box: QGroupBox
    rules_note: QLabel
    rules_table: StateTable
    source_bars: QVBoxLayout
    source_bars_box: QGroupBox

    def build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 8)
        layout.setSpacing(6)
        self.add_header(layout)
        self.tabs = QTabWidget()
        self.tabs.addTab(self._build_grid(), "")
        self.tabs.addTab(self._build_overview(), "")
        self.tabs.addTab(self._build_counterpart(), "")
        self.tabs.currentChanged.connect(self._tab_changed)
        # the grid's search sits beside the tabs, where there is room: beside the filters it
        # was squeezed to "Tìm qu…" at 1366x768, on a line of its own it took the room of
        # the allocations list
        corner = QWidget()  # QTabWidget places a corner by its size hint: give it the width
        corner_layout = QHBoxLayout(corner)
        corner_layout.setContentsMargins(0, 0, 0, 2)
        self.search.setMinimumWidth(500)
        corner_layout.addWidget(self.search)
        self.tabs.setCornerWidget(corner, Qt.Corner.TopRightCorner)
        self.tabs.currentChanged.connect(lambda index: self.search.setVisible(index == 0))
        layout.addWidget(self.tabs, 1)
        self.cancel_button = QPushButton()
        self.add_footer(layout, self.cancel_button)
        self.importer = ImportRunner(self, self.context.runner, self.busy, self.cancel_button,
                                     say=self.show_message, refuse=self._failed,
                                     busy=lambda on: setattr(self, "loading", on))
        self.loaded = False
        self.meta: dict = {}
        self.current_line: capital.LineInfo | None = None
        self.allocations: list[capital.AllocationInfo] = []
        self.project_choices: list[capital.ProjectChoice] = []
        self._flagged_projects: dict[uuid.UUID, int] | None = None
        self.summary: capital.YearSummary | None = None

    # -- construction -------------------------------------------------------------------
    def _build_grid(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.setContentsMargins(8, 8, 8, 8)
        bar = QHBoxLayout()
        self.year_label, self.program_label, self.source_label = QLabel(), QLabel(), QLabel()
        self.year = QComboBox()
        self.program = QComboBox()
        self.source = QComboBox()
        for combo in (self.program, self.source):  # "Tất cả chương trình" in full
            combo.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(16)
        self.search = QLineEdit(clearButtonEnabled=True)
        for label, widget in ((self.year_label, self.year), (self.program_label, self.program),
                              (self.source_label, self.source)):
            label.setBuddy(widget)
            bar.addWidget(label)
            bar.addWidget(widget)
        bar.addStretch(1)
        self.add_line_button = QPushButton(objectName="primary")
        self.add_line_button.clicked.connect(self.add_line)
        self.excel_button = QToolButton()
        self.excel_button.setPopupMode(QToolButton.InstantPopup)
        self.excel_menu = QMenu(self)
        self.import_action = self.excel_menu.addAction("", self._import_clicked)
        self.template_action = self.excel_menu.addAction("", self._template_clicked)
        self.export_action = self.excel_menu.addAction("", lambda: self._export_clicked())
        self.excel_button.setMenu(self.excel_menu)
        bar.addWidget(self.add_line_button)
        bar.addWidget(self.excel_button)
        layout.addLayout(bar)
        self.year.currentIndexChanged.connect(self._filters_changed)
        self.program.currentIndexChanged.connect(self._filters_changed)
        self.source.currentIndexChanged.connect(self._filters_changed)
        self.search.textChanged.connect(self._filters_changed)

        self.program_table = StateTable(stretch=0, wrap_headers=False, row_height=23)
        # a programme row filters the lines when it is clicked or Enter is pressed on it,
        # never merely because the current row moved (Tab, arrow keys)
        self.program_table.cellClicked.connect(lambda _row, _column: self._program_row_chosen())
        self.program_table.itemActivated.connect(lambda _item: self._program_row_chosen())
        layout.addWidget(self.program_table)

        splitter = QSplitter()
        self.line_source = LineSource(self)
        self.line_model = LazyTableModel(self.line_source, self)
        self.line_view = row_view(QTableView(), self.line_model, sort=(-1, Qt.AscendingOrder),
                                  wrap=True, row_height=26)
        self.line_view.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.line_view.horizontalHeader().setSortIndicatorShown(True)
        self.line_view.selectionModel().currentRowChanged.connect(self._line_chosen)
        self.line_view.activated.connect(lambda _index: self.add_payment())
        splitter.addWidget(self.line_view)
        splitter.addWidget(self._build_details())
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([670, 420])
        self.grid_splitter = splitter
        layout.addWidget(splitter, 1)
        return tab

    # the detail pane (_line_details.py)
    _build_details = line_details._build_details
    _load_line = line_details._load_line
    _line_loaded = line_details._line_loaded
    _show_line = line_details._show_line
    _selected_allocation = line_details._selected_allocation
    _drill_to_payments = line_details._drill_to_payments
    _show_payments = line_details._show_payments

    # the overview tab (_overview_tab.py)
    _build_overview = overview_tab._build_overview
    load_overview = overview_tab.load_overview
    _overview_loaded = overview_tab._overview_loaded

    # the counterpart tab (_counterpart_tab.py)
    _build_counterpart = counterpart_tab._build_counterpart
    load_counterpart = counterpart_tab.load_counterpart
    _counterpart_loaded = counterpart_tab._counterpart_loaded
    _selected_rule = counterpart_tab._selected_rule
    add_rule = counterpart_tab.add_rule
    edit_rule = counterpart_tab.edit_rule
    delete_rule = counterpart_tab.delete_rule
    adopt_defaults = counterpart_tab.adopt_defaults

    # -- strings ------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.title.setText(_("Capital plans"))
        self.importer.retranslate()
        self.subtitle.setText(_("Capital assigned, allocated in detail and disbursed by year, "
                                "programme and source; what is still unallocated, the "
                                "disbursement rate against the on-track line, and deadlines."))
        for index, text in enumerate((_("Capital plan"), _("Disbursement"),
                                      _("Counterpart funds"))):
            self.tabs.setTabText(index, text)
        self.year_label.setText(_("&Year"))
        self.program_label.setText(_("&Programme"))
        self.source_label.setText(_("So&urce"))
        self.search.setPlaceholderText(_("Search decision, source, content (diacritics "
                                          "optional)…"))
        self.add_line_button.setText(_("Add a capital line…"))
        self.excel_button.setText(_("Excel"))
        self.import_action.setText(_("Import the capital plan assigned from above…"))
        self.template_action.setText(_("Write the empty Excel template…"))
        self.export_action.setText(_("Export every list to Excel…"))
        self.pay_button.setText(_("Disburse…"))
        self.allocate_button.setText(_("Allocate…"))
        self.more_button.setText(_("More"))
        self.carry_action.setText(_("Carry over the undisbursed capital…"))
        self.return_action.setText(_("Return capital to the budget…"))
        self.edit_line_action.setText(_("Change the line…"))
        self.delete_line_action.setText(_("Delete the line"))
        for index, text in enumerate((_("Allocations"), _("Payments"),
                                      _("Carry-overs, returns"))):
            self.detail_tabs.setTabText(index, text)
        self.payments_of_button.setText(_("Its payments"))
        self.edit_allocation_button.setText(_("Change…"))
        self.delete_allocation_button.setText(_("Delete"))
        self.all_payments_button.setText(_("All payments of the line"))
        self.edit_payment_button.setText(_("Correct…"))
        self.delete_payment_button.setText(_("Delete"))
        self.overview_year_label.setText(_("&Year"))
        self.overview_program_label.setText(_("&Programme"))
        self.overview_method.setText(_("On-track line: the share of the year passed. Forecast: "
                                       "what is paid plus the pace of the last 90 days until "
                                       "31/12."))
        self.overview_export.setText(_("Export to Excel…"))
        self.program_bars_box.setTitle(_("Disbursement by programme"))
        self.source_bars_box.setTitle(_("Disbursement by source"))
        self.project_box.setTitle(_("Disbursement by project (slowest first)"))
        self.alert_box.setTitle(_("Warnings"))
        self.counterpart_year_label.setText(_("&Year"))
        self.add_rule_button.setText(_("Add a rule…"))
        self.edit_rule_button.setText(_("Change the rule…"))
        self.delete_rule_button.setText(_("Delete the rule"))
        self.adopt_button.setText(_("Keep the defaults as rules"))
        self.check_box.setTitle(_("Counterpart funds required, assigned and missing"))
        self.rules_box.setTitle(_("Counterpart-ratio rules"))
        self.rules_note.setText(_("Rules sent by the parent unit come first, then the unit's "
                                  "own; where neither exists the application's defaults "
                                  "apply (not yet verified against the resolutions)."))
        self.line_source.retranslate()
        self.payment_source.retranslate()
        self._show_line(self.current_line)

    # -- loading ------------------------------------------------------------------------
    def activate(self) -> None:
        if self.loaded:
            self.refresh()
            return
        self.loading = True
        workspace = self.workspace

        def load():
            return dict(years=capital.plan_years(workspace),
                        programs=catalog.programs(workspace),
                        period_years=catalog.period_years(workspace),
                        sources=catalog.capital_sources(workspace),
                        kinds=catalog.capital_kinds(workspace),
                        components=catalog.component_choices(workspace),
                        today=workspace.today())

        self.context.runner.run(load, on_done=self._meta_loaded, on_error=self._failed)

    def _meta_loaded(self, meta: dict) -> None:
        self.meta = meta
        for combo in (self.year, self.overview_year, self.counterpart_year):
            combo.blockSignals(True)
            combo.clear()
            for year in meta["years"]:
                combo.addItem(str(year), year)
            select_data(combo, meta["today"].year)
            combo.blockSignals(False)
        for combo in (self.program, self.overview_program):
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(_("All programmes"), None)
            for program in meta["programs"]:
                combo.addItem(program.abbreviation, program.id)
            combo.blockSignals(False)
        self.source.blockSignals(True)
        self.source.clear()
        self.source.addItem(_("All sources"), None)
        for source in meta["sources"]:
            self.source.addItem(source.name, source.code)
        self.source.blockSignals(False)
        self.loaded = True
        self.refresh()

    def refresh(self) -> None:
        """Reload what the current tab shows (after a change, or when the page is shown)."""
        index = self.tabs.currentIndex()
        if index == 0:
            self.load_grid()
        elif index == 1:
            self.load_overview()
        else:
            self.load_counterpart()

    @property
    def flagged_projects(self) -> dict[uuid.UUID, int]:
        """Open overlaps per project, for the allocation dialog's warning. Detected when a
        dialog first asks (the overlap review reads every project, name and support of five
        years: issue 17), not at each visit or line shown; forgotten when a line is loaded."""
        if self._flagged_projects is None:
            self._flagged_projects = projects_service.open_counts(
                projects_service.detect(self.workspace))
        return self._flagged_projects

    def forget_overlaps(self) -> None:
        self._flagged_projects = None

    def _tab_changed(self, _index: int) -> None:
        if self.loaded:
            self.refresh()

    def query(self) -> dict:
        return {"year": self.year.currentData(), "program_id": self.program.currentData(),
                "source": self.source.currentData(), "text": self.search.text()}

    def _filters_changed(self, *_args) -> None:
        if self.loaded:
            self.load_grid()

    def load_grid(self) -> None:
        workspace = self.workspace
        year = self.year.currentData()
        self.loading = True
        self.context.runner.run(lambda: capital.year_summary(workspace, year),
                                on_done=self._grid_summary, on_error=self._failed)

    def _grid_summary(self, summary: capital.YearSummary) -> None:
        self.summary = summary
        groups = list(summary.by_program)
        total = summary.total
        headers = [_("Programme"), _("Assigned"), _("Allocated in detail"), _("Not allocated"),
                   _("Disbursed"), _("Rate"), _("On-track line")]
        rows = [[Cell(g.label), Cell(money(g.figures.assigned), RIGHT),
                 Cell(money(g.figures.allocated), RIGHT),
                 Cell(money(g.figures.unallocated), RIGHT),
                 Cell(money(g.figures.disbursed), RIGHT), Cell(rate(g.figures.rate), RIGHT),
                 Cell(format_percent(g.on_track), RIGHT)] for g in groups]
        rows.append([Cell(_("Total {year}").format(year=str(summary.year))),
                     Cell(money(total.assigned), RIGHT), Cell(money(total.allocated), RIGHT),
                     Cell(money(total.unallocated), RIGHT), Cell(money(total.disbursed), RIGHT),
                     Cell(rate(total.rate), RIGHT), Cell(format_percent(summary.on_track),
                                                         RIGHT)])
        self.program_table.blockSignals(True)
        self.program_table.fill(headers, rows, keys=[g.key for g in groups] + [None],
                                states=[g.state for g in groups] + ["normal"])
        self.program_table.blockSignals(False)
        selected = self.current_line.id if self.current_line else None
        self.line_model.reload(self.query())
        self._size_line_columns()
        row = self.line_model.row_of(selected) if selected else -1
        if row < 0 and self.line_model.rowCount():
            row = 0
        if row >= 0:
            self.line_view.selectRow(row)
            self._load_line(self.line_model.id_at(row))
        else:
            self._show_line(None)
        self.loading = False

    def _size_line_columns(self) -> None:
        fit_columns(self.line_view, 1)
        table = self.program_table
        table.setFixedHeight(table.horizontalHeader().height() + 4
                             + sum(table.rowHeight(r) for r in range(table.rowCount())))

    def _program_row_chosen(self) -> None:
        key = self.program_table.current_key()
        if key != self.program.currentData():
            select_data(self.program, key)

    def _line_chosen(self, current, _previous=None) -> None:
        line_id = self.line_model.id_at(current.row()) if current.isValid() else None
        if line_id is not None and (self.current_line is None or
                                    self.current_line.id != line_id):
            self._load_line(line_id)

    # -- actions ------------------------------------------------------------------------
    def _run(self, work: Callable[[], Any], done_text: str) -> None:
        """Run a write in the background; refresh and say so, or show the refusal."""
        self.work(work, lambda result: self._written(result, done_text))

    def _save_in_form(self, dialog: FormDialog, save: Callable[[dict[str, Any]], Any],
                      done_text: str) -> None:
        """Run ``dialog`` whose Save calls ``save(values)``; a refusal stays in the form,
        beside its field (``FormDialog.run_saving``); once saved, refresh and say so."""
        saved, result = type(dialog).run_saving(dialog, save)
        if saved:
            self._written(result, done_text)

    def _written(self, result: object, done_text: str) -> None:
        if isinstance(result, capital.LineInfo):
            self.current_line = result
        self.show_message(done_text)
        self._reload_years_then_refresh()

    def _reload_years_then_refresh(self) -> None:
        workspace = self.workspace
        self.context.runner.run(lambda: capital.plan_years(workspace),
                                on_done=self._years_loaded, on_error=self._failed)

    def _years_loaded(self, years: list[int]) -> None:
        for combo in (self.year, self.overview_year, self.counterpart_year):
            current = combo.currentData()
            if [combo.itemData(i) for i in range(combo.count())] == years:
                continue
            combo.blockSignals(True)
            combo.clear()
            for year in years:
                combo.addItem(str(year), year)
            select_data(combo, current)
            combo.blockSignals(False)
        if self.current_line is not None:
            self._load_line(self.current_line.id)
        self.refresh()

    # actions on lines and the workbook (_line_actions.py)
    add_line = line_actions.add_line
    edit_line = line_actions.edit_line
    delete_line = line_actions.delete_line
    add_allocation = line_actions.add_allocation
    edit_allocation = line_actions.edit_allocation
    delete_allocation = line_actions.delete_allocation
    add_payment = line_actions.add_payment
    _selected_payment = line_actions._selected_payment
    edit_payment = line_actions.edit_payment
    delete_payment = line_actions.delete_payment
    add_carry_over = line_actions.add_carry_over
    add_return = line_actions.add_return
    _confirm = line_actions._confirm
    _import_clicked = line_actions._import_clicked
    import_from = line_actions.import_from
    _template_clicked = line_actions._template_clicked
    _export_clicked = line_actions._export_clicked
    export_to = line_actions.export_to

    # -- keyboard -----------------------------------------------------------------------
    def screenshot_views(self) -> list:
        """The other tabs, for ``--screenshots``."""
        return [("disbursement", lambda: self.tabs.setCurrentIndex(1)),
                ("counterpart", lambda: self.tabs.setCurrentIndex(2))]

    def focus_search(self) -> bool:
        self.tabs.setCurrentIndex(0)
        self.search.setFocus()
        self.search.selectAll()
        return True
