"""Measures start-up for ``benchmarks/startup.py``: first paint of the main window, then the
overview showing its data. Times are seconds since ``CTMTQG_BENCH_T0`` (the harness's clock
just before it started the process), written as JSON, and the application quits."""

from __future__ import annotations

import json
import os
import resource
import time
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication


def since_start() -> float:
    return time.time() - float(os.environ.get("CTMTQG_BENCH_T0", time.time()))


class StartupProbe(QObject):
    def __init__(self, window, report: Path) -> None:
        super().__init__(window)
        self.window = window
        self.report = report
        self.first_paint: float | None = None
        self.data_shown: float | None = None
        self.live_shown: float | None = None

    def install(self) -> None:
        self.window.installEventFilter(self)
        self._poll = QTimer(self, interval=5)
        self._poll.timeout.connect(self._check)
        self._poll.start()

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Paint and self.first_paint is None:
            self.first_paint = since_start()
        return False

    def _check(self) -> None:
        page = self.window.pages.get("overview")
        if self.data_shown is None and page is not None and getattr(page, "shown", False):
            self.window.repaint()
            self.data_shown = since_start()
        if self.live_shown is None and page is not None and getattr(page, "loaded", False):
            self.window.repaint()
            self.live_shown = since_start()
        if None not in (self.first_paint, self.data_shown, self.live_shown):
            self._poll.stop()
            peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            self.report.write_text(json.dumps({
                "first_paint": self.first_paint, "data_shown": self.data_shown,
                "live_shown": self.live_shown, "peak_rss_mb": peak_kb / 1024}),
                encoding="utf-8")
            QApplication.quit()
