"""The projects page's two review tabs: the capital-adjustment what-if (moves of unspent
capital, editable, producing the tờ trình as PDF and Excel, recorded once approved) and the
overlap review across programmes."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ctmtqg_desktop.domain.errors import UserError
from ctmtqg_desktop.domain.formats import format_date
from ctmtqg_desktop.domain.money import amount_in_words, parse_money
from ctmtqg_desktop.gui.lazy_table import DUE_SOON_BACKGROUND
from ctmtqg_desktop.gui.pages.projects._dialogs import DecisionDialog
from ctmtqg_desktop.gui.tables import RIGHT, Cell, StateTable, money
from ctmtqg_desktop.gui.widgets import select_data
from ctmtqg_desktop.i18n import _
from ctmtqg_desktop.services import projects, report_catalog

AMOUNT_COLUMN = 4
#: the overlap review's stretched column (the reasons, wrapped)
REASON_COLUMN = 4
#: the overlap review's widest columns (pairs of projects and programmes, the review)
OVERLAP_CAPS = {0: 230, 1: 120, 2: 230, 3: 120, 5: 130}


class WhatIfTab(QWidget):
    def __init__(self, page) -> None:
        super().__init__()
        self.page = page
        self.plan: projects.AdjustmentPlan | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        bar = QHBoxLayout()
        self.year_label = QLabel()
        self.year = QComboBox()
        self.year_label.setBuddy(self.year)
        self.propose_button = QPushButton(objectName="primary")
        self.propose_button.clicked.connect(self.propose)
        self.pdf_button = QPushButton()
        self.xlsx_button = QPushButton()
        self.apply_button = QPushButton()
        self.pdf_button.clicked.connect(lambda: self._write_clicked("pdf"))
        self.xlsx_button.clicked.connect(lambda: self._write_clicked("xlsx"))
        self.apply_button.clicked.connect(self.apply)
        for widget in (self.year_label, self.year, self.propose_button):
            bar.addWidget(widget)
        bar.addStretch(1)
        for widget in (self.pdf_button, self.xlsx_button, self.apply_button):
            bar.addWidget(widget)
        layout.addLayout(bar)
        self.method = QLabel(wordWrap=True, objectName="muted")
        layout.addWidget(self.method)
        self.moves_box = QGroupBox()
        moves_layout = QVBoxLayout(self.moves_box)
        self.moves = QTableWidget()
        self.moves.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.moves.verticalHeader().setVisible(False)
        self.moves.setWordWrap(True)
        self.moves.itemChanged.connect(self._amount_edited)
        moves_layout.addWidget(self.moves)
        layout.addWidget(self.moves_box, 3)
        self.changes_box = QGroupBox()
        changes_layout = QVBoxLayout(self.changes_box)
        self.changes = StateTable(stretch=6)
        changes_layout.addWidget(self.changes)
        layout.addWidget(self.changes_box, 2)
        self.total = QLabel(wordWrap=True)
        self.total.setStyleSheet("font-weight: 600;")
        layout.addWidget(self.total)
        self._set_enabled(False)

    def retranslate(self) -> None:
        self.year_label.setText(_("&Year"))
        self.propose_button.setText(_("Propose an adjustment"))
        self.pdf_button.setText(_("Submission as PDF…"))
        self.xlsx_button.setText(_("Submission as Excel…"))
        self.apply_button.setText(_("Record the approved adjustment…"))
        self.method.setText(_(
            "Capital stays in its line (year, programme, kind, source). What a line has not "
            "allocated, and what stalled or lower-ranked projects have not disbursed, goes to "
            "the higher-ranked projects of the same programme that still need capital from "
            "that source (total investment minus what they received), best first. Projects "
            "with an open overlap warning receive nothing. Change an amount to adjust the "
            "proposal (0 drops the move)."))
        self.moves_box.setTitle(_("Moves of capital"))
        self.changes_box.setTitle(_("Capital of the year by project, before and after"))

    def load_years(self, years: list[int], current: int) -> None:
        self.year.clear()
        for year in years:
            self.year.addItem(str(year), year)
        select_data(self.year, current)

    def activate(self) -> None:
        if self.plan is None:
            self.propose()

    def _set_enabled(self, has_moves: bool) -> None:
        for button in (self.pdf_button, self.xlsx_button, self.apply_button):
            button.setEnabled(has_moves)

    def propose(self) -> None:
        workspace = self.page.workspace
        year = self.year.currentData()
        weights = self.page.weights()
        self.page.loading = True
        self.page.context.runner.run(
            lambda: projects.propose_adjustment(workspace, year, weights=weights),
            on_done=self.show_plan, on_error=self.page._failed)

    def show_plan(self, plan: projects.AdjustmentPlan) -> None:
        self.plan = plan
        self.moves.blockSignals(True)
        headers = [_("Capital plan line"), _("Move from"), _("Why less"), _("To"),
                   _("Amount (đồng)")]
        self.moves.clear()
        self.moves.setColumnCount(len(headers))
        self.moves.setHorizontalHeaderLabels(headers)
        self.moves.setRowCount(len(plan.moves))
        for row, move in enumerate(plan.moves):
            cells = [move.line_label, move.from_name, move.from_reason,
                     move.to_name + " · " + move.to_reason, money(move.amount)]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if column == AMOUNT_COLUMN:
                    item.setTextAlignment(RIGHT)
                    item.setBackground(QBrush(DUE_SOON_BACKGROUND))
                    item.setToolTip(_("Type another amount; at most {amount} đồng can leave "
                                      "the donor.").format(amount=money(move.available)))
                else:
                    item.setFlags(item.flags() & ~Qt.ItemIsEditable)
                self.moves.setItem(row, column, item)
        header = self.moves.horizontalHeader()
        for column in range(len(headers)):
            header.setSectionResizeMode(column, QHeaderView.Stretch)
        header.setSectionResizeMode(AMOUNT_COLUMN, QHeaderView.ResizeToContents)
        self.moves.resizeRowsToContents()
        self.moves.blockSignals(False)
        changes = list(plan.changes)
        self.changes.fill(
            [_("Project, work"), _("Rank"), _("Before"), _("Decrease"), _("Increase"),
             _("After"), _("Reason")],
            [[Cell(c.name), Cell(str(c.rank or "-"), RIGHT), Cell(money(c.before), RIGHT),
              Cell(money(c.decrease) if c.decrease else "", RIGHT),
              Cell(money(c.increase) if c.increase else "", RIGHT),
              Cell(money(c.after), RIGHT), Cell(c.reason, tooltip=c.reason)] for c in changes],
            keys=[c.project_id for c in changes])
        self.changes.cap_columns({0: 280})
        if plan.moves:
            self.total.setText(_("Total capital proposed for adjustment: {amount} đồng (in "
                                 "words: {words}).").format(amount=money(plan.total),
                                                            words=amount_in_words(plan.total)))
        else:
            self.total.setText(_("Nothing to move: no unspent capital of stalled or "
                                 "lower-ranked projects matches a higher-ranked project that "
                                 "needs it."))
        self._set_enabled(bool(plan.moves))
        self.page.loading = False

    def _amount_edited(self, item: QTableWidgetItem) -> None:
        if self.plan is None or item.column() != AMOUNT_COLUMN:
            return
        amounts = []
        for row in range(self.moves.rowCount()):
            text = self.moves.item(row, AMOUNT_COLUMN).text()
            try:
                amounts.append(parse_money(text or "0"))
            except UserError as error:
                self.page.show_message(str(error), "late")
                self.show_plan(self.plan)
                return
        workspace = self.page.workspace
        plan = self.plan

        def failed(message: str) -> None:
            self.page.show_message(message, "late")
            self.show_plan(plan)

        self.page.context.runner.run(lambda: projects.revise_plan(workspace, plan, amounts),
                                     on_done=self._revised, on_error=failed)

    def _revised(self, plan: projects.AdjustmentPlan) -> None:
        self.page.show_message(_("The proposal was recomputed with your amounts."))
        self.show_plan(plan)

    def _write_clicked(self, fmt: str) -> None:
        if self.plan is None:
            return
        suffix = "pdf" if fmt == "pdf" else "xlsx"
        path, _filter = QFileDialog.getSaveFileName(
            self, _("Save the submission as"),
            str(Path.home() / f"to-trinh-dieu-chinh-von-{self.plan.year}.{suffix}"),
            f"*.{suffix}")
        if path:
            self.write(Path(path), fmt)

    def write(self, path: Path, fmt: str) -> None:
        """The tờ trình of the current plan into ``path`` (in the background)."""
        workspace = self.page.workspace
        plan = self.plan
        options = report_catalog.ReportOptions(year=plan.year)
        self.page.write_report(
            lambda: projects.write_proposal(workspace, plan, fmt, path, options))

    def apply(self) -> None:
        if self.plan is None or not self.plan.moves:
            return
        values = DecisionDialog.ask(
            self, title=_("Record the approved adjustment"),
            heading=_("The allocations change as proposed, all together or not at all."),
            today=self.page.workspace.today())
        if values is None:
            return
        workspace = self.page.workspace
        plan = self.plan
        self.plan = None

        def done(count) -> None:
            self.page.show_message(_("{count} moves recorded by decision {number} of "
                                     "{date}.").format(count=count,
                                                       number=values["decision_number"],
                                                       date=format_date(values["decision_date"])))
            self.propose()

        self.page.context.runner.run(
            lambda: projects.apply_adjustment(workspace, plan, **values),
            on_done=done, on_error=self.page._failed)


class OverlapsTab(QWidget):
    def __init__(self, page) -> None:
        super().__init__()
        self.page = page
        self.flags: list[projects.OverlapFlag] = []
        #: the flags and the "only open" choice the table was last filled with (None: never)
        self.filled: tuple[list[projects.OverlapFlag], bool] | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        bar = QHBoxLayout()
        self.only_open = QCheckBox()
        self.only_open.toggled.connect(self._fill)
        bar.addWidget(self.only_open)
        bar.addStretch(1)
        self.review_button = QPushButton(objectName="primary")
        self.reopen_button = QPushButton()
        self.review_button.clicked.connect(lambda: page.review_overlap(self.table.current_key()))
        self.reopen_button.clicked.connect(lambda: page.reopen_overlap(self.table.current_key()))
        bar.addWidget(self.review_button)
        bar.addWidget(self.reopen_button)
        layout.addLayout(bar)
        self.explain = QLabel(wordWrap=True, objectName="muted")
        layout.addWidget(self.explain)
        self.table = StateTable(stretch=4)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.table.setWordWrap(True)
        self.table.itemSelectionChanged.connect(self._selected)
        self.table.horizontalHeader().sectionResized.connect(self._reason_resized)
        self._rewrap_queued = False
        layout.addWidget(self.table, 1)
        self.detail = QLabel(wordWrap=True)
        self.detail.setTextInteractionFlags(Qt.TextSelectableByMouse)
        layout.addWidget(self.detail)

    def retranslate(self) -> None:
        self.only_open.setText(_("Only pairs not reviewed yet"))
        self.review_button.setText(_("Not an overlap…"))
        self.reopen_button.setText(_("Review again"))
        self.explain.setText(_("Pairs of projects of different programmes in the same village "
                               "and of the same kind, or with similar names (diacritics "
                               "ignored). Check each pair; where they are distinct works, "
                               "write why: the reason is kept and sent with the data."))

    def load(self) -> None:
        workspace = self.page.workspace
        self.page.loading = True

        def done(flags) -> None:
            # the same flags as the table shows (nothing written since: the service keeps
            # them): the table, its row heights and the selection stay as they are
            unchanged = self.filled is not None and self.filled == (
                flags, self.only_open.isChecked())
            self.flags = flags
            self.page.flags = flags
            if not unchanged:
                self._fill()
            self.page.loading = False

        self.page.context.runner.run(lambda: projects.detect(workspace), on_done=done,
                                     on_error=self.page._failed)

    def _fill(self, *_args) -> None:
        self.filled = (self.flags, self.only_open.isChecked())
        shown = [f for f in self.flags if f.is_open or not self.only_open.isChecked()]
        self._fill_table(shown)
        if shown:
            self.table.selectRow(0)
        else:
            self.detail.setText(_("No possible overlaps found."))

    def _reason_resized(self, column: int, _old: int, _new: int) -> None:
        """Rows that make the table taller than its view bring the vertical scroll bar,
        which narrows the stretched reason column after the rows were wrapped; the table's
        own re-wrap, asked while the header resizes, still measures the wider column (the
        big commune's 1,133 pairs: 198 rows a line short, until the next fill). Wrapped
        again once the view has its new width."""
        if column == REASON_COLUMN and not self.table._sizing and not self._rewrap_queued:
            self._rewrap_queued = True
            QTimer.singleShot(0, self._rewrap_reasons)

    def _rewrap_reasons(self) -> None:
        self._rewrap_queued = False
        if self.table.rowCount():
            self.table.resizeRowsToContents()

    def _fill_table(self, shown: list[projects.OverlapFlag]) -> None:
        self.table.fill(
            [_("Project"), _("Programme"), _("Project"), _("Programme"), _("Reason flagged"),
             _("Review")],
            [[Cell(f.first.name), Cell(f.first.program_label), Cell(f.second.name),
              Cell(f.second.program_label), Cell(f.reason_text, tooltip=f.reason_text),
              Cell(_("open") if f.is_open else _("not an overlap"))] for f in shown],
            keys=[(f.first.id, f.second.id) for f in shown],
            states=["due_soon" if f.is_open else "normal" for f in shown],
            caps=OVERLAP_CAPS)
        if not shown:  # sized to their titles only, "Dự án" would wrap in two narrow columns
            header = self.table.horizontalHeader()
            for column in (0, 1, 2, 3):
                header.resizeSection(column, OVERLAP_CAPS[column])

    def _selected(self) -> None:
        key = self.table.current_key()
        flag = next((f for f in self.flags if (f.first.id, f.second.id) == key), None)
        if flag is None:
            return
        text = flag.reason_text
        if flag.decision is not None:
            text += " " + _("Not an overlap ({who}, {date}): {reason}").format(
                who=flag.decision.decided_by or _("officer"),
                date=format_date(flag.decision.decided_on), reason=flag.decision.reason)
        self.detail.setText(text)
        self.reopen_button.setEnabled(flag.decision is not None)
        self.review_button.setEnabled(True)
