"""One dossier: its stages and checklist on the left, the chosen document (or its form) on
the right. Statuses, dates and signers are saved per document; scans and photos attach to a
document (images show as thumbnails, any file opens with the system viewer); forms are
filled and printed; the stage moves forward with a warning when an earlier required
document is not done; a settled dossier is locked."""

from __future__ import annotations

import tempfile
import uuid
from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QBrush, QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ctmtqg_desktop.domain.formats import format_date
from ctmtqg_desktop.gui.lazy_table import DUE_SOON_COLOR, LATE_COLOR
from ctmtqg_desktop.gui.pages.dossiers._document_panel import DocumentPanel
from ctmtqg_desktop.gui.pages.dossiers._form_editor import FormEditor
from ctmtqg_desktop.gui.palette import ERROR_STYLE, colour
from ctmtqg_desktop.i18n import _
from ctmtqg_desktop.services import attachments, dossiers, households
from ctmtqg_desktop.store.models.dossiers import DOSSIER_STAGES

DONE_COLOR = colour("good")


class DossierView(QWidget):
    """The dossier screen; ``back`` returns to the list, ``changed`` after any saved change."""

    back = Signal()
    changed = Signal()
    open_handbook = Signal(str)

    def __init__(self, page) -> None:
        super().__init__()
        self.page = page
        self.detail: dossiers.DossierDetail | None = None
        self.current_line_id: uuid.UUID | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self._build_top())
        layout.addLayout(self._build_stage_bar())
        self.warnings = QLabel(wordWrap=True)
        self.warnings.setStyleSheet(ERROR_STYLE)
        self.warnings.hide()
        layout.addWidget(self.warnings)
        layout.addWidget(self._build_body(), 1)
        self.message = QLabel(objectName="formMessage", wordWrap=True)
        layout.addWidget(self.message)
        self._connect_panels()
        #: replaced in tests: (title, question) -> bool
        self.confirm = lambda title, text: QMessageBox.question(self, title, text) == \
            QMessageBox.Yes
        #: replaced in tests: (title, suggested path, filter) -> str
        self.ask_save_path = lambda title, suggested, pattern: QFileDialog.getSaveFileName(
            self, title, suggested, pattern)[0]
        self.ask_open_paths = lambda title: QFileDialog.getOpenFileNames(self, title)[0]
        #: replaced in tests: opens a file with the system viewer
        self.open_url = lambda path: QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    def _build_top(self) -> QHBoxLayout:
        """Back, the dossier's title, and its handbook, print and lock buttons."""
        top = QHBoxLayout()
        self.back_button = QPushButton()
        self.back_button.clicked.connect(self.go_back)
        top.addWidget(self.back_button)
        titles = QVBoxLayout()
        self.title = QLabel(objectName="cardTitle", wordWrap=True)
        self.subtitle = QLabel(objectName="subtitle", wordWrap=True)
        titles.addWidget(self.title)
        titles.addWidget(self.subtitle)
        top.addLayout(titles, 1)
        self.handbook_button = QPushButton()
        self.handbook_button.clicked.connect(
            lambda: self.open_handbook.emit(self.detail.summary.project_kind)
            if self.detail else None)
        self.print_all = QPushButton()
        self.print_all.clicked.connect(self._print_dossier)
        self.lock_button = QPushButton()
        self.lock_button.clicked.connect(self.lock)
        for button in (self.handbook_button, self.print_all, self.lock_button):
            top.addWidget(button)
        return top

    def _build_stage_bar(self) -> QHBoxLayout:
        stage_bar = QHBoxLayout()
        self.stage_label = QLabel()
        self.stage = QComboBox()
        for stage in DOSSIER_STAGES:
            self.stage.addItem("", stage)
        self.stage_button = QPushButton()
        self.stage_button.clicked.connect(self._set_stage)
        stage_bar.addWidget(self.stage_label)
        stage_bar.addWidget(self.stage)
        stage_bar.addWidget(self.stage_button)
        stage_bar.addStretch(1)
        self.completeness = QLabel(objectName="cardTitle")
        stage_bar.addWidget(self.completeness)
        return stage_bar

    def _build_body(self) -> QSplitter:
        """The documents' tree, and the panel of the one chosen (or its form's editor)."""
        splitter = QSplitter()
        self.tree = QTreeWidget()
        self.tree.setColumnCount(3)
        self.tree.setRootIsDecorated(True)
        self.tree.setUniformRowHeights(False)
        self.tree.setWordWrap(True)
        self.tree.setSelectionMode(QAbstractItemView.SingleSelection)
        self.tree.header().setSectionResizeMode(0, QHeaderView.Stretch)
        self.tree.header().setStretchLastSection(False)
        self.tree.header().setSectionResizeMode(1, QHeaderView.ResizeToContents)
        self.tree.header().setSectionResizeMode(2, QHeaderView.ResizeToContents)
        self.tree.currentItemChanged.connect(self._line_chosen)
        self.tree.itemActivated.connect(self._activated)
        splitter.addWidget(self.tree)
        self.right = QStackedWidget()
        self.panel = DocumentPanel()
        self.editor = FormEditor()
        self.right.addWidget(self.panel)
        self.right.addWidget(self.editor)
        splitter.addWidget(self.right)
        splitter.setSizes([500, 580])
        splitter.setChildrenCollapsible(False)
        return splitter

    def _connect_panels(self) -> None:
        self.panel.save_requested.connect(self._save_line)
        self.panel.edit_form.connect(self.open_form)
        self.panel.print_form.connect(self._print_form)
        self.panel.attach_button.clicked.connect(self._choose_files)
        self.panel.open_button.clicked.connect(self._open_file)
        self.panel.files.itemActivated.connect(lambda _i: self._open_file())
        self.panel.remove_button.clicked.connect(self._remove_file)
        self.editor.closed.connect(self.close_form)
        self.editor.save_requested.connect(self._save_form)
        self.editor.print_requested.connect(lambda: self._print_form(False))

    @property
    def workspace(self):
        return self.page.workspace

    def run(self, fn, on_done=None):
        self.page.loading = True

        def done(result):
            self.page.loading = False
            if on_done:
                on_done(result)

        def failed(message):
            self.page.loading = False
            self.message.setStyleSheet(ERROR_STYLE)
            self.message.setText(message)

        self.page.context.runner.run(fn, on_done=done, on_error=failed)

    def say(self, text: str, *, warning: bool = False) -> None:
        self.message.setStyleSheet(ERROR_STYLE if warning else "")
        self.message.setText(text)

    def retranslate(self) -> None:
        self.back_button.setText(_("← Dossier list"))
        self.back_button.setToolTip(_("Back to the list (Esc)"))
        self.handbook_button.setText(_("Handbook"))
        self.print_all.setText(_("Print the dossier…"))
        self.lock_button.setText(_("Lock (settled)…"))
        self.stage_label.setText(_("Stage reached:"))
        for index in range(self.stage.count()):
            self.stage.setItemText(index, dossiers.stage_label(self.stage.itemData(index)))
        self.stage_button.setText(_("Set stage"))
        self.tree.setHeaderLabels([_("Document"), _("Status"), _("Files")])
        self.panel.retranslate()
        self.editor.retranslate()

    # -- loading --------------------------------------------------------------------------
    def load(self, dossier_id: uuid.UUID, *, keep_line: bool = False) -> None:
        workspace = self.workspace
        if not keep_line:
            self.current_line_id = None
            self.say("")
        self.run(lambda: dossiers.get_dossier(workspace, dossier_id), self.show_detail)

    def read_only(self) -> bool:
        """A locked dossier, or a predecessor's (history after the merger: the service
        refuses any change to it as well)."""
        summary = self.detail.summary if self.detail is not None else None
        return summary is not None and (summary.locked or bool(summary.history_of))

    def show_detail(self, detail: dossiers.DossierDetail) -> None:
        self.detail = detail
        summary = detail.summary
        self.title.setText(summary.project_name)
        parts = [summary.kind_name, _("template version {version}").format(
            version=summary.template_version),
            _("started on {date}").format(date=format_date(summary.started_on))]
        if summary.locked:
            parts.append(_("locked on {date}").format(date=format_date(summary.locked_on)))
        self.subtitle.setText(" · ".join(parts))
        self.completeness.setText(_("Complete: {percent}% ({done}/{total} required)").format(
            percent=summary.percent, done=summary.required_done, total=summary.required))
        self.stage.setCurrentIndex(max(self.stage.findData(summary.current_stage), 0))
        for widget in (self.stage, self.stage_button, self.lock_button):
            widget.setEnabled(not self.read_only())
        self.warnings.setText("\n".join("⚠ " + w for w in detail.warnings))
        self.warnings.setVisible(bool(detail.warnings))
        self._fill_tree(detail)
        if self.right.currentWidget() is self.editor:
            self.right.setCurrentWidget(self.panel)

    def _fill_tree(self, detail: dossiers.DossierDetail) -> None:
        self.tree.blockSignals(True)
        self.tree.clear()
        chosen = None
        warned = {w for w in detail.warnings}
        missing_started = {s.stage for s in detail.summary.stages if s.started}
        for stage in detail.summary.stages:
            top = QTreeWidgetItem(self.tree, [
                f"{dossiers.stage_label(stage.stage)} ({stage.required_done}/{stage.required})",
                f"{stage.percent}%", ""])
            font = top.font(0)
            font.setBold(True)
            top.setFont(0, font)
            top.setFlags(top.flags() & ~Qt.ItemIsSelectable)
            top.setExpanded(True)
            for line in detail.documents:
                if line.stage != stage.stage:
                    continue
                name = line.name + ("" if line.required else " " + _("(optional)"))
                item = QTreeWidgetItem(top, [name, dossiers.status_label(line.status),
                                             str(line.attachments) if line.attachments else ""])
                item.setData(0, Qt.UserRole, line.id)
                item.setToolTip(0, line.name)
                if line.done:
                    item.setForeground(1, QBrush(DONE_COLOR))
                elif line.required and stage.stage in missing_started:
                    late = any(line.name in w for w in warned)
                    item.setForeground(1, QBrush(LATE_COLOR if late else DUE_SOON_COLOR))
                if line.id == self.current_line_id:
                    chosen = item
        self.tree.blockSignals(False)
        if chosen is None and self.tree.topLevelItemCount():
            chosen = self.tree.topLevelItem(0).child(0)
        if chosen is not None:
            self.tree.setCurrentItem(chosen)
            self._line_chosen(chosen)

    def line(self, line_id: uuid.UUID | None = None) -> dossiers.DocumentLine | None:
        wanted = line_id or self.current_line_id
        if self.detail is None:
            return None
        return next((doc for doc in self.detail.documents if doc.id == wanted), None)

    def select_document(self, code: str) -> None:
        """Choose a checklist line by its template code (keyboard users and tests)."""
        for i in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(i)
            for j in range(top.childCount()):
                item = top.child(j)
                line = self.line(item.data(0, Qt.UserRole))
                if line and line.code == code:
                    self.tree.setCurrentItem(item)
                    return

    def _line_chosen(self, item, _previous=None) -> None:
        if item is None or item.data(0, Qt.UserRole) is None:
            return
        self.current_line_id = item.data(0, Qt.UserRole)
        line = self.line()
        if line is None:
            return
        self.right.setCurrentWidget(self.panel)
        self.panel.show_line(line, locked=self.read_only())
        self._load_files()

    def _activated(self, item, _column) -> None:
        line = self.line(item.data(0, Qt.UserRole)) if item else None
        if line is not None and line.has_form:
            self.open_form()

    def _load_files(self) -> None:
        workspace, line_id = self.workspace, self.current_line_id

        def load():
            store = attachments.attachment_store(workspace)
            return [(info, store.path_for(info.digest))
                    for info in dossiers.document_attachments(workspace, line_id)]

        self.run(load, self.panel.show_files)

    # -- actions --------------------------------------------------------------------------
    def _after_save(self, saved: dossiers.Saved, text: str) -> None:
        self.show_detail(saved.detail)
        if saved.warnings:
            self.say("\n".join("⚠ " + w for w in saved.warnings), warning=True)
        else:
            self.say(text)
        self.changed.emit()

    def _save_line(self, values: dict) -> None:
        workspace, line_id = self.workspace, self.current_line_id
        draft = self.panel.drafts.key

        def done(saved: dossiers.Saved) -> None:
            self.panel.drafts.saved(draft)  # the typing is saved: its draft has served
            self._after_save(saved, _("Saved."))

        self.run(lambda: dossiers.update_document(workspace, line_id, **values), done)

    def _set_stage(self) -> None:
        if self.detail is None:
            return
        workspace, dossier_id = self.workspace, self.detail.summary.id
        stage = self.stage.currentData()
        self.run(lambda: dossiers.set_stage(workspace, dossier_id, stage),
                 lambda saved: self._after_save(saved, _("Stage saved.")))

    def lock(self) -> None:
        if self.detail is None:
            return
        if not self.confirm(_("Lock the dossier"), _(
                "Lock the dossier of “{project}”? After locking, nothing in it can be "
                "changed.").format(project=self.detail.summary.project_name)):
            return
        workspace, dossier_id = self.workspace, self.detail.summary.id

        def done(detail):
            self.show_detail(detail)
            self.say(_("The dossier is locked."))
            self.changed.emit()

        self.run(lambda: dossiers.lock_dossier(workspace, dossier_id), done)

    def open_form(self) -> None:
        line = self.line()
        if line is None or not line.has_form or self.detail is None:
            return
        document = self.detail.template.document(line.code)
        workspace, line_id = self.workspace, line.id
        needs_households = any(f.type == "households" for f in document.form.fields)

        def load():
            values = dossiers.form_values(workspace, line_id)
            rows = households.list_households(workspace) if needs_households else []
            return values, rows

        def show(result):
            values, rows = result
            self.editor.edit(document.form, document.name, values, rows,
                             read_only=self.read_only(),
                             draft_context=str(line_id))
            self.right.setCurrentWidget(self.editor)

        self.run(load, show)

    def go_back(self) -> None:
        """Back to the list, asking first if the open form has unsaved changes."""
        if self.right.currentWidget() is self.editor:
            self.close_form()
            if self.right.currentWidget() is self.editor:  # the user chose to stay
                return
        self.back.emit()

    def close_form(self) -> None:
        if self.editor.dirty and not self.editor.read_only and not self.confirm(
                _("Close the form"), _("The form has changes that are not saved. Close it "
                                       "anyway?")):
            return
        if self.editor.dirty:
            self.editor.drafts.discard()  # closed anyway: the changes are dropped
        self.right.setCurrentWidget(self.panel)
        self.tree.setFocus()

    def _save_form(self, raw: dict) -> None:
        workspace, line_id = self.workspace, self.current_line_id
        draft = self.editor.drafts.key

        def done(_values):
            self.editor.drafts.saved(draft)  # the typing is saved: its draft has served
            self.editor.dirty = False
            self.editor.message.setText(_("Form saved."))
            self.load(self.detail.summary.id, keep_line=True)
            self.right.setCurrentWidget(self.editor)
            self.changed.emit()

        self.run(lambda: dossiers.save_form(workspace, line_id, raw), done)

    def save(self) -> bool:
        if self.right.currentWidget() is self.editor:
            return self.editor.save()
        return self.panel.save()

    def _print_form(self, blank: bool) -> None:
        line = self.line()
        if line is None:
            return
        suffix = "-mau-trang" if blank else ""
        suggested = str(Path.home() / f"{line.code}{suffix}.pdf")
        path = self.ask_save_path(_("Save the form as"), suggested, "*.pdf")
        if path:
            self.print_to(Path(path), blank=blank)

    def print_to(self, path: Path, *, blank: bool = False) -> None:
        workspace, line_id = self.workspace, self.current_line_id
        self.run(lambda: dossiers.print_form(workspace, line_id, path, blank=blank),
                 self._printed)

    def _printed(self, path: Path) -> None:
        self.say(_("Written: {path}").format(path=path))
        self.open_url(path)

    def _print_dossier(self) -> None:
        if self.detail is None:
            return
        suggested = str(Path.home() / "ho-so.pdf")
        path = self.ask_save_path(_("Save the dossier as"), suggested, "*.pdf")
        if path:
            workspace, dossier_id = self.workspace, self.detail.summary.id
            self.run(lambda: dossiers.print_dossier(workspace, dossier_id, Path(path)),
                     self._printed)

    def _choose_files(self) -> None:
        paths = self.ask_open_paths(_("Attach scans or photos"))
        if paths:
            self.attach_files([Path(p) for p in paths])

    def attach_files(self, paths: list[Path]) -> None:
        workspace, line_id = self.workspace, self.current_line_id

        def attach():
            for path in paths:
                dossiers.attach(workspace, line_id, path)
            return len(paths)

        def done(count):
            self.say(_("{count} files attached.").format(count=count))
            self.load(self.detail.summary.id, keep_line=True)
            self.changed.emit()

        self.run(attach, done)

    def _open_file(self) -> None:
        chosen = self.panel.chosen_file()
        if chosen is None:
            return
        workspace = self.workspace
        folder = Path(tempfile.mkdtemp(prefix="ctmtqg-open-"))
        self.run(lambda: attachments.copy_out(workspace, chosen, folder), self.open_url)

    def _remove_file(self) -> None:
        chosen = self.panel.chosen_file()
        if chosen is None or not self.confirm(_("Remove the file"), _(
                "Remove “{name}” from this document?").format(name=chosen.original_name)):
            return
        workspace = self.workspace
        self.run(lambda: dossiers.remove_attachment(workspace, chosen.id),
                 lambda _r: self.load(self.detail.summary.id, keep_line=True))

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt API)
        if event.key() == Qt.Key_Escape and self.right.currentWidget() is not self.editor:
            self.go_back()
            return
        super().keyPressEvent(event)
