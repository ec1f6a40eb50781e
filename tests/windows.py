"""The main window as every GUI test opens it: 1366x768 (the smallest screen the officers
use), shown and exposed, background work run synchronously."""

from __future__ import annotations

from typing import Any


def show_main_window(qtbot: Any, workspace: Any) -> Any:
    """The main window on ``workspace``, shown at 1366x768 and added to ``qtbot``."""
    from ctmtqg_desktop.gui.background import TaskRunner
    from ctmtqg_desktop.gui.main_window import MainWindow

    window = MainWindow(workspace, runner=TaskRunner(synchronous=True))
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    return window
