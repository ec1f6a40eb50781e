"""Hồ sơ: each project's sample dossier (templates by stage), the forms filled and printed,
and how complete it is."""

from ctmtqg_desktop.i18n import N_
from ctmtqg_desktop.services.area import Area, DemoStep, OverviewSection
from ctmtqg_desktop.services.dossiers import _demo, _overview, _reports
from ctmtqg_desktop.store.models.dossiers import Dossier, DossierDocument, DossierTemplate

AREA = Area(
    key="dossiers", label=N_("Dossiers"),
    records=(DossierTemplate, Dossier, DossierDocument),
    reports=(_reports.DOSSIERS_REPORT,),
    overview=(OverviewSection(40, _overview.dossier_section),),
    demo=(DemoStep(40, _demo.add_dossiers),),
)
