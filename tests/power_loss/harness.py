"""Run a workload under ``fsync_log.so``, then check the folder a power cut leaves at each
point of it: the workspace opens, ``ctmtqg check`` passes, and every change acknowledged
before the cut (the import's receipt, the save's "Đã lưu") is there.

Used by ``tests/power_loss/test_power_loss.py``; ``python -m tests.power_loss.harness``
does nothing on its own.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import random
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from ctmtqg_desktop import cli
from ctmtqg_desktop.services import workspaces
from ctmtqg_desktop.store.models.attachments import Attachment
from ctmtqg_desktop.store.models.villages import Village
from tests.power_loss.replay import Replay, read_log

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SOURCE = HERE / "fsync_log.c"


def compiler() -> str | None:
    return next((found for name in (os.environ.get("CC", ""), "gcc", "cc")
                 if name and (found := shutil.which(name))), None)


def build_shim(folder: Path) -> Path:
    """Compile ``fsync_log.c`` into ``folder`` (the caller skips when there is no compiler)."""
    cc = compiler()
    assert cc is not None
    target = folder / "fsync_log.so"
    result = subprocess.run([cc, "-shared", "-fPIC", "-O2", "-Wall", "-o",
                             str(target), str(SOURCE)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return target


@dataclass
class Run:
    """One workload's log over its folder."""

    log: Path
    initial: Path
    root: Path
    marks: list[tuple[int, dict]]
    events: int

    def replay(self) -> Replay:
        """A fresh replayer (each one only moves forwards)."""
        return Replay(self.initial, str(self.root), read_log(self.log))


def run_workload(shim: Path, folder: Path, workload: str, arguments: list[str], *,
                 synchronous_off: bool = False) -> Run:
    """Copy ``folder`` aside (the disk before the workload), run the driver on it with the
    shim preloaded, and read the log."""
    work = folder.parent / f"{folder.name}-{workload}{'-off' if synchronous_off else ''}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    initial, root, log = work / "initial", (work / "root").resolve(), work / "events.bin"
    shutil.copytree(folder, initial)
    shutil.copytree(folder, root)
    env = dict(os.environ, LD_PRELOAD=str(shim), FSYNC_LOG_FILE=str(log),
               FSYNC_LOG_ROOT=str(root))
    env.pop("CTMTQG_TEST_DATABASE_URL", None)
    command = [sys.executable, "-m", "tests.power_loss.driver", workload, str(root),
               *arguments] + (["--synchronous-off"] if synchronous_off else [])
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=600)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-4000:]
    replay = Replay(initial, str(root), read_log(log))
    marks = [(index, json.loads(data)) for index, data in replay.marks]
    return Run(log, initial, root, marks, len(replay.events))


# ---------------------------------------------------------------------------- checking
@dataclass
class Expected:
    """What must be in the workspace after a cut at ``index``: for each record, the
    version the latest acknowledged change gave it (a later change may have reached the
    disk before its acknowledgement: then the version is newer)."""

    records: dict[tuple[str, str], dict] = field(default_factory=dict)
    steps: list[str] = field(default_factory=list)


def expected_at(run: Run, index: int, facts_of_mark) -> Expected:
    expected = Expected()
    for position, mark in run.marks:
        if position >= index:
            break
        expected.steps.append(mark["step"])
        for record in facts_of_mark(mark):
            expected.records[(record["table"], record["id"])] = record
    return expected


def _check_cli(folder: Path) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = cli.main(["check", "--workspace", str(folder)])
        except SystemExit as stop:
            code = stop.code if isinstance(stop.code, int) else 1
    return code, out.getvalue() + err.getvalue()


def check_state(folder: Path, expected: Expected) -> list[str]:
    """The problems of a crash state (empty when it is sound)."""
    try:
        workspace = workspaces.open_workspace(folder)
    except Exception as error:  # noqa: BLE001 (any failure to open is the finding)
        return [f"the workspace does not open: {type(error).__name__}: {error}"]
    problems = []
    try:
        code, output = _check_cli(folder)
        if code != 0:
            problems.append(f"ctmtqg check exits {code}: {output.strip()[-500:]}")
        tables = {"village": Village, "attachment": Attachment}
        with workspace.session_factory() as session:
            for (table, ident), facts in expected.records.items():
                model = tables[table]
                row = session.execute(select(model).where(
                    model.id == _uuid(ident))).scalar_one_or_none()
                where = f"{table} {ident[:8]} ({facts.get('name') or facts.get('digest')})"
                if row is None:
                    problems.append(f"acknowledged {where} is missing")
                    continue
                if row.version < facts["version"]:
                    problems.append(f"acknowledged {where} is back at an older version")
                    continue
                if row.version == facts["version"]:
                    for key in ("name", "households", "deleted", "digest"):
                        if key in facts and getattr(row, key) != facts[key]:
                            problems.append(f"acknowledged {where}: {key} is "
                                            f"{getattr(row, key)!r}, not {facts[key]!r}")
                if table == "attachment" and not row.deleted:
                    stored = workspace.attachments_dir / row.digest[:2] / row.digest
                    if not stored.is_file() or \
                            hashlib.sha256(stored.read_bytes()).hexdigest() != row.digest:
                        problems.append(f"the file of acknowledged {where} is missing or "
                                        "damaged")
    finally:
        workspace.dispose()
    return problems


def _uuid(text: str):
    import uuid

    return uuid.UUID(text)


@dataclass
class Verdict:
    points: int = 0  # crash points covered
    states: int = 0  # folders rebuilt and checked
    acknowledged_before: list[int] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def summary(self, name: str) -> str:
        return (f"{name}: {self.points} crash points, {self.states} folders rebuilt and "
                f"checked, {max(self.acknowledged_before, default=0)} acknowledged steps at "
                f"most, {len(self.problems)} problems")


def verify_every_point(run: Run, facts_of_mark, scratch: Path, *, after_check=None,
                       stop_at_first: bool = False) -> Verdict:
    """``drop`` mode: a cut before any event of the log. Between two syncs nothing reaches
    the disk, so all the points of such a stretch leave the same folder: it is rebuilt and
    checked once, against what was acknowledged by the stretch's last point (the most)."""
    verdict = Verdict()
    replay = run.replay()
    for number, (first, last) in enumerate(replay.durable_epochs()):
        folder = replay.crash_state(last, scratch / "crash")
        expected = expected_at(run, last, facts_of_mark)
        found = check_state(folder, expected)
        if after_check is not None and not found:
            found = after_check(number, folder)
        verdict.points += last - first + 1
        verdict.states += 1
        verdict.acknowledged_before.append(len(expected.steps))
        verdict.problems += [f"cut before event {last} (after {expected.steps[-3:]}): {p}"
                             for p in found]
        if found and stop_at_first:
            break
    return verdict


def verify_torn(run: Run, facts_of_mark, scratch: Path, *, points: int, seed: int) -> Verdict:
    """``torn`` mode: cuts at ``points`` random places; each unsynced write survives or not
    at random (as in SQLite's crash tests), each directory keeps a random prefix of its
    unsynced entry changes."""
    rng = random.Random(seed)
    chosen = sorted(rng.sample(range(run.events + 1), min(points, run.events + 1)))
    verdict = Verdict()
    replay = run.replay()
    for index in chosen:
        folder = replay.crash_state(index, scratch / "crash", mode="torn",
                                        rng=random.Random(rng.random()))
        expected = expected_at(run, index, facts_of_mark)
        verdict.points += 1
        verdict.states += 1
        verdict.acknowledged_before.append(len(expected.steps))
        verdict.problems += [f"torn cut before event {index} (after {expected.steps[-3:]}): "
                             f"{p}" for p in check_state(folder, expected)]
    return verdict
