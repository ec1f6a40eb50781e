"""Hoạt động: communication campaigns, emulation movements, training, inspections and
supervision, with their participants."""

from ctmtqg_desktop.i18n import N_
from ctmtqg_desktop.services.activities import _demo, _overview, _reports
from ctmtqg_desktop.services.area import Area, DemoStep, OverviewSection
from ctmtqg_desktop.store.models.activities import Activity

AREA = Area(
    key="activities", label=N_("Activities (communication, training, inspection)"),
    records=(Activity,),
    reports=(_reports.ACTIVITIES_REPORT,),
    overview=(OverviewSection(45, _overview.activities_section),),
    demo=(DemoStep(50, _demo.add_activities),),
)
