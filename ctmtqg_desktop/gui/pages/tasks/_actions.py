"""The task page's actions: progress entered, tasks and directives added and edited, and the
workbook's template and import."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QFileDialog,
    QMessageBox,
)

from ctmtqg_desktop.domain.formats import format_date
from ctmtqg_desktop.gui.pages.tasks._dialogs import DirectiveDialog, TaskDialog, TaskFormValues
from ctmtqg_desktop.i18n import _

if TYPE_CHECKING:
    from ctmtqg_desktop.gui.pages.tasks._page import TasksPage


# -- actions ------------------------------------------------------------------------
def save_progress(page: TasksPage) -> None:
    if page.current is None:
        return
    workspace = page.workspace
    task_id = page.current.task.id
    if page.progress.date.error():  # a date not typed right is refused, never guessed
        page.progress.message.setText(page.progress.date.error())
        return
    values = page.progress.values()
    from ctmtqg_desktop.domain.errors import UserError
    from ctmtqg_desktop.services import tasks

    # recorded here, in one short transaction: a refusal is shown under the field it is
    # about, with what was typed kept (issue 15)
    try:
        saved = tasks.add_progress(workspace, task_id, **values)
    except UserError as error:
        page.progress.show_refusal(error)
        return
    page.progress.clear_refusal()
    page.context.notify(_("Progress recorded."))
    page.current = None
    page.model.invalidate_rows()
    page.reload(keep=task_id)
    page.progress.message.setText(_("Recorded: {status} on {date}.").format(
        status=tasks.status_label(saved.status), date=format_date(saved.reported_on)))


def _options_then(page: TasksPage, callback) -> None:
    workspace = page.workspace

    def load():
        from ctmtqg_desktop.services import tasks

        return tasks.filter_options(workspace)

    def loaded(options) -> None:
        page._fill_options(options)
        callback(options)

    page.context.runner.run(load, on_done=loaded, on_error=page.message.setText)


def add_task(page: TasksPage) -> None:
    page._edit(None)


def edit_task(page: TasksPage) -> None:
    if page.current is not None:
        page._edit(page.current.task)


def _edit(page: TasksPage, task) -> None:
    workspace = page.workspace
    today = workspace.today()
    values = None
    if task is not None:
        values = TaskFormValues(
            text=task.text, directive_id=task.directive_id,
            lead=task.lead.encoded() if task.lead.unit_id else task.lead.agency,
            coordinators=[c.encoded() for c in task.coordinators],
            program_id=task.program_id, component_id=task.component_id,
            project_id=task.project_id,
            schedule=task.schedule,
            expected_output=task.expected_output, target_kind=task.target_kind,
            target_quantity=task.target_quantity, target_unit=task.target_unit)
        values.lead = task.lead_label if task.lead.unit_id else task.lead.agency
        values.coordinators = list(task.coordinator_labels)
    task_id = task.id if task is not None else None
    extra = {}
    if task is not None:
        extra = dict(parent_task_id=task.parent_task_id, section=task.section)

    def store(answer):
        from ctmtqg_desktop.services import tasks

        return tasks.save_task(workspace, tasks.TaskInput(
            text=answer.text, directive_id=answer.directive_id, lead=answer.lead,
            coordinators=answer.coordinators, program_id=answer.program_id,
            component_id=answer.component_id, project_id=answer.project_id,
            schedule=answer.schedule, expected_output=answer.expected_output,
            target_kind=answer.target_kind, target_quantity=answer.target_quantity,
            target_unit=answer.target_unit, **extra), task_id=task_id)

    # saved while the form is open: a refusal stays in it, beside its field (issue 15)
    saved = TaskDialog.ask(page, options=page.options, today=today, values=values,
                           draft_context=str(task.id) if task is not None else "new",
                           save=store)
    if saved is None:
        return
    page.context.notify(_("Task saved."))
    page.message.clear()
    page.current = None
    page.model.invalidate_rows()
    page._options_then(lambda _o: page.reload(keep=saved.id))


def add_directive(page: TasksPage) -> None:
    workspace = page.workspace
    programs = page.options.programs if page.options else ()

    def store(answer):
        from ctmtqg_desktop.services import tasks

        return tasks.save_directive(
            workspace, number_symbol=answer.number_symbol, doc_type=answer.doc_type,
            issued_on=answer.issued_on, issuing_body=answer.issuing_body,
            title=answer.title, summary=answer.summary, program_ids=answer.program_ids,
            related_documents=answer.related_documents, attach=answer.attach)

    # saved while the form is open: a refusal stays in it, beside its field (issue 15)
    saved = DirectiveDialog.ask(page, programs=programs, today=workspace.today(), save=store)
    if saved is None:
        return
    page.context.notify(_("Directive saved: {label}.").format(label=saved.label))
    page.message.setText(_("Directive saved: {label}. Add its tasks with “Add task” "
                           "or from Excel.").format(label=saved.label))
    page._options_then(lambda _o: page.directives.reload(keep=saved.id)
                       if page.tabs.currentIndex() == 1 else None)


def _error(page: TasksPage, message: str) -> None:
    page.message.setText(message)
    QMessageBox.warning(page, _("Tasks"), message)


def write_template(page: TasksPage) -> None:
    path, _filter = QFileDialog.getSaveFileName(page, _("Excel template"),
                                                "mau-nhiem-vu.xlsx", "Excel (*.xlsx)")
    if not path:
        return

    def write():
        from ctmtqg_desktop.services import tasks

        return tasks.write_tasks_template(path)

    page.context.runner.run(write, on_done=lambda p: page.message.setText(
        _("Template written: {path}").format(path=p)), on_error=page._error)


def import_workbook(page: TasksPage, path: str | None = None) -> None:
    if not path:
        path, _filter = QFileDialog.getOpenFileName(page, _("Import tasks from Excel"), "",
                                                    "Excel (*.xlsx)")
    if not path:
        return
    workspace = page.workspace

    def run(chosen, legacy_encoding, job, skip_unknown_columns=False):
        from ctmtqg_desktop.services import tasks

        return tasks.import_tasks(workspace, chosen, legacy_encoding=legacy_encoding,
                                  skip_unknown_columns=skip_unknown_columns,
                                  progress=job.progress,
                                  stop_requested=lambda: job.cancelled)

    def done(result) -> None:
        from ctmtqg_desktop.services import tasks

        text = tasks.result_text(result)
        page.message.setText(text)
        page.context.notify(text)
        page.model.invalidate_rows()
        page._options_then(lambda _o: page.reload())

    page.importer.start(Path(path), run, on_done=done)
