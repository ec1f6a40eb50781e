"""A table model over record ids that fetches row contents lazily, a page at a time.

Lists that can grow (tasks, households, journal, imports) hold only the ordered ids of the
current filter and sort; the visible rows are read in pages of :data:`PAGE` through the
source's ``rows(ids)`` and kept in a small cache. Sorting and filtering ask the source for a
new id list (the database does the work). Every model passes ``qtmodeltester``.

A source is any object with::

    columns: list[LazyColumn]
    def ids(self, query: dict, sort_key: str, descending: bool) -> list
    def rows(self, ids: list) -> dict[id, object]   # plain row objects
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush

from ctmtqg_desktop.gui.palette import DUE_SOON_BACKGROUND as DUE_SOON_BACKGROUND
from ctmtqg_desktop.gui.palette import DUE_SOON_COLOR as DUE_SOON_COLOR
from ctmtqg_desktop.gui.palette import LATE_BACKGROUND as LATE_BACKGROUND
from ctmtqg_desktop.gui.palette import LATE_COLOR as LATE_COLOR

PAGE = 200
CACHE_ROWS = 2000

_DISPLAY = int(Qt.ItemDataRole.DisplayRole.value)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole.value)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole.value)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole.value)
_BACKGROUND = int(Qt.ItemDataRole.BackgroundRole.value)
_USER = int(Qt.ItemDataRole.UserRole.value)
_ROLES = frozenset((_DISPLAY, _TOOLTIP, _ALIGNMENT, _FOREGROUND, _BACKGROUND, _USER))


@dataclass(frozen=True)
class LazyColumn:
    title: str
    #: text shown for a row object
    text: Callable[[Any], str]
    #: the source's sort key for this column (None: not sortable)
    sort_key: str | None = None
    align: Qt.AlignmentFlag = Qt.AlignLeft | Qt.AlignVCenter
    #: optional row state ("late", "due_soon", "normal") for colouring
    state: Callable[[Any], str] | None = None
    tooltip: Callable[[Any], str] | None = None
    #: ``align`` as an int, for :meth:`LazyTableModel.data`
    align_int: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "align_int", int(self.align))


@dataclass(frozen=True)
class _Entry:
    row: Any
    texts: tuple[str, ...]
    states: tuple[str | None, ...]


class LazySource(Protocol):
    columns: list[LazyColumn]

    def ids(self, query: dict, sort_key: str | None, descending: bool) -> list: ...

    def rows(self, ids: list) -> dict: ...


class LazyTableModel(QAbstractTableModel):
    def __init__(self, source: LazySource, parent=None) -> None:
        super().__init__(parent)
        self.source = source
        self._ids: list = []
        self._cache: OrderedDict[Any, Any] = OrderedDict()
        self._query: dict = {}
        self._sort_key: str | None = None
        self._descending = False

    # -- loading ------------------------------------------------------------------------
    def reload(self, query: dict | None = None) -> None:
        """Ask the source for the ids of ``query`` (or the current one) and reset."""
        if query is not None:
            self._query = dict(query)
        ids = self.source.ids(self._query, self._sort_key, self._descending)
        self.set_ids(ids)

    def set_ids(self, ids: list) -> None:
        self.beginResetModel()
        self._ids = list(ids)
        self._cache.clear()
        self.endResetModel()

    def invalidate_rows(self, ids: list | None = None) -> None:
        """Forget cached contents (all, or of ``ids``) after an edit, and repaint."""
        if ids is None:
            self._cache.clear()
        else:
            for ident in ids:
                self._cache.pop(ident, None)
        if self._ids:
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(len(self._ids) - 1, self.columnCount() - 1))

    def _entry(self, row: int) -> _Entry | None:
        ident = self._ids[row]
        if ident in self._cache:
            self._cache.move_to_end(ident)
            return self._cache[ident]
        start = (row // PAGE) * PAGE
        page = [i for i in self._ids[start:start + PAGE] if i not in self._cache]
        fetched = self.source.rows(page)
        columns = self.source.columns
        for key in page:
            found = fetched.get(key)
            # texts and states are computed once per row, not at every paint
            self._cache[key] = None if found is None else _Entry(
                found, tuple(c.text(found) for c in columns),
                tuple(c.state(found) if c.state else None for c in columns))
        while len(self._cache) > CACHE_ROWS:
            self._cache.popitem(last=False)
        return self._cache.get(ident)

    def _row(self, row: int) -> Any:
        entry = self._entry(row)
        return entry.row if entry is not None else None

    # -- Qt API -------------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.source.columns)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.DisplayRole) -> Any:
        if role != _DISPLAY:
            return None
        if orientation == Qt.Horizontal and 0 <= section < len(self.source.columns):
            return self.source.columns[section].title
        if orientation == Qt.Vertical and 0 <= section < len(self._ids):
            return str(section + 1)
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.DisplayRole) -> Any:
        # Views ask for every role of every visible cell (and of up to a thousand rows when a
        # column is sized to its contents): the roles are compared as plain ints, since each
        # use of a Qt enum member costs microseconds in PySide6 (issue 17: 48,000 calls took
        # 2.8 s on the settings page's journal)
        role = int(role)
        if role not in _ROLES:
            return None
        row = index.row()
        if not (0 <= row < len(self._ids)) or not index.isValid():
            return None
        column_number = index.column()
        column = self.source.columns[column_number]
        if role == _ALIGNMENT:
            return column.align_int
        entry = self._entry(row)
        if entry is None:
            return None
        if role == _DISPLAY:
            return entry.texts[column_number]
        if role == _USER:
            return self._ids[row]
        if role == _TOOLTIP:
            return column.tooltip(entry.row) if column.tooltip else None
        state = entry.states[column_number]
        if state not in ("late", "due_soon"):
            return None
        if role == _FOREGROUND:
            return QBrush(LATE_COLOR if state == "late" else DUE_SOON_COLOR)
        return QBrush(LATE_BACKGROUND if state == "late" else DUE_SOON_BACKGROUND)

    def sort(self, column: int, order: Qt.SortOrder = Qt.AscendingOrder) -> None:
        if not (0 <= column < len(self.source.columns)):
            return
        key = self.source.columns[column].sort_key
        if key is None:
            return
        self._sort_key = key
        self._descending = order == Qt.DescendingOrder
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        remembered = [(index, self._ids[index.row()]) for index in persistent
                      if 0 <= index.row() < len(self._ids)]
        self._ids = list(self.source.ids(self._query, self._sort_key, self._descending))
        self._cache.clear()
        positions = {ident: row for row, ident in enumerate(self._ids)}
        old, new = [], []
        for index, ident in remembered:
            old.append(index)
            row = positions.get(ident)
            new.append(self.index(row, index.column()) if row is not None else QModelIndex())
        self.changePersistentIndexList(old, new)
        self.layoutChanged.emit()

    # -- helpers ------------------------------------------------------------------------
    def id_at(self, row: int) -> Any:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, ident: Any) -> int:
        try:
            return self._ids.index(ident)
        except ValueError:
            return -1

    def row_object(self, row: int) -> Any:
        return self._row(row) if 0 <= row < len(self._ids) else None
