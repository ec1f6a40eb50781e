"""The overlaps and the ranked portfolio are kept while nothing is written to the workspace
(issue 17: each visit of the projects page read five years of supports again), and a write
shows up at the next call: through the services, through the engine (Core), and by another
connection to the file (another process)."""

import sqlite3

from sqlalchemy import update

from ctmtqg_desktop.services import projects
from ctmtqg_desktop.services.projects import _memo
from ctmtqg_desktop.store.models.projects import Project
from ctmtqg_desktop.store.workspace import Workspace


def test_kept_until_a_write_through_the_services(demo_workspace):
    first = projects.detect(demo_workspace)
    again = projects.detect(demo_workspace)
    assert again == first and again is not first  # a new list: changing it changes nothing
    rows, flags = projects.portfolio_and_flags(demo_workspace)
    rows_again, _flags = projects.portfolio_and_flags(demo_workspace)
    if demo_workspace.uses_sqlite:  # kept (on PostgreSQL computed again: nothing is kept)
        assert all(a is b for a, b in zip(again, first, strict=True))
        assert all(a is b for a, b in zip(rows, rows_again, strict=True))

    flag = next(f for f in first if f.is_open)
    projects.mark_not_overlap(demo_workspace, flag.first.id, flag.second.id,
                              "Hai công trình khác nhau, khác địa điểm.")
    after = {(f.first.id, f.second.id): f for f in projects.detect(demo_workspace)}
    decided = after[(flag.first.id, flag.second.id)]
    assert not decided.is_open
    assert decided.decision.reason == "Hai công trình khác nhau, khác địa điểm."
    # the portfolio counts one open overlap less for both projects
    counts_before = projects.open_counts(flags)
    rows_after, _flags = projects.portfolio_and_flags(demo_workspace)
    by_id = {r.id: r for r in rows_after}
    for project_id in (flag.first.id, flag.second.id):
        assert by_id[project_id].overlaps_open == counts_before[project_id] - 1


def test_a_write_through_the_engine_shows_up(demo_workspace):
    rows, _flags = projects.portfolio_and_flags(demo_workspace)
    target = rows[0]
    table = Project.__table__
    with demo_workspace.engine.begin() as connection:
        connection.execute(update(table).where(table.c.id == target.id)
                           .values(name="Tên đổi qua engine"))
    renamed = {r.id: r.name for r in projects.portfolio_and_flags(demo_workspace)[0]}
    assert renamed[target.id] == "Tên đổi qua engine"


def test_a_write_by_another_connection_shows_up(demo_workspace):
    """Another process (the command line) writes the file: no event of this process's
    engines sees it; the database file and its write-ahead log change. (On PostgreSQL
    nothing is kept: ``test_nothing_is_kept_on_postgresql``.)"""
    if not demo_workspace.uses_sqlite:
        return  # a SQLite file written by another connection
    rows, _flags = projects.portfolio_and_flags(demo_workspace)
    target = rows[0]
    version = _memo.data_version(demo_workspace)
    other = sqlite3.connect(demo_workspace.database_file)
    try:
        other.execute("UPDATE project SET name = 'Tên đổi ở máy khác' WHERE id = ?",
                      (target.id.hex,))
        other.commit()
    finally:
        other.close()
    assert _memo.data_version(demo_workspace) != version
    renamed = {r.id: r.name for r in projects.portfolio_and_flags(demo_workspace)[0]}
    assert renamed[target.id] == "Tên đổi ở máy khác"


def test_nothing_is_kept_on_postgresql(tmp_path):
    workspace = Workspace(tmp_path / "pg", database_url="postgresql+psycopg://u@localhost/x")
    assert _memo.data_version(workspace) is None
    calls = []
    assert _memo.remembered("test", workspace, 1, lambda: calls.append(1) or len(calls)) == 1
    assert _memo.remembered("test", workspace, 1, lambda: calls.append(1) or len(calls)) == 2


def test_a_write_while_computing_shows_up_at_the_next_call(demo_workspace):
    """The answer is kept under the token read before it was computed."""
    def compute():
        with demo_workspace.engine.begin() as connection:  # a write lands meanwhile
            connection.exec_driver_sql("UPDATE project SET physical_progress = "
                                       "physical_progress")
        return object()

    first = _memo.remembered("test-racing", demo_workspace, 1, compute)
    assert _memo.remembered("test-racing", demo_workspace, 1, object) is not first
