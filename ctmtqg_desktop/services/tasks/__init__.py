"""Nhiệm vụ: directives from above, the tasks they assign, deadlines and progress updates."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ctmtqg_desktop.i18n import N_
from ctmtqg_desktop.services.area import AfterApply, Area, DemoStep, OverviewSection, lazy_exports
from ctmtqg_desktop.services.tasks import _derived, _overview
from ctmtqg_desktop.store.models.tasks import Directive, Task, TaskProgress

if TYPE_CHECKING:  # the same names, imported lazily below (issue 17)
    from ctmtqg_desktop.services.report_catalog import ReportSpec
    from ctmtqg_desktop.services.tasks._derived import derived_values, progress_order, refresh
    from ctmtqg_desktop.services.tasks._directives import (
        DIRECTIVE_TABLE,
        delete_directive,
        directive_label,
        get_directive,
        list_directives,
        save_directive,
    )
    from ctmtqg_desktop.services.tasks._listing import (
        filter_options,
        row_state,
        summary,
        task_ids,
        task_rows,
    )
    from ctmtqg_desktop.services.tasks._records import (
        TaskInput,
        add_progress,
        delete_task,
        get_task,
        save_task,
        task_detail,
        withdraw_progress,
    )
    from ctmtqg_desktop.services.tasks._rules import (
        NO_PROGRAM,
        TaskInputInvalid,
        check_programs,
        check_schedule,
        normalize_block,
        occurrence_state_label,
        of_unit,
        parse_assignee,
        schedule_kind_label,
        schedule_text,
        split_lines,
        status_label,
        unit_body,
    )
    from ctmtqg_desktop.services.tasks._workbook import (
        import_tasks,
        result_text,
        write_tasks_template,
    )

__getattr__, __dir__ = lazy_exports(__name__, {
    "_derived": (
        "derived_values", "progress_order", "refresh",
    ),
    "_directives": (
        "DIRECTIVE_TABLE", "delete_directive", "directive_label", "get_directive",
        "list_directives", "save_directive",
    ),
    "_listing": (
        "filter_options", "row_state", "summary", "task_ids", "task_rows",
    ),
    "_records": (
        "TaskInput", "add_progress", "delete_task", "get_task", "save_task", "task_detail",
        "withdraw_progress",
    ),
    "_rules": (
        "NO_PROGRAM", "TaskInputInvalid", "check_programs", "check_schedule",
        "normalize_block", "occurrence_state_label", "of_unit", "parse_assignee",
        "schedule_kind_label", "schedule_text", "split_lines", "status_label", "unit_body",
    ),
    "_workbook": (
        "import_tasks", "result_text", "write_tasks_template",
    ),
})


def _area_reports() -> tuple[ReportSpec, ...]:
    """The area's reports, imported when the report list is first asked for (issue 17)."""
    from ctmtqg_desktop.services.tasks import _reports

    return (_reports.TASKS_REPORT,)


def _area_demo() -> tuple[DemoStep, ...]:
    """The area's demo steps, imported when a demo is built (issue 17)."""
    from ctmtqg_desktop.services.tasks import _demo

    return (DemoStep(40, _demo.add_tasks),)


AREA = Area(
    key="tasks", label=N_("Tasks"),
    records=(Directive, Task, TaskProgress),
    reports=_area_reports,
    overview=(OverviewSection(10, _overview.tasks_section),),
    demo=_area_demo,
    after_apply=(AfterApply(("task", "task_progress"), _derived.refresh_after_apply),),
)

__all__ = [
    "TaskInput",
    "DIRECTIVE_TABLE",
    "delete_task",
    "get_directive",
    "get_task",
    "parse_assignee",
    "summary",
    "NO_PROGRAM",
    "TaskInputInvalid",
    "add_progress",
    "check_programs",
    "check_schedule",
    "delete_directive",
    "derived_values",
    "directive_label",
    "filter_options",
    "import_tasks",
    "result_text",
    "list_directives",
    "normalize_block",
    "occurrence_state_label",
    "of_unit",
    "progress_order",
    "refresh",
    "row_state",
    "save_directive",
    "save_task",
    "schedule_kind_label",
    "schedule_text",
    "split_lines",
    "status_label",
    "task_detail",
    "task_ids",
    "task_rows",
    "unit_body",
    "withdraw_progress",
    "write_tasks_template",
    "AREA",
]
