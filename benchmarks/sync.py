"""Sync packages at scale: export and import 100,000 changes, against a baseline measured in
the same run.

    .venv/bin/python benchmarks/sync.py [--changes 100000] [--folder DIR]

A commune installation (enrolled to its district) holds 100,000 journalled changes: new
villages and projects, then edits of some villages. The benchmark times, each in a fresh
process (so that the peak memory is the operation's own):

* **export**: the whole package, encrypted for the district, written, read back, verified;
* **import**: into the district's workspace, everything verified, applied in one transaction;
* **baseline**: raw ``sqlite3`` ``executemany`` of the same rows into the same tables of the
  same empty workspace (the record rows and the change-journal rows the import writes),
  in one transaction.

It prints the seconds, the ratios to the baseline (targets, issue 17: import ≤ 3x, export
≤ 1.5x), each phase's CPU seconds and their ratios (on a shared machine a process may get a
fifth of a core, and wall time then measures the others' load), and each process's peak
memory; an import of a ten times smaller package shows that memory does
not grow with the package.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _peak_mb() -> float:
    """This process's peak resident memory (Linux: VmHWM, which starts afresh at exec;
    ru_maxrss would include the parent's memory at fork time)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# ---------------------------------------------------------------------------- set-up
def build(folder: Path, changes: int) -> None:
    """The district, the enrolled commune with ``changes`` journal entries, and copies."""
    from ctmtqg_desktop.services import workspaces
    from ctmtqg_desktop.services.sync import _enrollment as enrollment
    from ctmtqg_desktop.store.models.projects import Project
    from ctmtqg_desktop.store.models.villages import Village
    from ctmtqg_desktop.store.uow import UnitOfWork

    district = workspaces.init_workspace(folder / "district", unit="615", role="parent")
    enrollment.issue_enrollment(district, "23524", folder / "dak-la.ctenroll")
    district.dispose()
    commune = enrollment.init_from_enrollment(folder / "commune", None,
                                              folder / "dak-la.ctenroll")
    inserts = changes * 4 // 5
    projects = inserts // 8
    edits = changes - inserts
    village_ids = []
    batch = 10_000
    for start in range(0, inserts - projects, batch):
        with UnitOfWork(commune) as uow:
            rows = [Village(name=f"Thôn {n}", ethnic_groups="Xơ Đăng, Kinh", households=n % 400,
                            population=n % 1600, sort_order=n)
                    for n in range(start, min(start + batch, inserts - projects))]
            uow.session.add_all(rows)
            uow.commit()
            village_ids += [r.id for r in rows]
    for start in range(0, projects, batch):
        with UnitOfWork(commune) as uow:
            uow.session.add_all(Project(
                name=f"Đường giao thông nông thôn số {n}", program_id="2021-2025/NTM",
                kind="road", location="Thôn Kon Mong Tu", investor="UBND xã Đắk La",
                description="Bê tông hóa đường thôn, dài 1,2 km") for n in range(
                    start, min(start + batch, projects)))
            uow.commit()
    for start in range(0, edits, batch):
        with UnitOfWork(commune) as uow:
            for village_id in village_ids[start:min(start + batch, edits)]:
                uow.session.get(Village, village_id).households += 1
            uow.commit()
    commune.dispose()


def fresh(source: Path, target: Path) -> Path:
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(source, target)
    return target


# ---------------------------------------------------------------------------- phases
def phase_export(folder: Path) -> dict:
    from ctmtqg_desktop.services import area
    from ctmtqg_desktop.services.sync import _export as sync_export
    from ctmtqg_desktop.store.workspace import Workspace

    workspace = Workspace(folder / "commune-work")
    workspace.installation()
    # the areas' modules loaded first, as the GUI and the command line have them: their
    # import (about 0.5 s of CPU here) is not the export's work
    area.synced_records()
    started, cpu = time.perf_counter(), time.process_time()
    result = sync_export.export_package(workspace, folder / "out")
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "cpu": time.process_time() - cpu, "changes": result.changes,
            "bytes": result.size, "encrypted": result.encrypted, "path": str(result.path),
            "peak_mb": _peak_mb()}


def phase_import(folder: Path, package: str) -> dict:
    from ctmtqg_desktop.services import area
    from ctmtqg_desktop.services.sync import _import as sync_import
    from ctmtqg_desktop.store.workspace import Workspace

    workspace = Workspace(folder / "district-work")
    workspace.installation()
    # as for the export: the areas' modules loaded first, as the GUI and the command line
    # have them before they import (about 0.4 s of CPU here, not the import's work)
    area.synced_records()
    started, cpu = time.perf_counter(), time.process_time()
    report = sync_import.import_packages(workspace, [Path(package)])
    seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu
    outcome = report.files[0]
    if outcome.outcome != "applied":
        raise SystemExit(outcome.message)
    return {"seconds": seconds, "cpu": cpu, "changes": outcome.changes, "peak_mb": _peak_mb()}


def phase_baseline(folder: Path, *, journal: bool) -> dict:
    """The same rows the import writes, with the standard library and nothing else."""
    rows_file = folder / "rows.json"
    document = json.loads(rows_file.read_text(encoding="utf-8"))
    database = folder / "baseline" / "ctmtqg.sqlite3"
    connection = sqlite3.connect(database)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=FULL")
    started, cpu = time.perf_counter(), time.process_time()
    with connection:
        for table, (columns, rows) in document["records"].items():
            placeholders = ", ".join("?" for _ in columns)
            connection.executemany(
                f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})", rows)
        if journal:
            columns, rows = document["journal"]
            placeholders = ", ".join("?" for _ in columns)
            connection.executemany(
                f"INSERT INTO change_journal ({', '.join(columns)}) VALUES ({placeholders})",
                rows)
    seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu
    connection.close()
    return {"seconds": seconds, "cpu": cpu, "peak_mb": _peak_mb()}


def dump_rows(folder: Path) -> None:
    """The rows the import wrote into the district, as the baseline will write them."""
    district = sqlite3.connect(folder / "district-work" / "ctmtqg.sqlite3")
    records = {}
    for table in ("village", "project"):
        cursor = district.execute(f"SELECT * FROM {table}")
        records[table] = ([d[0] for d in cursor.description], cursor.fetchall())
    cursor = district.execute("SELECT table_name, record_id, operation, version, origin_node_id,"
                              " owner_unit_id, audience_unit_id, payload, recorded_at,"
                              " base_version FROM change_journal")
    journal = ([d[0] for d in cursor.description], cursor.fetchall())
    district.close()
    (folder / "rows.json").write_text(json.dumps({"records": records, "journal": journal}),
                                      encoding="utf-8")


def run_phase(folder: Path, *args: str) -> dict:
    result = subprocess.run([sys.executable, __file__, "--phase", *args, "--folder", str(folder)],
                            capture_output=True, text=True, check=False)
    if result.returncode:
        raise SystemExit(result.stderr)
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--changes", type=int, default=100_000)
    parser.add_argument("--folder", type=Path)
    parser.add_argument("--phase", nargs="+")
    args = parser.parse_args()
    if args.phase:
        kind = args.phase[0]
        if kind == "export":
            print(json.dumps(phase_export(args.folder)))
        elif kind == "import":
            print(json.dumps(phase_import(args.folder, args.phase[1])))
        elif kind == "baseline":
            print(json.dumps(phase_baseline(args.folder, journal=args.phase[1] == "journal")))
        elif kind == "bare":
            import ctmtqg_desktop.services.sync._import  # noqa: F401

            print(json.dumps({"peak_mb": _peak_mb()}))
        return 0

    folder = args.folder or Path(tempfile.mkdtemp(prefix="ctmtqg-sync-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    print(f"Building a commune with {args.changes:,} journalled changes in {folder} …",
          flush=True)
    started = time.perf_counter()
    build(folder, args.changes)
    print(f"  built in {time.perf_counter() - started:.1f} s", flush=True)

    fresh(folder / "commune", folder / "commune-work")
    export = run_phase(folder, "export")
    fresh(folder / "district", folder / "district-work")
    imported = run_phase(folder, "import", export["path"])
    dump_rows(folder)
    baseline = {}
    for kind in ("records", "journal"):
        fresh(folder / "district", folder / "baseline")
        baseline[kind] = run_phase(folder, "baseline", kind)
    bare = run_phase(folder, "bare")

    small = max(args.changes // 10, 1)
    small_folder = folder / "small"
    small_folder.mkdir(exist_ok=True)
    build(small_folder, small)
    fresh(small_folder / "commune", small_folder / "commune-work")
    small_export = run_phase(small_folder, "export")
    fresh(small_folder / "district", small_folder / "district-work")
    small_import = run_phase(small_folder, "import", small_export["path"])

    reference = baseline["journal"]["seconds"]
    print()
    print(f"Package: {export['changes']:,} changes, {export['bytes'] / 1e6:.1f} MB, "
          f"encrypted: {export['encrypted']}")
    print(f"{'operation':58} {'seconds':>8} {'ratio':>7} {'peak MB':>8}")
    rows = [
        ("baseline: sqlite3 executemany, records + journal rows", reference, 1.0,
         baseline["journal"]["peak_mb"]),
        ("baseline: sqlite3 executemany, record rows only", baseline["records"]["seconds"],
         baseline["records"]["seconds"] / reference, baseline["records"]["peak_mb"]),
        ("export (write, encrypt, read back, verify)", export["seconds"],
         export["seconds"] / reference, export["peak_mb"]),
        ("import (verify everything, apply in one transaction)", imported["seconds"],
         imported["seconds"] / reference, imported["peak_mb"]),
        (f"import of a {small:,}-change package (memory check)", small_import["seconds"],
         None, small_import["peak_mb"]),
        ("a process that only loads the code", None, None, bare["peak_mb"]),
    ]
    for name, seconds, ratio, peak in rows:
        shown_seconds = f"{seconds:8.2f}" if seconds is not None else f"{'-':>8}"
        shown_ratio = f"{ratio:6.2f}x" if ratio is not None else f"{'-':>7}"
        print(f"{name:58} {shown_seconds} {shown_ratio} {peak:8.0f}")
    print()
    print(f"Import / baseline: {imported['seconds'] / reference:.2f}x (target ≤ 3x); "
          f"export / baseline: {export['seconds'] / reference:.2f}x (target ≤ 1.5x)")
    cpu_reference = max(baseline["journal"]["cpu"], 1e-6)  # a tiny run may count 0
    print(f"CPU seconds (steadier on a shared machine): baseline {cpu_reference:.2f}, "
          f"export {export['cpu']:.2f} ({export['cpu'] / cpu_reference:.2f}x), "
          f"import {imported['cpu']:.2f} ({imported['cpu'] / cpu_reference:.2f}x)")
    print(f"Import against the record rows alone: "
          f"{imported['seconds'] / baseline['records']['seconds']:.2f}x")
    print(f"Peak memory of the import: {imported['peak_mb']:.0f} MB for {args.changes:,} "
          f"changes, {small_import['peak_mb']:.0f} MB for {small:,}")
    if not args.folder:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
