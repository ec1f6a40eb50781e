"""Nhiệm vụ: directives from above, the tasks they assign, deadlines and progress updates."""

from ctmtqg_desktop.i18n import N_
from ctmtqg_desktop.services.area import AfterApply, Area, DemoStep, OverviewSection
from ctmtqg_desktop.services.tasks import _demo, _overview, _records, _reports
from ctmtqg_desktop.store.models.tasks import Directive, Task, TaskProgress

AREA = Area(
    key="tasks", label=N_("Tasks"),
    records=(Directive, Task, TaskProgress),
    reports=(_reports.TASKS_REPORT,),
    overview=(OverviewSection(10, _overview.tasks_section),),
    demo=(DemoStep(40, _demo.add_tasks),),
    after_apply=(AfterApply(("task", "task_progress"), _records.refresh_after_apply),),
)
