"""A guard against modal dialogs that no test answers.

A test that opens a QMessageBox, a QDialog or a popup menu with ``exec()`` and does not answer
it waits forever: the whole run hangs until CI's time limit and says nothing about which test
or which dialog. While a Qt test runs, :class:`ModalGuard` polls
``QApplication.activeModalWidget()`` and ``activePopupWidget()`` from a timer (timers fire
inside the dialog's own event loop); a modal or popup still open after ``LIMIT`` seconds is
closed (so ``exec()`` returns and the test goes on) and the test fails, naming the dialog's
title and text.

Loaded by tests/conftest.py (``modal_dialog_guard`` and ``pytest_runtest_call`` are imported
there), or as a plugin: ``pytest -p tests.modal_guard``.
"""

from __future__ import annotations

import os
import sys
import time

import pytest

#: seconds a modal dialog may stay open while the test runs an event loop
LIMIT = float(os.environ.get("CTMTQG_TEST_MODAL_LIMIT", "5"))
_GUARD = pytest.StashKey["ModalGuard"]()


def describe(widget) -> str:
    """The dialog as a person would name it: its kind, title and text."""
    from PySide6.QtWidgets import QLabel, QMenu, QMessageBox

    parts = [type(widget).__name__]
    if widget.windowTitle():
        parts.append(f"title “{widget.windowTitle()}”")
    if isinstance(widget, QMessageBox):
        texts = [widget.text(), widget.informativeText()]
    elif isinstance(widget, QMenu):
        texts = [action.text() for action in widget.actions() if action.text()]
    else:
        texts = [label.text() for label in widget.findChildren(QLabel) if label.text()]
    shown = " / ".join(text for text in texts[:3] if text)
    if shown:
        parts.append(f"text “{shown}”")
    return ", ".join(parts)


def close(widget) -> None:
    """Close ``widget`` so that its ``exec()`` returns (as if cancelled)."""
    from PySide6.QtWidgets import QDialog

    if isinstance(widget, QDialog):
        # QMessageBox without an Esc button ignores close(); done() always ends exec()
        widget.done(QDialog.DialogCode.Rejected)
    widget.hide()
    widget.close()


class ModalGuard:
    """Polls for modal dialogs and popups left open; see the module docstring."""

    def __init__(self, limit: float = LIMIT, poll_ms: int = 100) -> None:
        from PySide6.QtCore import QTimer

        self.limit = limit
        self.findings: list[str] = []
        self._first_seen: dict[int, float] = {}
        self.timer = QTimer()
        self.timer.setInterval(poll_ms)
        self.timer.timeout.connect(self.poll)

    def start(self) -> ModalGuard:
        self.timer.start()
        return self

    def stop(self) -> None:
        self.timer.stop()

    def dispose(self) -> None:
        """Let the timer go now, while the application exists (not at interpreter exit)."""
        self.timer.stop()
        self.timer.timeout.disconnect(self.poll)
        self.timer.deleteLater()

    def poll(self) -> None:
        from PySide6.QtWidgets import QApplication

        now = time.monotonic()
        open_now = [widget for widget in (QApplication.activeModalWidget(),
                                          QApplication.activePopupWidget())
                    if widget is not None and widget.isVisible()]
        keys = {id(widget) for widget in open_now}
        self._first_seen = {key: seen for key, seen in self._first_seen.items() if key in keys}
        for widget in open_now:
            first = self._first_seen.setdefault(id(widget), now)
            if now - first >= self.limit:
                self.findings.append(describe(widget))
                del self._first_seen[id(widget)]
                close(widget)

    def close_leftovers(self) -> None:
        """Quietly close modals a test left open without blocking (``open()``, ``show()``),
        so that they are not blamed on the next test."""
        from PySide6.QtWidgets import QApplication

        for _attempt in range(5):
            widget = QApplication.activeModalWidget() or QApplication.activePopupWidget()
            if widget is None:
                return
            close(widget)


def _is_qt_test(request) -> bool:
    if "qapp" in request.fixturenames:
        return True
    if "PySide6.QtWidgets" not in sys.modules:
        return False
    from PySide6.QtWidgets import QApplication

    return QApplication.instance() is not None


@pytest.fixture(autouse=True)
def modal_dialog_guard(request):
    """Every Qt test: a modal left unanswered for LIMIT seconds is closed and fails the test."""
    if not _is_qt_test(request):
        yield None
        return
    request.getfixturevalue("qapp")
    guard = ModalGuard().start()
    request.node.stash[_GUARD] = guard
    try:
        yield guard
    finally:
        guard.stop()
        guard.close_leftovers()
        guard.dispose()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """Fail the test (not only its teardown) when the guard had to close a dialog; this
    message comes first, before whatever the test did after its dialog was closed."""
    try:
        result = yield
    except BaseException:
        guard = item.stash.get(_GUARD, None)
        if guard is not None and guard.findings:
            raise pytest.fail.Exception(_message(guard), pytrace=False) from None
        raise
    guard = item.stash.get(_GUARD, None)
    if guard is not None and guard.findings:
        raise pytest.fail.Exception(_message(guard), pytrace=False)
    return result


def _message(guard: ModalGuard) -> str:
    return ("A modal dialog was left unanswered for {limit:g} s and closed by the test guard "
            "(answer it in the test: monkeypatch its exec/ask or use a QTimer): {found}").format(
        limit=guard.limit, found="; ".join(guard.findings))
