"""Every insert, update and delete of a synced record writes a journal row in the same
transaction; a rolled-back change writes none."""

import json

import pytest
from sqlalchemy import func, select

from ctmtqg_desktop.store.journal import PhysicalDeleteRefused
from ctmtqg_desktop.store.models.journal import ChangeJournalEntry
from ctmtqg_desktop.store.models.villages import Village
from ctmtqg_desktop.store.uow import UnitOfWork


def journal(workspace):
    with workspace.session_factory() as session:
        return list(session.scalars(select(ChangeJournalEntry).order_by(ChangeJournalEntry.seq)))


def test_insert_update_delete_write_three_journal_rows(new_workspace):
    workspace = new_workspace()
    node = workspace.installation().node_id
    with UnitOfWork(workspace) as uow:
        village = Village(name="Thôn 1A", households=120)
        uow.session.add(village)
        uow.commit()
        village_id = village.id
    with UnitOfWork(workspace) as uow:
        uow.session.get(Village, village_id).households = 125
        uow.commit()
    with UnitOfWork(workspace) as uow:
        uow.session.get(Village, village_id).deleted = True
        uow.commit()

    rows = journal(workspace)
    assert [r.operation for r in rows] == ["insert", "update", "delete"]
    assert all(r.record_id == village_id and r.table_name == "village" for r in rows)
    assert all(r.origin_node_id == node and r.owner_unit_id == "23524" for r in rows)
    versions = [r.version for r in rows]
    assert versions == sorted(versions) and len(set(versions)) == 3
    payloads = [json.loads(r.payload) for r in rows]
    assert [p["households"] for p in payloads] == [120, 125, 125]
    assert payloads[2]["deleted"] is True and payloads[0]["name"] == "Thôn 1A"
    with workspace.session_factory() as session:
        stored = session.get(Village, village_id)
        assert stored.version == versions[-1] and stored.deleted


def test_journal_row_is_in_the_same_transaction_as_the_change(new_workspace):
    workspace = new_workspace()
    with UnitOfWork(workspace) as uow:
        uow.session.add(Village(name="Thôn 2"))
        uow.session.flush()
        inside = uow.session.execute(select(func.count()).select_from(ChangeJournalEntry)).scalar()
        assert inside == 1
        # no commit: leaving the unit of work rolls both back
    assert journal(workspace) == []
    with workspace.session_factory() as session:
        assert session.execute(select(func.count()).select_from(Village)).scalar() == 0


def test_an_edit_that_changes_nothing_writes_no_journal_row(new_workspace):
    workspace = new_workspace()
    with UnitOfWork(workspace) as uow:
        village = Village(name="Thôn 3", households=10)
        uow.session.add(village)
        uow.commit()
    with UnitOfWork(workspace) as uow:
        uow.session.get(Village, village.id).households = 10
        uow.commit()
    assert len(journal(workspace)) == 1


def test_physical_delete_of_a_synced_record_is_refused(new_workspace):
    workspace = new_workspace()
    with UnitOfWork(workspace) as uow:
        village = Village(name="Thôn 4")
        uow.session.add(village)
        uow.commit()
    with UnitOfWork(workspace) as uow:
        uow.session.delete(uow.session.get(Village, village.id))
        with pytest.raises(PhysicalDeleteRefused):
            uow.session.flush()
    assert [r.operation for r in journal(workspace)] == ["insert"]


def test_the_journal_is_installed_on_the_workspace_sessions_not_on_every_session(new_workspace):
    """The hooks are the workspace's, installed on its own session factory: a session made
    elsewhere (a tool reading another database) is left alone."""
    from sqlalchemy import event
    from sqlalchemy.orm import Session, sessionmaker

    from ctmtqg_desktop.store import journal

    workspace = new_workspace()
    hooks = [("before_flush", journal._stamp_synced_records),
             ("after_flush", journal._journal_synced_records),
             ("after_soft_rollback", journal._forget_pending)]
    for name, hook in hooks:
        assert event.contains(workspace.session_factory, name, hook)
        assert not event.contains(Session, name, hook)
        assert not event.contains(sessionmaker(bind=workspace.engine), name, hook)
