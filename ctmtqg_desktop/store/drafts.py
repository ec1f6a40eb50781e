"""Drafts of forms being typed (bản nháp): what a form holds is kept as it is typed, so that
a crash or a power cut while typing costs at most the last keystrokes.

One JSON file per workspace (``drafts.json`` in the workspace folder), written atomically
(:mod:`ctmtqg_desktop.store.atomic_files`): a power cut leaves the old or the new file, never
half of one. Each draft is keyed by its form (kind and record) and holds the fields' values
as plain JSON (texts, numbers, ticks). A draft is removed when its form is saved or
cancelled; it is offered again when the same form is opened next.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from ctmtqg_desktop.store.atomic_files import write_text_atomic

DRAFTS_FILE = "drafts.json"


class Drafts:
    """The drafts of one workspace folder."""

    def __init__(self, folder: Path) -> None:
        self.path = Path(folder) / DRAFTS_FILE

    def _read(self) -> dict[str, Any]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError, OSError):
            return {}  # no drafts, or a file not ours: nothing to offer
        return data if isinstance(data, dict) else {}

    def _write(self, data: dict[str, Any]) -> None:
        if not data and not self.path.exists():
            return
        write_text_atomic(self.path, json.dumps(data, ensure_ascii=False, indent=1))

    def get(self, key: str) -> dict[str, Any] | None:
        """The values kept for ``key`` (None when there is no draft)."""
        entry = self._read().get(key)
        values = entry.get("values") if isinstance(entry, dict) else None
        return dict(values) if isinstance(values, dict) else None

    def put(self, key: str, values: dict[str, Any]) -> None:
        data = self._read()
        data[key] = {"values": values,
                     "saved_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}
        self._write(data)

    def remove(self, key: str) -> None:
        data = self._read()
        if key in data:
            del data[key]
            self._write(data)
