"""The areas of the main window, in navigation order (names from the UX guide).

A page is created the first time it is shown (``factory`` is ``module:Class``). An area
that is not built yet has ``factory=None`` and shows what it will do, plainly, with no
numbers.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from ctmtqg_desktop.i18n import N_

BOTH = ("commune", "parent")


@dataclass(frozen=True)
class PageSpec:
    key: str
    label: str  # msgid
    factory: str  # "module:Class" of the page
    description: str  # msgid: what the area is for
    roles: tuple[str, ...] = BOTH
    icon: str = ""

    def create(self, context):
        module, _sep, name = self.factory.partition(":")
        return getattr(importlib.import_module(module), name)(context)


PAGES: list[PageSpec] = [
    PageSpec("overview", N_("Overview"), "ctmtqg_desktop.gui.pages.overview:OverviewPage",
             N_("What is late, what money is unspent, what has not been sent."), icon="home"),
    PageSpec("tasks", N_("Tasks"), "ctmtqg_desktop.gui.pages.tasks._page:TasksPage",
             N_("Directives from above and the tasks they assign: deadlines, progress "
                "updates with evidence, and what is overdue."), icon="tasks"),
    PageSpec("capital", N_("Capital plans"), "ctmtqg_desktop.gui.pages.capital._page:CapitalPage",
             N_("Capital assigned, allocated in detail and disbursed by year, programme and "
                "source; the unallocated remainder, the disbursement rate and deadlines."),
             icon="capital"),
    PageSpec("projects", N_("Projects and works"),
             "ctmtqg_desktop.gui.pages.projects._page:ProjectsPage",
             N_("Investment projects and activities with their scores, ranking and overlap "
                "warnings across programmes."), icon="projects"),
    PageSpec("dossiers", N_("Dossiers"), "ctmtqg_desktop.gui.pages.dossiers._page:DossiersPage",
             N_("The sample dossier of each project: required documents by stage, forms to "
                "fill and print, completeness."), icon="dossiers"),
    PageSpec("activities", N_("Activities (communication, training, inspection)"),
             "ctmtqg_desktop.gui.pages.activities._page:ActivitiesPage",
             N_("Communication campaigns, emulation movements, training and inspections, "
                "with participants, counted in reports."), icon="activities"),
    PageSpec("difficulties", N_("Difficulties and proposals"),
             "ctmtqg_desktop.gui.pages.difficulties._page:DifficultiesPage",
             N_("Difficulties and proposals sent to the parent unit, and its answers."),
             icon="difficulties"),
    PageSpec("reports", N_("Reports"), "ctmtqg_desktop.gui.pages.reports:ReportsPage",
             N_("Periodic reports as Excel and as PDF in the official format."),
             icon="reports"),
    PageSpec("children", N_("Child units"),
             "ctmtqg_desktop.gui.pages.parent._children:ChildrenPage",
             N_("The child units, their installations and their last package."),
             roles=("parent",), icon="children"),
    PageSpec("board", N_("Monitoring board"), "ctmtqg_desktop.gui.pages.parent._board:BoardPage",
             N_("Allocation, disbursement and tasks by child unit: who is behind."),
             roles=("parent",), icon="board"),
    PageSpec("sync", N_("Synchronisation"), "ctmtqg_desktop.gui.pages.sync._page:SyncPage",
             N_("Signed packages to and from the parent unit, on a USB stick or by any "
                "messenger."), icon="sync"),
    PageSpec("catalog", N_("Catalog"), "ctmtqg_desktop.gui.pages.catalog._page:CatalogPage",
             N_("Programmes and their components, administrative units, villages, capital "
                "sources and criteria."), icon="catalog"),
    PageSpec("handbook", N_("Handbook"), "ctmtqg_desktop.gui.pages.handbook._page:HandbookPage",
             N_("Procedures, legal references and sample dossiers for each programme "
                "component, searchable offline."), icon="handbook"),
    PageSpec("settings", N_("Settings"),
             "ctmtqg_desktop.gui.pages.workspace._settings:SettingsPage",
             N_("Signer, deadlines, attachment limits and this workspace."), icon="settings"),
]


def pages_for(role: str) -> list[PageSpec]:
    return [page for page in PAGES if role in page.roles]
