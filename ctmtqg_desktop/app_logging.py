"""Logging to the workspace's ``logs/`` folder (rotated), never to the user's screen.

Internal errors are logged with their traceback here and shown to the user as one
Vietnamese sentence that names the log file. Personal data (ID numbers) must never be passed
to a logger: services log record ids, not contents.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import tempfile
import traceback
from pathlib import Path

LOG_FILE = "ctmtqg.log"
_configured: Path | None = None


class _OwnerOnlyFileHandler(logging.handlers.RotatingFileHandler):
    """A rotated log whose files are created owner-only (0600), like the database: even
    with no personal data in it, a log names the workspace's files and records."""

    def _open(self):  # type: ignore[no-untyped-def]
        if os.name == "posix":
            descriptor = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND,
                                 0o600)
            os.close(descriptor)
            if os.stat(self.baseFilename).st_mode & 0o077:
                os.chmod(self.baseFilename, 0o600)
        return super()._open()


#: the packages whose error texts may quote a database row (PostgreSQL's "DETAIL: Failing row
#: contains (…)" or "Key (id_number)=(…) already exists"); hide_parameters hides only the
#: statement's values, not what the server says back
_DATABASE_ERRORS = ("sqlalchemy", "psycopg", "psycopg2", "sqlite3")
_ROW_QUOTES = ("DETAIL:", "Failing row contains", "Key (")


class _PrivateFormatter(logging.Formatter):
    """Tracebacks whose database errors keep their kind and statement but never a row's
    values: no household name or ID number reaches a log (issue 12)."""

    def formatException(self, ei) -> str:  # type: ignore[no-untyped-def]  # noqa: N802
        if ei[1] is None:
            return super().formatException(ei)
        top = traceback.TracebackException(type(ei[1]), ei[1], ei[2])
        seen: set[int] = set()
        pending = [top]
        while pending:
            current = pending.pop()
            if id(current) in seen:
                continue
            seen.add(id(current))
            module = (getattr(current.exc_type, "__module__", "") or "").split(".")[0]
            if module in _DATABASE_ERRORS:
                lines = str(getattr(current, "_str", "")).splitlines()
                current._str = "\n".join(  # type: ignore[attr-defined]
                    line for line in lines if not line.lstrip().startswith(_ROW_QUOTES))
            pending += [e for e in (current.__cause__, current.__context__) if e is not None]
        return "".join(top.format()).rstrip("\n")


def setup_logging(logs_dir: Path | None) -> Path:
    """Send log records to ``logs_dir/ctmtqg.log`` (or the temp folder before a workspace)."""
    global _configured
    folder = logs_dir if logs_dir is not None else Path(tempfile.gettempdir())
    target = folder / LOG_FILE
    if _configured == target:
        return target
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = _OwnerOnlyFileHandler(
            target, maxBytes=2_000_000, backupCount=3, encoding="utf-8")
    except OSError:
        handler = logging.NullHandler()
    handler.setFormatter(_PrivateFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger("ctmtqg")
    for old in list(root.handlers):
        root.removeHandler(old)
        old.close()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    _configured = target
    return target


def log_path() -> Path | None:
    return _configured
