"""Kế hoạch vốn: the capital plan grid by year and programme with drill-down to allocations and
payments; the disbursement overview (rate bars, the chart against the on-track line, the
forecast, warnings); the counterpart-funds check and its rules."""

from __future__ import annotations

import uuid
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ctmtqg_desktop.domain import capital as rules
from ctmtqg_desktop.domain.formats import format_date, format_number, format_percent
from ctmtqg_desktop.gui.lazy_table import DUE_SOON_COLOR, LATE_COLOR, LazyTableModel
from ctmtqg_desktop.gui.pages.base import Page
from ctmtqg_desktop.gui.pages.capital._dialogs import (
    AllocationDialog,
    CarryOverDialog,
    LineDialog,
    PaymentDialog,
    ReturnDialog,
    RuleDialog,
)
from ctmtqg_desktop.gui.pages.capital._tables import LineSource, PaymentSource
from ctmtqg_desktop.gui.pages.capital._widgets import DisbursementChart, RateBar
from ctmtqg_desktop.gui.tables import (
    CENTER,
    RIGHT,
    Cell,
    StateTable,
    fit_columns,
    money,
    rate,
    short_program,
)
from ctmtqg_desktop.gui.widgets import ElidedLabel, select_data
from ctmtqg_desktop.i18n import _
from ctmtqg_desktop.services import capital, catalog, report_catalog
from ctmtqg_desktop.services import projects as projects_service

STATE_STYLE = {"late": f"color: {LATE_COLOR.name()};",
               "due_soon": f"color: {DUE_SOON_COLOR.name()};", "normal": ""}


def _styled(label: QLabel, state: str) -> None:
    label.setStyleSheet(STATE_STYLE.get(state, ""))


class FigureBox(QFrame):
    """A figure with its caption (as on the overview cards), coloured by state."""

    def __init__(self) -> None:
        super().__init__(objectName="card")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        self.value = QLabel(objectName="figureValue")
        self.value.setStyleSheet("font-size: 15pt;")
        self.caption = QLabel(objectName="figureLabel", wordWrap=True)
        layout.addWidget(self.value)
        layout.addWidget(self.caption)

    def show_figure(self, caption: str, value: str, state: str = "normal") -> None:
        self.caption.setText(caption)
        self.value.setText(value)
        self.value.setStyleSheet("font-size: 15pt;" + STATE_STYLE.get(state, ""))


class CapitalPage(Page):
    def build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 8)
        layout.setSpacing(6)
        self.title = QLabel(objectName="pageTitle")
        self.subtitle = QLabel(objectName="subtitle", wordWrap=True)
        layout.addWidget(self.title)
        layout.addWidget(self.subtitle)
        self.tabs = QTabWidget()
        self.tabs.addTab(self._build_grid(), "")
        self.tabs.addTab(self._build_overview(), "")
        self.tabs.addTab(self._build_counterpart(), "")
        self.tabs.currentChanged.connect(self._tab_changed)
        layout.addWidget(self.tabs, 1)
        bottom = QHBoxLayout()
        self.message = QLabel(wordWrap=True, objectName="formMessage")
        self.message.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.busy = QProgressBar(maximum=0, maximumWidth=160)
        self.busy.hide()
        self.cancel_button = QPushButton()
        self.cancel_button.hide()
        self.cancel_button.clicked.connect(lambda: self._cancel.set() if self._cancel else None)
        self._cancel = None
        bottom.addWidget(self.message, 1)
        bottom.addWidget(self.busy)
        bottom.addWidget(self.cancel_button)
        layout.addLayout(bottom)
        self.loaded = False
        self.meta: dict = {}
        self.current_line: capital.LineInfo | None = None
        self.allocations: list[capital.AllocationInfo] = []
        self.project_choices: list[capital.ProjectChoice] = []
        self.flagged_projects: dict = {}
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
        for combo in (self.program, self.source):
            combo.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(10)
        self.search = QLineEdit(clearButtonEnabled=True)
        for label, widget in ((self.year_label, self.year), (self.program_label, self.program),
                              (self.source_label, self.source)):
            label.setBuddy(widget)
            bar.addWidget(label)
            bar.addWidget(widget)
        bar.addWidget(self.search, 1)
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
        self.program_table.itemSelectionChanged.connect(self._program_row_chosen)
        layout.addWidget(self.program_table)

        splitter = QSplitter()
        self.line_source = LineSource(self)
        self.line_model = LazyTableModel(self.line_source, self)
        self.line_view = QTableView()
        self.line_view.setModel(self.line_model)
        self.line_view.horizontalHeader().setSortIndicator(-1, Qt.AscendingOrder)
        self.line_view.setSortingEnabled(True)
        self.line_view.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.line_view.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.line_view.setSelectionMode(QAbstractItemView.SingleSelection)
        self.line_view.verticalHeader().setVisible(False)
        self.line_view.verticalHeader().setDefaultSectionSize(26)
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

    def _build_details(self) -> QWidget:
        panel = QWidget(objectName="sidePanel")
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.setSpacing(4)
        self.line_title = QLabel(objectName="cardTitle", wordWrap=True)
        self.line_decision = ElidedLabel()
        layout.addWidget(self.line_title)
        layout.addWidget(self.line_decision)
        figures = QGridLayout()
        figures.setHorizontalSpacing(10)
        figures.setVerticalSpacing(0)
        self.figure_labels: list[tuple[QLabel, QLabel]] = []
        for index in range(6):
            caption = QLabel(objectName="figureLabel")
            value = QLabel()
            value.setStyleSheet("font-weight: 600;")
            figures.addWidget(caption, (index // 3) * 2, index % 3)
            figures.addWidget(value, (index // 3) * 2 + 1, index % 3)
            self.figure_labels.append((caption, value))
        layout.addLayout(figures)
        self.line_bar = RateBar()
        layout.addWidget(self.line_bar)
        self.line_state = QLabel(wordWrap=True)
        layout.addWidget(self.line_state)
        actions = QHBoxLayout()
        self.pay_button = QPushButton(objectName="primary")
        self.allocate_button = QPushButton()
        self.more_button = QToolButton()
        self.more_button.setPopupMode(QToolButton.InstantPopup)
        self.more_menu = QMenu(self)
        self.carry_action = self.more_menu.addAction("", self.add_carry_over)
        self.return_action = self.more_menu.addAction("", self.add_return)
        self.more_menu.addSeparator()
        self.edit_line_action = self.more_menu.addAction("", self.edit_line)
        self.delete_line_action = self.more_menu.addAction("", self.delete_line)
        self.more_button.setMenu(self.more_menu)
        self.pay_button.clicked.connect(self.add_payment)
        self.allocate_button.clicked.connect(self.add_allocation)
        actions.addWidget(self.pay_button)
        actions.addWidget(self.allocate_button)
        actions.addWidget(self.more_button)
        layout.addLayout(actions)
        self.detail_tabs = QTabWidget()
        allocation_tab = QWidget()
        allocation_layout = QVBoxLayout(allocation_tab)
        allocation_layout.setContentsMargins(4, 4, 4, 4)
        self.allocation_table = StateTable(stretch=0, wrap_headers=False, row_height=24)
        self.allocation_table.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.allocation_table.itemDoubleClicked.connect(lambda _item: self._drill_to_payments())
        allocation_layout.addWidget(self.allocation_table)
        row = QHBoxLayout()
        self.payments_of_button = QPushButton()
        self.edit_allocation_button = QPushButton()
        self.delete_allocation_button = QPushButton()
        self.payments_of_button.clicked.connect(self._drill_to_payments)
        self.edit_allocation_button.clicked.connect(self.edit_allocation)
        self.delete_allocation_button.clicked.connect(self.delete_allocation)
        for button in (self.payments_of_button, self.edit_allocation_button,
                       self.delete_allocation_button):
            row.addWidget(button)
        row.addStretch(1)
        allocation_layout.addLayout(row)
        self.detail_tabs.addTab(allocation_tab, "")

        payment_tab = QWidget()
        payment_layout = QVBoxLayout(payment_tab)
        payment_layout.setContentsMargins(4, 4, 4, 4)
        filter_row = QHBoxLayout()
        self.payment_filter = QLabel(objectName="muted", wordWrap=True)
        self.all_payments_button = QPushButton()
        self.all_payments_button.clicked.connect(lambda: self._show_payments(None))
        filter_row.addWidget(self.payment_filter, 1)
        filter_row.addWidget(self.all_payments_button)
        payment_layout.addLayout(filter_row)
        self.payment_source = PaymentSource(self)
        self.payment_model = LazyTableModel(self.payment_source, self)
        self.payment_view = QTableView()
        self.payment_view.setModel(self.payment_model)
        self.payment_view.horizontalHeader().setSortIndicator(0, Qt.DescendingOrder)
        self.payment_view.setSortingEnabled(True)
        self.payment_view.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.payment_view.setSelectionMode(QAbstractItemView.SingleSelection)
        self.payment_view.verticalHeader().setVisible(False)
        self.payment_view.horizontalHeader().setStretchLastSection(True)
        payment_layout.addWidget(self.payment_view)
        row = QHBoxLayout()
        self.edit_payment_button = QPushButton()
        self.delete_payment_button = QPushButton()
        self.edit_payment_button.clicked.connect(self.edit_payment)
        self.delete_payment_button.clicked.connect(self.delete_payment)
        row.addWidget(self.edit_payment_button)
        row.addWidget(self.delete_payment_button)
        row.addStretch(1)
        payment_layout.addLayout(row)
        self.detail_tabs.addTab(payment_tab, "")

        self.history_table = StateTable(stretch=3, wrap_headers=False, row_height=24)
        self.detail_tabs.addTab(self.history_table, "")
        self.detail_tabs.setMinimumHeight(110)
        for table in (self.allocation_table, self.payment_view, self.history_table):
            table.setMinimumHeight(50)
        layout.addWidget(self.detail_tabs, 1)
        self.payment_allocation: uuid.UUID | None = None
        return panel

    def _build_overview(self) -> QWidget:
        tab = QWidget()
        outer = QVBoxLayout(tab)
        outer.setContentsMargins(8, 8, 8, 8)
        bar = QHBoxLayout()
        self.overview_year_label = QLabel()
        self.overview_year = QComboBox()
        self.overview_year_label.setBuddy(self.overview_year)
        self.overview_program_label = QLabel()
        self.overview_program = QComboBox()
        self.overview_program_label.setBuddy(self.overview_program)
        self.overview_method = QLabel(objectName="muted", wordWrap=True)
        for widget in (self.overview_year_label, self.overview_year,
                       self.overview_program_label, self.overview_program):
            bar.addWidget(widget)
        bar.addWidget(self.overview_method, 1)
        self.overview_export = QPushButton()
        self.overview_export.clicked.connect(
            lambda: self._export_clicked(self.overview_year.currentData()))
        bar.addWidget(self.overview_export)
        outer.addLayout(bar)
        self.overview_year.currentIndexChanged.connect(self.load_overview)
        self.overview_program.currentIndexChanged.connect(self.load_overview)
        scroll = QScrollArea(widgetResizable=True, frameShape=QFrame.NoFrame)
        host = QWidget()
        self.overview_host = host
        layout = QVBoxLayout(host)
        layout.setContentsMargins(0, 0, 0, 0)
        figures = QHBoxLayout()
        self.overview_figures = [FigureBox() for _ in range(5)]
        for box in self.overview_figures:
            figures.addWidget(box, 1)
        layout.addLayout(figures)
        middle = QHBoxLayout()
        bars = QVBoxLayout()
        self.program_bars_box = QGroupBox()
        self.program_bars = QVBoxLayout(self.program_bars_box)
        self.source_bars_box = QGroupBox()
        self.source_bars = QVBoxLayout(self.source_bars_box)
        bars.addWidget(self.program_bars_box)
        bars.addWidget(self.source_bars_box)
        bars.addStretch(1)
        middle.addLayout(bars, 2)
        self.chart = DisbursementChart()
        self.chart.setMinimumHeight(300)
        middle.addWidget(self.chart, 3)
        layout.addLayout(middle)
        lower = QHBoxLayout()
        self.project_box = QGroupBox()
        project_layout = QVBoxLayout(self.project_box)
        self.project_rates = StateTable(stretch=0)
        self.project_rates.setMinimumHeight(220)
        project_layout.addWidget(self.project_rates)
        self.alert_box = QGroupBox()
        alert_layout = QVBoxLayout(self.alert_box)
        self.alert_list = QListWidget()
        self.alert_list.setWordWrap(True)
        self.alert_list.setMinimumHeight(220)
        alert_layout.addWidget(self.alert_list)
        lower.addWidget(self.project_box, 3)
        lower.addWidget(self.alert_box, 2)
        layout.addLayout(lower)
        scroll.setWidget(host)
        outer.addWidget(scroll, 1)
        return tab

    def _build_counterpart(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.setContentsMargins(8, 8, 8, 8)
        bar = QHBoxLayout()
        self.counterpart_year_label = QLabel()
        self.counterpart_year = QComboBox()
        self.counterpart_year_label.setBuddy(self.counterpart_year)
        self.counterpart_year.currentIndexChanged.connect(self.load_counterpart)
        bar.addWidget(self.counterpart_year_label)
        bar.addWidget(self.counterpart_year)
        bar.addStretch(1)
        self.add_rule_button = QPushButton()
        self.edit_rule_button = QPushButton()
        self.delete_rule_button = QPushButton()
        self.adopt_button = QPushButton()
        self.add_rule_button.clicked.connect(self.add_rule)
        self.edit_rule_button.clicked.connect(self.edit_rule)
        self.delete_rule_button.clicked.connect(self.delete_rule)
        self.adopt_button.clicked.connect(self.adopt_defaults)
        for button in (self.add_rule_button, self.edit_rule_button, self.delete_rule_button,
                       self.adopt_button):
            bar.addWidget(button)
        layout.addLayout(bar)
        self.check_box = QGroupBox()
        check_layout = QVBoxLayout(self.check_box)
        self.check_table = StateTable(stretch=7)
        check_layout.addWidget(self.check_table)
        layout.addWidget(self.check_box, 1)
        self.rules_box = QGroupBox()
        rules_layout = QVBoxLayout(self.rules_box)
        self.rules_note = QLabel(wordWrap=True, objectName="muted")
        self.rules_table = StateTable(stretch=3)
        rules_layout.addWidget(self.rules_note)
        rules_layout.addWidget(self.rules_table)
        layout.addWidget(self.rules_box, 1)
        self.rules: list[capital.RuleInfo] = []
        return tab

    # -- strings ------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.title.setText(_("Capital plans"))
        self.cancel_button.setText(_("Cancel"))
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
            tree = catalog.program_tree(workspace)
            components = []
            for program in tree:
                for node in program.walk():
                    if node.level != "program":
                        path = "/".join(node.id.split("/")[2:])
                        components.append((node.id, f"{path}: {node.name}"))
            return dict(years=capital.plan_years(workspace),
                        programs=catalog.programs(workspace, period_id="2021-2025"),
                        sources=catalog.capital_sources(workspace),
                        kinds=catalog.capital_kinds(workspace), components=components,
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

    def _tab_changed(self, _index: int) -> None:
        if self.loaded:
            self.refresh()

    def _failed(self, message: str) -> None:
        self.loading = False
        self.busy.hide()
        self.show_message(message, "late")

    def show_message(self, text: str, state: str = "normal") -> None:
        self.message.setText(text)
        _styled(self.message, state)
        if text and state == "normal":
            self.context.notify(text)

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

    def _load_line(self, line_id: uuid.UUID | None) -> None:
        if line_id is None:
            self._show_line(None)
            return
        workspace = self.workspace

        def load():
            line = capital.get_line(workspace, line_id)
            return (line, capital.allocations(workspace, line_id=line_id),
                    capital.carry_overs(workspace, line_id), capital.returns(workspace, line_id),
                    capital.project_choices(workspace, line.program_id),
                    projects_service.open_counts(projects_service.detect(workspace)))

        self.context.runner.run(load, on_done=self._line_loaded, on_error=self._failed)

    def _line_loaded(self, result) -> None:
        line, allocations, carries, returned, choices, flagged = result
        self.current_line = line
        self.project_choices = choices
        self.flagged_projects = flagged
        self.allocations = allocations
        self._show_line(line)
        self.allocation_table.fill(
            [_("Project, work"), _("Allocated"), _("Disbursed")],
            [[Cell(a.project_name, tooltip=a.project_name + "\n" + _(
                "Decision {number} of {date}; left to disburse {amount} đồng").format(
                number=a.decision_number or "…", date=format_date(a.decision_date) or "…",
                amount=money(a.undisbursed)) + "\n" + _("Rate") + ": " + rate(a.rate)),
              Cell(money(a.amount), RIGHT),
              Cell(money(a.disbursed), RIGHT)]
             for a in allocations],
            keys=[a.id for a in allocations],
            states=[rules.pace_state(a.rate, line.on_track) if line.deadline_state
                    != rules.LATE else rules.LATE for a in allocations])
        self.history_table.fill(
            [_("Kind of entry"), _("Amount (đồng)"), _("Date"), _("Decision, reason")],
            [[Cell(_("Carried over")), Cell(money(c.amount), RIGHT),
              Cell(_("until {date}").format(date=format_date(c.deadline)), CENTER),
              Cell(" ".join(x for x in (c.decision_number, c.note) if x))] for c in carries]
            + [[Cell(_("Returned")), Cell(money(r.amount), RIGHT),
                Cell(format_date(r.returned_on), CENTER),
                Cell(" ".join(x for x in (r.decision_number, r.reason) if x))]
               for r in returned],
            keys=[("carry", c.id) for c in carries] + [("return", r.id) for r in returned])
        self._show_payments(self.payment_allocation
                            if any(a.id == self.payment_allocation for a in allocations)
                            else None)

    def _show_line(self, line: capital.LineInfo | None) -> None:
        has = line is not None
        for button in (self.pay_button, self.allocate_button, self.more_button,
                       self.payments_of_button, self.edit_allocation_button,
                       self.delete_allocation_button, self.edit_payment_button,
                       self.delete_payment_button):
            button.setEnabled(has)
        if not has:
            self.line_title.setText(_("No capital plan line in this year yet: add one, or "
                                      "import the decision's workbook from the Excel menu."))
            self.line_decision.setText("")
            self.line_state.clear()
            for caption, value in self.figure_labels:
                caption.clear()
                value.clear()
            self.line_bar.set_values("", None, None, "normal")
            self.allocation_table.fill([], [])
            self.history_table.fill([], [])
            self.payment_model.reload({})
            return
        f = line.figures
        self.line_title.setText(line.label)
        decision = _("Decision {number} of {date}, {body}").format(
            number=line.decision_number or "…", date=format_date(line.decision_date) or "…",
            body=line.decision_body or "…")
        if line.component_label:
            decision = line.component_label + ". " + decision
        if line.quantity:
            decision += ". " + _("{quantity} {unit} at {value} đồng each").format(
                quantity=format_number(line.quantity), unit=line.quantity_unit,
                value=format_number(line.unit_value or 0))
        self.line_decision.setText(decision)
        days = (line.deadline - self.workspace.today()).days
        deadline_text = format_date(line.deadline)
        if line.carried_over:
            deadline_text += " " + _("(carried over)")
        figures = [
            (_("Assigned"), money(f.assigned), "normal"),
            (_("Allocated in detail"), money(f.allocated), "normal"),
            (_("Not allocated"), money(f.unallocated), line.unallocated_state),
            (_("Disbursed"), money(f.disbursed), "normal"),
            (_("Left to disburse"), money(f.undisbursed), line.deadline_state),
            (_("Disbursement deadline"), deadline_text, line.deadline_state),
        ]
        for (caption, value), (text, shown, state) in zip(self.figure_labels, figures):
            caption.setText(text)
            value.setText(shown)
            value.setStyleSheet("font-weight: 600;" + STATE_STYLE.get(state, ""))
        self.line_bar.set_values(_("Disbursed of the capital assigned"), f.rate, line.on_track,
                                 line.state)
        notes = []
        if line.deadline_state == rules.LATE:
            notes.append(_("The deadline has passed with capital undisbursed: carry it over "
                           "or return it."))
        elif line.deadline_state == rules.DUE_SOON:
            notes.append(_("{days} days left until the deadline.").format(
                days=format_number(days)))
        if line.unallocated_state != rules.NORMAL and f.unallocated > 0:
            notes.append(_("{amount} đồng not allocated since {date} ({days} days).").format(
                amount=money(f.unallocated), date=format_date(line.unallocated_since),
                days=format_number(line.unallocated_days)))
        if line.pace_state != rules.NORMAL:
            notes.append(_("Below the on-track line ({track}).").format(
                track=format_percent(line.on_track)))
        self.line_state.setText(" ".join(notes))
        _styled(self.line_state, line.state)
        self.return_action.setEnabled(f.unallocated > 0)
        self.carry_action.setEnabled(f.undisbursed > 0)

    def _selected_allocation(self) -> capital.AllocationInfo | None:
        key = self.allocation_table.current_key()
        return next((a for a in self.allocations if a.id == key), None)

    def _drill_to_payments(self) -> None:
        allocation = self._selected_allocation()
        self._show_payments(allocation.id if allocation else None)
        self.detail_tabs.setCurrentIndex(1)

    def _show_payments(self, allocation_id: uuid.UUID | None) -> None:
        self.payment_allocation = allocation_id
        if self.current_line is None:
            self.payment_model.reload({})
            return
        if allocation_id is None:
            self.payment_filter.setText(_("Payments of every allocation of the line."))
            self.payment_model.reload({"line_id": self.current_line.id})
        else:
            allocation = next((a for a in self.allocations if a.id == allocation_id), None)
            self.payment_filter.setText(_("Payments to {project}.").format(
                project=allocation.project_name if allocation else ""))
            self.payment_model.reload({"line_id": self.current_line.id,
                                       "allocation_id": allocation_id})
        self.all_payments_button.setVisible(allocation_id is not None)
        self.payment_view.resizeColumnsToContents()

    # -- actions ------------------------------------------------------------------------
    def _run(self, work, done_text: str) -> None:
        """Run a write in the background; refresh and say so, or show the refusal."""
        self.busy.show()
        self.loading = True

        def done(result) -> None:
            self.busy.hide()
            self.loading = False
            if isinstance(result, capital.LineInfo):
                self.current_line = result
            self.show_message(done_text)
            self._reload_years_then_refresh()

        self.context.runner.run(work, on_done=done, on_error=self._failed)

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

    def add_line(self) -> None:
        if not self.meta:
            return
        values = LineDialog.ask(self, programs=self.meta["programs"],
                                components=self.meta["components"], kinds=self.meta["kinds"],
                                sources=self.meta["sources"],
                                year=self.year.currentData() or self.meta["today"].year,
                                today=self.meta["today"])
        if values is None:
            return
        workspace = self.workspace
        self._run(lambda: capital.save_line(workspace, **values),
                  _("The capital plan line was saved."))

    def edit_line(self) -> None:
        line = self.current_line
        if line is None:
            return
        values = LineDialog.ask(self, programs=self.meta["programs"],
                                components=self.meta["components"], kinds=self.meta["kinds"],
                                sources=self.meta["sources"], year=line.year,
                                today=self.meta["today"], line=line)
        if values is None:
            return
        workspace = self.workspace
        self._run(lambda: capital.save_line(workspace, line_id=line.id, **values),
                  _("The capital plan line was saved."))

    def delete_line(self) -> None:
        line = self.current_line
        if line is None or not self._confirm(_("Delete the line “{line}”?").format(
                line=line.label)):
            return
        workspace = self.workspace
        self.current_line = None
        self._run(lambda: capital.delete_line(workspace, line.id),
                  _("The capital plan line was deleted."))

    def add_allocation(self) -> None:
        line = self.current_line
        if line is None:
            return
        workspace = self.workspace
        values = AllocationDialog.ask(self, line=line,
                                      projects=self.project_choices, today=self.meta["today"],
                                      overlaps=self.flagged_projects)
        if values is None:
            return
        self._run(lambda: capital.save_allocation(workspace, line_id=line.id, **values),
                  _("The allocation was saved."))

    def edit_allocation(self) -> None:
        line, allocation = self.current_line, self._selected_allocation()
        if line is None or allocation is None:
            self.show_message(_("Choose an allocation in the list first."), "due_soon")
            return
        workspace = self.workspace
        values = AllocationDialog.ask(self, line=line,
                                      projects=self.project_choices, today=self.meta["today"],
                                      allocation=allocation, overlaps=self.flagged_projects)
        if values is None:
            return
        self._run(lambda: capital.save_allocation(workspace, line_id=line.id,
                                                  allocation_id=allocation.id, **values),
                  _("The allocation was saved."))

    def delete_allocation(self) -> None:
        allocation = self._selected_allocation()
        if allocation is None:
            self.show_message(_("Choose an allocation in the list first."), "due_soon")
            return
        if not self._confirm(_("Delete the allocation to “{project}”?").format(
                project=allocation.project_name)):
            return
        workspace = self.workspace
        self._run(lambda: capital.delete_allocation(workspace, allocation.id),
                  _("The allocation was deleted."))

    def add_payment(self) -> None:
        line = self.current_line
        if line is None:
            return
        if not self.allocations:
            self.show_message(_("Allocate capital of this line to a project first."),
                              "due_soon")
            return
        selected = self._selected_allocation()
        values = PaymentDialog.ask(self, line=line, allocations=self.allocations,
                                   today=self.meta["today"],
                                   allocation_id=selected.id if selected else None)
        if values is None:
            return
        workspace = self.workspace
        self._run(lambda: capital.save_payment(workspace, **values),
                  _("The disbursement was recorded."))

    def _selected_payment(self) -> capital.PaymentInfo | None:
        index = self.payment_view.currentIndex()
        return self.payment_model.row_object(index.row()) if index.isValid() else None

    def edit_payment(self) -> None:
        line, payment = self.current_line, self._selected_payment()
        if line is None or payment is None:
            self.show_message(_("Choose a payment in the list first."), "due_soon")
            return
        values = PaymentDialog.ask(self, line=line, allocations=self.allocations,
                                   today=self.meta["today"], payment=payment)
        if values is None:
            return
        workspace = self.workspace
        self._run(lambda: capital.save_payment(workspace, payment_id=payment.id, **values),
                  _("The disbursement was corrected."))

    def delete_payment(self) -> None:
        payment = self._selected_payment()
        if payment is None:
            self.show_message(_("Choose a payment in the list first."), "due_soon")
            return
        if not self._confirm(_("Delete the payment of {amount} đồng of {date}?").format(
                amount=money(payment.amount), date=format_date(payment.paid_on))):
            return
        workspace = self.workspace
        self._run(lambda: capital.delete_payment(workspace, payment.id),
                  _("The payment was deleted."))

    def add_carry_over(self) -> None:
        line = self.current_line
        if line is None:
            return
        values = CarryOverDialog.ask(self, line=line, today=self.meta["today"])
        if values is None:
            return
        workspace = self.workspace
        self._run(lambda: capital.carry_over(workspace, line_id=line.id, **values),
                  _("The carry-over was recorded."))

    def add_return(self) -> None:
        line = self.current_line
        if line is None:
            return
        values = ReturnDialog.ask(self, line=line, today=self.meta["today"])
        if values is None:
            return
        workspace = self.workspace
        self._run(lambda: capital.return_capital(workspace, line_id=line.id, **values),
                  _("The return to the budget was recorded."))

    def _confirm(self, text: str) -> bool:
        answer = QMessageBox.question(self, _("Confirm"), text,
                                      QMessageBox.Yes | QMessageBox.No, QMessageBox.No)
        return answer == QMessageBox.Yes

    # -- Excel --------------------------------------------------------------------------
    def _import_clicked(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, _("Import the capital plan"),
                                                    str(Path.home()), "Excel (*.xlsx)")
        if path:
            self.import_from(Path(path))

    def import_from(self, path: Path) -> None:
        """Import a decision workbook in the background, with progress and Cancel."""
        workspace = self.workspace
        self.busy.setRange(0, 0)
        self.busy.show()
        self.cancel_button.show()
        self.loading = True

        def finish() -> None:
            self.busy.hide()
            self.busy.setRange(0, 0)
            self.cancel_button.hide()
            self.loading = False

        def done(result) -> None:
            added, updated = result
            finish()
            self.show_message(_("Imported: {added} capital plan lines added, {updated} "
                                "updated.").format(added=added, updated=updated))
            self._reload_years_then_refresh()

        def failed(message: str) -> None:
            finish()
            self._failed(message)

        def progressed(done_rows: int, total: int, _text: str) -> None:
            self.busy.setRange(0, max(total, 1))
            self.busy.setValue(done_rows)

        self._cancel = self.context.runner.run(
            lambda job: capital.import_lines(workspace, path, progress=job.progress,
                                                    stop_requested=lambda: job.cancelled),
            on_done=done, on_error=failed, on_progress=progressed, with_job=True)

    def _template_clicked(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(
            self, _("Save the template as"), str(Path.home() / "ke-hoach-von-mau.xlsx"),
            "Excel (*.xlsx)")
        if path:
            self.context.runner.run(
                lambda: capital.write_template(Path(path)),
                on_done=lambda written: self.show_message(
                    _("Template written: {path}").format(path=written)),
                on_error=self._failed)

    def _export_clicked(self, year: int | None = None) -> None:
        year = year or self.year.currentData() or self.workspace.today().year
        path, _filter = QFileDialog.getSaveFileName(
            self, _("Save the report as"), str(Path.home() / f"ke-hoach-von-{year}.xlsx"),
            "Excel (*.xlsx)")
        if path:
            self.export_to(Path(path), year)

    def export_to(self, path: Path, year: int | None = None) -> None:
        """Every list of the year (lines, allocations, payments…) into one workbook."""
        workspace = self.workspace
        year = year or self.year.currentData() or workspace.today().year
        self.busy.show()
        self.loading = True

        def done(written) -> None:
            self.busy.hide()
            self.loading = False
            self.show_message(_("Report written: {path}").format(path=written))

        self.context.runner.run(
            lambda: report_catalog.build_report(workspace, "capital", "xlsx", path,
                                                report_catalog.ReportOptions(year=year)),
            on_done=done, on_error=self._failed)

    # -- disbursement overview ----------------------------------------------------------
    def load_overview(self, *_args) -> None:
        if not self.loaded:
            return
        workspace = self.workspace
        year = self.overview_year.currentData()
        program_id = self.overview_program.currentData()
        self.loading = True

        def load():
            return (capital.year_summary(workspace, year, program_id=program_id),
                    capital.alerts(workspace))

        self.context.runner.run(load, on_done=self._overview_loaded, on_error=self._failed)

    def _overview_loaded(self, result) -> None:
        summary, alerts = result
        total = summary.total
        pace = rules.pace_state(total.rate, summary.on_track) if summary.today.year <= \
            summary.year else rules.NORMAL
        unallocated_state = rules.worst(*(line.unallocated_state for line in summary.lines
                                          if line.figures.unallocated > 0))
        boxes = [
            (_("Assigned (đồng)"), money(total.assigned), "normal"),
            (_("Allocated in detail (đồng)"), money(total.allocated), "normal"),
            (_("Not allocated (đồng)"), money(total.unallocated), unallocated_state),
            (_("Disbursed, on-track line {track}").format(
                track=format_percent(summary.on_track)), rate(total.rate) or "0,0%", pace),
            (_("Forecast by 31/12"), rate(summary.forecast.rate) or "0,0%", pace),
        ]
        for box, (caption, value, state) in zip(self.overview_figures, boxes):
            box.show_figure(caption, value, state)
        for layout, groups in ((self.program_bars, summary.by_program),
                               (self.source_bars, summary.by_source)):
            while layout.count():
                item = layout.takeAt(0)
                if item.widget():
                    item.widget().deleteLater()
            for group in groups:
                bar = RateBar()
                detail = _("{disbursed} of {assigned} đồng; forecast {forecast}").format(
                    disbursed=money(group.figures.disbursed),
                    assigned=money(group.figures.assigned),
                    forecast=rate(group.forecast.rate) or "0,0%")
                bar.set_values(group.label, group.figures.rate, summary.on_track,
                               group.rate_state, detail)
                layout.addWidget(bar)
            if not groups:
                layout.addWidget(QLabel(_("No capital plan line in this year yet."),
                                        objectName="muted"))
            layout.activate()
        # the new bars change the host's minimum height: lay it out now, not at the next
        # event, so that a bar is never drawn over another
        self.overview_host.layout().activate()
        self.overview_host.updateGeometry()
        today_fraction = summary.on_track if summary.today.year == summary.year else (
            1.0 if summary.today.year > summary.year else 0.0)
        self.chart.set_data(year=summary.year, assigned=total.assigned,
                            monthly=list(summary.monthly), today_fraction=today_fraction,
                            forecast_rate=summary.forecast.rate)
        projects = list(summary.by_project)
        self.project_rates.fill(
            [_("Project, work"), _("Programme"), _("Allocated"), _("Disbursed"), _("Rate"),
             _("Last payment")],
            [[Cell(p.name), Cell(p.program_label), Cell(money(p.allocated), RIGHT),
              Cell(money(p.disbursed), RIGHT), Cell(rate(p.rate), RIGHT),
              Cell(format_date(p.last_payment), CENTER)] for p in projects],
            keys=[p.project_id for p in projects], states=[p.state for p in projects])
        self.alert_list.clear()
        for alert in alerts:
            item = QListWidgetItem(alert.text)
            item.setForeground(LATE_COLOR if alert.state == rules.LATE else DUE_SOON_COLOR)
            item.setData(Qt.UserRole, alert.line_id)
            self.alert_list.addItem(item)
        if not alerts:
            self.alert_list.addItem(_("No warnings."))
        self.loading = False

    # -- counterpart --------------------------------------------------------------------
    def load_counterpart(self, *_args) -> None:
        if not self.loaded:
            return
        workspace = self.workspace
        year = self.counterpart_year.currentData()
        self.loading = True

        def load():
            in_force = capital.effective_rules(workspace, year)
            return (capital.check(workspace, year), capital.rule_records(workspace),
                    capital.default_rules(), in_force)

        self.context.runner.run(load, on_done=self._counterpart_loaded, on_error=self._failed)

    def _counterpart_loaded(self, result) -> None:
        checks, records, defaults, in_force = result
        self.check_table.fill(
            [_("Programme"), _("Capital kind"), _("Central budget capital"), _("Ratio"),
             _("Counterpart required"), _("Counterpart assigned"), _("Shortfall"),
             _("Legal basis")],
            [[Cell(c.program_label), Cell(capital.short_kind(c.capital_kind, c.kind_name)),
              Cell(money(c.central), RIGHT),
              Cell(format_percent(c.rule.ratio) if c.rule else "", RIGHT),
              Cell(money(c.required), RIGHT), Cell(money(c.assigned), RIGHT),
              Cell(money(c.shortfall), RIGHT),
              Cell((c.rule.legal_basis + " (" + capital.origin_label(c.rule.origin) + ")")
                   if c.rule else _("No rule"))] for c in checks],
            states=[c.state for c in checks])
        active = set(in_force.values())
        abbreviations = {p.id: p.abbreviation for p in self.meta.get("programs", [])}
        self.rules = records + defaults
        self.rules_table.fill(
            [_("Programme"), _("Capital kind"), _("Ratio"), _("Legal basis"), _("Validity"),
             _("Origin"), _("Data")],
            [[Cell(short_program(abbreviations.get(r.program_id, r.program_id))),
              Cell(capital.short_kind(r.capital_kind)),
              Cell(format_percent(r.ratio), RIGHT), Cell(r.legal_basis),
              Cell(format_date(r.valid_from) + " - " + format_date(r.valid_to), CENTER),
              Cell(capital.origin_label(r.origin)
                   + ("" if r in active else " · " + _("not in force"))),
              Cell(capital.confidence_label(r.confidence))] for r in self.rules],
            keys=list(range(len(self.rules))))
        self.loading = False

    def _selected_rule(self) -> capital.RuleInfo | None:
        key = self.rules_table.current_key()
        return self.rules[key] if key is not None and 0 <= key < len(self.rules) else None

    def add_rule(self) -> None:
        values = RuleDialog.ask(self, programs=self.meta["programs"], kinds=self.meta["kinds"],
                                today=self.meta["today"])
        if values is None:
            return
        workspace = self.workspace
        self._run(lambda: capital.save_rule(workspace, **values),
                  _("The counterpart-ratio rule was saved."))

    def edit_rule(self) -> None:
        rule = self._selected_rule()
        if rule is None or rule.origin != capital.OWN:
            self.show_message(_("Choose a rule of this unit: rules from the parent unit and "
                                "the defaults cannot be changed here (add a rule of the unit "
                                "instead)."), "due_soon")
            return
        values = RuleDialog.ask(self, programs=self.meta["programs"], kinds=self.meta["kinds"],
                                today=self.meta["today"], rule=rule)
        if values is None:
            return
        workspace = self.workspace
        self._run(lambda: capital.save_rule(workspace, rule_id=rule.id, **values),
                  _("The counterpart-ratio rule was saved."))

    def delete_rule(self) -> None:
        rule = self._selected_rule()
        if rule is None or rule.origin != capital.OWN:
            self.show_message(_("Choose a rule of this unit: rules from the parent unit and "
                                "the defaults cannot be changed here (add a rule of the unit "
                                "instead)."), "due_soon")
            return
        if not self._confirm(_("Delete this counterpart-ratio rule?")):
            return
        workspace = self.workspace
        self._run(lambda: capital.delete_rule(workspace, rule.id),
                  _("The counterpart-ratio rule was deleted."))

    def adopt_defaults(self) -> None:
        workspace = self.workspace
        self._run(lambda: capital.adopt_defaults(workspace),
                  _("The default ratios were kept as rules of this unit."))

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
