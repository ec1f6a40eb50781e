"""Render every page of the main window to PNG files (offscreen), for a machine without a
display and for looking at the product at 1366x768."""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtWidgets import QApplication

from ctmtqg_desktop.gui.main_window import MainWindow

SCREEN_SIZE = (1366, 768)


def wait_until_idle(window: MainWindow, *, timeout: float = 30.0) -> None:
    """Process events until background work has finished and pages are not loading."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        QApplication.processEvents()
        page = window.current_page()
        if window.runner.pending == 0 and not (page is not None and page.loading):
            QApplication.processEvents()
            return
        time.sleep(0.01)


def capture_pages(window: MainWindow, folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    window.resize(*SCREEN_SIZE)
    window.show()
    written = []
    for index, spec in enumerate(window.specs, 1):
        window.show_area(spec.key)
        wait_until_idle(window)
        target = folder / f"{index:02d}-{spec.key}.png"
        if not window.grab().save(str(target)):
            raise OSError(f"could not write {target}")
        written.append(target)
    return written
