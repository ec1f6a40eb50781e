"""Schema state and upgrades: Alembic is the only way the schema changes.

Opening a workspace must be quick, so the state check does not import Alembic: it reads the
revision graph from the file names and headers in ``db/versions`` and compares the head with
the one row of ``alembic_version``. Only when an upgrade is due is Alembic imported; a backup
is taken first, by the caller's function (``services.backups.before_migration``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection

from ctmtqg_desktop.domain.errors import SchemaNewerThanApp
from ctmtqg_desktop.resource_paths import migrations_dir
from ctmtqg_desktop.store.workspace import Workspace

if TYPE_CHECKING:
    from alembic.config import Config

_REVISION = re.compile(r'^revision(?:\s*:\s*str)?\s*=\s*["\']([^"\']+)["\']', re.M)
_DOWN = re.compile(r'^down_revision(?:\s*:[^=]+)?\s*=\s*(None|["\']([^"\']+)["\'])', re.M)


@cache
def revision_graph() -> dict[str, str | None]:
    """``{revision: down_revision}`` read from ``db/versions/*.py`` without Alembic."""
    graph: dict[str, str | None] = {}
    for script in sorted((migrations_dir() / "versions").glob("*.py")):
        source = script.read_text(encoding="utf-8")
        revision, down = _REVISION.search(source), _DOWN.search(source)
        if revision and down:
            graph[revision.group(1)] = down.group(2)
    return graph


def ordered_revisions() -> list[str]:
    """Revisions from the oldest to the head (the history is kept linear)."""
    graph = revision_graph()
    children = {down: rev for rev, down in graph.items()}
    order, current = [], children.get(None)
    while current is not None:
        order.append(current)
        current = children.get(current)
    if len(order) != len(graph):
        raise RuntimeError("the migration history in db/versions is not one straight line")
    return order


def head_revision() -> str:
    return ordered_revisions()[-1]


def oldest_revision() -> str:
    return ordered_revisions()[0]


@dataclass(frozen=True)
class SchemaState:
    current: str | None
    head: str

    @property
    def status(self) -> str:
        """``empty``, ``current``, ``behind`` or ``newer``."""
        if self.current is None:
            return "empty"
        if self.current == self.head:
            return "current"
        if self.current in revision_graph():
            return "behind"
        return "newer"


def current_revision(workspace: Workspace) -> str | None:
    if not workspace.database_exists():
        return None
    with workspace.engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def schema_state(workspace: Workspace) -> SchemaState:
    return SchemaState(current=current_revision(workspace), head=head_revision())


def _alembic_config(connection: Connection) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    config.attributes["connection"] = connection
    return config


def migrate(workspace: Workspace, revision: str = "head") -> None:
    """Run Alembic's upgrade to ``revision`` in one transaction."""
    from alembic import command

    with workspace.engine.begin() as connection:
        command.upgrade(_alembic_config(connection), revision)


def upgrade_if_needed(workspace: Workspace,
                      backup: Callable[[Workspace, str | None], Path]) -> Path | None:
    """Bring an existing workspace to the head revision; returns the backup taken, if any.

    ``backup(workspace, current_revision)`` is called first and must raise if it cannot
    back up (the services' backups module: this layer does not know how backups look)."""
    state = schema_state(workspace)
    if state.status == "current":
        return None
    if state.status == "newer":
        raise SchemaNewerThanApp(workspace_revision=state.current)
    if state.status == "empty":
        migrate(workspace)
        return None
    taken = backup(workspace, state.current)
    migrate(workspace)
    workspace.dispose()
    return taken
