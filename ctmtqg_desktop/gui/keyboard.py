"""Keyboard rules that hold for every widget of the application.

A table is one Tab stop: Tab leaves it for the next field and the arrow keys move inside it
(Qt's tables move from cell to cell on Tab by default, so a page with a table trapped the
keyboard: Tab looped inside "Kế hoạch vốn"'s programme table forever). :class:`KeyboardRules`
applies this to every item view as it is first shown, wherever it was built.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QAbstractItemView


class KeyboardRules(QObject):
    """Installed once on the application (``app.installEventFilter``)."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Polish and isinstance(watched, QAbstractItemView):
            watched.setTabKeyNavigation(False)
        return False


def install(app) -> KeyboardRules:
    rules = KeyboardRules(app)
    app.installEventFilter(rules)
    return rules
