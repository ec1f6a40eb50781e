"""The parent unit's desk at scale: 100 child units with demo-sized data, against baselines
measured in the same run.

    .venv/bin/python benchmarks/parent.py [--children 100] [--folder DIR]
                                          [--postgres postgresql+psycopg://postgres@host:port/postgres]

Set-up (not timed): huyện Đắk Hà loads a catalog update that gives it ``--children`` child
communes (the real district has eleven: the others are demo units, added the way a catalog
update adds units), issues an enrollment file for each, and each commune's own workspace —
set up from its file, on SQLite as a laptop would be — gets demo-sized records
(:func:`services.parent_demo.fill_child`: villages, projects, tasks and progress, capital lines,
allocations and payments, dossiers and their documents, difficulties, households, activities)
and makes its first real package. With ``--postgres`` the district's workspace is a PostgreSQL
database on that server (created and dropped by the benchmark).

Then, each in a fresh process (so that the peak memory is the operation's own):

* **import**: the district imports the hundred packages in one go (the mass import);
  baseline: the driver's ``executemany`` of the same rows (records and journal) into the
  same tables of a copy of the district before the import, in one transaction;
* **board**: :func:`parent_board.compute` (best of five); baseline: one plain ``SELECT`` of
  every row the board reads (tasks, capital lines, allocations, payments, dossiers and their
  documents, difficulties and answers, activities, the journal's records addressed to
  children), through the same driver; for contrast, the same figures asked child by child
  (:func:`parent_detail.child_detail` for each child), the approach the board avoids;
* **children list, sync status, consolidated report (xlsx)**, and the sync status as it
  was computed before (one journal scan per peer) for the ratio.

Targets (issue 7): the board under 1 second for 100 children, memory under 500 MB.

``--direct [--scale 0.25]``: no packages; the children's records are written straight into
the district (the parent demo's way), so that the board, children list, sync status and both
consolidated reports can be measured at the country's 3,321 communes (setting up real
packages takes about 3 s a commune). ``--keep`` keeps the folder and databases;
``CTMTQG_BENCH_PROFILE=DIR`` keeps a cProfile of one extra run of each operation (and of the
import with ``CTMTQG_BENCH_PROFILE_IMPORT=1``). The contrasts asked child by child are not run
above 500 children. ``--phase explain --folder DIR --url URL`` (PostgreSQL, a kept district):
the board's, children list's and sync status's statements, each with its
``EXPLAIN (ANALYZE, BUFFERS)`` plan (on stderr), the client's and the server's times.
Figures and findings: docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DISTRICT = "615"
DAY = dt.date(2023, 10, 16)


def _peak_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _set_today(workspace) -> None:
    from sqlalchemy import update

    from ctmtqg_desktop.store.models.identity import Installation
    from ctmtqg_desktop.store.uow import UnitOfWork

    with UnitOfWork(workspace) as uow:
        uow.session.execute(update(Installation).values(simulated_today=DAY))
        uow.commit()
    workspace.installation(refresh=True)


# ---------------------------------------------------------------------------- set-up
def catalog_update(folder: Path, children: int) -> list[str]:
    """The shipped catalog plus demo communes of huyện Đắk Hà, as a newer catalog version."""
    from ctmtqg_desktop.services import catalog

    source = catalog.shipped_catalog_dir()
    target = folder / "catalog-update"
    shutil.copytree(source, target, dirs_exist_ok=True)
    manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    manifest["catalog_version"] += 1
    (target / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False),
                                          encoding="utf-8")
    real = [line.split(",")[0] for line in (source / "units.csv").read_text(
        encoding="utf-8").splitlines()[1:] if line.split(",")[4] == DISTRICT]
    extra = [f"99{n:03d}" for n in range(len(real) + 1, children + 1)]
    with open(target / "units.csv", "a", encoding="utf-8") as units:
        for code in extra:
            units.write(f"{code},{code},Minh họa {code[2:]},commune,{DISTRICT},,2025-06-30,"
                        "unverified,benchmark\n")
    return (real + extra)[:children]


def build(folder: Path, children: int, database_url: str | None, jobs: int = 1) -> None:
    """The district and ``children`` communes, each with its own laptop workspace (SQLite,
    set up from its own enrollment file), demo-sized records and its first real package.

    What is the same for every laptop is done once: the migrated database, and in it the
    catalog every enrollment file carries (installed as :func:`init_from_enrollment` installs
    it, so each laptop finds it loaded and skips the install). Each commune still gets its
    own enrollment file, keys, records and package, signed with its own key and encrypted to
    the district. ``jobs`` processes build the communes (each a slice), all writing their
    enrollments into the same district."""
    from ctmtqg_desktop.services import catalog, workspaces
    from ctmtqg_desktop.services.parent import _dispatch as parent_dispatch
    from ctmtqg_desktop.store.uow import UnitOfWork
    from ctmtqg_desktop.store.workspace import Workspace

    units = catalog_update(folder, children)
    district = workspaces.init_workspace(folder / "district", database_url, unit=DISTRICT,
                                         role="parent", officer_name="Phòng TC-KH")
    _set_today(district)
    parent_dispatch.install_catalog_update(district, folder / "catalog-update")
    from ctmtqg_desktop.services.dossiers import _templates as dossier_templates

    # the shipped templates are installed before the copies are taken (an import would add
    # them first), so the baseline's dossiers find theirs
    dossier_templates.ensure_shipped_templates(district)
    blank = Workspace(folder / "blank")
    workspaces.prepare_database(blank)  # one migrated database, copied for each laptop
    version = catalog.loaded_version(district)
    carried = catalog.pack(catalog.source_folder(district, version))  # as issue_enrollment
    with UnitOfWork(blank) as uow:
        catalog.install_if_newer(uow.session, catalog.unpack(carried))
        uow.commit()
    catalog.keep_copy(blank, carried, version)  # each laptop keeps these files (copied)
    blank.dispose()
    district.dispose()
    slices = [units[start::jobs] for start in range(jobs)]
    (folder / "units.json").write_text(json.dumps(slices), encoding="utf-8")
    if jobs == 1:
        build_communes(folder, database_url, 0)
        return
    workers = []
    for index in range(jobs):
        command = [sys.executable, __file__, "--phase", "build", "--folder", str(folder),
                   "--slice", str(index)]
        if database_url:
            command += ["--url", database_url]
        workers.append(subprocess.Popen(command))
    failed = [worker.wait() for worker in workers]
    if any(failed):
        raise SystemExit(f"a build worker failed: {failed}")


def _one_unit_tree() -> None:
    """In a build worker: the catalog's unit tree read once per catalog version (every
    laptop and the district hold the same catalog during the build; the tree was read
    five times a commune, a fifth of its set-up)."""
    import sys as sys_

    from ctmtqg_desktop.services.catalog import loaded_catalog_version
    from ctmtqg_desktop.services.sync import _nodes

    read = _nodes.unit_tree
    trees: dict[int, object] = {}

    def unit_tree(session):
        version = loaded_catalog_version(session)
        if version not in trees:
            trees[version] = read(session)
        return trees[version]

    for module in list(sys_.modules.values()):
        if getattr(module, "__name__", "").startswith("ctmtqg_desktop") and \
                getattr(module, "unit_tree", None) is read:
            module.unit_tree = unit_tree


def build_communes(folder: Path, database_url: str | None, index: int) -> dict:
    """Build slice ``index`` of ``units.json``'s communes (see :func:`build`)."""
    from ctmtqg_desktop.services import catalog
    from ctmtqg_desktop.services.parent import _demo as parent_demo
    from ctmtqg_desktop.services.sync import _enrollment as enrollment
    from ctmtqg_desktop.services.sync import _export as sync_export
    from ctmtqg_desktop.store.uow import UnitOfWork
    from ctmtqg_desktop.store.workspace import DATABASE_FILE, Workspace

    units = json.loads((folder / "units.json").read_text(encoding="utf-8"))[index]
    # every enrollment file carries the same catalog: read (and checked) once per process
    unpacked: dict[str, object] = {}
    unpack = catalog.unpack

    def unpack_once(document):
        key = json.dumps(document, sort_keys=True)
        if key not in unpacked:
            unpacked[key] = unpack(document)
        return unpacked[key]

    catalog.unpack = unpack_once
    _one_unit_tree()
    district = Workspace(folder / "district", database_url)
    district.installation()
    data = parent_demo.demo_data()
    started = time.perf_counter()
    mail = folder / "mail"
    done = {path.name.split("-")[1] for path in mail.glob("*.ctsync")} \
        if mail.is_dir() else set()
    for count, unit in enumerate(units, 1):
        laptop = folder / "laptops" / unit
        if unit in done:  # a build stopped and started again keeps what it made
            continue
        shutil.rmtree(laptop, ignore_errors=True)  # one stopped half-way: made again
        laptop.mkdir(parents=True)
        shutil.copy(folder / "blank" / DATABASE_FILE, laptop / DATABASE_FILE)
        shutil.copytree(folder / "blank" / "catalog", laptop / "catalog")
        file = folder / "enroll" / f"{unit}.ctenroll"
        file.parent.mkdir(exist_ok=True)
        enrollment.issue_enrollment(district, unit, file)
        commune = enrollment.init_from_enrollment(laptop, None, file,
                                                  officer_name=f"Cán bộ {unit}")
        _set_today(commune)
        templates = parent_demo.template_choices(commune)
        with UnitOfWork(commune) as uow:
            parent_demo.fill_child(uow.session, unit_id=unit, today=DAY,
                                   rng=random.Random(f"bench-{unit}"), data=data,
                                   templates=templates)
            uow.commit()
        sync_export.export_package(commune, folder / "mail")
        commune.dispose()
        if count % 50 == 0:
            print(f"  [{index}] {count} communes ready "
                  f"({(time.perf_counter() - started) / count:.2f} s each)", file=sys.stderr,
                  flush=True)
    district.dispose()
    catalog.unpack = unpack
    return {"communes": len(units), "seconds": time.perf_counter() - started}


def build_direct(folder: Path, children: int, database_url: str | None,
                 scale: float = 1.0) -> None:
    """The district as the parent demo leaves it (``ctmtqg demo --role parent --children N``):
    every child's records written straight into the district's database, as after their
    packages, in units of work of 100 children (no packages, no import: for the board,
    children list, sync status and reports at the scale of the country, whose set-up with
    real packages takes about 2 s a commune here)."""
    from ctmtqg_desktop.services import demo, workspaces
    from ctmtqg_desktop.services.dossiers import _templates as dossier_templates
    from ctmtqg_desktop.services.parent import _demo as parent_demo
    from ctmtqg_desktop.store.models.catalog import CatalogMeta
    from ctmtqg_desktop.store.uow import UnitOfWork

    data = parent_demo.demo_data()
    district = workspaces.init_workspace(folder / "district-work", database_url,
                                         unit=data["parent_unit"], role="parent",
                                         officer_name=data["officer_name"],
                                         simulated_today=demo.demo_today())
    dossier_templates.ensure_shipped_templates(district)
    templates = parent_demo.template_choices(district)
    info = district.installation()
    today = district.today()
    with UnitOfWork(district, remote=True) as uow:
        units, _added = parent_demo._child_units(uow.session, info.unit_id, children, data,
                                                 today)
        catalog_version = int(uow.session.get(CatalogMeta, "catalog_version").value)
        uow.commit()
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    for start in range(0, len(units), 100):
        with UnitOfWork(district, remote=True) as uow:
            for index in range(start, min(start + 100, len(units))):
                parent_demo._add_child(uow.session, info, index, units[index], seed=2023,
                                       data=data, now=now, catalog_version=catalog_version,
                                       today=today, templates=templates,
                                       households=180, scale=scale)
            uow.commit()
        print(f"  {min(start + 100, len(units))} children written", flush=True)
    parent_demo._parent_acts(district, units, data, random.Random(2023))
    district.dispose()


# ---------------------------------------------------------------------------- copies
class Copies:
    """Copies of the district before the import: a folder (SQLite) or a database made from
    a template (PostgreSQL)."""

    def __init__(self, folder: Path, admin_url: str | None) -> None:
        self.folder = folder
        self.admin_url = admin_url

    def url_of(self, name: str) -> str | None:
        if not self.admin_url:
            return None
        from sqlalchemy.engine import make_url

        return make_url(self.admin_url).set(database=name).render_as_string(hide_password=False)

    def _admin(self):
        from sqlalchemy import create_engine

        return create_engine(self.admin_url, isolation_level="AUTOCOMMIT")

    def create_empty(self, name: str) -> str | None:
        if not self.admin_url:
            return None
        from sqlalchemy import text

        engine = self._admin()
        with engine.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        engine.dispose()
        return self.url_of(name)

    def copy(self, source: str, target: str, database: tuple[str, str] | None = None
             ) -> str | None:
        """Copy the workspace folder ``source`` to ``target`` and, on PostgreSQL, the
        database ``database[0]`` to ``database[1]``; returns the copy's URL (None: SQLite)."""
        shutil.rmtree(self.folder / target, ignore_errors=True)
        shutil.copytree(self.folder / source, self.folder / target)
        if not self.admin_url or database is None:
            return None
        from sqlalchemy import text

        source, target = database

        engine = self._admin()
        with engine.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{target}" TEMPLATE "{source}"'))
        engine.dispose()
        return self.url_of(target)

    def drop(self, names: list[str]) -> None:
        if not self.admin_url:
            return
        from sqlalchemy import text

        engine = self._admin()
        with engine.connect() as connection:
            for name in names:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        engine.dispose()


# ---------------------------------------------------------------------------- phases
def _upgraded(folder: Path, url: str | None) -> None:
    """A kept district built by an older revision of the application is migrated first
    (as its server would be before an import; nothing done when it is current)."""
    from ctmtqg_desktop.services import workspaces
    from ctmtqg_desktop.store.workspace import Workspace

    workspace = Workspace(folder, url)
    workspaces.prepare_database(workspace)
    workspace.dispose()


def _workspace(folder: Path, url: str | None):
    from ctmtqg_desktop.store.workspace import Workspace

    workspace = Workspace(folder, url)
    workspace.installation()
    return workspace


def phase_import(folder: Path, url: str | None) -> dict:
    from ctmtqg_desktop.services.parent import _children as parent_children
    from ctmtqg_desktop.services.sync import _import as sync_import

    workspace = _workspace(folder / "district-work", url)
    files = parent_children.package_files([folder / "mail"])
    started = time.perf_counter()
    if PROFILE_DIR and os.environ.get("CTMTQG_BENCH_PROFILE_IMPORT"):
        # the profiler's own cost is then in these seconds: a separate run for the profile
        import cProfile

        Path(PROFILE_DIR).mkdir(parents=True, exist_ok=True)
        profiler = cProfile.Profile()
        report = profiler.runcall(sync_import.import_packages, workspace, files)
        profiler.dump_stats(str(Path(PROFILE_DIR) / "import.prof"))
    else:
        report = sync_import.import_packages(workspace, files, progress=_progress(started))
    seconds = time.perf_counter() - started
    bad = [o for o in report.files if o.outcome != "applied"]
    if bad:
        raise SystemExit(bad[0].message)
    return {"seconds": seconds, "files": len(files),
            "changes": sum(o.changes for o in report.files), "peak_mb": _peak_mb()}


def _progress(started: float):
    """Every 100 packages on stderr: how many, the seconds since the start, CPU seconds."""
    shown = [0]

    def progress(done: int, total: int, text: str) -> None:
        packages = done // 1000
        if packages >= shown[0] + 100:
            shown[0] = packages - packages % 100
            print(f"  {shown[0]} packages in {time.perf_counter() - started:.1f} s "
                  f"(CPU {time.process_time():.1f} s)", file=sys.stderr, flush=True)

    return progress


BOARD_TABLES = ("task", "capital_line", "capital_allocation", "capital_payment", "dossier",
                "dossier_document", "difficulty", "difficulty_answer", "activity")


def phase_board(folder: Path, url: str | None) -> dict:
    from sqlalchemy import text

    from ctmtqg_desktop.services import report_catalog
    from ctmtqg_desktop.services.parent import _board as parent_board
    from ctmtqg_desktop.services.parent import _children as parent_children
    from ctmtqg_desktop.services.parent import _detail as parent_detail
    from ctmtqg_desktop.services.sync import _status as sync_status

    workspace = _workspace(folder / "district-work", url)
    timings: dict[str, float] = {}
    #: this process's CPU seconds of the same best run: on a loaded machine the wall time
    #: mostly measures the other processes (the database server's own work is not in it)
    cpu: dict[str, float] = {}
    with workspace.engine.connect() as connection:
        peers = connection.execute(text("SELECT count(*) FROM sync_peer")).scalar() or 0
    # the contrasts ask child by child (thousands of queries): measured up to 500 children
    skipped = {"per_child", "status_before"} if peers > 500 else set()

    def best(name: str, fn, runs: int = 5):
        result, times = None, []
        if name in skipped:
            timings[name] = cpu[name] = float("nan")
            return None
        if PROFILE_DIR:
            _profiled(name, fn)
        for _run in range(runs):
            started, started_cpu = time.perf_counter(), time.process_time()
            result = fn()
            times.append((time.perf_counter() - started, time.process_time() - started_cpu))
        timings[name], cpu[name] = min(times)
        return result

    def raw_scan() -> int:
        rows = 0
        with workspace.engine.connect() as connection:
            for table in BOARD_TABLES:
                rows += len(connection.execute(text(f"SELECT * FROM {table}")).fetchall())
            rows += len(connection.execute(text(
                "SELECT audience_unit_id, record_id, seq FROM change_journal "
                "WHERE audience_unit_id IS NOT NULL")).fetchall())
        return rows

    rows = best("raw", raw_scan)
    board = best("board", lambda: parent_board.compute(workspace))
    best("per_child", lambda: [parent_detail.child_detail(workspace, r.unit_id)
                               for r in board.rows], runs=1)
    best("children", lambda: parent_children.list_children(workspace))
    best("status", lambda: sync_status.status(workspace), runs=2)
    best("status_before", lambda: _status_as_before(workspace), runs=1)
    best("report", lambda: report_catalog.build_report(
        workspace, "board", "xlsx", folder / f"board-{uuid.uuid4().hex[:6]}.xlsx"), runs=1)
    best("report_pdf", lambda: report_catalog.build_report(
        workspace, "board", "pdf", folder / f"board-{uuid.uuid4().hex[:6]}.pdf"), runs=1)
    return {"timings": timings, "cpu": cpu, "rows": rows, "children": len(board.rows),
            "reporting": sum(1 for r in board.rows if r.last_report_at),
            "assigned": board.total.assigned, "peak_mb": _peak_mb()}


PROFILE_DIR = os.environ.get("CTMTQG_BENCH_PROFILE")


def phase_explain(folder: Path, url: str | None) -> dict:
    """Where the board's, the children list's and the sync status's time goes, statement
    by statement (PostgreSQL): each operation is run once to warm the caches, then once with
    every statement it sends recorded (its wall time as the client saw it), then each
    recorded statement is sent again as ``EXPLAIN (ANALYZE, BUFFERS)`` in the same order, in
    one transaction (so that a ``SET LOCAL`` applies as it did). Prints each plan on stderr;
    returns per operation the wall and CPU seconds, the client's time in its statements, and
    the server's execution time of each statement."""
    from sqlalchemy import event

    from ctmtqg_desktop.services.parent import _board as parent_board
    from ctmtqg_desktop.services.parent import _children as parent_children
    from ctmtqg_desktop.services.sync import _status as sync_status

    workspace = _workspace(folder / "district-work", url)
    operations = {"board": lambda: parent_board.compute(workspace),
                  "children": lambda: parent_children.list_children(workspace),
                  "status": lambda: sync_status.status(workspace)}
    result: dict[str, dict] = {}
    for name, fn in operations.items():
        fn()
        recorded: list[list] = []

        def before(_conn, _cursor, statement, parameters, context, _many, recorded=recorded):
            context._bench_started = time.perf_counter()

        def after(_conn, _cursor, statement, parameters, context, _many, recorded=recorded):
            recorded.append([statement, parameters,
                             time.perf_counter() - context._bench_started])

        event.listen(workspace.engine, "before_cursor_execute", before)
        event.listen(workspace.engine, "after_cursor_execute", after)
        started, started_cpu = time.perf_counter(), time.process_time()
        fn()
        wall, cpu = time.perf_counter() - started, time.process_time() - started_cpu
        event.remove(workspace.engine, "before_cursor_execute", before)
        event.remove(workspace.engine, "after_cursor_execute", after)
        statements = []
        raw = workspace.engine.raw_connection()
        try:
            cursor = raw.cursor()
            for statement, parameters, seconds in recorded:
                head = statement.lstrip().split(None, 1)[0].upper()
                if head not in ("SELECT", "WITH"):
                    cursor.execute(statement, parameters)
                    statements.append({"sql": statement[:100], "client_s": round(seconds, 4)})
                    continue
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT TEXT) " + statement,
                               parameters)
                plan = [row[0] for row in cursor.fetchall()]
                executed = next((float(line.split(":")[1].split()[0]) for line in plan
                                 if line.startswith("Execution Time")), None)
                statements.append({"sql": " ".join(statement.split())[:160],
                                   "client_s": round(seconds, 4),
                                   "server_ms": executed})
                print(f"--- {name}: client {seconds * 1000:.1f} ms\n"
                      f"{' '.join(statement.split())[:600]}\n" + "\n".join(plan),
                      file=sys.stderr)
            raw.rollback()
        finally:
            raw.close()
        result[name] = {"wall_s": round(wall, 4), "cpu_s": round(cpu, 4),
                        "statements_client_s": round(sum(r[2] for r in recorded), 4),
                        "server_ms": round(sum(s.get("server_ms") or 0
                                               for s in statements), 1),
                        "statements": statements}
    return result


def _profiled(name: str, fn) -> None:
    """One run of ``fn`` under cProfile, kept as ``$CTMTQG_BENCH_PROFILE/<name>.prof`` (not
    timed: the timings are the runs without the profiler)."""
    import cProfile

    Path(PROFILE_DIR).mkdir(parents=True, exist_ok=True)
    profiler = cProfile.Profile()
    profiler.runcall(fn)
    profiler.dump_stats(str(Path(PROFILE_DIR) / f"{name}.prof"))


def _status_as_before(workspace) -> int:
    """The sync status as issue 6 computed it (kept here as the baseline of the fix): for
    each peer, every journal row from its floor read and tested in Python, the unit's title
    read through the catalog (three queries each), and the same for each installation's
    unit."""
    import datetime as dt_

    from sqlalchemy import func, select

    from ctmtqg_desktop.services import catalog
    from ctmtqg_desktop.services.sync import _export as sync_export
    from ctmtqg_desktop.store.models.identity import Node
    from ctmtqg_desktop.store.models.journal import ChangeJournalEntry as J
    from ctmtqg_desktop.store.models.sync import SyncAck, SyncIncoming, SyncOutgoing

    info = workspace.installation()
    counted = 0
    with workspace.session_factory() as session:
        node_units = {u for (u,) in session.execute(select(Node.unit_id))}
    for unit in node_units:
        catalog.get_unit(workspace, unit)
    for choice in sync_export.recipients(workspace):
        direction = "down" if choice.relation == "child" else "up"
        with workspace.session_factory() as session:
            selection, _nodes = sync_export._selection(session, info, choice.unit_id,
                                                       direction)
            last_out = session.scalars(select(SyncOutgoing).where(
                SyncOutgoing.recipient_unit_id == choice.unit_id)
                .order_by(SyncOutgoing.number.desc()).limit(1)).first()
            for seq, _table, _op, _at in session.execute(
                    select(J.seq, J.table_name, J.operation, J.recorded_at)
                    .where(J.seq >= selection.start, selection.where()).order_by(J.seq)):
                counted += selection.wants(seq)
            session.execute(select(func.max(SyncAck.acknowledged_at)).where(
                SyncAck.recipient_unit_id == choice.unit_id)).scalar()
            since = last_out.created_at if last_out else dt_.datetime.min
            session.execute(select(func.count()).select_from(SyncIncoming).where(
                SyncIncoming.sender_unit_id == choice.unit_id,
                SyncIncoming.status == "applied", SyncIncoming.processed_at > since)).scalar()
        catalog.get_unit(workspace, choice.unit_id)
    return counted


def phase_baseline(folder: Path, url: str | None) -> dict:
    """The rows the import wrote, inserted again with the driver's executemany."""
    from sqlalchemy import create_engine

    document = json.loads((folder / "rows.json").read_text(encoding="utf-8"))
    if url:
        engine = create_engine(url)
        connection = engine.raw_connection()
        marker = "%s"
    else:
        import sqlite3

        connection = sqlite3.connect(folder / "baseline" / "ctmtqg.sqlite3")
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=FULL")
        marker = "?"
    started = time.perf_counter()
    cursor = connection.cursor()
    for table, (columns, rows) in document["records"].items():
        cursor.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES "
                           f"({', '.join(marker for _ in columns)})", rows)
    columns, rows = document["journal"]
    cursor.executemany(f"INSERT INTO change_journal ({', '.join(columns)}) VALUES "
                       f"({', '.join(marker for _ in columns)})", rows)
    connection.commit()
    seconds = time.perf_counter() - started
    connection.close()
    return {"seconds": seconds, "peak_mb": _peak_mb()}


def dump_rows(folder: Path, url: str | None, tables: list[str]) -> None:
    """The rows the import wrote into the district (everything the children own)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url or f"sqlite:///{folder / 'district-work' / 'ctmtqg.sqlite3'}")

    def plain(value):
        if isinstance(value, uuid.UUID):
            return value.hex
        if isinstance(value, (dt.date, dt.datetime)):
            return value.isoformat(sep=" ") if isinstance(value, dt.datetime) else \
                value.isoformat()
        return value

    records = {}
    with engine.connect() as connection:
        for table in tables:
            result = connection.execute(text(
                f"SELECT * FROM {table} WHERE owner_unit_id <> :district"),
                {"district": DISTRICT})
            records[table] = (list(result.keys()),
                              [[plain(v) for v in row] for row in result.fetchall()])
        result = connection.execute(text(
            "SELECT table_name, record_id, operation, version, origin_node_id, owner_unit_id, "
            "audience_unit_id, payload, recorded_at, base_version FROM change_journal "
            "WHERE owner_unit_id <> :district"), {"district": DISTRICT})
        journal = (list(result.keys()), [[plain(v) for v in row] for row in result.fetchall()])
    engine.dispose()
    (folder / "rows.json").write_text(json.dumps({"records": records, "journal": journal}),
                                      encoding="utf-8")


def run_phase(folder: Path, kind: str, url: str | None) -> dict:
    command = [sys.executable, __file__, "--phase", kind, "--folder", str(folder)]
    if url:
        command += ["--url", url]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode:
        raise SystemExit(result.stderr)
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--children", type=int, default=100)
    parser.add_argument("--folder", type=Path)
    parser.add_argument("--postgres", metavar="ADMIN_URL")
    parser.add_argument("--phase")
    parser.add_argument("--url")
    parser.add_argument("--direct", action="store_true",
                        help="no packages: the children's records written straight into the "
                             "district (the parent demo); board, lists, status and reports only")
    parser.add_argument("--scale", type=float, default=1.0,
                        help="with --direct: each child's records times this (1: demo-sized)")
    parser.add_argument("--keep", action="store_true",
                        help="keep the folder and the PostgreSQL databases (to profile again)")
    parser.add_argument("--jobs", type=int, default=1,
                        help="processes that build the communes (with --postgres)")
    parser.add_argument("--reuse", action="store_true",
                        help="the --folder of a kept run: import its packages again into a "
                             "fresh copy of its district (no build)")
    parser.add_argument("--build-only", action="store_true",
                        help="build the district and its packages, keep them, and stop")
    parser.add_argument("--slice", type=int, default=0)
    args = parser.parse_args()
    if args.phase == "build":
        print(json.dumps(build_communes(args.folder, args.url, args.slice)))
        return 0
    if args.phase:
        phases = {"import": phase_import, "board": phase_board, "baseline": phase_baseline,
                  "explain": phase_explain}
        print(json.dumps(phases[args.phase](args.folder, args.url)))
        return 0

    folder = args.folder or Path(tempfile.mkdtemp(prefix="ctmtqg-parent-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    tag = uuid.uuid4().hex[:8]
    copies = Copies(folder, args.postgres)
    if args.direct:
        return main_direct(args, folder, copies, f"bench_{tag}_direct")
    names = {"district": f"bench_{tag}_district", "work": f"bench_{tag}_work",
             "baseline": f"bench_{tag}_baseline"}
    state = folder / "bench.json"
    if args.reuse:  # the district and packages of a kept run
        names["district"] = json.loads(state.read_text(encoding="utf-8"))["district"]
        database = copies.url_of(names["district"])
    else:
        database = copies.create_empty(names["district"])
    try:
        if not args.reuse:
            print(f"Building a district with {args.children} communes (demo-sized data, one "
                  f"package each) in {folder}{' on PostgreSQL' if database else ''} …",
                  flush=True)
            started = time.perf_counter()
            build(folder, args.children, database, args.jobs)
            state.write_text(json.dumps({"district": names["district"]}), encoding="utf-8")
            print(f"  built in {time.perf_counter() - started:.0f} s", flush=True)
            if args.build_only:
                args.keep = True
                return 0
        from ctmtqg_desktop.services import area

        tables = [m.__tablename__ for m in area.synced_records()]
        work = copies.copy("district", "district-work",
                           (names["district"], names["work"]) if database else None)
        _upgraded(folder / "district-work", work)
        imported = run_phase(folder, "import", work)
        board = run_phase(folder, "board", work)
        dump_rows(folder, work, tables)
        baseline_url = copies.copy("district", "baseline",
                                   (names["district"], names["baseline"]) if database else None)
        _upgraded(folder / "baseline", baseline_url)
        baseline = run_phase(folder, "baseline", baseline_url)
    finally:
        if args.keep:
            print(f"kept: {folder} {names if database else ''}", flush=True)
        elif args.reuse:  # the kept district stays for the next run
            copies.drop([names["work"], names["baseline"]])
        else:
            copies.drop(list(names.values()))

    t = board["timings"]
    print()
    print(f"{board['children']} child units ({board['reporting']} with data), "
          f"{imported['files']} packages, {imported['changes']:,} changes"
          f"{' — district on PostgreSQL' if database else ' — district on SQLite'}")
    print(f"{'operation':62} {'seconds':>8} {'ratio':>8} {'peak MB':>8}")
    lines = [
        ("baseline: executemany of the same rows (records + journal)", baseline["seconds"],
         1.0, baseline["peak_mb"]),
        (f"mass import of {imported['files']} packages (verify, apply each)",
         imported["seconds"], imported["seconds"] / baseline["seconds"], imported["peak_mb"]),
        (f"baseline: one SELECT of every row the board reads ({board['rows']:,})", t["raw"],
         1.0, None),
        ("board: every figure of every child (grouped SQL)", t["board"],
         t["board"] / t["raw"], board["peak_mb"]),
        ("  the same figures asked child by child", t["per_child"],
         t["per_child"] / t["raw"], None),
        ("children list", t["children"], t["children"] / t["raw"], None),
        ("sync status of every peer (counted in SQL)", t["status"], 1.0, None),
        ("  as issue 6 left it: rows read and tested in Python per peer", t["status_before"],
         t["status_before"] / t["status"], None),
        ("consolidated report, xlsx", t["report"], t["report"] / t["raw"], None),
    ]
    for name, seconds, ratio, peak in lines:
        shown_ratio = f"{ratio:7.2f}x" if ratio is not None else f"{'':>8}"
        shown_peak = f"{peak:8.0f}" if peak is not None else f"{'':>8}"
        print(f"{name:62} {seconds:8.3f} {shown_ratio} {shown_peak}")
    print()
    print(f"Board: {t['board']:.3f} s for {board['children']} children (target < 1 s); "
          f"{t['per_child'] / t['board']:.1f}x faster than asking child by child. "
          f"Sync status: {t['status_before'] / t['status']:.1f}x faster than before.")
    print(f"Peak memory: import {imported['peak_mb']:.0f} MB, board {board['peak_mb']:.0f} MB "
          "(target < 500 MB)")
    if not args.folder and not args.keep:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


def main_direct(args, folder: Path, copies: Copies, name: str) -> int:
    database = copies.create_empty(name)
    try:
        print(f"Writing {args.children} children (x{args.scale} demo-sized data) straight "
              "into a district"
              f"{' on PostgreSQL' if database else ''} in {folder} …", flush=True)
        started = time.perf_counter()
        build_direct(folder, args.children, database, args.scale)
        print(f"  built in {time.perf_counter() - started:.0f} s", flush=True)
        board = run_phase(folder, "board", database)
    finally:
        if args.keep:
            print(f"kept: {folder} {name if database else ''}", flush=True)
        else:
            copies.drop([name])
    t = board["timings"]
    print()
    print(f"{board['children']} child units ({board['reporting']} with data), records written "
          f"directly{' — district on PostgreSQL' if database else ' — district on SQLite'}")
    cpu = board.get("cpu", {})
    print(f"{'operation':62} {'seconds':>8} {'ratio':>8} {'CPU s':>8}")
    lines = [
        (f"baseline: one SELECT of every row the board reads ({board['rows']:,})", "raw"),
        ("board: every figure of every child (grouped SQL)", "board"),
        ("children list", "children"),
        ("sync status of every peer (counted in SQL)", "status"),
        ("consolidated report, xlsx", "report"),
        ("consolidated report, pdf", "report_pdf"),
    ]
    for label, key in lines:
        print(f"{label:62} {t[key]:8.3f} {t[key] / t['raw']:7.2f}x "
              f"{cpu.get(key, float('nan')):8.3f}")
    print("(CPU s: the benchmark process's own CPU seconds in the same run, without the "
          "database server's)")
    print(f"Peak memory of the board process: {board['peak_mb']:.0f} MB (target < 500 MB)")
    if not args.folder and not args.keep:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
