""""Quá hạn … chưa có cập nhật" disappears once a late update is recorded (issue 15): a late
report of a periodic task fulfils the oldest missed deadline (no longer overdue); a one-off
task stays overdue until it is done, but the detail no longer says no update was made."""

from ctmtqg_desktop.services import tasks
from tests.gui.test_tasks_page import open_tasks

NO_UPDATE = "chưa có cập nhật"


def detail_text(page, qtbot, task_id) -> str:
    page.show_task(task_id)
    qtbot.waitUntil(lambda: page.current is not None and page.current.task.id == task_id)
    return page.detail.toPlainText()


def overdue_by_kind(workspace) -> dict[str, object]:
    found = {}
    for task_id in tasks.task_ids(workspace, {"overdue": True}):
        found.setdefault(tasks.task_detail(workspace, task_id).task.schedule.kind, task_id)
    return found


def test_a_late_report_of_a_periodic_task_ends_the_overdue_line(window, qtbot):
    page = open_tasks(window)
    workspace = window.workspace
    task_id = overdue_by_kind(workspace)["quarterly"]
    assert "Quá hạn: 1 kỳ hạn đã qua mà chưa có cập nhật" in detail_text(page, qtbot, task_id)
    tasks.add_progress(workspace, task_id, reported_on=workspace.today(), status="in_progress",
                       percent=60)
    text = detail_text(page, qtbot, task_id)
    assert "Quá hạn" not in text and NO_UPDATE not in text
    assert "Hạn tiếp theo: 25/12/2023" in text or "25/12/2023" in text


def test_a_late_update_of_a_one_off_task_is_not_called_no_update(window, qtbot):
    page = open_tasks(window)
    workspace = window.workspace
    task_id = overdue_by_kind(workspace)["once"]
    assert NO_UPDATE in detail_text(page, qtbot, task_id)
    tasks.add_progress(workspace, task_id, reported_on=workspace.today(), status="in_progress",
                       percent=80)
    text = detail_text(page, qtbot, task_id)
    assert NO_UPDATE not in text
    assert "Quá hạn: đã qua thời hạn 30/09/2023 mà nhiệm vụ chưa hoàn thành " \
           "(cập nhật gần nhất 16/10/2023)" in text
    tasks.add_progress(workspace, task_id, reported_on=workspace.today(), status="done")
    assert "Quá hạn" not in detail_text(page, qtbot, task_id)
