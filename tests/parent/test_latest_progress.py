"""Which progress report is a task's "latest" (issue 17): two reports of the same day written
in one transaction share ``created_at``; the order then goes by the record's version, then
its id, so that a commune and its district (SQLite and, in the PostgreSQL pass, PostgreSQL)
agree on the task's status and percentage whatever order the database reads the rows in.

The commune writes the two reports in each order of insertion (one task each way); then its
rows are stored again in the reverse order (as another database, or the same one after a
rewrite, may return them: nothing in the data changes), a later report of an earlier day
makes the commune recompute its tasks, and a real package takes everything to the
district, whose rows are stored in the package's order. Without the tie-breaker the two
sides read the tied reports in opposite orders and disagree."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, insert, select

from ctmtqg_desktop.services import tasks
from ctmtqg_desktop.services.tasks import _reports as task_reports
from ctmtqg_desktop.store.models.tasks import Task, TaskProgress
from ctmtqg_desktop.store.uow import UnitOfWork
from tests.parent.conftest import DAY, send, set_today

DISTRICT = "615"
COMMUNE = "23524"


def _two_reports(workspace, task_id, percents: tuple[int, int]) -> None:
    """Two reports of the same day in one transaction (one flush: the same ``created_at``),
    in the given order of insertion."""
    with UnitOfWork(workspace) as uow:
        for percent in percents:
            uow.session.add(TaskProgress(task_id=task_id, reported_on=DAY, status="in_progress",
                                         percent=percent, quantity=None,
                                         narrative=f"{percent}%"))
        uow.commit()


def _store_reversed(workspace) -> None:
    """The same progress rows, stored again in the reverse order (no value changes)."""
    table = TaskProgress.__table__
    with workspace.engine.begin() as connection:
        rows = [dict(r._mapping) for r in connection.execute(select(table))]
        connection.execute(delete(table))
        connection.execute(insert(table), list(reversed(rows)))


def _stored(workspace, task_id) -> tuple:
    """The task's derived columns, and the latest report by :func:`tasks.progress_order`
    (the key the report forms sort a child's reports by)."""
    with UnitOfWork.read(workspace) as session:
        row = session.get(Task, task_id)
        ordered = sorted(session.scalars(select(TaskProgress).where(
            TaskProgress.task_id == task_id)), key=tasks.progress_order)
        return (row.status, row.latest_percent, row.latest_progress_on,
                ordered[-1].percent)


def _reported(workspace, task_id) -> tuple:
    """The commune's tasks report as of the day (computed from the reports by then)."""
    line = next(line for group in task_reports.report_groups(workspace, as_of=DAY)
                for line in group.lines if line.id == task_id)
    return line.status, line.percent, line.narrative


def _expected(workspace, task_id) -> int:
    """The report every side must call latest: the greatest (day, created_at, version,
    id), computed here from the stored columns."""
    with UnitOfWork.read(workspace) as session:
        rows = list(session.scalars(select(TaskProgress).where(
            TaskProgress.task_id == task_id, TaskProgress.reported_on == DAY)))
    assert len(rows) == 2 and rows[0].created_at == rows[1].created_at
    return max(rows, key=lambda p: (p.version, p.id)).percent


def test_tied_progress_reports_give_the_same_latest_percent_at_the_commune_and_the_district(
        network, tmp_path):
    district = network.parent(DISTRICT)
    set_today(district)
    commune = network.enroll(district, COMMUNE, sqlite=True)
    set_today(commune)
    made = {}
    for order in ((40, 70), (70, 40)):
        task = tasks.save_task(commune, text=f"Bê tông hóa đường thôn ({order[0]} trước)",
                               lead=COMMUNE)
        _two_reports(commune, task.id, order)
        made[order] = task.id
    _store_reversed(commune)
    for task_id in made.values():  # an earlier day's report: the commune recomputes
        tasks.add_progress(commune, task_id, reported_on=DAY - dt.timedelta(days=3),
                           status="in_progress", percent=10)
    _result, outcome = send(commune, district, tmp_path / "up")
    assert outcome.outcome == "applied", outcome.message

    for order, task_id in made.items():
        expected = _expected(commune, task_id)
        assert _expected(district, task_id) == expected
        at_commune = tasks.get_task(commune, task_id)
        at_district = tasks.get_task(district, task_id)
        assert (at_commune.latest_percent, at_commune.status) == (expected, "in_progress"), \
            order
        assert (at_district.latest_percent, at_district.status) == (expected, "in_progress"), \
            order
        assert _stored(commune, task_id) == _stored(district, task_id) == (
            "in_progress", expected, DAY, expected), order
        assert _reported(commune, task_id) == ("in_progress", expected, f"{expected}%")
        # the task's own page shows the same report first
        assert tasks.task_detail(commune, task_id).progress[0].percent == expected
        assert tasks.task_detail(district, task_id).progress[0].percent == expected
