"""Thôn: the villages of the commune, with households, population and the extremely
disadvantaged ones."""

from ctmtqg_desktop.i18n import N_
from ctmtqg_desktop.services.area import Area, DemoStep, OverviewSection
from ctmtqg_desktop.services.villages import _demo, _overview, _reports
from ctmtqg_desktop.store.models.villages import Village

AREA = Area(
    key="villages", label=N_("Villages"),
    records=(Village,),
    reports=(_reports.VILLAGES_REPORT,),
    overview=(OverviewSection(90, _overview.villages_section),),
    demo=(DemoStep(10, _demo.add_villages),),
)
