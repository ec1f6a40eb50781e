"""Answers kept while the workspace's data is unchanged (issue 17: the projects page, its
portfolio and its overlap review read five years of a commune's projects and supports at
every visit; the answer only changes when something is written).

:func:`data_version` is a token that changes whenever a transaction is committed to the
workspace's database:

* through this process's engine: a counter raised by SQLAlchemy's ``commit`` event (before
  the database commits) and by the ORM's ``after_commit`` (after it, so that a reader that
  saw the first raise and read the data before the commit landed does not keep it);
* by another process (the command line, a second window) on SQLite: the size, time and
  inode of the database file and of its write-ahead log.

On PostgreSQL another process's writes cannot be seen so cheaply: there is no token
(``None``) and nothing is kept. :func:`remembered` keeps one answer per name and computes
it again when the token or the key changed (a write while it is computed changes the token
it is kept under).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from ctmtqg_desktop.store.workspace import Workspace

T = TypeVar("T")


class _Commits:
    """How many transactions this process committed to one SQLite database file (through
    any engine: a command run in the same process opens its own)."""

    def __init__(self) -> None:
        self.count = 0
        self.lock = threading.Lock()

    def raise_count(self) -> None:
        with self.lock:
            self.count += 1


_COUNTERS: dict[str, _Commits] = {}
_COUNTERS_LOCK = threading.Lock()


def _counter(database: str) -> _Commits:
    with _COUNTERS_LOCK:
        counter = _COUNTERS.get(database)
        if counter is None:
            counter = _COUNTERS[database] = _Commits()
        return counter


def _committed(engine: Any) -> None:
    url = getattr(engine, "url", None)
    if url is not None and url.get_backend_name() == "sqlite" and url.database:
        _counter(os.path.abspath(url.database)).raise_count()


def _before_commit(connection: Any) -> None:
    _committed(connection.engine)


def _after_session_commit(session: Session) -> None:
    bind = session.bind
    _committed(getattr(bind, "engine", bind))


# every engine and session of the process, before (engine) and after (session) the commit
event.listen(Engine, "commit", _before_commit)
event.listen(Session, "after_commit", _after_session_commit)


def _file_state(path: Any) -> tuple[int, int, int] | None:
    try:
        found = os.stat(path)
    except OSError:
        return None
    return found.st_size, found.st_mtime_ns, found.st_ino


def data_version(workspace: Workspace) -> Hashable | None:
    """A token equal between two calls only if nothing was committed to the workspace's
    database in between; ``None`` where that cannot be known (PostgreSQL)."""
    if not workspace.uses_sqlite or workspace.database_file is None:
        return None
    database = os.path.abspath(workspace.database_file)
    commits = _counter(database).count
    return (commits, _file_state(database), _file_state(f"{database}-wal"))


_KEPT: dict[str, tuple[Any, Any, Any]] = {}
_KEPT_LOCK = threading.Lock()


def remembered(name: str, workspace: Workspace, key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()``, or the answer kept under ``name`` when the workspace, ``key`` and
    :func:`data_version` are those it was computed with (one answer per name)."""
    version = data_version(workspace)
    if version is None:
        return compute()
    with _KEPT_LOCK:
        kept = _KEPT.get(name)
    if kept is not None and kept[0] is workspace.engine and kept[1] == (version, key):
        return kept[2]  # type: ignore[no-any-return]
    answer = compute()  # kept under the token read before: a write meanwhile changed it
    with _KEPT_LOCK:
        _KEPT[name] = (workspace.engine, (version, key), answer)
    return answer


def forget() -> None:
    """Drop every kept answer (tests)."""
    with _KEPT_LOCK:
        _KEPT.clear()
