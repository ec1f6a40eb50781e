"""Nhiệm vụ: the task list with its detail pane, the directives tab and their dialogs."""

from __future__ import annotations

from ctmtqg_desktop.gui.pages.base import Page, PageContext, PageSpec
from ctmtqg_desktop.i18n import N_


def _tasks_page(context: PageContext) -> Page:
    from ctmtqg_desktop.gui.pages.tasks._page import TasksPage

    return TasksPage(context)


PAGE = PageSpec(
    "tasks", N_("Tasks"), _tasks_page,
    N_("Directives from above and the tasks they assign: deadlines, progress "
       "updates with evidence, and what is overdue."), icon="tasks")
