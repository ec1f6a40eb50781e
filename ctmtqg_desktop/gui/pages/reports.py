"""Báo cáo: every registered report, made as Excel or PDF in the background."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QDate, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ctmtqg_desktop.gui.pages.base import Page
from ctmtqg_desktop.gui.widgets import date_edit
from ctmtqg_desktop.i18n import _
from ctmtqg_desktop.services import report_catalog


class ReportsPage(Page):
    def build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 16)
        self.add_header(layout)
        body = QHBoxLayout()
        self.list = QListWidget()
        self.list.currentItemChanged.connect(self._selected)
        body.addWidget(self.list, 2)
        panel = QWidget(objectName="sidePanel")
        form = QFormLayout(panel)
        self.report_title = QLabel(objectName="cardTitle", wordWrap=True)
        self.description = QLabel(wordWrap=True)
        form.addRow(self.report_title)
        form.addRow(self.description)
        self.format = QComboBox()
        self.date = date_edit()
        self.format_label, self.date_label = QLabel(), QLabel()
        form.addRow(self.format_label, self.format)
        form.addRow(self.date_label, self.date)
        self.make = QPushButton(objectName="primary")
        self.make.clicked.connect(self._make)
        form.addRow(self.make)
        self.progress = QProgressBar(maximum=0)
        self.progress.hide()
        form.addRow(self.progress)
        self.result = QLabel(wordWrap=True, objectName="formMessage")
        self.open_button = QPushButton()
        self.open_button.hide()
        self.open_button.clicked.connect(self._open)
        form.addRow(self.result)
        form.addRow(self.open_button)
        body.addWidget(panel, 3)
        layout.addLayout(body, 1)
        self.last_file: Path | None = None
        self.specs: list[report_catalog.ReportSpec] = []

    def retranslate(self) -> None:
        self.title.setText(_("Reports"))
        self.subtitle.setText(_("Reports are made from the data entered, as Excel and as PDF "
                                "in the official document format (Nghị định 30/2020/NĐ-CP)."))
        self.format_label.setText(_("Format"))
        self.date_label.setText(_("Report date"))
        self.make.setText(_("Make report…"))
        self.open_button.setText(_("Open the file"))

    def activate(self) -> None:
        if self.specs:
            return
        today = self.workspace.today()
        self.date.setDate(QDate(today.year, today.month, today.day))
        self.specs = report_catalog.available_reports(self.workspace)
        self.list.clear()
        for spec in self.specs:
            item = QListWidgetItem(_(spec.title))
            item.setData(Qt.UserRole, spec.key)
            self.list.addItem(item)
        if self.specs:
            self.list.setCurrentRow(0)

    def _spec(self) -> report_catalog.ReportSpec | None:
        item = self.list.currentItem()
        if item is None:
            return None
        return next(s for s in self.specs if s.key == item.data(Qt.UserRole))

    def _selected(self, *_args) -> None:
        spec = self._spec()
        if spec is None:
            return
        self.report_title.setText(_(spec.title))
        self.description.setText(_(spec.description))
        self.format.clear()
        labels = {"xlsx": _("Excel (.xlsx)"), "pdf": _("PDF (to print and sign)")}
        for fmt in spec.formats:
            self.format.addItem(labels.get(fmt, fmt), fmt)

    def _make(self) -> None:
        spec = self._spec()
        if spec is None:
            return
        fmt = self.format.currentData()
        suggested = Path.home() / f"{spec.key}-{self.date.date().toString('yyyyMMdd')}.{fmt}"
        path, _filter = QFileDialog.getSaveFileName(self, _("Save the report as"), str(suggested),
                                                    f"*.{fmt}")
        if not path:
            return
        self.generate(spec.key, fmt, Path(path))

    def generate(self, key: str, fmt: str, path: Path) -> None:
        """Make the report into ``path`` in the background (also used by tests)."""
        workspace = self.workspace
        options = report_catalog.ReportOptions(date=self.date.date().toPython())
        self.progress.show()
        self.make.setEnabled(False)
        self.result.clear()
        self.open_button.hide()
        self.loading = True

        def done(result: Path) -> None:
            self.loading = False
            self.progress.hide()
            self.make.setEnabled(True)
            self.last_file = result
            self.result.setText(_("Report written: {path}").format(path=result))
            self.open_button.show()

        def failed(message: str) -> None:
            self.loading = False
            self.progress.hide()
            self.make.setEnabled(True)
            self.result.setText(message)

        self.context.runner.run(
            lambda: report_catalog.build_report(workspace, key, fmt, path, options),
            on_done=done, on_error=failed)

    def _open(self) -> None:
        if self.last_file:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.last_file)))
