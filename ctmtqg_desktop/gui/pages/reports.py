"""Báo cáo: every registered report (the official forms among them, with their legal basis
and mark), for a period (month, quarter, 6 or 9 months, year, a range of dates; default: the
last closed period of the working year), made as Excel or PDF in the background."""

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
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ctmtqg_desktop.domain.errors import UserError
from ctmtqg_desktop.domain.report_periods import Period
from ctmtqg_desktop.gui.pages.base import Page
from ctmtqg_desktop.gui.widgets import date_edit
from ctmtqg_desktop.i18n import N_, _
from ctmtqg_desktop.services import report_catalog, report_forms

PERIOD_KINDS = (("month", N_("Month")), ("quarter", N_("Quarter")),
                ("half_year", N_("First 6 months")), ("nine_months", N_("First 9 months")),
                ("year", N_("Year")), ("range", N_("From date to date")))


class ReportsPage(Page):
    def build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 16)
        self.add_header(layout)
        body = QHBoxLayout()
        left = QVBoxLayout()
        self.list = QListWidget()
        self.list.setWordWrap(True)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.currentItemChanged.connect(self._selected)
        left.addWidget(self.list, 1)
        self.not_found = QLabel()
        self.not_found.setWordWrap(True)
        self.not_found.setObjectName("hint")
        left.addWidget(self.not_found)
        body.addLayout(left, 2)
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
        self.period_kind = QComboBox()
        self.period_kind.currentIndexChanged.connect(self._period_kind_changed)
        self.period_year = QSpinBox(minimum=2000, maximum=2100)
        self.period_number = QSpinBox(minimum=1, maximum=12)
        period_row = QHBoxLayout()
        period_row.addWidget(self.period_kind, 2)
        period_row.addWidget(self.period_number)
        period_row.addWidget(self.period_year)
        self.period_label = QLabel()
        form.addRow(self.period_label, period_row)
        self.range_start, self.range_end = date_edit(), date_edit()
        range_row = QHBoxLayout()
        range_row.addWidget(self.range_start)
        range_row.addWidget(self.range_end)
        self.range_label = QLabel()
        form.addRow(self.range_label, range_row)
        form.addRow(self.date_label, self.date)
        # a form's parameter (the commune's group of QĐ 51/2025, the programme reviewed)
        self.parameter_label = QLabel()
        self.parameter = QComboBox()
        form.addRow(self.parameter_label, self.parameter)
        self.parameter_key = ""
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
        self.date_label.setText(_("Date of the document"))
        self.period_label.setText(_("Period"))
        self.range_label.setText(_("From, to"))
        current = self.period_kind.currentData()
        self.period_kind.blockSignals(True)
        self.period_kind.clear()
        for key, label in PERIOD_KINDS:
            self.period_kind.addItem(_(label), key)
        if current:
            self.period_kind.setCurrentIndex(self.period_kind.findData(current))
        self.period_kind.blockSignals(False)
        self.make.setText(_("Make report…"))
        self.open_button.setText(_("Open the file"))

    def activate(self) -> None:
        if self.specs:
            return
        today = self.workspace.today()
        self.date.setDate(QDate(today.year, today.month, today.day))
        self.set_period(report_catalog.default_period(self.workspace))
        self.specs = report_catalog.available_reports(self.workspace)
        self.list.clear()
        for spec in self.specs:
            text = _(spec.title)
            if spec.key.startswith(report_forms.KEY_PREFIX):
                form = report_forms.get_form(spec.key[len(report_forms.KEY_PREFIX):])
                text = _("Form: {title} ({mark})").format(
                    title=text, mark=report_forms.mark_label(form.mark))
            item = QListWidgetItem(text)
            item.setToolTip(_(spec.description))
            item.setData(Qt.ItemDataRole.UserRole, spec.key)
            self.list.addItem(item)
        self.not_found.setText("\n".join(note for _title, note in
                                          report_forms.not_found_notes()))
        if self.specs:
            self.list.setCurrentRow(0)

    def _spec(self) -> report_catalog.ReportSpec | None:
        item = self.list.currentItem()
        if item is None:
            return None
        return next(s for s in self.specs if s.key == item.data(Qt.ItemDataRole.UserRole))

    # -- the period -------------------------------------------------------------------
    def _period_kind_changed(self, *_args: object) -> None:
        kind = self.period_kind.currentData()
        self.period_number.setVisible(kind in ("month", "quarter"))
        self.period_number.setMaximum(12 if kind == "month" else 4)
        self.period_year.setVisible(kind != "range")
        for widget in (self.range_start, self.range_end, self.range_label):
            widget.setVisible(kind == "range")

    def set_period(self, period: Period) -> None:
        self.period_kind.setCurrentIndex(self.period_kind.findData(period.kind))
        self.period_year.setValue(period.year)
        self.period_number.setValue(period.end.month if period.kind == "month"
                                    else (period.end.month + 2) // 3)
        for edit, day in ((self.range_start, period.start), (self.range_end, period.end)):
            edit.setDate(QDate(day.year, day.month, day.day))
        self._period_kind_changed()

    def period(self) -> Period:
        """The period chosen (a bad range is refused by the service with a sentence)."""
        kind = self.period_kind.currentData()
        if kind == "range":
            return Period.between(self.range_start.date().toPython(),
                                  self.range_end.date().toPython())
        return Period.of(kind, self.period_year.value(), self.period_number.value())

    def _selected(self, *_args) -> None:
        spec = self._spec()
        if spec is None:
            return
        self.report_title.setText(_(spec.title))
        self.description.setText(_(spec.description))
        self._show_parameter(spec.key)
        # a form: its last closed period; the application's own reports: the working year
        today = self.workspace.today()
        self.set_period(report_catalog.default_period(self.workspace)
                        if spec.key.startswith(report_forms.KEY_PREFIX)
                        else Period.of("year", today.year))
        self.format.clear()
        labels = {"xlsx": _("Excel (.xlsx)"), "pdf": _("PDF (to print and sign)")}
        for fmt in spec.formats:
            self.format.addItem(labels.get(fmt, fmt), fmt)

    def _make(self) -> None:
        spec = self._spec()
        if spec is None:
            return
        fmt = self.format.currentData()
        try:
            options = self.options()
        except UserError as error:
            self.result.setText(str(error))
            return
        suggested = Path.home() / report_catalog.file_name(self.workspace, spec.key, fmt,
                                                           options)
        path, _filter = QFileDialog.getSaveFileName(self, _("Save the report as"), str(suggested),
                                                    f"*.{fmt}")
        if not path:
            return
        self.generate(spec.key, fmt, Path(path))

    def generate(self, key: str, fmt: str, path: Path) -> None:
        """Make the report into ``path`` in the background (also used by tests)."""
        workspace = self.workspace
        try:
            options = self.options()
        except UserError as error:
            self.open_button.hide()
            self.result.setText(str(error))
            return
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

    def _show_parameter(self, key: str) -> None:
        """The form's first parameter, with its choices, when it has one."""
        spec = None
        if key.startswith(report_forms.KEY_PREFIX):
            form = report_forms.get_form(key[len(report_forms.KEY_PREFIX):])
            spec = next(iter(form.data.get("parameters") or []), None)
        self.parameter.clear()
        self.parameter_key = str(spec["key"]) if spec else ""
        if spec:
            self.parameter_label.setText(str(spec.get("label", spec["key"])))
            self.parameter.addItems([str(c) for c in spec.get("choices") or []])
            default = spec.get("default")
            if default:
                self.parameter.setCurrentText(str(default))
        for widget in (self.parameter, self.parameter_label):
            widget.setVisible(spec is not None)

    def options(self) -> report_catalog.ReportOptions:
        extra = {self.parameter_key: self.parameter.currentText()} if self.parameter_key \
            else {}
        return report_catalog.ReportOptions(period=self.period(), extra=extra,
                                            issued_on=self.date.date().toPython())

    def _open(self) -> None:
        if self.last_file:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.last_file)))
