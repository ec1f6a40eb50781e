"""Danh mục: programmes and components, administrative units, villages, capital sources,
new-rural criteria. Every search ignores diacritics ("dak ha" finds "Đắk Hà")."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ctmtqg_desktop.domain.errors import UserError
from ctmtqg_desktop.domain.formats import format_date, format_number
from ctmtqg_desktop.domain.text import fold, search_terms
from ctmtqg_desktop.gui.pages.base import Page
from ctmtqg_desktop.gui.widgets import RefusalsInForm, apply_rules, date_edit
from ctmtqg_desktop.i18n import _
from ctmtqg_desktop.services import catalog, villages

CONFIDENCE_TEXT = {
    "confirmed": lambda: _("confirmed from a public source"),
    "partial": lambda: _("partly confirmed"),
    "unverified": lambda: _("not yet verified"),
}
LEVEL_TEXT = {
    "program": lambda: _("Programme"),
    "component": lambda: _("Programme component"),
    "project": lambda: _("Project"),
    "subproject": lambda: _("Sub-project"),
    "content": lambda: _("Component content"),
}


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _field(label: str, value: object) -> str:
    """One "label: value" line of a details pane (label already translated)."""
    return "<b>" + _escape(label) + ":</b> " + _escape(str(value))


def _filter_tree(tree: QTreeWidget, query: str) -> int:
    """Show items matching every folded word of ``query`` and their ancestors."""
    terms = search_terms(query)
    shown = 0

    def visit(item: QTreeWidgetItem) -> bool:
        nonlocal shown
        own = all(t in item.data(0, Qt.UserRole + 1) for t in terms)
        child_match = False
        for i in range(item.childCount()):
            child_match = visit(item.child(i)) or child_match
        visible = own or child_match
        item.setHidden(not visible)
        if visible and terms:
            item.setExpanded(child_match)
        if own:
            shown += 1
        return visible

    for i in range(tree.topLevelItemCount()):
        visit(tree.topLevelItem(i))
    return shown


class ProgramsTab(QWidget):
    def __init__(self, page: CatalogPage) -> None:
        super().__init__()
        self.page = page
        layout = QVBoxLayout(self)
        self.search = QLineEdit(clearButtonEnabled=True)
        self.search.textChanged.connect(lambda text: _filter_tree(self.tree, text))
        layout.addWidget(self.search)
        splitter = QSplitter()
        self.tree = QTreeWidget()
        self.tree.setHeaderHidden(True)
        self.tree.currentItemChanged.connect(self._show)
        self.details = QTextBrowser(openExternalLinks=False)
        splitter.addWidget(self.tree)
        splitter.addWidget(self.details)
        splitter.setSizes([560, 400])
        layout.addWidget(splitter, 1)

    def retranslate(self) -> None:
        self.search.setPlaceholderText(_("Search programmes and components (diacritics "
                                         "optional)…"))

    def load(self, programs: list[catalog.ComponentNode]) -> None:
        self.tree.clear()

        def add(parent, node: catalog.ComponentNode):
            label = f"{node.code}: {node.name}" if node.level != "program" else node.name
            item = QTreeWidgetItem(parent, [label])
            item.setData(0, Qt.UserRole, node)
            item.setData(0, Qt.UserRole + 1, fold(f"{node.code} {node.name}"))
            item.setToolTip(0, node.name)
            for child in node.children:
                add(item, child)
            return item

        for program in programs:
            item = add(self.tree, program)
            item.setExpanded(False)
        if self.tree.topLevelItemCount():
            self.tree.setCurrentItem(self.tree.topLevelItem(0))

    def _show(self, item: QTreeWidgetItem | None) -> None:
        if item is None:
            self.details.clear()
            return
        node: catalog.ComponentNode = item.data(0, Qt.UserRole)
        level = LEVEL_TEXT.get(node.level, lambda: node.level)()
        parts = ["<h3>" + _escape(node.name) + "</h3><p>",
                 _field(_("Level"), level), "<br>", _field(_("Code"), node.code), "<br>",
                 _field(_("Catalog key"), node.id), "</p>"]
        if node.legal_basis:
            parts.append("<p>" + _field(_("Legal basis"), node.legal_basis) + "</p>")
        if node.level != "program":
            confidence = CONFIDENCE_TEXT.get(node.confidence, lambda: node.confidence)()
            parts.append("<p>" + _field(_("Name in the catalog"), confidence) + "</p>")
        if node.children:
            parts.append("<p>" + _field(_("Contains"), len(node.children)) + "</p>")
        self.details.setHtml("".join(parts))


class UnitsTab(QWidget):
    def __init__(self, page: CatalogPage) -> None:
        super().__init__()
        self.page = page
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.search = QLineEdit(clearButtonEnabled=True)
        self.search.textChanged.connect(self._filter)
        self.only_valid = QCheckBox()
        self.on_date = date_edit()
        self.only_valid.toggled.connect(self._filter)
        self.on_date.dateChanged.connect(self._filter)
        bar.addWidget(self.search, 1)
        bar.addWidget(self.only_valid)
        bar.addWidget(self.on_date)
        layout.addLayout(bar)
        splitter = QSplitter()
        self.tree = QTreeWidget()
        self.tree.setColumnCount(3)
        self.tree.header().setSectionResizeMode(0, QHeaderView.Stretch)
        self.tree.currentItemChanged.connect(self._show)
        self.details = QTextBrowser()
        splitter.addWidget(self.tree)
        splitter.addWidget(self.details)
        splitter.setSizes([620, 340])
        layout.addWidget(splitter, 1)
        self.units: dict[str, catalog.UnitInfo] = {}
        self.successions: list[catalog.SuccessionInfo] = []

    def retranslate(self) -> None:
        self.search.setPlaceholderText(_("Search by name or code, e.g. “dak ha” or 23524…"))
        self.only_valid.setText(_("Valid on"))
        self.tree.setHeaderLabels([_("Unit"), _("Code"), _("Validity")])

    def load(self, units: list[catalog.UnitInfo], successions, today) -> None:
        from PySide6.QtCore import QDate

        self.on_date.setDate(QDate(today.year, today.month, today.day))
        self.units = {u.id: u for u in units}
        self.successions = successions
        self.tree.clear()
        items: dict[str, QTreeWidgetItem] = {}
        remaining = sorted(units, key=lambda u: (u.parent_id is not None, fold(u.name)))
        while remaining:
            progressed = []
            for unit in remaining:
                if unit.parent_id and unit.parent_id not in items:
                    continue
                parent = items.get(unit.parent_id) if unit.parent_id else self.tree
                item = QTreeWidgetItem(parent, [unit.title, unit.code, unit.validity_text])
                item.setData(0, Qt.UserRole, unit.id)
                item.setData(0, Qt.UserRole + 1, fold(f"{unit.title} {unit.code}"))
                items[unit.id] = item
                progressed.append(unit)
            if not progressed:
                break
            remaining = [u for u in remaining if u not in progressed]
        self.tree.sortItems(0, Qt.AscendingOrder)
        self._filter()

    def _filter(self, *_args) -> None:
        _filter_tree(self.tree, self.search.text())
        if self.only_valid.isChecked():
            day = self.on_date.date().toPython()

            def hide_invalid(item: QTreeWidgetItem) -> None:
                unit = self.units[item.data(0, Qt.UserRole)]
                if not unit.valid_on(day):
                    item.setHidden(True)
                for i in range(item.childCount()):
                    hide_invalid(item.child(i))

            for i in range(self.tree.topLevelItemCount()):
                hide_invalid(self.tree.topLevelItem(i))

    def _show(self, item: QTreeWidgetItem | None) -> None:
        if item is None:
            return
        unit = self.units[item.data(0, Qt.UserRole)]
        lines = ["<h3>" + _escape(unit.title) + "</h3><p>" + _escape(unit.full_name) + "</p>",
                 "<p>" + _field(_("Code"), unit.code), "<br>" + _field(_("Catalog key"), unit.id)]
        if unit.validity_text:
            lines.append("<br>" + _field(_("Validity"), unit.validity_text))
        confidence = CONFIDENCE_TEXT.get(unit.confidence, lambda: unit.confidence)()
        lines.append("<br>" + _field(_("Data"), confidence) + "</p>")
        for s in self.successions:
            if s.old_unit_id == unit.id and s.new_unit_id in self.units:
                new = self.units[s.new_unit_id]
                lines.append("<p>" + _escape(_("From {date} continues as {unit} ({basis}).").format(
                    date=format_date(s.effective_on), unit=new.full_name,
                    basis=s.legal_basis)) + "</p>")
        formed = [self.units[s.old_unit_id].title for s in self.successions
                  if s.new_unit_id == unit.id and s.old_unit_id in self.units]
        if formed:
            lines.append("<p>" + _escape(_("Formed from: {units}.").format(
                units=", ".join(sorted(formed)))) + "</p>")
        self.details.setHtml("".join(lines))


class VillagesTab(RefusalsInForm, QWidget):
    """The commune's villages: the list, and a form to add or correct one."""

    def __init__(self, page: CatalogPage) -> None:
        super().__init__()
        self.page = page
        self.current_id = None
        layout = QHBoxLayout(self)
        self.table = QTableWidget(0, 5)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.Stretch)
        # the village's name takes the room: with history it reads "Thôn 7 — Thị trấn Đắk
        # Hà (trước sắp xếp)" (its tooltip in full when cut)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeToContents)
        self.table.itemSelectionChanged.connect(self._selected)
        # a merged commune's predecessors' villages (history, read-only): shown when asked,
        # as the tasks page shows their tasks
        self.history = QCheckBox()
        self.history.setVisible(False)
        self.history.toggled.connect(lambda _on: self.page.reload_villages())
        self.history_units: dict[str, str] = {}
        listing = QVBoxLayout()
        listing.addWidget(self.history)
        listing.addWidget(self.table, 1)
        layout.addLayout(listing, 3)
        form_host = QWidget(objectName="sidePanel")
        form = QFormLayout(form_host)
        self.form_title = QLabel(objectName="cardTitle")
        form.addRow(self.form_title)
        self.name = QLineEdit()
        self.ethnic = QLineEdit()
        self.households = QSpinBox(groupSeparatorShown=True)
        self.population = QSpinBox(groupSeparatorShown=True)
        apply_rules("village", name=self.name, ethnic_groups=self.ethnic,
                    households=self.households, population=self.population)
        self.hard = QCheckBox()
        self.name_label, self.ethnic_label = QLabel(), QLabel()
        self.households_label, self.population_label = QLabel(), QLabel()
        form.addRow(self.name_label, self.name)
        form.addRow(self.ethnic_label, self.ethnic)
        form.addRow(self.households_label, self.households)
        form.addRow(self.population_label, self.population)
        form.addRow("", self.hard)
        buttons = QHBoxLayout()
        self.new_button = QPushButton()
        self.save_button = QPushButton(objectName="primary")
        self.delete_button = QPushButton()
        self.new_button.clicked.connect(self.clear_form)
        self.save_button.clicked.connect(self.save)
        self.delete_button.clicked.connect(self._delete)
        for button in (self.new_button, self.save_button, self.delete_button):
            buttons.addWidget(button)
        form.addRow(buttons)
        excel = QHBoxLayout()
        self.import_button = QPushButton()
        self.template_button = QPushButton()
        self.import_button.clicked.connect(self._import)
        self.template_button.clicked.connect(self._template)
        excel.addWidget(self.import_button)
        excel.addWidget(self.template_button)
        form.addRow(excel)
        self.message = QLabel(wordWrap=True, objectName="formMessage")
        form.addRow(self.message)
        layout.addWidget(form_host, 2)
        self.rows: list[villages.VillageInfo] = []

    def retranslate(self) -> None:
        self.table.setHorizontalHeaderLabels([_("Village"), _("Ethnic groups"), _("Households"),
                                              _("Population"), _("Extremely disadvantaged")])
        self.name_label.setText(_("Village name"))
        self.ethnic_label.setText(_("Ethnic groups"))
        self.households_label.setText(_("Households"))
        self.population_label.setText(_("Population"))
        self.hard.setText(_("Extremely disadvantaged village"))
        self.new_button.setText(_("Add village"))
        self.save_button.setText(_("Save"))
        self.delete_button.setText(_("Delete"))
        self.import_button.setText(_("Import from Excel…"))
        self.template_button.setText(_("Empty Excel template…"))
        self.form_title.setText(_("Village") if self.current_id else _("New village"))
        self.history.setText(_("Villages of the units before the merger"))
        self.history.setToolTip(_("Read-only history of {units}, merged into this unit.").format(
            units=", ".join(sorted(self.history_units.values()))))

    def set_history_units(self, units: dict[str, str]) -> None:
        """The predecessors whose villages the box offers (none: the box is hidden)."""
        self.history_units = units
        self.history.setVisible(bool(units))
        self.retranslate()

    def load(self, rows: list[villages.VillageInfo]) -> None:
        self.rows = rows
        self.table.setRowCount(len(rows))
        for r, village in enumerate(rows):
            values = [village.label, village.ethnic_groups, format_number(village.households),
                      format_number(village.population),
                      _("Yes") if village.extremely_disadvantaged else ""]
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                if c == 0:
                    item.setToolTip(value)
                if c in (2, 3):
                    item.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
                self.table.setItem(r, c, item)

    def _selected(self) -> None:
        row = self.table.currentRow()
        if not (0 <= row < len(self.rows)):
            return
        village = self.rows[row]
        self.current_id = village.id
        self.name.setText(village.name)
        self.ethnic.setText(village.ethnic_groups)
        self.households.setValue(village.households)
        self.population.setValue(village.population)
        self.hard.setChecked(village.extremely_disadvantaged)
        self.message.clear()
        self._read_only(village.history_of)
        self.retranslate()

    def _read_only(self, history_of: str) -> None:
        """A predecessor's village is history: shown, never changed (the service refuses
        too, with the history sentence)."""
        self.save_button.setEnabled(not history_of)
        self.delete_button.setEnabled(not history_of)
        for field in (self.name, self.ethnic, self.households, self.population):
            field.setReadOnly(bool(history_of))
        self.hard.setEnabled(not history_of)
        if history_of:
            self.message.setText(_("History of {unit} before the merger: read-only here.")
                                 .format(unit=history_of))

    def clear_form(self) -> None:
        self.current_id = None
        self.table.clearSelection()
        for field in (self.name, self.ethnic):
            field.clear()
        self.households.setValue(0)
        self.population.setValue(0)
        self.hard.setChecked(False)
        self.message.clear()
        self._read_only("")
        self.retranslate()
        self.name.setFocus()

    def save(self) -> bool:
        workspace = self.page.workspace
        values = dict(name=self.name.text(), ethnic_groups=self.ethnic.text(),
                      households=self.households.value(), population=self.population.value(),
                      extremely_disadvantaged=self.hard.isChecked(), village_id=self.current_id)

        # saved here, in one short transaction: a refusal is shown under the field it is
        # about, with everything typed kept (issue 15)
        try:
            saved = villages.save_village(workspace, **values)
        except UserError as error:
            self.show_refusal(error)
            return True
        self.clear_refusal()
        self.current_id = saved.id
        self.message.setText(_("Saved."))
        self.page.notify(_("Saved village {name}.").format(name=saved.name))
        self.page.reload_villages()
        return True

    def _import(self) -> None:
        from ctmtqg_desktop.gui import workbook_dialogs

        path = workbook_dialogs.choose_workbook(self, _("Import villages from Excel"))
        if path is not None:
            self.import_file(path)

    def import_file(self, path) -> None:
        from ctmtqg_desktop.gui import workbook_dialogs

        workspace = self.page.workspace

        def done(outcome) -> None:
            self.message.setText(outcome.text(_("villages")))
            self.page.reload_villages()

        workbook_dialogs.import_workbook(
            self, self.page.context.runner, path,
            lambda p, encoding, skip_unknown_columns=False: villages.import_villages(
                workspace, p, legacy_encoding=encoding,
                skip_unknown_columns=skip_unknown_columns),
            on_done=done, on_error=self.message.setText)

    def _template(self) -> None:
        from ctmtqg_desktop.gui import workbook_dialogs

        target = workbook_dialogs.choose_template_target(self, "mau-danh-sach-thon.xlsx")
        if target is None:
            return
        self.page.context.runner.run(
            lambda: villages.write_villages_template(target),
            on_done=lambda _r: self.message.setText(
                _("Template written: {path}").format(path=target)),
            on_error=self.message.setText)

    def _delete(self) -> None:
        if self.current_id is None:
            return
        answer = QMessageBox.question(self, _("Delete village"),
                                      _("Delete the village “{name}”?").format(
                                          name=self.name.text()))
        if answer != QMessageBox.Yes:
            return
        workspace, village_id = self.page.workspace, self.current_id
        self.page.context.runner.run(lambda: villages.delete_village(workspace, village_id),
                                     on_done=lambda _r: (self.clear_form(),
                                                         self.page.reload_villages()),
                                     on_error=self.message.setText)


class ReferenceTable(QTableWidget):
    def fill(self, headers: list[str], rows: list[list[str]]) -> None:
        self.setColumnCount(len(headers))
        self.setHorizontalHeaderLabels(headers)
        self.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                self.setItem(r, c, QTableWidgetItem(value))
        self.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.horizontalHeader().setSectionResizeMode(1, QHeaderView.Stretch)
        self.resizeColumnToContents(0)


class CatalogPage(Page):
    def build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 16)
        self.add_header(layout)
        self.tabs = QTabWidget()
        self.programs_tab = ProgramsTab(self)
        self.units_tab = UnitsTab(self)
        self.villages_tab = VillagesTab(self)
        self.sources_table = ReferenceTable()
        self.criteria_table = ReferenceTable()
        for tab in (self.programs_tab, self.units_tab, self.villages_tab, self.sources_table,
                    self.criteria_table):
            self.tabs.addTab(tab, "")
        layout.addWidget(self.tabs, 1)
        self.loaded = False

    def retranslate(self) -> None:
        self.title.setText(_("Catalog"))
        self.subtitle.setText(_("Reference data shared by every unit: updated by packages "
                                "from the parent unit, never typed into the code."))
        for index, text in enumerate([_("Programmes"), _("Administrative units"),
                                      _("Villages"), _("Capital sources"),
                                      _("New-rural criteria")]):
            self.tabs.setTabText(index, text)
        for tab in (self.programs_tab, self.units_tab, self.villages_tab):
            tab.retranslate()

    def focus_search(self) -> bool:
        current = self.tabs.currentWidget()
        search = getattr(current, "search", None)
        if search is not None:
            search.setFocus()
            search.selectAll()
            return True
        return False

    def save(self) -> bool:
        if self.tabs.currentWidget() is self.villages_tab:
            return self.villages_tab.save()
        return False

    def notify(self, text: str) -> None:
        self.context.notify(text)

    def activate(self) -> None:
        if self.loaded:
            return
        self.loading = True
        workspace = self.workspace

        def load():
            return dict(programs=catalog.program_tree(workspace),
                        units=catalog.all_units(workspace),
                        successions=catalog.all_successions(workspace),
                        villages=villages.list_villages(workspace),
                        history=catalog.history_units(workspace),
                        sources=catalog.capital_sources(workspace),
                        kinds=catalog.capital_kinds(workspace),
                        # the criteria of the working year's period: QĐ 318/QĐ-TTg (19)
                        # for 2021-2025, QĐ 51/2025/QĐ-TTg (10) from 2026
                        criteria=catalog.ntm_criteria(workspace, catalog.period_of_year(
                            workspace, workspace.today().year) or "2021-2025"),
                        today=workspace.today())

        self.context.runner.run(load, on_done=self._loaded, on_error=self.subtitle.setText)

    def _loaded(self, data) -> None:
        self.programs_tab.load(data["programs"])
        self.units_tab.load(data["units"], data["successions"], data["today"])
        self.villages_tab.set_history_units(data["history"])
        self.villages_tab.load(data["villages"])
        group_text = {"central": _("Central budget"), "local": _("Local budget"),
                      "integrated": _("Integrated funds"), "credit": _("Policy credit"),
                      "enterprise": _("Enterprises"), "community": _("Community contribution"),
                      "other": _("Other")}
        self.sources_table.fill(
            [_("Code"), _("Capital source"), _("Group"), _("Counterpart funds")],
            [[s.code, s.name, group_text.get(s.group, s.group),
              _("Yes") if s.counterpart else ""] for s in data["sources"]]
            + [[code, name, _("Capital kind"), ""] for code, name in data["kinds"]])
        self.criteria_table.fill(
            [_("No."), _("Criterion"), _("Group"), _("Data")],
            [[str(c.number), c.name, c.group,
              CONFIDENCE_TEXT[c.confidence]() if c.confidence in CONFIDENCE_TEXT else c.confidence]
             for c in data["criteria"]])
        self.loading = False
        self.loaded = True

    def reload_villages(self) -> None:
        workspace, history = self.workspace, self.villages_tab.history.isChecked()
        self.context.runner.run(lambda: villages.list_villages(workspace, history=history),
                                on_done=self.villages_tab.load)
