"""Sổ tay hướng dẫn: the offline handbook. Pages by kind of project and by programme
component on the left (searchable without diacritics), the chosen page on the right: the
procedure step by step, the legal references, and the dossier template with its documents."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSplitter,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
)

from ctmtqg_desktop.gui.pages.base import Page
from ctmtqg_desktop.gui.palette import hex_of
from ctmtqg_desktop.i18n import _
from ctmtqg_desktop.services import catalog, dossiers, handbook

CONFIDENCE_COLOURS = {"confirmed": hex_of("good"), "partial": hex_of("due-soon"),
                      "unverified": hex_of("late")}


def _esc(text: str) -> str:
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def confidence_text(level: str) -> str:
    return {"confirmed": _("confirmed"), "partial": _("partly confirmed"),
            "unverified": _("not yet verified")}.get(level, level)


def _badge(level: str) -> str:
    colour = CONFIDENCE_COLOURS.get(level, hex_of("muted"))
    return f'<span style="color:{colour}">[{_esc(confidence_text(level))}]</span>'


def page_html(page: handbook.HandbookPage, template, steps: tuple[int, ...] = ()) -> str:
    """The page as HTML for the reader (steps matching a search are highlighted)."""
    label = {"content": _("Content"), "version": _("version {version}").format(
                 version=page.version),
             "procedure": _("Procedure, step by step"), "who": _("Who"),
             "legal": _("Legal basis"), "references": _("Legal references"),
             "sample": _("Sample dossier"), "sources": _("Sources")}
    label = {key: _esc(text) for key, text in label.items()}
    parts = [f"<h2>{_esc(page.title)}</h2>",
             f"<p><i>{label['content']}: {_badge(page.confidence)} · {label['version']}</i></p>"]
    if page.summary:
        parts.append(f"<p>{_esc(page.summary)}</p>")
    parts.append(f"<h3>{label['procedure']}</h3><ol>")
    for index, step in enumerate(page.steps):
        style = f' style="background:{hex_of("notice")}"' if index in steps else ""
        parts.append(f"<li{style}><b>{_esc(step.title)}</b><br>{_esc(step.body)}")
        if step.who:
            parts.append(f"<br><i>{label['who']}:</i> {_esc(step.who)}")
        if step.legal:
            parts.append(f"<br><i>{label['legal']}:</i> {_esc(step.legal)}")
        parts.append("</li>")
    parts.append("</ol>")
    if page.legal_references:
        parts.append(f"<h3>{label['references']}</h3><ul>")
        for reference in page.legal_references:
            note = f" ({_esc(reference.note)})" if reference.note else ""
            parts.append(f"<li>{_esc(reference.title)}{note} {_badge(reference.confidence)}</li>")
        parts.append("</ul>")
    if template is not None:
        spec = template
        where = _esc(_("Province {province}, version {version}").format(
            province=spec.province, version=spec.version))
        parts.append(f"<h3>{label['sample']}: {_esc(spec.title)}</h3>")
        parts.append(f"<p><i>{where} {_badge(spec.confidence)}</i></p>")
        parts.append('<table border="1" cellspacing="0" cellpadding="4" width="100%">')
        parts.append("<tr>" + "".join(f"<th>{_esc(h)}</th>" for h in (
            _("Document"), _("Required"), _("Legal basis"), _("Prepared by"), _("Signed by"),
            _("Form"))) + "</tr>")
        for stage in spec.stages:
            parts.append(f'<tr><td colspan="6" style="background:{hex_of("hover")}"><b>'
                         f"{_esc(dossiers.stage_label(stage))}</b></td></tr>")
            for document in spec.stage_documents(stage):
                parts.append("<tr>" + "".join(f"<td>{_esc(v)}</td>" for v in (
                    document.name, _("Yes") if document.required else _("Optional"),
                    document.legal_basis, document.prepared_by, document.signed_by or "—",
                    _("Yes") if document.form else "")) + "</tr>")
        parts.append("</table>")
        if spec.sources:
            parts.append(f"<p><i>{label['sources']}:</i></p><ul>"
                         + "".join(f"<li>{_esc(s)}</li>" for s in spec.sources) + "</ul>")
    return "".join(parts)


class HandbookPage(Page):
    #: set by another page before navigating here: show the page of this project kind
    requested_kind: str | None = None

    def build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 14, 20, 12)
        self.add_header(layout)
        bar = QHBoxLayout()
        self.search = QLineEdit(clearButtonEnabled=True)
        self.search.textChanged.connect(self._filter)
        self.result = QLabel(objectName="muted")
        bar.addWidget(self.search, 1)
        bar.addWidget(self.result)
        layout.addLayout(bar)
        splitter = QSplitter()
        self.tree = QTreeWidget()
        self.tree.setHeaderHidden(True)
        self.tree.setWordWrap(True)
        self.tree.currentItemChanged.connect(self._show)
        self.reader = QTextBrowser()
        self.reader.setOpenExternalLinks(False)
        splitter.addWidget(self.tree)
        splitter.addWidget(self.reader)
        splitter.setSizes([380, 760])
        splitter.setChildrenCollapsible(False)
        layout.addWidget(splitter, 1)
        self.pages: list[handbook.HandbookPage] = []
        self.templates: dict = {}
        self.hits: dict[str, tuple[int, ...]] = {}

    def retranslate(self) -> None:
        self.title.setText(_("Handbook"))
        self.subtitle.setText(_("Procedures, legal references and the sample dossier of each "
                                "kind of project and programme component. Works offline; the "
                                "parent unit sends updated pages."))
        self.search.setPlaceholderText(_("Search the handbook (diacritics optional), e.g. "
                                         "“nghiem thu”…"))

    def focus_search(self) -> bool:
        self.search.setFocus()
        self.search.selectAll()
        return True

    def activate(self) -> None:
        if self.pages:
            self._requested()
            return
        workspace = self.workspace
        self.loading = True

        def load():
            pages = handbook.load_pages(workspace)
            templates = {}
            for page in pages:
                for kind in page.kinds:
                    try:
                        info = dossiers.template_for_kind(workspace, kind)
                    except dossiers.NoTemplateForKind:
                        continue
                    templates[page.code] = dossiers.load_spec(workspace, info.id)
            return pages, templates, catalog.program_tree(workspace)

        self.context.runner.run(load, on_done=self._loaded, on_error=self._failed)

    def _failed(self, message: str) -> None:
        self.loading = False
        self.reader.setPlainText(message)

    def _loaded(self, loaded) -> None:
        self.pages, self.templates, programs = loaded
        self.tree.clear()
        general = QTreeWidgetItem(self.tree, [_("General guidance")])
        by_kind = QTreeWidgetItem(self.tree, [_("By kind of project")])
        by_program = QTreeWidgetItem(self.tree, [_("By programme component")])
        for group in (general, by_kind, by_program):
            font = group.font(0)
            font.setBold(True)
            group.setFont(0, font)
            group.setExpanded(True)
        for page in self.pages:
            parent = by_kind if page.kinds else general
            self._page_item(parent, page.title, page)
        for program in programs:
            nodes = [node for node in program.walk() if node.level != "program"
                     and any(node.id in p.components and p.kinds for p in self.pages)]
            if not nodes:
                continue
            program_item = QTreeWidgetItem(by_program, [program.name])
            program_item.setToolTip(0, program.name)
            for node in nodes:
                for page in self.pages:
                    if node.id in page.components and page.kinds:
                        self._page_item(program_item, f"{node.code}: {node.name}", page)
        self.loading = False
        self._filter(self.search.text())
        if not self._requested():
            self.tree.setCurrentItem(general.child(0) if general.childCount() else by_kind)

    def _page_item(self, parent, label: str, page) -> QTreeWidgetItem:
        item = QTreeWidgetItem(parent, [label])
        item.setData(0, Qt.UserRole, page.code)
        item.setToolTip(0, label)
        return item

    def _requested(self) -> bool:
        kind = HandbookPage.requested_kind
        HandbookPage.requested_kind = None
        if not kind:
            return False
        page = handbook.page_for_kind(self.pages, kind)
        if page is None:
            return False
        self.search.clear()
        self.show_page(page.code)
        return True

    def show_page(self, code: str) -> None:
        for item in self._items():
            if item.data(0, Qt.UserRole) == code:
                self.tree.setCurrentItem(item)
                return

    def _items(self):
        stack = [self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount())]
        while stack:
            item = stack.pop(0)
            yield item
            stack[0:0] = [item.child(i) for i in range(item.childCount())]

    def _filter(self, text: str) -> None:
        hits = handbook.search(self.pages, text)
        self.hits = {hit.page.code: hit.steps for hit in hits}
        shown = set(self.hits)
        for item in self._items():
            code = item.data(0, Qt.UserRole)
            if code is not None:
                item.setHidden(code not in shown)
        for item in self._items():  # groups without a visible page are hidden too
            if item.data(0, Qt.UserRole) is None:
                item.setHidden(not any(not child.isHidden() for child in _descendants(item)
                                       if child.data(0, Qt.UserRole) is not None))
        self.result.setText(_("{count} pages").format(count=len(shown)) if text.strip() else "")
        current = self.tree.currentItem()
        if current is None or current.isHidden():
            first = next((i for i in self._items() if i.data(0, Qt.UserRole) and
                          not i.isHidden()), None)
            if first is not None:
                self.tree.setCurrentItem(first)
        else:
            self._show(current)

    def _show(self, item, _previous=None) -> None:
        if item is None:
            return
        code = item.data(0, Qt.UserRole)
        page = next((p for p in self.pages if p.code == code), None)
        if page is None:
            return
        self.reader.setHtml(page_html(page, self.templates.get(code), self.hits.get(code, ())))

    def current_code(self) -> str | None:
        item = self.tree.currentItem()
        return item.data(0, Qt.UserRole) if item else None


def _descendants(item):
    for i in range(item.childCount()):
        child = item.child(i)
        yield child
        yield from _descendants(child)
