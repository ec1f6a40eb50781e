"""Drafts of a form kept while typing (issue 15: "a crash or power cut while typing costs at
most the field being typed").

:class:`DraftKeeper` watches the named fields of a :class:`~ctmtqg_desktop.gui.widgets.
FormDialog`; a short while after the last change it writes their values to the workspace's
drafts file (:class:`ctmtqg_desktop.store.drafts.Drafts`, written atomically). Save or
Cancel removes the draft. When the same form (same kind, same record) is opened again and a
draft is left (the application crashed or the power went), a line at the top asks
"Khôi phục nội dung đang nhập dở?" with Restore and Discard buttons.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import (
    QAbstractButton,
    QBoxLayout,
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from ctmtqg_desktop.i18n import _
from ctmtqg_desktop.store.drafts import Drafts

#: milliseconds after the last keystroke before the draft is written
DELAY_MS = 600


def read_value(widget: QWidget) -> Any:
    """The value of one field as plain JSON (None for a kind of widget not kept)."""
    if isinstance(widget, QLineEdit):
        return widget.text()
    if isinstance(widget, QPlainTextEdit):
        return widget.toPlainText()
    if isinstance(widget, QComboBox):
        return widget.currentText()
    if isinstance(widget, (QSpinBox, QDoubleSpinBox)):
        return widget.value()
    if isinstance(widget, QAbstractButton) and widget.isCheckable():
        return widget.isChecked()
    return None


def write_value(widget: QWidget, value: Any) -> None:
    """Put a kept value back (a choice no longer offered is left as it is)."""
    if isinstance(widget, QLineEdit) and isinstance(value, str):
        widget.setText(value)
        widget.editingFinished.emit()  # amounts are shown with their dots again
    elif isinstance(widget, QPlainTextEdit) and isinstance(value, str):
        widget.setPlainText(value)
    elif isinstance(widget, QComboBox) and isinstance(value, str):
        index = widget.findText(value)
        if index >= 0:
            widget.setCurrentIndex(index)
    elif isinstance(widget, QSpinBox) and isinstance(value, int):
        widget.setValue(value)
    elif isinstance(widget, QDoubleSpinBox) and isinstance(value, (int, float)):
        widget.setValue(float(value))
    elif isinstance(widget, QAbstractButton) and isinstance(value, bool):
        widget.setChecked(value)


_CHANGE_SIGNALS = ("textChanged", "valueChanged", "currentIndexChanged", "toggled")


def workspace_folder(widget: QWidget | None) -> Path | None:
    """The folder of the workspace the widget's page works on (its first ancestor with a
    ``workspace``), or None."""
    while widget is not None:
        workspace = getattr(widget, "workspace", None)
        folder = getattr(workspace, "folder", None)
        if folder is not None:
            return Path(folder)
        widget = widget.parentWidget()
    return None


class DraftKeeper(QObject):
    """Keeps the draft of one open form; see the module docstring."""

    def __init__(self, dialog: QDialog, drafts: Drafts, key: str,
                 fields: dict[str, QWidget]) -> None:
        super().__init__(dialog)
        self.dialog = dialog
        self.drafts = drafts
        self.key = key
        self.fields = {name: widget for name, widget in fields.items()
                       if read_value(widget) is not None}
        self.timer = QTimer(self, singleShot=True, interval=DELAY_MS)
        self.timer.timeout.connect(self.save_now)
        self.initial = self.values()
        self.offered = drafts.get(key)
        if self.offered == self.initial:
            self.offered = None
        self.bar = self._offer_bar() if self.offered else None
        for widget in self.fields.values():
            for signal in _CHANGE_SIGNALS:
                if hasattr(widget, signal):
                    getattr(widget, signal).connect(self.changed)
                    break
        dialog.finished.connect(self.discard)  # saved or cancelled: the draft has served

    def values(self) -> dict[str, Any]:
        return {name: read_value(widget) for name, widget in self.fields.items()}

    def changed(self, *_args: object) -> None:
        self.timer.start()

    def save_now(self) -> None:
        values = self.values()
        if values == self.initial:
            self.drafts.remove(self.key)
        elif self.bar is None or not self.bar.isVisible():  # never over an unanswered offer
            self.drafts.put(self.key, values)

    def restore(self) -> None:
        for name, value in (self.offered or {}).items():
            widget = self.fields.get(name)
            if widget is not None:
                write_value(widget, value)
        self._close_offer()

    def drop_offer(self) -> None:
        self.drafts.remove(self.key)
        self._close_offer()

    def discard(self, *_args: object) -> None:
        self.timer.stop()
        self.drafts.remove(self.key)

    def _close_offer(self) -> None:
        self.offered = None
        if self.bar is not None:
            self.bar.hide()
        self.save_now()

    def _offer_bar(self) -> QFrame:
        bar = QFrame()
        bar.setObjectName("notice")
        row = QHBoxLayout(bar)
        question = QLabel(_("Restore what you were typing?"), wordWrap=True)
        row.addWidget(question, 1)
        self.restore_button = QPushButton(_("Restore the draft"))
        self.restore_button.clicked.connect(self.restore)
        self.drop_button = QPushButton(_("Discard the draft"))
        self.drop_button.clicked.connect(self.drop_offer)
        row.addWidget(self.restore_button)
        row.addWidget(self.drop_button)
        bar.setAccessibleName(question.text())
        layout = self.dialog.layout()
        if isinstance(layout, QBoxLayout):  # under the form's title
            layout.insertWidget(1, bar)
        return bar


def keep_drafts(dialog: QDialog, key: str,
                fields: dict[str, QWidget]) -> DraftKeeper | None:
    """Start keeping drafts of ``dialog`` under ``key`` (once; None without a workspace)."""
    for existing in dialog.findChildren(DraftKeeper):
        return existing
    folder = workspace_folder(dialog.parentWidget())
    if folder is None or not folder.is_dir():
        return None
    return DraftKeeper(dialog, Drafts(folder), key, fields)


def keep_form_drafts(dialog: QDialog, context: str) -> DraftKeeper | None:
    """Drafts for a form that is a plain dialog (not a ``FormDialog``): every field the
    dialog holds in an attribute is kept, under the dialog's kind and ``context`` (the
    record edited, or "new"); the same as ``FormDialog.draft_context``."""
    fields = {name: value for name, value in vars(dialog).items()
              if isinstance(value, QWidget) and not isinstance(value, QPushButton)
              and read_value(value) is not None}
    return keep_drafts(dialog, f"{type(dialog).__name__}:{context}", fields)



class PanelDraftKeeper(QObject):
    """Drafts for a form that lives in a page's panel rather than in a dialog (the project
    record beside the list, a dossier document's panel and its form): the panel shows one
    record after another, so the keeper follows the record shown.

    The panel loads a record inside ``with keeper.loading(context):`` (the record's id, or
    "new"); the draft of that record, if one is left, is then offered in a bar the keeper
    puts in ``layout`` at ``index``. As in a dialog, typing writes the draft a moment after
    the last key; :meth:`saved` (after a successful save) and the bar's Discard remove it.
    Leaving a record with changes keeps its draft: it is offered when that record is shown
    again (after a crash as much as after choosing another record)."""

    def __init__(self, panel: QWidget, kind: str, fields: dict[str, QWidget],
                 layout: QBoxLayout, index: int = 0) -> None:
        super().__init__(panel)
        self.panel = panel
        self.kind = kind
        self.fields: dict[str, QWidget] = {}
        self.key: str | None = None
        self.initial: dict[str, Any] = {}
        self.offered: dict[str, Any] | None = None
        self.paused = True
        self.timer = QTimer(self, singleShot=True, interval=DELAY_MS)
        self.timer.timeout.connect(self.save_now)
        self.bar = QFrame()
        self.bar.setObjectName("notice")
        row = QHBoxLayout(self.bar)
        self.question = QLabel(wordWrap=True)
        row.addWidget(self.question, 1)
        self.restore_button = QPushButton()
        self.restore_button.clicked.connect(self.restore)
        self.drop_button = QPushButton()
        self.drop_button.clicked.connect(self.drop_offer)
        row.addWidget(self.restore_button)
        row.addWidget(self.drop_button)
        self.bar.hide()
        layout.insertWidget(index, self.bar)
        self.retranslate()
        self.set_fields(fields)

    def retranslate(self) -> None:
        self.question.setText(_("Restore what you were typing?"))
        self.bar.setAccessibleName(self.question.text())
        self.restore_button.setText(_("Restore the draft"))
        self.drop_button.setText(_("Discard the draft"))

    def set_fields(self, fields: dict[str, QWidget]) -> None:
        """The fields kept (a form built per record gives its fields before each load)."""
        self.fields = {name: widget for name, widget in fields.items()
                       if read_value(widget) is not None}
        for widget in self.fields.values():
            for signal in _CHANGE_SIGNALS:
                if hasattr(widget, signal):
                    getattr(widget, signal).connect(self.changed)
                    break

    def drafts(self) -> Drafts | None:
        folder = workspace_folder(self.panel)
        return Drafts(folder) if folder is not None and folder.is_dir() else None

    def values(self) -> dict[str, Any]:
        return {name: read_value(widget) for name, widget in self.fields.items()}

    def changed(self, *_args: object) -> None:
        if not self.paused and self.key is not None:
            self.timer.start()

    def save_now(self) -> None:
        self.timer.stop()
        drafts = self.drafts()
        if drafts is None or self.key is None or self.paused:
            return
        if self.bar.isVisibleTo(self.panel):  # never over an unanswered offer
            return
        values = self.values()
        if values == self.initial:
            drafts.remove(self.key)
        else:
            drafts.put(self.key, values)

    def loading(self, context: str) -> _Loading:
        """``with keeper.loading(context):`` around the panel's filling of its fields."""
        return _Loading(self, context)

    def _leave(self) -> None:
        if self.timer.isActive():  # the last keystrokes of the record being left
            self.save_now()
        self.paused = True

    def _enter(self, context: str) -> None:
        self.paused = False
        self.key = f"{self.kind}:{context}"
        self.initial = self.values()
        drafts = self.drafts()
        offered = drafts.get(self.key) if drafts is not None else None
        self.offered = offered if offered and offered != self.initial else None
        self.bar.setVisible(self.offered is not None)

    def restore(self) -> None:
        self.paused = True
        for name, value in (self.offered or {}).items():
            widget = self.fields.get(name)
            if widget is not None:
                write_value(widget, value)
        self.paused = False
        self._close_offer()

    def drop_offer(self) -> None:
        drafts = self.drafts()
        if drafts is not None and self.key is not None:
            drafts.remove(self.key)
        self._close_offer()

    def _close_offer(self) -> None:
        self.offered = None
        self.bar.hide()
        self.save_now()

    def saved(self, key: str | None = None) -> None:
        """The record was saved: its draft has served (``key``: the record's key when the
        save was asked, the current one by default)."""
        key = key or self.key
        if key == self.key:
            self.timer.stop()
            self.initial = self.values()
            self.offered = None
            self.bar.hide()
        drafts = self.drafts()
        if drafts is not None and key is not None:
            drafts.remove(key)

    def discard(self) -> None:
        """The user chose to drop the changes (closing the form anyway): no draft left."""
        self.saved()


class _Loading:
    def __init__(self, keeper: PanelDraftKeeper, context: str) -> None:
        self.keeper = keeper
        self.context = context

    def __enter__(self) -> PanelDraftKeeper:
        self.keeper._leave()
        return self.keeper

    def __exit__(self, *_exc: object) -> None:
        self.keeper._enter(self.context)
