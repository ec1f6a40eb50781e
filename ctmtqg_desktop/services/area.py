"""What an area contributes to the application, declared once: :class:`Area`.

Each area package (``services/<area>/``) declares ``AREA = Area(...)`` in its
``__init__.py`` from its real objects: the record classes it owns, its reports, its overview
sections, its demo steps, its workspace settings and its sync hooks. ``services/areas.py``
lists the areas (``AREAS``); the functions below walk that list for the overview, the demo,
the report list, the settings page, the sync importer and exporter and the workspace check.

The list is reached through :func:`installed` only: it imports ``services.areas`` when first
called, at run time, because the kernel sits below the areas it walks (an import at the top
would be a cycle). It is the one import of the kernel that points up; the import contracts
in ``pyproject.toml`` name it as their only exception.
"""

from __future__ import annotations

import importlib
import sys
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from ctmtqg_desktop.store.base import Base, SyncedRecord

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from ctmtqg_desktop.services.demo import DemoContext
    from ctmtqg_desktop.services.overview_data import Section
    from ctmtqg_desktop.services.report_catalog import ReportSpec
    from ctmtqg_desktop.services.settings import SettingSpec
    from ctmtqg_desktop.store.workspace import Workspace


@dataclass(frozen=True)
class OverviewSection:
    """A card of the overview page: ``compute(workspace)`` gives it, or None when the area
    has nothing to show yet. Cards are shown by ``order``, then in the order of the areas."""
    order: int
    compute: Callable[[Workspace], Section | None]


@dataclass(frozen=True)
class DemoStep:
    """A step of the demo workspace, run in ``order`` (then by the function's name)."""
    order: int
    run: Callable[[DemoContext], None]

    @property
    def name(self) -> str:
        return self.run.__qualname__


@dataclass(frozen=True)
class AfterApply:
    """A sync hook: inside the import's transaction, once a package's changes are written,
    ``run(session, ids)`` with the ids of the records of ``tables`` that the package changed
    (``ids[table]``; every table named is a key, possibly with no id)."""
    tables: tuple[str, ...]
    run: Callable[[Session, dict[str, list[uuid.UUID]]], None]


@dataclass(frozen=True)
class Area:
    """One area of the application: what it is called and what it brings."""
    key: str
    label: str  # msgid
    #: the mapped classes whose tables the area owns (synced records and others)
    records: tuple[type, ...] = ()
    #: or a function giving them, called when the report list is first asked for (an area
    #: whose reports are read from files: the overview and the start-up need none)
    reports: tuple[ReportSpec, ...] | Callable[[], tuple[ReportSpec, ...]] = ()
    overview: tuple[OverviewSection, ...] = ()
    #: or a function giving them, called when a demo is built (their modules load then)
    demo: tuple[DemoStep, ...] | Callable[[], tuple[DemoStep, ...]] = ()
    settings: tuple[SettingSpec, ...] = ()
    #: sync hooks run after a package is applied
    after_apply: tuple[AfterApply, ...] = ()
    #: ``fn(workspace, ready)`` run before an upward export selects what to send; a hook
    #: that is about to change a record calls ``ready()`` first, which raises if the export
    #: would be refused (so a refused export changes nothing)
    before_export: tuple[Callable[[Workspace, Callable[[], None]], None], ...] = ()


@cache
def installed() -> tuple[Area, ...]:
    """Every area, in the order of ``services/areas.py``."""
    from ctmtqg_desktop.services.areas import AREAS  # the one upward import: see above

    return AREAS


def record_classes() -> tuple[type, ...]:
    """Every mapped class the areas declare, in the order of the areas."""
    return tuple(record for area in installed() for record in area.records)


def synced_records() -> list[Any]:
    """Every synced-record class, parents before children (foreign-key order)."""
    by_table: dict[str, Any] = {record.__tablename__: record for record in record_classes()
                                if issubclass(record, SyncedRecord)}
    return [by_table[t.name] for t in Base.metadata.sorted_tables if t.name in by_table]


def reports() -> list[ReportSpec]:
    return [spec for area in installed()
            for spec in (area.reports() if callable(area.reports) else area.reports)]


def overview_sections() -> list[OverviewSection]:
    found = [section for area in installed() for section in area.overview]
    return sorted(found, key=lambda section: section.order)


def demo_steps() -> list[DemoStep]:
    found = [step for area in installed()
             for step in (area.demo() if callable(area.demo) else area.demo)]
    return sorted(found, key=lambda step: (step.order, step.name))


def settings() -> dict[str, SettingSpec]:
    found: dict[str, SettingSpec] = {}
    for area in installed():
        for spec in area.settings:
            if found.get(spec.key, spec) != spec:
                raise ValueError(f"setting {spec.key} declared twice")
            found[spec.key] = spec
    return found


def after_apply() -> list[AfterApply]:
    return [hook for area in installed() for hook in area.after_apply]


def before_export() -> list[Callable[[Workspace, Callable[[], None]], None]]:
    return [hook for area in installed() for hook in area.before_export]


def lazy_exports(package: str, modules: dict[str, tuple[str, ...]]
                 ) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """PEP 562 ``__getattr__`` and ``__dir__`` for an area's ``__init__``: each name of
    ``modules[submodule]`` is imported from ``package.submodule`` when it is first used
    (``"NAME as ALIAS"`` exports ``NAME`` as ``ALIAS``), then kept in the package.

    Every area is imported to walk ``AREAS`` (the overview's start-up process among them,
    issue 17), so an area's ``__init__`` imports at once only what its ``AREA`` needs (its
    records and overview card); its reports, workbooks, demo and sync machinery load with
    their first use. The same names are imported under ``TYPE_CHECKING`` for the type
    checker; ``tests/services/test_overview_lean.py`` checks that each resolves."""
    where: dict[str, tuple[str, str]] = {}
    for submodule, names in modules.items():
        for entry in names:
            name, _as, alias = entry.partition(" as ")
            where[alias or name] = (submodule, name)

    def __getattr__(name: str) -> Any:
        try:
            submodule, attribute = where[name]
        except KeyError:
            raise AttributeError(f"module {package!r} has no attribute {name!r}") from None
        value = getattr(importlib.import_module(f"{package}.{submodule}"), attribute)
        setattr(sys.modules[package], name, value)
        return value

    def __dir__() -> list[str]:
        return sorted(set(vars(sys.modules[package])) | set(where))

    return __getattr__, __dir__
