"""Kill imports and exports with SIGKILL at random moments and check what is left.

``python -m tests.sync.crash_worker import|export KILLS SEED FOLDER`` prints one JSON line:
how many attempts it took to kill the work KILLS times while it ran (and how many finished
before the kill, or were killed before they began: those are not counted), how many kills
left the workspace as before, as after (and, for exports, whether the package file was
there), and every problem found. Run by ``tests/sync/test_crash.py``.

Each attempt copies a prepared workspace, forks a child (already past Python's start-up,
so that the kill lands inside the work) that imports or exports a package, kills it after a
random delay drawn over the time the work takes; the child tells through a pipe when the
work began and when it ended, and the exit status confirms the SIGKILL. Each real kill
mid-work is then checked on the copy: ``ctmtqg check``
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
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import Engine

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

CHANGES = 1000


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


@dataclass
class Landing:
    """Where a kill landed: ``killed`` (while the work ran), ``finished`` (the work was done
    before the kill) or ``not_started`` (killed before the work began); and the times
    (from the fork) of the child's commits and of the end of its work, when seen."""

    outcome: str
    commits: list[float] = field(default_factory=list)
    ended: float | None = None


def run_killed(work, delay: float, *, after_commit: int | None = None) -> Landing:
    """Fork, run ``work()`` in the child, SIGKILL it ``delay`` seconds after the fork (or,
    with ``after_commit=n``, ``delay`` seconds after the child's n-th database commit
    began), and say where the kill landed.

    The child writes to a pipe when the work starts (``s``), at each commit (``c``, from a
    SQLAlchemy ``commit`` listener, just before the database commits) and when the work is
    done (``d``); the exit status confirms the SIGKILL."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_end)
        try:
            event.listen(Engine, "commit", lambda _connection: os.write(write_end, b"c"))
            os.write(write_end, b"s")
            work()
            os.write(write_end, b"d")
        finally:
            os._exit(0)
    os.close(write_end)
    os.set_blocking(read_end, False)
    started = time.perf_counter()
    progress = bytearray()
    landing = Landing("killed")
    deadline = started + delay if after_commit is None else None
    status = None

    def read() -> None:
        try:
            chunk = os.read(read_end, 4096)
        except BlockingIOError:
            return
        now = time.perf_counter() - started
        for byte in chunk:
            if byte == ord("c"):
                landing.commits.append(now)
            elif byte == ord("d"):
                landing.ended = now
        progress.extend(chunk)

    while deadline is None or time.perf_counter() < deadline:
        read()
        if deadline is None and after_commit is not None and \
                len(landing.commits) >= after_commit:
            deadline = started + landing.commits[after_commit - 1] + delay
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        status = None
        time.sleep(0.0005 if deadline is None else
                   min(0.002, max(0.0, deadline - time.perf_counter())))
    if status is None:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        _pid, status = os.waitpid(pid, 0)
    os.set_blocking(read_end, True)
    with os.fdopen(read_end, "rb") as pipe:
        rest = pipe.read()
    progress.extend(rest)
    if b"d" in progress:
        landing.outcome = "finished"
    elif b"s" not in progress:
        landing.outcome = "not_started"
    elif not (os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL):
        raise RuntimeError(f"the child neither finished nor was killed: {status}")
    return landing


@dataclass
class Timing:
    """How long the forked child's work takes, how many commits it makes, and how long it
    runs after its last commit began (the longest of a few runs)."""

    duration: float = 0.0
    commits: int = 0
    tail: float = 0.0


def measure(prepare_copy, work, runs: int = 3) -> Timing:
    """Measured again every ten attempts, so that the delays follow the machine's load."""
    timing = Timing()
    for _ in range(runs):
        target = prepare_copy()
        landing = run_killed(lambda target=target: work(target), 120)  # the child ends first
        assert landing.outcome == "finished" and landing.ended is not None and landing.commits
        timing.duration = max(timing.duration, landing.ended)
        timing.commits = len(landing.commits)
        timing.tail = max(timing.tail, landing.ended - landing.commits[-1])
    return timing


def kill_somewhere(work, timing: Timing, rng: random.Random, stretch: float) -> Landing:
    """Half the attempts: a delay drawn over the whole work (times ``stretch``); the other
    half: a delay drawn over the stretch from its last commit to its end, so that enough
    kills land in and after the commit (a few percent of the work) to be counted."""
    if rng.random() < 1 / 2:
        return run_killed(work, rng.uniform(0, timing.duration * stretch))
    return run_killed(work, rng.uniform(0, timing.tail), after_commit=timing.commits)


def _counters() -> dict:
    return {"attempts": 0, "killed": 0, "finished_before_kill": 0, "killed_before_start": 0}


def _count(result: dict, landed: Landing) -> bool:
    """Count one attempt; True when the kill landed mid-work (the only runs checked and
    counted as kills)."""
    result["attempts"] += 1
    if landed.outcome == "finished":
        result["finished_before_kill"] += 1
    elif landed.outcome == "not_started":
        result["killed_before_start"] += 1
    else:
        result["killed"] += 1
    return landed.outcome == "killed"


#: kills that must land on each side of the commit (the test asserts it)
EACH_SIDE = 10


def _more(result: dict, iterations: int, *sides: str) -> bool:
    """Go on until ``iterations`` kills landed mid-work and at least ``EACH_SIDE`` of them on
    each side of the commit: on a loaded machine the delays drift, and a fixed count of
    attempts could land too few on one side (8 of 110 once, load 7-9). Bounded by three
    attempts per wanted kill plus as many again for the sides."""
    wanted = result["killed"] < iterations or any(result[s] < EACH_SIDE for s in sides)
    return wanted and result["attempts"] < 6 * iterations


def crash_imports(folder: Path, iterations: int, rng: random.Random) -> dict:
    parent, _commune, package = prepare(folder / "setup")
    before = workspaces.dump(Workspace(parent), metadata=True)
    reference = fresh_copy(parent, folder / "reference")
    sync_import.import_packages(Workspace(reference), [package])
    after = workspaces.dump(Workspace(reference), metadata=True)
    def timing(runs: int = 1) -> Timing:
        return measure(lambda: fresh_copy(parent, folder / "work"),
                       lambda work: sync_import.import_packages(Workspace(work), [package]),
                       runs)

    measured = timing(3)
    result = {"mode": "import", **_counters(), "before": 0, "after": 0, "problems": [],
              "seconds_per_import": round(measured.duration, 3)}
    while _more(result, iterations, "before", "after"):
        index = result["killed"]
        if result["attempts"] and result["attempts"] % 10 == 0:
            measured = timing()
        work = fresh_copy(parent, folder / "work")
        landed = kill_somewhere(lambda work=work: sync_import.import_packages(
            Workspace(work), [package]), measured, rng, 1.1)
        if not _count(result, landed):
            continue
        workspace = Workspace(work)
        report = workspaces.check(workspace)
        state = workspaces.dump(workspace, metadata=True)
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
    def timing(runs: int = 1) -> Timing:
        return measure(lambda: fresh_copy(commune, folder / "work"),
                       lambda work: sync_export.export_package(Workspace(work),
                                                               folder / "timing"), runs)

    measured = timing(3)
    result = {"mode": "export", **_counters(), "not_recorded": 0, "recorded": 0,
              "recorded_without_file": 0, "problems": [],
              "seconds_per_export": round(measured.duration, 3)}
    while _more(result, iterations, "not_recorded", "recorded"):
        index = result["killed"]
        if result["attempts"] and result["attempts"] % 10 == 0:
            measured = timing()
        work = fresh_copy(commune, folder / "work")
        out = folder / "work-out"
        shutil.rmtree(out, ignore_errors=True)
        landed = kill_somewhere(lambda work=work, out=out: sync_export.export_package(
            Workspace(work), out), measured, rng, 1.1)
        if not _count(result, landed):
            continue
        workspace = Workspace(work)
        report = workspaces.check(workspace)
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
