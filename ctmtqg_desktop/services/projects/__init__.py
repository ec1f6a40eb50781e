"""Dự án, công trình: investment projects and activities, their scores and ranking, the
what-if moves of unspent capital, and the overlaps between programmes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ctmtqg_desktop.i18n import N_
from ctmtqg_desktop.services.area import Area, DemoStep, OverviewSection, lazy_exports
from ctmtqg_desktop.services.projects import _overview, _portfolio
from ctmtqg_desktop.store.models.capital import OverlapDecision, ProjectFunding, ProjectScore
from ctmtqg_desktop.store.models.projects import Project

if TYPE_CHECKING:  # the same names, imported lazily below (issue 17)
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
    from ctmtqg_desktop.services.report_catalog import ReportSpec

__getattr__, __dir__ = lazy_exports(__name__, {
    "_adjustment": (
        "AdjustmentPlan", "apply_adjustment", "propose_adjustment", "revise_plan",
    ),
    "_overlaps": (
        "MIN_REASON_LENGTH", "OverlapFlag", "detect", "mark_not_overlap", "open_counts",
        "reopen",
    ),
    "_portfolio": (
        "PortfolioRow", "check_weights", "dimension_label", "filter_rows", "get_row",
        "get_weights", "portfolio", "portfolio_and_flags", "set_funding", "set_score",
        "set_scores", "set_weights",
    ),
    "_records": (
        "ProjectInfo", "get_project", "list_projects", "save_project", "stage_label",
    ),
    "_reports": (
        "write_proposal",
    ),
})


def _area_reports() -> tuple[ReportSpec, ...]:
    """The area's reports, imported when the report list is first asked for (issue 17)."""
    from ctmtqg_desktop.services.projects import _reports

    return (_reports.PORTFOLIO_REPORT, _reports.CAPITAL_PROPOSAL_REPORT)


def _area_demo() -> tuple[DemoStep, ...]:
    """The area's demo steps, imported when a demo is built (issue 17)."""
    from ctmtqg_desktop.services.projects import _demo

    return (DemoStep(20, _demo.add_projects),)


AREA = Area(
    key="projects", label=N_("Projects and works"),
    records=(Project, ProjectScore, ProjectFunding, OverlapDecision),
    reports=_area_reports,
    overview=(OverviewSection(25, _overview.projects_section),),
    demo=_area_demo,
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
