"""Importing a workbook from the GUI, the same way in every area.

:func:`import_workbook` runs the area's import in the background; when the file looks
typed in TCVN3 or VNI it asks the user (showing the text before and after conversion) and
imports again converted; every other refusal is shown as its Vietnamese sentence.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

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


class _PreviewQuestion(QDialog):
    """A question about a workbook, before anything is imported, with a table of what it is
    about (the legacy-encoding conversion, the columns that would be left out)."""

    def __init__(self, parent: QWidget | None, title: str, message: str,
                 headers: Sequence[str], preview: Sequence[Sequence[str]],
                 question: str) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        layout = QVBoxLayout(self)
        intro = QLabel(message)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.table = QTableWidget(len(preview), len(headers))
        self.table.setHorizontalHeaderLabels(list(headers))
        for row, values in enumerate(preview):
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.table.setItem(row, column, item)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setVisible(bool(preview))
        layout.addWidget(self.table)
        layout.addWidget(QLabel(question))
        self.buttons = QDialogButtonBox()
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.resize(720, 420)


class LegacyPreviewDialog(_PreviewQuestion):
    """The legacy-encoding question with a preview: a few cells as they are in the file and
    as they will read once converted, so the officer sees the conversion before agreeing."""

    def __init__(self, parent: QWidget | None, message: str,
                 preview: Sequence[tuple[str, str, str]]) -> None:
        super().__init__(parent, _("Old Vietnamese encoding"), message,
                         [_("Cell"), _("Text in the file"), _("Converted to Unicode")],
                         preview, _("Convert the text to Unicode and import?"))
        self.convert_button = self.buttons.addButton(_("Convert and import"),
                                                     QDialogButtonBox.ButtonRole.AcceptRole)
        #: the text is Unicode after all (a Unicode workbook in a font named like a legacy one)
        self.as_is_button = self.buttons.addButton(_("Import as it is"),
                                                   QDialogButtonBox.ButtonRole.ActionRole)
        self.as_is_button.clicked.connect(lambda: self.done(AS_IS))
        self.buttons.addButton(_("Do not import"), QDialogButtonBox.ButtonRole.RejectRole)


class UnknownColumnsDialog(_PreviewQuestion):
    """The columns whose header the importer does not know, with what is under each, so
    the officer agrees to leave them out (or stops and renames the header) before anything
    is written."""

    def __init__(self, parent: QWidget | None, message: str,
                 preview: Sequence[tuple[str, str, str]]) -> None:
        super().__init__(parent, _("Columns not recognised"), message,
                         [_("Column"), _("Header in the file"), _("Values under it")],
                         preview, _("Import the workbook without these columns?"))
        self.skip_button = self.buttons.addButton(_("Import without them"),
                                                  QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(_("Do not import"), QDialogButtonBox.ButtonRole.RejectRole)


AS_IS = 2  # the dialog's result for "Import as it is"


def ask_convert(parent: QWidget, message: str,
                preview: Sequence[tuple[str, str, str]] = ()) -> bool | str:
    """The legacy-encoding question, with the preview of converted cells (tests replace
    this function): True converts, ``"unicode"`` imports the text as it is, False stops."""
    result = LegacyPreviewDialog(parent, message, preview).exec()
    if result == AS_IS:
        return "unicode"
    return result == QDialog.DialogCode.Accepted


def ask_skip_columns(parent: QWidget, message: str,
                     preview: Sequence[tuple[str, str, str]] = ()) -> bool:
    """The unknown-columns question (tests replace this function): True imports the
    workbook without those columns, False stops."""
    return UnknownColumnsDialog(parent, message, preview).exec() == \
        QDialog.DialogCode.Accepted


def import_workbook(parent: QWidget, runner: TaskRunner, path: Path,
                    run: Callable[..., Any], *,
                    on_done: Callable[[Any], None], on_error: Callable[[str], None],
                    on_progress: Callable[[int, int, str], None] | None = None,
                    on_started: Callable[[threading.Event], None] | None = None) -> None:
    """Run ``run(path, legacy_encoding, skip_unknown_columns=...)`` in the background,
    asking about old encodings and about columns whose header is not known.

    With ``on_progress`` the import is run as ``run(path, legacy_encoding, job,
    skip_unknown_columns=...)`` (the job reports progress and says whether the user
    cancelled), and ``on_started`` receives the cancel event of each attempt, for a Cancel
    button. Each question comes before anything is written; declining it imports nothing."""
    from ctmtqg_desktop.services.workbook_import import (
        WorkbookLegacyEncoding,
        WorkbookUnknownColumns,
    )

    def attempt(encoding: str | None, skip: bool = False) -> None:
        def work(job=None):
            try:
                return ("done", run(path, encoding, skip_unknown_columns=skip) if job is None
                        else run(path, encoding, job, skip_unknown_columns=skip))
            except WorkbookLegacyEncoding as legacy:
                return ("legacy", legacy)
            except WorkbookUnknownColumns as unknown:
                return ("unknown", unknown)

        def finished(result) -> None:
            kind, value = result
            if kind == "done":
                on_done(value)
                return
            if kind == "unknown":
                if ask_skip_columns(parent, value.question, value.preview):
                    attempt(encoding, True)
                else:
                    on_error(_("Nothing was imported."))
                return
            answer = ask_convert(parent, value.question, value.preview)
            if answer == "unicode":
                attempt("unicode", skip)
            elif answer is True:
                attempt(value.encoding, skip)
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


class ImportRunner:
    """A page's Excel import, the same in every area: the import runs in the background
    (:func:`import_workbook`, asking about old encodings), ``bar`` follows its rows, the
    Cancel button stops it before anything is written, and when it ends the bar and the
    button hide again. A cancelled import is said plainly (``say``); any other refusal goes
    to ``refuse`` (the page's way of showing an error). ``busy(True/False)`` lets the page
    disable what must not run meanwhile."""

    def __init__(self, page: QWidget, runner: TaskRunner, bar: QProgressBar,
                 cancel_button: QPushButton, *, say: Callable[[str], None],
                 refuse: Callable[[str], None],
                 busy: Callable[[bool], None] | None = None) -> None:
        self.page, self.runner, self.bar, self.cancel_button = page, runner, bar, cancel_button
        self.say, self.refuse, self.busy = say, refuse, busy
        self.cancel_event: threading.Event | None = None
        self.bar.hide()
        self.cancel_button.hide()
        self.cancel_button.clicked.connect(self.cancel)

    def retranslate(self) -> None:
        self.cancel_button.setText(_("Cancel"))

    def start(self, path: Path, run: Callable[..., Any], *,
              on_done: Callable[[Any], None]) -> None:
        """``run(path, legacy_encoding, job, skip_unknown_columns=...)`` in the background
        (:func:`import_workbook`); ``on_done(result)`` after."""
        over: list[bool] = []  # a synchronous runner (tests) ends before ``started``

        def progressed(done_rows: int, total: int, _text: str) -> None:
            self.bar.setRange(0, max(total, 1))
            self.bar.setValue(done_rows)

        def started(cancel: threading.Event) -> None:
            if over:
                return
            self.cancel_event = cancel
            self.bar.setRange(0, 0)
            self.bar.show()
            self.cancel_button.setEnabled(True)
            self.cancel_button.show()
            if self.busy:
                self.busy(True)

        def finished() -> None:
            over.append(True)
            self.cancel_event = None
            self.bar.hide()
            self.cancel_button.hide()
            if self.busy:
                self.busy(False)

        def failed(message: str) -> None:
            cancelled = self.cancel_event is not None and self.cancel_event.is_set()
            finished()
            (self.say if cancelled else self.refuse)(message)

        def done(result: Any) -> None:
            finished()
            on_done(result)

        self.say(_("Checking every row…"))
        import_workbook(self.page, self.runner, path, run, on_done=done, on_error=failed,
                        on_progress=progressed, on_started=started)

    def cancel(self) -> None:
        """Ask the running import to stop; it writes nothing."""
        if self.cancel_event is not None:
            self.cancel_event.set()
            self.cancel_button.setEnabled(False)
            self.say(_("Stopping the import…"))
