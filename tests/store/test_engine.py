"""What the engine's settings promise (store/engine.py), checked by behaviour, on SQLite and
(in the PostgreSQL pass) on PostgreSQL, which must keep the same promises:

* foreign keys are enforced: a record pointing at a record that does not exist is refused,
  and a sync package that carries one is refused whole (nothing written);
* a reader never blocks a save (SQLite's WAL mode; PostgreSQL's MVCC): while another
  connection holds a read transaction open, a save commits at once (and on SQLite the
  reader keeps seeing its snapshot until it ends).

``synchronous=FULL`` is proven by tests/power_loss (a power cut loses nothing acknowledged,
and the same harness with ``synchronous=OFF`` does lose acknowledged saves).
"""

from __future__ import annotations

import threading
import uuid

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ctmtqg_desktop.services import sync, villages
from ctmtqg_desktop.store.models.projects import Project
from ctmtqg_desktop.store.models.tasks import Task
from ctmtqg_desktop.store.models.villages import Village
from ctmtqg_desktop.store.uow import UnitOfWork
from tests.sync.conftest import COMMUNE_A, Network, dump
from tests.sync.forge import keys_of, rebuild


def test_a_record_pointing_at_nothing_is_refused(new_workspace):
    workspace = new_workspace()
    with pytest.raises(IntegrityError), UnitOfWork(workspace) as uow:
        uow.session.add(Task(text="Việc của một văn bản không có", directive_id=uuid.uuid4()))
        uow.commit()
    with pytest.raises(IntegrityError), UnitOfWork(workspace) as uow:
        uow.session.add(Project(name="Đường vào thôn không có", program_id="2021-2025/NTM",
                                kind="road", village_id=uuid.uuid4()))
        uow.commit()
    with workspace.session_factory() as session:
        assert session.scalars(select(Task)).all() == []
        assert session.scalars(select(Project)).all() == []


def test_a_package_whose_record_points_at_nothing_is_refused_whole(new_workspace, tmp_path):
    network = Network(new_workspace, tmp_path)
    parent = network.parent()
    commune = network.enroll(parent, COMMUNE_A)
    village = villages.save_village(commune, name="Thôn 1")
    with UnitOfWork(commune) as uow:
        uow.session.add(Project(name="Đường thôn 1", program_id="2021-2025/NTM", kind="road",
                                village_id=village.id))
        uow.commit()
    real = sync.export_package(commune, tmp_path / "out", encrypt=False).path

    def dangling(manifest, lines):
        for line in lines:
            if line["table"] == "project":
                line["record"]["village_id"] = str(uuid.uuid4())
        return manifest, lines

    forged = rebuild(real, tmp_path / "dangling.ctsync", None, edit=dangling,
                     signer=keys_of(commune))
    before = dump(parent)
    outcome = sync.import_packages(parent, [forged]).files[0]
    assert (outcome.outcome, outcome.code) == ("rejected", "missing_reference"), \
        outcome.message
    assert "khóa ngoại" in outcome.message
    assert dump(parent) == before
    assert sync.import_packages(parent, [real]).files[0].outcome == "applied"
    network.close()


def test_a_reader_does_not_block_a_save(new_workspace):
    workspace = new_workspace()
    first = villages.save_village(workspace, name="Thôn 1", households=10)
    reader = workspace.engine.connect()
    transaction = reader.begin()
    try:
        # the reader's transaction has read: it holds its snapshot (SQLite: a read lock)
        assert reader.execute(select(Village.households)).scalars().all() == [10]
        saved: list = []
        errors: list = []

        def save() -> None:
            try:
                saved.append(villages.save_village(workspace, name="Thôn 1", households=20,
                                                   village_id=first.id))
            except Exception as error:  # noqa: BLE001 (reported below)
                errors.append(error)

        writer = threading.Thread(target=save, daemon=True)
        writer.start()
        writer.join(timeout=10)
        blocked = writer.is_alive()
        # the reader still sees its snapshot, not the save
        seen = reader.execute(select(Village.households)).scalars().all()
    finally:
        transaction.rollback()
        reader.close()
    writer.join(timeout=60)
    assert not blocked, "the save waited for the reader's transaction to end"
    assert errors == [] and [s.households for s in saved] == [20]
    # SQLite's read transaction keeps its snapshot; PostgreSQL's (READ COMMITTED) sees
    # each statement's latest commit
    assert seen == ([10] if workspace.uses_sqlite else [20])
    assert [v.households for v in villages.list_villages(workspace)] == [20]


def test_a_connection_that_died_while_idle_in_the_pool_is_replaced(new_workspace, monkeypatch):
    """PostgreSQL: a pooled connection is tested when it waited in the pool (the server
    restarted, an idle timeout), not at each checkout (issue 17: a mass import checks out
    ten connections a package); a dead one is replaced before anyone uses it."""
    workspace = new_workspace()
    if workspace.uses_sqlite:
        pytest.skip("SQLite has no server connection to lose")
    from sqlalchemy import create_engine, text

    from ctmtqg_desktop.store import engine as engine_module

    pings: list = []
    real_ping = workspace.engine.dialect.do_ping
    monkeypatch.setattr(workspace.engine.dialect, "do_ping",
                        lambda connection: pings.append(1) or real_ping(connection))
    with workspace.engine.connect() as connection:
        pid = connection.execute(text("SELECT pg_backend_pid()")).scalar()
    with workspace.engine.connect() as connection:  # returned just now: not tested
        assert connection.execute(text("SELECT pg_backend_pid()")).scalar() == pid
    assert pings == []
    admin = create_engine(workspace.database_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as other:
        other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    admin.dispose()
    monkeypatch.setattr(engine_module, "IDLE_PING_SECONDS", 0.0)  # as after a long wait
    with UnitOfWork.read(workspace) as session:
        assert session.execute(text("SELECT pg_backend_pid()")).scalar() != pid
    assert pings


def test_a_read_session_outside_transactions_writes_nothing(new_workspace):
    """PostgreSQL, inside an import run: read sessions run without BEGIN/ROLLBACK
    (autocommit), so a write through one would be committed at once: it is refused."""
    workspace = new_workspace()
    if workspace.uses_sqlite:
        pytest.skip("SQLite's read sessions are unchanged")
    from sqlalchemy.exc import InvalidRequestError

    from ctmtqg_desktop.store.models.identity import Setting

    with UnitOfWork.reads_outside_transactions():
        # (a synced record is refused by the journal already: no unit of work's context)
        with pytest.raises(InvalidRequestError), UnitOfWork.read(workspace) as session:
            session.add(Setting(key="written_by_a_read", value="1"))
            session.flush()
        with UnitOfWork.read(workspace) as session:  # each statement on its own
            assert session.connection().connection.dbapi_connection.autocommit
    with UnitOfWork.read(workspace) as session:
        assert session.get(Setting, "written_by_a_read") is None
