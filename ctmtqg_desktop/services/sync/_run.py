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

from ctmtqg_desktop.store.uow import UnitOfWork

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
