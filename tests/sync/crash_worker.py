"""Kill imports and exports with SIGKILL at random moments and check what is left.

``python -m tests.sync.crash_worker import|export ITERATIONS SEED FOLDER`` prints one JSON
line: how many kills left the workspace as before, as after (and, for exports, whether the
package file was there), and every problem found. Run by ``tests/sync/test_crash.py``.

Each iteration copies a prepared workspace, forks a child (already past Python's start-up,
so that the kill lands inside the work) that imports or exports a package, kills it after a
random delay drawn over the time the work takes, then checks the copy: ``ctmtqg check``
passes, the records are exactly as before or exactly as after, and every tenth time the
workspace still does its job (the import is redone, or the next export is imported
elsewhere). SQLite files only: the point is what a power cut does to a laptop.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import sys
import time
from pathlib import Path

from ctmtqg_desktop.services import attachments, villages
from ctmtqg_desktop.services.sync import _enrollment as enrollment
from ctmtqg_desktop.services.sync import _export as sync_export
from ctmtqg_desktop.services.sync import _import as sync_import
from ctmtqg_desktop.services.workspaces import _workspaces as workspaces
from ctmtqg_desktop.store.models.sync import SyncOutgoing
from ctmtqg_desktop.store.models.villages import Village
from ctmtqg_desktop.store.uow import UnitOfWork
from ctmtqg_desktop.store.workspace import Workspace
from ctmtqg_desktop.sync.package_reader import file_sha256

CHANGES = 2500


def prepare(folder: Path) -> tuple[Path, Path, Path]:
    """A district and an enrolled commune with ``CHANGES`` villages and a few scans; returns
    the district's folder, the commune's (before it exported) and the commune's package."""
    parent = workspaces.init_workspace(folder / "parent", unit="615", role="parent")
    enrollment.issue_enrollment(parent, "23524", folder / "a.ctenroll")
    commune = enrollment.init_from_enrollment(folder / "commune", None, folder / "a.ctenroll")
    with UnitOfWork(commune) as uow:
        for number in range(CHANGES):
            uow.session.add(Village(name=f"Thôn {number}", households=number,
                                    population=number * 4, sort_order=number))
        uow.commit()
    first = villages.list_villages(commune)[0]
    for number in range(5):
        scan = folder / f"scan-{number}.jpg"
        scan.write_bytes(os.urandom(200_000))
        attachments.attach_file(commune, scan, parent_table="village", parent_id=first.id)
    for workspace in (parent, commune):
        workspace.dispose()
    fresh_copy(folder / "commune", folder / "commune-before-export")
    package = sync_export.export_package(Workspace(folder / "commune"), folder / "package").path
    return folder / "parent", folder / "commune-before-export", package


def fresh_copy(source: Path, target: Path) -> Path:
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(source, target)
    return target


def run_killed(work, delay: float) -> None:
    """Fork, run ``work()`` in the child, SIGKILL it after ``delay`` seconds."""
    pid = os.fork()
    if pid == 0:
        try:
            work()
        finally:
            os._exit(0)
    deadline = time.perf_counter() + delay
    while time.perf_counter() < deadline:
        done, _status = os.waitpid(pid, os.WNOHANG)
        if done:
            return
        time.sleep(min(0.005, max(0.0, deadline - time.perf_counter())))
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    os.waitpid(pid, 0)


def timed(work) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def child_duration(prepare_copy, work, runs: int = 3) -> float:
    """How long the forked child takes to finish (the longest of ``runs`` runs). Measured
    again every ten kills, so that the delays follow the machine's load."""
    longest = 0.0
    for _ in range(runs):
        target = prepare_copy()
        started = time.perf_counter()
        run_killed(lambda target=target: work(target), 60)  # never reached: the child exits first
        longest = max(longest, time.perf_counter() - started)
    return longest


def crash_imports(folder: Path, iterations: int, rng: random.Random) -> dict:
    parent, _commune, package = prepare(folder / "setup")
    before = workspaces.dump(Workspace(parent), metadata=True)
    reference = fresh_copy(parent, folder / "reference")
    sync_import.import_packages(Workspace(reference), [package])
    after = workspaces.dump(Workspace(reference), metadata=True)
    duration = child_duration(lambda: fresh_copy(parent, folder / "work"),
                              lambda work: sync_import.import_packages(Workspace(work),
                                                                       [package]))
    result = {"mode": "import", "iterations": 0, "before": 0, "after": 0, "problems": [],
              "seconds_per_import": round(duration, 3)}
    for index in range(iterations):
        if index and index % 10 == 0:
            duration = child_duration(lambda: fresh_copy(parent, folder / "work"),
                                      lambda work: sync_import.import_packages(
                                          Workspace(work), [package]), runs=1)
        work = fresh_copy(parent, folder / "work")
        run_killed(lambda work=work: sync_import.import_packages(Workspace(work), [package]),
                   rng.uniform(0, duration * 1.2))
        workspace = Workspace(work)
        report = workspaces.check(workspace)
        state = workspaces.dump(workspace, metadata=True)
        result["iterations"] += 1
        if not report.ok:
            result["problems"].append(f"{index}: check failed: {report.problems}")
        if state == before:
            result["before"] += 1
        elif state == after:
            result["after"] += 1
        else:
            result["problems"].append(f"{index}: neither as before nor as after")
        if index % 10 == 0:  # the workspace still works: the import completes
            outcome = sync_import.import_packages(workspace, [package]).files[0]
            if not outcome.ok or workspaces.dump(workspace, metadata=True) != after:
                result["problems"].append(f"{index}: re-import gave {outcome.outcome}")
        workspace.dispose()
    return result


def crash_exports(folder: Path, iterations: int, rng: random.Random) -> dict:
    parent, commune, _package = prepare(folder / "setup")
    before = workspaces.dump(Workspace(commune), metadata=True)
    duration = child_duration(lambda: fresh_copy(commune, folder / "work"),
                              lambda work: sync_export.export_package(Workspace(work),
                                                                      folder / "timing"))
    result = {"mode": "export", "iterations": 0, "not_recorded": 0, "recorded": 0,
              "recorded_without_file": 0, "problems": [],
              "seconds_per_export": round(duration, 3)}
    for index in range(iterations):
        if index and index % 10 == 0:
            duration = child_duration(lambda: fresh_copy(commune, folder / "work"),
                                      lambda work: sync_export.export_package(
                                          Workspace(work), folder / "timing"), runs=1)
        work = fresh_copy(commune, folder / "work")
        out = folder / "work-out"
        shutil.rmtree(out, ignore_errors=True)
        run_killed(lambda work=work, out=out: sync_export.export_package(Workspace(work), out),
                   rng.uniform(0, duration * 1.5))
        workspace = Workspace(work)
        report = workspaces.check(workspace)
        result["iterations"] += 1
        if not report.ok:
            result["problems"].append(f"{index}: check failed: {report.problems}")
        if workspaces.dump(workspace, metadata=True) != before:
            result["problems"].append(f"{index}: the records changed")
        with workspace.session_factory() as session:
            rows = session.query(SyncOutgoing).order_by(SyncOutgoing.number).all()
            recorded = [(r.number, r.file_name, r.sha256) for r in rows]
        finals = sorted(out.glob("*.ctsync")) if out.exists() else []
        if len(recorded) > 1:
            result["problems"].append(f"{index}: {len(recorded)} packages recorded")
        if not recorded:
            result["not_recorded"] += 1
            if finals:
                result["problems"].append(f"{index}: a package file exists but is not recorded")
        elif finals:
            result["recorded"] += 1
            if [f.name for f in finals] != [recorded[0][1]] or \
                    file_sha256(finals[0]) != recorded[0][2]:
                result["problems"].append(f"{index}: the package file is not the recorded one")
        else:
            result["recorded_without_file"] += 1
        if index % 10 == 0:  # the next export is whole and the district applies it
            nxt = sync_export.export_package(workspace, folder / "next")
            target = Workspace(fresh_copy(parent, folder / "receiver"))
            outcome = sync_import.import_packages(target, [nxt.path]).files[0]
            if outcome.outcome != "applied":
                result["problems"].append(f"{index}: next package {outcome.outcome}: "
                                          f"{outcome.message}")
            target.dispose()
            shutil.rmtree(folder / "next", ignore_errors=True)
        workspace.dispose()
    return result


def main() -> int:
    mode, iterations, seed, folder = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), \
        Path(sys.argv[4])
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    run = crash_imports if mode == "import" else crash_exports
    print(json.dumps(run(folder, iterations, rng)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
