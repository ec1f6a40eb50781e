"""The one date field of the application: it takes what is typed.

Qt's ``QDateEdit`` edits a date section by section: typing 30/11/2026 into a field that
shows 16/10/2023 gives 30/12/2026, and 30112026 gives 30/12/3011. :class:`DateEdit` is a
plain line instead: ``dd/mm/yyyy``, ``d/m/yyyy``, ``dd.mm.yyyy``, ``dd-mm-yyyy`` or eight
digits ``ddmmyyyy`` (all read by ``domain.formats.parse_date``), written back as dd/mm/yyyy
when the field is left. The whole text is selected when the field takes the focus, so a
new date simply replaces the old one; Alt+Down (or the button at its end) opens a
calendar. A date outside the field's range (by default 1990-2100) or text that is not a
date is refused with a Vietnamese sentence (:meth:`DateEdit.error`); forms built on
``widgets.FormDialog`` show it and keep Save disabled.

The API is the part of ``QDateEdit`` the pages use (``date()``, ``setDate()``,
``dateChanged``, ``setMinimumDate()``, ``setMaximumDate()``).
"""

from __future__ import annotations

import datetime as dt
import re

from PySide6.QtCore import QDate, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QFocusEvent, QKeyEvent
from PySide6.QtWidgets import (
    QCalendarWidget,
    QLineEdit,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from ctmtqg_desktop.domain.errors import UserError
from ctmtqg_desktop.domain.formats import format_date, parse_date
from ctmtqg_desktop.i18n import N_, _

#: the dates any field accepts unless it narrows them (a year such as 3011 is a slip)
EARLIEST = dt.date(1990, 1, 1)
LATEST = dt.date(2100, 12, 31)
_DIGITS_ONLY = re.compile(r"^\d{8}$")


class DateOutOfRange(UserError):
    exit_code = 2
    template = N_("{date} is outside the dates this field takes ({first} to {last}); check "
                  "the year.")


def read_typed_date(text: str, first: dt.date = EARLIEST, last: dt.date = LATEST) -> dt.date:
    """The date in ``text`` as a person types it (``30/11/2026``, ``30112026``,
    ``3.11.2026``); a ``UserError`` when it is not a date or not between ``first`` and
    ``last``."""
    raw = text.strip()
    if _DIGITS_ONLY.match(raw):
        raw = f"{raw[:2]}/{raw[2:4]}/{raw[4:]}"
    day = parse_date(raw)
    if not first <= day <= last:
        raise DateOutOfRange(date=day, first=first, last=last)
    return day


def _python_date(value: QDate | dt.date) -> dt.date:
    if isinstance(value, QDate):
        return dt.date(value.year(), value.month(), value.day())
    return value


class _CalendarPopup(QWidget):
    def __init__(self, owner: DateEdit) -> None:
        super().__init__(owner, Qt.WindowType.Popup)
        self.owner = owner
        layout = QVBoxLayout(self)
        layout.setContentsMargins(1, 1, 1, 1)
        self.calendar = QCalendarWidget(gridVisible=True)
        self.calendar.setMinimumDate(QDate(owner.first.year, owner.first.month, owner.first.day))
        self.calendar.setMaximumDate(QDate(owner.last.year, owner.last.month, owner.last.day))
        self.calendar.setSelectedDate(owner.date())
        self.calendar.activated.connect(self._chosen)
        self.calendar.clicked.connect(self._chosen)
        layout.addWidget(self.calendar)

    def _chosen(self, day: QDate) -> None:
        self.owner.setDate(day)
        self.close()
        self.owner.setFocus()


class DateEdit(QLineEdit):
    """A dd/mm/yyyy field that keeps what is typed (see the module's docstring)."""

    dateChanged = Signal(QDate)  # noqa: N815 (Qt naming)

    def __init__(self, day: dt.date | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.first, self.last = EARLIEST, LATEST
        self._date = day or dt.date.today()
        self.setPlaceholderText("dd/mm/yyyy")
        self.setText(format_date(self._date))
        self.setMaxLength(10)
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("00/00/00000") + 40)
        self.setMaximumWidth(170)
        self.setToolTip(_("Type the date as dd/mm/yyyy (or ddmmyyyy); Alt+Down opens a "
                          "calendar."))
        arrow = self.style().standardIcon(QStyle.StandardPixmap.SP_ArrowDown)
        self.calendar_action = QAction(arrow, _("Calendar"), self)
        self.calendar_action.setToolTip(_("Choose the date on a calendar (Alt+Down)"))
        self.calendar_action.triggered.connect(self.show_calendar)
        self.addAction(self.calendar_action, QLineEdit.ActionPosition.TrailingPosition)
        self.popup: _CalendarPopup | None = None
        self.textEdited.connect(self._typed)
        self.editingFinished.connect(self._tidy)

    # -- the QDateEdit part the pages use ----------------------------------------------
    def date(self) -> QDate:
        """The date typed (the last good one while the text is not a date: check
        :meth:`error` before saving)."""
        return QDate(self._date.year, self._date.month, self._date.day)

    def setDate(self, value: QDate | dt.date) -> None:  # noqa: N802 (Qt naming)
        day = _python_date(value)
        self.setText(format_date(day))
        self._set(day)
        self._show_validity()

    def setMinimumDate(self, value: QDate | dt.date) -> None:  # noqa: N802 (Qt naming)
        self.first = _python_date(value)
        self._show_validity()

    def setMaximumDate(self, value: QDate | dt.date) -> None:  # noqa: N802 (Qt naming)
        self.last = _python_date(value)
        self._show_validity()

    # -- what is typed ------------------------------------------------------------------
    def error(self) -> str:
        """Why the text is not a date this field takes; "" when it is one."""
        try:
            read_typed_date(self.text(), self.first, self.last)
        except UserError as problem:
            return str(problem)
        return ""

    def _typed(self, text: str) -> None:
        try:
            day = read_typed_date(text, self.first, self.last)
        except UserError:
            self._show_validity()
            return
        self._set(day)
        self._show_validity()

    def _set(self, day: dt.date) -> None:
        if day != self._date:
            self._date = day
            self.dateChanged.emit(self.date())

    def _tidy(self) -> None:
        if not self.error():
            self.setText(format_date(read_typed_date(self.text(), self.first, self.last)))
        self._show_validity()

    def _show_validity(self) -> None:
        problem = self.error()
        if bool(problem) != bool(self.property("invalid")):
            self.setProperty("invalid", bool(problem))
            self.style().unpolish(self)
            self.style().polish(self)
        self.setToolTip(problem or _("Type the date as dd/mm/yyyy (or ddmmyyyy); Alt+Down "
                                     "opens a calendar."))

    # -- keyboard and calendar ----------------------------------------------------------
    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802 (Qt API)
        super().focusInEvent(event)
        # after the mouse press has placed the cursor: a new date replaces the old one
        QTimer.singleShot(0, self.selectAll)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt API)
        if (event.key() == Qt.Key.Key_Down
                and event.modifiers() & Qt.KeyboardModifier.AltModifier) \
                or event.key() == Qt.Key.Key_F4:
            self.show_calendar()
            return
        super().keyPressEvent(event)

    def show_calendar(self) -> None:
        self.popup = _CalendarPopup(self)
        self.popup.move(self.mapToGlobal(self.rect().bottomLeft()))
        self.popup.show()
        self.popup.calendar.setFocus()


def date_problem(form: QWidget) -> str:
    """The first date field in ``form`` whose text is not a date it takes, as a sentence
    naming nothing else ("" when every date field is fine)."""
    for field in form.findChildren(DateEdit):
        problem = field.error() if field.isVisibleTo(form) else ""
        if problem:
            return problem
    return ""


__all__ = ["DateEdit", "DateOutOfRange", "date_problem", "read_typed_date"]
