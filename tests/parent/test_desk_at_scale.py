"""The parent's desk at the country's scale (issue 17): the faster paths give exactly what the
plain ones give, on seeded data."""

from __future__ import annotations

import random
from dataclasses import replace

from sqlalchemy import select

from ctmtqg_desktop.services import catalog
from ctmtqg_desktop.services.catalog._units import UNIT_KINDS
from ctmtqg_desktop.services.parent._reorganisation import UnitMap
from ctmtqg_desktop.services.sync import _export as sync_export
from ctmtqg_desktop.services.sync import _pending_down as pending_down
from ctmtqg_desktop.services.sync._nodes import unit_titles
from ctmtqg_desktop.store.models.catalog import AdminUnit
from ctmtqg_desktop.store.uow import UnitOfWork
from ctmtqg_desktop.sync.selection import DOWN, Floor, Selection


def _expected_title(kind: str, name: str) -> str:
    label = catalog.unit_kind_label(kind)
    return f"{label[:1].upper()}{label[1:]} {name}"


def test_titles_of_thousands_of_units_read_whole_equal_those_read_by_key(
        parent_demo_workspace):
    workspace = parent_demo_workspace
    with UnitOfWork.read(workspace) as session:
        units = {ident: (kind, name) for ident, kind, name in session.execute(
            select(AdminUnit.id, AdminUnit.kind, AdminUnit.name))}
    assert len(units) > 2000  # the shipped catalog: every unit of the country
    wanted = random.Random(17).sample(sorted(units), 1500) + ["99999-not-a-unit"]
    whole = unit_titles(workspace, wanted)  # more than 500: the catalog read whole
    assert len({units[u][0] for u in wanted if u in units}) >= 3  # several kinds
    by_key = {}
    for start in range(0, len(wanted), 400):  # 500 or fewer: read by key
        by_key.update(unit_titles(workspace, wanted[start:start + 400]))
    assert whole == by_key
    assert whole["99999-not-a-unit"] == "99999-not-a-unit"
    assert all(whole[u] == _expected_title(*units[u]) for u in wanted if u in units)


def test_unit_map_titles_with_the_kind_of_a_day_equal_the_entries_own(
        parent_demo_workspace):
    with UnitOfWork.read(parent_demo_workspace) as session:
        units = UnitMap.load(session)
    sample = random.Random(3).sample(sorted(units.units), 300)
    for ident in sample:
        entry = units.units[ident]
        assert units.title(ident) == entry.title
        for kind in UNIT_KINDS:  # the kind a dated attribute gives on a day
            assert units.title(ident, kind) == replace(entry, kind=kind).title
    assert units.title("99999-not-a-unit") == "99999-not-a-unit"


def test_each_dialects_grouped_count_equals_the_portable_one(parent_demo_workspace):
    """PostgreSQL counts every child's intervals in one statement of arrays (LATERAL); the
    portable statement (a VALUES list, SQLite's) must give the same counts on the same
    database, whichever it is."""
    workspace = parent_demo_workspace
    info = workspace.installation()
    with UnitOfWork.read(workspace) as session:
        shared = sync_export._PendingContext.read(session)
        ancestors = shared.ancestors(info.unit_id)
        intervals = {}
        for unit, nodes in shared.nodes.items():
            if unit == info.unit_id:
                continue
            floors = tuple(Floor.make(
                node.id, shared.acks.get((unit, node.id), 0), shared.ranges.get(node.id, []))
                for node in nodes)
            selection = Selection(DOWN, info.unit_id, info.node_id, unit, frozenset(), floors,
                                  ancestors)
            intervals[unit] = pending_down.wanted_intervals(selection, 0)
        assert len(intervals) >= 5
        counted = pending_down.count_down(session, info.unit_id, ancestors, intervals)
        flat = [(unit, first, last, unsent) for unit, found in intervals.items()
                for first, last, unsent in found]
        portable: pending_down.Counts = {}
        owners = sorted({info.unit_id, *ancestors})
        for start in range(0, len(flat), 3):  # several statements
            for unit, table, operation, unsent, found, first_at in pending_down._count_values(
                    session, info.unit_id, owners, flat[start:start + 3]):
                portable.setdefault(unit, []).append((table, operation, bool(unsent),
                                                      int(found), first_at))

    def merged(counts):
        total: dict = {}
        for unit, rows in counts.items():
            for table, operation, unsent, found, first_at in rows:
                key = (unit, table, operation, unsent)
                old = total.get(key, (0, None))
                total[key] = (old[0] + found,
                              first_at if old[1] is None else min(old[1], first_at))
        return total

    assert merged(counted) == merged(portable)
    assert sum(found for found, _at in merged(counted).values()) > 0


def test_the_cycle_collector_is_held_off_while_the_desk_is_computed(parent_demo_workspace,
                                                                    monkeypatch):
    """The board, children list and sync status run with Python's cycle collector off (its
    walks of the heap were a quarter to a half of their CPU at 3,321 children), and it runs
    again afterwards, unless it was off already."""
    import gc

    from ctmtqg_desktop.services.parent import _board, _children
    from ctmtqg_desktop.services.parent import _reorganisation as reorganisation
    from ctmtqg_desktop.services.sync import _status as sync_status

    seen: list[bool] = []
    real_load = reorganisation.UnitMap.load.__func__
    real_context = sync_export._PendingContext.read.__func__

    def load(cls, session):
        seen.append(gc.isenabled())
        return real_load(cls, session)

    def context(cls, session):
        seen.append(gc.isenabled())
        return real_context(cls, session)

    monkeypatch.setattr(reorganisation.UnitMap, "load", classmethod(load))
    monkeypatch.setattr(sync_export._PendingContext, "read", classmethod(context))
    workspace = parent_demo_workspace
    assert gc.isenabled()
    board = _board.compute(workspace)
    listing = _children.list_children(workspace)
    status = sync_status.status(workspace)
    assert seen == [False, False, False] and gc.isenabled()
    assert board.rows and listing.children and status.peers
    gc.disable()
    try:
        _board.compute(workspace)
        assert not gc.isenabled()  # left as it was found
    finally:
        gc.enable()
