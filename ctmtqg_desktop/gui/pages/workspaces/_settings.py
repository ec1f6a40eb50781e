"""Cài đặt: the workspace settings (declared in services), and facts about the workspace."""

from __future__ import annotations

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ctmtqg_desktop.domain.formats import format_date, format_number
from ctmtqg_desktop.gui.lazy_table import PAGE, LazyColumn, LazyTableModel
from ctmtqg_desktop.gui.pages.base import Page
from ctmtqg_desktop.gui.pages.workspaces._backups_box import BackupsBox
from ctmtqg_desktop.i18n import _
from ctmtqg_desktop.services import settings, workspaces


class SettingsPage(Page):
    def build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(20, 16, 20, 16)
        self.add_header(outer, subtitle=False)
        scroll = QScrollArea(widgetResizable=True)
        host = QWidget()
        layout = QVBoxLayout(host)
        self.backups_box = BackupsBox(self)  # Sao lưu / Khôi phục: first, where it is seen
        layout.addWidget(self.backups_box)
        self.settings_box = QGroupBox()
        self.form = QFormLayout(self.settings_box)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldsStayAtSizeHint)
        self.editors: dict[str, QWidget] = {}
        self.labels: dict[str, QLabel] = {}
        for key, spec in sorted(settings.declared().items()):
            if spec.type is bool:
                editor = QCheckBox()
            elif spec.type is int:
                editor = QSpinBox(minimum=spec.minimum or 0, maximum=spec.maximum or 10**9)
                editor.setMinimumWidth(90)
            else:
                editor = QLineEdit()
                editor.setMinimumWidth(420)
            label = QLabel(wordWrap=True)
            label.setMinimumWidth(300)
            self.editors[key] = editor
            self.labels[key] = label
            self.form.addRow(label, editor)
        buttons = QHBoxLayout()
        self.save_button = QPushButton(objectName="primary")
        self.save_button.clicked.connect(self.save)
        buttons.addWidget(self.save_button)
        buttons.addStretch(1)
        self.form.addRow(buttons)
        self.message = QLabel(wordWrap=True, objectName="formMessage")
        self.form.addRow(self.message)
        layout.addWidget(self.settings_box)

        self.workspace_box = QGroupBox()
        info = QVBoxLayout(self.workspace_box)
        self.facts = QLabel(wordWrap=True)
        self.facts.setTextFormat(Qt.RichText)
        info.addWidget(self.facts)
        actions = QHBoxLayout()
        self.open_folder = QPushButton()
        self.open_folder.clicked.connect(lambda: QDesktopServices.openUrl(
            QUrl.fromLocalFile(str(self.workspace.folder))))
        actions.addWidget(self.open_folder)
        actions.addStretch(1)
        info.addLayout(actions)
        layout.addWidget(self.workspace_box)

        self.journal_box = QGroupBox()
        journal_layout = QVBoxLayout(self.journal_box)
        self.journal_source = JournalSource(self)
        self.journal_model = LazyTableModel(self.journal_source, self)
        self.journal_view = QTableView()
        self.journal_view.setModel(self.journal_model)
        self.journal_view.setSortingEnabled(True)
        self.journal_view.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.journal_view.setMinimumHeight(240)
        self.journal_view.horizontalHeader().setStretchLastSection(True)
        # columns sized to the shown rows and the first page of the lazy model, not to the
        # thousand rows Qt reads by default (a big commune's journal has tens of thousands)
        self.journal_view.horizontalHeader().setResizeContentsPrecision(PAGE)
        journal_layout.addWidget(self.journal_view)
        layout.addWidget(self.journal_box)
        layout.addStretch(1)
        scroll.setWidget(host)
        outer.addWidget(scroll, 1)

    def retranslate(self) -> None:
        self.title.setText(_("Settings"))
        self.settings_box.setTitle(_("Settings of this workspace"))
        self.workspace_box.setTitle(_("This workspace"))
        for key, label in self.labels.items():
            label.setText(_(settings.declared()[key].label))
        self.save_button.setText(_("Save settings"))
        self.open_folder.setText(_("Open the workspace folder"))
        self.backups_box.retranslate()
        self.journal_box.setTitle(_("Change journal (what this workspace has recorded)"))
        self.journal_source.retranslate()

    def activate(self) -> None:
        workspace = self.workspace
        self.loading = True

        def load():
            return settings.all_values(workspace), workspaces.summary(workspace)

        self.context.runner.run(load, on_done=self._loaded, on_error=self.message.setText)
        self.backups_box.refresh()

    def _loaded(self, result) -> None:
        values, summary = result
        for key, value in values.items():
            editor = self.editors.get(key)
            if isinstance(editor, QCheckBox):
                editor.setChecked(bool(value))
            elif isinstance(editor, QSpinBox):
                editor.setValue(int(value))
            elif isinstance(editor, QLineEdit):
                editor.setText(str(value))
        facts = [
            (_("Unit"), summary.unit_name),
            (_("Role"), workspaces.role_label(summary.role)),
            (_("Folder"), summary.folder),
            (_("Database"), f"{summary.database} ({summary.location})"),
            (_("Installation (node)"), summary.node_id),
            (_("Data version"), summary.schema_revision or ""),
            (_("Catalog version"), str(summary.catalog_version)),
            (_("Change journal entries"), format_number(summary.journal_entries)),
        ]
        if summary.simulated_today:
            facts.append((_("Working date (demo)"), format_date(summary.simulated_today)))
        self.facts.setText("<br>".join(f"<b>{k}:</b> {v}" for k, v in facts))
        self.journal_model.reload({})
        self.journal_view.resizeColumnsToContents()
        self.loading = False

    def save(self) -> bool:
        workspace = self.workspace
        values = {}
        for key, editor in self.editors.items():
            if isinstance(editor, QCheckBox):
                values[key] = editor.isChecked()
            elif isinstance(editor, QSpinBox):
                values[key] = editor.value()
            else:
                values[key] = editor.text().strip()

        def store():
            for key, value in values.items():
                settings.set_value(workspace, settings.declared()[key], value)

        self.context.runner.run(store, on_done=lambda _r: self.message.setText(_("Saved.")),
                                on_error=self.message.setText)
        return True

class JournalSource:
    """The change journal for :class:`LazyTableModel`, newest first."""

    def __init__(self, page: SettingsPage) -> None:
        self.page = page
        self.columns: list[LazyColumn] = []
        self.retranslate()

    def retranslate(self) -> None:
        from ctmtqg_desktop.domain.formats import format_datetime

        self.columns = [
            LazyColumn(_("No."), lambda r: format_number(r.seq), "seq",
                       Qt.AlignRight | Qt.AlignVCenter),
            LazyColumn(_("Time of day"), lambda r: format_datetime(r.recorded_at)),
            LazyColumn(_("Kind of record"), lambda r: r.table_label, "table"),
            LazyColumn(_("Change"), lambda r: r.operation_label, "operation"),
            LazyColumn(_("Record"), lambda r: r.summary),
            LazyColumn(_("Written on"), lambda r: _("this computer") if r.local
                       else _("another installation")),
        ]

    def ids(self, query: dict, sort_key: str | None, descending: bool) -> list:
        if sort_key is None:
            sort_key, descending = "seq", True
        return workspaces.journal_ids(self.page.workspace, query, sort_key, descending)

    def rows(self, ids: list) -> dict:
        return workspaces.journal_rows(self.page.workspace, ids)
