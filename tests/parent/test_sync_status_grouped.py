"""The parent's sync status counts what every child still needs in a few grouped statements
(issue 17); the counts must be exactly those of the child's own selection, row by row."""

from __future__ import annotations

import random
import uuid

from sqlalchemy import select

from ctmtqg_desktop.services.sync import _export as sync_export
from ctmtqg_desktop.services.sync import _pending_down as pending_down
from ctmtqg_desktop.services.sync import _status as sync_status
from ctmtqg_desktop.store.models.journal import ChangeJournalEntry as J
from ctmtqg_desktop.store.models.sync import SyncOutgoing
from ctmtqg_desktop.store.uow import UnitOfWork
from ctmtqg_desktop.sync.selection import DOWN, UP, Floor, Selection


def _floors(rng: random.Random) -> tuple[Floor, ...]:
    floors = []
    for _node in range(rng.choice((0, 1, 1, 2, 3))):
        through = rng.choice((0, 0, rng.randint(1, 120)))
        ranges, start = [], rng.randint(1, 20)
        for _range in range(rng.randint(0, 4)):
            length = rng.randint(0, 25)
            ranges.append((start, start + length))
            start += length + rng.randint(1, 30)
        floors.append(Floor.make(uuid.UUID(int=rng.getrandbits(128)), through, ranges))
    return tuple(floors)


def test_wanted_intervals_are_exactly_the_selection():
    rng = random.Random(17)
    for _case in range(400):
        selection = Selection(DOWN, "615", uuid.UUID(int=1), "23524", floors=_floors(rng))
        sent = rng.choice((0, rng.randint(1, 200)))
        intervals = pending_down.wanted_intervals(selection, sent)
        found = {}
        for first, last, unsent in intervals:
            assert first <= last
            for seq in range(first, min(last, 260) + 1):
                assert seq not in found
                found[seq] = unsent
        expected = {seq: seq > sent for seq in range(1, 261)
                    if seq >= selection.start and selection.wants(seq)}
        assert found == expected


def _counted_one_by_one(workspace, recipient: str, direction=DOWN):
    """The selection for ``recipient`` (a child, or the parent upward), its rows read and
    tested in Python (the oracle): unsent rows by table and operation, unconfirmed rows,
    the earliest unsent time, whether the selection has ranges."""
    info = workspace.installation()
    with UnitOfWork.read(workspace) as session:
        selection, _nodes = sync_export._selection(session, info, recipient, direction)
        last = session.scalars(select(SyncOutgoing).where(
            SyncOutgoing.recipient_unit_id == recipient)
            .order_by(SyncOutgoing.number.desc()).limit(1)).first()
        sent = last.last_seq if last else 0
        unsent: dict[tuple[str, str], int] = {}
        unconfirmed, earliest = 0, None
        for seq, table, operation, at in session.execute(
                select(J.seq, J.table_name, J.operation, J.recorded_at)
                .where(J.seq >= selection.start, selection.where())):
            if not selection.wants(seq):
                continue
            if seq > sent:
                unsent[(table, operation)] = unsent.get((table, operation), 0) + 1
                earliest = at if earliest is None else min(earliest, at)
            else:
                unconfirmed += 1
    ranged = any(floor.ranges for floor in selection.floors)
    return unsent, unconfirmed, earliest, ranged


def test_status_of_every_child_equals_its_own_selection(parent_demo_workspace, monkeypatch,
                                                         tmp_path):
    workspace = parent_demo_workspace
    first = next(p.unit_id for p in sync_status.status(workspace).peers
                 if p.relation == "child" and p.pending.unsent_total)
    sent = sync_export.export_package(workspace, tmp_path, to=first)  # not yet confirmed
    assert sent.changes > 0
    statements = []
    real = pending_down.count_down

    def counting(*args, **kwargs):
        statements.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(sync_export, "count_down", counting)
    monkeypatch.setattr(pending_down, "SEGMENTS_PER_STATEMENT", 5)  # several statements
    status = sync_status.status(workspace)
    children = [p for p in status.peers if p.relation == "child"]
    assert len(children) >= 6 and statements == [1]
    kinds = set()
    for peer in children:
        unsent, unconfirmed, earliest, ranged = _counted_one_by_one(workspace, peer.unit_id)
        summary = peer.pending
        got = {(t.table, op): n for t in summary.unsent
               for op, n in (("insert", t.inserts), ("update", t.updates),
                             ("delete", t.deletes)) if n}
        assert got == unsent, peer.unit_id
        assert summary.unsent_total == sum(unsent.values())
        assert summary.unconfirmed_total == unconfirmed
        assert summary.earliest_unsent_at == earliest
        kinds.add((bool(unsent), bool(unconfirmed), ranged))
    # children with changes unsent, one with changes sent but not confirmed, and children
    # whose own packages' journal ranges are left out
    assert any(unsent for unsent, _unconfirmed, _ranged in kinds)
    assert any(unconfirmed for _unsent, unconfirmed, _ranged in kinds)
    assert any(ranged for _unsent, _unconfirmed, ranged in kinds)


def _counted_up_one_by_one(workspace):
    """The parent unit's own selection (upward), as :func:`_counted_one_by_one`."""
    parent = sync_export.resolve_recipient(workspace, None)[0]
    unsent, unconfirmed, earliest, _ranged = _counted_one_by_one(workspace, parent, UP)
    return parent, unsent, unconfirmed, earliest


def test_the_parents_upward_count_equals_its_own_selection(parent_demo_workspace, tmp_path):
    """The count of what the district still sends up (one grouped statement, unsent and
    unconfirmed counted in the same groups) is exactly its selection read row by row:
    before any package, and after one (sent, not confirmed) followed by new changes."""
    from ctmtqg_desktop.services import villages

    workspace = parent_demo_workspace

    def check() -> tuple[int, int]:
        parent, unsent, unconfirmed, earliest = _counted_up_one_by_one(workspace)
        (peer,) = [p for p in sync_status.status(workspace).peers if p.relation == "parent"]
        assert peer.unit_id == parent
        summary = peer.pending
        got = {(t.table, op): n for t in summary.unsent
               for op, n in (("insert", t.inserts), ("update", t.updates),
                             ("delete", t.deletes)) if n}
        assert got == unsent
        assert all(t.total for t in summary.unsent)  # no table listed with nothing in it
        assert summary.unsent_total == sum(unsent.values())
        assert summary.unconfirmed_total == unconfirmed
        assert summary.earliest_unsent_at == earliest
        assert sync_export.pending(workspace) == summary  # the single recipient's way
        return summary.unsent_total, summary.unconfirmed_total

    unsent_before, unconfirmed_before = check()
    assert unsent_before > 0 and unconfirmed_before == 0
    sync_export.export_package(workspace, tmp_path, encrypt=False)  # to the province, unconfirmed
    villages.save_village(workspace, name="Thôn mới sau gói")
    unsent_after, unconfirmed_after = check()
    assert unconfirmed_after > 0 and 0 < unsent_after < unsent_before
