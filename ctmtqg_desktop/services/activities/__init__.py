"""Hoạt động: communication campaigns, emulation movements, training, inspections and
supervision, with their participants."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ctmtqg_desktop.i18n import N_
from ctmtqg_desktop.services.activities import _overview
from ctmtqg_desktop.services.area import Area, DemoStep, OverviewSection, lazy_exports
from ctmtqg_desktop.store.models.activities import Activity

if TYPE_CHECKING:  # the same names, imported lazily below (issue 17)
    from ctmtqg_desktop.services.activities._demo import build_activity, demo_data
    from ctmtqg_desktop.services.activities._listing import (
        activity_ids,
        activity_rows,
        filter_options,
    )
    from ctmtqg_desktop.services.activities._records import (
        ATTACHMENT_TABLE,
        KINDS,
        NO_PROGRAM,
        ActivityInput,
        attach_evidence,
        delete_activity,
        get_activity,
        kind_label,
        save_activity,
    )
    from ctmtqg_desktop.services.activities._reports import write_list
    from ctmtqg_desktop.services.activities._summary import (
        Totals,
        summary,
        summary_text,
        year_groups,
    )
    from ctmtqg_desktop.services.activities._workbook import (
        import_activities,
        result_text,
        write_activities_template,
    )
    from ctmtqg_desktop.services.report_catalog import ReportSpec

__getattr__, __dir__ = lazy_exports(__name__, {
    "_demo": (
        "build_activity", "demo_data",
    ),
    "_listing": (
        "activity_ids", "activity_rows", "filter_options",
    ),
    "_records": (
        "ATTACHMENT_TABLE", "KINDS", "NO_PROGRAM", "ActivityInput", "attach_evidence",
        "delete_activity", "get_activity", "kind_label", "save_activity",
    ),
    "_reports": (
        "write_list",
    ),
    "_summary": (
        "Totals", "summary", "summary_text", "year_groups",
    ),
    "_workbook": (
        "import_activities", "result_text", "write_activities_template",
    ),
})


def _area_reports() -> tuple[ReportSpec, ...]:
    """The area's reports, imported when the report list is first asked for (issue 17)."""
    from ctmtqg_desktop.services.activities import _reports

    return (_reports.ACTIVITIES_REPORT,)


def _area_demo() -> tuple[DemoStep, ...]:
    """The area's demo steps, imported when a demo is built (issue 17)."""
    from ctmtqg_desktop.services.activities import _demo

    return (DemoStep(50, _demo.add_activities),)


AREA = Area(
    key="activities", label=N_("Activities (communication, training, inspection)"),
    records=(Activity,),
    reports=_area_reports,
    overview=(OverviewSection(45, _overview.activities_section),),
    demo=_area_demo,
)

__all__ = [
    "ActivityInput",
    "ATTACHMENT_TABLE",
    "Totals",
    "year_groups",
    "KINDS",
    "NO_PROGRAM",
    "activity_ids",
    "activity_rows",
    "attach_evidence",
    "build_activity",
    "delete_activity",
    "demo_data",
    "filter_options",
    "get_activity",
    "import_activities",
    "kind_label",
    "result_text",
    "save_activity",
    "summary",
    "summary_text",
    "write_activities_template",
    "write_list",
    "AREA",
]
