"""What every package of one import run reads alike, read once per run (issue 17).

A mass import at the parent applies thousands of packages; this installation's keys (files
on disk), the catalog's unit tree and the units' titles, the synced tables in foreign-key
order and their column decoders were read or built again for each. Inside
:func:`import_run` (the importer's entry points) :func:`cached` keeps them; outside it
(a single package applied by a test or a tool) nothing is kept. A package that brings a
catalog calls :func:`forget_catalog`: the tree and the titles are read again. Inside a run
the read sessions of a PostgreSQL workspace run outside transactions
(:meth:`UnitOfWork.reads_outside_transactions`: two round trips fewer each)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

from ctmtqg_desktop.services.sync._nodes import unit_title, unit_titles, unit_tree
from ctmtqg_desktop.store.uow import UnitOfWork
from ctmtqg_desktop.store.workspace import Workspace
from ctmtqg_desktop.sync.authority import UnitTree

T = TypeVar("T")

_RUN: ContextVar[dict[Any, Any] | None] = ContextVar("ctmtqg_sync_import_run", default=None)

#: the keys that follow the catalog
CATALOG_KEYS = ("tree", "title", "key_corrections", "unit")


@contextmanager
def import_run() -> Iterator[None]:
    """One import run (nested runs share the outer one's cache)."""
    outer = _RUN.get()
    token = _RUN.set({} if outer is None else outer)
    try:
        with UnitOfWork.reads_outside_transactions():  # no BEGIN/ROLLBACK around reads
            yield
    finally:
        _RUN.reset(token)


def cached(key: Any, make: Callable[[], T]) -> T:
    """``make()``, once per import run for ``key`` (a string or a tuple starting with
    one)."""
    cache = _RUN.get()
    if cache is None:
        return make()
    if key not in cache:
        cache[key] = make()
    value: T = cache[key]
    return value


def forget_catalog() -> None:
    cache = _RUN.get()
    if cache is None:
        return
    for key in list(cache):
        name = key[0] if isinstance(key, tuple) else key
        if name in CATALOG_KEYS:
            del cache[key]


# ---------------------------------------------------------------------------- kept per run
def run_tree(workspace: Workspace) -> UnitTree:
    def read() -> UnitTree:
        with UnitOfWork.read(workspace) as session:
            return unit_tree(session)

    return cached("tree", read)


def run_title(workspace: Workspace, unit_id: str) -> str:
    family = _family_titles(workspace)
    if unit_id in family:
        return family[unit_id]
    return cached(("title", unit_id), lambda: unit_title(workspace, unit_id))


def _family_titles(workspace: Workspace) -> dict[str, str]:
    """The titles of this unit, its parent and its children, read together once per run
    (the senders of a mass import: one query for thousands of children, was one each)."""
    def read() -> dict[str, str]:
        info = workspace.installation()
        if info is None:
            return {}
        tree = run_tree(workspace)
        family = {unit for unit, parent in tree.parent_of.items() if parent == info.unit_id}
        family.add(info.unit_id)
        parent = tree.parent_of.get(info.unit_id)
        if parent:
            family.add(parent)
        return unit_titles(workspace, family)

    return cached(("title", "*family"), read)
