"""Small fixed tables filled from plain rows (with the late and due-soon colours) and their
column helpers, for the pages of every area."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtGui import QBrush, QFont, QFontMetrics
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
)

from ctmtqg_desktop.domain.formats import format_number, format_percent
from ctmtqg_desktop.gui.lazy_table import (
    DUE_SOON_BACKGROUND,
    DUE_SOON_COLOR,
    LATE_BACKGROUND,
    LATE_COLOR,
)

RIGHT = Qt.AlignRight | Qt.AlignVCenter


LEFT = Qt.AlignLeft | Qt.AlignVCenter


CENTER = Qt.AlignCenter


View = TypeVar("View", bound=QTableView)


def row_view(view: View, model: QAbstractItemModel | None = None, *,
             sort: bool | tuple[int, Qt.SortOrder] = False, wrap: bool = False,
             row_height: int = 0, stretch_last: bool = False) -> View:
    """``view`` (a QTableView or QTableWidget) set up as the pages' lists are: whole rows, one
    at a time, read-only, no row numbers; sorted by clicking a header when ``sort`` (first by
    ``(column, order)`` when given), text on one line unless ``wrap``."""
    if model is not None:
        view.setModel(model)
    if isinstance(sort, tuple):
        view.horizontalHeader().setSortIndicator(*sort)
    if sort:
        view.setSortingEnabled(True)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().setVisible(False)
    if not wrap:
        view.setWordWrap(False)
    if row_height:
        view.verticalHeader().setDefaultSectionSize(row_height)
    if stretch_last:
        view.horizontalHeader().setStretchLastSection(True)
    return view


@dataclass(frozen=True)
class Cell:
    text: str
    align: Any = LEFT
    tooltip: str = ""


def short_program(abbreviation: str) -> str:
    """``DTTS&MN`` for ``CTMTQG DTTS&MN`` in narrow columns (the tooltip has the rest)."""
    return abbreviation.removeprefix("CTMTQG ").strip() or abbreviation


def money(amount: int | None) -> str:
    return "" if amount is None else format_number(amount)


def rate(value: float | None) -> str:
    return "" if value is None else format_percent(value)


class StateTable(QTableWidget):
    """A read-only table of a few rows; each row may carry a state (late/due soon colours)
    and a value under ``Qt.UserRole`` (an id)."""

    def __init__(self, parent=None, *, stretch: int = 0, wrap_headers: bool = True,
                 row_height: int = 26) -> None:
        super().__init__(parent)
        self.stretch = stretch
        self.wrap_headers = wrap_headers
        self.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.setSelectionMode(QAbstractItemView.SingleSelection)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setDefaultSectionSize(row_height)
        self.horizontalHeader().setHighlightSections(False)
        # wrapped rows follow the columns' final widths (known only once laid out)
        self.horizontalHeader().sectionResized.connect(self._rewrap)
        #: while fill/cap_columns size the columns one by one, the rows are wrapped once at
        #: the end, not at each column (issue 17: 15 passes over 1,133 overlap pairs, 1.9 s)
        self._sizing = False

    def fill(self, headers: Sequence[str], rows: Sequence[Sequence[Any]], *,
             keys: Sequence[Any] | None = None, states: Sequence[str] | None = None,
             caps: dict[int, int] | None = None) -> None:
        """``caps``: :meth:`cap_columns` applied before the rows are wrapped, so that they
        are wrapped once, at the final widths (1,133 overlap pairs: twice cost 0.25 s)."""
        self._sizing = True
        try:
            self._fill(headers, rows, keys=keys, states=states)
            if caps:
                self._cap(caps)
        finally:
            self._sizing = False
        self._rewrap()

    def _fill(self, headers: Sequence[str], rows: Sequence[Sequence[Any]], *,
              keys: Sequence[Any] | None, states: Sequence[str] | None) -> None:
        self.setSortingEnabled(False)
        self.clear()
        self.setColumnCount(len(headers))
        self.setHorizontalHeaderLabels(list(headers))
        stretched = self.horizontalHeaderItem(self.stretch) if 0 <= self.stretch < len(
            headers) else None
        if stretched is not None:  # a long title cut at its end, not at both ends
            stretched.setTextAlignment(Qt.AlignLeft | Qt.AlignVCenter)
        self.setRowCount(len(rows))
        for r, row in enumerate(rows):
            state = states[r] if states else "normal"
            for c, value in enumerate(row):
                cell = value if isinstance(value, Cell) else Cell(str(value))
                item = QTableWidgetItem(cell.text)
                item.setTextAlignment(cell.align)
                if cell.tooltip or len(cell.text) > 40:
                    item.setToolTip(cell.tooltip or cell.text)
                if keys is not None:
                    item.setData(Qt.UserRole, keys[r])
                if state in ("late", "due_soon"):
                    item.setForeground(QBrush(LATE_COLOR if state == "late" else DUE_SOON_COLOR))
                    item.setBackground(QBrush(LATE_BACKGROUND if state == "late"
                                              else DUE_SOON_BACKGROUND))
                self.setItem(r, c, item)
        if headers and self.wrap_headers:
            fit_columns(self, self.stretch)
        elif headers:
            header = self.horizontalHeader()
            header.setSectionResizeMode(QHeaderView.ResizeToContents)
            if 0 <= self.stretch < len(headers):
                header.setSectionResizeMode(self.stretch, QHeaderView.Stretch)
        self.horizontalScrollBar().setValue(0)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt API)
        super().resizeEvent(event)
        if self.horizontalScrollBarPolicy() == Qt.ScrollBarAlwaysOff:
            self.horizontalScrollBar().setValue(0)  # no hidden scroll to the right

    def _rewrap(self, *_args) -> None:
        if self.wordWrap() and self.rowCount() and not self._sizing:
            self.resizeRowsToContents()

    def cap_columns(self, widths: dict[int, int]) -> None:
        """Keep the given columns at most so wide (long names wrap or elide instead)."""
        self._sizing = True
        try:
            self._cap(widths)
        finally:
            self._sizing = False
        if self.wordWrap():
            self.resizeRowsToContents()

    def _cap(self, widths: dict[int, int]) -> None:
        header = self.horizontalHeader()
        for column, width in widths.items():
            if column < self.columnCount() and header.sectionResizeMode(column) != \
                    QHeaderView.Stretch and header.sectionSize(column) > width:
                header.setSectionResizeMode(column, QHeaderView.Interactive)
                header.resizeSection(column, width)

    def current_key(self) -> Any:
        row = self.currentRow()
        item = self.item(row, 0) if row >= 0 else None
        return item.data(Qt.UserRole) if item is not None else None

    def select_key(self, key: Any) -> bool:
        for row in range(self.rowCount()):
            item = self.item(row, 0)
            if item is not None and item.data(Qt.UserRole) == key:
                self.selectRow(row)
                return True
        return False


def two_line_width(header: QHeaderView, text: str) -> int:
    """The narrowest width that shows ``text`` on at most two lines in ``header``."""
    bold = QFont(header.font())
    bold.setBold(True)
    metrics = QFontMetrics(bold)
    words = text.split()
    best = metrics.horizontalAdvance(text)
    for cut in range(1, len(words)):
        best = min(best, max(metrics.horizontalAdvance(" ".join(words[:cut])),
                             metrics.horizontalAdvance(" ".join(words[cut:]))))
    return best + 22


def fit_columns(view, stretch: int) -> None:
    """Size a table's columns to their contents and their title on two lines (titles wrap),
    the ``stretch`` column taking what is left: narrow number columns keep full Vietnamese
    titles ("Chưa phân bổ") at 1366x768."""
    header = view.horizontalHeader()
    model = view.model()
    header.setDefaultAlignment(Qt.AlignCenter | Qt.TextWordWrap)
    header.setMinimumHeight(QFontMetrics(header.font()).height() * 2 + 12)
    for column in range(model.columnCount()):
        if column == stretch:
            header.setSectionResizeMode(column, QHeaderView.Stretch)
            continue
        title = str(model.headerData(column, Qt.Horizontal) or "")
        header.setSectionResizeMode(column, QHeaderView.Interactive)
        header.resizeSection(column, max(view.sizeHintForColumn(column),
                                         two_line_width(header, title)))
