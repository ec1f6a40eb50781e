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
            # new widgets post their layout requests, which post more: let them settle
            for _ in range(5):
                QApplication.sendPostedEvents()
                QApplication.processEvents()
            return
        time.sleep(0.01)


def capture_pages(window: MainWindow, folder: Path) -> list[Path]:
    """One PNG per page (``03-capital.png``); a page with more views (tabs) lists them in
    ``screenshot_views()`` as ``[(name, show)]`` and each is drawn too, in ``views/``
    (``views/03-capital-2-disbursement.png``)."""
    folder.mkdir(parents=True, exist_ok=True)
    window.resize(*SCREEN_SIZE)
    window.show()
    written = []

    def grab(target: Path) -> None:
        wait_until_idle(window)
        if not window.grab().save(str(target)):
            raise OSError(f"could not write {target}")
        written.append(target)

    for index, spec in enumerate(window.specs, 1):
        window.show_area(spec.key)
        grab(folder / f"{index:02d}-{spec.key}.png")
        page = window.current_page()
        views = page.screenshot_views() if page is not None and hasattr(
            page, "screenshot_views") else []
        for number, (name, show) in enumerate(views, 2):
            (folder / "views").mkdir(exist_ok=True)
            show()
            grab(folder / "views" / f"{index:02d}-{spec.key}-{number}-{name}.png")
    return written
