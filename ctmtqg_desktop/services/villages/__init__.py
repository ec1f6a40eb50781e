"""Thôn: the villages of the commune, with households, population and the extremely
disadvantaged ones."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ctmtqg_desktop.i18n import N_
from ctmtqg_desktop.services.area import Area, DemoStep, OverviewSection, lazy_exports
from ctmtqg_desktop.services.villages import _overview
from ctmtqg_desktop.store.models.villages import Village

if TYPE_CHECKING:  # the same names, imported lazily below (issue 17)
    from ctmtqg_desktop.services.report_catalog import ReportSpec
    from ctmtqg_desktop.services.villages._records import (
        VillageInfo,
        delete_village,
        import_villages,
        list_villages,
        save_village,
        write_villages_template,
    )

__getattr__, __dir__ = lazy_exports(__name__, {
    "_records": (
        "VillageInfo", "delete_village", "import_villages", "list_villages", "save_village",
        "write_villages_template",
    ),
})


def _area_reports() -> tuple[ReportSpec, ...]:
    """The area's reports, imported when the report list is first asked for (issue 17)."""
    from ctmtqg_desktop.services.villages import _reports

    return (_reports.VILLAGES_REPORT,)


def _area_demo() -> tuple[DemoStep, ...]:
    """The area's demo steps, imported when a demo is built (issue 17)."""
    from ctmtqg_desktop.services.villages import _demo

    return (DemoStep(10, _demo.add_villages),)


AREA = Area(
    key="villages", label=N_("Villages"),
    records=(Village,),
    reports=_area_reports,
    overview=(OverviewSection(90, _overview.villages_section),),
    demo=_area_demo,
)

__all__ = [
    "VillageInfo",
    "delete_village",
    "import_villages",
    "list_villages",
    "save_village",
    "write_villages_template",
    "AREA",
]
