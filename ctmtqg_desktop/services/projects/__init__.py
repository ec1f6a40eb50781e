"""Dự án, công trình: investment projects and activities, their scores and ranking, the
what-if moves of unspent capital, and the overlaps between programmes."""

from ctmtqg_desktop.i18n import N_
from ctmtqg_desktop.services.area import Area, DemoStep, OverviewSection
from ctmtqg_desktop.services.projects import _demo, _overview, _portfolio, _reports
from ctmtqg_desktop.services.projects._adjustment import (
    AdjustmentPlan,
    apply_adjustment,
    propose_adjustment,
    revise_plan,
)
from ctmtqg_desktop.services.projects._overlaps import (
    MIN_REASON_LENGTH,
    OverlapFlag,
    detect,
    mark_not_overlap,
    open_counts,
    reopen,
)
from ctmtqg_desktop.services.projects._portfolio import (
    PortfolioRow,
    check_weights,
    dimension_label,
    filter_rows,
    get_row,
    get_weights,
    portfolio,
    portfolio_and_flags,
    set_funding,
    set_score,
    set_scores,
    set_weights,
)
from ctmtqg_desktop.services.projects._records import (
    ProjectInfo,
    get_project,
    list_projects,
    save_project,
    stage_label,
)
from ctmtqg_desktop.services.projects._reports import write_proposal
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

__all__ = [
    "AdjustmentPlan",
    "MIN_REASON_LENGTH",
    "OverlapFlag",
    "PortfolioRow",
    "ProjectInfo",
    "apply_adjustment",
    "check_weights",
    "detect",
    "dimension_label",
    "filter_rows",
    "get_project",
    "get_row",
    "get_weights",
    "list_projects",
    "mark_not_overlap",
    "open_counts",
    "portfolio",
    "portfolio_and_flags",
    "propose_adjustment",
    "reopen",
    "revise_plan",
    "save_project",
    "set_funding",
    "set_score",
    "set_scores",
    "set_weights",
    "stage_label",
    "write_proposal",
    "AREA",
]
