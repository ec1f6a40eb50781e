"""The secondary tabs of the synchronisation page: installations and what they have
acknowledged, packages waiting, the history, and values overridden by a newer edit."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ctmtqg_desktop.domain.formats import format_datetime, format_number
from ctmtqg_desktop.gui.lazy_table import (
    DUE_SOON_BACKGROUND,
    LATE_BACKGROUND,
    LazyColumn,
    LazyTableModel,
)
from ctmtqg_desktop.gui.palette import hex_of
from ctmtqg_desktop.gui.tables import row_view
from ctmtqg_desktop.gui.widgets import WrappingTable, unbroken
from ctmtqg_desktop.i18n import _
from ctmtqg_desktop.services import sync


def _escape(text: object) -> str:
    return html.escape(str(text))


def _when(value) -> str:
    return format_datetime(value) if value else _("never")


def _table(headers_count: int, *, wrapping: bool = False) -> QTableWidget:
    table = (WrappingTable if wrapping else QTableWidget)(0, headers_count)
    return row_view(table, wrap=True, stretch_last=True)


# ---------------------------------------------------------------------------- nodes
class NodesTab(QWidget):
    """Installations: fingerprints, trust, what each one acknowledged; accept or revoke."""

    def __init__(self, page) -> None:
        super().__init__()
        self.page = page
        self.nodes: list[sync.NodeInfo] = []
        layout = QVBoxLayout(self)
        self.own = QLabel(wordWrap=True, objectName="subtitle")
        self.own.setTextInteractionFlags(Qt.TextSelectableByMouse)
        layout.addWidget(self.own)
        splitter = QSplitter()
        self.table = _table(4)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        for column in (0, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.Stretch)
        self.table.itemSelectionChanged.connect(self._selected)
        splitter.addWidget(self.table)
        side = QWidget(objectName="sidePanel")
        side_layout = QVBoxLayout(side)
        self.details = QTextBrowser()
        side_layout.addWidget(self.details, 1)
        buttons = QHBoxLayout()
        self.accept_button = QPushButton(objectName="primary")
        self.accept_button.clicked.connect(self._accept)
        self.revoke_button = QPushButton()
        self.revoke_button.clicked.connect(self._revoke)
        buttons.addWidget(self.accept_button)
        buttons.addWidget(self.revoke_button)
        side_layout.addLayout(buttons)
        self.message = QLabel(wordWrap=True, objectName="formMessage")
        side_layout.addWidget(self.message)
        splitter.addWidget(side)
        splitter.setSizes([760, 300])
        layout.addWidget(splitter, 1)

    def retranslate(self) -> None:
        self.table.setHorizontalHeaderLabels([_("Unit"), _("Installation"), _("Status"),
                                              _("Fingerprint")])
        self.accept_button.setText(_("Accept (fingerprint checked)"))
        self.revoke_button.setText(_("Revoke"))

    def load(self, nodes: list[sync.NodeInfo]) -> None:
        self.nodes = nodes
        local = next((n for n in nodes if n.is_local), None)
        if local is not None:
            self.own.setText(_("This computer: installation {node} of {unit}. Its fingerprint, "
                               "to read to the other unit by phone: {fingerprint}").format(
                node=local.short_id, unit=local.unit_name, fingerprint=local.fingerprint))
        self.table.setRowCount(len(nodes))
        for row, node in enumerate(nodes):
            values = [node.unit_name, node.label or node.short_id, node.status_label,
                      node.fingerprint]
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                if node.status == "pending":
                    item.setBackground(DUE_SOON_BACKGROUND)
                elif node.status == "revoked":
                    item.setBackground(LATE_BACKGROUND)
                self.table.setItem(row, column, item)
        waiting = next((row for row, n in enumerate(nodes) if n.status == "pending"), None)
        if waiting is not None:
            self.table.selectRow(waiting)  # the one that needs the user first
        elif nodes and self.table.currentRow() < 0:
            self.table.selectRow(0)
        self._selected()

    def current(self) -> sync.NodeInfo | None:
        row = self.table.currentRow()
        return self.nodes[row] if 0 <= row < len(self.nodes) else None

    def select_node(self, node_id) -> None:
        for row, node in enumerate(self.nodes):
            if node.id == node_id:
                self.table.selectRow(row)

    def _selected(self) -> None:
        node = self.current()
        if node is None:
            self.details.clear()
            self.accept_button.setEnabled(False)
            self.revoke_button.setEnabled(False)
            return
        lines = [f"<h3>{_escape(node.label or node.short_id)}</h3>",
                 f"<p>{_escape(node.unit_name)} · {_escape(node.status_label)}</p>",
                 "<p><b>" + _escape(_("Fingerprint")) + ":</b> <span style='font-size:14pt'>"
                 + _escape(node.fingerprint) + "</span></p>",
                 "<p><b>" + _escape(_("Installation")) + ":</b> " + _escape(node.id) + "</p>"]
        if not node.is_local:
            lines.append("<p>" + _escape(_("First seen: {first}; last package: {last}").format(
                first=_when(node.first_seen_at), last=_when(node.last_seen_at))) + "</p>")
            if node.acknowledged_through is not None:
                lines.append("<p>" + _escape(_(
                    "Acknowledged our changes up to no. {seq} (package no. {number}, received "
                    "{when})").format(seq=format_number(node.acknowledged_through),
                                      number=node.acknowledged_number,
                                      when=_when(node.acknowledged_at))) + "</p>")
            if node.applied_number is not None:
                lines.append("<p>" + _escape(_(
                    "Its packages applied here: up to no. {number} ({when})").format(
                        number=node.applied_number, when=_when(node.applied_at))) + "</p>")
        if node.status == "pending":
            lines.append(f"<p style='color:{hex_of('due-soon')}'>" + _escape(_(
                "Its packages wait in quarantine. Call the sender, ask them to read the "
                "fingerprint shown on their “Synchronisation” page, and accept only if every "
                "digit matches.")) + "</p>")
        self.details.setHtml("".join(lines))
        self.accept_button.setEnabled(node.status in ("pending", "revoked", "relayed"))
        self.revoke_button.setEnabled(not node.is_local and node.status != "revoked")

    def _accept(self) -> None:
        node = self.current()
        if node is None or not self.page.confirm(
                _("Accept installation"),
                _("Did the other unit read you exactly this fingerprint?\n\n{fingerprint}\n\n"
                  "Accept installation {node} of {unit} only if every digit matches.").format(
                    fingerprint=node.fingerprint, node=node.short_id, unit=node.unit_name)):
            return
        workspace = self.page.workspace

        def done(result) -> None:
            accepted, outcomes = result
            self.message.setText(_("Installation {node} of {unit} is trusted.").format(
                node=accepted.short_id, unit=accepted.unit_name))
            self.page.show_outcomes(outcomes)
            self.page.refresh()

        self.page.context.runner.run(lambda: sync.accept_node(workspace, str(node.id)),
                                     on_done=done, on_error=self.message.setText)

    def _revoke(self) -> None:
        node = self.current()
        if node is None or not self.page.confirm(
                _("Revoke installation"),
                _("Refuse every package from installation {node} of {unit} from now on?")
                .format(node=node.short_id, unit=node.unit_name)):
            return
        workspace = self.page.workspace
        # issue 12: offer to revoke the enrollment file too (a copy of it seats no new
        # trusted installation then)
        with_file = sync.enrollment_of(workspace, str(node.id)) is not None and \
            self.page.confirm(
                _("Revoke the enrollment file"),
                _("Installation {node} was set up from an enrollment file. Revoke that file "
                  "too? Another installation set up from it will then wait for your check "
                  "by phone.").format(node=node.short_id))
        self.page.context.runner.run(
            lambda: sync.revoke_node(workspace, str(node.id), revoke_enrollment=with_file),
            on_done=lambda revoked: (self.message.setText(
                _("Installation {node} of {unit} is revoked.").format(
                    node=revoked.short_id, unit=revoked.unit_name)), self.page.refresh()),
            on_error=self.message.setText)


# ---------------------------------------------------------------------------- waiting
class WaitingTab(QWidget):
    """Packages kept in the inbox: held, quarantined, or conflicting."""

    def __init__(self, page) -> None:
        super().__init__()
        self.page = page
        self.rows: list[sync.WaitingPackage] = []
        layout = QVBoxLayout(self)
        self.intro = QLabel(wordWrap=True, objectName="subtitle")
        layout.addWidget(self.intro)
        self.table = _table(5, wrapping=True)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        for column in (1, 2):
            header.setSectionResizeMode(column, QHeaderView.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.Interactive)
        header.setSectionResizeMode(3, QHeaderView.Interactive)
        header.setSectionResizeMode(4, QHeaderView.Stretch)
        self.table.setColumnWidth(0, 200)
        self.table.setColumnWidth(3, 160)
        self.table.setTextElideMode(Qt.ElideMiddle)
        self.table.setWordWrap(True)
        layout.addWidget(self.table, 1)
        self.table.itemSelectionChanged.connect(self._selected)
        buttons = QHBoxLayout()
        self.retry_button = QPushButton()
        self.retry_button.clicked.connect(self._retry)
        self.history_button = QPushButton()
        self.history_button.clicked.connect(self._accept_history)
        self.history_button.setEnabled(False)
        buttons.addWidget(self.retry_button)
        buttons.addWidget(self.history_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)

    def retranslate(self) -> None:
        self.intro.setText(_("Packages kept on this computer until they can be applied: "
                             "waiting for an earlier package, for a fingerprint check, or "
                             "because they conflict with a package received before."))
        self.table.setHorizontalHeaderLabels([_("File"), _("From"), _("Package no."),
                                              _("Status"), _("Reason")])
        self.retry_button.setText(_("Try the waiting packages again"))
        self.history_button.setText(_("Take the sender's new history…"))

    def load(self, rows: list[sync.WaitingPackage]) -> None:
        self.rows = rows
        self.table.setRowCount(len(rows))
        for row, package in enumerate(rows):
            values = [unbroken(package.file_name), package.sender_name, str(package.number),
                      package.status_label, package.reason]
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setToolTip(package.reason)
                item.setBackground(LATE_BACKGROUND if package.status == "alert"
                                   else DUE_SOON_BACKGROUND)
                self.table.setItem(row, column, item)
        self.table.resizeRowsToContents()
        self.retry_button.setEnabled(bool(rows))

    def current(self) -> sync.WaitingPackage | None:
        row = self.table.currentRow()
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def _selected(self) -> None:
        package = self.current()
        self.history_button.setEnabled(package is not None and package.status == "alert")

    def _accept_history(self) -> None:
        package = self.current()
        if package is None or not self.page.confirm(
                _("Take the new history"),
                _("Do this only after the sender has confirmed by phone that their computer was "
                  "restored from an old copy. Their new packages from no. {number} on will be "
                  "applied; each change is still applied only if it is newer than what is "
                  "here. Continue?").format(number=package.number)):
            return
        workspace, node = self.page.workspace, str(package.sender_node_id)
        self.page.context.runner.run(
            lambda: sync.accept_new_history(workspace, node),
            on_done=lambda result: (self.page.show_outcomes(result[1]), self.page.refresh()),
            on_error=self.page.notify)

    def _retry(self) -> None:
        workspace = self.page.workspace
        self.page.context.runner.run(
            lambda: sync.retry_waiting(workspace, statuses=("held",)),
            on_done=lambda outcomes: (self.page.show_outcomes(outcomes), self.page.refresh()),
            on_error=self.page.notify)


# ---------------------------------------------------------------------------- history
class HistorySource:
    """The history for :class:`LazyTableModel`, newest first."""

    def __init__(self, page) -> None:
        self.page = page
        self.columns: list[LazyColumn] = []
        self.retranslate()

    def retranslate(self) -> None:
        def state(row) -> str:
            return "late" if row.problem else ("due_soon" if row.waiting else "normal")

        self.columns = [
            LazyColumn(_("Time of day"), lambda r: format_datetime(r.at), "at"),
            LazyColumn(_("Kind"), lambda r: r.kind_label, "kind"),
            LazyColumn(_("Outcome"), lambda r: r.outcome_label, "outcome", state=state),
            LazyColumn(_("Unit"), lambda r: r.peer_name),
            LazyColumn(_("File"), lambda r: r.file_name, "file",
                       tooltip=lambda r: r.message),
        ]

    def ids(self, query: dict, sort_key: str | None, descending: bool) -> list:
        if sort_key is None:
            sort_key, descending = "at", True
        return sync.history_ids(self.page.workspace, query, sort_key, descending)

    def rows(self, ids: list) -> dict:
        return sync.history_rows(self.page.workspace, ids)


class HistoryTab(QWidget):
    def __init__(self, page) -> None:
        super().__init__()
        self.page = page
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.search = QLineEdit(clearButtonEnabled=True)
        self.search.textChanged.connect(lambda _t: self.reload())
        self.filter = QComboBox()
        self.filter.currentIndexChanged.connect(lambda _i: self.reload())
        bar.addWidget(self.search, 1)
        bar.addWidget(self.filter)
        layout.addLayout(bar)
        splitter = QSplitter()
        self.source = HistorySource(page)
        self.model = LazyTableModel(self.source, self)
        self.view = row_view(QTableView(), self.model, sort=True, wrap=True, stretch_last=True)
        self.view.selectionModel().currentRowChanged.connect(self._selected)
        splitter.addWidget(self.view)
        self.details = QTextBrowser()
        splitter.addWidget(self.details)
        splitter.setSizes([700, 360])
        layout.addWidget(splitter, 1)

    def retranslate(self) -> None:
        self.search.setPlaceholderText(_("Search by file name…"))
        current = self.filter.currentIndex()
        self.filter.blockSignals(True)
        self.filter.clear()
        self.filter.addItem(_("Everything"), "")
        self.filter.addItem(_("Only problems and waiting packages"), "problems")
        self.filter.addItem(_("Only packages received"), "import")
        self.filter.addItem(_("Only packages sent"), "export")
        self.filter.setCurrentIndex(max(current, 0))
        self.filter.blockSignals(False)
        self.source.retranslate()

    def query(self) -> dict:
        choice = self.filter.currentData()
        query = {"file": self.search.text().strip()}
        if choice == "problems":
            query["problems"] = True
        elif choice:
            query["kind"] = choice
        return query

    def reload(self) -> None:
        self.model.reload(self.query())
        self.view.resizeColumnsToContents()
        if self.model.rowCount():
            self.view.selectRow(0)
        else:
            self.details.clear()

    def _selected(self, current, _previous=None) -> None:
        row = self.model.row_object(current.row()) if current.isValid() else None
        if row is None:
            self.details.clear()
            return
        parts = [f"<h3>{_escape(row.kind_label)} · {_escape(row.outcome_label)}</h3>",
                 f"<p>{_escape(format_datetime(row.at))}</p>"]
        if row.file_name:
            parts.append("<p><b>" + _escape(_("File")) + ":</b> " + _escape(row.file_name)
                         + "</p>")
        if row.peer_name:
            parts.append("<p><b>" + _escape(_("Unit")) + ":</b> " + _escape(row.peer_name)
                         + "</p>")
        parts.append("<p>" + _escape(row.message) + "</p>")
        self.details.setHtml("".join(parts))


# ---------------------------------------------------------------------------- conflicts
class ConflictSource:
    def __init__(self, page) -> None:
        self.page = page
        self.columns: list[LazyColumn] = []
        self.retranslate()

    def retranslate(self) -> None:
        self.columns = [
            LazyColumn(_("Found at"), lambda r: format_datetime(r.detected_at),
                       "detected", state=lambda r: "normal" if r.reviewed else "due_soon"),
            LazyColumn(_("Kind of record"), lambda r: r.table_label, "table"),
            LazyColumn(_("Record"), lambda r: r.summary),
            LazyColumn(_("Kept"), lambda r: r.kept_by),
            LazyColumn(_("Overridden"), lambda r: r.overridden_by),
        ]

    def ids(self, query: dict, sort_key: str | None, descending: bool) -> list:
        if sort_key is None:
            sort_key, descending = "detected", True
        return sync.conflict_ids(self.page.workspace, query, sort_key, descending)

    def rows(self, ids: list) -> dict:
        return sync.conflict_rows(self.page.workspace, ids)


class ConflictsTab(QWidget):
    def __init__(self, page) -> None:
        super().__init__()
        self.page = page
        layout = QVBoxLayout(self)
        self.intro = QLabel(wordWrap=True, objectName="subtitle")
        layout.addWidget(self.intro)
        splitter = QSplitter()
        self.source = ConflictSource(page)
        self.model = LazyTableModel(self.source, self)
        self.view = row_view(QTableView(), self.model, sort=True, wrap=True, stretch_last=True)
        self.view.selectionModel().currentRowChanged.connect(self._selected)
        splitter.addWidget(self.view)
        side = QWidget(objectName="sidePanel")
        side_layout = QVBoxLayout(side)
        self.title = QLabel(objectName="cardTitle", wordWrap=True)
        side_layout.addWidget(self.title)
        self.fields = _table(3)
        side_layout.addWidget(self.fields, 1)
        self.reviewed_button = QPushButton()
        self.reviewed_button.clicked.connect(self._mark_reviewed)
        side_layout.addWidget(self.reviewed_button)
        splitter.addWidget(side)
        splitter.setSizes([620, 440])
        layout.addWidget(splitter, 1)

    def retranslate(self) -> None:
        self.intro.setText(_("When two computers of the same unit changed the same record "
                             "without seeing each other's change, the newer change is kept "
                             "everywhere. The values it replaced are listed here; if they were "
                             "right, enter them again."))
        self.fields.setHorizontalHeaderLabels([_("Field"), _("Kept"), _("Overridden")])
        self.reviewed_button.setText(_("Mark as reviewed"))
        self.source.retranslate()

    def reload(self) -> None:
        self.model.reload({})
        self.view.resizeColumnsToContents()
        if self.model.rowCount():
            self.view.selectRow(0)
        else:
            self._show(None)

    def _selected(self, current, _previous=None) -> None:
        self._show(self.model.row_object(current.row()) if current.isValid() else None)

    def _show(self, row) -> None:
        self.current = row
        self.reviewed_button.setEnabled(row is not None and not row.reviewed)
        if row is None:
            self.title.setText(_("No value has been overridden."))
            self.fields.setRowCount(0)
            return
        self.title.setText(_("{table} “{summary}”: the edit of {kept} was kept; the edit of "
                             "{overridden} was overridden.").format(
            table=row.table_label, summary=row.summary, kept=row.kept_by,
            overridden=row.overridden_by))
        self.fields.setRowCount(len(row.fields))
        for index, change in enumerate(row.fields):
            for column, value in enumerate((change.field, change.kept, change.overridden)):
                self.fields.setItem(index, column, QTableWidgetItem(value))
        self.fields.resizeColumnsToContents()

    def _mark_reviewed(self) -> None:
        row = getattr(self, "current", None)
        if row is None:
            return
        workspace = self.page.workspace
        self.page.context.runner.run(lambda: sync.mark_reviewed(workspace, row.id),
                                     on_done=lambda _r: self.page.refresh(),
                                     on_error=self.page.notify)


def question(parent, title: str, text: str) -> bool:
    return QMessageBox.question(parent, title, text) == QMessageBox.Yes
