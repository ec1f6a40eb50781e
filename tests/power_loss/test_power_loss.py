"""Power loss: writes that were not fsync'ed are lost at the cut, at every point of a
package import and of a series of form saves. After each cut the workspace opens,
``ctmtqg check`` passes and every change acknowledged before the cut (the import's receipt,
the save that the page answers with "Đã lưu") is there.

How: ``fsync_log.c`` (an ``LD_PRELOAD`` shim, compiled here with the system's C compiler)
logs every write, truncation, sync, open, rename, removal and new folder in the workspace
while ``driver.py`` runs the workload; ``replay.py`` rebuilds the folder at any point of the
log keeping only what had reached the disk (see its docstring for the model). The last
test runs the same harness with the engine patched to ``PRAGMA synchronous=OFF`` and
expects it to find a lost change: the harness can see a loss, so its silence as shipped
means something. SQLite files only (a laptop's power cut).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

from ctmtqg_desktop.services import (
    attachments,
    sync,
    villages,
    workspaces,
)
from ctmtqg_desktop.store.models.attachments import Attachment
from ctmtqg_desktop.store.models.villages import Village
from ctmtqg_desktop.store.uow import UnitOfWork
from ctmtqg_desktop.store.workspace import Workspace
from tests.power_loss import harness
from tests.power_loss.replay import Replay, read_log

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(os.name != "posix" or not Path("/proc/self/fd").exists(),
                       reason="LD_PRELOAD and /proc: Linux only"),
    pytest.mark.skipif(harness.compiler() is None,
                       reason="no C compiler (gcc or cc) to build tests/power_loss/"
                              "fsync_log.c; CI installs gcc"),
]

#: a cut at each of this many random points in ``torn`` mode, per workload
TORN_POINTS = 100


@pytest.fixture(scope="module")
def shim(tmp_path_factory) -> Path:
    return harness.build_shim(tmp_path_factory.mktemp("shim"))


def _facts(workspace: Workspace) -> list[dict]:
    """Every village and attachment record of ``workspace`` as the checker reads them."""
    found = []
    with workspace.session_factory() as session:
        for row in session.scalars(select(Village)):
            found.append({"table": "village", "id": str(row.id), "version": row.version,
                          "deleted": row.deleted, "name": row.name,
                          "households": row.households})
        for row in session.scalars(select(Attachment)):
            found.append({"table": "attachment", "id": str(row.id), "version": row.version,
                          "deleted": row.deleted, "digest": row.digest})
    return found


@pytest.fixture(scope="module")
def import_setup(tmp_path_factory):
    """A district and an enrolled commune that made three packages (villages added,
    edited and deleted, scans attached); the facts each package carries."""
    folder = tmp_path_factory.mktemp("import")
    parent = workspaces.init_workspace(folder / "parent", unit="615", role="parent")
    sync.issue_enrollment(parent, "23524", folder / "a.ctenroll")
    parent.dispose()
    commune = sync.init_from_enrollment(folder / "commune", None, folder / "a.ctenroll")
    packages, facts = [], {}

    def export(number: int) -> None:
        made = sync.export_package(commune, folder / "packages").path
        packages.append(made)
        facts[number] = _facts(commune)

    with UnitOfWork(commune) as uow:
        for number in range(40):
            uow.session.add(Village(name=f"Thôn {number}", households=number,
                                    population=4 * number, sort_order=number))
        uow.commit()
    first = villages.list_villages(commune)[0]
    for number in range(2):
        scan = folder / f"scan-{number}.jpg"
        scan.write_bytes(os.urandom(30_000))
        attachments.attach_file(commune, scan, parent_table="village", parent_id=first.id)
    export(1)
    own = villages.list_villages(commune)
    for village in own[:6]:
        villages.save_village(commune, name=village.name + " A", households=999,
                              village_id=village.id)
    villages.delete_village(commune, own[7].id)
    for number in range(5):
        villages.save_village(commune, name=f"Làng mới {number}", households=number)
    export(2)
    scan = folder / "scan-late.jpg"
    scan.write_bytes(os.urandom(20_000))
    attachments.attach_file(commune, scan, parent_table="village", parent_id=own[1].id)
    villages.save_village(commune, name=own[2].name + " B", households=7, village_id=own[2].id)
    export(3)
    commune.dispose()
    reference = Workspace(shutil.copytree(folder / "parent", folder / "reference"))
    for package in packages:
        assert sync.import_packages(reference, [package]).files[0].outcome == "applied"
    final = workspaces.dump(reference, metadata=True)
    reference.dispose()
    return folder / "parent", packages, facts, final


@pytest.fixture(scope="module")
def save_setup(tmp_path_factory):
    folder = tmp_path_factory.mktemp("save")
    commune = workspaces.init_workspace(folder / "commune", unit="23524", role="commune")
    for number in range(3):
        villages.save_village(commune, name=f"Thôn cũ {number}", households=number)
    commune.dispose()
    scan = folder / "bien-ban.jpg"
    scan.write_bytes(os.urandom(40_000))
    return folder / "commune", scan


def _import_run(shim, import_setup, **options) -> harness.Run:
    parent, packages, _facts_of, _final = import_setup
    return harness.run_workload(shim, parent, "import", [str(p) for p in packages],
                                **options)


def _import_facts(import_setup):
    facts = import_setup[2]
    return lambda mark: facts[mark["package"]]


def _save_facts(mark: dict) -> list[dict]:
    return mark["records"]


def _cut_everywhere(run: harness.Run, facts, scratch: Path, still_works, *,
                    seed: int) -> tuple[harness.Verdict, harness.Verdict]:
    """A cut before every event (``drop``) and at ``TORN_POINTS`` random ones (``torn``);
    no problem may be found, and both cover at least 100 points."""
    every = harness.verify_every_point(run, facts, scratch, after_check=still_works)
    torn = harness.verify_torn(run, facts, scratch, points=TORN_POINTS, seed=seed)
    print(f"\n{run.events} events, {len(run.marks)} acknowledged; " + every.summary("drop")
          + "; " + torn.summary("torn"))
    assert every.problems == [] and torn.problems == [], "\n".join(every.problems
                                                                    + torn.problems)
    assert every.points == run.events + 1 >= 100
    assert torn.points >= 100
    return every, torn


def test_the_replayer_keeps_only_what_was_synced(tmp_path, shim):
    """The model itself, on a small script: unsynced data and unsynced names are lost."""
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "old.txt").write_bytes(b"old")
    script = (
        "import os\n"
        "def sync_dir(p):\n"
        "    fd = os.open(p, os.O_RDONLY); os.fsync(fd); os.close(fd)\n"
        "root = os.environ['FSYNC_LOG_ROOT']\n"
        "with open(root + '/a.txt', 'wb') as f:\n"
        "    f.write(b'synced'); f.flush(); os.fsync(f.fileno()); f.write(b' and not')\n"
        "sync_dir(root)\n"
        "with open(root + '/b.txt', 'wb') as f:\n"
        "    f.write(b'data synced, name not'); f.flush(); os.fsync(f.fileno())\n"
        "os.replace(root + '/b.txt', root + '/old.txt')\n"
    )
    root = (tmp_path / "root").resolve()
    shutil.copytree(folder, root)
    log = tmp_path / "events.bin"
    env = dict(os.environ, LD_PRELOAD=str(shim), FSYNC_LOG_FILE=str(log),
               FSYNC_LOG_ROOT=str(root))
    import subprocess
    import sys

    subprocess.run([sys.executable, "-c", script], env=env, check=True)
    replay = Replay(folder, str(root), read_log(log))
    after = replay.crash_state(len(replay.events), tmp_path / "after")
    assert (after / "a.txt").read_bytes() == b"synced"
    assert (after / "old.txt").read_bytes() == b"old"  # the rename never reached the disk
    assert not (after / "b.txt").exists()  # nor did the name b.txt
    assert (root / "old.txt").read_bytes() == b"data synced, name not"  # what the process saw


def test_package_imports_survive_a_power_cut_at_every_point(shim, import_setup, tmp_path):
    run = _import_run(shim, import_setup)
    assert [m["step"] for _i, m in run.marks] == ["import 1", "import 2", "import 3"]
    packages, final = import_setup[1], import_setup[3]

    def still_works(number: int, folder: Path) -> list[str]:
        """Every tenth state: importing the three packages again completes the work."""
        if number % 10:
            return []
        workspace = Workspace(folder)
        outcomes = [sync.import_packages(workspace, [p]).files[0] for p in packages]
        state = workspaces.dump(workspace, metadata=True)
        workspace.dispose()
        problems = [f"re-import: {o.outcome} {o.message}" for o in outcomes if not o.ok]
        return problems + ([] if state == final else ["re-import did not reach the end"])

    every, torn = _cut_everywhere(run, _import_facts(import_setup), tmp_path, still_works,
                                  seed=11)
    # the cuts fell before, between and after the receipts, not only at one end
    assert {0, 1, 2, 3} <= set(every.acknowledged_before)
    assert {0, 3} <= set(torn.acknowledged_before)


def test_form_saves_survive_a_power_cut_at_every_point(shim, save_setup, tmp_path):
    folder, scan = save_setup
    run = harness.run_workload(shim, folder, "save", [str(scan)])
    steps = [m["step"] for _i, m in run.marks]
    assert len(steps) == 10 and "attach a scan" in steps

    def still_works(number: int, crashed: Path) -> list[str]:
        if number % 10:
            return []
        workspace = Workspace(crashed)
        villages.save_village(workspace, name=f"Thôn sau sự cố {number}", households=1)
        report = workspaces.check(workspace)
        workspace.dispose()
        return report.problems

    every, _torn = _cut_everywhere(run, _save_facts, tmp_path, still_works, seed=12)
    assert set(range(len(steps) + 1)) <= set(every.acknowledged_before)


@pytest.mark.parametrize("workload", ["import", "save"])
def test_the_harness_sees_lost_changes_when_synchronous_is_off(shim, import_setup,
                                                               save_setup, tmp_path,
                                                               workload):
    """The same workloads with ``PRAGMA synchronous=OFF``: a cut after a receipt or a
    "Đã lưu" loses the acknowledged change, and the harness reports it."""
    if workload == "import":
        run = _import_run(shim, import_setup, synchronous_off=True)
        facts = _import_facts(import_setup)
    else:
        folder, scan = save_setup
        run = harness.run_workload(shim, folder, "save", [str(scan)], synchronous_off=True)
        facts = _save_facts
    verdict = harness.verify_every_point(run, facts, tmp_path, stop_at_first=True)
    lost = [p for p in verdict.problems if "acknowledged" in p]
    print("\n" + verdict.summary(f"synchronous=OFF, {workload}") + "\n" + "\n".join(lost[:3]))
    assert lost, "synchronous=OFF lost nothing the harness could see"
