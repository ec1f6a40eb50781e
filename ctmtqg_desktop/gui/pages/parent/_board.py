"""Bảng theo dõi: per child unit and in total, tasks, capital, dossiers, difficulties, the
activities of the year and their participants, the last package and what it acknowledged;
red where a unit is behind. Beside the table, the disbursement rate of each child against
the on-track line. Enter (or a double click) opens the child's records, read-only; its
difficulties can be answered there.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetrics, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTableView,
    QTabWidget,
    QVBoxLayout,
)

from ctmtqg_desktop.domain.formats import format_date, format_number, format_percent
from ctmtqg_desktop.gui.pages.base import Page
from ctmtqg_desktop.gui.pages.parent._dialogs import AnswerDialog, ChildDetailDialog
from ctmtqg_desktop.gui.pages.parent._widgets import (
    BoardModel,
    RateByChildChart,
    board_legend_line,
)
from ctmtqg_desktop.gui.tables import row_view
from ctmtqg_desktop.gui.widgets import date_edit, day_of, qdate
from ctmtqg_desktop.i18n import _

PROBLEMS = ("", "disbursement", "overdue", "report", "difficulties")


def problem_label(problem: str) -> str:
    return {"": _("All child units"), "disbursement": _("Behind the on-track line"),
            "overdue": _("With overdue tasks"), "report": _("Late reporting"),
            "difficulties": _("With unanswered difficulties")}[problem]


class BoardPage(Page):
    def build(self) -> None:
        self.board = None
        self.sort_key, self.descending = "name", False
        outer = QVBoxLayout(self)
        outer.setContentsMargins(16, 12, 16, 10)
        self.export_xlsx = QPushButton()
        self.export_xlsx.clicked.connect(lambda: self.export("xlsx"))
        self.export_pdf = QPushButton(objectName="primary")
        self.export_pdf.clicked.connect(lambda: self.export("pdf"))
        self.add_header(outer, self.export_xlsx, self.export_pdf)
        filters = QHBoxLayout()
        self.search = QLineEdit(clearButtonEnabled=True)
        self.search.textChanged.connect(self.show_rows)
        self.problem = QComboBox()
        for problem in PROBLEMS:
            self.problem.addItem("", problem)
        self.problem.currentIndexChanged.connect(self.show_rows)
        self.year_label = QLabel()
        self.year = QSpinBox(minimum=2000, maximum=2100)
        self.year.setKeyboardTracking(False)
        self.year.valueChanged.connect(lambda _v: self.reload())
        self.year_label.setBuddy(self.year)
        filters.addWidget(self.search, 3)
        filters.addWidget(self.problem, 2)
        filters.addWidget(self.year_label)
        filters.addWidget(self.year)
        # "as of": which units are the children (before or after the 2025 merges) and the
        # day tasks, difficulties and capital are counted to; default the working date
        self.on_label = QLabel()
        self.on_date = date_edit()
        self.on_date.setObjectName("boardOnDate")
        self.on_label.setBuddy(self.on_date)
        self.on_date.dateChanged.connect(self._on_date_changed)
        filters.addWidget(self.on_label)
        filters.addWidget(self.on_date)
        outer.addLayout(filters)
        self.figures = QLabel(wordWrap=True, objectName="cardLine")
        outer.addWidget(self.figures)
        self.views = QTabWidget()
        self.model = BoardModel(self)
        self.model.sort_requested.connect(self._sort)
        self.table = row_view(QTableView(), self.model, sort=(0, Qt.AscendingOrder))
        self.table.doubleClicked.connect(lambda _index: self.open_child())
        self.table.selectionModel().currentRowChanged.connect(self._selected)
        self.views.addTab(self.table, "")
        self.chart = RateByChildChart()
        self.chart.child_clicked.connect(self._chart_clicked)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.chart)
        self.views.addTab(scroll, "")
        outer.addWidget(self.views, 1)
        self.legend = QLabel(wordWrap=True)  # what "2 (1)", "0/5" mean
        self.legend.setObjectName("muted")
        outer.addWidget(self.legend)
        bottom = QHBoxLayout()
        self.message = QLabel(wordWrap=True, objectName="formMessage")
        bottom.addWidget(self.message, 1)
        self.open_button = QPushButton()
        self.open_button.clicked.connect(self.open_child)
        bottom.addWidget(self.open_button)
        outer.addLayout(bottom)
        QShortcut(QKeySequence(Qt.Key_Return), self.table, activated=self.open_child)
        QShortcut(QKeySequence(Qt.Key_Enter), self.table, activated=self.open_child)
        self.setTabOrder(self.search, self.problem)
        self.setTabOrder(self.problem, self.year)
        self.setTabOrder(self.year, self.on_date)
        self.setTabOrder(self.on_date, self.table)

    def retranslate(self) -> None:
        self.title.setText(_("Monitoring board"))
        self.subtitle.setText(_("Who is behind: tasks, capital, dossiers and difficulties of "
                                "every child unit, from the packages received. Red: behind; "
                                "Enter opens a unit's records."))
        self.export_xlsx.setText(_("Excel report…"))
        self.export_pdf.setText(_("&Consolidated report (PDF)…"))
        self.search.setPlaceholderText(_("Search a unit (diacritics optional)… Ctrl+F"))
        for index, problem in enumerate(PROBLEMS):
            self.problem.setItemText(index, problem_label(problem))
        self.year_label.setText(_("Plan &year"))
        self.on_label.setText(_("Units &as of"))
        self.open_button.setText(_("Open the unit's records"))
        self.views.setTabText(0, _("Figures by child unit"))
        self.views.setTabText(1, _("Disbursement chart"))
        self.legend.setText(board_legend_line())
        self.model.headerDataChanged.emit(Qt.Horizontal, 0, self.model.columnCount() - 1)
        if self.board is not None:
            self._show_figures()

    def focus_search(self) -> bool:
        self.search.setFocus()
        self.search.selectAll()
        return True

    def activate(self) -> None:
        if self.year.value() == self.year.minimum():
            self.year.blockSignals(True)
            self.year.setValue(self.workspace.today().year)
            self.year.blockSignals(False)
            self.on_date.blockSignals(True)
            self.on_date.setDate(qdate(self.workspace.today()))
            self.on_date.blockSignals(False)
        self.reload()

    def _on_date_changed(self, *_args: object) -> None:
        """A day of another year shows that year's plan (the board of 2024 is 2024's)."""
        day = day_of(self.on_date)
        if day.year != self.year.value():
            self.year.setValue(day.year)  # reloads
        else:
            self.reload()

    # -- loading ------------------------------------------------------------------------
    def reload(self) -> None:
        from ctmtqg_desktop.services import parent

        workspace, year = self.workspace, self.year.value()
        on = day_of(self.on_date)
        self.loading = True

        def done(board) -> None:
            self.loading = False
            self.board = board
            self._show_figures()
            self.show_rows()

        def failed(message: str) -> None:
            self.loading = False
            self.message.setText(message)

        self.context.runner.run(lambda: parent.compute(workspace, on=on, year=year),
                                on_done=done, on_error=failed)

    def query(self) -> dict:
        return {"text": self.search.text(), "problem": self.problem.currentData()}

    def show_rows(self, *_args) -> None:
        from ctmtqg_desktop.services import parent

        if self.board is None:
            return
        keep = self.current_unit()
        rows = parent.filter_rows(self.board, self.query(), self.sort_key,
                                        self.descending)
        self.model.set_rows(rows, parent.total_of(rows, self.board.on_track))
        self.chart.set_rows(rows, self.board.on_track, self.board.year)
        self._fit_columns()
        if keep:
            self.select_child(keep)

    def _fit_columns(self) -> None:
        """Twelve columns fit 1366 pixels (with a vertical scroll bar) when none is wider
        than it needs: each as wide as its contents or its title, with room for the sort
        arrow only in the column sorted by (refitted when the sort changes); the name
        column within reason, the last one stretched."""
        header = self.table.horizontalHeader()
        bold = QFont(header.font())
        bold.setBold(True)
        metrics = QFontMetrics(bold)
        sorted_by = header.sortIndicatorSection()
        for column in range(self.model.columnCount()):
            title = self.model.headerData(column, Qt.Horizontal) or ""
            room = 28 if column == sorted_by else 14
            width = max(self.table.sizeHintForColumn(column),
                        metrics.horizontalAdvance(title) + room)
            if column == 0:
                width = min(max(width, 130), 200)
            self.table.setColumnWidth(column, width)
        header.setStretchLastSection(True)

    def _show_figures(self) -> None:
        board = self.board
        total = board.total
        behind = sum(1 for r in board.rows if r.behind)
        late = sum(1 for r in board.rows if r.report_state != "current")
        self.figures.setText(_(
            "{count} child units on {date}. Capital {year}: {disbursed} of {assigned} đồng "
            "disbursed ({rate}; on-track line {track}); {behind} units behind. Tasks: "
            "{overdue} overdue. {late} units late in reporting. Amounts in the table: millions "
            "of đồng.").format(
            count=len(board.rows), date=format_date(board.on), year=board.year,
            disbursed=format_number(total.disbursed), assigned=format_number(total.assigned),
            rate=format_percent(total.rate) or "0%", track=format_percent(board.on_track),
            behind=behind, overdue=format_number(total.tasks_overdue), late=late))
        state = "late" if behind or late else "normal"
        self.figures.setProperty("state", state)
        self.figures.style().unpolish(self.figures)
        self.figures.style().polish(self.figures)

    def _sort(self, key: str, descending: bool) -> None:
        self.sort_key, self.descending = key, descending
        self.show_rows()

    # -- selection and drill down -------------------------------------------------------
    def current_unit(self) -> str | None:
        index = self.table.currentIndex()
        return self.model.data(self.model.index(index.row(), 0), Qt.UserRole) \
            if index.isValid() else None

    def _selected(self, *_args) -> None:
        unit = self.current_unit()
        self.open_button.setEnabled(unit is not None)
        self.chart.selected = unit
        self.chart.update()

    def _chart_clicked(self, unit_id: str) -> None:
        self.select_child(unit_id)

    def screenshot_views(self):
        return [("chart", lambda: self.views.setCurrentIndex(1))]

    def select_child(self, unit_id: str) -> None:
        for row in range(len(self.model.rows)):
            if self.model.rows[row].unit_id == unit_id:
                self.table.selectRow(row)
                self.table.scrollTo(self.model.index(row, 0))
                return

    def open_child(self) -> None:
        from ctmtqg_desktop.services import parent

        unit = self.current_unit()
        if unit is None or self.board is None:
            return
        workspace, on, year = self.workspace, self.board.on, self.board.year
        self.context.runner.run(
            lambda: parent.child_detail(workspace, unit, on=on, year=year),
            on_done=self._show_child, on_error=self.message.setText)

    def _show_child(self, detail) -> None:
        ChildDetailDialog.show_for(self, detail, on_answer=self.answer)

    def answer(self, difficulty) -> None:
        """Answer a child's difficulty (from the unit's records)."""
        from ctmtqg_desktop.services import parent

        if difficulty.answered or difficulty.status == "resolved":
            self.message.setText(_("This difficulty already has an answer or is resolved."))
            return
        workspace = self.workspace
        # saved while the form is open: a refusal stays in it, beside its field (issue 15)
        if AnswerDialog.ask(self, unit_name=self.board.row(difficulty.owner_unit_id).name
                            if self.board and self.board.row(difficulty.owner_unit_id)
                            else difficulty.owner_unit_id,
                            title=difficulty.title, content=difficulty.content,
                            proposal=difficulty.proposal, today=workspace.today(),
                            save=lambda values: parent.answer(workspace, difficulty.id,
                                                              **values)) is None:
            return
        self.context.notify(_("The answer goes with the next package to the unit."))
        self.reload()

    # -- report -------------------------------------------------------------------------
    def export(self, fmt: str) -> None:
        from ctmtqg_desktop.services import report_catalog

        if self.board is None:
            return
        workspace = self.workspace
        default = Path.home() / f"bao-cao-tong-hop-{self.board.on:%Y%m%d}.{fmt}"
        name, _filter = QFileDialog.getSaveFileName(
            self, _("Save the consolidated report"), str(default),
            "Excel (*.xlsx)" if fmt == "xlsx" else "PDF (*.pdf)")
        if not name:
            return
        options = report_catalog.ReportOptions(date=self.board.on, year=self.board.year)

        def done(path) -> None:
            self.message.setText(_("Report written: {path}").format(path=path))

        self.context.runner.run(
            lambda: report_catalog.build_report(workspace, "board", fmt, Path(name), options),
            on_done=done, on_error=self.message.setText)
