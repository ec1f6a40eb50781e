"""Where a workspace folder is, without loading the database layer (start-up reads this
before SQLAlchemy is imported)."""

from __future__ import annotations

import os
from pathlib import Path

ENV_WORKSPACE = "CTMTQG_WORKSPACE"
ENV_DATABASE_URL = "CTMTQG_DATABASE_URL"


def default_workspace_folder() -> Path:
    """The user's data folder (platformdirs): ~/.local/share/ctmtqg-desktop/workspace on
    Linux, %LOCALAPPDATA%\\ctmtqg-desktop\\workspace on Windows."""
    from platformdirs import user_data_path

    return user_data_path("ctmtqg-desktop", appauthor=False) / "workspace"


def resolve_folder(explicit: str | os.PathLike[str] | None = None) -> Path:
    """``--workspace`` first, then ``CTMTQG_WORKSPACE``, then the default."""
    if explicit:
        return Path(explicit).expanduser().resolve()
    from_env = os.environ.get(ENV_WORKSPACE)
    if from_env:
        return Path(from_env).expanduser().resolve()
    return default_workspace_folder()
