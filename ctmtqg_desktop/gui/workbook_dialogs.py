"""Importing a workbook from the GUI, the same way in every area.

:func:`import_workbook` runs the area's import in the background; when the file looks
typed in TCVN3 or VNI it asks the user (showing the text before and after conversion) and
imports again converted; every other refusal is shown as its Vietnamese sentence.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from ctmtqg_desktop.gui.background import TaskRunner
from ctmtqg_desktop.i18n import _


def choose_workbook(parent: QWidget, title: str) -> Path | None:
    path, _filter = QFileDialog.getOpenFileName(parent, title, str(Path.home()),
                                                _("Excel workbooks (*.xlsx)"))
    return Path(path) if path else None


def choose_template_target(parent: QWidget, suggested: str) -> Path | None:
    path, _filter = QFileDialog.getSaveFileName(parent, _("Save the empty template as"),
                                                str(Path.home() / suggested),
                                                _("Excel workbooks (*.xlsx)"))
    return Path(path) if path else None


def ask_convert(parent: QWidget, message: str) -> bool:
    """The legacy-encoding question (tests replace this function)."""
    answer = QMessageBox.question(parent, _("Old Vietnamese encoding"),
                                  message + "\n\n" + _("Convert the text to Unicode and import?"))
    return answer == QMessageBox.Yes


def import_workbook(parent: QWidget, runner: TaskRunner, path: Path,
                    run: Callable[..., Any], *,
                    on_done: Callable[[Any], None], on_error: Callable[[str], None],
                    on_progress: Callable[[int, int, str], None] | None = None,
                    on_started: Callable[[threading.Event], None] | None = None) -> None:
    """Run ``run(path, legacy_encoding)`` in the background, asking about old encodings.

    With ``on_progress`` the import is run as ``run(path, legacy_encoding, job)`` (the job
    reports progress and says whether the user cancelled), and ``on_started`` receives the
    cancel event of each attempt, for a Cancel button."""
    from ctmtqg_desktop.services.workbook_import import WorkbookLegacyEncoding

    def attempt(encoding: str | None) -> None:
        def work(job=None):
            try:
                return ("done", run(path, encoding) if job is None
                        else run(path, encoding, job))
            except WorkbookLegacyEncoding as legacy:
                return ("legacy", legacy)

        def finished(result) -> None:
            kind, value = result
            if kind == "done":
                on_done(value)
            elif ask_convert(parent, str(value)):
                attempt(value.encoding)
            else:
                on_error(_("Nothing was imported."))

        if on_progress is None:
            runner.run(work, on_done=finished, on_error=on_error)
            return
        cancel = runner.run(work, on_done=finished, on_error=on_error,
                            on_progress=on_progress, with_job=True)
        if on_started is not None:
            on_started(cancel)

    attempt(None)
