"""The cycle collector held off around a computation that builds many acyclic objects
(issue 17): kept apart from the areas so that a module can use it without loading them."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def cycle_collector_paused() -> Iterator[None]:
    """Python's cycle collector held off while a desk figure of every child is computed
    (the parent's board, children list and sync status; issue 17).

    Each reads a few hundred thousand rows and keeps tens of thousands of objects until it
    returns; every few thousand of them the collector walked the whole heap again (its
    oldest generation: 25-45% of the process's CPU at 3,321 children, docs/benchmarks.md).
    Those objects hold no reference cycles (rows, tuples, dicts, frozen dataclasses): they
    are freed as before, and anything cyclic is collected once the collector runs again. It
    runs again on leaving, unless it was already off (an import run holds it off too)."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()
