"""The activity form (Thêm / sửa hoạt động), in two columns so that it fits a 1366x768
screen: what and when on the left, who and what came of it on the right.

``ActivityDialog.ask(...)`` returns plain values for ``activities.save_activity`` (or None
when cancelled), so tests replace it. While typing, the dialog applies the service's checks
on the numbers and dates and shows the Vietnamese sentence, with Save disabled.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ctmtqg_desktop.domain import field_rules
from ctmtqg_desktop.gui.keyboard import ask_before_discarding
from ctmtqg_desktop.gui.widgets import (
    EvidenceFiles,
    MoneyEdit,
    OptionalDateEdit,
    SavingDialog,
    apply_rule,
    apply_rules,
    date_edit,
    select_data,
    show_problem,
)
from ctmtqg_desktop.i18n import _, pgettext

#: the place combo's value for "a place that is not one of the villages"
OTHER_PLACE = "other"


def people_box() -> QSpinBox:
    """A count of people, grouped the Vietnamese way (1.250)."""
    from PySide6.QtCore import QLocale

    box = QSpinBox(maximum=10_000_000, groupSeparatorShown=True)
    box.setLocale(QLocale(QLocale.Vietnamese, QLocale.Vietnam))
    box.setAlignment(Qt.AlignRight | Qt.AlignVCenter)
    box.setMinimumWidth(110)
    box.setMaximumWidth(150)
    return box


def plain_text(height: int) -> QPlainTextEdit:
    editor = QPlainTextEdit()
    editor.setTabChangesFocus(True)  # Tab moves on, as in every other field
    editor.setFixedHeight(height)
    return editor


class ActivityDialog(EvidenceFiles, SavingDialog):
    def __init__(self, parent: QWidget | None, *, options, today: dt.date,
                 activity=None) -> None:
        super().__init__(parent)
        self.options = options
        self.evidence: list[Path] = []
        self.setMinimumWidth(1040)
        layout = QVBoxLayout(self)
        self.heading = QLabel(objectName="dialogTitle")
        layout.addWidget(self.heading)
        columns = QHBoxLayout()
        left, right = QFormLayout(), QFormLayout()
        for form in (left, right):
            form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        columns.addLayout(left, 1)
        columns.addSpacing(12)
        columns.addLayout(right, 1)
        layout.addLayout(columns)
        self.labels: dict[str, QLabel] = {}
        self._build_left(left, options, today)
        self._build_right(right)
        self.message = QLabel(wordWrap=True, objectName="formMessage")
        layout.addWidget(self.message)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Cancel)
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._connect()
        self._fill_components()
        if activity is not None:
            self.load(activity)
        self._place_changed()
        self.retranslate(editing=activity is not None)
        self.refresh()
        self.title.setFocus()
        #: the fields the service's refusals name (shown under them after Save, issue 15)
        self.refusal_fields = {
            _("Title"): self.title, _("From"): self.start_on,
            pgettext("activity dates", "To"): self.end_on, _("Cost"): self.cost,
            _("Campaign or movement"): self.campaign, _("Place"): self.place,
            _("Organiser"): self.organiser, _("Programme"): self.program,
            _("Programme component"): self.component, _("Kind"): self.kind}

    def _add_row(self, form: QFormLayout, key: str, widget: QWidget) -> Any:
        label = QLabel()
        label.setBuddy(widget)  # Alt + the label's letter, where a translation sets one
        self.labels[key] = label
        form.addRow(label, widget)
        return widget

    def _build_left(self, left: QFormLayout, options, today: dt.date) -> None:
        """What, when, where."""
        self.kind = self._add_row(left, "kind", QComboBox())
        for key, label in options.kinds:
            self.kind.addItem(label, key)
        self.title = self._add_row(left, "title", apply_rule(
            QLineEdit(), field_rules.rule("activity", "title")))
        self.campaign = self._add_row(left, "campaign", QComboBox(editable=True))
        self.campaign.setInsertPolicy(QComboBox.NoInsert)
        self.campaign.addItem("")
        for name in options.campaigns:
            self.campaign.addItem(name)
        self.campaign.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
        self.campaign.setMinimumContentsLength(30)
        completer = self.campaign.completer()
        completer.setFilterMode(Qt.MatchContains)
        completer.setCompletionMode(QCompleter.PopupCompletion)
        self.program = self._add_row(left, "program", QComboBox())
        self.program.addItem("", None)
        for key, label in options.programs:
            self.program.addItem(label, key)
        self.component = self._add_row(left, "component", QComboBox())
        for combo in (self.program, self.component):
            combo.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(30)
        self.project = self._add_row(left, "project", QComboBox())
        self.project.addItem("", None)
        for ident, name in options.projects:
            self.project.addItem(name, ident)
        self.project.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
        self.project.setMinimumContentsLength(30)
        dates = QHBoxLayout()
        self.start_on = date_edit(today)
        self.end_on = OptionalDateEdit()
        self.to_label = QLabel()
        dates.addWidget(self.start_on)
        dates.addWidget(self.to_label)
        dates.addWidget(self.end_on)
        dates.addStretch(1)
        self.labels["dates"] = QLabel()
        self.labels["dates"].setBuddy(self.start_on)
        left.addRow(self.labels["dates"], dates)
        place_row = QHBoxLayout()
        self.village = QComboBox()
        self.village.addItem("", None)
        for ident, name in options.villages:
            self.village.addItem(name, ident)
        self.village.addItem("", OTHER_PLACE)
        self.place = apply_rule(QLineEdit(), field_rules.rule("activity", "place"))
        place_row.addWidget(self.village, 2)
        place_row.addWidget(self.place, 3)
        self.labels["place"] = QLabel()
        self.labels["place"].setBuddy(self.village)
        left.addRow(self.labels["place"], place_row)
        self.organiser = self._add_row(left, "organiser", apply_rule(
            QLineEdit(), field_rules.rule("activity", "organiser")))
        self.organiser.setCompleter(QCompleter(list(options.organisers), self))
        self.cost = self._add_row(left, "cost", MoneyEdit())
        apply_rules("activity", title=self.title, place=self.place, organiser=self.organiser,
                    cost=self.cost)
        self.cost.setMaximumWidth(200)

    def _build_right(self, right: QFormLayout) -> None:
        """Who, what was done, what came of it."""
        self.participants = self._add_row(right, "participants", people_box())
        self.women = self._add_row(right, "women", people_box())
        self.ethnic = self._add_row(right, "ethnic", people_box())
        self.poor = self._add_row(right, "poor", people_box())
        self.content = self._add_row(right, "content", plain_text(64))
        self.results = self._add_row(right, "results", plain_text(64))
        self.recommendations = self._add_row(right, "recommendations", plain_text(52))
        apply_rules("activity", content=self.content, results=self.results,
                    recommendations=self.recommendations)
        files_row = QHBoxLayout()
        self.files = QListWidget()
        self.files.setFixedHeight(56)
        self.files.setTextElideMode(Qt.ElideMiddle)
        self.files.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.add_file = QPushButton()
        self.add_file.clicked.connect(self.choose_file)
        files_row.addWidget(self.files, 1)
        files_row.addWidget(self.add_file, 0, Qt.AlignTop)
        self.labels["files"] = QLabel()
        right.addRow(self.labels["files"], files_row)

    def _connect(self) -> None:
        self.program.currentIndexChanged.connect(self._fill_components)
        self.village.currentIndexChanged.connect(self._place_changed)
        for widget in (self.title, self.end_on, self.place):
            widget.textChanged.connect(self.refresh)
        for box in (self.participants, self.women, self.ethnic, self.poor):
            box.valueChanged.connect(self.refresh)
        self.cost.valueChanged.connect(self.refresh)
        self.cost.textChanged.connect(self.refresh)
        self.start_on.textChanged.connect(self.refresh)

    def retranslate(self, *, editing: bool) -> None:
        self.setWindowTitle(_("Activities"))
        self.heading.setText(_("Edit the activity") if editing else _("Record an activity"))
        texts = {"kind": _("Kind"), "title": _("Title"), "campaign": _("Campaign or movement"),
                 "program": _("Programme"), "component": _("Component"),
                 "project": _("Project"), "dates": _("Date (from - to)"), "place": _("Place"),
                 "organiser": _("Organiser"), "cost": _("Cost (đồng)"),
                 "participants": _("Participants"), "women": _("of whom women"),
                 "ethnic": _("ethnic-minority people"), "poor": _("of poor households"),
                 "content": _("Content"), "results": _("Results, findings"),
                 "recommendations": _("Recommendations"), "files": _("Evidence")}
        for key, text in texts.items():
            self.labels[key].setText(text)
        self.to_label.setText(_("to"))
        self.end_on.setToolTip(_("Leave empty for a one-day activity"))
        self.program.setItemText(0, _("(every programme)"))
        self.project.setItemText(0, _("(no project)"))
        self.village.setItemText(0, _("(not in a village)"))
        self.village.setItemText(self.village.count() - 1, _("another place…"))
        self.place.setPlaceholderText(_("e.g. Hội trường UBND xã"))
        self.campaign.lineEdit().setPlaceholderText(
            _("a campaign or emulation movement (optional)"))
        self.organiser.setPlaceholderText(_("e.g. UBND xã, Ủy ban MTTQ Việt Nam xã"))
        self.add_file.setText(_("Attach…"))
        self.buttons.button(QDialogButtonBox.Save).setText(_("Save"))
        self.buttons.button(QDialogButtonBox.Cancel).setText(_("Cancel"))

    def _fill_components(self, *_args) -> None:
        program = self.program.currentData()
        current = self.component.currentData()
        self.component.blockSignals(True)
        self.component.clear()
        self.component.addItem(_("(whole programme)"), None)
        for key, program_id, label in self.options.components:
            if program_id == program:
                self.component.addItem(label, key)
        select_data(self.component, current)
        self.component.setEnabled(program is not None)
        self.component.blockSignals(False)

    def _place_changed(self, *_args) -> None:
        other = self.village.currentData() == OTHER_PLACE
        self.place.setVisible(other)
        if other and self.isVisible():
            self.place.setFocus()
        self.refresh()

    def load(self, activity) -> None:
        select_data(self.kind, activity.kind)
        self.title.setText(activity.title)
        self.campaign.setCurrentText(activity.campaign)
        select_data(self.program, activity.program_id)
        self._fill_components()
        select_data(self.component, activity.component_id)
        select_data(self.project, activity.project_id)
        from ctmtqg_desktop.gui.widgets import qdate

        self.start_on.setDate(qdate(activity.start_on))
        self.end_on.setValue(activity.end_on)
        if activity.village_id is not None:
            select_data(self.village, activity.village_id)
        elif activity.place:
            select_data(self.village, OTHER_PLACE)
            self.place.setText(activity.place)
        self.organiser.setText(activity.organiser)
        self.cost.setValue(activity.cost)
        self.participants.setValue(activity.participants)
        self.women.setValue(activity.women)
        self.ethnic.setValue(activity.ethnic_minority)
        self.poor.setValue(activity.poor)
        self.content.setPlainText(activity.content)
        self.results.setPlainText(activity.results)
        self.recommendations.setPlainText(activity.recommendations)
        for item in activity.files:
            self.files.addItem(item.original_name)

    def problem(self) -> str:
        """The first reason the form cannot be saved, in Vietnamese ("" when it can)."""
        from ctmtqg_desktop.domain.formats import format_number

        if not self.title.text().strip():
            return _("Title") + ": " + _("the title is empty")
        if self.start_on.error() or self.end_on.error():
            return self.start_on.error() or self.end_on.error()
        end = self.end_on.value()
        start = self.start_on.date().toPython()
        if end is not None and end < start:
            from ctmtqg_desktop.domain.formats import format_date

            return pgettext("activity dates", "To") + ": " + _(
                "the last day ({end}) is before the first ({start})").format(
                end=format_date(end), start=format_date(start))
        total = self.participants.value()
        for box, label in ((self.women, _("Women")), (self.ethnic, _("Ethnic-minority people")),
                           (self.poor, _("People of poor households"))):
            if box.value() > total:
                return label + ": " + _("{part} is more than the {total} participants in all"
                                        ).format(part=format_number(box.value()),
                                                 total=format_number(total))
        if self.cost.error():
            return self.cost.error()
        if self.village.currentData() == OTHER_PLACE and not self.place.text().strip():
            return _("Place") + ": " + _("write where it was held")
        return ""

    def refresh(self, *_args) -> None:
        show_problem(self.problem, self.message, self.buttons.button(QDialogButtonBox.Save))

    def _accept(self) -> None:
        self.refresh()
        if self.buttons.button(QDialogButtonBox.Save).isEnabled():
            self.accept()

    def values(self) -> dict[str, Any]:
        village = self.village.currentData()
        return dict(
            kind=self.kind.currentData(), title=self.title.text(),
            campaign=self.campaign.currentText(), program_id=self.program.currentData(),
            component_id=self.component.currentData(), project_id=self.project.currentData(),
            start_on=self.start_on.date().toPython(), end_on=self.end_on.value(),
            village_id=village if village not in (None, OTHER_PLACE) else None,
            place=self.place.text() if village == OTHER_PLACE else "",
            organiser=self.organiser.text(), participants=self.participants.value(),
            women=self.women.value(), ethnic_minority=self.ethnic.value(),
            poor=self.poor.value(), content=self.content.toPlainText(),
            results=self.results.toPlainText(),
            recommendations=self.recommendations.toPlainText(), cost=self.cost.value(),
            evidence=list(self.evidence))

    @classmethod
    def ask(cls, parent, *, options, today: dt.date, activity=None, save=None):
        from ctmtqg_desktop.gui.drafts import keep_form_drafts

        dialog = cls(parent, options=options, today=today, activity=activity)
        ask_before_discarding(dialog)  # Esc asks before losing what was typed
        keep_form_drafts(dialog, str(activity.id) if activity is not None else "new")
        return dialog.answer(save)  # with save: saved in the form (issue 15)
