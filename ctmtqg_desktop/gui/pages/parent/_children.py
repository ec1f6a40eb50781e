"""Đơn vị cấp dưới: the child units and their reports, packages received in bulk, what was
sent down and who acknowledged it, and reorganisations of units.

The first tab is the job: the list of children (never reported and late ones in red) with
their installations, fingerprints and last package beside it; the primary action receives
their packages. "Receive packages" imports a whole folder (or many dropped files) with a
progress bar and Cancel and shows each file's outcome. "Sent down" assigns tasks and capital,
sends dossier templates, handbook pages and catalog updates, and shows, per item, which units
have acknowledged it.
"""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ctmtqg_desktop.domain.formats import format_date, format_datetime, format_number
from ctmtqg_desktop.gui.lazy_table import LazyColumn, LazyTableModel
from ctmtqg_desktop.gui.pages.base import Page
from ctmtqg_desktop.gui.pages.parent._children_tabs import ImportTab, ReorganiseTab, SentTab
from ctmtqg_desktop.gui.palette import hex_of
from ctmtqg_desktop.gui.tables import row_view
from ctmtqg_desktop.gui.widgets import date_edit, day_of, qdate
from ctmtqg_desktop.i18n import _, pgettext

STATES = ("", "late", "never", "stale", "current")


def state_filter_label(state: str) -> str:
    return {"": _("All child units"), "late": _("Late: never reported or stale"),
            "never": _("Never reported"), "stale": _("No recent package"),
            "current": _("Reporting")}[state]


def _state(child) -> str:
    return "late" if child.late else "normal"


class ChildrenSource:
    """The children list for :class:`LazyTableModel` (ids are unit keys)."""

    def __init__(self) -> None:
        self.listing = None
        self.columns: list[LazyColumn] = []
        self.make_columns()

    def make_columns(self) -> None:
        """The columns, titled in the current language."""
        self.columns = [
            LazyColumn(_("Code"), lambda c: c.code, "code"),
            LazyColumn(_("Child unit"), lambda c: c.name, "name", state=_state),
            LazyColumn(_("State"), lambda c: c.state_label, "state", state=_state),
            LazyColumn(_("Last package"), lambda c: format_date(
                c.last_package_at.date()) if c.last_package_at else "", "last"),
            LazyColumn(pgettext("package", "No."), lambda c: str(c.last_package_number or ""),
                       None, Qt.AlignRight | Qt.AlignVCenter),
            LazyColumn(_("Installations"), lambda c: str(c.trusted_nodes) + (
                " (+" + str(c.pending_nodes) + ")" if c.pending_nodes else ""), "nodes",
                Qt.AlignRight | Qt.AlignVCenter),
            LazyColumn(_("Enrollment"), lambda c: c.enrollment_label, "enrollment"),
        ]

    def ids(self, query: dict, sort_key: str | None, descending: bool) -> list:
        from ctmtqg_desktop.services import parent

        if self.listing is None:
            return []
        return [c.unit_id for c in parent.filter_children(
            self.listing, query, sort_key or "state", descending)]

    def rows(self, ids: list) -> dict:
        if self.listing is None:
            return {}
        wanted = set(ids)
        return {c.unit_id: c for c in self.listing.children if c.unit_id in wanted}


# ---------------------------------------------------------------------------- list tab
class ChildrenTab(QWidget):
    def __init__(self, page: ChildrenPage) -> None:
        super().__init__()
        self.page = page
        layout = QVBoxLayout(self)
        filters = QHBoxLayout()
        self.search = QLineEdit(clearButtonEnabled=True)
        self.search.textChanged.connect(self.refilter)
        self.state = QComboBox()
        for state in STATES:
            self.state.addItem("", state)
        self.state.currentIndexChanged.connect(self.refilter)
        # "as of": the units that existed on that day (default: the working date), so that a
        # 2023 workspace and today's province both show their children
        self.on_label = QLabel()
        self.on_date = date_edit()
        self.on_date.setObjectName("childrenOnDate")
        self.on_label.setBuddy(self.on_date)
        self.on_date.dateChanged.connect(lambda _d: page.refresh())
        filters.addWidget(self.search, 3)
        filters.addWidget(self.state, 2)
        filters.addWidget(self.on_label)
        filters.addWidget(self.on_date)
        layout.addLayout(filters)
        self.counts = QLabel(wordWrap=True, objectName="cardLine")
        layout.addWidget(self.counts)
        splitter = QSplitter()
        self.source = ChildrenSource()
        self.model = LazyTableModel(self.source, self)
        # late units first: the state column, ascending
        self.table = row_view(QTableView(), self.model, sort=(2, Qt.AscendingOrder))
        self.table.selectionModel().currentRowChanged.connect(self.show_detail)
        splitter.addWidget(self.table)
        side = QWidget(objectName="sidePanel")
        column = QVBoxLayout(side)
        self.detail = QTextBrowser()
        self.detail.setOpenLinks(False)
        column.addWidget(self.detail, 1)
        self.enroll_button = QPushButton()
        self.enroll_button.clicked.connect(self.enroll)
        self.accept_button = QPushButton()
        self.accept_button.clicked.connect(self.accept_node)
        column.addWidget(self.enroll_button, 0, Qt.AlignLeft)
        column.addWidget(self.accept_button, 0, Qt.AlignLeft)
        splitter.addWidget(side)
        splitter.setSizes([820, 310])
        layout.addWidget(splitter, 1)

    def retranslate(self) -> None:
        self.search.setPlaceholderText(_("Search a unit by name or code… Ctrl+F"))
        self.on_label.setText(_("Units &as of"))
        for index, state in enumerate(STATES):
            self.state.setItemText(index, state_filter_label(state))
        listing = self.source.listing
        self.source.make_columns()
        self.model.headerDataChanged.emit(Qt.Horizontal, 0, self.model.columnCount() - 1)
        self.enroll_button.setText(_("Issue an &enrollment file…"))
        self.accept_button.setText(_("Accept the installation…"))
        if listing is not None:
            self.show_listing(listing)

    def query(self) -> dict:
        return {"text": self.search.text(), "state": self.state.currentData()}

    def show_listing(self, listing) -> None:
        keep = self.current_unit()
        self.source.listing = listing
        self.model.reload(self.query())
        fit_columns(self.table, self.model, name_column=1)
        self.counts.setText(_("{count} child units on {date}: {never} never reported, {stale} "
                              "without a package for more than {days} days.").format(
            count=len(listing.children), date=format_date(listing.on), never=listing.never,
            stale=listing.stale, days=listing.stale_days))
        late = listing.never + listing.stale
        self.counts.setProperty("state", "late" if late else "normal")
        self.counts.style().unpolish(self.counts)
        self.counts.style().polish(self.counts)
        row = self.model.row_of(keep) if keep else 0
        if self.model.rowCount():
            self.table.selectRow(max(row, 0))
        else:
            self.show_detail()

    def refilter(self, *_args) -> None:
        if self.source.listing is not None:
            self.model.reload(self.query())
            if self.model.rowCount():
                self.table.selectRow(0)
            else:
                self.show_detail()

    def current_unit(self) -> str | None:
        index = self.table.currentIndex()
        return self.model.id_at(index.row()) if index.isValid() else None

    def current_child(self):
        index = self.table.currentIndex()
        return self.model.row_object(index.row()) if index.isValid() else None

    def show_detail(self, *_args) -> None:
        child = self.current_child()
        self.enroll_button.setEnabled(child is not None)
        self.accept_button.setEnabled(child is not None and child.pending_nodes > 0)
        if child is None:
            self.detail.setHtml("<p>" + html.escape(_("Nothing to show.")) + "</p>")
            return
        self.detail.setHtml(child_html(child))

    def enroll(self) -> None:
        child = self.current_child()
        if child is None:
            return
        workspace = self.page.workspace
        name, _filter = QFileDialog.getSaveFileName(
            self, _("Save the enrollment file"), str(Path.home() / f"{child.code}.ctenroll"),
            _("Enrollment files (*.ctenroll)"))
        if not name:
            return
        from ctmtqg_desktop.services import sync

        def done(issued) -> None:
            self.page.message.setText(_(
                "Enrollment file for {unit} written to {path}. It is a credential: hand it over "
                "like a password. The parent unit's fingerprint to read out by phone: "
                "{fingerprint}").format(unit=issued.child_unit_name, path=issued.path,
                                        fingerprint=issued.parent_fingerprint))
            self.page.refresh()

        self.page.context.runner.run(
            lambda: sync.issue_enrollment(workspace, child.unit_id, Path(name)),
            on_done=done, on_error=self.page.message.setText)

    def accept_node(self) -> None:
        child = self.current_child()
        if child is None:
            return
        pending = [n for n in child.nodes if n.status == "pending"]
        if not pending:
            return
        node = pending[0]
        answer = QMessageBox.question(
            self, _("Accept the installation"),
            _("Read this fingerprint to the officer of {unit} by phone and accept only if it is "
              "the same on their screen:\n\n{fingerprint}").format(
                unit=child.name, fingerprint=node.fingerprint))
        if answer != QMessageBox.Yes:
            return
        from ctmtqg_desktop.services import sync

        workspace = self.page.workspace
        self.page.context.runner.run(
            lambda: sync.accept_node(workspace, str(node.id)),
            on_done=lambda _result: self.page.refresh(), on_error=self.page.message.setText)


def fit_columns(table, model, *, name_column: int) -> None:
    """Each column as wide as its contents or its title (Qt would leave room for a sort
    arrow in every one); the name column within reason, the last one stretched."""
    header = table.horizontalHeader()
    bold = header.font()
    bold.setBold(True)
    metrics = QFontMetrics(bold)
    for column in range(model.columnCount()):
        title = model.headerData(column, Qt.Horizontal) or ""
        width = max(table.sizeHintForColumn(column), metrics.horizontalAdvance(title) + 28)
        if column == name_column:
            width = min(max(width, 130), 200)
        table.setColumnWidth(column, width)
    header.setStretchLastSection(True)


def child_html(child) -> str:
    e = html.escape
    parts = [f"<h3 style='margin:0'>{e(child.name)} <span style='color:{hex_of('muted')}'>"
             f"({e(child.unit_id)})</span></h3>"]
    colour = hex_of("late") if child.late else hex_of("good")
    parts.append(f"<p><b style='color:{colour}'>{e(child.state_label)}</b> · "
                 f"{e(child.enrollment_label)}</p>")
    if child.last_package_at:
        parts.append("<p>" + e(_(
            "Last package: no. {number}, applied {when}, up to change {sequence}; {count} "
            "packages received in all.").format(
            number=child.last_package_number, when=format_datetime(child.last_package_at),
            sequence=format_number(child.last_sequence),
            count=child.packages_applied)) + "</p>")
    if child.waiting:
        parts.append(f"<p style='color:{hex_of('due-soon')}'>" + e(_(
            "{count} packages of this unit wait (an earlier one is missing, or an installation "
            "is not accepted yet).").format(count=child.waiting)) + "</p>")
    if child.predecessors:
        parts.append("<p>" + e(_("Continues {units}: their records are counted under this "
                                 "unit.").format(units=", ".join(child.predecessor_names)))
                     + "</p>")
    if child.catalog_version is not None:
        parts.append("<p>" + e(_("Catalog version reported: {version}.").format(
            version=child.catalog_version)) + "</p>")
    parts.append("<h4>" + e(_("Installations")) + "</h4>")
    if not child.nodes:
        parts.append(f"<p style='color:{hex_of('muted')}'>"
                     + e(_("No installation known yet.")) + "</p>")
    for node in child.nodes:
        colour = hex_of("due-soon") if node.status == "pending" else (
            hex_of("late") if node.status == "revoked" else hex_of("ink"))
        parts.append(
            f"<div style='margin-bottom:6px'><b>{e(node.label or node.short_id)}</b> "
            f"<span style='color:{colour}'>({e(node.status_label)})</span><br>"
            + e(_("Fingerprint: {fingerprint}").format(fingerprint=node.fingerprint or "–"))
            + "<br>" + e(_("Its packages: no. {number}, {when}. Our packages confirmed: no. "
                           "{ack}.").format(
                number=node.applied_number or "–",
                when=format_datetime(node.applied_at) if node.applied_at else _("none yet"),
                ack=node.acknowledged_number or "–")) + "</div>")
    return "".join(parts)


# ---------------------------------------------------------------------------- the page
class ChildrenPage(Page):
    def build(self) -> None:
        self.unit_names: dict[str, str] = {}
        outer = QVBoxLayout(self)
        outer.setContentsMargins(16, 12, 16, 10)
        self.receive_button = QPushButton(objectName="primary")
        self.receive_button.clicked.connect(self.receive)
        self.add_header(outer, self.receive_button)
        self.tabs = QTabWidget()
        self.importer = ImportTab(self)
        self.sent = SentTab(self)
        self.reorganise = ReorganiseTab(self)
        children_tab = ChildrenTab(self)
        self.on_date = children_tab.on_date
        self.children = children_tab
        for tab in (self.children, self.importer, self.sent, self.reorganise):
            self.tabs.addTab(tab, "")
        outer.addWidget(self.tabs, 1)
        self.message = QLabel(wordWrap=True, objectName="formMessage")
        self.message.setTextInteractionFlags(Qt.TextSelectableByMouse)
        outer.addWidget(self.message)
        QShortcut(QKeySequence(Qt.Key_Escape), self, activated=self.importer.cancel)

    def retranslate(self) -> None:
        self.title.setText(_("Child units"))
        self.subtitle.setText(_("The child units, their installations and the packages "
                                "received from them; what was sent down to them."))
        self.receive_button.setText(_("&Receive packages…"))
        for tab in (self.children, self.importer, self.sent, self.reorganise):
            tab.retranslate()
        for index, text in enumerate((_("Child units"), _("Receive packages"),
                                      _("Sent down"), _("Reorganisation of units"))):
            self.tabs.setTabText(index, text)

    def focus_search(self) -> bool:
        self.tabs.setCurrentWidget(self.children)
        self.children.search.setFocus()
        self.children.search.selectAll()
        return True

    def activate(self) -> None:
        self.refresh()

    def receive(self) -> None:
        self.tabs.setCurrentWidget(self.importer)
        self.importer.choose_folder()

    def refresh(self) -> None:
        from ctmtqg_desktop.services import parent

        workspace = self.workspace
        self.loading = True

        on_date = self.on_date
        if not on_date.property("set"):  # first time: the working date
            on_date.blockSignals(True)
            on_date.setDate(qdate(workspace.today()))
            on_date.setProperty("set", True)
            on_date.blockSignals(False)
        on = day_of(on_date)

        def load():
            listing = parent.list_children(workspace, on=on)
            return (listing, parent.sent_items(workspace),
                    parent.reorganisations(workspace))

        def done(result) -> None:
            listing, sent, reorganisations = result
            self.unit_names = {c.unit_id: c.name for c in listing.children}
            self.children.show_listing(listing)
            self.sent.show_items(sent)
            self.reorganise.show_items(reorganisations)
            self.loading = False

        def failed(message: str) -> None:
            self.loading = False
            self.message.setText(message)

        self.context.runner.run(load, on_done=done, on_error=failed)

    def screenshot_views(self):
        return [(name, lambda tab=tab: self.tabs.setCurrentWidget(tab))
                for name, tab in (("import", self.importer), ("sent", self.sent),
                                  ("reorganisation", self.reorganise))]
