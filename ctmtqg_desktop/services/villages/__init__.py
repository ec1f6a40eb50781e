"""Thôn: the villages of the commune, with households, population and the extremely
disadvantaged ones."""

from ctmtqg_desktop.i18n import N_
from ctmtqg_desktop.services.area import Area, DemoStep, OverviewSection
from ctmtqg_desktop.services.villages import _demo, _overview, _reports
from ctmtqg_desktop.services.villages._records import (
    VillageInfo,
    delete_village,
    import_villages,
    list_villages,
    save_village,
    write_villages_template,
)
from ctmtqg_desktop.store.models.villages import Village

AREA = Area(
    key="villages", label=N_("Villages"),
    records=(Village,),
    reports=(_reports.VILLAGES_REPORT,),
    overview=(OverviewSection(90, _overview.villages_section),),
    demo=(DemoStep(10, _demo.add_villages),),
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
