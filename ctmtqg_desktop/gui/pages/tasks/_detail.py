"""The task page's detail pane: the task, its schedule's occurrences and its timeline of progress
updates, as rich text with links to files and to withdraw an update."""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ctmtqg_desktop.domain import schedules
from ctmtqg_desktop.domain.formats import format_date, format_number
from ctmtqg_desktop.gui.palette import hex_of
from ctmtqg_desktop.i18n import _

if TYPE_CHECKING:
    from ctmtqg_desktop.gui.pages.tasks._page import TasksPage

STATE_COLOURS = {"late": hex_of("late"), "due_soon": hex_of("due-soon"), "normal": hex_of("navy")}
OCCURRENCE_COLOURS = {schedules.OVERDUE: hex_of("late"), schedules.PENDING: hex_of("muted"),
                      schedules.ON_TIME: hex_of("good"), schedules.LATE_DONE: hex_of("due-soon"),
                      schedules.MISSED: hex_of("late")}


def _e(text: object) -> str:
    return html.escape(str(text))


def _show_detail(page: TasksPage, result) -> None:
    detail, today = result
    keep_form = page.current is not None and page.current.task.id == detail.task.id
    page.current = detail
    page.detail.setHtml(page.detail_html(detail, today))
    if not keep_form:
        page.progress.reset(today, detail.task)
    # a predecessor's task is history: read-only (the service refuses any change too)
    page.progress.setEnabled(page.options is None
                             or detail.task.owner_unit_id not in page.options.history)
    page.edit_button.setEnabled(detail.task.owner_unit_id ==
                                page.workspace.installation().unit_id)


def _state_html(task: Any, due: Any, today: dt.date) -> str:
    """The line saying whether the task is overdue, due soon or when it is next due."""
    late_update = (task.latest_progress_on is not None and due.next_due is not None
                   and task.latest_progress_on > due.next_due)
    if due.overdue and task.schedule.kind == schedules.ONCE and late_update:
        # a one-off task is fulfilled only when done: an update after its deadline is
        # recorded, so "without an update" would be untrue
        state_text = _("Overdue: the deadline {date} has passed and the task is not finished "
                       "(last update {last})").format(
            date=format_date(due.next_due), last=format_date(task.latest_progress_on))
        colour = STATE_COLOURS["late"]
    elif due.overdue:
        state_text = _("Overdue: {count} deadline(s) passed without an update").format(
            count=due.overdue_count)
        colour = STATE_COLOURS["late"]
    elif due.next_due and due.due_within(today, 7):
        state_text = _("Due soon: {date}").format(date=format_date(due.next_due))
        colour = STATE_COLOURS["due_soon"]
    elif due.next_due:
        state_text = _("Next deadline: {date}").format(date=format_date(due.next_due))
        colour = STATE_COLOURS["normal"]
    else:
        state_text = _("Nothing is due") if task.status == "done" or \
            task.schedule.kind == schedules.NONE else ""
        colour = STATE_COLOURS["normal"]
    return f"<p style='color:{colour};font-weight:600'>{_e(state_text)}</p>"


def _fields_html(task: Any, detail: Any) -> str:
    from ctmtqg_desktop.services import tasks

    parts: list[str] = []

    def field(label: str, value: str) -> None:
        if value:
            parts.append(f"<b>{_e(label)}:</b> {_e(value)}<br>")

    parts.append("<p>")
    field(_("Status"), tasks.status_label(task.status) + (
        f" ({task.latest_percent}%)" if task.latest_percent is not None else ""))
    field(_("Deadline"), tasks.schedule_text(task.schedule))
    field(_("Lead"), task.lead_label)
    field(_("Coordinating"), "; ".join(task.coordinator_labels))
    field(_("Directive"), task.directive_label)
    field(_("Section"), task.section)
    field(_("Details the task"), detail.parent_text[:160])
    field(_("Project / sub-project of the programme"), detail.component_label)
    field(_("Project"), detail.project_name)
    field(_("Expected output"), task.expected_output)
    field(_("Target"), task.target_label)
    parts.append("</p>")
    return "".join(parts)


def _occurrences_html(task: Any, due: Any, label: str) -> str:
    from ctmtqg_desktop.services import tasks

    parts: list[str] = []
    if task.schedule.recurring and due.occurrences:
        parts.append(f"<p><b>{_e(label)}</b><br>")
        for occurrence in due.occurrences[-8:]:
            colour = OCCURRENCE_COLOURS.get(occurrence.state, hex_of("black"))
            done = (" — " + _("updated {date}").format(date=format_date(
                occurrence.fulfilled_on))) if occurrence.fulfilled_on else ""
            parts.append(f"<span style='color:{colour}'>{format_date(occurrence.due)}: "
                         f"{_e(tasks.occurrence_state_label(occurrence.state))}"
                         f"{_e(done)}</span><br>")
        parts.append("</p>")
    return "".join(parts)


def _withdrawn_html(entry: Any, note: str) -> str:
    """A withdrawn update: it stays in the history, in its place, struck through."""
    from ctmtqg_desktop.services import tasks

    return (
        f"<tr><td valign='top' width='96' nowrap style='color:{hex_of('faint')}'>"
        f"<s>{format_date(entry.reported_on)}</s></td><td valign='top' "
        f"style='border-left:3px solid {hex_of('rule')}; padding-left:8px; "
        f"color:{hex_of('faint')}'>"
        f"<s>{_e(tasks.status_label(entry.status))}"
        f"{(' · ' + str(entry.percent) + '%') if entry.percent is not None else ''}"
        f"<br>{_e(entry.narrative).replace(chr(10), '<br>')}</s>"
        f"<br><i>{_e(note)}</i></td></tr>")


def _entry_html(task: Any, entry: Any, withdraw_label: str) -> str:
    from ctmtqg_desktop.services import tasks

    amount = []
    if entry.percent is not None:
        amount.append(f"{entry.percent}%")
    if entry.quantity is not None:
        amount.append(f"{format_number(entry.quantity)} {task.target_unit}".strip())
    files = "".join(f"<br>📎 <a href='file:{a.id}'>{_e(a.original_name)}</a>"
                    for a in entry.attachments)
    return (
        f"<tr><td valign='top' width='96' nowrap style='color:{hex_of('navy')}'><b>"
        f"{format_date(entry.reported_on)}</b></td><td valign='top' "
        f"style='border-left:3px solid {hex_of('selection')}; padding-left:8px'>"
        f"<b>{_e(tasks.status_label(entry.status))}</b>"
        f"{(' · ' + _e(', '.join(amount))) if amount else ''}<br>"
        f"{_e(entry.narrative).replace(chr(10), '<br>')}{files}"
        f"<br><a href='withdraw:{entry.id}' style='color:{hex_of('due-soon')}'>"
        f"{_e(withdraw_label)}</a></td></tr>")


def detail_html(page: TasksPage, detail: Any, today: dt.date) -> str:
    task = detail.task
    due = detail.due
    labels = [_("Directive file"), _("Deadlines of the schedule"), _("Progress history"),
              _("No update yet."), _("Difficulties raised"),
              _("Withdraw (entered by mistake)…"),
              _("withdrawn on {date} as entered by mistake; it does not count")]
    history: dict[str, str] = page.options.history if page.options is not None else {}
    if task.owner_unit_id in history:  # a predecessor's task: history, never "overdue"
        state = (f"<p style='color:{hex_of('muted')}'>" + _e(_(
            "History of {unit} before the merger: read-only here.").format(
                unit=history[task.owner_unit_id])) + "</p>")
    else:
        state = _state_html(task, due, today)
    parts = [f"<h3 style='margin:0'>{_e(task.text)}</h3>", state, _fields_html(task, detail)]
    if detail.directive and detail.directive.attachments:
        links = ", ".join(f"<a href='file:{a.id}'>{_e(a.original_name)}</a>"
                          for a in detail.directive.attachments)
        parts.append(f"<p><b>{_e(labels[0])}:</b> {links}</p>")
    parts.append(_occurrences_html(task, due, labels[1]))
    parts.append(f"<p><b>{_e(labels[2])}</b> "
                 f"({_e(format_number(len(detail.progress)))})</p>")
    if not detail.progress:
        parts.append(f"<p style='color:{hex_of('muted')}'>{_e(labels[3])}</p>")
    parts.append("<table cellspacing='0' cellpadding='3' width='100%'>")
    # the withdrawn updates stay in the history, in their place, struck through
    entries = sorted((*detail.progress, *detail.withdrawn),
                     key=lambda p: (p.reported_on, p.recorded_at), reverse=True)
    for entry in entries:
        if entry.withdrawn_at is not None:
            note = labels[6].format(date=format_date(entry.withdrawn_at.date()))
            parts.append(_withdrawn_html(entry, note))
        else:
            parts.append(_entry_html(task, entry, labels[5]))
    parts.append("</table>")
    if detail.difficulties:
        parts.append(f"<p><b>{_e(labels[4])}:</b><br>"
                     + "<br>".join(f"<a href='difficulty:{i}'>{_e(t)}</a>"
                                   for i, t in detail.difficulties) + "</p>")
    return "".join(parts)


def _link(page: TasksPage, url) -> None:
    text = url.toString()
    if text.startswith("withdraw:") and page.current is not None:
        import uuid

        page.withdraw_progress(uuid.UUID(text[9:]))
        return
    if text.startswith("difficulty:"):
        page.context.navigate("difficulties")
        return
    if text.startswith("file:") and page.current is not None:
        import uuid

        ident = uuid.UUID(text[5:])
        files = [a for entry in page.current.progress for a in entry.attachments]
        if page.current.directive:
            files += list(page.current.directive.attachments)
        found = next((a for a in files if a.id == ident), None)
        if found is not None:
            page.open_attachment(found)


def open_attachment(page: TasksPage, attachment) -> None:
    import tempfile

    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QDesktopServices

    workspace = page.workspace

    def copy():
        from ctmtqg_desktop.services import attachments

        return attachments.copy_out(workspace, attachment, Path(tempfile.mkdtemp()))

    page.context.runner.run(copy, on_done=lambda path: QDesktopServices.openUrl(
        QUrl.fromLocalFile(str(path))), on_error=page.message.setText)
