"""Bộ hồ sơ mẫu: the dossier template of a kind of project, read from YAML and checked.

Since Nghị định 38/2023/NĐ-CP (amending Nghị định 27/2022/NĐ-CP, art. 21-22) the Provincial
People's Council sets the dossier templates, so a template is data: it names its province
and version, and the parent unit can send a newer version down. A template lists, per stage
(chuẩn bị, phê duyệt, thực hiện, nghiệm thu, quyết toán), the documents required or
optional, each with its legal basis, who prepares it and who signs it; a document the
commune fills in has a *form*: typed fields with their checks, and a printable layout.

A bad template is refused with its file, line and reason (:class:`TemplateInvalid`).
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from typing import Any, NoReturn

from ctmtqg_desktop.domain import located_yaml
from ctmtqg_desktop.domain.errors import UserError
from ctmtqg_desktop.domain.located_yaml import LocatedDict, LocatedList
from ctmtqg_desktop.i18n import N_, _

STAGES = ("preparation", "approval", "implementation", "acceptance", "settlement")
FIELD_TYPES = ("text", "number", "money", "date", "time", "choice", "households", "signature")
CONFIDENCE = ("confirmed", "partial", "unverified")
#: Field types an older installation cannot read, with the first data version (the Alembic
#: revision of the release) that reads them. A parent holds a template that uses one back
#: from a child whose installations last reported an older data version: the child would
#: refuse the whole package (``bad_references``) and receive nothing else either
#: (docs/sync-format.md, section 7b). ``time`` came with the minutes' templates, version 2.
FIELD_TYPE_SINCE = {"time": "0901_stored_text"}
RULE_KINDS = ("le", "lt", "ge", "gt")
#: placeholders a layout may use besides its own fields (filled from the dossier)
CONTEXT_PLACEHOLDERS = ("commune", "commune_upper", "district", "province", "project", "village",
                        "year")
_CODE = re.compile(r"^[a-z][a-z0-9_]{0,59}$")
_TEMPLATE_CODE = re.compile(r"^[a-z][a-z0-9_.\-]{0,59}$")


class TemplateInvalid(UserError):
    exit_code = 1
    template = N_("The dossier template {file} is invalid at line {line}: {reason}")


@dataclass(frozen=True)
class FormField:
    key: str
    label: str
    type: str
    required: bool = False
    help: str = ""
    minimum: int | None = None
    maximum: int | None = None
    max_length: int | None = None
    pattern: str | None = None
    pattern_message: str = ""
    options: tuple[str, ...] = ()
    #: signature: the signing roles, left to right ("Đại diện tổ nhóm", "Chủ tịch UBND xã")
    roles: tuple[str, ...] = ()
    multiline: bool = False


@dataclass(frozen=True)
class FormRule:
    """A check between two fields: ``left`` ≤ / < / ≥ / > ``right``."""

    kind: str
    left: str
    right: str
    message: str


@dataclass(frozen=True)
class LayoutItem:
    #: heading, text (with {placeholders}), field (value: a tuple of field keys),
    #: households, signatures (value: one field key)
    kind: str
    value: str | tuple[str, ...]


@dataclass(frozen=True)
class FormSpec:
    doc_type: str
    subject: str
    fields: tuple[FormField, ...]
    layout: tuple[LayoutItem, ...]
    rules: tuple[FormRule, ...] = ()
    #: the document's symbol after "Số: .../" (``BB-UBND``); empty for a citizen's form
    symbol: str = ""

    def field(self, key: str) -> FormField:
        return next(f for f in self.fields if f.key == key)


@dataclass(frozen=True)
class TemplateDocument:
    code: str
    name: str
    stage: str
    required: bool
    legal_basis: str
    prepared_by: str
    signed_by: str
    confidence: str
    note: str = ""
    form: FormSpec | None = None


@dataclass(frozen=True)
class TemplateSpec:
    code: str
    version: int
    province: str
    kind: str
    title: str
    confidence: str
    sources: tuple[str, ...]
    documents: tuple[TemplateDocument, ...]
    note: str = ""
    handbook: str = ""

    @property
    def key(self) -> str:
        return f"{self.code}@{self.version}"

    def data_versions_needed(self) -> set[str]:
        """The data versions (``FIELD_TYPE_SINCE``) a receiver needs to read this template."""
        return {FIELD_TYPE_SINCE[field.type] for document in self.documents
                if document.form is not None for field in document.form.fields
                if field.type in FIELD_TYPE_SINCE}

    def stage_documents(self, stage: str) -> tuple[TemplateDocument, ...]:
        return tuple(d for d in self.documents if d.stage == stage)

    def document(self, code: str) -> TemplateDocument | None:
        return next((d for d in self.documents if d.code == code), None)

    @property
    def stages(self) -> tuple[str, ...]:
        present = {d.stage for d in self.documents}
        return tuple(s for s in STAGES if s in present)


class _Checker:
    """Reads one template, failing at the first problem with its line."""

    def __init__(self, file: str) -> None:
        self.file = file

    def fail(self, line: int, reason: str) -> NoReturn:
        raise TemplateInvalid(file=self.file, line=line, reason=reason)

    def mapping(self, value: Any, line: int, what: str) -> LocatedDict:
        if not isinstance(value, LocatedDict):
            self.fail(line, _("{what} must be a mapping of keys and values").format(what=what))
        return value

    def sequence(self, value: Any, line: int, what: str) -> LocatedList:
        if not isinstance(value, LocatedList):
            self.fail(line, _("{what} must be a list").format(what=what))
        return value

    def known_keys(self, node: LocatedDict, allowed: tuple[str, ...], what: str) -> None:
        for key in node:
            if key not in allowed:
                self.fail(node.line_of(key), _("unknown key “{key}” in {what} (allowed: "
                                               "{allowed})").format(key=key, what=what,
                                                                    allowed=", ".join(allowed)))

    def text(self, node: LocatedDict, key: str, *, required: bool = True,
             default: str = "") -> str:
        from ctmtqg_desktop.domain.text import normalize

        if key not in node or node[key] is None:
            if required:
                self.fail(node.line, _("“{key}” is missing").format(key=key))
            return default
        value = node[key]
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            self.fail(node.line_of(key), _("“{key}” must be text").format(key=key))
        text = normalize(str(value))
        if required and not text:
            self.fail(node.line_of(key), _("“{key}” is empty").format(key=key))
        return text

    def boolean(self, node: LocatedDict, key: str, default: bool) -> bool:
        if key not in node:
            return default
        value = node[key]
        if not isinstance(value, bool):
            self.fail(node.line_of(key), _("“{key}” must be true or false").format(key=key))
        return value

    def integer(self, node: LocatedDict, key: str) -> int | None:
        if key not in node or node[key] is None:
            return None
        value = node[key]
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(node.line_of(key), _("“{key}” must be a whole number").format(key=key))
        return value

    def choice(self, node: LocatedDict, key: str, allowed: tuple[str, ...], *,
               default: str | None = None) -> str:
        if key not in node and default is not None:
            return default
        value = self.text(node, key)
        if value not in allowed:
            self.fail(node.line_of(key), _("“{value}” is not one of: {allowed}").format(
                value=value, allowed=", ".join(allowed)))
        return value

    def code(self, node: LocatedDict, key: str, pattern: re.Pattern[str] = _CODE) -> str:
        value = self.text(node, key)
        if not pattern.match(value):
            self.fail(node.line_of(key), _("“{value}” is not a valid code (lower-case letters, "
                                           "digits and _)").format(value=value))
        return value


_TOP_KEYS = ("code", "version", "province", "kind", "title", "confidence", "sources", "note",
             "handbook", "stages")
_DOC_KEYS = ("code", "name", "required", "legal_basis", "prepared_by", "signed_by",
             "confidence", "note", "form")
_FORM_KEYS = ("doc_type", "subject", "symbol", "fields", "layout", "rules")
_FIELD_KEYS = ("key", "label", "type", "required", "help", "min", "max", "max_length",
               "pattern", "pattern_message", "options", "roles", "multiline")


def parse_template(text: str, *, file: str = "template.yaml") -> TemplateSpec:
    """Read and check a template; :class:`TemplateInvalid` names the file, line and reason."""
    check = _Checker(file)
    try:
        document = located_yaml.load(text)
    except located_yaml.YamlSyntaxError as error:
        reason = (_("a key is written twice") if error.problem == "duplicate"
                  else _("this is not valid YAML ({problem})").format(problem=error.problem))
        check.fail(error.line, reason)
    top = check.mapping(document, 1, _("the template"))
    check.known_keys(top, _TOP_KEYS, _("the template"))
    code = check.code(top, "code", _TEMPLATE_CODE)
    version = check.integer(top, "version")
    if version is None or version < 1:
        check.fail(top.line_of("version"), _("“version” must be a whole number from 1"))
    province = check.text(top, "province")
    if not province.isdigit():
        check.fail(top.line_of("province"), _("“province” must be the province's code, e.g. "
                                              "62"))
    kind = check.code(top, "kind")
    title = check.text(top, "title")
    confidence = check.choice(top, "confidence", CONFIDENCE)
    sources_node = check.sequence(top.get("sources", LocatedList()), top.line_of("sources"),
                                  "sources")
    sources = []
    for index, item in enumerate(sources_node):
        if not isinstance(item, str) or not item.strip():
            check.fail(sources_node.line_of(index), _("each source must be a line of text"))
        sources.append(item.strip())
    stages_node = check.sequence(top.get("stages"), top.line_of("stages"), "stages")
    if not stages_node:
        check.fail(top.line_of("stages"), _("a template needs at least one stage"))
    documents: list[TemplateDocument] = []
    seen_stages: list[str] = []
    seen_codes: set[str] = set()
    for index, stage_value in enumerate(stages_node):
        stage_node = check.mapping(stage_value, stages_node.line_of(index), _("a stage"))
        check.known_keys(stage_node, ("stage", "documents"), _("a stage"))
        stage = check.choice(stage_node, "stage", STAGES)
        if stage in seen_stages:
            check.fail(stage_node.line_of("stage"), _("the stage “{stage}” appears twice")
                       .format(stage=stage))
        if seen_stages and STAGES.index(stage) < STAGES.index(seen_stages[-1]):
            check.fail(stage_node.line_of("stage"), _("stages must follow the order: {order}")
                       .format(order=", ".join(STAGES)))
        seen_stages.append(stage)
        docs_node = check.sequence(stage_node.get("documents"), stage_node.line_of("documents"),
                                   "documents")
        if not docs_node:
            check.fail(stage_node.line_of("documents"), _("a stage needs at least one document"))
        for position, doc_value in enumerate(docs_node):
            doc = check.mapping(doc_value, docs_node.line_of(position), _("a document"))
            check.known_keys(doc, _DOC_KEYS, _("a document"))
            doc_code = check.code(doc, "code")
            if doc_code in seen_codes:
                check.fail(doc.line_of("code"), _("the document code “{code}” appears twice")
                           .format(code=doc_code))
            seen_codes.add(doc_code)
            form = _form(check, doc["form"], doc.line_of("form")) if doc.get("form") else None
            documents.append(TemplateDocument(
                code=doc_code, name=check.text(doc, "name"), stage=stage,
                required=check.boolean(doc, "required", True),
                legal_basis=check.text(doc, "legal_basis"),
                prepared_by=check.text(doc, "prepared_by"),
                signed_by=check.text(doc, "signed_by", required=False),
                confidence=check.choice(doc, "confidence", CONFIDENCE, default=confidence),
                note=check.text(doc, "note", required=False), form=form))
    return TemplateSpec(code=code, version=version, province=province, kind=kind, title=title,
                        confidence=confidence, sources=tuple(sources),
                        documents=tuple(documents),
                        note=check.text(top, "note", required=False),
                        handbook=check.text(top, "handbook", required=False))


def _form(check: _Checker, value: Any, line: int) -> FormSpec:
    node = check.mapping(value, line, _("a form"))
    check.known_keys(node, _FORM_KEYS, _("a form"))
    fields_node = check.sequence(node.get("fields"), node.line_of("fields"), "fields")
    if not fields_node:
        check.fail(node.line_of("fields"), _("a form needs at least one field"))
    fields: list[FormField] = []
    for index, item in enumerate(fields_node):
        fields.append(_field(check, item, fields_node.line_of(index)))
    keys = [f.key for f in fields]
    for index, key in enumerate(keys):
        if key in keys[:index]:
            check.fail(fields_node.line_of(index), _("the field “{key}” appears twice")
                       .format(key=key))
    by_key = {f.key: f for f in fields}
    rules: list[FormRule] = []
    rules_node = check.sequence(node.get("rules", LocatedList()), node.line_of("rules"), "rules")
    for index, item in enumerate(rules_node):
        rule = check.mapping(item, rules_node.line_of(index), _("a rule"))
        check.known_keys(rule, ("check", "left", "right", "message"), _("a rule"))
        kind = check.choice(rule, "check", RULE_KINDS)
        left, right = check.text(rule, "left"), check.text(rule, "right")
        for side, key in (("left", left), ("right", right)):
            if key not in by_key:
                check.fail(rule.line_of(side), _("the rule names an unknown field “{key}”")
                           .format(key=key))
            if by_key[key].type not in ("number", "money", "date", "time"):
                check.fail(rule.line_of(side), _("a rule can only compare numbers, amounts, "
                                                 "dates or times, not “{key}”").format(key=key))
        if by_key[left].type != by_key[right].type:
            check.fail(rule.line, _("a rule compares two fields of the same type"))
        rules.append(FormRule(kind, left, right, check.text(rule, "message")))
    layout = _layout(check, node, by_key)
    return FormSpec(doc_type=check.text(node, "doc_type"),
                    subject=check.text(node, "subject", required=False),
                    fields=tuple(fields), layout=layout, rules=tuple(rules),
                    symbol=check.text(node, "symbol", required=False))


def _field(check: _Checker, value: Any, line: int) -> FormField:
    node = check.mapping(value, line, _("a field"))
    check.known_keys(node, _FIELD_KEYS, _("a field"))
    kind = check.choice(node, "type", FIELD_TYPES)
    options: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    if kind == "choice":
        options_node = check.sequence(node.get("options"), node.line_of("options"), "options")
        if len(options_node) < 2:
            check.fail(node.line_of("options"), _("a choice needs at least two options"))
        options = tuple(str(o).strip() for o in options_node)
    elif "options" in node:
        check.fail(node.line_of("options"), _("only a choice field has options"))
    if kind == "signature":
        roles_node = check.sequence(node.get("roles"), node.line_of("roles"), "roles")
        if not 1 <= len(roles_node) <= 4:
            check.fail(node.line_of("roles"), _("a signature block has one to four signers"))
        roles = tuple(str(r).strip() for r in roles_node)
    minimum, maximum = check.integer(node, "min"), check.integer(node, "max")
    if (minimum is not None or maximum is not None) and kind not in ("number", "money"):
        check.fail(node.line_of("min" if "min" in node else "max"),
                   _("only a number or an amount has a minimum or maximum"))
    if minimum is not None and maximum is not None and minimum > maximum:
        check.fail(node.line_of("max"), _("the maximum is smaller than the minimum"))
    pattern = check.text(node, "pattern", required=False) or None
    if pattern is not None:
        if kind != "text":
            check.fail(node.line_of("pattern"), _("only a text field has a pattern"))
        try:
            re.compile(pattern)
        except re.error as error:
            check.fail(node.line_of("pattern"), _("the pattern is not a regular expression "
                                                  "({problem})").format(problem=error))
        if not check.text(node, "pattern_message", required=False):
            check.fail(node.line_of("pattern"), _("a pattern needs a “pattern_message” telling "
                                                  "the user what to write"))
    max_length = check.integer(node, "max_length")
    if max_length is not None and max_length < 1:
        check.fail(node.line_of("max_length"), _("“max_length” must be at least 1"))
    return FormField(key=check.code(node, "key"), label=check.text(node, "label"), type=kind,
                     required=check.boolean(node, "required", False),
                     help=check.text(node, "help", required=False), minimum=minimum,
                     maximum=maximum, max_length=max_length, pattern=pattern,
                     pattern_message=check.text(node, "pattern_message", required=False),
                     options=options, roles=roles,
                     multiline=check.boolean(node, "multiline", False))


def _placeholders(text: str) -> list[str]:
    try:
        return [name for _literal, name, _spec, _conv in string.Formatter().parse(text)
                if name is not None]
    except ValueError:
        return ["{"]


def _layout(check: _Checker, form: LocatedDict, by_key: dict[str, FormField]
            ) -> tuple[LayoutItem, ...]:
    if "layout" not in form:  # every field in order, tables and signatures where they fall
        items: list[LayoutItem] = []
        for f in by_key.values():
            kind = {"households": "households", "signature": "signatures"}.get(f.type, "field")
            items.append(LayoutItem(kind, (f.key,) if kind == "field" else f.key))
        return tuple(items)
    node = check.sequence(form["layout"], form.line_of("layout"), "layout")
    items = []
    allowed = ("heading", "text", "field", "fields", "households", "signatures")
    for index, value in enumerate(node):
        entry = check.mapping(value, node.line_of(index), _("a layout line"))
        if len(entry) != 1 or next(iter(entry)) not in allowed:
            check.fail(node.line_of(index), _("a layout line is one of: {allowed}").format(
                allowed=", ".join(allowed)))
        kind = next(iter(entry))
        line = entry.line_of(kind)
        if kind in ("heading", "text"):
            text = check.text(entry, kind)
            for name in _placeholders(text):
                if name not in by_key and name not in CONTEXT_PLACEHOLDERS:
                    check.fail(line, _("the text uses “{{{name}}}”, which is not a field of "
                                       "this form").format(name=name))
            items.append(LayoutItem(kind, text))
            continue
        keys = entry[kind]
        keys = tuple(str(k) for k in keys) if isinstance(keys, list) else (str(keys),)
        wanted = {"households": ("households",), "signatures": ("signature",)}.get(
            kind, ("text", "number", "money", "date", "time", "choice"))
        for key in keys:
            if key not in by_key:
                check.fail(line, _("the layout names an unknown field “{key}”").format(key=key))
            if by_key[key].type not in wanted:
                check.fail(line, _("the field “{key}” cannot be shown as “{kind}”").format(
                    key=key, kind=kind))
        items.append(LayoutItem("field", keys) if kind in ("field", "fields")
                     else LayoutItem(kind, keys[0]))
    return tuple(items)
