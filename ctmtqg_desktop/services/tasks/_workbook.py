"""The tasks workbook: its template and the all-or-nothing import of its rows."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ctmtqg_desktop.domain import schedules
from ctmtqg_desktop.domain.field_rules import rule
from ctmtqg_desktop.domain.text import fold, normalize
from ctmtqg_desktop.i18n import N_, _
from ctmtqg_desktop.services import backups
from ctmtqg_desktop.services.tasks._derived import refresh
from ctmtqg_desktop.services.tasks._listing import ComponentLookup
from ctmtqg_desktop.services.tasks._rules import normalize_block, parse_assignee
from ctmtqg_desktop.store.models.catalog import Program
from ctmtqg_desktop.store.models.tasks import Directive, Task
from ctmtqg_desktop.store.uow import UnitOfWork
from ctmtqg_desktop.store.workspace import Workspace

if TYPE_CHECKING:
    from ctmtqg_desktop.services.workbook_import import ImportColumn

_SCHEDULE_WORDS = {
    "không": schedules.NONE, "thường xuyên": schedules.NONE, "một lần": schedules.ONCE,
    "hằng tháng": schedules.MONTHLY, "hàng tháng": schedules.MONTHLY,
    "hằng quý": schedules.QUARTERLY, "hàng quý": schedules.QUARTERLY,
    "6 tháng": schedules.SEMIANNUAL, "hằng năm": schedules.YEARLY,
    "hàng năm": schedules.YEARLY,
}


def import_columns() -> list[ImportColumn]:
    from ctmtqg_desktop.services import workbook_import as wb

    return [
        wb.ImportColumn("text", N_("Task"), wb.text, width=60, rule=rule("task", "text"),
                        example="Rà soát danh mục dự án đầu tư năm 2024, đề xuất UBND huyện.",
                        help=N_("the task as the directive writes it")),
        wb.ImportColumn("directive", N_("Directive number"), wb.text,
                        max_length=wb.REFERENCE_LENGTH, required=False,
                        example="729/KH-UBND", width=16,
                        help=N_("number and symbol of a directive already entered in the "
                                "application; empty for a task of its own")),
        wb.ImportColumn("lead", N_("Lead"), wb.text, required=False, example="UBND xã Đắk La",
                        width=26, rule=rule("task", "lead_agency"),
                        help=N_("a unit (“UBND xã Đắk La” or its code 23524) or an "
                                "agency's name")),
        wb.ImportColumn("coordinators", N_("Coordinating"), wb.text, required=False,
                        example="Hội Nông dân xã; Đoàn Thanh niên xã", width=26,
                        rule=rule("task", "coordinators"),
                        help=N_("units or agencies, separated by semicolons")),
        wb.ImportColumn("program", N_("Programme"), wb.text,
                        max_length=wb.REFERENCE_LENGTH, required=False, example="NTM",
                        width=12, help=N_("NTM, GNBV or DTTS (or the catalog key); empty: "
                                          "common to every programme")),
        wb.ImportColumn("component", N_("Project / sub-project of the programme"), wb.text,
                        max_length=wb.REFERENCE_LENGTH,
                        required=False, example="", width=16,
                        help=N_("optional: the project or sub-project of the programme, by its "
                                "code as the catalog shows it (DA3, DA3 › TDA2) or by its name "
                                "(diacritics optional); the programme must be given")),
        wb.ImportColumn("deadline", N_("Deadline"), wb.date, required=False,
                        example="20/10/2023", width=13,
                        help=N_("dd/mm/yyyy, for a task with one deadline")),
        wb.ImportColumn("repeat", N_("Repeats"), wb.choice(_SCHEDULE_WORDS), required=False,
                        example="không", width=13,
                        help=N_("không, hằng tháng, hằng quý, 6 tháng or hằng năm")),
        wb.ImportColumn("repeat_day", N_("Day of the period"), wb.whole_number,
                        required=False, example="", width=10,
                        help=N_("for a recurring task: the day of the month it is due "
                                "(20 for “before the 20th of each month”)")),
        wb.ImportColumn("repeat_month", N_("Month of the first occurrence"), wb.whole_number,
                        required=False, example="", width=12,
                        help=N_("for quarterly, 6-monthly and yearly tasks: the month of the "
                                "first occurrence in the year (1-12)")),
        wb.ImportColumn("expected_output", N_("Expected output"), wb.text, required=False,
                        example="Danh mục dự án đề xuất", width=24,
                        rule=rule("task", "expected_output")),
        wb.ImportColumn("target", N_("Target quantity"), wb.whole_number, required=False,
                        example="", width=12, rule=rule("task", "target_quantity"),
                        help=N_("a measurable target, if any (a whole number)")),
        wb.ImportColumn("target_unit", N_("Unit of measure"), wb.text, required=False,
                        example="", width=12, rule=rule("task", "target_unit"),
                        help=N_("km, households, classes…; “đồng” for an amount")),
    ]


def write_tasks_template(path) -> Path:
    from ctmtqg_desktop.services import workbook_import as wb

    return wb.write_template(path, import_columns(), title=_("List of tasks"), guide=[
        _("One row per task. Every row is checked; if one is wrong, nothing is imported and "
          "each wrong row and column is listed."),
        _("A task with one deadline fills “Deadline”; a recurring task fills “Repeats” and "
          "“Day of the period”; an ongoing task leaves both empty."),
    ])


@dataclass(frozen=True)
class ImportResult:
    added: int
    directive_links: int
    #: tasks already recorded (same directive, same text) that the workbook changed
    updated: int = 0
    #: tasks already recorded exactly as the workbook says (a second import of a workbook)
    unchanged: int = 0


def result_text(result: ImportResult) -> str:
    """The sentence the command line and the page show after an import."""
    return _("Imported tasks: {added} added ({linked} linked to a directive), {updated} "
             "updated, {unchanged} unchanged.").format(
        added=result.added, linked=result.directive_links, updated=result.updated,
        unchanged=result.unchanged)


def _task_key(directive_id: uuid.UUID | None, text: str) -> tuple[Any, str]:
    """A task's natural key in a workbook: its directive and its text (diacritics, case
    and spacing ignored)."""
    return (directive_id, fold(normalize_block(text)))


def _lookups(session: Session) -> tuple[dict[str, uuid.UUID], dict[str, str], ComponentLookup]:
    """Directives by folded number, programmes by folded key, code or abbreviation, and the
    programmes' components, as the rows name them."""
    directives: dict[str, uuid.UUID] = {}
    for row in session.scalars(select(Directive).where(Directive.deleted.is_(False))):
        if row.number_symbol:
            directives.setdefault(fold(row.number_symbol), row.id)
    programs: dict[str, str] = {}
    for program in session.scalars(select(Program)):
        for key in (program.id, program.code, program.abbreviation):
            programs.setdefault(fold(key), program.id)
    return directives, programs, ComponentLookup(session)


def _component(values: dict[str, Any], program_id: str | None, components: ComponentLookup,
               bad: Callable[[str, str], None]) -> tuple[str | None, str | None]:
    """(programme, component) of a row that names a component; the programme may come from
    the component when the row names none."""
    written = values["component"]
    if program_id is None and not values.get("program"):
        program_id = components.program_of(written)
    component_id = components.find(program_id, written) if program_id is not None else None
    if component_id is None and (program_id is not None or not values.get("program")):
        bad(N_("Project / sub-project of the programme"), _(
            "“{value}” is not a project or sub-project of the programme {program}; "
            "write its code as the catalog shows it (DA3, DA3 › TDA2) or its "
            "name").format(value=written, program=program_id.split("/")[-1])
            if program_id else _(
            "“{value}”: give the programme in the column “Programme” first"
            ).format(value=written))
    return program_id, component_id


def _schedule(values: dict[str, Any], starting: dt.date,
              bad: Callable[[str, str], None]) -> schedules.Schedule:
    kind = values.get("repeat") or schedules.NONE
    deadline = values.get("deadline")
    day = values.get("repeat_day")
    month = values.get("repeat_month")
    if kind == schedules.NONE and deadline is not None:
        kind = schedules.ONCE
    if kind == schedules.ONCE and deadline is None:
        bad(N_("Deadline"), _("a task with one deadline needs the date"))
    if kind in schedules.EVERY_MONTHS:
        if deadline is not None:
            bad(N_("Deadline"), _("a recurring task has no single deadline; "
                                  "leave this cell empty"))
        if day is None or not 1 <= day <= 31:
            bad(N_("Day of the period"), _("give the day it is due, 1 to 31"))
        if month is not None and not 1 <= month <= 12:
            bad(N_("Month of the first occurrence"), _("must be between 1 and 12"))
    elif day is not None or month is not None:
        bad(N_("Repeats"), _("say how often it repeats, or leave the day and month "
                             "empty"))
    return schedules.Schedule(
        kind, deadline if kind == schedules.ONCE else None,
        day or 0, month or (starting.month if kind in schedules.EVERY_MONTHS else 1),
        dt.date(starting.year, starting.month, 1) if kind in schedules.EVERY_MONTHS
        else None)


def _target(values: dict[str, Any], bad: Callable[[str, str], None]) -> tuple[str, Any, str]:
    target = values.get("target")
    unit = values.get("target_unit") or ""
    target_kind = "none"
    if target is not None:
        if target <= 0:
            bad(N_("Target quantity"), _("must be greater than zero"))
        if not unit:
            bad(N_("Unit of measure"), _("a target needs its unit"))
        target_kind = "amount" if fold(unit) in ("dong", "vnd") else "quantity"
    elif unit:
        bad(N_("Target quantity"), _("a unit of measure was given without a quantity"))
    return target_kind, target, unit


def _prepare(values: dict[str, Any], lookups, starting: dt.date,
             bad: Callable[[str, str], None]) -> dict[str, Any]:
    """A row's task as plain values, every problem of the row reported through ``bad``."""
    directives, programs, components = lookups
    directive_id = None
    if values.get("directive"):
        directive_id = directives.get(fold(values["directive"]))
        if directive_id is None:
            bad(N_("Directive number"), _(
                "no directive “{number}” has been entered; enter the directive "
                "first").format(number=values["directive"]))
    program_id = None
    if values.get("program"):
        program_id = programs.get(fold(values["program"]))
        if program_id is None:
            bad(N_("Programme"), _("“{value}” is not NTM, GNBV or DTTS").format(
                value=values["program"]))
    component_id = None
    if values.get("component"):
        program_id, component_id = _component(values, program_id, components, bad)
    schedule = _schedule(values, starting, bad)
    target_kind, target, unit = _target(values, bad)
    return dict(
        text=values["text"], directive_id=directive_id, program_id=program_id,
        component_id=component_id,
        lead=values.get("lead") or "", coordinators=[
            c for c in (values.get("coordinators") or "").split(";") if c.strip()],
        schedule=schedule, expected_output=values.get("expected_output") or "",
        target_kind=target_kind, target_quantity=target, target_unit=unit)


def _write_task(session: Session, item: dict[str, Any],
                orders: dict[uuid.UUID | None, int], row: Task | None) -> Task:
    """One prepared row written as a new task (last of its directive's tasks) or into
    ``row``, the task already recorded with the same directive and text."""
    key = item["directive_id"]
    if row is None:
        if key not in orders:
            orders[key] = session.execute(select(func.max(Task.sort_order)).where(
                Task.directive_id == key if key else Task.directive_id.is_(None))
            ).scalar() or 0
        orders[key] += 1
        row = Task(text=normalize_block(item["text"]), directive_id=key,
                   sort_order=orders[key])
        session.add(row)
        progress: list[Any] | None = []
    else:
        progress = None  # refresh reads the task's progress
    schedule = item["schedule"]
    lead = parse_assignee(session, item["lead"])
    row.lead_unit_id = lead.unit_id
    row.lead_agency = lead.agency
    row.coordinators = "\n".join(parse_assignee(session, c).encoded()
                                 for c in item["coordinators"])
    row.program_id = item["program_id"]
    row.component_id = item["component_id"]
    row.schedule_kind = schedule.kind
    row.deadline = schedule.deadline
    row.schedule_day = schedule.day
    row.schedule_month = schedule.month
    row.schedule_start = schedule.start
    row.expected_output = normalize_block(item["expected_output"])
    row.target_kind = item["target_kind"]
    row.target_quantity = item["target_quantity"]
    row.target_unit = normalize(item["target_unit"])
    session.flush()
    refresh(session, row, progress)
    return row


def _own_tasks(session: Session, unit_id: str) -> dict[tuple[Any, str], Task]:
    return {_task_key(task.directive_id, task.text): task
            for task in session.scalars(select(Task).where(
                Task.owner_unit_id == unit_id, Task.deleted.is_(False)))}


def import_tasks(workspace: Workspace, path, *, starting: dt.date | None = None,
                 legacy_encoding: str | None = None,
                 skip_unknown_columns: bool = False,
                 progress: Callable[[int, int], None] | None = None,
                 stop_requested: Callable[[], bool] | None = None) -> ImportResult:
    """Add the tasks listed in a workbook: every row is checked, then all are written in
    one transaction, or none (``WorkbookRejected`` names each bad row and column).

    ``progress(done, total)`` follows the rows (checked, then written); ``stop_requested()``
    returning True stops the import before the commit (``workbook_import.ImportStopped``)."""
    from ctmtqg_desktop.services import workbook_import as wb

    step = wb.stepper(progress, stop_requested)
    rows, problems = wb.read_rows_with_problems(path, import_columns(),
                                                legacy_encoding=legacy_encoding,
                                                skip_unknown_columns=skip_unknown_columns)
    total_steps = max(2 * len(rows), 1)
    starting = starting or workspace.today()
    prepared = []
    first_row_of: dict[tuple[Any, str], int] = {}
    with UnitOfWork.read(workspace) as session:
        lookups = _lookups(session)
        for checked, row in enumerate(rows):
            step(checked, total_steps)
            problem_count = len(problems)

            def bad(column: str, message: str, line: int = row.row) -> None:
                problems.append(wb.RowProblem(line, _(column), message))

            item = _prepare(row.values, lookups, starting, bad)
            if len(problems) > problem_count or any(
                    p.row == row.row for p in problems[:problem_count]):
                continue
            key = _task_key(item["directive_id"], item["text"])
            if key in first_row_of:
                bad(N_("Task"), _("the same task (same directive and text) as row "
                                  "{row}").format(row=first_row_of[key]))
                continue
            first_row_of[key] = row.row
            prepared.append(item)
    wb.reject(path, problems)
    backups.before_import(workspace)  # issue 18: a backup before every import
    tally = wb.Tally()
    added_links = 0
    with UnitOfWork(workspace) as uow:
        orders: dict[uuid.UUID | None, int] = {}
        existing = _own_tasks(uow.session, uow.context.unit_id)
        for written, item in enumerate(prepared):
            step(len(rows) + written, total_steps)
            recorded = existing.get(_task_key(item["directive_id"], item["text"]))
            task = _write_task(uow.session, item, orders, recorded)
            tally.count(uow.session, task, new=recorded is None)
            added_links += recorded is None and item["directive_id"] is not None
        step(total_steps, total_steps)
        uow.commit()
    return ImportResult(tally.added, added_links, tally.updated, tally.unchanged)
