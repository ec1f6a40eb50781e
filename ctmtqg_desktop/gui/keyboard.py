"""Keyboard rules that hold for every widget of the application.

A table is one Tab stop: Tab leaves it for the next field and the arrow keys move inside it
(Qt's tables move from cell to cell on Tab by default, so a page with a table trapped the
keyboard: Tab looped inside "Kế hoạch vốn"'s programme table forever). :class:`KeyboardRules`
applies this to every item view as it is first shown, wherever it was built.

Esc on a form with changes asks "Bỏ nội dung đang nhập?" (:func:`ask_before_discarding`)
instead of silently throwing the typing away.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDialog,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from ctmtqg_desktop.i18n import _


class KeyboardRules(QObject):
    """Installed once on the application (``app.installEventFilter``)."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.Polish and isinstance(watched, QAbstractItemView):
            watched.setTabKeyNavigation(False)
        return False


def install(app: QObject) -> KeyboardRules:
    """The rules for every item view from now on, and for those already polished (the
    window may have painted before the rules were installed)."""
    rules = KeyboardRules(app)
    app.installEventFilter(rules)
    for widget in QApplication.allWidgets():
        if isinstance(widget, QAbstractItemView):
            widget.setTabKeyNavigation(False)
    return rules


def form_state(form: QWidget) -> tuple[object, ...]:
    """What the user has entered in ``form``: the text, choice or tick of every field (the
    line inside a combo box or spin box counts with its owner)."""
    values: list[object] = []
    for child in form.findChildren(QWidget):
        if isinstance(child, QLineEdit):
            if isinstance(child.parent(), (QComboBox, QAbstractSpinBox)):
                continue
            values.append(child.text())
        elif isinstance(child, (QPlainTextEdit, QTextEdit)):
            if not child.isReadOnly():
                values.append(child.toPlainText())
        elif isinstance(child, QComboBox):
            values.append((child.currentIndex(), child.currentText()))
        elif isinstance(child, QAbstractSpinBox):
            values.append(child.text())
        elif isinstance(child, QAbstractButton) and child.isCheckable():
            values.append(child.isChecked())
        elif isinstance(child, QListWidget):
            values.append(child.count())
    return tuple(values)


class _DiscardGuard(QObject):
    def __init__(self, dialog: QDialog) -> None:
        super().__init__(dialog)
        self.dialog = dialog
        self.state = form_state(dialog)

    def changed(self) -> bool:
        return form_state(self.dialog) != self.state

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if (isinstance(event, QKeyEvent) and event.type() == QEvent.Type.KeyPress
                and event.key() == Qt.Key.Key_Escape
                and event.modifiers() == Qt.KeyboardModifier.NoModifier and self.changed()):
            return not confirm_discard(self.dialog)
        return False


def confirm_discard(parent: QWidget) -> bool:
    """Ask "Bỏ nội dung đang nhập?"; True when the user chooses to discard."""
    box = QMessageBox(QMessageBox.Icon.Question, _("Discard what you typed?"),
                      _("Discard what you typed?"), parent=parent)
    box.setInformativeText(_("The form has changes that are not saved."))
    discard = box.addButton(_("Discard"), QMessageBox.ButtonRole.DestructiveRole)
    keep = box.addButton(_("Keep typing"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(keep)
    box.setEscapeButton(keep)
    box.exec()
    return box.clickedButton() is discard


def ask_before_discarding(dialog: QDialog) -> None:
    """From now on Esc on ``dialog`` asks before throwing away what was typed (its fields
    as they are now count as unchanged). Call it once the dialog's fields are filled."""
    guard = dialog.findChild(_DiscardGuard)
    if guard is not None:
        guard.state = form_state(dialog)
        return
    dialog.installEventFilter(_DiscardGuard(dialog))
