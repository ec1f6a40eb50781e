"""Số liệu của biểu đã ban hành: an issued form's filled figures as data, and a parent's
consolidation of its children's (báo cáo tổng hợp).

When a commune issues a form, the rows of each of its tables are kept in the archive record
as canonical JSON (``report-figures/1``): per row its kind, number, label, level and the raw
value of each column (money in đồng, counts, rates; cells the officer types are null). The
record is journalled, travels up and is locked by the sign-off, so the figures a parent sums
are exactly those of the signed report, never its own copy of the child's records and never
read back from the xlsx.

The consolidation adds the rows of the same table that carry the same kind, number, label
and level (a form's fixed rows, its totals); rows that only one child has (its projects) are
kept side by side. Amounts and counts are added; rates are worked out again from the sums
(the column's formula or the total's ratio rule), never added.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from fractions import Fraction
from typing import Any

from ctmtqg_desktop.domain.formats import format_date, format_number
from ctmtqg_desktop.domain.report_periods import Period
from ctmtqg_desktop.i18n import _, pgettext
from ctmtqg_desktop.reports.document import Document, Entered, Note, Sheet
from ctmtqg_desktop.services import report_catalog
from ctmtqg_desktop.services.report_forms._build import (
    Row,
    _Context,
    _leaves,
    _TableFiller,
    covered_units,
    evaluate,
    period_entry,
    table_parts,
)
from ctmtqg_desktop.services.report_forms._forms import Form
from ctmtqg_desktop.services.report_forms._sources import Records
from ctmtqg_desktop.store.workspace import Workspace

FORMAT = "report-figures/1"
#: columns whose figures add up across units
_ADDED = ("money", "integer")


def _plain(value: Any) -> Any:
    """A cell's value as JSON. A non-whole exact number (a ``Decimal`` such as 12,345 ha,
    a ``Fraction``) is written as the shortest float that reads back to the same decimal;
    ``_exact`` turns it back into that decimal before anything is added."""
    if isinstance(value, Entered) or value is None or isinstance(value, bool):
        return None
    if isinstance(value, (Decimal, Fraction)):
        return int(value) if value == int(value) else float(value)
    if isinstance(value, (int, float, str)):
        return value
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value)


def _row_data(row: Row) -> dict[str, Any]:
    return {"kind": row.kind, "number": row.number, "label": row.label, "level": row.level,
            "in_total": row.in_total,
            "values": {key: _plain(value) for key, value in sorted(row.values.items())}}


def _context(workspace: Workspace, form: Form, period: Period,
             options: report_catalog.ReportOptions) -> _Context:
    entry = period_entry(form, period)
    return _Context(workspace, form, period, str(entry.get("label") or "{period.label}"),
                    options)


def form_figures(workspace: Workspace, form: Form, options: report_catalog.ReportOptions
                 ) -> str:
    """The canonical JSON of the form's tables filled for ``options.period``."""
    period = options.period or report_catalog.default_period(workspace)
    ctx = _context(workspace, form, period, options)
    records = Records(workspace, tuple(covered_units(workspace, form)))
    tables = {str(table["id"]): [_row_data(r) for r in
                                 _TableFiller(ctx, records, table).rows()]
              for table in form.data.get("tables") or []}
    data = {"format": FORMAT, "form": form.id, "version": str(form.version),
            "period": [period.start.isoformat(), period.end.isoformat()],
            "as_of": ctx.as_of.isoformat(), "tables": tables}
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def read_figures(text: str) -> dict[str, list[Row]]:
    """The rows of each table of an issued form's figures (empty when it has none)."""
    if not text:
        return {}
    data = json.loads(text)
    if data.get("format") != FORMAT:
        return {}
    return {table: [Row(r["kind"], r["label"], r["number"], int(r["level"]),
                        dict(r["values"]), bool(r["in_total"])) for r in rows]
            for table, rows in data["tables"].items()}


def _exact(value: int | float | Fraction) -> Fraction:
    """A figure as an exact fraction: a float as the decimal it prints as (0.1 is 1/10, not
    the binary 0.1000000000000000055…), so that sums of amounts in triệu đồng or areas in ha
    are exact, as ``evaluate`` works out formulas."""
    return Fraction(repr(value)) if isinstance(value, float) else Fraction(value)


def _number(value: Fraction) -> int | float:
    """An exact sum back as a cell's value: whole numbers stay ``int`` (money in đồng)."""
    return int(value) if value.denominator == 1 else float(value)


def _key(row: Row) -> tuple[str, str, str, int]:
    return row.kind, row.number, row.label, row.level


def sum_tables(form: Form, sets: list[dict[str, list[Row]]]) -> dict[str, list[Row]]:
    """Each table's rows over ``sets`` (one per child unit's issued form), added."""
    result: dict[str, list[Row]] = {}
    for table in form.data.get("tables") or []:
        columns = [c for c, _g in _leaves(table.get("columns") or [])]
        by_column = {c["key"] for c in columns if c.get("kind") in _ADDED
                     or c.get("total") == "sum"}
        figures = {c["key"] for c in columns if c.get("kind") in ("decimal", *_ADDED)}
        # a fixed row says what its figures are (``value_kind``): counts and amounts add up
        # in any figures column, rates and averages never
        row_kinds = {(str(item.get("code", "")), str(item.get("label", ""))):
                     item.get("value_kind") for block in table.get("rows") or []
                     for item in block.get("items") or [] if item.get("value_kind")}

        merged: dict[tuple[str, str, str, int], Row] = {}
        for rows in sets:
            for row in rows.get(str(table["id"]), []):
                into = merged.get(_key(row))
                added = _added_in(row, row_kinds, by_column, figures)
                if into is None:  # a row of one unit alone keeps its figures as they are
                    merged[_key(row)] = Row(row.kind, row.label, row.number, row.level,
                                            dict(row.values), row.in_total)
                    continue
                for key, value in list(into.values.items()):
                    if key not in added and isinstance(value, (int, float, Fraction)):
                        into.values[key] = None  # a rate or an average: not added
                for key in added:
                    mine, theirs = into.values.get(key), row.values.get(key)
                    if isinstance(theirs, (int, float, Fraction)) \
                            and not isinstance(theirs, bool):
                        into.values[key] = _exact(mine if isinstance(
                            mine, (int, float, Fraction)) else 0) + _exact(theirs)
        for row in merged.values():
            row.values.update({key: _number(value) for key, value in row.values.items()
                               if isinstance(value, Fraction)})
            _recompute(columns, row)
        result[str(table["id"])] = list(merged.values())
    return result


def _added_in(row: Row, row_kinds: dict[tuple[str, str], Any], by_column: set[str],
              figures: set[str]) -> set[str]:
    """The columns whose figures of ``row`` add up across units."""
    kind = row_kinds.get((row.number, row.label))
    if kind in _ADDED:
        return by_column | figures
    if kind is not None:
        return set()
    return by_column


def _recompute(columns: list[dict[str, Any]], row: Row) -> None:
    """Rates and other worked-out cells from the added figures."""
    for _round in range(3):
        for column in columns:
            if "formula" in column:
                row.values[column["key"]] = evaluate(column["formula"], row.values)
    for column in columns:
        rule = column.get("total")
        if isinstance(rule, dict) and rule.get("rule") == "ratio" and row.kind in (
                "total", "subtotal"):
            row.values[column["key"]] = evaluate(
                f"{rule['numerator']} / {rule['denominator']} * {rule.get('times', 1)}",
                row.values)


def consolidated_document(workspace: Workspace, form: Form, period: Period,
                          options: report_catalog.ReportOptions,
                          reports: list[tuple[str, str, str]], missing: list[str]
                          ) -> Document:
    """The form's tables at a parent: the sums of ``reports`` (``(unit, number and
    symbol, figures JSON)`` of each child's signed issue), who is included and who has not
    reported, under the parent's letterhead and signature."""
    ctx = _context(workspace, form, period, options)
    summed = sum_tables(form, [read_figures(figures) for _u, _n, figures in reports])
    listed = "; ".join(f"{unit} ({number})" for unit, number, _f in reports)
    notes = [Note(_("Consolidated from the signed reports of {count} child units: "
                    "{units}.").format(count=format_number(len(reports)),
                                       units=listed or _("none")), italic=True)]
    notes.append(Note(_("Child units that have not reported for {period} ({count}): "
                        "{units}.").format(period=ctx.period_label, count=format_number(
                            len(missing)), units=", ".join(missing)) if missing else
                      _("Every child unit has issued and signed this report for {period}.")
                      .format(period=ctx.period_label), italic=True))
    sheets = []
    for index, table in enumerate(form.data.get("tables") or []):
        parts, _rows = table_parts(ctx, None, table, form, summed.get(str(table["id"]), []))
        sheets.append(Sheet(str(table.get("number") or table["id"])[:31],
                            (notes if index == 0 else []) + parts,
                            landscape=table.get("orientation") != "portrait",
                            letterhead=index == 0, signature=False))
    title = ctx.text(form.title)
    info = report_catalog.document_info(
        workspace, doc_type=pgettext("document type", "CONSOLIDATED TABLE") if sheets
        else pgettext("document type", "REPORT"),
        subject=_("{form}, {period}: consolidated from the child units").format(
            form=title, period=ctx.period_label) if ctx.period_label not in title else
        _("{form}: consolidated from the child units").format(form=title), options=options)
    about = Sheet(_("About the form"), [Note(_("Form {form}, version {version}; figures "
                                               "as of {date}.").format(
        form=form.id, version=form.version, date=format_date(ctx.as_of)))],
        only="xlsx", letterhead=False, signature=False)
    if not sheets:  # a narrative form (Mẫu 01): who reported, signed by the parent
        return Document(info, [Sheet(_("Report"), notes, letterhead=True, signature=True,
                                     landscape=False), about], pdf_signature_after=1)
    # each table is signed under it (NGƯỜI LẬP BIỂU and the authority), as a commune's is
    return Document(info, [*sheets, about], pdf_signature=False)


def consolidated_figures(form: Form, period: Period, reports: list[tuple[str, str, str]]
                         ) -> str:
    """The parent's consolidated figures, in the same format (so they travel up again)."""
    summed = sum_tables(form, [read_figures(figures) for _u, _n, figures in reports])
    data = {"format": FORMAT, "form": form.id, "version": str(form.version),
            "period": [period.start.isoformat(), period.end.isoformat()],
            "as_of": period.end.isoformat(),
            "tables": {table: [_row_data(r) for r in rows] for table, rows in summed.items()}}
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
