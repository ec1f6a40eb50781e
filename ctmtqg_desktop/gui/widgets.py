"""Small widgets and helpers the pages and dialogs of every area use: money and optional-date
entry, labels that elide, a drop area for files, tables that wrap, a form dialog with its
message line, and combo, date and number helpers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtCore import QDate, QEvent, QLocale, QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QFocusEvent, QPainter, QTextCursor, QValidator
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QLabel,
    QLayoutItem,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QTableWidget,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from ctmtqg_desktop.domain import field_rules
from ctmtqg_desktop.domain.errors import UserError
from ctmtqg_desktop.domain.field_rules import FieldRule
from ctmtqg_desktop.domain.formats import format_number
from ctmtqg_desktop.domain.money import parse_money
from ctmtqg_desktop.gui.date_field import DateEdit
from ctmtqg_desktop.gui.lazy_table import LATE_COLOR
from ctmtqg_desktop.gui.palette import MUTED_COLOR, colour
from ctmtqg_desktop.i18n import _


class _ParsedEdit(QLineEdit):
    """A line whose text, when not empty, is parsed by ``parse`` (which refuses with a
    Vietnamese ``UserError``)."""

    @staticmethod
    def parse(text: str) -> Any:
        raise NotImplementedError

    def value(self) -> Any:
        """The parsed value; None while the text is empty or not a value."""
        text = self.text().strip()
        if not text:
            return None
        try:
            return self.parse(text)
        except UserError:
            return None

    def error(self) -> str:
        """The Vietnamese reason the text is not a value ("" when it is one or empty)."""
        text = self.text().strip()
        if not text:
            return ""
        try:
            self.parse(text)
        except UserError as problem:
            return str(problem)
        return ""


class MoneyEdit(_ParsedEdit):
    """Whole đồng typed the Vietnamese way (1.250.000, 1 250 000, 1250000 đồng), shown with
    dots once the field is left. ``value()`` is None while the text is not an amount."""

    valueChanged = Signal(object)  # noqa: N815 (Qt naming)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAlignment(Qt.AlignRight | Qt.AlignVCenter)
        self.setPlaceholderText("0")
        self.textEdited.connect(lambda _text: self.valueChanged.emit(self.value()))
        self.editingFinished.connect(self._reformat)
        #: the most đồng it takes (its field's rule, :func:`apply_rule`); None: no limit
        self.maximum: int | None = None

    def setMaximum(self, maximum: int | None) -> None:  # noqa: N802 (Qt naming)
        """Refuse, as it is typed or pasted, an amount above ``maximum`` (its digits read as
        a whole number of đồng); the tooltip says the most it takes."""
        self.maximum = maximum
        self.setValidator(None if maximum is None  # type: ignore[arg-type]  # None: none
                          else _AmountValidator(maximum, self))
        self.setToolTip("" if maximum is None else _("At most {amount} đồng.").format(
            amount=format_number(maximum)))

    @staticmethod
    def parse(text: str) -> int:
        return parse_money(text)

    def setValue(self, amount: int | None) -> None:  # noqa: N802 (Qt naming)
        self.setText("" if amount is None else format_number(amount))
        self.valueChanged.emit(amount)

    def _reformat(self) -> None:
        amount = self.value()
        if amount is not None:
            self.setText(format_number(amount))


class _AmountValidator(QValidator):
    """Refuses a text whose digits make more than ``maximum`` đồng (so a 16th digit is
    never taken); any other text is left to the field's own sentence (``error()``)."""

    def __init__(self, maximum: int, parent: QWidget) -> None:
        super().__init__(parent)
        self.maximum = maximum

    def validate(self, text: str, position: int) -> object:  # noqa: D102 (Qt API)
        digits = "".join(character for character in text if character.isdigit())
        if digits and int(digits) > self.maximum:
            return QValidator.State.Invalid, text, position
        return QValidator.State.Acceptable, text, position


class OptionalDateEdit(_ParsedEdit):
    """A date typed as dd/mm/yyyy that may be left empty (a decision not yet taken)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText("dd/mm/yyyy")
        self.setMaximumWidth(140)

    @staticmethod
    def parse(text: str) -> dt.date:
        from ctmtqg_desktop.gui.date_field import read_typed_date

        return read_typed_date(text)

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802 (Qt API)
        super().focusInEvent(event)
        QTimer.singleShot(0, self.selectAll)  # a new date replaces the old one

    def setValue(self, day) -> None:  # noqa: N802 (Qt naming)
        from ctmtqg_desktop.domain.formats import format_date

        self.setText(format_date(day) if day else "")


class ElidedLabel(QWidget):
    """One line of text cut with "…" to the width it is given (the whole text as tooltip),
    so that a long decision or name never widens a side panel."""

    def __init__(self, parent: QWidget | None = None, *, muted: bool = True) -> None:
        super().__init__(parent)
        self._text = ""
        self.muted = muted
        self.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Fixed)
        self.setMinimumHeight(self.fontMetrics().height() + 2)

    def setText(self, text: str) -> None:  # noqa: N802 (Qt naming)
        self._text = text or ""
        self.setToolTip(self._text)
        self.setAccessibleName(self._text)
        self.update()

    def text(self) -> str:
        return self._text

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        return QSize(200, self.fontMetrics().height() + 2)

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt API)
        painter = QPainter(self)
        painter.setPen(MUTED_COLOR if self.muted else colour("ink"))
        shown = self.fontMetrics().elidedText(self._text, Qt.ElideRight, self.width())
        painter.drawText(self.rect(), Qt.AlignLeft | Qt.AlignVCenter, shown)
        painter.end()


def show_problem(problem: Callable[[], str], message: QLabel, button: QPushButton) -> None:
    """Show what ``problem()`` says is wrong with a form (or its ``UserError``) in red in
    ``message``; ``button`` (Save, OK) is enabled only while nothing is."""
    try:
        text = problem()
    except UserError as error:
        text = str(error)
    show_message(message, text)
    button.setEnabled(not text)


def choose_evidence(parent: QWidget) -> Path | None:
    """Ask for a scan, photo or document to attach as evidence."""
    path, _filter = QFileDialog.getOpenFileName(
        parent, _("Attach evidence"), "", _("Scans, photos and documents (*.pdf *.jpg "
                                            "*.jpeg *.png *.doc *.docx *.xlsx);;All files (*)"))
    return Path(path) if path else None


class EvidenceFiles:
    """For a form (a QWidget) that gathers evidence files to attach: ``evidence`` (the paths
    chosen) listed in ``files``."""

    evidence: list[Path]
    files: QListWidget

    def choose_file(self) -> None:
        path = choose_evidence(self)  # type: ignore[arg-type]  # mixed into a QWidget
        if path:
            self.add_evidence(path)

    def add_evidence(self, path: Path) -> None:
        self.evidence.append(path)
        self.files.addItem(path.name)


def select_data(combo: QComboBox, value: Any) -> bool:
    """Choose the item whose data equals ``value`` (compared in Python: ids, None, codes);
    the first item when none does."""
    for index in range(combo.count()):
        if combo.itemData(index) == value:
            combo.setCurrentIndex(index)
            return True
    if combo.count():
        combo.setCurrentIndex(0)
    return False


def qdate(day: dt.date | None) -> QDate:
    """The QDate of ``day`` (today when None)."""
    day = day or dt.date.today()
    return QDate(day.year, day.month, day.day)


def date_edit(day: dt.date | None = None) -> DateEdit:
    """A dd/mm/yyyy date field that takes what is typed, with a calendar on Alt+Down, set
    to ``day`` (today when None)."""
    return DateEdit(day or dt.date.today())


def day_of(edit: DateEdit) -> dt.date:
    """The day a date field shows."""
    shown = edit.date()
    return dt.date(shown.year(), shown.month(), shown.day())


class FieldErrors:
    """Error sentences shown beside the fields of a form (a red line under the field), never
    in a place that squeezes the form: the line appears under the field it is about and the
    form grows to show it. A ``UserError`` names its field with ``field_name()``; a sentence
    about no field known to the form goes to the form's message line.

    ``add(name, widget, form)`` puts the (hidden) error line under ``widget`` in a
    QFormLayout; ``show(error)`` shows a sentence (or clears all when empty)."""

    def __init__(self, message: QLabel) -> None:
        self.message = message
        self.widgets: dict[str, QWidget] = {}
        self.labels: dict[int, QLabel] = {}  # id(widget) -> its error line

    def add(self, widget: QWidget, form: QFormLayout, name: str | None = None) -> QLabel:
        label = QLabel(wordWrap=True)
        label.setObjectName("fieldError")
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        label.setStyleSheet(f"color: {LATE_COLOR.name()}")
        label.setVisible(False)
        form.setWidget(form.rowCount(), QFormLayout.ItemRole.FieldRole, label)
        self.labels[id(widget)] = label
        if name:
            self.widgets[name] = widget
        return label

    def name(self, name: str, widget: QWidget) -> None:
        self.widgets.setdefault(name, widget)

    def label_of(self, widget: QWidget | None) -> QLabel | None:
        return None if widget is None else self.labels.get(id(widget))

    def widget_named(self, name: str | None) -> QWidget | None:
        return self.widgets.get(name) if name else None

    def clear(self) -> None:
        for widget in self.widgets.values():
            widget.setAccessibleDescription("")
        for label in self.labels.values():
            label.clear()
            label.setVisible(False)
        show_message(self.message, "")

    def show(self, text: str, widget: QWidget | None = None) -> QLabel:
        """Show ``text`` beside ``widget`` (the message line when it has no error line);
        returns the label that shows it."""
        self.clear()
        label = self.label_of(widget)
        if label is None or widget is None:
            show_message(self.message, text)
            return self.message
        label.setText(text)
        label.setAccessibleName(text)
        label.setVisible(bool(text))
        widget.setAccessibleDescription(text)
        return label


def show_message(message: QLabel, text: str) -> None:
    message.setText(text)
    message.setStyleSheet(f"color: {LATE_COLOR.name()}" if text else "")


class FormDialog(QDialog):
    """A titled form with a message line and OK/Cancel; OK is enabled when ``problem()`` is
    empty. Enter confirms, Esc cancels (QDialog's keys).

    A problem that names a field (a ``UserError`` whose ``field_name()`` is the attribute
    the field is kept in, or the ``field`` given to ``row``; ``allocation_id`` finds
    ``self.allocation``) is shown in red under that field (:class:`FieldErrors`); a date
    field that does not hold a date shows its sentence under itself. ``show_error`` does
    the same for a refusal of the service after Save."""

    def __init__(self, parent: QWidget | None, title: str, heading: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        title_label = QLabel(title, objectName="dialogTitle", wordWrap=True)
        layout.addWidget(title_label)
        if heading:
            layout.addWidget(QLabel(heading, objectName="muted", wordWrap=True))
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        layout.addLayout(self.form)
        self.message = QLabel(wordWrap=True, objectName="formMessage")
        self.message.setTextInteractionFlags(Qt.TextSelectableByMouse)
        layout.addWidget(self.message)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.buttons.button(QDialogButtonBox.Ok).setText(_("Save"))
        self.buttons.button(QDialogButtonBox.Cancel).setText(_("Cancel"))
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.field_errors = FieldErrors(self.message)
        #: False while a subclass builds its fields (their signals fire as they fill)
        self.built = False
        #: the fields by the name of the attribute that holds them (after done_building)
        self.fields: dict[str, QWidget] = {}
        #: set by a form whose typing is kept as a draft: what identifies the record it edits
        #: ("new", a record id); forms of another record never see each other's drafts
        self.draft_context: str | None = None
        #: set by :meth:`run_saving`: Save calls it with the values while the form is open
        self.saver: Callable[[dict[str, Any]], Any] | None = None
        self.saved: Any = None

    def done_building(self) -> None:
        from ctmtqg_desktop.gui.keyboard import ask_before_discarding

        for name, value in list(vars(self).items()):  # fields are named by their attribute
            if isinstance(value, QWidget) and self.field_errors.label_of(value) is not None:
                self.fields[name] = value
                self.field_errors.name(name, value)
                self.field_errors.name(f"{name}_id", value)
        self.built = True
        self.refresh()
        ask_before_discarding(self)
        if self.draft_context is not None:
            from ctmtqg_desktop.gui.drafts import keep_drafts

            keep_drafts(self, f"{type(self).__name__}:{self.draft_context}", self.fields)

    def row(self, label: str, widget: QWidget, field: str | None = None) -> QWidget:
        if isinstance(widget, QComboBox):  # long names must not squeeze the labels
            widget.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
            widget.setMinimumContentsLength(24)
        self.form.addRow(label, widget)
        self.field_errors.add(widget, self.form, field)
        for signal in ("textChanged", "valueChanged", "currentIndexChanged", "dateChanged"):
            if hasattr(widget, signal):
                getattr(widget, signal).connect(self.refresh)
        return widget

    def problem(self) -> str:
        return ""

    def _field_problem(self) -> tuple[str, QWidget | None]:
        """What is wrong now and the field it is about (None: the form as a whole)."""
        for field in self.findChildren(DateEdit):
            problem = field.error() if field.isVisibleTo(self) else ""
            if problem:
                return problem, field
        try:
            return self.problem(), None
        except UserError as error:
            return str(error), self.field_errors.widget_named(error.field_name())

    def refresh(self, *_args) -> None:
        if not self.built:
            return
        text, widget = self._field_problem()
        self.field_errors.show(text, widget)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not text)
        self.fit_height()

    def show_error(self, error: UserError) -> QLabel:
        """Show a refusal (of the service, after Save) beside the field it names; returns
        the label showing it."""
        label = self.field_errors.show(
            str(error), self.field_errors.widget_named(error.field_name()))
        self.fit_height()
        return label

    def fit_height(self) -> None:
        """Grow to the height the fields and the (wrapped) message need: a long message
        must never squeeze the fields until the amount is unreadable."""
        layout = self.layout()
        if layout is None:
            return
        layout.activate()
        needed = (layout.totalHeightForWidth(self.width()) if layout.hasHeightForWidth()
                  else layout.totalSizeHint().height())
        if self.height() < needed:
            self.resize(self.width(), needed)

    def _accept(self) -> None:
        self.refresh()
        if not self.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled():
            return
        if self.saver is not None:
            try:
                self.saved = self.saver(self.values())
            except UserError as error:  # the form stays open, the refusal beside its field
                self.show_error(error)
                return
        self.accept()

    def values(self) -> dict[str, Any]:
        raise NotImplementedError

    @classmethod
    def run(cls, dialog: FormDialog) -> dict | None:
        dialog.done_building()
        return dialog.values() if dialog.exec() == QDialog.Accepted else None

    @classmethod
    def run_saving(cls, dialog: FormDialog,
                   save: Callable[[dict[str, Any]], Any]) -> tuple[bool, Any]:
        """Like :meth:`run`, but Save saves while the form is open: ``save(values)`` is
        called, and a refusal of the service (a ``UserError``) is shown beside the field it
        names (:meth:`show_error`) with the form left open and nothing lost (issue 15).
        Returns (True, what ``save`` returned), or (False, None) when the form was
        cancelled. A form's save is one short transaction, run while the form waits."""
        dialog.saver = save
        dialog.done_building()
        if dialog.exec() == QDialog.DialogCode.Accepted:
            return True, dialog.saved
        return False, None


def _holds(item: QLayoutItem | None, widget: QWidget) -> bool:
    """Whether a layout item is ``widget``, holds it, or is a layout that holds it."""
    if item is None:
        return False
    shown = item.widget()
    if shown is not None:
        return shown is widget or shown.isAncestorOf(widget)
    layout = item.layout()
    return layout is not None and any(_holds(layout.itemAt(i), widget)
                                      for i in range(layout.count()))


def _first_widget(item: QLayoutItem | None) -> QWidget | None:
    """The widget of a form row's field, or the first one of its layout."""
    if item is None:
        return None
    shown = item.widget()
    if shown is not None:
        return shown
    layout = item.layout()
    if layout is None:
        return None
    for index in range(layout.count()):
        inner = layout.itemAt(index)
        if inner is not None and inner.widget() is not None:
            return inner.widget()
    return None


def _row_text(form: QFormLayout, row: int) -> str:
    item = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
    label = item.widget() if item is not None else None
    text = label.text() if isinstance(label, QLabel) else ""
    return text.replace("&", "").strip().rstrip(":*").strip().casefold()


class RefusalsInForm:
    """Mixed into a form (a dialog or a side panel, a QWidget built by hand with
    QFormLayouts): :meth:`show_refusal` shows a service's refusal (a ``UserError``) in red
    under the form row of the field it is about, or on the form's message line when it
    names none of its fields (issue 15).

    The field is found from the refusal: its ``field_name()`` (a key of
    :attr:`refusal_fields`, the field of a rule set with :func:`apply_rules`, or the
    attribute holding the widget), else the label it names (``field`` of a
    ``TaskInputInvalid`` or a ``FieldRuleBroken``: a key of :attr:`refusal_fields`, the
    widget whose rule has that label, or the form row with that label). The message line is
    ``self.message`` (or ``self.error``) when the form has one; one above its ``buttons``
    otherwise."""

    #: widgets by field name or by translated label, for refusals the form cannot match
    refusal_fields: dict[str, QWidget]

    def _root(self) -> QWidget:
        return self  # type: ignore[return-value]  # mixed into a QWidget

    def _own_message(self) -> QLabel | None:
        for attribute in ("message", "error"):  # the form's own message line, if any
            found = getattr(self, attribute, None)
            if isinstance(found, QLabel):
                return found
        return None

    def _message_line(self) -> QLabel:
        message = self._own_message()
        if message is not None:
            return message
        message = QLabel()
        message.setWordWrap(True)
        message.setObjectName("formMessage")
        message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message = message
        layout = self._root().layout()
        buttons = getattr(self, "buttons", None)
        index = layout.indexOf(buttons) if layout is not None and buttons is not None else -1
        if isinstance(layout, QVBoxLayout) and index >= 0:
            layout.insertWidget(index, message)
        elif layout is not None:
            layout.addWidget(message)
        return message

    def _forms(self) -> list[QFormLayout]:
        return [form for form in self._root().findChildren(QFormLayout)
                if form.parentWidget() is not None]

    def _ruled(self) -> list[tuple[str, str, QWidget]]:
        """(table, field, widget) of each widget carrying a rule (:func:`apply_rules`)."""
        found = []
        for widget in self._root().findChildren(QWidget):
            ruled = widget.property(RULE_PROPERTY)
            if ruled and "." in str(ruled):
                table, field = str(ruled).split(".", 1)
                found.append((table, field, widget))
        return found

    def refused_widget(self, error: UserError) -> QWidget | None:
        """The field a refusal is about, None when it names none of this form's."""
        extra: dict[str, QWidget] = getattr(self, "refusal_fields", None) or {}
        name = error.field_name()
        if name:
            if name in extra:
                return extra[name]
            for _table, field, widget in self._ruled():
                if field == name:
                    return widget
            found = getattr(self, name, None)
            if isinstance(found, QWidget):
                return found
        label = error.data.get("field")
        if not isinstance(label, str) or not label:
            return None
        if label in extra:
            return extra[label]
        wanted = label.strip().casefold()
        for table, field, widget in self._ruled():  # a broken rule names its label
            if _(field_rules.rule(table, field).label).casefold() == wanted:
                return widget
        for form in self._forms():
            for row in range(form.rowCount()):
                if _row_text(form, row) == wanted:
                    return _first_widget(form.itemAt(row, QFormLayout.ItemRole.FieldRole))
        return None

    def _error_line(self, widget: QWidget) -> QLabel | None:
        """The red line under ``widget``'s form row (made the first time it is needed)."""
        lines: dict[int, QLabel] = self.__dict__.setdefault("_error_lines", {})
        for form in self._forms():
            for row in range(form.rowCount()):
                item = form.itemAt(row, QFormLayout.ItemRole.FieldRole)
                if item is None or not _holds(item, widget):
                    continue
                key = id(item.widget() or item.layout())  # QObjects: one wrapper each
                if key not in lines:
                    line = QLabel()
                    line.setWordWrap(True)
                    line.setObjectName("fieldError")
                    line.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                    line.setStyleSheet(f"color: {LATE_COLOR.name()}")
                    spacer = QLabel()
                    form.insertRow(row + 1, spacer, line)
                    spacer.setVisible(False)
                    line.setVisible(False)
                    lines[key] = line
                return lines[key]
        return None

    def clear_refusal(self) -> None:
        for line in self.__dict__.get("_error_lines", {}).values():
            line.clear()
            line.setVisible(False)
        message = self._own_message()
        if message is not None and message.property("refusal"):
            show_message(message, "")
            message.setProperty("refusal", False)

    def show_refusal(self, error: UserError) -> QLabel:
        """Show a refusal beside its field (or on the message line); returns its label."""
        self.clear_refusal()
        text = str(error)
        widget = self.refused_widget(error)
        line = self._error_line(widget) if widget is not None else None
        if widget is None or line is None:
            line = self._message_line()
            show_message(line, text)
            line.setProperty("refusal", True)
        else:
            line.setText(text)
            line.setAccessibleName(text)
            line.setVisible(True)
            widget.setAccessibleDescription(text)
            widget.setFocus()
        root = self._root()
        layout = root.layout()
        if layout is not None and root.isWindow():  # grow rather than squeeze the fields
            layout.activate()
            needed = layout.totalSizeHint().height()
            if root.height() < needed:
                root.resize(root.width(), needed)
        return line


class SavingDialog(RefusalsInForm, QDialog):
    """A dialog form (built by hand, not a :class:`FormDialog`) whose Save saves while it is
    open: a refusal of the service (a ``UserError``) is shown in red under the field it is
    about, the form stays open with everything typed, and it closes only once saved
    (issue 15; like :meth:`FormDialog.run_saving`).

    Where the refusal is shown: :class:`RefusalsInForm`.

    A subclass keeps its ``buttons`` and calls ``accept`` as any dialog; :meth:`ask_saving`
    runs it."""

    saver: Callable[[], Any] | None = None
    saved: Any = None

    def done(self, result: int) -> None:  # noqa: D102 (Qt API: accept() and reject() end here)
        if result == QDialog.DialogCode.Accepted and self.saver is not None:
            self.clear_refusal()
            try:
                self.saved = self.saver()
            except UserError as error:  # the form stays open, the refusal beside its field
                self.show_refusal(error)
                return
        super().done(result)

    def ask_saving(self, save: Callable[[], Any]) -> tuple[bool, Any]:
        """Run the form; Save calls ``save()`` (which reads the form's values) while it is
        open. Returns (True, what ``save`` returned) once saved, (False, None) when
        cancelled. A form's save is one short transaction, run while the form waits."""
        self.saver = save
        if self.exec() == QDialog.DialogCode.Accepted:
            return True, self.saved
        return False, None

    def answer(self, save: Callable[[Any], Any] | None = None) -> Any:
        """What an ``ask`` classmethod returns: without ``save``, the form's ``values()``
        once Save is pressed; with it, what ``save(values())`` returned once saved (the
        form stays open on a refusal). None when cancelled. ``save`` returns the record
        saved (never None)."""
        if save is None:
            return self.values() if self.exec() == QDialog.DialogCode.Accepted else None
        saved, result = self.ask_saving(lambda: save(self.values()))
        return result if saved else None

    def values(self) -> Any:
        raise NotImplementedError

class DropArea(QFrame):
    """Accepts files dragged from the file manager or a messenger's download folder."""

    dropped = Signal(list)

    def __init__(self) -> None:
        super().__init__(objectName="notice")
        self.setAcceptDrops(True)
        self.setMinimumHeight(96)
        layout = QVBoxLayout(self)
        self.label = QLabel(wordWrap=True, alignment=Qt.AlignCenter)
        layout.addWidget(self.label)
        self.choose = QPushButton()
        layout.addWidget(self.choose, 0, Qt.AlignCenter)

    @staticmethod
    def _paths(event) -> list[Path]:
        if not event.mimeData().hasUrls():
            return []
        return [Path(url.toLocalFile()) for url in event.mimeData().urls() if url.isLocalFile()]

    def dragEnterEvent(self, event) -> None:  # noqa: N802 (Qt API)
        if self._paths(event):
            event.acceptProposedAction()

    def dragMoveEvent(self, event) -> None:  # noqa: N802 (Qt API)
        if self._paths(event):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:  # noqa: N802 (Qt API)
        paths = self._paths(event)
        if paths:
            event.acceptProposedAction()
            self.dropped.emit(paths)


def unbroken(file_name: str) -> str:
    """A file name that word wrap does not cut at its hyphens (it is elided instead)."""
    return file_name.replace("-", "\u2011")


class WrappingTable(QTableWidget):
    """A table whose rows grow to show wrapped text at whatever width it is given."""

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt API)
        super().resizeEvent(event)
        self.resizeRowsToContents()


#: each multi-line box's limit, by the box's id (see TextLimit.__init__)
_LIMITS: dict[int, TextLimit] = {}


class TextLimit(QObject):
    """The most characters a multi-line box (QPlainTextEdit, QTextEdit: Qt has no limit
    for them) takes, with a live counter under its text, "125/2.000 ký tự" (issue 15).

    Typing or pasting past the limit is cut back to it (what was just typed or pasted
    loses its end, the rest of the text is kept) and the counter, in red, says how many
    characters were left out; it turns back once the text is under the limit again. The
    counter sits in the box's frame under the text, so it goes wherever the box goes."""

    def __init__(self, box: QPlainTextEdit | QTextEdit) -> None:
        super().__init__(box)
        self.box = box
        self.limit: int | None = None
        self.cut = 0  # characters left out by the last cut (0: none since under the limit)
        self._cutting = False
        self.counter = QLabel(box)
        self.counter.setObjectName("textCounter")
        self.counter.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        height = self.counter.fontMetrics().height() + 2
        box.setViewportMargins(0, 0, 0, height)
        box.textChanged.connect(self._changed)
        box.installEventFilter(self)
        #: the box holds its limit: the Python side of this object must live as long as the
        #: box (a wrapper Qt keeps alone loses its attributes)
        key = id(box)
        _LIMITS[key] = self
        box.destroyed.connect(lambda *_args: _LIMITS.pop(key, None))

    @classmethod
    def of(cls, box: QPlainTextEdit | QTextEdit) -> TextLimit:
        found = _LIMITS.get(id(box))
        return found if found is not None and found.box is box else cls(box)

    def set_limit(self, limit: int) -> None:
        self.limit = limit
        self._changed()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        shown = (QEvent.Type.Resize, QEvent.Type.Show, QEvent.Type.LayoutRequest)
        if watched is getattr(self, "box", None) and event.type() in shown:
            self._place()
        return False

    def _place(self) -> None:
        inside = self.box.contentsRect()  # within the frame (and a style sheet's border)
        height = self.counter.fontMetrics().height() + 2
        scroll = self.box.verticalScrollBar()
        beside = scroll.width() if scroll.isVisibleTo(self.box) else 0  # never under it
        self.counter.setGeometry(inside.left() + 4, inside.bottom() + 1 - height,
                                 max(0, inside.width() - 12 - beside), height)

    def _changed(self) -> None:
        if self.limit is None or self._cutting:
            return
        text = self.box.toPlainText()
        excess = len(text) - self.limit
        if excess > 0:
            self._cut_back(excess)
            self.cut = excess
        elif len(text) < self.limit:
            self.cut = 0
        self._show(min(len(text), self.limit))

    def _cut_back(self, excess: int) -> None:
        """Remove ``excess`` characters just before the cursor (the end of what was just
        typed or pasted), else at the end of the text."""
        self._cutting = True
        try:
            cursor = self.box.textCursor()
            while excess > 0:
                end = cursor.position() if cursor.position() > 0 else len(
                    self.box.toPlainText())
                cursor.setPosition(max(0, end - excess))
                cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
                cursor.removeSelectedText()
                self.box.setTextCursor(cursor)
                excess = len(self.box.toPlainText()) - (self.limit or 0)
                if cursor.position() == 0 and excess > 0:
                    cursor.movePosition(QTextCursor.MoveOperation.End)
        finally:
            self._cutting = False

    def _show(self, count: int) -> None:
        text = _("{count}/{limit} characters").format(count=format_number(count),
                                                      limit=format_number(self.limit or 0))
        if self.cut:
            text = _("{counter}; {cut} characters past the limit were left out").format(
                counter=text, cut=format_number(self.cut))
        self.counter.setText(text)
        self.counter.setToolTip(text)
        self.counter.setStyleSheet(f"color: {(LATE_COLOR if self.cut else MUTED_COLOR).name()}")
        self._place()


_W = TypeVar("_W", bound=QWidget)


def apply_rule(widget: _W, rule: FieldRule) -> _W:
    """A field's rule (:mod:`ctmtqg_desktop.domain.field_rules`) on its widget: a line
    edit's most characters, a multi-line box's (with its counter, :class:`TextLimit`), an
    amount's most đồng (:meth:`MoneyEdit.setMaximum`), a spin box's range; the service
    behind the form, the workbook import and a receiver of the sync package refuse the same
    values (issue 12)."""
    if isinstance(widget, MoneyEdit):
        widget.setMaximum(rule.maximum)
    elif isinstance(widget, QLineEdit) and rule.max_length is not None:
        widget.setMaxLength(rule.max_length)
    elif isinstance(widget, (QPlainTextEdit, QTextEdit)) and rule.max_length is not None:
        TextLimit.of(widget).set_limit(rule.max_length)
    elif isinstance(widget, QSpinBox):
        low = -(2**31) if rule.minimum is None else rule.minimum
        high = 2**31 - 1 if rule.maximum is None else rule.maximum
        widget.setRange(max(low, -(2**31)), min(high, 2**31 - 1))
    return widget


#: the Qt property naming the rule a widget carries ("task.lead_agency"): tests walk a form's
#: widgets with it and compare each one with the declaration, so the two cannot drift apart
RULE_PROPERTY = "fieldRule"


def apply_rules(table: str, **widgets: QWidget) -> None:
    """Each widget gets the rule of ``table.<keyword>`` (:func:`apply_rule`) and is marked
    with :data:`RULE_PROPERTY`: one call per form, e.g.
    ``apply_rules("task", lead_agency=self.lead, target_unit=self.target_unit)``."""
    for field, widget in widgets.items():
        apply_rule(widget, field_rules.rule(table, field))
        widget.setProperty(RULE_PROPERTY, f"{table}.{field}")


def number_box(maximum: int, **options) -> QSpinBox:
    """A whole-number box that groups thousands the Vietnamese way (1.250.000)."""
    box = QSpinBox(maximum=maximum, groupSeparatorShown=True, **options)
    box.setLocale(VIETNAMESE)
    return box


def find_data(combo: QComboBox, value) -> int:
    """The row whose data equals ``value``; -1 if none. ``QComboBox.findData`` compares
    Python objects by identity, so an id read again from the database (an equal UUID, another
    object) would not be found."""
    for row in range(combo.count()):
        if combo.itemData(row) == value:
            return row
    return -1


def translate_buttons(buttons: QDialogButtonBox) -> None:
    """Qt's own button texts are English without its translations: set ours."""
    for which, text in ((QDialogButtonBox.Save, _("Save")),
                        (QDialogButtonBox.Cancel, _("Cancel"))):
        button = buttons.button(which)
        if button is not None:
            button.setText(text)


def text_edit(height: int = 70) -> QPlainTextEdit:
    editor = QPlainTextEdit()
    editor.setTabChangesFocus(True)
    editor.setFixedHeight(height)
    return editor


VIETNAMESE = QLocale(QLocale.Vietnamese, QLocale.Vietnam)
