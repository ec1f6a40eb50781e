"""The workloads of the power-loss test, run with ``fsync_log.so`` preloaded.

``python -m tests.power_loss.driver import WORKSPACE PACKAGE...`` imports each package in
turn; ``python -m tests.power_loss.driver save WORKSPACE SCAN`` saves villages the way the
catalog page does (new, edited, a scan attached, one deleted). After each call has returned
(the import's receipt, the save after which the page shows "Đã lưu"), the driver records an
*acknowledged* marker in the log: what the user has been told is kept. ``--synchronous-off``
patches the engine to ``PRAGMA synchronous=OFF`` (the test proving that the harness sees a
lost write runs the same workload with it).
"""

from __future__ import annotations

import ctypes
import json
import os
import sys
from pathlib import Path

from sqlalchemy import event, select

from ctmtqg_desktop.services import attachments, sync, villages, workspaces
from ctmtqg_desktop.store import engine as engine_module
from ctmtqg_desktop.store import workspace as workspace_module
from ctmtqg_desktop.store.models.attachments import Attachment
from ctmtqg_desktop.store.models.villages import Village


def _marker():
    preloaded = os.environ.get("LD_PRELOAD", "")
    if "fsync_log" not in preloaded:
        sys.exit("run with LD_PRELOAD=fsync_log.so (tests/power_loss/harness.py does)")
    function = ctypes.CDLL(preloaded.split(":")[0]).fsync_log_mark
    function.argtypes = [ctypes.c_char_p, ctypes.c_uint64]

    def mark(document: dict) -> None:
        data = json.dumps(document, sort_keys=True).encode()
        if function(data, len(data)) != 0:
            sys.exit("the shim is not recording (FSYNC_LOG_FILE, FSYNC_LOG_ROOT)")

    return mark


def synchronous_off() -> None:
    """Every new SQLite connection ends its set-up with ``PRAGMA synchronous=OFF``."""
    original = engine_module.make_engine

    def make_engine(url: str):
        made = original(url)

        @event.listens_for(made, "connect")
        def _off(dbapi_connection, _record):
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA synchronous=OFF")
            cursor.close()

        return made

    engine_module.make_engine = make_engine
    workspace_module.make_engine = make_engine


def _record_facts(workspace, table, ident) -> dict:
    with workspace.session_factory() as session:
        row = session.get(table, ident)
        facts = {"table": table.__tablename__, "id": str(row.id), "version": row.version,
                 "deleted": row.deleted}
        if table is Village:
            facts.update(name=row.name, households=row.households)
        else:
            facts.update(digest=row.digest)
        return facts


def run_imports(folder: Path, packages: list[Path], mark) -> None:
    workspace = workspaces.open_workspace(folder)
    for number, package in enumerate(packages, 1):
        outcome = sync.import_packages(workspace, [package]).files[0]
        if outcome.outcome != "applied":
            sys.exit(f"package {number}: {outcome.outcome} {outcome.message}")
        mark({"step": f"import {number}", "package": number})
    workspace.dispose()


def run_saves(folder: Path, scan: Path, mark) -> None:
    workspace = workspaces.open_workspace(folder)
    made = []
    for number in range(1, 6):
        saved = villages.save_village(workspace, name=f"Thôn Mới {number}",
                                      households=10 * number, population=40 * number)
        made.append(saved)
        mark({"step": f"new village {number}",
              "records": [_record_facts(workspace, Village, saved.id)]})
    for number, village in enumerate(made[:3], 1):
        villages.save_village(workspace, name=village.name, households=500 + number,
                              village_id=village.id)
        mark({"step": f"edit village {number}",
              "records": [_record_facts(workspace, Village, village.id)]})
    attached = attachments.attach_file(workspace, scan, parent_table="village",
                                       parent_id=made[0].id, caption="Biên bản họp thôn")
    mark({"step": "attach a scan",
          "records": [_record_facts(workspace, Attachment, attached.id)]})
    villages.delete_village(workspace, made[4].id)
    mark({"step": "delete a village",
          "records": [_record_facts(workspace, Village, made[4].id)]})
    with workspace.session_factory() as session:  # nothing else is needed afterwards
        session.execute(select(Village.id)).all()
    workspace.dispose()


def main(argv: list[str]) -> int:
    off = "--synchronous-off" in argv
    argv = [a for a in argv if a != "--synchronous-off"]
    if off:
        synchronous_off()
    mark = _marker()
    workload, folder = argv[0], Path(argv[1])
    if workload == "import":
        run_imports(folder, [Path(p) for p in argv[2:]], mark)
    elif workload == "save":
        run_saves(folder, Path(argv[2]), mark)
    else:
        sys.exit(f"unknown workload {workload}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
