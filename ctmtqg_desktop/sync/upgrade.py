"""Packages from an older application: bring their records up to this schema.

A package names the data version (Alembic revision) it was written with. Three cases:

* the same revision as this application: records must have exactly the current columns;
* an older revision this application knows: each record is upgraded — revision-specific
  steps in :data:`STEPS` first (renames, computed values), then every column that did not
  exist yet gets its model default and columns that no longer exist are dropped;
* a revision this application does not know: the package comes from a newer application
  and is kept aside until this one is updated (decided by the importer).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ctmtqg_desktop.store import schema

#: ``{revision: step(table_name, record) -> record}``: what to do to a record written
#: before ``revision`` when passing it. A column that is only added needs no step: the
#: generic fill gives it its default. (0005_audience added ``audience_unit_id``: default
#: None, the owner's own record.)
STEPS: dict[str, Callable[[str, dict[str, Any]], dict[str, Any]]] = {}


def is_known(revision: str) -> bool:
    return revision in schema.revision_graph()


class Upgrader:
    """Upgrades records written at ``revision`` to the head revision."""

    def __init__(self, revision: str, models: dict[str, type[Any]]) -> None:
        order = schema.ordered_revisions()
        self.revision = revision
        self.current = revision == order[-1]
        self.steps = [STEPS[r] for r in order[order.index(revision) + 1:] if r in STEPS]
        self.defaults: dict[str, dict[str, Any]] = {}
        for name, model in models.items():
            defaults = {}
            for column in model.__table__.columns:
                default = column.default
                if default is not None and not default.is_callable and default.is_scalar:
                    defaults[column.name] = default.arg
                elif column.nullable:
                    defaults[column.name] = None
            self.defaults[name] = defaults
        self.columns = {name: {c.name for c in model.__table__.columns}
                        for name, model in models.items()}

    def upgrade(self, table: str, record: dict[str, Any]) -> dict[str, Any]:
        if self.current:
            return record
        for step in self.steps:
            record = step(table, record)
        wanted = self.columns[table]
        upgraded = {key: value for key, value in record.items() if key in wanted}
        for key, value in self.defaults[table].items():
            upgraded.setdefault(key, value)
        return upgraded
