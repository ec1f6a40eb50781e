"""A process killed (SIGKILL) at random moments during import and during export, more
than 100 times each, leaves a workspace that passes ``ctmtqg check`` and is either as
before or as after. Slow (about a minute per mode): CI runs it as its own step."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ITERATIONS = 110

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(os.name != "posix", reason="needs fork() and SIGKILL")]


def _run(mode: str, tmp_path: Path) -> dict:
    env = dict(os.environ)
    env.pop("CTMTQG_TEST_DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-m", "tests.sync.crash_worker", mode, str(ITERATIONS), "6",
         str(tmp_path / mode)], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=900)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_killed_imports_leave_the_workspace_as_before_or_as_after(tmp_path):
    summary = _run("import", tmp_path)
    assert summary["problems"] == [], summary
    assert summary["iterations"] >= 100
    # kills landed before the commit and after it, not only at one end
    assert summary["before"] >= 10 and summary["after"] >= 10, summary


def test_killed_exports_leave_the_workspace_sound_and_never_fork(tmp_path):
    summary = _run("export", tmp_path)
    assert summary["problems"] == [], summary
    assert summary["iterations"] >= 100
    assert summary["not_recorded"] >= 10 and summary["recorded"] >= 10, summary
