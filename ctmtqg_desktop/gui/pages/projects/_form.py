"""The project form of the projects page: name, kind, village, programme, stage, dates and
amounts."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QPaintEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QStyle,
    QStyleOptionComboBox,
    QStylePainter,
    QVBoxLayout,
    QWidget,
)

from ctmtqg_desktop.gui.drafts import PanelDraftKeeper
from ctmtqg_desktop.gui.widgets import OptionalDateEdit, apply_rules, select_data
from ctmtqg_desktop.i18n import _
from ctmtqg_desktop.services import projects
from ctmtqg_desktop.store.models.projects import PROJECT_STAGES

if TYPE_CHECKING:
    from ctmtqg_desktop.gui.pages.projects._page import ProjectsPage


class WrappingCombo(QComboBox):
    """A combo that shows its chosen item whole, on as many lines as the item needs (a
    component "ND11: Tăng cường công tác giám sát, …" is wider than the screen, the panel is
    about 350 pixels wide: issue 15, "ND06: Nâng cao chấ" was all one saw). The open list
    is as wide as its widest item (within the screen), and the chosen item is the tooltip."""

    def __init__(self) -> None:
        super().__init__()
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(8)
        policy = self.sizePolicy()
        policy.setHeightForWidth(True)
        policy.setVerticalPolicy(QSizePolicy.Policy.Minimum)
        self.setSizePolicy(policy)
        self.currentIndexChanged.connect(self._chosen)

    def _chosen(self, *_args: object) -> None:
        self.setToolTip(self.currentText())
        self.updateGeometry()

    def _option(self, width: int, height: int) -> QStyleOptionComboBox:
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        option.rect = QRect(0, 0, width, height)
        return option

    def text_rect(self, width: int | None = None, height: int | None = None) -> QRect:
        """Where the chosen item's text goes in a combo of that size (the current one by
        default)."""
        option = self._option(self.width() if width is None else width,
                              self.height() if height is None else height)
        return self.style().subControlRect(QStyle.ComplexControl.CC_ComboBox, option,
                                           QStyle.SubControl.SC_ComboBoxEditField, self)

    def text_height(self, width: int) -> int:
        """The height of the chosen item's text wrapped to ``width`` pixels."""
        return self.fontMetrics().boundingRect(
            QRect(0, 0, max(width, 1), 100_000), Qt.TextFlag.TextWordWrap,
            self.currentText() or " ").height()

    def hasHeightForWidth(self) -> bool:  # noqa: N802 (Qt API)
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 (Qt API)
        base = super().sizeHint().height()
        field = self.text_rect(width, base)
        return base - self.fontMetrics().height() + max(
            self.text_height(field.width()), self.fontMetrics().height())

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        hint = super().sizeHint()
        hint.setHeight(self.heightForWidth(max(self.width(), hint.width())))
        return hint

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 (Qt API)
        painter = QStylePainter(self)
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        text = option.currentText
        option.currentText = ""
        painter.drawComplexControl(QStyle.ComplexControl.CC_ComboBox, option)
        painter.setPen(self.palette().color(self.foregroundRole()))
        painter.drawText(self.text_rect().adjusted(1, 0, -1, 0),
                         int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
                             | Qt.TextFlag.TextWordWrap), text)

    def showPopup(self) -> None:  # noqa: N802 (Qt API)
        metrics = self.view().fontMetrics()
        widest = max((metrics.horizontalAdvance(self.itemText(i))
                      for i in range(self.count())), default=0) + 48
        screen = self.screen().availableGeometry().width() if self.screen() else widest
        self.view().setMinimumWidth(min(widest, screen - 16))
        self.view().setTextElideMode(Qt.TextElideMode.ElideMiddle)
        super().showPopup()


class ProjectForm(QWidget):
    """The shared project record, edited beside the list (Ctrl+S saves)."""

    def __init__(self, page: ProjectsPage) -> None:
        super().__init__()
        self.page = page
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
        self.program.blockSignals(True)
        self.program.clear()
        for program in meta["programs"]:
            self.program.addItem(program.abbreviation, program.id)
        self.program.blockSignals(False)
        self.kind.clear()
        for kind in meta["kinds"]:
            self.kind.addItem(kind.name, kind.code)
        self.village.clear()
        self.village.addItem(_("(the whole commune)"), None)
        for village in meta["villages"]:
            self.village.addItem(village.name, village.id)
        self.stage.clear()
        for stage in PROJECT_STAGES:
            self.stage.addItem(projects.stage_label(stage), stage)
        self._fill_components()

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

    def _fill(self, info: projects.ProjectInfo | None) -> None:
        self.project_id = info.id if info else None
        self.name.setText(info.name if info else "")
        # a new project starts from the defaults (the first item of every list), never
        # from the project shown before
        for combo in (self.program, self.kind, self.village, self.stage):
            combo.setCurrentIndex(0 if combo.count() else -1)
        self._fill_components()
        self.component.setCurrentIndex(0 if self.component.count() else -1)
        if info:
            select_data(self.program, info.program_id)
            self._fill_components()
            select_data(self.component, info.component_id)
            select_data(self.kind, info.kind)
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
