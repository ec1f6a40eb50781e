"""Đơn vị cấp dưới: the parent unit's desk: its child units, the records it sends down, the
monitoring board and the consolidated report, reorganisations of units."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ctmtqg_desktop.i18n import N_
from ctmtqg_desktop.services.area import Area, OverviewSection, lazy_exports
from ctmtqg_desktop.services.parent import _children, _overview
from ctmtqg_desktop.store.models.parent import (
    Assignment,
    AssignmentRecord,
    ReferenceDelivery,
    ReferenceDispatch,
    Reorganisation,
)

if TYPE_CHECKING:  # the same names, imported lazily below (issue 17)
    from ctmtqg_desktop.services.parent._board import (
        ACTIVITY_FIELDS,
        BOARD_SORT_KEYS,
        compute,
        filter_rows,
        total_of,
    )
    from ctmtqg_desktop.services.parent._children import (
        filter_children,
        list_children,
        package_files,
    )
    from ctmtqg_desktop.services.parent._demo import (
        DEFAULT_CHILDREN,
        DEMO_YEARS,
        build,
        build_commune,
        demo_data,
        demo_today_of,
        init_today_commune,
    )
    from ctmtqg_desktop.services.parent._detail import child_detail
    from ctmtqg_desktop.services.parent._dispatch import (
        TaskDraft,
        answer,
        assign_capital,
        assign_directive,
        children_difficulties,
        install_catalog_update,
        send_reference,
        sent_items,
    )
    from ctmtqg_desktop.services.parent._reorganisation import apply, reorganisations, unit_map
    from ctmtqg_desktop.services.report_catalog import ReportSpec

__getattr__, __dir__ = lazy_exports(__name__, {
    "_board": (
        "ACTIVITY_FIELDS", "BOARD_SORT_KEYS", "compute", "filter_rows", "total_of",
    ),
    "_children": (
        "filter_children", "list_children", "package_files",
    ),
    "_demo": (
        "DEFAULT_CHILDREN", "DEMO_YEARS", "build", "build_commune", "demo_data",
        "demo_today_of", "init_today_commune",
    ),
    "_detail": (
        "child_detail",
    ),
    "_dispatch": (
        "TaskDraft", "answer", "assign_capital", "assign_directive",
        "children_difficulties", "install_catalog_update", "send_reference", "sent_items",
    ),
    "_reorganisation": (
        "apply", "reorganisations", "unit_map",
    ),
})


def _area_reports() -> tuple[ReportSpec, ...]:
    """The area's reports, imported when the report list is first asked for (issue 17)."""
    from ctmtqg_desktop.services.parent import _reports

    return (_reports.BOARD_REPORT,)


AREA = Area(
    key="parent", label=N_("Child units"),
    records=(Assignment, AssignmentRecord, ReferenceDispatch, ReferenceDelivery, Reorganisation),
    reports=_area_reports,
    overview=(OverviewSection(5, _overview.children_section),),
    settings=(_children.STALE_DAYS,),
)

__all__ = [
    "ACTIVITY_FIELDS",
    "BOARD_SORT_KEYS",
    "DEFAULT_CHILDREN",
    "TaskDraft",
    "answer",
    "apply",
    "assign_capital",
    "assign_directive",
    "build",
    "build_commune",
    "demo_today_of",
    "init_today_commune",
    "DEMO_YEARS",
    "child_detail",
    "children_difficulties",
    "compute",
    "demo_data",
    "filter_children",
    "filter_rows",
    "install_catalog_update",
    "list_children",
    "package_files",
    "reorganisations",
    "send_reference",
    "sent_items",
    "total_of",
    "unit_map",
    "AREA",
]
