"""A fast desk on a big commune: every page, tab, search and report of the commune's window
on five years of a merged commune (benchmarks/large_commune.py), against floors measured in
the same run.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/desk.py [--size 1.0] [--runs 3]
                                                                  [--folder DIR]
        [--parts projects,services] [--reports households,form-ctmtqg-2021-2025-tong-ket]
        [--no-searches]

``--parts`` runs only those pages (or ``services``: the searches and reports), ``--reports``
only those reports (their catalog keys) and ``--no-searches`` skips the searches: the rows a
change touches, measured before and after in the same minutes.

Floors (the ratios' denominators, measured in this process just before):

* **bare page**: a ``QWidget`` with a label and an empty ``QTableView``, put in the window's
  page stack and shown (what any page costs before it reads a record);
* **plain query**: ``SELECT *`` of the rows the desk lists (households, supports, projects,
  payments, tasks and progress, dossiers and documents), through the same engine.

Pages and their tabs are timed in the real main window (offscreen, 1366x768) with a
synchronous task runner, so each time includes the data the page reads in the background in
the application; "first open" includes importing the page's code, "again" is the median of
``--runs`` later visits (the target: < 0.2 s). Searches are the services the lists call (the
ids in SQL order and the first 200 rows); reports are every report of the catalog, in each
format (target: < 2 s). Peak memory of the process (target: < 400 MB).

Each row also gives the **CPU seconds** of the same measure (``time.process_time()``): on a
machine shared with other processes the wall seconds mostly measure the others, the CPU
seconds what the desk costs; the last line counts the targets met on either.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

PAGE_TARGET = 0.2
REPORT_TARGET = 2.0
MEMORY_TARGET = 400
FLOOR_TABLES = ("household", "household_support", "project", "capital_payment", "task",
                "task_progress", "dossier", "dossier_document")


def peak_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed2(fn) -> tuple[float, float]:
    """Wall and CPU seconds (``time.process_time()``: this process's own work, which the
    other processes of a shared machine do not inflate) of ``fn()``."""
    cpu, started = time.process_time(), time.perf_counter()
    fn()
    return time.perf_counter() - started, time.process_time() - cpu


def timed(fn) -> float:
    return timed2(fn)[0]


def medians(times: list[tuple[float, float]]) -> tuple[float, float]:
    return (statistics.median(t[0] for t in times), statistics.median(t[1] for t in times))


def median_of(fn, runs: int) -> float:
    return statistics.median(timed(fn) for _ in range(runs))


class Table:
    """Rows of (label, wall seconds, ratio to the floor, target, CPU seconds). The verdict is
    on the wall seconds; the CPU seconds say what the code costs when the machine is shared
    (on an idle machine the two are close)."""

    def __init__(self, quiet: bool = False) -> None:
        self.rows: list[tuple[str, float, float, float | None, float | None]] = []
        self.quiet = quiet

    def add(self, label: str, seconds: float, floor: float, target: float | None,
            cpu: float | None = None) -> None:
        self.rows.append((label, seconds, seconds / floor if floor else 0.0, target, cpu))
        if not self.quiet:
            print(self.line(self.rows[-1]), flush=True)

    @staticmethod
    def line(row) -> str:
        label, seconds, ratio, target = row[:4]
        cpu = row[4] if len(row) > 4 else None
        verdict = "" if target is None else ("ok" if seconds < target else "OVER")
        cpu_text = "" if cpu is None else f"{cpu:8.3f}"
        return f"{label[:64]:64} {seconds:8.3f} {ratio:9.1f}x {verdict:>5} {cpu_text:>8}"

    def over(self) -> list[str]:
        return [r[0] for r in self.rows if r[3] is not None and r[1] >= r[3]]

    def over_cpu(self) -> list[str]:
        return [r[0] for r in self.rows if r[3] is not None and len(r) > 4
                and r[4] is not None and r[4] >= r[3]]


def orchestrate(args, folder: Path, workspace) -> int:
    """Each page (and the searches and reports) in a fresh process: a page's first open is
    then its own (code imported, caches cold), the peak memory is per part, and one Qt
    crash does not lose the others' figures."""
    from ctmtqg_desktop.gui.pages import PAGES

    role = workspace.installation().role
    workspace.dispose()
    parts = [spec.key for spec in PAGES if role in spec.roles] + ["services"]
    if args.parts:
        wanted = [p.strip() for p in args.parts.split(",") if p.strip()]
        unknown = sorted(set(wanted) - set(parts))
        if unknown:
            print(f"unknown part(s): {', '.join(unknown)}; the parts: {', '.join(parts)}")
            return 2
        parts = [p for p in parts if p in wanted]
    table = Table()
    print(f"\n{'what':64} {'seconds':>8} {'ratio':>10} {'target':>5} {'cpu s':>8}")
    peaks, crashed = {}, []
    floors_shown = False
    for part in parts:
        command = [sys.executable, __file__, "--folder", str(folder), "--runs",
                   str(args.runs), "--part", part] + (["--no-reports"] if args.no_reports
                                                      else [])
        command += (["--reports", args.reports] if args.reports else []) + (
            ["--no-searches"] if args.no_searches else [])
        for _attempt in range(2):  # a crash of Qt's teardown is retried once
            result = subprocess.run(command, capture_output=True, text=True, check=False)
            found = [line for line in result.stdout.splitlines() if line.startswith("JSON ")]
            if found:
                break
        if not found:
            crashed.append(part)
            print(f"{part}: CRASHED\n{result.stderr[-1500:]}", flush=True)
            continue
        document = json.loads(found[-1][5:])
        peaks[part] = document["peak_mb"]
        for row in document["rows"]:
            if row[0].startswith("floor:"):
                if floors_shown:
                    continue
            table.rows.append(tuple(row))
            print(table.line(table.rows[-1]), flush=True)
        floors_shown = True
    memory = max(peaks.values(), default=0.0)
    print(f"\npeak memory: {memory:.0f} MB, in part {max(peaks, key=peaks.get, default='-')} "
          f"(target < {MEMORY_TARGET} MB; each part in its own process)")
    over = table.over()
    targets = sum(1 for r in table.rows if r[3] is not None)
    print(f"{targets - len(over)} of {targets} targets met; over: "
          f"{'; '.join(o.strip() for o in over) if over else 'none'}", flush=True)
    over_cpu = table.over_cpu()
    print(f"on CPU seconds: {targets - len(over_cpu)} of {targets} targets met; over: "
          f"{'; '.join(o.strip() for o in over_cpu) if over_cpu else 'none'}", flush=True)
    return 1 if crashed else 0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=float, default=1.0)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--folder", type=Path, help="reuse (or make) the big commune here")
    parser.add_argument("--no-reports", action="store_true")
    parser.add_argument("--parts", help="only these parts (pages' keys, or services), "
                                        "comma-separated")
    parser.add_argument("--reports", help="only these reports (catalog keys), comma-separated")
    parser.add_argument("--no-searches", action="store_true")
    parser.add_argument("--part", help=argparse.SUPPRESS)  # internal: one page, or "services"
    args = parser.parse_args()

    import large_commune

    from ctmtqg_desktop.store.workspace import DATABASE_FILE, Workspace

    folder = args.folder or Path(tempfile.mkdtemp(prefix="ctmtqg-desk-")) / "ws"
    if (folder / DATABASE_FILE).exists():
        workspace = Workspace(folder)
        workspace.installation()
    else:
        print(f"Building the big commune (size {args.size}) in {folder} …", flush=True)
        started = time.perf_counter()
        workspace = large_commune.build(folder, args.size)
        print(f"  built in {time.perf_counter() - started:.0f} s", flush=True)
    if args.part is None:
        counts = large_commune.counts(workspace)
        print(", ".join(f"{t} {n:,}" for t, n in counts.items()))

    if args.part is None:
        return orchestrate(args, folder, workspace)
    workspace_part = args.part

    from PySide6.QtWidgets import QApplication, QLabel, QTableView, QTabWidget, QVBoxLayout, QWidget
    from sqlalchemy import text

    from ctmtqg_desktop.gui.background import TaskRunner
    from ctmtqg_desktop.gui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv)
    os.environ.setdefault("XDG_CONFIG_HOME", str(folder.parent / "config"))
    window = MainWindow(workspace, runner=TaskRunner(synchronous=True))
    window.resize(1366, 768)
    window.show()
    app.processEvents()
    table = Table(quiet=True)

    # ------------------------------------------------------------------ floors
    def bare_page() -> None:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(QLabel("Trang"))
        layout.addWidget(QTableView())
        window.stack.addWidget(page)
        window.stack.setCurrentWidget(page)
        app.processEvents()
        window.stack.removeWidget(page)
        page.deleteLater()

    def plain_query() -> int:
        rows = 0
        with workspace.engine.connect() as connection:
            for name in FLOOR_TABLES:
                rows += len(connection.execute(text(f"SELECT * FROM {name}")).fetchall())
        return rows

    bare_page()
    plain_query()
    page_floor = median_of(bare_page, max(5, args.runs))
    query_floor = median_of(plain_query, max(5, args.runs))
    table.add("floor: bare page (label + empty table, shown)", page_floor, page_floor, None)
    table.add(f"floor: plain SELECT * of the listed rows ({plain_query():,})", query_floor,
              query_floor, None)

    # ------------------------------------------------------------------ pages and tabs
    keys = [spec.key for spec in window.specs]
    if workspace_part == "services":
        keys = []
    else:
        keys = [workspace_part] + [k for k in keys if k != workspace_part][:1]

    def show(key: str) -> None:
        window.show_area(key)
        app.processEvents()

    for key in keys[:1]:
        first = timed2(lambda k=key: show(k))
        again = []
        for _run in range(args.runs):
            show(keys[0] if key != keys[0] else keys[-1])
            again.append(timed2(lambda k=key: show(k)))
        if os.environ.get("CTMTQG_BENCH_PROFILE"):  # one more visit, under cProfile
            import cProfile

            show(keys[-1])
            profiler = cProfile.Profile()
            profiler.runcall(show, key)
            Path(os.environ["CTMTQG_BENCH_PROFILE"]).mkdir(parents=True, exist_ok=True)
            profiler.dump_stats(str(Path(os.environ["CTMTQG_BENCH_PROFILE"]) / f"{key}.prof"))
        table.add(f"page {key}: first open", first[0], page_floor, None, first[1])
        wall, cpu = medians(again)
        table.add(f"page {key}: again", wall, page_floor, PAGE_TARGET, cpu)
        page = window.pages[key]
        for group, tabs in enumerate(page.findChildren(QTabWidget)):
            if not tabs.isVisible():
                continue
            for index in range(tabs.count()):
                name = tabs.tabText(index).replace("&", "")
                first = timed2(lambda t=tabs, i=index: (t.setCurrentIndex(i),
                                                        app.processEvents()))
                again = []
                for _run in range(args.runs):
                    tabs.setCurrentIndex(0 if index else min(1, tabs.count() - 1))
                    app.processEvents()
                    again.append(timed2(lambda t=tabs, i=index: (t.setCurrentIndex(i),
                                                                 app.processEvents())))
                if os.environ.get("CTMTQG_BENCH_PROFILE"):  # one more visit, under cProfile
                    import cProfile

                    tabs.setCurrentIndex(0 if index else min(1, tabs.count() - 1))
                    app.processEvents()
                    profiler = cProfile.Profile()
                    profiler.runcall(lambda t=tabs, i=index: (t.setCurrentIndex(i),
                                                              app.processEvents()))
                    profiler.dump_stats(str(Path(os.environ["CTMTQG_BENCH_PROFILE"])
                                            / f"{key}-tabs{group}-{index}.prof"))
                table.add(f"  tab {key} / {name}: first", first[0], page_floor, None, first[1])
                wall, cpu = medians(again)
                table.add(f"  tab {key} / {name}: again", wall, page_floor, PAGE_TARGET, cpu)
            tabs.setCurrentIndex(0)
            app.processEvents()

    # ------------------------------------------------------------------ searches
    from ctmtqg_desktop.services import (
        activities,
        capital,
        catalog,
        difficulties,
        dossiers,
        households,
        projects,
        tasks,
    )

    searches = [
        ("search households 'nguyen' + first 200 rows", lambda: households.household_rows(
            workspace, households.household_ids(workspace, {"text": "nguyen"}, "name")[:200])),
        ("households supported twice (duplicate check) + 200 rows",
         lambda: households.household_rows(workspace, households.household_ids(
             workspace, {"duplicates": True}, "name")[:200])),
        ("households sorted by supports + 200 rows", lambda: households.household_rows(
            workspace, households.household_ids(workspace, {}, "supports")[:200])),
        ("search tasks 'bao cao' + first 200 rows", lambda: tasks.task_rows(
            workspace, tasks.task_ids(workspace, {"text": "bao cao"})[:200])),
        ("overdue tasks + first 200 rows", lambda: tasks.task_rows(
            workspace, tasks.task_ids(workspace, {"overdue": True})[:200])),
        ("search capital lines 'dau tu'", lambda: capital.line_ids(
            workspace, {"text": "dau tu"})),
        ("search projects 'duong'", lambda: projects.list_projects(workspace, query="duong")),
        ("search dossiers 'duong'", lambda: dossiers.list_dossiers(workspace, query="duong")),
        ("search difficulties 'von'", lambda: difficulties.list_difficulties(
            workspace, query={"text": "von"})),
        ("search activities 'tap huan' + first 200 rows", lambda: activities.activity_rows(
            workspace, activities.activity_ids(workspace, {"text": "tap huan"})[:200])),
        ("search catalog units 'dak'", lambda: catalog.search_units(workspace, "dak")),
    ]
    for label, fn in searches if workspace_part == "services" and not args.no_searches \
            else []:
        fn()
        wall, cpu = medians([timed2(fn) for _run in range(args.runs)])
        table.add(label, wall, query_floor, PAGE_TARGET, cpu)

    # ------------------------------------------------------------------ reports
    if not args.no_reports and workspace_part == "services":
        from ctmtqg_desktop.services import report_catalog

        out = folder.parent / "reports"
        out.mkdir(exist_ok=True)
        import datetime as dt

        from ctmtqg_desktop.domain.report_periods import Period

        # the 2021-2025 review is made for its programme period only (the others: defaults)
        periods = {"form-ctmtqg-2021-2025-tong-ket":
                   Period.between(dt.date(2021, 1, 1), dt.date(2025, 12, 31))}
        only = {k.strip() for k in args.reports.split(",")} if args.reports else None
        for spec in report_catalog.available_reports(workspace):
            if only is not None and spec.key not in only:
                continue
            options = report_catalog.ReportOptions(period=periods.get(spec.key))
            for fmt in spec.formats:
                seconds, cpu = timed2(lambda s=spec, f=fmt, o=options:
                                      report_catalog.build_report(
                                          workspace, s.key, f, out / f"{s.key}.{f}", o))
                table.add(f"report {spec.key} ({fmt})", seconds, query_floor, REPORT_TARGET,
                          cpu)
                if os.environ.get("CTMTQG_BENCH_PROFILE"):  # one more run, under cProfile
                    import cProfile

                    Path(os.environ["CTMTQG_BENCH_PROFILE"]).mkdir(parents=True,
                                                                   exist_ok=True)
                    profiler = cProfile.Profile()
                    profiler.runcall(report_catalog.build_report, workspace, spec.key, fmt,
                                     out / f"profiled-{spec.key}.{fmt}", options)
                    profiler.dump_stats(str(Path(os.environ["CTMTQG_BENCH_PROFILE"])
                                            / f"report-{spec.key}-{fmt}.prof"))

    print("JSON " + json.dumps({"rows": table.rows, "peak_mb": peak_mb()}), flush=True)
    window.close()
    workspace.dispose()
    sys.stdout.flush()
    # PySide6's teardown at interpreter exit can abort after a run this long (a refcount
    # error while collecting the window's objects): the results are printed, leave now
    os._exit(0)


if __name__ == "__main__":
    raise SystemExit(main())
