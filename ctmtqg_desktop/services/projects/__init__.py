"""Dự án, công trình: investment projects and activities, their scores and ranking, the
what-if moves of unspent capital, and the overlaps between programmes."""

from ctmtqg_desktop.i18n import N_
from ctmtqg_desktop.services.area import Area, DemoStep, OverviewSection
from ctmtqg_desktop.services.projects import _demo, _overview, _portfolio, _reports
from ctmtqg_desktop.store.models.capital import OverlapDecision, ProjectFunding, ProjectScore
from ctmtqg_desktop.store.models.projects import Project

AREA = Area(
    key="projects", label=N_("Projects and works"),
    records=(Project, ProjectScore, ProjectFunding, OverlapDecision),
    reports=(_reports.PORTFOLIO_REPORT, _reports.CAPITAL_PROPOSAL_REPORT),
    overview=(OverviewSection(25, _overview.projects_section),),
    demo=(DemoStep(20, _demo.add_projects),),
    settings=tuple(_portfolio.WEIGHTS.values()),
)
