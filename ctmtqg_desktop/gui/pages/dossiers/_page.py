"""Hồ sơ: the dossier list (completeness bars, filters, the primary action "start a dossier"),
one dossier's stages and checklist, the form editor, and the beneficiary households."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QRect, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QStyledItemDelegate,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ctmtqg_desktop.domain.formats import format_date
from ctmtqg_desktop.gui.lazy_table import LazyColumn, LazyTableModel
from ctmtqg_desktop.gui.pages import handbook, households
from ctmtqg_desktop.gui.pages.base import Page
from ctmtqg_desktop.gui.pages.dossiers._view import DossierView
from ctmtqg_desktop.gui.palette import ERROR_STYLE, colour
from ctmtqg_desktop.gui.tables import row_view
from ctmtqg_desktop.gui.wrapping_combo import WrappingCombo
from ctmtqg_desktop.i18n import _
from ctmtqg_desktop.services import catalog, dossiers

BAR_DONE = colour("good")
BAR_GAP = colour("amber")
BAR_EMPTY = colour("rule")


class DossierSource:
    """The dossier list for :class:`LazyTableModel`: one query, sorted and filtered here
    (a commune has one dossier per project: tens, not thousands)."""

    SORTS = {"project": lambda s: s.project_name,
             "village": lambda s: s.village_name,
             "stage": lambda s: dossiers.STAGES_ORDER.index(s.current_stage),
             "percent": lambda s: s.percent, "missing": lambda s: s.missing_in_started}

    def __init__(self, workspace) -> None:
        self.workspace = workspace
        self.rows_by_id: dict = {}
        self.columns = [
            LazyColumn(_("Project or work"), lambda s: s.project_name, "project",
                       state=self._warned, tooltip=lambda s: f"{s.project_name}\n{s.kind_name}"),
            LazyColumn(_("Village"), lambda s: s.village_name, "village"),
            LazyColumn(_("Stage"), lambda s: dossiers.stage_label(s.current_stage), "stage"),
            LazyColumn(_("Completeness"), lambda s: f"{s.percent}%", "percent",
                       align=Qt.AlignCenter),
            LazyColumn(_("Missing"), lambda s: str(s.missing_in_started) if
                       s.missing_in_started else "", "missing",
                       align=Qt.AlignRight | Qt.AlignVCenter, state=self._state,
                       tooltip=lambda s: _("Required documents not done in stages already "
                                           "started")),
            LazyColumn(_("State"), self._state_text, None, state=self._warned),
        ]

    @staticmethod
    def _warned(summary) -> str:
        return "late" if summary.warnings and not summary.locked and not summary.history_of \
            else "normal"

    @staticmethod
    def _state(summary) -> str:
        if summary.locked or summary.history_of:  # history is not today's warning
            return "normal"
        if summary.warnings:
            return "late"
        if summary.missing_in_started:
            return "due_soon"
        return "normal"

    @staticmethod
    def _state_text(summary) -> str:
        if summary.locked:
            return _("Locked")
        if summary.history_of:
            return _("History")
        if summary.warnings:
            return _("{count} warnings").format(count=summary.warnings)
        return _("Complete") if summary.complete else ""

    def ids(self, query: dict, sort_key: str | None, descending: bool) -> list:
        rows = dossiers.list_dossiers(self.workspace, query=query.get("text", ""),
                                      kind=query.get("kind") or None,
                                      state=query.get("state") or "all",
                                      history=bool(query.get("history")))
        self.rows_by_id = {s.id: s for s in rows}
        if sort_key in self.SORTS:
            rows.sort(key=self.SORTS[sort_key], reverse=descending)
        return [s.id for s in rows]

    def rows(self, ids: list) -> dict:
        return {i: self.rows_by_id.get(i) for i in ids}


class CompletenessDelegate(QStyledItemDelegate):
    """Draws the completeness column as a bar: green done, amber what is missing."""

    def paint(self, painter: QPainter, option, index: QModelIndex) -> None:
        summary = index.model().row_object(index.row())
        if summary is None:
            return super().paint(painter, option, index)
        painter.save()
        if option.state & option.state.State_Selected:
            painter.fillRect(option.rect, option.palette.highlight())
        bar = option.rect.adjusted(6, 6, -6, -6)
        painter.fillRect(bar, BAR_EMPTY)
        done = QRect(bar)
        done.setWidth(int(bar.width() * summary.percent / 100))
        painter.fillRect(done, BAR_GAP if summary.missing_in_started and not summary.locked
                         else BAR_DONE)
        painter.setPen(colour("white") if summary.percent >= 90 else colour("ink"))
        painter.drawText(bar, Qt.AlignCenter, f"{summary.percent}%")
        painter.restore()


class DossierListScreen(QWidget):
    def __init__(self, page: DossiersPage) -> None:
        super().__init__()
        self.page = page
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        self.search = QLineEdit(clearButtonEnabled=True)
        self.search.textChanged.connect(self.reload)
        self.kind = QComboBox()
        self.state = QComboBox()
        self.kind.currentIndexChanged.connect(self.reload)
        self.state.currentIndexChanged.connect(self.reload)
        bar.addWidget(self.search, 2)
        bar.addWidget(self.kind, 1)
        bar.addWidget(self.state, 1)
        # a merged commune's predecessors' dossiers (history, read-only): shown when asked,
        # as the tasks page shows their tasks
        self.history = QCheckBox()
        self.history.setVisible(False)
        self.history.toggled.connect(self.reload)
        self.history_units: dict[str, str] = {}
        bar.addWidget(self.history)
        layout.addLayout(bar)
        body = QHBoxLayout()
        self.table = row_view(QTableView(), sort=True)
        self.table.doubleClicked.connect(lambda _i: self.open_current())
        self.table.activated.connect(lambda _i: self.open_current())
        body.addWidget(self.table, 3)
        side = QWidget(objectName="sidePanel")
        side.setMinimumWidth(290)
        side.setMaximumWidth(330)
        panel = QVBoxLayout(side)
        self.new_title = QLabel(objectName="cardTitle")
        # the project's whole name, on two lines if need be (the panel is about 300 px)
        self.new_project = WrappingCombo()
        self.new_button = QPushButton(objectName="primary")
        self.new_button.clicked.connect(self.start_dossier)
        panel.addWidget(self.new_title)
        panel.addWidget(self.new_project)
        panel.addWidget(self.new_button)
        panel.addSpacing(12)
        self.summary_title = QLabel(objectName="cardTitle", wordWrap=True)
        self.summary_text = QLabel(wordWrap=True)
        panel.addWidget(self.summary_title)
        panel.addWidget(self.summary_text)
        self.stage_bars: list[tuple[QLabel, QProgressBar]] = []
        for _stage in dossiers.STAGES_ORDER:
            label, progress = QLabel(), QProgressBar(maximum=100, textVisible=True)
            progress.setFixedHeight(16)
            panel.addWidget(label)
            panel.addWidget(progress)
            self.stage_bars.append((label, progress))
        self.summary_warnings = QLabel(wordWrap=True)
        self.summary_warnings.setStyleSheet(ERROR_STYLE)
        panel.addWidget(self.summary_warnings)
        panel.addStretch(1)
        self.open_button = QPushButton()
        self.open_button.clicked.connect(self.open_current)
        panel.addWidget(self.open_button)
        self.message = QLabel(objectName="formMessage", wordWrap=True)
        panel.addWidget(self.message)
        body.addWidget(side, 2)
        layout.addLayout(body, 1)
        self.model: LazyTableModel | None = None
        self.kinds_loaded = False

    def retranslate(self) -> None:
        self.search.setPlaceholderText(_("Search projects and villages (diacritics optional)…"))
        self.new_title.setText(_("Start a dossier"))
        self.new_button.setText(_("Start the dossier"))
        self.open_button.setText(_("Open the dossier (Enter)"))
        self.history.setText(_("Dossiers of the units before the merger"))
        self.history.setToolTip(_("Read-only history of {units}, merged into this unit.").format(
            units=", ".join(sorted(self.history_units.values()))))
        self.state.blockSignals(True)
        current = self.state.currentData()
        self.state.clear()
        for state in dossiers.STATES:
            self.state.addItem(dossiers.state_label(state), state)
        self.state.setCurrentIndex(max(self.state.findData(current), 0))
        self.state.blockSignals(False)

    def attach(self) -> None:
        workspace = self.page.workspace
        self.model = LazyTableModel(DossierSource(workspace), self.table)
        self.table.setModel(self.model)
        self.table.setItemDelegateForColumn(3, CompletenessDelegate(self.table))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.Stretch)
        for column, width in ((1, 110), (2, 92), (3, 100), (4, 72), (5, 92)):
            header.setSectionResizeMode(column, QHeaderView.Interactive)
            self.table.setColumnWidth(column, width)
        self.table.selectionModel().currentRowChanged.connect(self._chosen)
        self.kind.blockSignals(True)
        self.kind.clear()
        self.kind.addItem(_("All kinds"), "")
        for kind in catalog.project_kinds(workspace):
            self.kind.addItem(kind.name, kind.code)
        self.kind.blockSignals(False)
        self.history_units = catalog.history_units(workspace)
        self.history.setVisible(bool(self.history_units))
        self.retranslate()

    def query(self) -> dict:
        return {"text": self.search.text(), "kind": self.kind.currentData() or "",
                "state": self.state.currentData() or "all",
                "history": self.history.isChecked()}

    def reload(self, *_args) -> None:
        if self.model is None:
            return
        current = self.current_id()
        self.model.reload(self.query())
        row = self.model.row_of(current) if current else -1
        self.table.selectRow(row if row >= 0 else 0)
        if self.model.rowCount() == 0:
            self._show_summary(None)
        self._load_new_projects()

    def _load_new_projects(self) -> None:
        workspace = self.page.workspace

        def show(choices):
            self.new_project.clear()
            for choice in choices:
                if choice.template_id:
                    self.new_project.addItem(choice.name, choice.id)
                    self.new_project.setItemData(self.new_project.count() - 1,
                                                 choice.kind_name, Qt.ToolTipRole)
            empty = self.new_project.count() == 0
            self.new_button.setEnabled(not empty)
            if empty:
                self.new_project.addItem(_("Every project already has a dossier"))

        self.page.run(lambda: dossiers.projects_without_dossier(workspace), show)

    def current_id(self):
        if self.model is None:
            return None
        index = self.table.currentIndex()
        return self.model.id_at(index.row()) if index.isValid() else None

    def _chosen(self, current: QModelIndex, _previous=None) -> None:
        self._show_summary(self.model.row_object(current.row()) if current.isValid() else None)

    def _show_summary(self, summary) -> None:
        self.open_button.setEnabled(summary is not None)
        if summary is None:
            self.summary_title.setText(_("No dossier matches the filters."))
            self.summary_text.clear()
            self.summary_warnings.clear()
            for label, bar in self.stage_bars:
                label.hide()
                bar.hide()
            return
        self.summary_title.setText(summary.project_name)
        self.summary_text.setText(_("{kind}. Template version {version}, started on {date}.")
                                  .format(kind=summary.kind_name,
                                          version=summary.template_version,
                                          date=format_date(summary.started_on)))
        for (label, bar), stage in zip(self.stage_bars, list(summary.stages) +
                                       [None] * len(self.stage_bars)):
            label.setVisible(stage is not None)
            bar.setVisible(stage is not None)
            if stage is not None:
                label.setText(f"{dossiers.stage_label(stage.stage)}: {stage.required_done}/"
                              f"{stage.required}")
                bar.setValue(stage.percent)
        # a predecessor's dossier: history, read-only; its old warnings are not today's
        self.summary_warnings.setStyleSheet("" if summary.history_of else ERROR_STYLE)
        if summary.history_of:
            self.summary_warnings.setText(_(
                "History of {unit} before the merger: read-only here.").format(
                    unit=summary.history_of))
        elif summary.warnings:
            self.summary_warnings.setText(_("{count} warnings: a later stage started before an "
                                            "earlier required document was done.").format(
                count=summary.warnings))
        elif summary.locked:
            self.summary_warnings.setText("")
        else:
            self.summary_warnings.setText("")

    def open_current(self) -> None:
        dossier_id = self.current_id()
        if dossier_id is not None:
            self.page.open_dossier(dossier_id)

    def start_dossier(self) -> None:
        project_id = self.new_project.currentData()
        if project_id is None:
            return
        workspace = self.page.workspace

        def done(detail):
            self.page.context.notify(_("Dossier started for {project}.").format(
                project=detail.summary.project_name))
            self.reload()
            self.page.open_dossier(detail.summary.id)

        self.page.run(lambda: dossiers.start_dossier(workspace, project_id), done,
                      on_error=self.message.setText)


class DossiersPage(Page):
    def build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 14, 20, 12)
        self.add_header(layout)
        self.tabs = QTabWidget()
        self.dossier_stack = QStackedWidget()
        self.list_screen = DossierListScreen(self)
        self.view = DossierView(self)
        self.dossier_stack.addWidget(self.list_screen)
        self.dossier_stack.addWidget(self.view)
        self.households = households.households_tab(self)
        self.tabs.addTab(self.dossier_stack, "")
        self.tabs.addTab(self.households, "")
        self.tabs.currentChanged.connect(lambda _i: (self._update_header(), self.activate()))
        layout.addWidget(self.tabs, 1)
        self.view.back.connect(self.show_list)
        self.view.changed.connect(self.list_screen.reload)
        self.view.open_handbook.connect(self._handbook)
        self.attached = False

    def retranslate(self) -> None:
        self.title.setText(_("Dossiers"))
        self.subtitle.setText(_("The sample dossier of each project: the documents of every "
                                "stage, forms to fill and print, scans, completeness."))
        self.tabs.setTabText(0, _("Project dossiers"))
        self.tabs.setTabText(1, _("Beneficiary households"))
        self.list_screen.retranslate()
        self.view.retranslate()
        self.households.retranslate()

    def run(self, fn, on_done=None, on_error=None) -> None:
        self.loading = True

        def done(result):
            self.loading = False
            if on_done:
                on_done(result)

        def failed(message):
            self.loading = False
            (on_error or self.list_screen.message.setText)(message)

        self.context.runner.run(fn, on_done=done, on_error=failed)

    def activate(self) -> None:
        if not self.attached:
            self.attached = True
            self.list_screen.attach()
            self.households.attach()
            self.list_screen.reload()
        if self.tabs.currentWidget() is self.households:
            self.households.activate()

    def _update_header(self) -> None:
        """The dossier screen needs the page's height on a 768-pixel screen."""
        inside = (self.tabs.currentWidget() is self.dossier_stack
                  and self.dossier_stack.currentWidget() is self.view)
        self.title.setVisible(not inside)
        self.subtitle.setVisible(not inside)

    def open_dossier(self, dossier_id) -> None:
        self.dossier_stack.setCurrentWidget(self.view)
        self._update_header()
        self.view.load(dossier_id)
        self.view.tree.setFocus()

    def show_list(self) -> None:
        self.dossier_stack.setCurrentWidget(self.list_screen)
        self._update_header()
        self.list_screen.table.setFocus()

    def _handbook(self, kind: str) -> None:
        handbook.request_kind(kind)
        self.context.navigate("handbook")

    def focus_search(self) -> bool:
        if self.tabs.currentWidget() is self.households:
            self.households.search.setFocus()
            self.households.search.selectAll()
            return True
        if self.dossier_stack.currentWidget() is self.list_screen:
            self.list_screen.search.setFocus()
            self.list_screen.search.selectAll()
            return True
        self.view.editor.setFocus()
        return False

    def save(self) -> bool:
        if self.tabs.currentWidget() is self.households:
            return self.households.save()
        if self.dossier_stack.currentWidget() is self.view:
            return self.view.save()
        return False
