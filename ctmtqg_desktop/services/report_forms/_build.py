"""Filling a report form from the unit's records and laying it out through the one document
layer (``reports.document``): the narrative part as a Nghị định 30 report, then each table in
its own layout (merged group headers, numbering row, totals, signature blocks), as xlsx and
PDF alike.

Figures are those as of the period's end (see ``_sources``). Cells the application does not
record (``entered: true``: official poverty rates, targets, criteria results, narratives) are
left blank for the officer to fill; the form's mark is printed under each table's title when
its layout is not verified.
"""

from __future__ import annotations

import ast
import datetime as dt
import operator
import re
from dataclasses import dataclass, field, replace
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

from ctmtqg_desktop.domain.errors import UserError
from ctmtqg_desktop.domain.formats import format_date, format_number, format_percent
from ctmtqg_desktop.domain.report_periods import Period
from ctmtqg_desktop.i18n import N_, _
from ctmtqg_desktop.reports.document import (
    Cell,
    Column,
    Document,
    Entered,
    Group,
    Heading,
    Note,
    Sheet,
    Signatures,
    Table,
    Total,
    write,
)
from ctmtqg_desktop.services import catalog, report_catalog
from ctmtqg_desktop.services.report_forms._forms import Form
from ctmtqg_desktop.services.report_forms._sources import Records, Scope, parse_ref
from ctmtqg_desktop.store.workspace import Workspace

_ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII",
          "XIV", "XV", "XVI", "XVII", "XVIII", "XIX", "XX"]
_BLANK = "…………………………………………………………………………"
_OPS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
        ast.Div: operator.truediv}


class PeriodNotOffered(UserError):
    template = N_("The form “{form}” is made for {periods}; it has no report for {period}.")
    exit_code = 2


class ParameterRefused(UserError):
    template = N_("The form “{form}” takes {key} = {choices}, not “{value}”.")
    exit_code = 2


@dataclass
class Row:
    """A filled row: its kind (item, group, total), label, number, level and values."""
    kind: str
    label: str = ""
    number: str = ""
    level: int = 1
    values: dict[str, Any] = field(default_factory=dict)
    in_total: bool = True


# ---------------------------------------------------------------------------- periods
def period_entry(form: Form, period: Period) -> dict[str, Any]:
    """The form's period the report is made for, or :class:`PeriodNotOffered`."""
    entries: list[dict[str, Any]] = form.data.get("periods") or []
    for entry in entries:
        if entry.get("kind") == period.kind:
            return entry
    for entry in entries:
        window = entry.get("window") or {}
        if entry.get("kind") == "programme" and str(window.get("start")) == \
                period.start.isoformat() and str(window.get("end")) == period.end.isoformat():
            return entry
    for entry in entries:
        window = entry.get("window") or {}
        if window.get("range") or window.get("end") == "entered" or \
                entry.get("as_of") == "entered":
            return {**entry, "label": "{period.label}"}
    names = ", ".join(sorted({str(e.get("label", e.get("kind"))).replace("{year}", "…")
                              for e in entries}))
    raise PeriodNotOffered(form=form.id, periods=names, period=period.label)


# ---------------------------------------------------------------------------- templates
class _Context:
    def __init__(self, workspace: Workspace, form: Form, period: Period, label: str,
                 options: report_catalog.ReportOptions) -> None:
        # the unit with its kind on the period's end ("xã Lộc Ninh" for 2025, "phường Lộc
        # Ninh" after 30/04/2026); the parent body as the letterhead names it that day
        unit = catalog.get_unit(workspace, report_catalog.unit_id(workspace))
        self.unit_title = catalog.unit_title_on(workspace, unit.id, period.end)
        issued = options.issued_on or options.date or workspace.today()
        self.parent_title = ("ỦY BAN NHÂN DÂN " + catalog.unit_title_on(
            workspace, unit.parent_id, issued)).upper() if unit.parent_id else ""
        self.period = period
        self.as_of = min(period.end, workspace.today())
        self.period_label = label.replace("{year}", str(period.year)).replace(
            "{period.label}", period.label).replace("{period.end}", format_date(period.end))
        self.parameters = {p["key"]: options.extra.get(p["key"], p.get("default", ""))
                           for p in form.data.get("parameters") or []}
        for spec in form.data.get("parameters") or []:
            chosen = self.parameters[spec["key"]]
            if chosen and spec.get("choices") and chosen not in spec["choices"]:
                raise ParameterRefused(form=form.id, key=spec["key"], value=chosen,
                                       choices=", ".join(str(c) for c in spec["choices"]))
        self.signer = report_catalog.signature_for(workspace)

    def text(self, template: Any, row: dict[str, Any] | None = None) -> str:
        def substitute(found: re.Match[str]) -> str:
            key = found.group(1).strip()
            if key.startswith("entered"):
                return "…"
            if key.startswith("row."):
                value = (row or {}).get(key[4:], "")
                return format_date(value) if hasattr(value, "isoformat") else str(value or "")
            if key.startswith("parameter."):
                return str(self.parameters.get(key[10:], "") or "…")
            return str({"unit.title": self.unit_title, "unit.parent_title": self.parent_title,
                    "period.label": self.period_label, "period.year": str(self.period.year),
                    "year": str(self.period.year), "period.end": format_date(self.period.end),
                    "signer.name": self.signer.signer_name,
                    "signer.title": self.signer.title,
                    "signer.authority": self.signer.authority}.get(key, found.group(0)))
        return " ".join(re.sub(r"\{([^{}]+)\}", substitute, str(template or "")).split())

    def scope(self, row: dict[str, Any] | None = None, value: Any = None,
              extra: dict[str, Any] | None = None) -> Scope:
        return Scope(self.period, self.as_of, row or {}, value, extra or {})


# ---------------------------------------------------------------------------- formulas
def evaluate(formula: str, values: dict[str, Any]) -> int | float | None:
    """``paid / plan * 100`` over the row's values; None when a term is missing or a
    divisor is zero. Worked out exactly (fractions, never binary floats: money in đồng
    stays exact); a whole result is an ``int``, a rate a ``float`` only at the end."""
    def walk(node: ast.AST) -> Fraction:
        if isinstance(node, ast.Expression):
            return walk(node.body)
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
            return Fraction(str(node.value))
        if isinstance(node, ast.Name):
            value = values.get(node.id)
            if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
                raise ArithmeticError(node.id)
            return Fraction(str(value)) if isinstance(value, float) else Fraction(value)
        if isinstance(node, ast.UnaryOp):
            return -walk(node.operand)
        if isinstance(node, ast.BinOp):
            return Fraction(_OPS[type(node.op)](walk(node.left), walk(node.right)))
        raise ArithmeticError(type(node).__name__)
    try:
        result = walk(ast.parse(formula, mode="eval"))
    except (ArithmeticError, ZeroDivisionError):
        return None
    return int(result) if result.denominator == 1 else float(result)


# ---------------------------------------------------------------------------- tables
def _leaves(columns: list[Any], groups: tuple[str, ...] = ()
            ) -> list[tuple[dict[str, Any], tuple[str, ...]]]:
    found: list[tuple[dict[str, Any], tuple[str, ...]]] = []
    for column in columns:
        if column.get("children"):
            found += _leaves(column["children"], (*groups, str(column["title"])))
        else:
            found.append((column, groups))
    return found


def _column_extra(column: dict[str, Any]) -> dict[str, Any]:
    extra: dict[str, Any] = {}
    for key, value in (column.get("params") or {}).items():
        extra[key] = dt.date.fromisoformat(value) if isinstance(value, str) and \
            re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) else value
    return extra


class _TableFiller:
    def __init__(self, ctx: _Context, records: Records, table: dict[str, Any]) -> None:
        self.ctx = ctx
        self.records = records
        self.table = table
        self.leaves = _leaves(table.get("columns") or [])
        self.columns = [c for c, _g in self.leaves]
        self.label_key = next((c["key"] for c in self.columns if c.get("kind") == "text"
                               and not any(r in c for r in ("row", "template", "entered",
                                                            "source", "formula"))), None)
        self.ordinal_key = next((c["key"] for c in self.columns if c.get("kind") == "ordinal"),
                                None)
        #: where a group's, subtotal's or total's label goes: the label column, else the
        #: first text column
        self.heading_key = self.label_key or next(
            (c["key"] for c in self.columns if c.get("kind") == "text"), None)
        self.measures = (table.get("crosstab") or {}).get("measures") or {}
        #: the programme a tree of components belongs to (its total is the programme's)
        self.tree_program: str | None = None

    # -- one cell -------------------------------------------------------------------
    def _cell(self, column: dict[str, Any], rule: dict[str, Any], row: dict[str, Any],
              row_params: str = "") -> Any:
        extra = _column_extra(column)
        scope = self.ctx.scope(row, extra=extra)
        if "source" in rule:
            return self.records.value(rule["source"], scope)
        if "row" in rule:
            return row.get(rule["row"])
        if "template" in rule:
            return self.ctx.text(rule["template"], row).strip() or None
        if "measure" in rule:
            params = ", ".join(p for p in (row_params, ) if p)
            return self.records.value(f"{self.measures[rule['measure']]}{{{params}}}", scope)
        return None

    def _values(self, row: dict[str, Any], cells: dict[str, Any], *,
                item: dict[str, Any] | None = None) -> dict[str, Any]:
        values: dict[str, Any] = {}
        defaults = self.table.get("defaults") or {} if item is not None else {}
        for column in self.columns:
            key = column["key"]
            rule = cells.get(key) or defaults.get(key) or column
            if item is not None:
                if key in (item.get("cells_from_item") or {}):
                    values[key] = item.get(item["cells_from_item"][key])
                    continue
                if "source" in item and "params" in column and (
                        not item.get("columns_filled") or key in item["columns_filled"]):
                    rule = {"source": item["source"]}
                elif "source" in item and "params" in column:
                    continue
                if key in item and not any(r in column for r in ("row", "source", "formula")):
                    values[key] = item[key]
                    continue
            if rule.get("entered"):
                values[key] = Entered()  # typed by the officer: blank, shaded in xlsx
                continue
            if "formula" in rule:
                continue
            values[key] = self._cell(column, rule, row, (item or {}).get("params", ""))
        self._formulas(values, cells)
        return values

    def _formulas(self, values: dict[str, Any], cells: dict[str, Any]) -> None:
        for _round in range(3):
            for column in self.columns:
                rule = cells.get(column["key"]) or column
                if "formula" in rule:
                    values[column["key"]] = evaluate(rule["formula"], values)

    # -- totals ---------------------------------------------------------------------
    def _sum(self, rows: list[Row], label: str) -> Row:
        counted = [r for r in rows if r.level == 1 and r.in_total and r.kind != "section"]
        values: dict[str, Any] = {}
        for column in self.columns:
            rule = column.get("total")
            key = column["key"]
            if rule == "sum":
                numbers = [r.values.get(key) for r in counted]
                values[key] = sum(n for n in numbers if isinstance(n, (int, float)))
            elif isinstance(rule, dict) and rule.get("rule") == "count":
                values[key] = sum(1 for r in counted if r.values.get(key) == rule.get("value"))
        self._ratios(values)
        return Row("total", label, values=values)

    def _ratios(self, values: dict[str, Any]) -> None:
        """A total's rates recomputed from its sums, never summed."""
        for column in self.columns:
            rule = column.get("total")
            if isinstance(rule, dict) and rule.get("rule") == "ratio":
                values[column["key"]] = evaluate(
                    f"{rule['numerator']} / {rule['denominator']} * {rule.get('times', 1)}",
                    values)

    # -- blocks ---------------------------------------------------------------------
    def rows(self) -> list[Row]:
        rows: list[Row] = []
        totals: list[dict[str, Any]] = []
        for block in self.table.get("rows") or []:
            kind = block.get("block")
            if kind == "section":
                rows.append(Row("section", str(block.get("label", "")),
                                str(block.get("code", "")), in_total=False))
            elif kind == "fixed":
                rows += self._fixed(block)
            elif kind == "tree":
                rows += self._tree(block)
            elif kind == "repeat":
                rows += self._repeat(block)
            elif kind == "total":
                totals.append(block)
        for block in reversed(totals):
            total = self._sum(rows, str(block.get("label", "")))
            if self.tree_program:
                total = self._programme_total(total)
            rows.insert(0 if block.get("position") == "top" else len(rows), total)
        return rows

    def _programme_total(self, summed: Row) -> Row:
        """A tree's total is the programme's own figure (capital assigned to the whole
        programme included), not the sum of its projects' rows; counts stay summed."""
        values = self._values({"id": self.tree_program}, {})
        for column in self.columns:
            if "source" not in column or column.get("kind") not in ("money",):
                values[column["key"]] = summed.values.get(column["key"])
        for _round in range(3):
            for column in self.columns:
                if "formula" in column and column.get("kind") == "money":
                    values[column["key"]] = evaluate(column["formula"], values)
        self._ratios(values)
        return Row("total", summed.label, values=values)

    def _fixed(self, block: dict[str, Any]) -> list[Row]:
        found = []
        for item in block.get("items") or []:
            item = {**item, "cells_from_item": block.get("cells_from_item")} \
                if block.get("cells_from_item") else item
            values = self._values({"code": item.get("code"), "label": item.get("label")},
                                  item.get("cells") or {}, item=item)
            found.append(Row("item", str(item.get("label", "")), str(item.get("code", "")),
                             int(item.get("level", 1)), values, item.get("in_total", True)))
        return found

    def _tree(self, block: dict[str, Any]) -> list[Row]:
        found = []
        scope = self.ctx.scope()
        program = dict(parse_ref(block["over"]).params).get("program")
        self.tree_program = program or None
        for index, item in enumerate(self.records.value(block["over"], scope)):
            numbering = block.get("numbering")
            number = _ROMAN[index] if numbering == "roman_then_arabic" and index < 20 \
                else str(index + 1)
            found.append(Row("item", self.ctx.text(block.get("label", "{row.name}"), item),
                             number, 1, self._values(item, {})))
            children = block.get("children") or {}
            if children.get("over"):
                for child_index, child in enumerate(self.records.value(
                        children["over"], self.ctx.scope(item))):
                    found.append(Row("item", self.ctx.text(children.get("label", "{row.name}"),
                                                           child),
                                     str(child_index + 1), int(children.get("level", 2)),
                                     self._values(child, {})))
        return found

    def _repeat(self, block: dict[str, Any]) -> list[Row]:
        items = list(self.records.value(block["over"], self.ctx.scope()))
        for sort_key in reversed(block.get("sort") or []):
            items.sort(key=_sort_key(str(sort_key)))
        overrides = block.get("overrides") or []

        def row_of(item: dict[str, Any], number: int, level: int) -> Row:
            cells: dict[str, Any] = {}
            for override in overrides:
                if all(item.get(k) == v for k, v in (override.get("match") or {}).items()):
                    cells.update(override.get("cells") or {})
            return Row("item", str(item.get("name") or item.get("title") or ""), str(number),
                       level, self._values(item, cells))

        group = block.get("group_by") or {}
        if not group:
            return [row_of(item, n, 1) for n, item in enumerate(items, 1)]
        grouped: dict[str, list[dict[str, Any]]] = {}
        for item in items:
            grouped.setdefault(str(item.get(group["field"]) or ""), []).append(item)
        found: list[Row] = []
        for index, (label, members) in enumerate(grouped.items()):
            number = _ROMAN[index] if group.get("header_numbering") == "roman" else ""
            subrows = [row_of(item, n, 2 if group.get("subtotal") else 1)
                       for n, item in enumerate(members, 1)]
            if group.get("subtotal"):
                sums = self._sum([Row(r.kind, level=1, values=r.values) for r in subrows], "")
                found.append(Row("subtotal", label or "-", number, 1, sums.values))
            else:
                found.append(Row("group", label or "-", number, 1, in_total=False))
            found += subrows
        return found


def _sort_key(field_name: str) -> Any:
    return lambda row: str(row.get(field_name) or "")


def _doc_column(column: dict[str, Any], groups: tuple[str, ...], table: dict[str, Any],
                ctx: _Context) -> Column:
    title = ctx.text(column.get("title"))
    number = str(column["num"]) if table.get("numbering_row") and "num" in column else None
    if number and (table.get("numbering_row") or {}).get("style") == "arabic_parens":
        number = f"({number})"
    return replace(_plain_column(column, title, table), groups=tuple(ctx.text(g) for g in groups),
                   number=number)


def _plain_column(column: dict[str, Any], title: str, table: dict[str, Any]) -> Column:
    kind = column.get("kind")
    if kind == "money":
        unit = table.get("money_unit") or {}
        decimals = int(unit.get("decimals", 0))
        if decimals:
            return Column(title, "decimal", decimals=decimals, weight=1.4)
        return Column(title, "money", weight=1.4)
    if kind == "percent":
        return Column(title, "percent", weight=1)
    if kind == "integer":
        return Column(title, "int", weight=1)
    if kind == "decimal":
        return Column(title, "decimal", decimals=2, weight=1)
    if kind == "date":
        return Column(title, "date", weight=1.1, align="center")
    if kind == "ordinal":
        return Column(title, "text", width=6, weight=0.5, align="center", grouped=False)
    return Column(title, "text", weight=3 if column.get("key") == "name" else 2)


def _doc_value(column: dict[str, Any], value: Any, table: dict[str, Any]) -> Any:
    if isinstance(value, Entered):
        return value
    if value is None or value == "":
        return None
    kind = column.get("kind")
    if kind == "money" and isinstance(value, (int, float)):
        unit = table.get("money_unit") or {}
        divisor = unit.get("divisor", 1) or 1
        decimals = int(unit.get("decimals", 0))
        return round(value / divisor, decimals) if decimals else int(round(value / divisor))
    if kind == "percent" and isinstance(value, (int, float)):
        return value / 100
    if kind == "decimal" and isinstance(value, (int, float)):
        # a count in a figures column prints as a count, a rate with its decimals
        return Cell(value, format_number(value) if float(value).is_integer()
                    else format_number(value, decimals=2))
    return value


def table_parts(ctx: _Context, records: Records | None, table: dict[str, Any], form: Form,
                given: list[Row] | None = None) -> tuple[list[Any], list[Row]]:
    """The table's parts in the document; its rows filled from ``records``, or ``given``
    (a parent's sums of its children's issued figures)."""
    filler = _TableFiller(ctx, records, table)  # type: ignore[arg-type]
    if records is not None:
        records.today_values_used.clear()
    rows = given if given is not None else filler.rows()
    today_values = bool(records is not None and given is None and records.today_values_used)
    columns = [_doc_column(c, g, table, ctx) for c, g in filler.leaves]
    doc_rows: list[Any] = []
    for row in rows:
        if row.kind in ("section", "group"):
            doc_rows.append(Group(" ".join(x for x in (row.number, row.label) if x)))
            continue
        cells = []
        for column in filler.columns:
            key = column["key"]
            if key == filler.ordinal_key:
                cells.append(row.values.get(key) if row.values.get(key) not in (None, "")
                             else row.number if row.kind != "total" else "")
            elif key == filler.heading_key and row.kind != "item":
                cells.append(row.label)
            elif key == filler.label_key and not row.values.get(key):
                cells.append(("- " if row.level > 1 else "") + row.label)
            else:
                cells.append(_doc_value(column, row.values.get(key), table))
        doc_rows.append(Total(cells) if row.kind in ("total", "subtotal") else cells)
    parts: list[Any] = []
    if table.get("number"):
        parts.append(Note(str(table["number"]), italic=False, indent=False))
    parts.append(Heading(ctx.text(table.get("title"))))
    if table.get("subtitle"):
        parts.append(Note(ctx.text(table["subtitle"]), italic=True, indent=False))
    notes = [ctx.text(table["unit_note"])] if table.get("unit_note") else []
    parts_xlsx_note = Note(_("Shaded cells are typed by the officer (figures the application "
                             "does not record)."), italic=True, only="xlsx", indent=False)
    if not table.get("layout_verified"):
        notes.append(_("Proposed layout ({mark}): not yet checked against the circular's "
                       "appendix.").format(mark=mark_label(form.mark)))
    if today_values:  # households and villages typed later than the period's end
        notes.append(_("Household and village figures are today's figures."))
    parts += [Note(text, italic=True, indent=False) for text in notes]
    parts.append(parts_xlsx_note)
    parts.append(Table(columns, doc_rows, font_size=10))
    if table.get("note_below"):
        parts.append(Note(ctx.text(table["note_below"]), italic=True, indent=False))
    blocks = []
    for signer in table.get("signatures") or []:
        name = "" if signer.get("name") == "entered" else ctx.text(signer.get("name", ""))
        role = ctx.text(signer.get("role", ""))
        title = ctx.text(signer.get("title", ""))
        blocks.append((role, title, name))
    if blocks:
        parts.append(Signatures(blocks))
    return parts, rows


def mark_label(mark: str) -> str:
    return {"verified": _("verified"), "partial": _("partly verified"),
            "unverified": _("not verified")}.get(mark, mark)


# ---------------------------------------------------------------------------- narrative
def _fill_text(ctx: _Context, records: Records, fill: dict[str, Any],
               values: dict[str, Any], row: dict[str, Any] | None = None,
               value: Any = None, tables: dict[str, list[Row]] | None = None) -> list[str]:
    label = ctx.text(fill.get("label", ""))
    scope = ctx.scope(row, value)
    result: Any = None
    if "source" in fill:
        result = records.value(fill["source"], scope)
        if fill.get("aggregate") == "count" and isinstance(result, list):
            result = len(result)
    elif "formula" in fill:
        result = evaluate(fill["formula"], values)
    elif "parameter" in fill:
        result = ctx.parameters.get(fill["parameter"]) or None
    elif "from_table" in fill and tables is not None:
        spec = fill["from_table"]
        total = next((r for r in tables.get(spec.get("table"), []) if r.kind == "total"), None)
        result = total.values.get(spec.get("column")) if total else None
    values[fill.get("key", label)] = result
    if isinstance(result, list):
        lines = [f"{label}: " + (format_number(len(result)) if result else _("none"))]
        for item in result:
            text = item.get("text") or item.get("title") or item.get("name") or ""
            lines.append(f"- {text}")
        return lines
    if result is None:
        return [f"{label}: {_BLANK[:20]}"]
    if fill.get("format") == "money":
        shown = format_number(result) + " đồng"
    elif fill.get("format") == "percent":
        shown = format_percent(result / 100) if isinstance(result, (int, float)) else ""
    elif isinstance(result, (int, float)):
        shown = format_number(result)
    else:
        shown = str(result)
    return [f"{label}: {shown}"]


def _outline(ctx: _Context, records: Records, items: list[Any], depth: int,
             tables: dict[str, list[Row]]) -> list[Any]:
    parts: list[Any] = []
    for item in items or []:
        number = str(item.get("number", ""))
        heading = ctx.text(item.get("heading", ""))
        parts.append(Heading(f"{number}. {heading}" if number else heading))
        values: dict[str, Any] = {}
        for fill in item.get("fills") or []:
            parts += [Note(text, italic=False) for text in
                      _fill_text(ctx, records, fill, values, tables=tables)]
        repeat = item.get("repeat") or {}
        for element, value in _repeat_over(ctx, records, repeat, tables):
            repeat_values: dict[str, Any] = {}
            lines: list[str] = []
            for fill in repeat.get("fills") or []:
                lines += _fill_text(ctx, records, fill, repeat_values, element, value, tables)
            if repeat.get("only_with_records") and not any(
                    isinstance(v, (int, float)) and v for v in repeat_values.values()):
                continue
            parts.append(Note(ctx.text(repeat.get("heading", ""), element).replace(
                "{value}", str(value or "")), italic=True))
            parts += [Note(text, italic=False) for text in lines]
            if repeat.get("text") == "entered":
                parts.append(Note(_BLANK, italic=False))
        if item.get("text") == "entered":
            parts.append(Note(_BLANK, italic=False))
        if item.get("attach_table"):
            parts.append(Note(_("(Details in the attached table.)"), italic=True))
        parts += _outline(ctx, records, item.get("children") or [], depth + 1, tables)
    return parts


def _repeat_over(ctx: _Context, records: Records, repeat: dict[str, Any],
                 tables: dict[str, list[Row]]) -> list[tuple[dict[str, Any], Any]]:
    if repeat.get("over"):
        return [(row, None) for row in records.value(repeat["over"], ctx.scope())]
    if repeat.get("over_values"):
        chosen = str(ctx.parameters.get("program") or "")
        allowed = (repeat.get("when_parameter") or {}).get("program")
        return [({"heading": v.get("heading")}, v.get("value"))
                for v in repeat["over_values"]
                if not allowed or not chosen or chosen == allowed[0]
                or chosen == v.get("value")]
    if repeat.get("over_table_rows"):
        rows = tables.get(repeat["over_table_rows"].get("table"), [])
        return [({"code": r.number, "label": r.label}, None) for r in rows
                if r.kind == "item" and r.level == 1]
    return []


# ---------------------------------------------------------------------------- document
def covered_units(workspace: Workspace, form: Form) -> list[str]:
    """The unit, and for a form that ``covers_predecessors`` (the 2021-2025 review of a
    commune merged in 2025) the units it continues, from the catalog's successions (and
    theirs, for a unit merged twice)."""
    unit = report_catalog.unit_id(workspace)
    units = [unit]
    if not form.data.get("covers_predecessors"):
        return units
    index = 0
    while index < len(units):
        before, _after = catalog.successions(workspace, units[index])
        for succession in before:
            if succession.old_unit_id not in units:
                units.append(succession.old_unit_id)
        index += 1
    return units


def _predecessors_note(workspace: Workspace, units: list[str], records: Records) -> Note:
    """Which merged units the report covers, and those it holds no record of."""
    owners = {r.owner_unit_id for r in (*records.lines, *records.projects.values(),
                                        *records.tasks, *records.activities)}

    def name(unit: str) -> str:
        return catalog.unit_title_on(workspace, unit, None)

    held = [name(u) for u in units[1:] if u in owners]
    empty = [name(u) for u in units[1:] if u not in owners]
    text = _("The report covers the units merged into this one: {units}.").format(
        units=", ".join(name(u) for u in units[1:]))
    if empty:
        text += " " + _("No record of {units} is held here: their figures are not "
                        "included.").format(units=", ".join(empty))
    elif held:
        text += " " + _("Their records held here are included.")
    return Note(text, italic=True)


def build_document(workspace: Workspace, form: Form, period: Period,
                   options: report_catalog.ReportOptions) -> Document:
    entry = period_entry(form, period)
    ctx = _Context(workspace, form, period, str(entry.get("label") or "{period.label}"),
                   options)
    units = covered_units(workspace, form)
    records = Records(workspace, tuple(units))
    tables: dict[str, list[Row]] = {}
    table_sheets = []
    for table in form.data.get("tables") or []:
        table_part, rows = table_parts(ctx, records, table, form)
        tables[table["id"]] = rows
        table_sheets.append(Sheet(str(table.get("number") or table["id"])[:31], table_part,
                                  landscape=table.get("orientation") != "portrait",
                                  letterhead=False, signature=False))
    table_sheets.append(_about_sheet(form, ctx))
    document = form.data.get("document")
    if document:
        info = report_catalog.document_info(
            workspace, doc_type=str(document.get("doc_type", "BÁO CÁO")),
            subject=ctx.text(document.get("subject")), options=options,
            symbol=str(document.get("symbol", "BC-UBND")))
        parts: list[Any] = []
        if len(units) > 1:
            parts.append(_predecessors_note(workspace, units, records))
        if document.get("opening"):
            parts.append(Note(ctx.text(document["opening"]), italic=False))
        parts += _outline(ctx, records, document.get("outline") or [], 1, tables)
        sheets = [Sheet(_("Report"), parts, landscape=document.get("orientation") ==
                        "landscape", letterhead=True, signature=True), *table_sheets]
        return Document(info, sheets, pdf_signature_after=1)
    first = table_sheets[0]
    info = report_catalog.document_info(
        workspace, doc_type=str(form.data["tables"][0].get("number") or _("TABLE")),
        subject=ctx.text(form.title) + " " + ctx.period_label, options=options)
    table_sheets[0] = Sheet(first.title, first.parts, landscape=first.landscape,
                            letterhead=True, signature=False)
    return Document(info, table_sheets, pdf_signature=False)


def _about_sheet(form: Form, ctx: _Context) -> Sheet:
    """The workbook's last sheet: which form, version and mark, on what legal basis, for
    which period and as of which day it was filled (what a parent checks before summing)."""
    rows = [[_("Form"), form.id], [_("Version"), str(form.version)],
            [_("Verification"), mark_label(form.mark)], [_("Legal basis"), form.legal_basis],
            [_("Period"), ctx.period_label], [_("Figures as of"), format_date(ctx.as_of)]]
    return Sheet(_("About the form"), [Table([Column(_("Item"), width=24),
                                              Column(_("Value"), width=90)], rows)],
                 only="xlsx", letterhead=False, signature=False)


def build_form(workspace: Workspace, form: Form, fmt: str, out: Path,
               options: report_catalog.ReportOptions) -> None:
    period = options.period or report_catalog.default_period(workspace)
    write(build_document(workspace, form, period, options), fmt, out)
