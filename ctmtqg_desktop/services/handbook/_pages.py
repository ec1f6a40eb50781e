"""Sổ tay hướng dẫn: the offline handbook, one page per programme component or project kind.

The directive of 2023 asks the host agencies for "a detailed handbook integrating the
guidance, procedures and a sample dossier set for each project, sub-project and component".
A page holds the procedure step by step (who does what, on which legal basis), the legal
references (each marked confirmed, partial or unverified) and names the dossier template it
goes with. Pages are data: shipped in ``resources/handbook`` and updated by pages the parent
unit sends down (:func:`install_page` keeps them in the workspace's ``handbook/`` folder; a
higher version replaces a lower one). Search ignores diacritics.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ctmtqg_desktop.domain import located_yaml
from ctmtqg_desktop.domain.errors import UserError
from ctmtqg_desktop.domain.located_yaml import LocatedDict, LocatedList
from ctmtqg_desktop.domain.text import fold, normalize, search_terms
from ctmtqg_desktop.i18n import N_, _
from ctmtqg_desktop.resource_paths import resource_path
from ctmtqg_desktop.store.atomic_files import write_text_atomic
from ctmtqg_desktop.store.workspace import Workspace

CONFIDENCE = ("confirmed", "partial", "unverified")
WORKSPACE_FOLDER = "handbook"
#: a page's code: a plain identifier, because it names the page's file (issue 12: a code
#: ``../../x`` sent by a parent wrote outside the workspace)
PAGE_CODE = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}", re.ASCII)


class HandbookPageInvalid(UserError):
    template = N_("The handbook page {file} is invalid at line {line}: {reason}")


class HandbookVersionConflict(UserError):
    template = N_("The handbook page “{code}” version {version} is not newer than the one "
                  "installed (version {installed}); nothing was changed.")


@dataclass(frozen=True)
class HandbookStep:
    title: str
    body: str
    who: str
    legal: str


@dataclass(frozen=True)
class LegalReference:
    title: str
    confidence: str
    note: str = ""


@dataclass(frozen=True)
class HandbookPage:
    code: str
    version: int
    title: str
    confidence: str
    kinds: tuple[str, ...]
    components: tuple[str, ...]
    template: str
    summary: str
    steps: tuple[HandbookStep, ...]
    legal_references: tuple[LegalReference, ...]
    #: shipped, or package (sent down by the parent unit)
    origin: str
    file: str

    @property
    def folded(self) -> str:
        parts = [self.title, self.summary]
        for step in self.steps:
            parts += [step.title, step.body, step.who, step.legal]
        parts += [r.title for r in self.legal_references]
        return fold(" ".join(parts))


def _fail(file: str, line: int, reason: str):
    raise HandbookPageInvalid(file=file, line=line, reason=reason)


def _text(node: LocatedDict, key: str, file: str, *, required: bool = True) -> str:
    value = node.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            _fail(file, node.line_of(key), _("“{key}” is missing").format(key=key))
        return ""
    if not isinstance(value, (str, int)):
        _fail(file, node.line_of(key), _("“{key}” must be text").format(key=key))
    return normalize(str(value))


def _list(node: LocatedDict, key: str, file: str) -> LocatedList:
    value = node.get(key, LocatedList())
    if not isinstance(value, LocatedList):
        _fail(file, node.line_of(key), _("“{key}” must be a list").format(key=key))
    return value


def parse_page(text: str, *, file: str, origin: str = "shipped") -> HandbookPage:
    """Read and check one page; a bad page is refused with its file, line and reason."""
    try:
        node = located_yaml.load(text)
    except located_yaml.YamlSyntaxError as error:
        _fail(file, error.line, _("this is not valid YAML ({problem})").format(
            problem=error.problem))
    if not isinstance(node, LocatedDict):
        _fail(file, 1, _("a handbook page must be a mapping of keys and values"))
    allowed = ("code", "version", "title", "confidence", "kinds", "components", "template",
               "summary", "steps", "legal_references")
    for key in node:
        if key not in allowed:
            _fail(file, node.line_of(key), _("unknown key “{key}”").format(key=key))
    version = node.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        _fail(file, node.line_of("version"), _("“version” must be a whole number from 1"))
    confidence = _text(node, "confidence", file)
    if confidence not in CONFIDENCE:
        _fail(file, node.line_of("confidence"), _("unknown confidence “{value}”").format(
            value=confidence))
    steps = []
    steps_node = _list(node, "steps", file)
    if not steps_node:
        _fail(file, node.line_of("steps"), _("a page needs at least one step"))
    for index, item in enumerate(steps_node):
        if not isinstance(item, LocatedDict):
            _fail(file, steps_node.line_of(index), _("a step must be a mapping"))
        steps.append(HandbookStep(_text(item, "title", file), _text(item, "body", file),
                                  _text(item, "who", file, required=False),
                                  _text(item, "legal", file, required=False)))
    references = []
    references_node = _list(node, "legal_references", file)
    for index, item in enumerate(references_node):
        if not isinstance(item, LocatedDict):
            _fail(file, references_node.line_of(index), _("a legal reference must be a mapping"))
        level = _text(item, "confidence", file)
        if level not in CONFIDENCE:
            _fail(file, item.line_of("confidence"), _("unknown confidence “{value}”").format(
                value=level))
        references.append(LegalReference(_text(item, "title", file), level,
                                         _text(item, "note", file, required=False)))
    code = _text(node, "code", file)
    if not PAGE_CODE.fullmatch(code):
        _fail(file, node.line_of("code"), _("“code” must be a plain identifier (lowercase "
                                            "letters, digits, “_” and “-”)"))
    return HandbookPage(
        code=code, version=version, title=_text(node, "title", file),
        confidence=confidence,
        kinds=tuple(str(k) for k in _list(node, "kinds", file)),
        components=tuple(str(c) for c in _list(node, "components", file)),
        template=_text(node, "template", file, required=False),
        summary=_text(node, "summary", file, required=False), steps=tuple(steps),
        legal_references=tuple(references), origin=origin, file=file)


def _folders(workspace: Workspace | None) -> list[tuple[Path, str]]:
    folders = [(resource_path("handbook"), "shipped")]
    if workspace is not None:
        folders.append((workspace.folder / WORKSPACE_FOLDER, "package"))
    return folders


def load_pages(workspace: Workspace | None = None) -> list[HandbookPage]:
    """Every page, the newest version of each code; the general page first, then by title."""
    pages: dict[str, HandbookPage] = {}
    for folder, origin in _folders(workspace):
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.yaml")):
            page = parse_page(path.read_text(encoding="utf-8"), file=path.name, origin=origin)
            if page.code not in pages or pages[page.code].version < page.version:
                pages[page.code] = page
    return sorted(pages.values(), key=lambda p: (p.code != "general", fold(p.title)))


def page_path(workspace: Workspace, page: HandbookPage) -> Path:
    """Where a received page is kept: a name made from its checked code and version, inside
    the workspace's handbook folder (anything else is refused, never written)."""
    if not PAGE_CODE.fullmatch(page.code) or type(page.version) is not int:
        _fail(page.file, 1, _("“code” must be a plain identifier (lowercase letters, digits, "
                              "“_” and “-”)"))
    folder = workspace.folder / WORKSPACE_FOLDER
    target = folder / f"{page.code}.v{page.version}.yaml"
    if target.parent != folder:
        _fail(page.file, 1, _("“code” must be a plain identifier (lowercase letters, digits, "
                              "“_” and “-”)"))
    return target


def install_page(workspace: Workspace, text: str, *, name: str) -> HandbookPage:
    """Install a page sent down by the parent unit (a newer version replaces the older)."""
    page = parse_page(text, file=name, origin="package")
    installed = {p.code: p for p in load_pages(workspace)}
    current = installed.get(page.code)
    if current is not None and current.version >= page.version:
        raise HandbookVersionConflict(code=page.code, version=page.version,
                                      installed=current.version)
    write_text_atomic(page_path(workspace, page),
                      text)
    return page


@dataclass(frozen=True)
class SearchHit:
    page: HandbookPage
    #: indexes of the steps that match (empty: the title, summary or references matched)
    steps: tuple[int, ...]


def search(pages: list[HandbookPage], query: str) -> list[SearchHit]:
    """Pages where every word of ``query`` occurs (diacritics and case ignored)."""
    terms = search_terms(query)
    hits = []
    for page in pages:
        if not all(term in page.folded for term in terms):
            continue
        steps = tuple(i for i, step in enumerate(page.steps) if terms and any(
            term in fold(f"{step.title} {step.body} {step.who} {step.legal}") for term in terms))
        hits.append(SearchHit(page, steps))
    return hits


def page_for_kind(pages: list[HandbookPage], kind: str) -> HandbookPage | None:
    return next((p for p in pages if kind in p.kinds), None)


def pages_for_component(pages: list[HandbookPage], component_id: str) -> list[HandbookPage]:
    """Pages naming this component or one of its ancestors (a programme's general page)."""
    return [p for p in pages if any(component_id == c or component_id.startswith(c + "/")
                                    for c in p.components)]
