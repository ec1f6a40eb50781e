"""One importer at a time per workspace (issue 12).

Two windows, or a window and a scheduled ``ctmtqg sync import``, importing into the same
workspace at once met as "database is locked" internal errors, and could apply one package
twice. The import holds an exclusive lock on ``sync/import.lock`` in the workspace folder
(``flock`` on Linux and macOS, ``msvcrt.locking`` on Windows; released by the system when the
process ends, so a crash leaves no stale lock); a second importer is told at once, in a
sentence, and changes nothing. Within one thread the lock is re-entrant (an import that retries
waiting packages, accepting an installation that applies its quarantined ones).

A workspace on a PostgreSQL server may be opened from several computers, each with its own
folder: there the importer also holds a session-level ``pg_try_advisory_lock`` on the
database (:data:`ADVISORY_KEY`), on a connection of its own kept for the whole import, so two
importers of the same database meet whatever folders they use.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ctmtqg_desktop.domain.errors import UserError
from ctmtqg_desktop.i18n import N_
from ctmtqg_desktop.store.atomic_files import make_dirs
from ctmtqg_desktop.store.workspace import Workspace

LOCK_FILE = "import.lock"
#: the advisory lock of the sync import in a PostgreSQL database (one per database: a
#: workspace's database holds one unit's data); "CTMTQGIM" read as a 64-bit number
ADVISORY_KEY = int.from_bytes(b"CTMTQGIM", "big") - 2**63


class ImportBusy(UserError):
    template = N_("Packages are being imported into this workspace in another window or "
                  "program. Wait until it has finished, then import again; nothing was "
                  "changed.")


_held: dict[Path, tuple[int, int]] = {}
_guard = threading.Lock()


def _try_lock(descriptor: int) -> bool:
    try:
        if os.name == "nt":
            import msvcrt

            msvcrt.locking(descriptor, msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
        else:
            import fcntl

            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


@contextmanager
def import_lock(workspace: Workspace) -> Iterator[None]:
    """Hold the workspace's import lock, or raise :class:`ImportBusy` at once."""
    folder = workspace.folder / "sync"
    path = (folder / LOCK_FILE).resolve()
    with _guard:
        holder = _held.get(path)
    if holder is not None:
        if holder[1] != threading.get_ident():  # another window of this process
            raise ImportBusy()
        yield  # this very import, one level down (retrying waiting packages)
        return
    make_dirs(folder)
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    if not _try_lock(descriptor):
        os.close(descriptor)
        raise ImportBusy()
    with _guard:
        _held[path] = (descriptor, threading.get_ident())
    try:
        with _database_lock(workspace):
            yield
    finally:
        with _guard:
            del _held[path]
        os.close(descriptor)  # closing the descriptor releases the lock


@contextmanager
def _database_lock(workspace: Workspace) -> Iterator[None]:
    """On PostgreSQL, the database's advisory import lock (nothing to do on SQLite: the
    database file lives in the locked folder)."""
    engine = workspace.engine
    if engine.dialect.name != "postgresql":
        yield
        return
    from sqlalchemy import text

    connection = engine.connect()
    try:
        taken = connection.execute(text("SELECT pg_try_advisory_lock(:key)"),
                                   {"key": ADVISORY_KEY}).scalar()
        connection.commit()
        if not taken:
            raise ImportBusy()
        try:
            yield
        finally:
            connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": ADVISORY_KEY})
            connection.commit()
    finally:
        connection.close()  # a connection that broke loses its session lock with it
