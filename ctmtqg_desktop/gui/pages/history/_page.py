"""Chuyển tiếp sau sắp xếp: what the units before the merger left unfinished, what was carried
over already, and the action that previews and carries the rest."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from ctmtqg_desktop.domain.errors import UserError
from ctmtqg_desktop.domain.formats import format_date, format_number
from ctmtqg_desktop.gui.pages.base import Page
from ctmtqg_desktop.gui.pages.history._dialog import CarryPreviewDialog
from ctmtqg_desktop.i18n import N_, _
from ctmtqg_desktop.services import history

TABLE_LABELS = {"project": N_("Project"), "task": N_("Task"),
                "capital_line": N_("Capital carried over"),
                "dossier": N_("Dossiers")}


class CarryPage(Page):
    def build(self) -> None:
        outer = QVBoxLayout(self)
        self.carry_button = QPushButton()
        self.carry_button.setObjectName("primary")
        self.carry_button.clicked.connect(self.open_preview)
        self.add_header(outer, self.carry_button)
        self.state = QLabel(wordWrap=True)
        outer.addWidget(self.state)
        self.carried_title = QLabel()
        self.carried_title.setObjectName("cardTitle")
        outer.addWidget(self.carried_title)
        self.table = QTableWidget(0, 6)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        outer.addWidget(self.table, 1)
        self.message = QLabel(wordWrap=True)
        self.message.setObjectName("formMessage")
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        outer.addWidget(self.message)
        self.plan: history.CarryPreview | None = None
        self.refusal = ""

    def retranslate(self) -> None:
        self.title.setText(_("Carry over after the merger"))
        self.subtitle.setText(_(
            "A unit formed by the merger of 01/07/2025 carries its predecessors' unfinished "
            "projects, tasks and undisbursed 2025 capital (kéo dài, chuyển nguồn) into "
            "2026, under the 2026-2035 programme."))
        self.carry_button.setText(_("Carry over the work of the units before the "
                                    "&merger…"))
        self.carried_title.setText(_("Carried over already"))
        self.table.setHorizontalHeaderLabels([
            _("Date"), _("Kind"), _("Unit before the merger"), _("Record"),
            _("2026-2035 content"), _("Amount (đồng)")])
        self.show_state()

    def activate(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        workspace = self.context.workspace

        def work() -> tuple[history.CarryPreview | None, str, list[history.CarriedInfo]]:
            try:
                plan, refusal = history.preview(workspace), ""
            except UserError as error:
                plan, refusal = None, str(error)
            return plan, refusal, (history.carried_records(workspace) if plan else [])

        def done(result: tuple[history.CarryPreview | None, str,
                               list[history.CarriedInfo]]) -> None:
            self.plan, self.refusal, carried = result
            self.show_carried(carried)
            self.show_state()

        self.context.runner.run(work, on_done=done, on_error=self.message.setText)

    def show_state(self) -> None:
        plan = self.plan
        if plan is None:
            self.state.setText(self.refusal)
            self.carry_button.setEnabled(False)
            return
        self.state.setText(_(
            "{unit} continues {units} from {date}. Still to carry over: {projects} projects, "
            "{tasks} tasks, {lines} capital lines ({amount} đồng).").format(
            unit=plan.unit_title, units=", ".join(plan.predecessors.values()),
            date=format_date(plan.merged_on), projects=plan.count(history.PROJECT),
            tasks=plan.count(history.TASK), lines=plan.count(history.CAPITAL),
            amount=format_number(plan.pending_amount)))
        self.carry_button.setEnabled(True)

    def show_carried(self, carried: list[history.CarriedInfo]) -> None:
        titles = self.plan.predecessors if self.plan else {}
        self.table.setRowCount(len(carried))
        for row, item in enumerate(carried):
            kind = _(TABLE_LABELS.get(item.source_table, item.source_table))
            if item.capital_mode:
                kind = _("Capital, {mode}").format(mode=_(history.MODE_LABELS[item.capital_mode]))
            values = [format_date(item.carried_on), kind,
                      titles.get(item.source_unit_id, item.source_unit_id), item.label,
                      item.new_program_label,
                      format_number(item.amount) if item.amount is not None else ""]
            for column, value in enumerate(values):
                self.table.setItem(row, column, QTableWidgetItem(value))
        self.table.resizeColumnsToContents()
        self.table.setColumnWidth(3, min(self.table.columnWidth(3), 340))
        self.table.setColumnWidth(4, min(self.table.columnWidth(4), 230))
        self.table.horizontalHeader().setStretchLastSection(True)

    def open_preview(self) -> None:
        if self.plan is None:
            return
        dialog = CarryPreviewDialog(self.plan, self)
        if dialog.exec() != CarryPreviewDialog.DialogCode.Accepted:
            return
        workspace = self.context.workspace

        def done(outcome: history.CarryOutcome) -> None:
            text = _("Carried over: {projects} projects ({dossiers} dossiers), {tasks} tasks, "
                     "{lines} capital lines ({amount} đồng). They go up in the next "
                     "package.").format(projects=outcome.projects, dossiers=outcome.dossiers,
                                        tasks=outcome.tasks, lines=outcome.capital_lines,
                                        amount=format_number(outcome.amount))
            self.message.setText(text)
            self.context.notify(text)
            self.refresh()

        self.context.runner.run(lambda: history.carry(workspace), on_done=done,
                                on_error=self.message.setText)
