"""The project form of the projects page: name, kind, village, programme, stage, dates and
amounts."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ctmtqg_desktop.gui.drafts import PanelDraftKeeper
from ctmtqg_desktop.gui.widgets import OptionalDateEdit, apply_rules, select_data
from ctmtqg_desktop.gui.wrapping_combo import WrappingCombo
from ctmtqg_desktop.i18n import _
from ctmtqg_desktop.services import catalog, projects
from ctmtqg_desktop.store.models.projects import PROJECT_STAGES

if TYPE_CHECKING:
    from ctmtqg_desktop.gui.pages.projects._page import ProjectsPage


class ProjectForm(QWidget):
    """The shared project record, edited beside the list (Ctrl+S saves)."""

    def __init__(self, page: ProjectsPage) -> None:
        super().__init__()
        self.page = page
        self.history_villages: dict[uuid.UUID, str] = {}
        self.programs: list[catalog.ProgramInfo] = []
        self.period_years: dict[str, tuple[int, int]] = {}
        self.today = dt.date.today()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea(widgetResizable=True, frameShape=QFrame.NoFrame)
        host = QWidget()
        self.form = QFormLayout(host)
        self.form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        # labels above their fields: the panel is narrow and the choices long
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        self.name = QLineEdit()
        self.program = WrappingCombo()
        self.component = WrappingCombo()
        self.kind = WrappingCombo()
        self.village = WrappingCombo()
        self.location = QLineEdit()
        self.investor = QLineEdit()
        self.approval_number = QLineEdit()
        self.approval_date = OptionalDateEdit()
        self.approval_body = QLineEdit()
        self.start_date = OptionalDateEdit()
        self.end_date = OptionalDateEdit()
        self.stage = WrappingCombo()
        self.progress = QSpinBox(minimum=0, maximum=100, suffix=" %")
        self.households = QSpinBox(minimum=0, maximum=100000)
        apply_rules("project", name=self.name, location=self.location, investor=self.investor,
                    approval_number=self.approval_number, approval_body=self.approval_body,
                    physical_progress=self.progress, beneficiary_households=self.households)
        self.description = QPlainTextEdit()
        self.description.setTabChangesFocus(True)
        self.description.setFixedHeight(64)
        apply_rules("project", description=self.description)  # its counter (issue 15)
        self.labels = [QLabel() for _ in range(16)]
        for label, widget in zip(self.labels, (
                self.name, self.program, self.component, self.kind, self.village,
                self.location, self.investor, self.approval_number, self.approval_date,
                self.approval_body, self.start_date, self.end_date, self.stage, self.progress,
                self.households, self.description)):
            label.setBuddy(widget)
            self.form.addRow(label, widget)
        self.program.currentIndexChanged.connect(self._fill_components)
        scroll.setWidget(host)
        outer.addWidget(scroll, 1)
        buttons = QHBoxLayout()
        self.save_button = QPushButton(objectName="primary")
        self.save_button.clicked.connect(self.save)
        buttons.addWidget(self.save_button)
        buttons.addStretch(1)
        outer.addLayout(buttons)
        self.project_id: uuid.UUID | None = None
        self.components: list[tuple[str, str]] = []
        # a draft of the record as it is typed (issue 15), offered above the form when the
        # same project (or a new one) is shown again
        self.drafts = PanelDraftKeeper(self, "ProjectForm", dict(
            name=self.name, program=self.program, component=self.component, kind=self.kind,
            village=self.village, location=self.location, investor=self.investor,
            approval_number=self.approval_number, approval_date=self.approval_date,
            approval_body=self.approval_body, start_date=self.start_date,
            end_date=self.end_date, stage=self.stage, progress=self.progress,
            households=self.households, description=self.description), outer, 0)

    def retranslate(self) -> None:
        for label, text in zip(self.labels, (
                _("Name"), _("Programme"), _("Component"), _("Kind"), _("Village"),
                _("Location"), _("Investor"), _("Approval decision"), _("Approval date"),
                _("Approved by"), _("Start"), _("End"), _("Stage"), _("Physical progress"),
                _("Number of beneficiary households"), _("Description"))):
            label.setText(text)
        self.save_button.setText(_("Save the project"))
        self.drafts.retranslate()

    def load_choices(self, meta: dict) -> None:
        self.components = meta["components"]
        #: every period's programmes; the combo offers those of the project's period (a new
        #: project: today's, the merged 2026-2035 programme from 2026)
        self.programs = list(meta["programs"])
        self.period_years = meta.get("period_years") or {}
        self.today = meta["today"]
        self._fill_programs(None)
        self.kind.clear()
        for kind in meta["kinds"]:
            self.kind.addItem(kind.name, kind.code)
        self.village.clear()
        self.village.addItem(_("(the whole commune)"), None)
        #: a predecessor's villages (labelled with their old unit) are shown only with a
        #: predecessor's project, which is read-only: a new project takes the unit's own
        self.history_villages = {v.id: v.label for v in meta["villages"] if v.history_of}
        for village in meta["villages"]:
            if not village.history_of:
                self.village.addItem(village.name, village.id)
        self.stage.clear()
        for stage in PROJECT_STAGES:
            self.stage.addItem(projects.stage_label(stage), stage)
        self._fill_components()

    def _fill_programs(self, program_id: str | None) -> None:
        """The programmes of ``program_id``'s period, or of today's year for a new project."""
        period = next((p.period_id for p in self.programs if p.id == program_id), None)
        if period is not None:
            offered = [p for p in self.programs if p.period_id == period]
        else:
            offered = catalog.programs_of_year(self.programs, self.period_years,
                                               self.today.year)
        self.program.blockSignals(True)
        self.program.clear()
        for program in offered:
            self.program.addItem(program.abbreviation, program.id)
        self.program.blockSignals(False)

    def _fill_components(self, *_args) -> None:
        program_id = self.program.currentData()
        current = self.component.currentData()
        self.component.clear()
        self.component.addItem(_("(not chosen)"), None)
        for key, label in self.components:
            if key.startswith(f"{program_id}/"):
                self.component.addItem(label, key)
        select_data(self.component, current)

    def show_project(self, info: projects.ProjectInfo | None) -> None:
        with self.drafts.loading(str(info.id) if info else "new"):
            self._fill(info)

    def _history_village(self, village_id: uuid.UUID | None) -> None:
        """Keep the one item of a predecessor's village shown last in the village list."""
        for index in range(self.village.count() - 1, 0, -1):
            if self.village.itemData(index) in self.history_villages:
                self.village.removeItem(index)
        if village_id in self.history_villages:
            self.village.addItem(self.history_villages[village_id], village_id)

    def _fill(self, info: projects.ProjectInfo | None) -> None:
        self.project_id = info.id if info else None
        self.name.setText(info.name if info else "")
        # a new project starts from the defaults (the first item of every list), never
        # from the project shown before
        self._history_village(None)
        self._fill_programs(info.program_id if info else None)
        for combo in (self.program, self.kind, self.village, self.stage):
            combo.setCurrentIndex(0 if combo.count() else -1)
        self._fill_components()
        self.component.setCurrentIndex(0 if self.component.count() else -1)
        if info:
            select_data(self.program, info.program_id)
            self._fill_components()
            select_data(self.component, info.component_id)
            select_data(self.kind, info.kind)
            self._history_village(info.village_id if info.history_of else None)
            select_data(self.village, info.village_id)
            select_data(self.stage, info.stage)
        self.location.setText(info.location if info else "")
        self.investor.setText(info.investor if info else "")
        self.approval_number.setText(info.approval_number if info else "")
        self.approval_date.setValue(info.approval_date if info else None)
        self.approval_body.setText(info.approval_body if info else "")
        self.start_date.setValue(info.start_date if info else None)
        self.end_date.setValue(info.end_date if info else None)
        self.progress.setValue(info.physical_progress if info else 0)
        self.households.setValue(info.beneficiary_households if info else 0)
        self.description.setPlainText(info.description if info else "")

    def values(self) -> dict | None:
        for edit in (self.approval_date, self.start_date, self.end_date):
            if edit.error():
                self.page.show_message(edit.error(), "late")
                edit.setFocus()
                return None
        return dict(name=self.name.text(), program_id=self.program.currentData(),
                    component_id=self.component.currentData(), kind=self.kind.currentData(),
                    village_id=self.village.currentData(), location=self.location.text(),
                    investor=self.investor.text(), approval_number=self.approval_number.text(),
                    approval_date=self.approval_date.value(),
                    approval_body=self.approval_body.text(),
                    start_date=self.start_date.value(), end_date=self.end_date.value(),
                    stage=self.stage.currentData(), physical_progress=self.progress.value(),
                    beneficiary_households=self.households.value(),
                    description=self.description.toPlainText())

    def save(self) -> bool:
        values = self.values()
        if values is None:
            return True
        self.page.save_project(self.project_id, values, draft=self.drafts.key)
        return True
