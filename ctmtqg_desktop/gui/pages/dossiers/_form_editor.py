"""The form editor: fill a dossier document's form, checked as you type, then save or print.

Fields are built from the template's form (text, number, money, date, choice, household list,
signature block). Every change is checked by the same rules the service applies
(:mod:`ctmtqg_desktop.domain.forms`); the reason shows under the field at once, and an amount
is read back in words as it is typed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ctmtqg_desktop.domain.dossier_templates import FormField, FormSpec
from ctmtqg_desktop.domain.forms import check_form, check_value, edit_text
from ctmtqg_desktop.domain.money import amount_in_words
from ctmtqg_desktop.domain.text import matches
from ctmtqg_desktop.gui.drafts import PanelDraftKeeper
from ctmtqg_desktop.gui.palette import ERROR_STYLE
from ctmtqg_desktop.i18n import _


class HouseholdPicker(QWidget):
    """Tick the households of a list; a search box narrows the list (diacritics optional)."""

    changed = Signal()

    def __init__(self) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.search = QLineEdit(clearButtonEnabled=True)
        self.search.textChanged.connect(self._filter)
        self.list = QListWidget()
        self.list.setMinimumHeight(160)
        self.list.itemChanged.connect(lambda _item: self._count())
        self.count = QLabel(objectName="muted")
        layout.addWidget(self.search)
        layout.addWidget(self.list)
        layout.addWidget(self.count)
        self.search.setPlaceholderText(_("Find a household (diacritics optional)…"))

    def set_households(self, rows: list, chosen: list[str]) -> None:
        self.list.blockSignals(True)
        self.list.clear()
        wanted = set(chosen)
        ordered = sorted(rows, key=lambda r: (str(r.id) not in wanted, r.village_name,
                                              r.head_name))
        for row in ordered:
            item = QListWidgetItem(f"{row.head_name} · {row.village_name} · {row.status_text}")
            item.setData(Qt.UserRole, str(row.id))
            item.setData(Qt.UserRole + 1, f"{row.head_name} {row.village_name}")
            item.setFlags(item.flags() | Qt.ItemIsUserCheckable)
            item.setCheckState(Qt.Checked if str(row.id) in wanted else Qt.Unchecked)
            self.list.addItem(item)
        self.list.blockSignals(False)
        self._count(emit=False)

    def value(self) -> list[str]:
        return [self.list.item(i).data(Qt.UserRole) for i in range(self.list.count())
                if self.list.item(i).checkState() == Qt.Checked]

    def _filter(self, text: str) -> None:
        for i in range(self.list.count()):
            item = self.list.item(i)
            item.setHidden(not matches(text, item.data(Qt.UserRole + 1)))

    def _count(self, emit: bool = True) -> None:
        self.count.setText(_("{count} households chosen").format(count=len(self.value())))
        if emit:
            self.changed.emit()


class _FieldEditor:
    """One field's widget, its error line and (for amounts) its reading in words."""

    def __init__(self, field: FormField, on_change: Callable[[], None]) -> None:
        self.field = field
        self.error = QLabel(wordWrap=True)
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.hide()
        self.words = QLabel(objectName="muted", wordWrap=True)
        self.words.hide()
        self.role_edits: dict[str, QLineEdit] = {}
        kind = field.type
        if kind == "choice":
            self.widget = QComboBox()
            self.widget.addItem("", "")
            for option in field.options:
                self.widget.addItem(option, option)
            self.widget.currentIndexChanged.connect(lambda _i: on_change())
        elif kind == "households":
            self.widget = HouseholdPicker()
            self.widget.changed.connect(on_change)
        elif kind == "signature":
            self.widget = QWidget()
            inner = QFormLayout(self.widget)
            inner.setContentsMargins(0, 0, 0, 0)
            for role in field.roles:
                edit = QLineEdit()
                edit.setPlaceholderText(_("full name"))
                edit.textChanged.connect(lambda _t: on_change())
                inner.addRow(role, edit)
                self.role_edits[role] = edit
        elif kind == "text" and field.multiline:
            self.widget = QPlainTextEdit()
            self.widget.setTabChangesFocus(True)
            self.widget.setFixedHeight(84)
            self.widget.textChanged.connect(on_change)
        else:
            self.widget = QLineEdit()
            if kind == "date":
                self.widget.setPlaceholderText(_("dd/mm/yyyy"))
            elif kind == "time":
                self.widget.setPlaceholderText(_("hh:mm"))
            elif kind == "money":
                self.widget.setPlaceholderText(_("e.g. 1.250.000"))
            if kind in ("money", "number"):
                self.widget.setAlignment(Qt.AlignRight | Qt.AlignVCenter)
            self.widget.textChanged.connect(lambda _t: on_change())
        if field.help:
            self.widget.setToolTip(field.help)

    def raw(self) -> Any:
        kind = self.field.type
        if kind == "choice":
            return self.widget.currentData()
        if kind == "households":
            return self.widget.value()
        if kind == "signature":
            return {role: edit.text() for role, edit in self.role_edits.items()}
        if isinstance(self.widget, QPlainTextEdit):
            return self.widget.toPlainText()
        return self.widget.text()

    def load(self, value: Any, households: list) -> None:
        kind = self.field.type
        if kind == "choice":
            index = self.widget.findData(value or "")
            self.widget.setCurrentIndex(max(index, 0))
        elif kind == "households":
            self.widget.set_households(households, value or [])
        elif kind == "signature":
            for role, edit in self.role_edits.items():
                edit.setText((value or {}).get(role, ""))
        elif isinstance(self.widget, QPlainTextEdit):
            self.widget.setPlainText(value or "")
        else:
            self.widget.setText(edit_text(self.field, value))

    def show_problem(self, problem: str | None, value: Any) -> None:
        self.error.setText(problem or "")
        self.error.setVisible(bool(problem))
        if self.field.type == "money":
            shown = value is not None and not problem
            self.words.setText(_("In words: {words}").format(words=amount_in_words(value))
                               if shown else "")
            self.words.setVisible(shown)


class FormEditor(QWidget):
    """Edits one document's form; ``saved`` is emitted after a successful save."""

    closed = Signal()
    save_requested = Signal(dict)
    print_requested = Signal()

    def __init__(self) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.heading = QLabel(objectName="cardTitle", wordWrap=True)
        self.subject = QLabel(objectName="subtitle", wordWrap=True)
        layout.addWidget(self.heading)
        layout.addWidget(self.subject)
        self.scroll = QScrollArea(widgetResizable=True, frameShape=QFrame.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.host = QWidget()
        self.form = QFormLayout(self.host)
        self.form.setRowWrapPolicy(QFormLayout.WrapAllRows)
        self.scroll.setWidget(self.host)
        layout.addWidget(self.scroll, 1)
        self.rule_errors = QLabel(wordWrap=True)
        self.rule_errors.setStyleSheet(ERROR_STYLE)
        self.rule_errors.hide()
        layout.addWidget(self.rule_errors)
        buttons = QHBoxLayout()
        self.save_button = QPushButton(objectName="primary")
        self.print_button = QPushButton()
        self.close_button = QPushButton()
        self.save_button.clicked.connect(self.save)
        self.print_button.clicked.connect(self.print_requested)
        self.close_button.clicked.connect(self.closed)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.print_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)
        self.message = QLabel(objectName="formMessage", wordWrap=True)
        layout.addWidget(self.message)
        self.spec: FormSpec | None = None
        self.editors: list[_FieldEditor] = []
        self.dirty = False
        self.read_only = False
        # a draft of the form as it is typed (issue 15), offered under its subject when
        # the same document's form is opened again
        self.drafts = PanelDraftKeeper(self, "FormEditor", {}, layout, 2)
        self.retranslate()

    def retranslate(self) -> None:
        self.save_button.setText(_("Save the form"))
        self.print_button.setText(_("Print the form…"))
        self.close_button.setText(_("Back to the document"))
        self.drafts.retranslate()

    def edit(self, spec: FormSpec, name: str, values: dict[str, Any],
             households: list[Any], *, read_only: bool = False, draft_context: str = "") -> None:
        """Show the form of one document (``draft_context``: the document line's id, under
        which its draft is kept)."""
        with self.drafts.loading(draft_context or f"{spec.doc_type}:{name}") as keeper:
            self._build(spec, name, values, households, read_only=read_only)
            keeper.set_fields(self.draft_fields())
        if read_only:  # nothing can be changed: nothing to restore
            self.drafts.bar.hide()
        self.dirty = False
        if self.editors:
            self.editors[0].widget.setFocus()

    def draft_fields(self) -> dict[str, QWidget]:
        """The fields a draft keeps: each field's widget, a signature block's names."""
        fields: dict[str, QWidget] = {}
        for editor in self.editors:
            if editor.role_edits:
                fields.update({f"{editor.field.key}/{role}": edit
                               for role, edit in editor.role_edits.items()})
            else:
                fields[editor.field.key] = editor.widget
        return fields

    def _build(self, spec: FormSpec, name: str, values: dict[str, Any],
               households: list[Any], *,
               read_only: bool) -> None:
        self.spec = spec
        self.read_only = read_only
        self.heading.setText(f"{spec.doc_type}: {name}")
        self.subject.setText(spec.subject)
        while self.form.rowCount():
            self.form.removeRow(0)
        self.editors = []
        for field in spec.fields:
            editor = _FieldEditor(field, self._changed)
            box = QWidget()
            column = QVBoxLayout(box)
            column.setContentsMargins(0, 0, 0, 0)
            column.setSpacing(2)
            column.addWidget(editor.widget)
            column.addWidget(editor.words)
            column.addWidget(editor.error)
            label = field.label + (" *" if field.required else "")
            self.form.addRow(label, box)
            editor.load(values.get(field.key), households)
            editor.widget.setEnabled(not read_only)
            self.editors.append(editor)
        self.save_button.setEnabled(not read_only)
        self.message.setText(_("This dossier is locked: the form can be printed, not changed.")
                             if read_only else "")
        self._changed()

    def raw_values(self) -> dict:
        return {editor.field.key: editor.raw() for editor in self.editors}

    def problems(self) -> dict[str, str]:
        _values, problems = check_form(self.spec, self.raw_values())
        return problems

    def _changed(self) -> None:
        """Check every field as the user types; rule problems show under the form."""
        self.dirty = True
        raw = self.raw_values()
        field_problems = {}
        for editor in self.editors:
            value, problem = check_value(editor.field, raw[editor.field.key])
            editor.show_problem(problem, value)
            if problem:
                field_problems[editor.field.key] = problem
        _values, problems = check_form(self.spec, raw)
        rules = [text for key, text in problems.items() if field_problems.get(key) != text]
        self.rule_errors.setText("\n".join(rules))
        self.rule_errors.setVisible(bool(rules))
        self.save_button.setEnabled(not self.read_only and not problems)

    def save(self) -> bool:
        if self.spec is None or self.read_only:
            return False
        if self.problems():
            self.message.setText(_("Correct the fields marked in red before saving."))
            return True
        self.save_requested.emit(self.raw_values())
        return True

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt API)
        if event.key() == Qt.Key_Escape:
            self.closed.emit()
            return
        super().keyPressEvent(event)
