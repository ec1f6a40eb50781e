"""Start-up time of CTMTQG Desktop against a bare PySide6 window, measured in the same run.

    .venv/bin/python benchmarks/startup.py [--runs 7]

Both are started as fresh processes, offscreen, with the harness's clock passed in
``CTMTQG_BENCH_T0``; each reports the seconds from that moment to its main window's first
paint (and, for the application, to the overview showing its data from the demo
workspace). Prints medians, the two ratios against the bare window and peak memory.
"Overview painted" is the first paint with the overview on the screen (its last-known
figures, or its waiting state when none are kept): since the sixth pass (branch `paint`)
that is the first paint itself; before, the first paint showed the navigation beside an
empty page and the overview followed.
Targets (issue 17): first paint <= 1.5x bare, overview with data <= 4x bare, also with no
cached figures. The overview first shows the figures it last computed (kept in the
workspace's ``cache/``), then the figures recomputed from the records; both moments are
printed. Each run also starts the application once with that cache deleted (a first start,
or after an update): then the window paints the overview's skeleton and the live figures
are the first figures shown. The processes keep their compiled modules (bytecode) in the
run's folder, as an installed build ships them, even where the environment says
``PYTHONDONTWRITEBYTECODE`` (``--from-source``: compile at every start, as before). The bare
window, the cached start and the uncached start are
run in turn, so that the machine's load weighs on all three alike.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BARE_WINDOW = r"""
import json, os, resource, sys, time
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow
t0 = float(os.environ["CTMTQG_BENCH_T0"])
app = QApplication(sys.argv)
window = QMainWindow()
window.setCentralWidget(QLabel("Tổng quan"))
window.resize(1366, 768)
class Probe(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Paint:
            painted = time.time() - t0
            usage = resource.getrusage(resource.RUSAGE_SELF)
            open(sys.argv[1], "w").write(json.dumps({
                "first_paint": painted, "peak_rss_mb": usage.ru_maxrss / 1024,
                "paint_cpu": usage.ru_utime + usage.ru_stime}))
            QTimer.singleShot(0, app.quit)
        return False
probe = Probe()
window.installEventFilter(probe)
window.show()
app.exec()
"""


#: where the processes keep their compiled modules ("" to leave the environment as it is)
BYTECODE = ""


def run(command: list[str], report: Path) -> dict:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", CTMTQG_BENCH_T0=repr(time.time()))
    if BYTECODE:  # as an installed build (PyInstaller ships compiled modules): the warm-up
        env.pop("PYTHONDONTWRITEBYTECODE", None)  # runs compile, the timed runs read
        env["PYTHONPYCACHEPREFIX"] = BYTECODE
    subprocess.run(command, env=env, check=True, timeout=120,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return json.loads(report.read_text(encoding="utf-8"))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--from-source", action="store_true",
                        help="keep the environment's PYTHONDONTWRITEBYTECODE: every start "
                             "compiles the application's modules again")
    args = parser.parse_args()
    global BYTECODE
    with tempfile.TemporaryDirectory(prefix="ctmtqg-bench-") as folder:
        folder = Path(folder)
        BYTECODE = "" if args.from_source else str(folder / "bytecode")
        workspace = folder / "demo"
        subprocess.run([sys.executable, "-m", "ctmtqg_desktop", "demo", "--workspace",
                        str(workspace)], check=True, stdout=subprocess.DEVNULL)
        bare_script = folder / "bare.py"
        bare_script.write_text(BARE_WINDOW, encoding="utf-8")
        report = folder / "report.json"
        config = dict(os.environ)
        os.environ["XDG_CONFIG_HOME"] = str(folder / "config")  # fresh window settings
        bare, app, cold = [], [], []
        snapshot = workspace / "cache" / "overview.json"
        run([sys.executable, str(bare_script), str(report)], report)  # warm the disk cache
        run([sys.executable, "-m", "ctmtqg_desktop.gui", "--workspace", str(workspace),
             "--startup-report", str(report)], report)  # as after a day's work: figures kept
        for _ in range(args.runs):
            bare.append(run([sys.executable, str(bare_script), str(report)], report))
            app.append(run([sys.executable, "-m", "ctmtqg_desktop.gui", "--workspace",
                            str(workspace), "--startup-report", str(report)], report))
            snapshot.unlink(missing_ok=True)  # no cached figures: as at a first start
            cold.append(run([sys.executable, "-m", "ctmtqg_desktop.gui", "--workspace",
                             str(workspace), "--startup-report", str(report)], report))
        os.environ.clear()
        os.environ.update(config)
    bare_paint = statistics.median(r["first_paint"] for r in bare)
    app_paint = statistics.median(r["first_paint"] for r in app)
    app_data = statistics.median(r["data_shown"] for r in app)
    app_live = statistics.median(r["live_shown"] for r in app)
    print(f"bare PySide6 window, first paint:   {bare_paint:.3f} s")
    print(f"CTMTQG Desktop, first paint:        {app_paint:.3f} s  "
          f"ratio {app_paint / bare_paint:.2f}x (target <= 1.5x)")
    print(f"CTMTQG Desktop, overview with data: {app_data:.3f} s  "
          f"ratio {app_data / bare_paint:.2f}x (target <= 4x; last-known figures)")
    print(f"CTMTQG Desktop, live figures:       {app_live:.3f} s  "
          f"ratio {app_live / bare_paint:.2f}x (computed from the records)")
    nan = float("nan")  # an older build's probe does not report CPU seconds
    for r in bare + app + cold:
        for key in ("paint_cpu", "live_cpu", "live_cpu_children", "overview_paint",
                    "overview_cpu"):
            r.setdefault(key, nan)
    for label, runs in (("", app), ("no cached figures, ", cold)):
        painted = statistics.median(r["overview_paint"] for r in runs)
        print(f"{label}overview painted:".ljust(36) + f"{painted:.3f} s  ratio "
              f"{painted / bare_paint:.2f}x, CPU "
              f"{statistics.median(r['overview_cpu'] for r in runs):.3f} s")
    cold_paint = statistics.median(r["first_paint"] for r in cold)
    cold_live = statistics.median(r["live_shown"] for r in cold)
    print(f"no cached figures, first paint:     {cold_paint:.3f} s  "
          f"ratio {cold_paint / bare_paint:.2f}x (target <= 1.5x)")
    print(f"no cached figures, live figures:    {cold_live:.3f} s  "
          f"ratio {cold_live / bare_paint:.2f}x (target <= 4x)")
    bare_cpu = statistics.median(r["paint_cpu"] for r in bare)
    print(f"CPU seconds (medians): bare window at first paint {bare_cpu:.3f} s; "
          f"CTMTQG Desktop at first paint {statistics.median(r['paint_cpu'] for r in app):.3f}"
          f" s ({statistics.median(r['paint_cpu'] for r in app) / bare_cpu:.2f}x), "
          f"no cached figures: at first paint "
          f"{statistics.median(r['paint_cpu'] for r in cold):.3f} s, at live figures "
          f"{statistics.median(r['live_cpu'] for r in cold):.3f} s in the window + "
          f"{statistics.median(r['live_cpu_children'] for r in cold):.3f} s in the "
          f"figures' process")
    print("each run (bare / cached paint, overview painted, live / uncached paint, "
          "overview painted, live):")
    for b, a, c in zip(bare, app, cold):
        print(f"  {b['first_paint']:.3f} / {a['first_paint']:.3f}, {a['overview_paint']:.3f}, "
              f"{a['live_shown']:.3f} / {c['first_paint']:.3f}, {c['overview_paint']:.3f}, "
              f"{c['live_shown']:.3f}")
    frames = {json.dumps(r.get("first_frame", {}), sort_keys=True) for r in app + cold}
    print("first frame:", "; ".join(sorted(frames)))
    print(f"peak memory: bare {max(r['peak_rss_mb'] for r in bare):.0f} MB, "
          f"CTMTQG Desktop {max(r['peak_rss_mb'] for r in app):.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
