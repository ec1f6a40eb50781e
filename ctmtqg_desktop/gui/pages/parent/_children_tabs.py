"""The secondary tabs of the "Đơn vị cấp dưới" page: packages received in bulk (each file's
outcome), what was sent down and who acknowledged it, and reorganisations of units."""

from __future__ import annotations

import html
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ctmtqg_desktop.domain.formats import format_date, format_datetime, format_number
from ctmtqg_desktop.gui.lazy_table import DUE_SOON_BACKGROUND, LATE_BACKGROUND
from ctmtqg_desktop.gui.pages.parent._dialogs import (
    AssignCapitalDialog,
    AssignTasksDialog,
    SendDocumentDialog,
)
from ctmtqg_desktop.gui.palette import hex_of
from ctmtqg_desktop.gui.tables import row_view
from ctmtqg_desktop.gui.widgets import DropArea, WrappingTable, unbroken
from ctmtqg_desktop.i18n import _, pgettext

if TYPE_CHECKING:
    from ctmtqg_desktop.gui.pages.parent._children import ChildrenPage

_PROBLEM_OUTCOMES = ("rejected", "alert")
_WAITING_OUTCOMES = ("held", "quarantined", "newer")


# ---------------------------------------------------------------------------- import tab
class ImportTab(QWidget):
    """Nhận gói hàng loạt: a folder or many files; each file's outcome in the table."""

    def __init__(self, page: ChildrenPage) -> None:
        super().__init__()
        self.page = page
        self.cancel_event = None
        self.outcomes_shown: list = []
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        self.folder_button = QPushButton(objectName="primary")
        self.folder_button.clicked.connect(self.choose_folder)
        self.files_button = QPushButton()
        self.files_button.clicked.connect(self.choose_files)
        self.cancel_button = QPushButton()
        self.cancel_button.clicked.connect(self.cancel)
        self.cancel_button.hide()
        row.addWidget(self.folder_button)
        row.addWidget(self.files_button)
        row.addWidget(self.cancel_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.drop = DropArea()
        self.drop.setMinimumHeight(70)
        self.drop.choose.hide()
        self.drop.dropped.connect(self.import_paths)
        layout.addWidget(self.drop)
        self.progress = QProgressBar()
        self.progress.hide()
        layout.addWidget(self.progress)
        self.summary = QLabel(wordWrap=True, objectName="cardLine")
        layout.addWidget(self.summary)
        self.table = WrappingTable(0, 5)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(True)
        self.table.setTextElideMode(Qt.ElideMiddle)
        header = self.table.horizontalHeader()
        for column, width in ((0, 230), (1, 130), (2, 60), (3, 180)):
            header.setSectionResizeMode(column, QHeaderView.Interactive)
            self.table.setColumnWidth(column, width)
        header.setSectionResizeMode(4, QHeaderView.Stretch)
        self.table.currentCellChanged.connect(self._show_message)
        layout.addWidget(self.table, 1)
        self.message = QLabel(wordWrap=True, objectName="formMessage")
        self.message.setTextInteractionFlags(Qt.TextSelectableByMouse)
        layout.addWidget(self.message)

    def retranslate(self) -> None:
        self.folder_button.setText(_("Receive a &folder of packages…"))
        self.files_button.setText(_("Choose &files…"))
        self.cancel_button.setText(_("Cancel"))
        self.drop.label.setText(_("Or drag the package files (.ctsync) of the child units "
                                  "here, as many as you like."))
        self.table.setHorizontalHeaderLabels([_("File"), _("From"), pgettext("package", "No."),
                                              _("Outcome"), _("Details")])
        if self.outcomes_shown:
            self.show_outcomes(self.outcomes_shown)

    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, _("The folder with the packages"))
        if folder:
            self.import_paths([Path(folder)])

    def choose_files(self) -> None:
        names, _filter = QFileDialog.getOpenFileNames(
            self, _("Choose the received packages"), "",
            _("Sync packages (*.ctsync);;All files (*)"))
        if names:
            self.import_paths([Path(name) for name in names])

    def import_paths(self, paths: list[Path]) -> None:
        from ctmtqg_desktop.services import sync
        from ctmtqg_desktop.services.parent import package_files

        if self.page.loading:
            return
        files = package_files(paths)
        if not files:
            self.summary.setText(_("No package file (.ctsync) found."))
            return
        workspace = self.page.workspace
        self._busy(True)
        self.summary.setText(_("Importing {count} files…").format(count=len(files)))

        def progress(done: int, total: int, text: str) -> None:
            self.progress.setMaximum(max(total, 1))
            self.progress.setValue(min(done, max(total, 1)))
            self.progress.setFormat(text or "%p%")

        def done(report) -> None:
            self._busy(False)
            self.show_outcomes(report.files + report.retried)
            ok = sum(1 for o in report.files if o.ok)
            text = _("{ok} of {total} files applied or already applied.").format(
                ok=ok, total=len(report.files))
            problems = len(report.files) - ok
            if problems:
                text += " " + _("{count} files need attention (red: refused, amber: waiting)."
                                ).format(count=problems)
            if report.cancelled:
                text += " " + _("Stopped at your request: the file being applied was left "
                                "unchanged and the files after it were not opened.")
            self.summary.setText(text)
            self.page.refresh()

        def failed(message: str) -> None:
            self._busy(False)
            self.summary.setText(message)

        self.cancel_event = self.page.context.runner.run(
            lambda job: sync.import_packages(workspace, files, check=job.check,
                                                    progress=job.progress),
            with_job=True, on_done=done, on_error=failed, on_progress=progress)

    def show_outcomes(self, outcomes: list) -> None:
        self.outcomes_shown = list(outcomes)
        self.table.setRowCount(len(outcomes))
        for row, outcome in enumerate(outcomes):
            tip = outcome.message
            if outcome.tables:
                tip += "\n" + "\n".join(
                    _("{label}: {applied} applied, {same} already here").format(
                        label=t.label, applied=format_number(t.applied),
                        same=format_number(t.unchanged + t.older)) for t in outcome.tables)
            values = [unbroken(outcome.file_name), outcome.sender_name or "",
                      str(outcome.number or ""), outcome.outcome_label, outcome.message]
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setToolTip(tip)
                if column == 2:
                    item.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
                if outcome.outcome in _PROBLEM_OUTCOMES:
                    item.setBackground(LATE_BACKGROUND)
                elif outcome.outcome in _WAITING_OUTCOMES:
                    item.setBackground(DUE_SOON_BACKGROUND)
                self.table.setItem(row, column, item)
        self.table.resizeRowsToContents()

    def _show_message(self, row: int, *_args) -> None:
        if 0 <= row < len(self.outcomes_shown):
            outcome = self.outcomes_shown[row]
            self.message.setText(f"{outcome.file_name}: {outcome.message}")

    def _busy(self, busy: bool) -> None:
        self.page.loading = busy
        self.progress.setVisible(busy)
        self.progress.setValue(0)
        self.progress.setMaximum(0)
        self.cancel_button.setVisible(busy)
        self.folder_button.setEnabled(not busy)
        self.files_button.setEnabled(not busy)
        if not busy:
            self.cancel_event = None

    def cancel(self) -> None:
        if self.cancel_event is not None:
            self.cancel_event.set()


# ---------------------------------------------------------------------------- sent tab
class SentTab(QWidget):
    """Gửi xuống: what this unit assigned and sent, and who has acknowledged each item."""

    def __init__(self, page: ChildrenPage) -> None:
        super().__init__()
        self.page = page
        self.items: list = []
        layout = QVBoxLayout(self)
        actions = QHBoxLayout()
        self.tasks_button = QPushButton(objectName="primary")
        self.tasks_button.clicked.connect(self.assign_tasks)
        self.capital_button = QPushButton()
        self.capital_button.clicked.connect(self.assign_capital)
        self.template_button = QPushButton()
        self.template_button.clicked.connect(lambda: self.send_document("dossier_template"))
        self.page_button = QPushButton()
        self.page_button.clicked.connect(lambda: self.send_document("handbook_page"))
        self.catalog_button = QPushButton()
        self.catalog_button.clicked.connect(self.catalog_update)
        for button in (self.tasks_button, self.capital_button, self.template_button,
                       self.page_button, self.catalog_button):
            actions.addWidget(button)
        actions.addStretch(1)
        layout.addLayout(actions)
        self.note = QLabel(wordWrap=True, objectName="subtitle")
        layout.addWidget(self.note)
        splitter = QSplitter()
        self.table = row_view(QTableWidget(0, 4))
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.Stretch)
        self.table.currentCellChanged.connect(self.show_item)
        splitter.addWidget(self.table)
        self.detail = QTextBrowser()
        splitter.addWidget(self.detail)
        splitter.setSizes([820, 310])
        layout.addWidget(splitter, 1)

    def retranslate(self) -> None:
        self.tasks_button.setText(_("Assign &tasks…"))
        self.capital_button.setText(_("Assign ca&pital…"))
        self.template_button.setText(_("Send a dossier template…"))
        self.page_button.setText(_("Send a handbook page…"))
        self.catalog_button.setText(_("Catalog update…"))
        self.note.setText(_("Everything here goes out in the next package for each child unit "
                            "(page Synchronisation). Answers to difficulties are given on the "
                            "Difficulties page or from a unit's records on the board; "
                            "counterpart-ratio rules on the Capital plans page."))
        self.table.setHorizontalHeaderLabels([_("Kind"), _("Content"), _("Sent"),
                                              _("Acknowledged")])
        if self.items:
            self.show_items(self.items)

    def show_items(self, items: list) -> None:
        self.items = list(items)
        self.table.setRowCount(len(items))
        for row, item in enumerate(items):
            values = [item.kind_label, item.title, format_datetime(item.created_at),
                      f"{len(item.acknowledged)}/{len(item.recipients)}"]
            for column, value in enumerate(values):
                cell = QTableWidgetItem(value)
                cell.setToolTip(item.title)
                if column == 3:
                    cell.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
                    if not item.complete:
                        cell.setBackground(DUE_SOON_BACKGROUND)
                self.table.setItem(row, column, cell)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.Stretch)
        if items:
            self.table.selectRow(0)
        else:
            self.detail.setHtml("<p>" + html.escape(_("Nothing has been sent down yet.")) +
                                "</p>")

    def show_item(self, row: int, *_args) -> None:
        if not 0 <= row < len(self.items):
            return
        item = self.items[row]
        names = self.page.unit_names
        e = html.escape
        parts = [f"<h4 style='margin:0'>{e(item.kind_label)}</h4><p>{e(item.title)}</p>",
                 "<p><b>" + e(_("Acknowledged by:")) + "</b> " +
                 (e(", ".join(names.get(u, u) for u in item.acknowledged)) or "–") + "</p>",
                 f"<p style='color:{hex_of('due-soon')}'><b>" + e(_("Not yet:")) + "</b> " +
                 (e(", ".join(names.get(u, u) for u in item.waiting)) or "–") + "</p>"]
        if item.needs_update:
            parts.append("<p><b>" + e(_("Waiting for an update of the application:")) +
                         "</b> " + e(", ".join(names.get(u, u) for u in item.needs_update)) +
                         ". " + e(_("Their computers run an older version that cannot read "
                                    "this template; it is sent once they have updated and "
                                    "sent a package.")) + "</p>")
        self.detail.setHtml("".join(parts))

    # -- actions --------------------------------------------------------------------------
    def _children(self) -> list[tuple[str, str]]:
        listing = self.page.children.source.listing
        return [(c.unit_id, c.name) for c in listing.children] if listing else []

    def assign_tasks(self) -> None:
        from ctmtqg_desktop.domain import schedules
        from ctmtqg_desktop.domain.formats import parse_date
        from ctmtqg_desktop.services import parent

        workspace = self.page.workspace

        def store(values):
            drafts = [parent.TaskDraft(text, schedules.Schedule(
                schedules.ONCE, deadline=parse_date(due)) if due else schedules.Schedule())
                for text, due in values.pop("tasks")]
            return parent.assign_directive(workspace, task_drafts=drafts, **values)

        # saved while the form is open: a refusal stays in it, beside its field (issue 15)
        result = AssignTasksDialog.ask(self, children=self._children(),
                                       today=workspace.today(), save=store)
        if result is None:
            return
        self.page.message.setText(_("Assigned to {count} child units; it goes with the "
                                    "next package to each.").format(count=len(result.children)))
        self.page.refresh()

    def assign_capital(self) -> None:
        from ctmtqg_desktop.services import catalog, parent

        workspace = self.page.workspace
        # saved while the form is open: a refusal stays in it, beside its field (issue 15)
        result = AssignCapitalDialog.ask(
            self, children=self._children(), programs=catalog.programs(workspace),
            kinds=catalog.capital_kinds(workspace), sources=catalog.capital_sources(workspace),
            year=workspace.today().year, today=workspace.today(),
            save=lambda values: parent.assign_capital(workspace, **values))
        if result is None:
            return
        self.page.message.setText(_("{count} capital plan lines assigned; they go with the "
                                    "next package to each child unit.").format(
            count=result.records))
        self.page.refresh()

    def send_document(self, kind: str) -> None:
        from ctmtqg_desktop.services import parent

        label = _("Send a dossier template") if kind == "dossier_template" else \
            _("Send a handbook page")
        name, _filter = QFileDialog.getOpenFileName(self, label, "",
                                                    _("YAML files (*.yaml *.yml)"))
        if not name:
            return
        children = SendDocumentDialog.ask(self, kind_label=label, file_name=Path(name).name,
                                          children=self._children())
        if children is None:
            return
        workspace = self.page.workspace

        def done(queued) -> None:
            self.page.message.setText(_("“{title}” ({key}) goes with the next package to {count} "
                                        "recipients.").format(title=queued.title, key=queued.key,
                                                              count=len(queued.audiences)))
            self.page.refresh()

        self.page.context.runner.run(
            lambda: parent.send_reference(workspace, name, kind=kind,
                                                   children=children),
            on_done=done, on_error=self.page.message.setText)

    def catalog_update(self) -> None:
        from ctmtqg_desktop.services import parent

        folder = QFileDialog.getExistingDirectory(self, _("The catalog update folder"))
        if not folder:
            return
        workspace = self.page.workspace

        def done(versions) -> None:
            before, after = versions
            if after == before:
                self.page.message.setText(_("The catalog here (version {version}) is already as "
                                            "new; nothing changed.").format(version=before))
            else:
                self.page.message.setText(_("Catalog version {version} loaded; it goes to every "
                                            "child unit whose catalog is older.").format(
                    version=after))
            self.page.refresh()

        self.page.context.runner.run(
            lambda: parent.install_catalog_update(workspace, folder),
            on_done=done, on_error=self.page.message.setText)


# ---------------------------------------------------------------------------- reorganise tab
class ReorganiseTab(QWidget):
    """Sắp xếp đơn vị hành chính: the catalog's reorganisations of the child units (and of
    this unit), and applying those in force."""

    def __init__(self, page: ChildrenPage) -> None:
        super().__init__()
        self.page = page
        self.items: list = []
        layout = QVBoxLayout(self)
        self.explain = QLabel(wordWrap=True, objectName="subtitle")
        layout.addWidget(self.explain)
        self.table = QTableWidget(0, 4)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.Stretch)
        layout.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.apply_button = QPushButton(objectName="primary")
        self.apply_button.clicked.connect(self.apply)
        row.addWidget(self.apply_button)
        row.addStretch(1)
        layout.addLayout(row)

    def retranslate(self) -> None:
        self.explain.setText(_(
            "When communes are merged, their records keep their old units and count for the new "
            "unit from the date of the merge; reports for earlier periods still show the old "
            "units. The new unit's installations are enrolled as the new unit. Applying marks "
            "the reorganisation as done here and, when this unit itself continues as a new "
            "one, moves this workspace to it."))
        self.apply_button.setText(_("&Apply the reorganisations in force"))
        self.table.setHorizontalHeaderLabels([_("From"), _("New unit"), _("Old units"),
                                              _("Applied")])
        if self.items:
            self.show_items(self.items)

    def show_items(self, items: list) -> None:
        self.items = list(items)
        today = self.page.workspace.today()
        self.table.setRowCount(len(items))
        for row, item in enumerate(items):
            applied = _("applied {when}").format(when=format_datetime(item.applied_at)) \
                if item.applied else (_("not yet in force") if item.effective_on > today
                                      else _("not applied"))
            values = [format_date(item.effective_on), item.new_unit_name +
                      (" " + _("(this unit)") if item.moves_workspace else ""),
                      ", ".join(item.old_unit_names), applied]
            for column, value in enumerate(values):
                cell = QTableWidgetItem(value)
                cell.setToolTip(value + (" — " + item.legal_basis if item.legal_basis else ""))
                if not item.applied and item.effective_on <= today:
                    cell.setBackground(DUE_SOON_BACKGROUND)
                self.table.setItem(row, column, cell)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.Stretch)
        self.apply_button.setEnabled(any(not i.applied and i.effective_on <= today
                                         for i in items))

    def apply(self) -> None:
        from ctmtqg_desktop.services import parent

        answer = QMessageBox.question(self, _("Apply the reorganisations"), _(
            "Apply every reorganisation in force? Records keep their old units; the new units "
            "are the child units from their date."))
        if answer != QMessageBox.Yes:
            return
        workspace = self.page.workspace

        def done(result) -> None:
            text = _("{count} reorganisations applied.").format(count=len(result.applied))
            if result.moved_to:
                text += " " + _("This workspace now works for the new unit; restart the "
                                "application to see it everywhere.")
            self.page.message.setText(text)
            self.page.refresh()

        self.page.context.runner.run(lambda: parent.apply(workspace), on_done=done,
                                     on_error=self.page.message.setText)
