"""Measures start-up for ``benchmarks/startup.py``: first paint of the main window, the first
paint that shows the overview (its last-known figures or its waiting state), then the
overview showing its data. Times are seconds since ``CTMTQG_BENCH_T0`` (the harness's clock
just before it started the process), written as JSON with the CPU seconds spent by then
(this process's, and its finished children's: the start-up process of the overview), and
the application quits."""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication

#: libraries that the first paint must not wait for (issue 17)
HEAVY = ("sqlalchemy", "reportlab", "openpyxl", "yaml", "cryptography")
#: what the window builds or imports only after its first paint (``MainWindow.complete``,
#: the keyboard rules, the logging set up with the workspace)
DEFERRED = ("ctmtqg_desktop.gui.auto_backup", "ctmtqg_desktop.gui.keyboard",
            "ctmtqg_desktop.app_logging", "logging.handlers")


def since_start() -> float:
    return time.time() - float(os.environ.get("CTMTQG_BENCH_T0", time.time()))


def cpu_seconds() -> tuple[float, float]:
    """CPU seconds (user + system) of this process and of its children waited for."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


class StartupProbe(QObject):
    def __init__(self, window, report: Path) -> None:
        super().__init__(window)
        self.window = window
        self.report = report
        self.first_paint: float | None = None
        #: the first paint with the overview on the screen (figures or waiting state)
        self.overview_paint: float | None = None
        self.overview_cpu = 0.0
        #: at the first paint: the page shown ("" for none), whether it showed figures,
        #: the entries of the menus, and which of DEFERRED were imported
        self.first_frame: dict[str, object] = {}
        self.data_shown: float | None = None
        self.live_shown: float | None = None
        self.paint_cpu = 0.0
        self.live_cpu = (0.0, 0.0)
        #: the heavy libraries already imported at the first paint (none is needed for it)
        self.heavy_at_paint: list[str] = []

    def install(self) -> None:
        self.window.installEventFilter(self)
        self._poll = QTimer(self, interval=5)
        self._poll.timeout.connect(self._check)
        self._poll.start()

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt API)
        if event.type() != QEvent.Paint:
            return False
        now, cpu = since_start(), cpu_seconds()[0]
        if self.first_paint is None:
            self.first_paint, self.paint_cpu = now, cpu
            self.heavy_at_paint = [name for name in HEAVY if name in sys.modules]
            page = self.window.current_page()
            self.first_frame = {
                "page": next((key for key, shown in self.window.pages.items()
                              if shown is page), "") if page is not None else "",
                "figures": bool(getattr(page, "shown", False)),
                "menu_entries": sum(len(action.menu().actions())
                                    for action in self.window.menuBar().actions()
                                    if action.menu() is not None),
                "deferred": [name for name in DEFERRED if name in sys.modules]}
        if self.overview_paint is None:
            page = self.window.pages.get("overview")
            if page is not None and self.window.current_page() is page:
                self.overview_paint, self.overview_cpu = now, cpu
        return False

    def _completed(self) -> dict[str, object]:
        """What the user can use once start-up is over: every menu entry with its key, the
        window's own shortcuts, and whether the keyboard rules are installed."""
        from PySide6.QtGui import QShortcut

        from ctmtqg_desktop.gui.app import KEYBOARD_RULES

        app = QApplication.instance()
        return {
            "menus": {action.text(): [(entry.text(), entry.shortcut().toString())
                                      for entry in action.menu().actions()]
                      for action in self.window.menuBar().actions()
                      if action.menu() is not None},
            "shortcuts": sorted(shortcut.key().toString()
                                for shortcut in self.window.findChildren(QShortcut)),
            "keyboard_rules": app is not None
            and app.findChild(QObject, KEYBOARD_RULES) is not None}

    def _check(self) -> None:
        page = self.window.pages.get("overview")
        if self.data_shown is None and page is not None and getattr(page, "shown", False):
            self.window.repaint()
            self.data_shown = since_start()
        if self.live_shown is None and page is not None and getattr(page, "loaded", False):
            self.window.repaint()
            self.live_shown = since_start()
            self.live_cpu = cpu_seconds()
        if None not in (self.first_paint, self.overview_paint, self.data_shown,
                        self.live_shown):
            self._poll.stop()
            peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            self.report.write_text(json.dumps({
                "first_paint": self.first_paint, "overview_paint": self.overview_paint,
                "overview_cpu": self.overview_cpu, "first_frame": self.first_frame,
                "data_shown": self.data_shown,
                "live_shown": self.live_shown, "peak_rss_mb": peak_kb / 1024,
                "paint_cpu": self.paint_cpu, "live_cpu": self.live_cpu[0],
                "live_cpu_children": self.live_cpu[1],
                "heavy_at_paint": self.heavy_at_paint, "completed": self._completed()}),
                encoding="utf-8")
            QApplication.quit()
