"""Dialogs of the projects page: marking two projects as not overlapping, and the decision
that approved a capital adjustment."""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit, QPlainTextEdit

from ctmtqg_desktop.gui.widgets import FormDialog, date_edit
from ctmtqg_desktop.i18n import _


# ---------------------------------------------------------------------------- overlaps, decisions
class NotOverlapDialog(FormDialog):
    def __init__(self, parent, *, flag, minimum: int) -> None:
        super().__init__(parent, _("Not an overlap"),
                         _("{first} ({first_program}) and {second} ({second_program}): "
                           "{reasons}").format(first=flag.first.name,
                                               first_program=flag.first.program_label,
                                               second=flag.second.name,
                                               second_program=flag.second.program_label,
                                               reasons=flag.reason_text))
        self.minimum = minimum
        self.reason = QPlainTextEdit()
        self.reason.setTabChangesFocus(True)
        self.reason.setFixedHeight(110)
        self.reason.setPlaceholderText(_("Why these are two distinct works (place, items, "
                                         "beneficiaries, the document checked)…"))
        self.row(_("Reason (kept with the decision)"), self.reason)
        if flag.decision is not None:
            self.reason.setPlainText(flag.decision.reason)
        self.draft_context = f"{flag.first.id}:{flag.second.id}"
        self.done_building()

    def problem(self) -> str:
        if len(self.reason.toPlainText().strip()) < self.minimum:
            return _("Write why these projects do not overlap (at least {count} characters): "
                     "the reason is kept with the decision.").format(count=self.minimum)
        return ""

    def values(self) -> dict:
        return dict(reason=self.reason.toPlainText())

    @classmethod
    def ask(cls, parent, **kwargs) -> dict | None:
        return cls.run(cls(parent, **kwargs))


class DecisionDialog(FormDialog):
    def __init__(self, parent, *, title: str, heading: str, today) -> None:
        super().__init__(parent, title, heading)
        self.decision_number = self.row(_("Decision number"), QLineEdit())
        self.decision_date = self.row(_("Decision date"), date_edit(today))
        self.draft_context = title  # the action and its project
        self.done_building()

    def problem(self) -> str:
        if not self.decision_number.text().strip():
            return _("Write the number of the decision that approved the adjustment.")
        return ""

    def values(self) -> dict:
        return dict(decision_number=self.decision_number.text(),
                    decision_date=self.decision_date.date().toPython())

    @classmethod
    def ask(cls, parent, **kwargs) -> dict | None:
        return cls.run(cls(parent, **kwargs))
