"""Hypothesis drives random edits, exports, deliveries (in any order, twice, or never) on a
district and a commune with two installations; once everyone has exchanged packages until
nothing changes, all of them hold the same records (the district: the commune's, plus its
own addressed to the commune)."""

from __future__ import annotations

import itertools
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from ctmtqg_desktop.services import villages
from ctmtqg_desktop.services.sync import _enrollment as enrollment
from ctmtqg_desktop.services.sync import _export as sync_export
from ctmtqg_desktop.services.sync import _import as sync_import
from ctmtqg_desktop.services.workspaces import _workspaces as workspaces
from ctmtqg_desktop.store.models.journal import ChangeJournalEntry
from ctmtqg_desktop.store.models.projects import Project
from ctmtqg_desktop.store.uow import UnitOfWork
from tests.sync.conftest import COMMUNE_A, PARENT

NODES = ("parent", "a1", "a2")
edits = st.tuples(st.just("edit"), st.sampled_from(NODES + ("a1", "a2")),
                  st.sampled_from((0, 0, 0, 1, 2)), st.integers(0, 999),
                  st.sampled_from(("set", "set", "set", "new", "delete")))
exports = st.tuples(st.just("export"), st.sampled_from(NODES))
deliveries = st.tuples(st.just("deliver"), st.integers(0, 50), st.booleans())
losses = st.tuples(st.just("lose"), st.integers(0, 50))
steps = st.lists(st.one_of(edits, edits, exports, exports, deliveries, deliveries, losses),
                 min_size=6, max_size=30)


def _edit(workspace, is_parent: bool, slot: int, value: int, action: str, serial: int) -> None:
    """``serial`` numbers the plan's steps: a commune refuses two villages of one name (rightly),
    so a new village's name carries it and never repeats another's."""
    if is_parent:
        with UnitOfWork(workspace) as uow:
            uow.session.add(Project(name=f"Việc {value}", program_id="2021-2025/NTM",
                                    kind="road", audience_unit_id=COMMUNE_A))
            uow.commit()
        return
    own = villages.list_villages(workspace)
    if action == "new" or not own:
        villages.save_village(workspace, name=f"Thôn {workspace.folder.name} số {serial}",
                              households=value)
    elif action == "delete":
        villages.delete_village(workspace, own[slot % len(own)].id)
    else:
        village = own[slot % len(own)]
        villages.save_village(workspace, name=village.name, households=value,
                              village_id=village.id)


def _shared(workspace) -> dict:
    document = json.loads(workspaces.dump(workspace, metadata=True))
    return {name: [r for r in rows if r["owner_unit_id"] == COMMUNE_A
                   or (r["owner_unit_id"] == PARENT and r["audience_unit_id"] in (COMMUNE_A, "*"))]
            for name, rows in document["tables"].items()}


@settings(max_examples=30, deadline=None, derandomize=True, database=None,
          suppress_health_check=[
              # `network` is a factory: each example makes its own new workspaces from it and
              # shares nothing with the examples before it
              HealthCheck.function_scoped_fixture,
              # one example builds three workspaces and exchanges real packages (about a
              # second); that is the point of the test, not a slow strategy
              HealthCheck.too_slow])
@given(plan=steps)
def test_random_edits_and_deliveries_converge(network, tmp_path_factory, plan):
    folder = tmp_path_factory.mktemp("random")
    parent = network.parent()
    path, path_2 = folder / "a.ctenroll", folder / "a-2.ctenroll"  # one file per laptop
    enrollment.issue_enrollment(parent, COMMUNE_A, path)
    enrollment.issue_enrollment(parent, COMMUNE_A, path_2)
    nodes = {"parent": parent, "a1": network.from_file(path, "Máy 1"),
             "a2": network.from_file(path_2, "Máy 2")}
    bag: list[tuple] = []

    def export(name: str) -> None:
        if name == "parent":
            result = sync_export.export_package(parent, folder, to=COMMUNE_A)
            bag.extend((result.path, target) for target in ("a1", "a2"))
        else:
            bag.append((sync_export.export_package(nodes[name], folder).path, "parent"))

    def deliver(path, target) -> None:
        outcome = sync_import.import_packages(nodes[target], [path]).files[0]
        assert outcome.outcome in ("applied", "already_applied", "held"), outcome.message

    # introductions (so the district knows both installations) and one village that both
    # installations of the commune have, so that they can edit it concurrently
    villages.save_village(nodes["a1"], name="Thôn chung", households=1)
    for name in ("a1", "a2", "parent"):
        export(name)
        while bag:
            deliver(*bag.pop())
    serials = itertools.count()
    for step in plan:
        if step[0] == "edit":
            _kind, name, slot, value, action = step
            _edit(nodes[name], name == "parent", slot, value, action, next(serials))
        elif step[0] == "export":
            export(step[1])
        elif step[0] == "deliver" and bag:
            index = step[1] % len(bag)
            item = bag[index] if step[2] else bag.pop(index)  # True: it arrives twice
            deliver(*item)
        elif step[0] == "lose" and bag:
            bag.pop(step[1] % len(bag))
    for _round in range(3):  # settle: everyone sends, everything arrives
        bag.clear()
        for name in ("a1", "a2", "parent"):
            export(name)
        for item in bag:
            deliver(*item)

    expected = _shared(parent)
    assert _shared(nodes["a1"]) == expected
    assert _shared(nodes["a2"]) == expected
    for workspace in nodes.values():
        assert workspaces.check(workspace).ok
        # thirty examples' pooled connections would crowd a PostgreSQL server
        workspace.dispose()
    # and the state they agree on is the newest version ever written of each record
    newest: dict[str, str] = {}
    for workspace in nodes.values():
        with workspace.session_factory() as session:
            for record_id, version in session.execute(
                    select(ChangeJournalEntry.record_id, ChangeJournalEntry.version)):
                newest[str(record_id)] = max(newest.get(str(record_id), ""), version)
    for rows in expected.values():
        for row in rows:
            assert row["version"] == newest[row["id"]]
