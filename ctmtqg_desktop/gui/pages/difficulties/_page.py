"""Khó khăn, kiến nghị: the unit's difficulties and proposals with their status
(mới → đã gửi → đã trả lời → đã giải quyết) and the parent unit's answers beside them."""

from __future__ import annotations

import datetime as dt
import html
from typing import TYPE_CHECKING

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ctmtqg_desktop.domain.formats import format_date
from ctmtqg_desktop.gui.keyboard import ask_before_discarding
from ctmtqg_desktop.gui.pages import parent as parent_pages
from ctmtqg_desktop.gui.pages.base import Page
from ctmtqg_desktop.gui.palette import hex_of
from ctmtqg_desktop.gui.tables import row_view
from ctmtqg_desktop.gui.widgets import (
    SavingDialog,
    apply_rules,
    date_edit,
    find_data,
    text_edit,
    translate_buttons,
)
from ctmtqg_desktop.i18n import _

if TYPE_CHECKING:
    from ctmtqg_desktop.services.difficulties import DifficultyInfo

STATUS_COLOURS = {"new": hex_of("due-soon"), "sent": hex_of("navy"), "answered": hex_of("good"),
                  "resolved": hex_of("muted")}


class DifficultyModel(QAbstractTableModel):
    """The difficulties shown (a short list: read whole)."""

    def __init__(self, parent=None, *, show_unit: bool = False) -> None:
        super().__init__(parent)
        self.items: list = []
        self.headers: list[str] = []
        #: a parent unit's list names the child unit that raised each item (column 1)
        self.show_unit = show_unit
        self.unit_names: dict[str, str] = {}

    def set_items(self, items: list) -> None:
        self.beginResetModel()
        self.items = list(items)
        self.endResetModel()

    def set_headers(self, headers: list[str]) -> None:
        self.headers = headers
        self.headerDataChanged.emit(Qt.Horizontal, 0, max(0, len(headers) - 1))

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.items)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else 5 + self.show_unit

    def headerData(self, section, orientation, role=Qt.DisplayRole):
        if orientation == Qt.Horizontal and role == Qt.DisplayRole and \
                0 <= section < len(self.headers):
            return self.headers[section]
        return None

    def data(self, index, role=Qt.DisplayRole):
        from ctmtqg_desktop.services import difficulties

        if not index.isValid() or not 0 <= index.row() < len(self.items):
            return None
        item = self.items[index.row()]
        column = index.column()
        if self.show_unit:  # the unit's column is the second; the others follow
            if column == 1:
                if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                    return self.unit_names.get(item.owner_unit_id, item.owner_unit_id)
                return item.id if role == Qt.ItemDataRole.UserRole else None
            column -= column > 1
        if role == Qt.DisplayRole:
            return [format_date(item.raised_on), difficulties.kind_label(item.kind),
                    difficulties.status_label(item.status), item.title,
                    "; ".join(label for _kind, label in item.links)][column]
        if role == Qt.ToolTipRole and column == 3:
            return item.title
        if role == Qt.ToolTipRole and column == 4:
            return difficulties.links_text(item)
        if role == Qt.ForegroundRole and column == 2:
            return QBrush(QColor(STATUS_COLOURS.get(item.status, hex_of("black"))))
        if role == Qt.UserRole:
            return item.id
        return None


class DifficultyDialog(SavingDialog):
    """Nêu khó khăn, kiến nghị, and what it is about: a task, a programme, one of the unit's
    investment projects or a unit of the catalog (by default the unit itself)."""

    def __init__(self, parent, *, today: dt.date, tasks: list, programs=(), projects=(),
                 units=(), own_unit: str | None = None, about: str = "unit",
                 target=None, editing=None) -> None:
        from ctmtqg_desktop.services import difficulties

        super().__init__(parent)
        self.setObjectName("difficultyDialog")
        self.resize(680, 500)
        layout = QVBoxLayout(self)
        self.heading = QLabel(objectName="dialogTitle")
        layout.addWidget(self.heading)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        self.kind = QComboBox()
        self.kind.addItem("", "difficulty")
        self.kind.addItem("", "proposal")
        self.raised_on = date_edit(today)
        self.title = QLineEdit()
        apply_rules("difficulty", title=self.title)
        self.content = text_edit(90)
        self.proposal = text_edit(70)
        apply_rules("difficulty", content=self.content, proposal=self.proposal)
        self.about = QComboBox()
        for kind in difficulties.LINK_KINDS:
            self.about.addItem(difficulties.link_kind_label(kind), kind)
        self.targets: dict[str, QComboBox] = {}
        self.target_stack = QStackedWidget()
        for kind, items in (("task", [(i, t) for i, t in tasks]), ("program", programs),
                            ("project", projects), ("unit", units)):
            combo = QComboBox()
            combo.setMinimumContentsLength(40)
            combo.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
            for ident, text in items:
                combo.addItem(text if len(text) <= 110 else text[:109] + "…", ident)
                combo.setItemData(combo.count() - 1, text, Qt.ToolTipRole)
            self.targets[kind] = combo
            self.target_stack.addWidget(combo)
        unit_combo = self.targets["unit"]
        unit_combo.setCurrentIndex(max(0, unit_combo.findData(own_unit)))
        self.about.setCurrentIndex(max(0, self.about.findData(about)))
        if target is not None:
            chosen = self.targets[self.about.currentData()]
            chosen.setCurrentIndex(max(0, find_data(chosen, target)))
        #: the links of the difficulty being corrected: those not shown are kept
        self.original_links = dict.fromkeys(("task_id", "program_id", "project_id",
                                             "unit_id"))
        self.shown_kind = about
        if editing is not None:
            self._fill(editing)
        self.about.currentIndexChanged.connect(self._about_changed)
        self.labels = [QLabel() for _i in range(7)]
        for label, widget in zip(self.labels, (self.kind, self.raised_on, self.title,
                                               self.content, self.proposal, self.about,
                                               self.target_stack)):
            form.addRow(label, widget)
        layout.addLayout(form)
        self.message = QLabel(wordWrap=True, objectName="formMessage")
        layout.addWidget(self.message)
        layout.addStretch(1)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        translate_buttons(self.buttons)
        layout.addWidget(self.buttons)
        self.setWindowTitle(_("Difficulties and proposals"))
        self.heading.setText(_("Correct the difficulty or proposal") if editing is not None
                             else _("Raise a difficulty or proposal"))
        self.kind.setItemText(0, _("Difficulty"))
        self.kind.setItemText(1, _("Proposal"))
        for label, text in zip(self.labels, (_("Kind"), _("Date"), _("Title"), _("Content"),
                                             _("What we ask for"), _("About"),
                                             _("Which one"))):
            label.setText(text)
        self._about_changed()
        self.title.setFocus()
        #: refusals naming what it is about are shown under "Which one" (issue 15)
        self.refusal_fields = dict.fromkeys(
            (_("Task"), _("Programme"), _("Project"), _("Unit")), self.target_stack)

    def _fill(self, item) -> None:
        """Show a difficulty to correct: its texts, and the first of its links."""
        self.kind.setCurrentIndex(max(0, self.kind.findData(item.kind)))
        self.raised_on.setDate(item.raised_on)
        self.title.setText(item.title)
        self.content.setPlainText(item.content)
        self.proposal.setPlainText(item.proposal)
        self.original_links = {"task_id": item.task_id, "program_id": item.program_id,
                               "project_id": item.project_id, "unit_id": item.unit_id}
        for kind in ("task", "project", "program", "unit"):
            target = self.original_links[f"{kind}_id"]
            combo = self.targets[kind]
            if target is not None and find_data(combo, target) >= 0:
                self.shown_kind = kind
                self.about.setCurrentIndex(max(0, self.about.findData(kind)))
                combo.setCurrentIndex(find_data(combo, target))
                break

    def _about_changed(self, *_args) -> None:
        combo = self.targets[self.about.currentData()]
        self.target_stack.setCurrentWidget(combo)
        empty = combo.count() == 0
        self.message.setText({
            "task": _("There is no open task to link it to."),
            "project": _("The unit has no project yet; choose another link."),
        }.get(self.about.currentData(), "") if empty else "")
        self.buttons.button(QDialogButtonBox.Save).setEnabled(not empty)

    def accept(self) -> None:
        problem = self.raised_on.error()  # a date not typed right is refused, never guessed
        if problem:
            self.message.setText(problem)
            self.raised_on.setFocus()
            return
        super().accept()

    def values(self) -> dict:
        about = self.about.currentData()
        links = dict(self.original_links)
        links[f"{self.shown_kind}_id"] = None  # replaced by what is chosen now
        links[f"{about}_id"] = self.targets[about].currentData()
        return dict(kind=self.kind.currentData(), raised_on=self.raised_on.date().toPython(),
                    title=self.title.text(), content=self.content.toPlainText(),
                    proposal=self.proposal.toPlainText(), **links)

    @classmethod
    def ask(cls, parent, save=None, **options):
        from ctmtqg_desktop.gui.drafts import keep_form_drafts

        dialog = cls(parent, **options)
        ask_before_discarding(dialog)  # Esc asks before losing what was typed
        editing = options.get("editing")  # the typing is kept as a draft of that record
        keep_form_drafts(dialog, str(editing.id) if editing is not None else "new")
        return dialog.answer(save)  # with save: saved in the form (issue 15)


class DifficultiesPage(Page):
    def build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(16, 12, 16, 10)
        self.add_button = QPushButton(objectName="primary")
        self.add_button.clicked.connect(lambda: self.add_difficulty())
        self.add_header(outer, self.add_button)
        filters = QHBoxLayout()
        self.search = QLineEdit(clearButtonEnabled=True)
        self.status = QComboBox()
        # a parent unit's list gathers every child unit's items: a unit filter and column
        self.parent_desk = self.context.role == "parent"
        self.unit = QComboBox()
        self.unit.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.unit.setVisible(self.parent_desk)
        filters.addWidget(self.search, 3)
        filters.addWidget(self.unit, 0)
        filters.addWidget(self.status, 1)
        outer.addLayout(filters)
        self.search.textChanged.connect(self.reload)
        self.status.currentIndexChanged.connect(self.reload)
        self.unit.currentIndexChanged.connect(self.reload)
        splitter = QSplitter()
        self.model = DifficultyModel(self, show_unit=self.parent_desk)
        self.table = row_view(QTableView(), self.model)
        self.title_column = 3 + self.parent_desk
        self.table.horizontalHeader().setSectionResizeMode(self.title_column,
                                                           QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().currentRowChanged.connect(self._show)
        splitter.addWidget(self.table)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        self.detail = QTextBrowser()
        right_layout.addWidget(self.detail, 1)
        actions = QHBoxLayout()
        actions.addStretch(1)
        # a parent unit answers its child units' difficulties (issue 7)
        self.answer_button = QPushButton(objectName="primary")
        self.answer_button.clicked.connect(self.answer)
        self.answer_button.setVisible(self.context.role == "parent")
        actions.addWidget(self.answer_button)
        self.edit_button = QPushButton()
        self.edit_button.clicked.connect(self.edit_difficulty)
        actions.addWidget(self.edit_button)
        self.resolve_button = QPushButton()
        self.resolve_button.clicked.connect(self.toggle_resolved)
        actions.addWidget(self.resolve_button)
        right_layout.addLayout(actions)
        splitter.addWidget(right)
        splitter.setSizes([680, 420])
        outer.addWidget(splitter, 1)
        self.message = QLabel(wordWrap=True, objectName="formMessage")
        outer.addWidget(self.message)
        self.loaded = False

    def retranslate(self) -> None:
        from ctmtqg_desktop.services import difficulties

        self.title.setText(_("Difficulties and proposals"))
        if self.context.role == "parent":
            self.subtitle.setText(_("The difficulties and proposals the child units sent up, "
                                    "and our own; an answer goes down with the next package."))
        else:
            self.subtitle.setText(_("What blocks us and what we ask of the parent unit; its "
                                    "answers arrive with the synchronisation packages."))
        self.add_button.setText(_("Raise a difficulty"))
        self.answer_button.setText(_("&Answer…"))
        self.edit_button.setText(_("&Correct…"))
        self.edit_button.setToolTip(_("Correct a difficulty of ours that is not resolved; one "
                                      "already sent goes up again with the next package."))
        self.search.setPlaceholderText(_("Search (diacritics optional)… Ctrl+F"))
        current = self.status.currentData()
        self.status.blockSignals(True)
        self.status.clear()
        self.status.addItem(_("Any status"), None)
        for status in difficulties.STATUSES:
            self.status.addItem(difficulties.status_label(status), status)
        self.status.setCurrentIndex(max(0, self.status.findData(current)))
        self.status.blockSignals(False)
        headers = [_("Date"), _("Kind"), _("Status"), _("Title"), _("About")]
        if self.parent_desk:
            headers.insert(1, _("Unit"))
            self.unit.setToolTip(_("Only the items of one child unit"))
            if self.unit.count():
                self.unit.setItemText(0, _("Every unit"))
        self.model.set_headers(headers)
        self._update_button()

    def focus_search(self) -> bool:
        self.search.setFocus()
        self.search.selectAll()
        return True

    def activate(self) -> None:
        self.loaded = True
        self.reload()

    def reload(self, *_args) -> None:
        if not self.loaded:
            return
        workspace = self.workspace
        query = {"text": self.search.text(), "status": self.status.currentData()}
        keep = self.current_id()
        only_unit = self.unit.currentData() if self.parent_desk else None
        want_names = self.parent_desk

        def load():
            from ctmtqg_desktop.services import catalog, difficulties

            items = difficulties.list_difficulties(workspace, query=query)
            names = {u.id: u.title for u in catalog.all_units(workspace)} if want_names \
                else {}
            return items, names

        def loaded(found: tuple[list[DifficultyInfo], dict[str, str]]) -> None:
            items, names = found
            if self.parent_desk:
                self.model.unit_names = names
                self._fill_units(items, names)
                if only_unit:
                    items = [i for i in items if i.owner_unit_id == only_unit]
            self.model.set_items(items)
            for column in range(self.title_column):
                self.table.resizeColumnToContents(column)
            # what it is about: a short column (the whole text is in its tooltip and the
            # detail); the title takes the rest
            self.table.setColumnWidth(self.title_column + 1, 150)
            if self.parent_desk:  # the unit's column takes room: kind and links narrower
                self.table.setColumnWidth(2, min(self.table.columnWidth(2), 90))
                self.table.setColumnWidth(self.title_column + 1, 125)
            rows = [i for i, item in enumerate(items) if item.id == keep] or ([0] if items
                                                                               else [])
            if rows:
                self.table.selectRow(rows[0])
            else:
                self.detail.setHtml("<p>" + html.escape(_("Nothing to show.")) + "</p>")
            self._update_button()

        self.context.runner.run(load, on_done=loaded, on_error=self.message.setText)

    def _fill_units(self, items: list[DifficultyInfo], names: dict[str, str]) -> None:
        """The unit filter: every unit that has an item, whatever the other filters say."""
        current = self.unit.currentData()
        units = sorted({i.owner_unit_id for i in items} | ({current} if current else set()),
                       key=lambda ident: names.get(ident, ident))
        wanted = [None, *units]
        if [self.unit.itemData(r) for r in range(self.unit.count())] != wanted:
            self.unit.blockSignals(True)
            self.unit.clear()
            self.unit.addItem(_("Every unit"), None)
            for ident in units:
                self.unit.addItem(names.get(ident, ident), ident)
            self.unit.setCurrentIndex(max(0, self.unit.findData(current)))
            self.unit.blockSignals(False)

    def current_item(self):
        index = self.table.currentIndex()
        return self.model.items[index.row()] if index.isValid() and \
            index.row() < len(self.model.items) else None

    def current_id(self):
        item = self.current_item()
        return item.id if item else None

    def _update_button(self) -> None:
        item = self.current_item()
        own = self.workspace.installation().unit_id
        self.resolve_button.setEnabled(item is not None and item.owner_unit_id == own)
        self.edit_button.setEnabled(item is not None and item.owner_unit_id == own
                                    and item.status != "resolved")
        self.answer_button.setEnabled(item is not None and item.owner_unit_id != own
                                      and item.status in ("new", "sent"))
        self.resolve_button.setText(_("Reopen") if item is not None and
                                    item.status == "resolved" else _("Mark as resolved"))

    def _show(self, *_args) -> None:
        self._update_button()
        item = self.current_item()
        if item is not None:
            self.detail.setHtml(self.detail_html(item))

    def detail_html(self, item) -> str:
        from ctmtqg_desktop.services import difficulties

        e = html.escape
        colour = STATUS_COLOURS.get(item.status, hex_of("black"))
        labels = [_("What we ask for"), "", "", _("Answers of the parent unit"),
                  _("No answer yet.")]
        parts = [f"<h3 style='margin:0'>{e(item.title)}</h3>"]
        own = self.workspace.installation()
        if self.parent_desk and own is not None and item.owner_unit_id != own.unit_id:
            unit = self.model.unit_names.get(item.owner_unit_id, item.owner_unit_id)
            raised_by = _("Raised by")
            parts.append(f"<p><b>{e(raised_by)}:</b> {e(unit)}</p>")
        parts += [f"<p><span style='color:{colour};font-weight:600'>"
                 f"{e(difficulties.status_label(item.status))}</span> · "
                 f"{e(difficulties.kind_label(item.kind))} · {format_date(item.raised_on)}"]
        if item.sent_on:
            parts.append(" · " + e(_("sent on {date}").format(date=format_date(item.sent_on))))
        if item.resolved_on:
            parts.append(" · " + e(_("resolved on {date}").format(
                date=format_date(item.resolved_on))))
        parts.append("</p>")
        if item.content:
            parts.append(f"<p>{e(item.content)}</p>")
        if item.proposal:
            parts.append(f"<p><b>{e(labels[0])}:</b> {e(item.proposal)}</p>")
        for kind, label in item.links:
            parts.append(f"<p><b>{e(difficulties.link_kind_label(kind))}:</b> {e(label)}</p>")
        parts.append(f"<h4>{e(labels[3])}</h4>")
        if not item.answers:
            parts.append(f"<p style='color:{hex_of('muted')}'>{e(labels[4])}</p>")
        for answer in item.answers:
            parts.append(
                f"<div style='background:{hex_of('good-background')}; padding:6px; "
                "margin-bottom:6px'>"
                f"<b>{e(answer.answered_by)}</b>, {format_date(answer.answered_on)}"
                + (f"<br><i>{e(answer.document_ref)}</i>" if answer.document_ref else "")
                + f"<br>{e(answer.content)}</div>")
        return "".join(parts)

    def answer(self) -> None:
        """The parent unit answers the selected child unit's difficulty."""
        item = self.current_item()
        if item is None or item.owner_unit_id == self.workspace.installation().unit_id:
            return
        workspace = self.workspace
        from ctmtqg_desktop.services import catalog


        def store(values):
            from ctmtqg_desktop.services import parent as parent_service

            return parent_service.answer(workspace, item.id, **values)

        # saved while the form is open: a refusal stays in it, beside its field (issue 15)
        if parent_pages.ask_answer(self, unit_name=catalog.get_unit(
                workspace, item.owner_unit_id).title, title=item.title, content=item.content,
                proposal=item.proposal, today=workspace.today(), save=store) is None:
            return
        self.context.notify(_("The answer goes with the next package to the unit."))
        self.message.clear()
        self.reload()

    def toggle_resolved(self) -> None:
        item = self.current_item()
        if item is None:
            return
        workspace = self.workspace
        resolved = item.status != "resolved"

        def store():
            from ctmtqg_desktop.services import difficulties

            return difficulties.resolve_difficulty(workspace, item.id, resolved=resolved)

        self.context.runner.run(store, on_done=lambda _r: self.reload(),
                                on_error=self.message.setText)

    def edit_difficulty(self) -> None:
        item = self.current_item()
        if item is None or not self.edit_button.isEnabled():
            return
        self.add_difficulty(editing=item)

    def add_difficulty(self, editing=None) -> None:
        workspace = self.workspace

        def load_choices():
            from ctmtqg_desktop.services import catalog
            from ctmtqg_desktop.services import tasks as tasks_service

            ids = tasks_service.task_ids(workspace, {"open_only": True})
            rows = tasks_service.task_rows(workspace, ids)
            options = tasks_service.filter_options(workspace)
            today = workspace.today()
            units = [(u.id, ", ".join((u.title, *u.ancestors[:1])))
                     for u in catalog.all_units(workspace) if u.valid_on(today)]
            return dict(tasks=[(i, rows[i].text) for i in ids], programs=options.programs,
                        projects=options.projects, units=units,
                        own_unit=workspace.installation().unit_id)

        def ask(choices) -> None:
            def store(values):
                from ctmtqg_desktop.services import difficulties

                return difficulties.save_difficulty(
                    workspace, difficulty_id=editing.id if editing else None, **values)

            # saved while the form is open: a refusal stays in it, beside its field
            if DifficultyDialog.ask(self, today=workspace.today(), editing=editing,
                                    save=store, **choices) is None:
                return
            self.context.notify(_("Saved."))
            self.message.clear()
            self.reload()

        self.context.runner.run(load_choices, on_done=ask, on_error=self.message.setText)
