"""The preview of carrying over (chuyển tiếp): every predecessor record that may be carried,
with the 2026-2035 content it maps to and the mapping's mark; confirming carries them."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ctmtqg_desktop.domain.formats import format_date, format_number
from ctmtqg_desktop.gui.palette import DUE_SOON_BACKGROUND, LATE_BACKGROUND
from ctmtqg_desktop.i18n import _
from ctmtqg_desktop.services import history

COLUMNS = 8
#: the widest each column starts (pixels), so that all eight fit at 1366 pixels; the whole
#: text is in each cell's tooltip
MAX_WIDTHS = (145, 165, 200, 160, 228, 150, 120, 150)


class CarryPreviewDialog(QDialog):
    """Lists :func:`history.preview`; "Carry over…" asks once more, then the caller carries
    (``accepted`` means: confirmed)."""

    def __init__(self, plan: history.CarryPreview, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plan = plan
        self.setWindowTitle(_("Carry over the work of the units before the merger"))
        self.resize(1300, 680)
        layout = QVBoxLayout(self)
        self.intro = QLabel(wordWrap=True)
        layout.addWidget(self.intro)
        self.warning = QLabel(wordWrap=True)
        self.warning.setObjectName("formMessage")
        layout.addWidget(self.warning)
        self.table = QTableWidget(0, COLUMNS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        layout.addWidget(self.table, 1)
        self.summary = QLabel(wordWrap=True)
        layout.addWidget(self.summary)
        self.buttons = QDialogButtonBox()
        self.carry_button = QPushButton()
        self.carry_button.setObjectName("primary")
        self.buttons.addButton(self.carry_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.carry_button.clicked.connect(self.confirm)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.fill()

    def fill(self) -> None:
        plan = self.plan
        self.intro.setText(_(
            "{unit} continues {units} from {date}. Their unfinished projects (with their "
            "dossiers), unfinished tasks and the 2025 capital not disbursed by {end} become "
            "this unit's 2026 records under the 2026-2035 programme. Their own records stay "
            "unchanged, read-only, as history. Nothing is changed until you confirm.").format(
            unit=plan.unit_title, units=", ".join(plan.predecessors.values()),
            date=format_date(plan.merged_on), end=format_date(history.PERIOD_END)))
        self.warning.setText(_(
            "{count} of the records to carry are mapped to 2026-2035 by an entry of the "
            "catalog that is not yet verified against the legal text: check the content "
            "after carrying.").format(count=plan.unverified) if plan.unverified else "")
        self.warning.setVisible(bool(plan.unverified))
        self.table.setHorizontalHeaderLabels([
            _("Kind"), _("Unit before the merger"), _("Record"), _("State"),
            _("2026-2035 content"), _("Mapping"), _("Amount (đồng)"), _("Carry over")])
        self.table.setRowCount(len(plan.items))
        for row, item in enumerate(plan.items):
            amount = format_number(item.amount) if item.amount is not None else ""
            mapping = item.confidence_label
            values = [item.kind_label, item.unit_title, item.label, item.detail,
                      item.new_label, mapping, amount, item.state_text]
            tip = "\n".join(t for t in (item.label, item.detail, item.state_text,
                                        item.mapping_note, item.carry_rule) if t)
            for column, value in enumerate(values):
                cell = QTableWidgetItem(value)
                cell.setToolTip(tip)
                if item.blocked:
                    cell.setBackground(LATE_BACKGROUND)
                elif item.pending and item.confidence == "unverified" and column == 5:
                    cell.setBackground(DUE_SOON_BACKGROUND)
                self.table.setItem(row, column, cell)
        self.table.resizeColumnsToContents()
        header = self.table.horizontalHeader()
        for column, widest in enumerate(MAX_WIDTHS):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            self.table.setColumnWidth(column, min(self.table.columnWidth(column), widest))
        header.setStretchLastSection(True)
        self.summary.setText(_(
            "To carry over: {projects} projects, {tasks} tasks, {lines} capital lines "
            "({amount} đồng). Already carried: {carried}. Cannot be carried: {blocked}.")
            .format(projects=plan.count(history.PROJECT), tasks=plan.count(history.TASK),
                    lines=plan.count(history.CAPITAL),
                    amount=format_number(plan.pending_amount), carried=len(plan.carried),
                    blocked=sum(1 for i in plan.items if i.blocked)))
        self.carry_button.setText(_("&Carry over {count} records…").format(
            count=len(plan.pending)))
        self.carry_button.setEnabled(bool(plan.pending))

    def confirm(self) -> None:
        plan = self.plan
        answer = QMessageBox.question(self, _("Carry over"), _(
            "Carry over {projects} projects, {tasks} tasks and {lines} capital lines "
            "({amount} đồng) into this unit's 2026 records? They go up in the next "
            "package; the records of the units before the merger stay unchanged.").format(
            projects=plan.count(history.PROJECT), tasks=plan.count(history.TASK),
            lines=plan.count(history.CAPITAL), amount=format_number(plan.pending_amount)))
        if answer == QMessageBox.StandardButton.Yes:
            self.accept()
