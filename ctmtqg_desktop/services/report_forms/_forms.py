"""Report forms as data (``resources/report_forms/<id>/form.yaml``, schema ``report-form/1``):
loading and checking.

A form is checked before it is used: its schema and id, its mark, its periods, every
table's columns (unique keys, known kinds, one cell rule each), every data-source reference
(a name of ``data-sources.yaml`` with parameters it accepts) and every formula (the table's
own column keys). A bad form is refused with a sentence that names the form, the line and
what is wrong; the other forms still load.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from ctmtqg_desktop.domain import located_yaml
from ctmtqg_desktop.domain.errors import UserError
from ctmtqg_desktop.i18n import N_, _
from ctmtqg_desktop.resource_paths import resource_path
from ctmtqg_desktop.services.report_forms._sources import SOURCES, parse_ref

SCHEMA = "report-form/1"
KINDS = ("narrative", "tables", "narrative_with_tables", "self_assessment")
MARKS = ("verified", "partial", "unverified")
COLUMN_KINDS = ("ordinal", "text", "integer", "decimal", "money", "percent", "date", "choice")
PERIOD_KINDS = ("month", "quarter", "half_year", "nine_months", "year", "programme",
                "periodic", "ad_hoc", "as_of_date")
CELL_RULES = ("source", "formula", "row", "template", "entered", "measure")
BLOCKS = ("section", "fixed", "repeat", "tree", "total")


class FormInvalid(UserError):
    template = N_("The report form “{form}” cannot be used: {problem} ({where}).")


class FormNotFound(UserError):
    template = N_("There is no report form “{form}”. Forms: {forms}.")
    exit_code = 2


@dataclass(frozen=True)
class Form:
    """A checked form: its id, version, title, mark and the whole file as read."""
    id: str
    version: int
    title: str
    mark: str
    data: dict[str, Any]
    path: Path

    @property
    def legal_basis(self) -> str:
        """The documents that prescribe it, as the report list shows them."""
        return "; ".join(
            f"{item.get('document', '')}, {item.get('provision', '')}".strip(", ")
            for item in self.data.get("legal_basis") or [] if item.get("role") == "prescribes")

    @property
    def programme_period(self) -> str:
        return str((self.data.get("programme") or {}).get("period") or "")


def forms_dir() -> Path:
    return resource_path("report_forms")


@lru_cache(maxsize=1)
def source_params() -> dict[str, set[str]]:
    """``{source name: accepted parameters}`` from ``data-sources.yaml``."""
    data = yaml.safe_load((forms_dir() / "data-sources.yaml").read_text(encoding="utf-8"))
    return {item["name"]: {str(p).split()[0] for p in item.get("params") or []}
            for item in data["sources"]}


class _Checker:
    def __init__(self, form_id: str, path: Path) -> None:
        self.form_id = form_id
        self.path = path

    def fail(self, problem: str, node: Any = None, key: Any = None) -> None:
        line = 0
        if isinstance(node, located_yaml.LocatedDict):
            line = node.line_of(key) if key is not None else node.line
        elif isinstance(node, located_yaml.LocatedList):
            line = getattr(node, "line", 0)
        where = _("{file}, line {line}").format(file=f"{self.form_id}/form.yaml",
                                                line=line) if line else \
            f"{self.form_id}/form.yaml"
        raise FormInvalid(form=self.form_id, problem=problem, where=where)

    def ref(self, text: Any, node: Any, key: Any, extra: tuple[str, ...] = ()) -> None:
        try:
            ref = parse_ref(str(text))
        except ValueError:
            self.fail(_("“{text}” is not a data-source reference").format(text=text), node, key)
            return
        known = source_params()
        if ref.name not in known or ref.name not in SOURCES:
            self.fail(_("the data source “{name}” does not exist").format(name=ref.name),
                      node, key)
        allowed = known[ref.name] | {"as_of", "from"} | set(extra)
        for name, _value in ref.params:
            if name not in allowed:
                self.fail(_("the data source “{source}” takes no parameter “{name}”").format(
                    source=ref.name, name=name), node, key)

    def formula(self, text: Any, keys: set[str], node: Any, key: Any) -> None:
        try:
            tree = ast.parse(str(text), mode="eval")
        except SyntaxError:
            self.fail(_("the formula “{text}” cannot be read").format(text=text), node, key)
            return
        for item in ast.walk(tree):
            if isinstance(item, ast.Name) and item.id not in keys:
                self.fail(_("the formula “{text}” names “{name}”, which is not a column of "
                            "its table").format(text=text, name=item.id), node, key)
            if not isinstance(item, (ast.Expression, ast.BinOp, ast.Name, ast.Constant,
                                     ast.Load, ast.Add, ast.Sub, ast.Mult, ast.Div,
                                     ast.UnaryOp, ast.USub)):
                self.fail(_("the formula “{text}” uses more than + - * /").format(text=text),
                          node, key)

    def cell(self, cell: Any, keys: set[str], node: Any, key: Any, *, column: bool = False
             ) -> None:
        if not isinstance(cell, dict):
            self.fail(_("a cell must be a mapping"), node, key)
        rules = [rule for rule in CELL_RULES if rule in cell]
        if len(rules) > 1:
            self.fail(_("a cell has more than one rule ({rules})").format(
                rules=", ".join(rules)), cell)
        if "source" in cell:
            self.ref(cell["source"], cell, "source")
        if "formula" in cell:
            self.formula(cell["formula"], keys, cell, "formula")
        prefill = cell.get("prefill")
        if isinstance(prefill, str):
            self.ref(prefill, cell, "prefill")
        elif isinstance(prefill, dict):
            for name, ref in (prefill.get("refs") or {}).items():
                self.ref(ref, prefill.get("refs"), name)
            self.formula(prefill.get("formula", ""), set(prefill.get("refs") or {}), prefill,
                         "formula")
        if not rules and not column:
            self.fail(_("a cell has no rule (source, formula, row, template, entered)"), cell)


def _leaves(columns: list[Any], checker: _Checker, groups: tuple[str, ...] = ()
            ) -> list[tuple[dict[str, Any], tuple[str, ...]]]:
    found = []
    for column in columns:
        if not isinstance(column, dict) or "title" not in column:
            checker.fail(_("a column has no title"), columns)
        if column.get("children"):
            found += _leaves(column["children"], checker, (*groups, str(column["title"])))
        else:
            found.append((column, groups))
    return found


def _check_table(table: dict[str, Any], checker: _Checker) -> None:
    if not table.get("id"):
        checker.fail(_("a table has no id"), table)
    leaves = _leaves(table.get("columns") or [], checker)
    if not leaves:
        checker.fail(_("the table “{table}” has no columns").format(table=table.get("id")),
                     table)
    keys: set[str] = set()
    for column, _groups in leaves:
        key = column.get("key")
        if not key or key in keys:
            checker.fail(_("the column key “{key}” is missing or used twice").format(key=key),
                         column)
        keys.add(str(key))
        if column.get("kind") not in COLUMN_KINDS:
            checker.fail(_("the column “{key}” has an unknown kind “{kind}”").format(
                key=key, kind=column.get("kind")), column, "kind")
    measures = (table.get("crosstab") or {}).get("measures") or {}
    for measure in measures.values():
        checker.ref(measure, table.get("crosstab"), "measures")
    for column, _groups in leaves:
        checker.cell(column, keys, column, None, column=True)
        if "measure" in column and column["measure"] not in measures:
            checker.fail(_("the column “{key}” takes the measure “{measure}”, which the "
                           "table does not define").format(key=column["key"],
                                                           measure=column["measure"]), column)
    for name, cell in (table.get("defaults") or {}).items():
        if name not in keys:
            checker.fail(_("a default names “{name}”, which is not a column").format(
                name=name), table.get("defaults"), name)
        checker.cell(cell, keys, table.get("defaults"), name)
    for block in table.get("rows") or []:
        if block.get("block") not in BLOCKS:
            checker.fail(_("a row block has an unknown kind “{kind}”").format(
                kind=block.get("block")), block)
        for ref_key in ("over",):
            if block.get(ref_key):
                checker.ref(block[ref_key], block, ref_key)
        for item in block.get("items") or []:
            if "source" in item:
                checker.ref(item["source"], item, "source")
            for name, cell in (item.get("cells") or {}).items():
                if name not in keys:
                    checker.fail(_("the row “{code}” fills “{name}”, which is not a "
                                   "column").format(code=item.get("code"), name=name),
                                 item.get("cells"), name)
                checker.cell(cell, keys, item.get("cells"), name)


def _check_outline(items: list[Any], checker: _Checker, tables: set[str]) -> None:
    for item in items or []:
        for fill in item.get("fills") or []:
            if "source" in fill:
                checker.ref(fill["source"], fill, "source")
            if isinstance(fill.get("prefill"), str):
                checker.ref(fill["prefill"], fill, "prefill")
        repeat = item.get("repeat") or {}
        if repeat.get("over"):
            checker.ref(repeat["over"], repeat, "over")
        for fill in repeat.get("fills") or []:
            if "source" in fill:
                checker.ref(fill["source"], fill, "source")
        if item.get("attach_table") and item["attach_table"] not in tables:
            checker.fail(_("the outline attaches the table “{table}”, which the form does "
                           "not have").format(table=item["attach_table"]), item,
                         "attach_table")
        _check_outline(item.get("children") or [], checker, tables)


def check_form(data: Any, form_id: str, path: Path) -> Form:
    """The form, or :class:`FormInvalid` naming what is wrong."""
    checker = _Checker(form_id, path)
    if not isinstance(data, dict):
        checker.fail(_("the file is not a mapping"))
    if data.get("schema") != SCHEMA:
        checker.fail(_("its schema is “{schema}”, not {expected}").format(
            schema=data.get("schema"), expected=SCHEMA), data, "schema")
    if data.get("id") != form_id:
        checker.fail(_("its id “{id}” is not its folder's name").format(id=data.get("id")),
                     data, "id")
    if not isinstance(data.get("version"), int) or data["version"] < 1:
        checker.fail(_("its version must be a whole number from 1"), data, "version")
    if data.get("kind") not in KINDS:
        checker.fail(_("its kind “{kind}” is unknown").format(kind=data.get("kind")), data,
                     "kind")
    if not str(data.get("title") or "").strip():
        checker.fail(_("it has no title"), data, "title")
    mark = (data.get("verification") or {}).get("mark")
    if mark not in MARKS:
        checker.fail(_("its verification mark “{mark}” is not verified, partial or "
                       "unverified").format(mark=mark), data, "verification")
    periods = data.get("periods") or []
    if not periods:
        checker.fail(_("it names no period"), data, "periods")
    for period in periods:
        if period.get("kind") not in PERIOD_KINDS:
            checker.fail(_("a period has an unknown kind “{kind}”").format(
                kind=period.get("kind")), period, "kind")
    tables = data.get("tables") or []
    for table in tables:
        _check_table(table, checker)
    if data.get("document"):
        _check_outline((data["document"] or {}).get("outline") or [], checker,
                       {t.get("id") for t in tables})
    if not data.get("document") and not tables:
        checker.fail(_("it has neither a document nor a table"), data)
    return Form(form_id, data["version"], str(data["title"]), str(mark), data, path)


_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_form_file(path: Path) -> Form:
    """The checked form. Read with libyaml (the report list loads every form at start); a
    form that fails is read again with the line of each value, so that the refusal names
    the line."""
    form_id = path.parent.name
    try:
        text = path.read_text(encoding="utf-8")
        data = yaml.load(text, Loader=_FAST_LOADER)  # noqa: S506 (a safe loader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError, ValueError) as error:
        raise FormInvalid(form=form_id, problem=_("the file cannot be read"),
                          where=str(error).splitlines()[0] if str(error) else path.name
                          ) from None
    try:
        return check_form(data, form_id, path)
    except FormInvalid:
        try:
            located = located_yaml.load(text)
        except (yaml.YAMLError, ValueError) as error:
            raise FormInvalid(form=form_id, problem=_("the file cannot be read"),
                              where=str(error).splitlines()[0]) from None
        return check_form(located, form_id, path)


@lru_cache(maxsize=1)
def _shipped() -> tuple[tuple[Form, ...], tuple[FormInvalid, ...]]:
    forms, refused = [], []
    for path in sorted(forms_dir().glob("*/form.yaml")):
        try:
            forms.append(load_form_file(path))
        except FormInvalid as error:
            refused.append(error)
    return tuple(forms), tuple(refused)


def shipped_forms() -> tuple[Form, ...]:
    """Every shipped form that passes the checks, by id."""
    return _shipped()[0]


def refused_forms() -> tuple[FormInvalid, ...]:
    return _shipped()[1]


def get_form(form_id: str) -> Form:
    for form in shipped_forms():
        if form.id == form_id:
            return form
    for error in refused_forms():
        if error.data.get("form") == form_id:
            raise error
    raise FormNotFound(form=form_id, forms=", ".join(f.id for f in shipped_forms()))


@lru_cache(maxsize=1)
def catalog() -> dict[str, Any]:
    """``catalog.yaml``: the forms, the duties without a form, the periods with none."""
    data: dict[str, Any] = yaml.safe_load((forms_dir() / "catalog.yaml").read_text(
        encoding="utf-8"))
    return data


def not_found_notes() -> list[tuple[str, str]]:
    """``(title, display sentence)`` of each programme period whose forms were not found."""
    return [(str(item.get("title", "")), " ".join(str(item.get("display", "")).split()))
            for item in catalog().get("not_found") or []]
