"""Run service calls off the GUI thread and get plain results back on it.

One entry point, :meth:`TaskRunner.run`: ``runner.run(fn, on_done=..., on_error=...)``.
Database work is serialised on a single worker thread (SQLite has one writer, and a session
must not cross threads); results and errors are delivered to the GUI thread by a queued
signal, so callbacks may touch widgets. Long jobs receive a :class:`Job` to report progress
and check for cancellation. Tests construct the runner with ``synchronous=True``.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from ctmtqg_desktop.domain.errors import UserError
from ctmtqg_desktop.i18n import _

log = logging.getLogger("ctmtqg.gui")


class Cancelled(Exception):
    """Raised inside a job when the user pressed Cancel."""


@dataclass
class Job:
    """Handed to long-running functions: ``job.progress(done, total, text)``, ``job.check()``."""

    _cancel: threading.Event
    _report: Callable[[int, int, str], None]

    def progress(self, done: int, total: int, text: str = "") -> None:
        self._report(done, total, text)

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def check(self) -> None:
        if self._cancel.is_set():
            raise Cancelled()


class _Bridge(QObject):
    done = Signal(object, object)  # (callback, result)
    failed = Signal(object, object)  # (callback, message)
    progressed = Signal(object, int, int, str)


class _Runnable(QRunnable):
    def __init__(self, work: Callable[[], None]) -> None:
        super().__init__()
        self.work = work

    def run(self) -> None:
        self.work()


def error_message(error: BaseException) -> str:
    """The Vietnamese sentence a user sees for ``error``; internal errors are logged."""
    if isinstance(error, UserError):
        return str(error)
    if isinstance(error, Cancelled):
        return _("Stopped by the user; nothing was changed.")
    log.error("internal error", exc_info=error)
    from ctmtqg_desktop.app_logging import log_path

    return _("Internal error: the details were written to {log}. Please send this file to "
             "the support team.").format(log=log_path() or "ctmtqg.log")


class TaskRunner(QObject):
    def __init__(self, *, synchronous: bool = False, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.synchronous = synchronous
        self._bridge = _Bridge()
        self._bridge.done.connect(lambda callback, result: callback(result))
        self._bridge.failed.connect(lambda callback, message: callback(message))
        self._bridge.progressed.connect(
            lambda callback, done, total, text: callback(done, total, text))
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self.pending = 0

    def run(self, fn: Callable[..., Any], *, on_done: Callable[[Any], None] | None = None,
            on_error: Callable[[str], None] | None = None,
            on_progress: Callable[[int, int, str], None] | None = None,
            with_job: bool = False) -> threading.Event:
        """Run ``fn()`` (or ``fn(job)`` with ``with_job``) in the background.

        Returns the cancel event of the job (set it to ask the job to stop).
        """
        cancel = threading.Event()

        def report(done: int, total: int, text: str) -> None:
            if on_progress is not None:
                if self.synchronous:
                    on_progress(done, total, text)
                else:
                    self._bridge.progressed.emit(on_progress, done, total, text)

        job = Job(cancel, report)

        def work() -> None:
            try:
                result = fn(job) if with_job else fn()
            except BaseException as error:  # noqa: BLE001 — every failure goes to on_error
                message = error_message(error)
                self._finish(on_error or _default_error, message, failed=True)
            else:
                self._finish(on_done, result, failed=False)

        self.pending += 1
        if self.synchronous:
            work()
        else:
            self._pool.start(_Runnable(work))
        return cancel

    def _finish(self, callback, value, *, failed: bool) -> None:
        def complete(result, callback=callback):
            self.pending -= 1
            if callback is not None:
                callback(result)

        if self.synchronous:
            complete(value)
        elif failed:
            self._bridge.failed.emit(complete, value)
        else:
            self._bridge.done.emit(complete, value)

    def wait(self, msecs: int = 30000) -> bool:
        return self._pool.waitForDone(msecs)


def _default_error(message: str) -> None:
    log.warning("unhandled background error: %s", message)
