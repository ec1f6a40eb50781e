"""A process killed (SIGKILL) while it imports or exports a package, 110 times each, leaves
a workspace that passes ``ctmtqg check`` and is either as before or as after. Only kills
that landed while the work ran count (the child reports through a pipe when its work began
and ended, and its exit status must be SIGKILL); the runs that finished before their kill
are counted apart, printed, and must stay a minority. About a minute per mode: CI runs it as its
own step."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
KILLS = 110

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(os.name != "posix", reason="needs fork() and SIGKILL")]


def _run(mode: str, tmp_path: Path) -> dict:
    env = dict(os.environ)
    env.pop("CTMTQG_TEST_DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-m", "tests.sync.crash_worker", mode, str(KILLS), "6",
         str(tmp_path / mode)], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=900)
    assert result.returncode == 0, result.stderr[-3000:]
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    print(f"\n{mode}: {summary['killed']} killed mid-work in {summary['attempts']} attempts; "
          f"{summary['finished_before_kill']} finished before the kill, "
          f"{summary['killed_before_start']} were killed before the work began")
    assert summary["killed"] >= 100, summary
    assert summary["killed"] + summary["finished_before_kill"] + \
        summary["killed_before_start"] == summary["attempts"]
    assert summary["finished_before_kill"] < summary["attempts"] / 2, summary
    return summary


def test_killed_imports_leave_the_workspace_as_before_or_as_after(tmp_path):
    summary = _run("import", tmp_path)
    assert summary["problems"] == [], summary
    assert summary["before"] + summary["after"] == summary["killed"]
    # kills landed before the commit and after it, not only at one end
    assert summary["before"] >= 10 and summary["after"] >= 10, summary


def test_killed_exports_leave_the_workspace_sound_and_never_fork(tmp_path):
    summary = _run("export", tmp_path)
    assert summary["problems"] == [], summary
    assert summary["not_recorded"] + summary["recorded"] + \
        summary["recorded_without_file"] == summary["killed"]
    assert summary["not_recorded"] >= 10 and summary["recorded"] >= 10, summary
