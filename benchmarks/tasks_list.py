"""The task list with 10,000 tasks: filter, sort and scroll, against a raw sqlite3 baseline
measured in the same run.

    .venv/bin/python benchmarks/tasks_list.py [--tasks 10000] [--runs 5]

Fills a fresh SQLite workspace with ``--tasks`` tasks (varied programmes, leads, deadlines,
schedules, statuses), then times, as medians of ``--runs``:

* each filter and sort through ``services.tasks.task_ids`` (what the list asks for) against
  a raw ``sqlite3`` query returning the same ids (checked equal);
* scrolling the whole list through ``LazyTableModel`` (every row's first column read, page
  by page, as a view scrolling to the end does) against raw ``sqlite3`` reading the same
  columns for every id.

Prints each time and its ratio to the baseline. Speed claims live here, never in tests.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ctmtqg_desktop.domain import schedules  # noqa: E402
from ctmtqg_desktop.domain.text import fold  # noqa: E402
from ctmtqg_desktop.services import (
    tasks,
    workspaces,  # noqa: E402
)
from ctmtqg_desktop.store.models.tasks import Task  # noqa: E402
from ctmtqg_desktop.store.uow import UnitOfWork  # noqa: E402

TODAY = dt.date(2023, 10, 16)
WORDS = ["rà soát", "giải ngân", "kế hoạch vốn", "tuyên truyền", "kiểm tra", "giám sát",
         "báo cáo", "hỗ trợ", "sản xuất", "nhà ở", "đường giao thông", "thôn", "làng",
         "nông thôn mới", "giảm nghèo", "đồng bào dân tộc thiểu số", "tập huấn", "vốn đối ứng"]
LEADS = ["23524", "Phòng Tài chính - Kế hoạch huyện", "Ban Dân tộc tỉnh",
         "Sở Kế hoạch và Đầu tư", "Ủy ban Mặt trận Tổ quốc Việt Nam xã",
         "Hội Nông dân xã", "Đoàn Thanh niên xã", "Công chức Tài chính - Kế toán xã"]
PROGRAMS = [None, "2021-2025/NTM", "2021-2025/GNBV", "2021-2025/DTTS"]


def fill(workspace, count: int) -> None:
    rng = random.Random(2023)
    with UnitOfWork(workspace) as uow:
        session = uow.session
        with session.no_autoflush:
            for number in range(count):
                kind = rng.choice([schedules.ONCE] * 6 + [schedules.NONE, schedules.MONTHLY,
                                                          schedules.QUARTERLY])
                deadline = TODAY + dt.timedelta(days=rng.randint(-120, 240))
                lead = tasks.parse_assignee(session, rng.choice(LEADS))
                row = Task(text=" ".join(rng.sample(WORDS, 5)).capitalize() + f" ({number})",
                           lead_unit_id=lead.unit_id, lead_agency=lead.agency,
                           program_id=rng.choice(PROGRAMS), sort_order=number,
                           schedule_kind=kind, deadline=deadline if kind == schedules.ONCE
                           else None, schedule_day=20, schedule_month=3,
                           schedule_start=dt.date(2023, 1, 1) if kind in
                           schedules.EVERY_MONTHS else None, coordinators="", section="",
                           expected_output="", target_kind="none", target_unit="")
                session.add(row)
                tasks.refresh(session, row, [])
                if rng.random() < 0.3:
                    row.status = rng.choice(["in_progress", "done"])
                    row.latest_percent = rng.randint(0, 100)
                    if row.status == "done":
                        row.next_due_on = None
        uow.commit()


def median_time(fn, runs: int):
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="ctmtqg-bench-tasks-"))
    workspace = workspaces.init_workspace(folder, None, unit="23524", role="commune",
                                          officer_name="Bench", simulated_today=TODAY)
    start = time.perf_counter()
    fill(workspace, args.tasks)
    print(f"filled {args.tasks:,} tasks in {time.perf_counter() - start:.1f} s "
          f"(with the change journal)")
    raw = sqlite3.connect(workspace.database_file)
    live = "deleted = 0 AND owner_unit_id = '23524'"
    today = TODAY.isoformat()
    soon = (TODAY + dt.timedelta(days=7)).isoformat()

    def raw_ids(where: str, order: str, params=()) -> list[str]:
        return [r[0] for r in raw.execute(
            f"SELECT id FROM task WHERE {live}{' AND ' + where if where else ''} "
            f"ORDER BY {order}", params)]

    due_order = "next_due_on IS NULL, next_due_on, sort_order, id"
    cases = [
        ("all, by deadline", {}, None, "", due_order, ()),
        ("overdue", {"overdue": True}, None, "next_due_on < ?", due_order, (today,)),
        ("due within 7 days", {"due_within": 7}, None, "next_due_on >= ? AND next_due_on <= ?",
         due_order, (today, soon)),
        ("programme NTM", {"program": "2021-2025/NTM"}, None, "program_id = ?", due_order,
         ("2021-2025/NTM",)),
        ("search “giai ngan”", {"text": "giai ngan"}, None,
         "search_text LIKE ? AND search_text LIKE ?", due_order, ("%giai%", "%ngan%")),
        ("sort by lead", {}, "lead", "", "lead_label, sort_order, id", ()),
        ("sort by text, descending", {}, "text", "", "text DESC, id", ()),
    ]
    print(f"{'operation':28} {'rows':>6} {'app (ms)':>9} {'raw (ms)':>9} {'ratio':>6}")
    for label, query, sort_key, where, order, params in cases:
        descending = "DESC" in order
        app_time, ids = median_time(lambda q=query, k=sort_key, d=descending:
                                      tasks.task_ids(workspace, q, k, d), args.runs)
        raw_time, raw_result = median_time(lambda w=where, o=order, p=params: raw_ids(w, o, p),
                                           args.runs)
        assert [str(i) .replace("-", "") for i in ids] == [r.replace("-", "") for r in
                                                          raw_result], label
        print(f"{label:28} {len(ids):>6} {app_time * 1000:>9.1f} {raw_time * 1000:>9.1f} "
              f"{app_time / raw_time:>6.1f}x")

    from PySide6.QtWidgets import QApplication

    from ctmtqg_desktop.gui.lazy_table import LazyTableModel
    from ctmtqg_desktop.gui.pages.tasks._page import TaskSource

    QApplication.instance() or QApplication([])

    class Page:  # what TaskSource needs of its page
        pass

    page = Page()
    page.workspace = workspace
    source = TaskSource(page)
    model = LazyTableModel(source)

    def scroll() -> int:
        model.reload({})
        for row in range(model.rowCount()):
            model.data(model.index(row, 0))
            model.data(model.index(row, 3))
        return model.rowCount()

    def raw_scroll() -> int:
        ids = raw_ids("", due_order)
        count = 0
        for start in range(0, len(ids), 200):
            page_ids = ids[start:start + 200]
            marks = ",".join("?" * len(page_ids))
            count += len(raw.execute(
                f"SELECT id, text, lead_label, program_id, next_due_on, status, "
                f"latest_percent FROM task WHERE id IN ({marks})", page_ids).fetchall())
        return count

    app_time, rows = median_time(scroll, args.runs)
    raw_time, raw_rows = median_time(raw_scroll, args.runs)
    assert rows == raw_rows
    print(f"{'scroll the whole list':28} {rows:>6} {app_time * 1000:>9.1f} "
          f"{raw_time * 1000:>9.1f} {app_time / raw_time:>6.1f}x")
    first_page, _ = median_time(lambda: (model.reload({}), model.data(model.index(0, 0))),
                                args.runs)
    print(f"{'open the list (first page)':28} {'':>6} {first_page * 1000:>9.1f}")
    print(f"search key check: {fold('Giải ngân')!r}")
    workspace.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
