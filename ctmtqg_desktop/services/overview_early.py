"""The overview's live figures computed in a second process at start-up (issue 17).

The window (``gui/app.py``) calls :func:`start` first thing, before it imports PySide6: this
process imports the data layer and computes :func:`ctmtqg_desktop.services.overview.compute`
(which also rewrites the workspace's last-known copy, ``cache/overview.json``, atomically)
while the window imports Qt, paints and opens the workspace: on a machine of two cores or
more, truly in parallel. The window reads the result with :func:`collect` and shows the
figures as live: they are computed from the records at this start, before the user can
change anything.

The process writes one JSON object on its standard output:

* ``{"figures": DOCUMENT}``: the overview (``overview_data.to_document``);
* ``{"error": MESSAGE}``: the computation refused with a user's sentence (a ``UserError``);
* ``{"absent": REASON}``: nothing computed because the window must first prepare the
  workspace (no database yet, a schema or catalog to upgrade, no installation): this
  process never writes the schema, so it never races the window's own opening.

Any other end (a crash: its traceback goes to standard error, which the window logs) gives
no figures: the page then computes them itself, as without this process. Importing this
module imports nothing heavy (no SQLAlchemy): the window imports it before Qt.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ctmtqg_desktop.services.overview_data import Overview

#: the first argument that makes the window's executable (``gui.app.main``) run this
#: process instead (the bundled executable has no ``-m``)
PROCESS_FLAG = "--overview-process"
#: seconds the window waits at most for the figures before computing them itself
WAIT_SECONDS = 120.0


@dataclass(frozen=True)
class EarlyResult:
    """What the start-up process gave: live figures, or a user's sentence, or neither."""
    overview: Overview | None = None
    error: str | None = None
    #: why there is neither (for the log): "absent: …", "exit 1", "timeout"…
    reason: str = ""


def start(folder: str | None, database_url: str | None) -> subprocess.Popen[bytes] | None:
    """Start the process computing the overview of the workspace (``folder``, or the
    user's default; ``database_url`` for PostgreSQL); None if it cannot be started."""
    if getattr(sys, "frozen", False):  # the PyInstaller bundle: its own executable
        command = [sys.executable, PROCESS_FLAG]
    else:
        command = [sys.executable, "-m", "ctmtqg_desktop.services.overview_early"]
    if folder:
        command += ["--workspace", str(folder)]
    if database_url:
        command += ["--database-url", database_url]
    options: dict[str, Any] = {}
    if sys.platform == "win32":  # no console window flashing up
        options["creationflags"] = getattr(subprocess, "CREATE_NO_WINDOW", 0)
    try:
        return subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, **options)
    except OSError:
        return None


def collect(process: subprocess.Popen[bytes], timeout: float = WAIT_SECONDS) -> EarlyResult:
    """Wait for ``process`` (blocking: call it off the GUI thread) and read its result."""
    from ctmtqg_desktop.services.overview_data import from_document

    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        return EarlyResult(reason="timeout")
    if process.returncode != 0:
        return EarlyResult(reason=f"exit {process.returncode}: "
                           + err.decode("utf-8", "replace")[-4000:])
    try:
        document = json.loads(out)
    except ValueError:
        return EarlyResult(reason="unreadable output")
    if not isinstance(document, dict):
        return EarlyResult(reason="unreadable output")
    if isinstance(document.get("error"), str):
        return EarlyResult(error=document["error"])
    if "figures" in document:
        overview = from_document(document["figures"], from_snapshot=False)
        if overview is not None:
            return EarlyResult(overview=overview)
        return EarlyResult(reason="unreadable figures")
    return EarlyResult(reason=f"absent: {document.get('absent')}")


def compute_document(folder: str | None, database_url: str | None) -> dict[str, Any]:
    """The process's answer (see the module's docstring); a ``UserError`` becomes
    ``{"error": …}``, any other exception propagates (the process then exits 1)."""
    from ctmtqg_desktop.domain.errors import UserError
    from ctmtqg_desktop.store.workspace import Workspace

    workspace = Workspace(folder, database_url)
    try:
        if not workspace.database_exists():
            return {"absent": "no database"}
        from ctmtqg_desktop.store import schema

        if schema.schema_state(workspace).status != "current":
            return {"absent": "schema to upgrade"}
        from ctmtqg_desktop.services import catalog

        if not catalog.catalog_is_current(workspace):
            return {"absent": "catalog to update"}
        if workspace.installation(refresh=True) is None:
            return {"absent": "not set up"}
        from ctmtqg_desktop.services import overview
        from ctmtqg_desktop.services.overview_data import to_document

        return {"figures": to_document(overview.compute(workspace))}
    except UserError as error:
        return {"error": str(error)}
    finally:
        workspace.dispose()


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="ctmtqg_desktop.services.overview_early")
    parser.add_argument("--workspace")
    parser.add_argument("--database-url")
    args = parser.parse_args(argv)
    document = compute_document(args.workspace, args.database_url)
    sys.stdout.write(json.dumps(document))  # ASCII: any console encoding reads it
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
