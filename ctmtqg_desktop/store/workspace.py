"""A workspace is a folder: the SQLite database, attachments, keys, backups and logs.

Default location: the user's data folder (platformdirs), overridden by ``--workspace DIR`` or
the ``CTMTQG_WORKSPACE`` environment variable. A parent unit at province scale may keep its
records in PostgreSQL instead (``--database-url``); the folder still holds its attachments,
keys, backups and logs, and ``workspace.json`` remembers the URL (never a password: use
``~/.pgpass`` or ``PGPASSWORD``).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import uuid
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session, sessionmaker

from ctmtqg_desktop.store import journal
from ctmtqg_desktop.store.atomic_files import write_text_atomic
from ctmtqg_desktop.store.engine import is_sqlite, make_engine
from ctmtqg_desktop.store.locations import (  # noqa: F401  (part of this module's API)
    ENV_DATABASE_URL,
    ENV_WORKSPACE,
    default_workspace_folder,
    resolve_folder,
)

CONFIG_FILE = "workspace.json"
DATABASE_FILE = "ctmtqg.sqlite3"
SUBFOLDERS = ("attachments", "keys", "backups", "logs")


@dataclass(frozen=True)
class InstallationInfo:
    """Plain copy of the installation row, safe to keep beyond a session."""

    node_id: uuid.UUID
    unit_id: str
    role: str
    officer_name: str
    simulated_today: dt.date | None


def owner_only(path: Path, mode: int) -> None:
    """Owner-only permissions where the OS has them (Windows keeps the user's ACL)."""
    if os.name == "posix":
        try:
            os.chmod(path, mode)
        except OSError:
            pass


class Workspace:
    """One workspace: its folder, its database, and the engine to reach it."""

    def __init__(self, folder: str | os.PathLike[str] | None = None,
                 database_url: str | None = None) -> None:
        self.folder = resolve_folder(folder)
        configured = self._read_config().get("database_url")
        self.database_url = (database_url or configured or os.environ.get(ENV_DATABASE_URL)
                             or f"sqlite:///{self.folder / DATABASE_FILE}")
        self._installation: InstallationInfo | None = None

    # -- folder -------------------------------------------------------------------------
    def _read_config(self) -> dict[str, Any]:
        path = self.folder / CONFIG_FILE
        if not path.is_file():
            return {}
        config: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        return config

    def create_folders(self) -> None:
        created = not self.folder.exists()
        self.folder.mkdir(parents=True, exist_ok=True)
        if created:
            owner_only(self.folder, 0o700)
        for name in SUBFOLDERS:
            (self.folder / name).mkdir(exist_ok=True)
            owner_only(self.folder / name, 0o700)
        self._protect_database()
        config: dict[str, Any] = {"format": 1}
        if (self.folder / CONFIG_FILE).is_file() and self.uses_sqlite:
            return
        if not self.uses_sqlite:
            config["database_url"] = make_url(self.database_url).render_as_string(
                hide_password=True)
        write_text_atomic(self.folder / CONFIG_FILE, json.dumps(config, indent=1))

    @property
    def uses_sqlite(self) -> bool:
        return is_sqlite(self.database_url)

    @property
    def database_file(self) -> Path | None:
        if not self.uses_sqlite:
            return None
        database = make_url(self.database_url).database
        return Path(database) if database else None

    @property
    def attachments_dir(self) -> Path:
        return self.folder / "attachments"

    @property
    def keys_dir(self) -> Path:
        return self.folder / "keys"

    @property
    def backups_dir(self) -> Path:
        return self.folder / "backups"

    @property
    def logs_dir(self) -> Path:
        return self.folder / "logs"

    def database_exists(self) -> bool:
        if self.uses_sqlite:
            return bool(self.database_file and self.database_file.exists())
        return True

    @property
    def location(self) -> str:
        """Where the data lives, for messages (password hidden)."""
        if self.uses_sqlite:
            return str(self.database_file)
        return make_url(self.database_url).render_as_string(hide_password=True)

    # -- database -----------------------------------------------------------------------
    @cached_property
    def engine(self) -> Engine:
        self._protect_database()
        return make_engine(self.database_url)

    def _protect_database(self) -> None:
        """The SQLite file holds every ID number: owner-only, like the keys (issue 12). A new
        file is created 0600 before SQLite opens it (its journal and WAL files take the same
        mode); an older workspace's 0644 file is narrowed when it is opened."""
        path = self.database_file
        if path is None or os.name != "posix" or not path.parent.is_dir():
            return
        try:
            if path.exists():
                if path.stat().st_mode & 0o077:
                    os.chmod(path, 0o600)
            else:
                os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        except OSError:  # a read-only copy (a backup opened for reading) stays as it is
            pass

    @cached_property
    def session_factory(self) -> sessionmaker[Session]:
        """This workspace's sessions, with the change journal installed on them."""
        factory = sessionmaker(bind=self.engine, expire_on_commit=False)
        journal.install(factory)
        return factory

    def dispose(self) -> None:
        if "engine" in self.__dict__:
            self.engine.dispose()
            del self.__dict__["engine"]
            self.__dict__.pop("session_factory", None)

    # -- identity -----------------------------------------------------------------------
    def installation(self, *, refresh: bool = False) -> InstallationInfo | None:
        """This installation's identity, or None before ``workspace init``."""
        from ctmtqg_desktop.store.models.identity import Installation

        if self._installation is None or refresh:
            with self.session_factory() as session:
                row = session.get(Installation, 1)
                self._installation = None if row is None else InstallationInfo(
                    node_id=row.node_id, unit_id=row.unit_id, role=row.role,
                    officer_name=row.officer_name, simulated_today=row.simulated_today)
        return self._installation

    def today(self) -> dt.date:
        """The working date: today, or the demo's fixed date."""
        info = self.installation()
        if info and info.simulated_today:
            return info.simulated_today
        return dt.date.today()

    def latest_version(self, session: Session) -> str | None:
        from ctmtqg_desktop.store.models.journal import ChangeJournalEntry

        return session.execute(select(func.max(ChangeJournalEntry.version))).scalar()
