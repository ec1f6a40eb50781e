"""Nhập quyết định giao kế hoạch vốn từ Excel: the workbook that comes from above.

One row per capital plan line (year, programme, component, capital kind, source, amount and
the assigning decision). Programmes, kinds and sources are written the way officers write
them (``NTM``, ``ĐTPT``, ``Ngân sách trung ương`` or the catalog codes; diacritics
optional). All rows or none: every row is checked first (values, catalog references,
duplicates, and that a line already in the workspace is not brought below what it has
allocated), then all are written in one unit of work. A line already in the workspace (same
year, programme, component, kind, source and decision number) is updated, not duplicated.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ctmtqg_desktop.domain import capital as rules
from ctmtqg_desktop.domain.errors import UserError
from ctmtqg_desktop.domain.text import fold
from ctmtqg_desktop.i18n import _
from ctmtqg_desktop.services import backups
from ctmtqg_desktop.services import workbook_import as wb
from ctmtqg_desktop.services.capital import _records as capital
from ctmtqg_desktop.services.capital import _rules as capital_rules
from ctmtqg_desktop.services.capital._columns import import_columns
from ctmtqg_desktop.store.models.capital import CapitalLine
from ctmtqg_desktop.store.models.catalog import (
    CapitalKind,
    CapitalSource,
    Program,
    ProgramComponent,
    ProgramPeriod,
)
from ctmtqg_desktop.store.uow import UnitOfWork
from ctmtqg_desktop.store.workspace import Workspace


def write_template(path) -> Path:
    return wb.write_template(path, import_columns(), title=_(
        "Capital plan assigned (decision of the competent authority)"), guide=[
        _("One row per capital plan line: a year, programme, capital kind and source assigned "
          "by one decision."),
        _("All rows are imported or none: a row with a mistake stops the import and the "
          "application lists every row to correct."),
        _("A line that is already in the workspace (same year, programme, component, kind, "
          "source and decision number) is updated with the new amount."),
    ])


class _Catalog:
    """Lookups from what officers write to catalog keys, diacritics ignored."""

    def __init__(self, session: Session) -> None:
        self.programs: dict[tuple[str, str], str] = {}
        periods = {p.id: p for p in session.scalars(select(ProgramPeriod))}
        self.period_of_program: dict[str, ProgramPeriod] = {}
        for program in session.scalars(select(Program)):
            self.period_of_program[program.id] = periods[program.period_id]
            for text in (program.id, program.code, program.abbreviation, program.short_name,
                         program.name):
                self.programs[(program.period_id, fold(text))] = program.id
        self.components = {c.id for c in session.scalars(select(ProgramComponent))}
        self.kinds: dict[str, str] = {}
        shorts = capital_rules.rules().kind_short_names
        for kind in session.scalars(select(CapitalKind)):
            for text in (kind.code, kind.name, shorts.get(kind.code, "")):
                if text:
                    self.kinds[fold(text)] = kind.code
                    self.kinds[fold(text).removeprefix("von ")] = kind.code
        self.sources: dict[str, str] = {}
        for source in session.scalars(select(CapitalSource)):
            self.sources[fold(source.code)] = source.code
            self.sources[fold(source.name)] = source.code
        self.periods = list(periods.values())

    def program(self, text: str, year: int) -> str | None:
        day_periods = [p.id for p in self.periods
                       if p.valid_from.year <= year <= (p.valid_to.year if p.valid_to else 9999)]
        for period in day_periods:
            found = self.programs.get((period, fold(text)))
            if found:
                return found
        return None

    def component(self, text: str, program_id: str) -> str | None:
        key = text.strip().strip("/")
        for candidate in (key, f"{program_id}/{key}"):
            if candidate in self.components and candidate.startswith(program_id + "/"):
                return candidate
        return None


def _check_line(row, lookup: _Catalog, problems: list[wb.RowProblem]) -> tuple[Any, ...] | None:
    """A row's key (year, programme, component, kind, source, folded decision number) and
    its resolved values, or None with its problems appended to ``problems``."""
    values = row.values
    year = values["year"]
    before = len(problems)
    if not capital.YEAR_RANGE[0] <= year <= capital.YEAR_RANGE[1]:
        problems.append(wb.RowProblem(row.row, _("Plan year"), _(
            "{year} is not a plan year").format(year=str(year))))
        return None
    program_id = lookup.program(values["program"], year)
    if program_id is None:
        problems.append(wb.RowProblem(row.row, _("Programme"), _(
            "“{value}” is not a programme of the catalog for {year}").format(
            value=values["program"], year=str(year))))
    component_id = None
    if values.get("component") and program_id:
        component_id = lookup.component(values["component"], program_id)
        if component_id is None:
            problems.append(wb.RowProblem(row.row, _("Project, sub-project or content"), _(
                "“{value}” is not a component of {program}").format(
                value=values["component"], program=program_id)))
    kind = lookup.kinds.get(fold(values["kind"]))
    if kind is None:
        problems.append(wb.RowProblem(row.row, _("Capital kind"), _(
            "“{value}” is not a capital kind (ĐTPT or SN)").format(value=values["kind"])))
    source = lookup.sources.get(fold(values["source"]))
    if source is None:
        problems.append(wb.RowProblem(row.row, _("Capital source"), _(
            "“{value}” is not a capital source of the catalog").format(
            value=values["source"])))
    try:
        amount = capital.resolve_amount(values.get("amount"), values.get("quantity"),
                                        values.get("unit_value"))
    except UserError as error:
        problems.append(wb.RowProblem(row.row, _("Amount (đồng)"), str(error)))
        amount = None
    if len(problems) > before:
        return None
    key = (year, program_id, component_id, kind, source, fold(values["decision_number"]))
    return key, dict(values, program_id=program_id, component_id=component_id,
                     kind_code=kind, source_code=source, amount_value=amount)


def _own_lines(session: Session, unit_id: str) -> dict[tuple[Any, ...], CapitalLine]:
    return {(line.year, line.program_id, line.component_id, line.capital_kind, line.source,
             fold(line.decision_number)): line
            for line in session.scalars(select(CapitalLine).where(
                CapitalLine.deleted.is_(False), CapitalLine.owner_unit_id == unit_id))}


def _apply_values(session: Session, line: CapitalLine, names, values: dict[str, Any]) -> None:
    capital.apply_line_values(
        session, line, names, year=values["year"], program_id=values["program_id"],
        component_id=values["component_id"], capital_kind=values["kind_code"],
        source=values["source_code"], amount=values["amount_value"],
        quantity=values.get("quantity"), quantity_unit=values.get("quantity_unit") or "",
        unit_value=values.get("unit_value"),
        decision_number=values["decision_number"],
        decision_date=values["decision_date"],
        decision_body=values.get("decision_body") or "", note=values.get("note") or "")


def import_lines(workspace: Workspace, path, *, legacy_encoding: str | None = None,
                 skip_unknown_columns: bool = False,
                 progress: Callable[[int, int], None] | None = None,
                 stop_requested: Callable[[], bool] | None = None) -> wb.ImportOutcome:
    """Add or update the lines of a capital-plan workbook; all rows or none.

    Returns the lines added, updated and unchanged (importing the same workbook twice
    changes nothing the second time). Raises :class:`workbook_import.WorkbookRejected` listing every
    problem (row, column, reason) when any row is wrong; nothing is written then.
    ``progress(done, total)`` follows the rows; ``stop_requested()`` returning True stops the
    import before anything is committed (``workbook_import.ImportStopped``).
    """

    step = wb.stepper(progress, stop_requested)
    rows = wb.read_rows(path, import_columns(), legacy_encoding=legacy_encoding,
                        skip_unknown_columns=skip_unknown_columns)
    total = len(rows) * 2
    problems: list[wb.RowProblem] = []
    resolved = []
    with UnitOfWork.read(workspace) as session:
        lookup = _Catalog(session)
    seen: dict[tuple[Any, ...], int] = {}
    for number, row in enumerate(rows, 1):
        step(number, total)
        checked = _check_line(row, lookup, problems)
        if checked is None:
            continue
        key, values = checked
        if key in seen:
            problems.append(wb.RowProblem(row.row, _("Decision number"), _(
                "the same line is already on row {row}").format(row=seen[key])))
            continue
        seen[key] = row.row
        resolved.append((row.row, key, values))
    wb.reject(path, problems)
    backups.before_import(workspace)  # issue 18: a backup before every import
    tally = wb.Tally()
    with UnitOfWork(workspace) as uow:
        session = uow.session
        names = capital.catalog_names(session)
        existing = _own_lines(session, uow.context.unit_id)
        figures = capital.figures_by_line(session, [line.id for line in existing.values()])
        for done, (number, key, values) in enumerate(resolved, len(rows) + 1):
            step(done, total)
            line = existing.get(key)
            new = line is None
            if line is None:
                line = CapitalLine()
                session.add(line)
            else:
                sums, _carry = figures[line.id]
                try:
                    rules.check_plan(capital.line_label(names, line),
                                     assigned=values["amount_value"], returned=sums.returned,
                                     allocated=sums.allocated)
                except UserError as error:
                    problems.append(wb.RowProblem(number, _("Amount (đồng)"), str(error)))
                    continue
            _apply_values(session, line, names, values)
            tally.count(session, line, new=new)
        wb.reject(path, problems)  # raising here rolls the unit of work back
        step(total, total)
        uow.commit()
    return tally.outcome()
