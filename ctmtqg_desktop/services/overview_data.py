"""What the overview shows, as plain data, and its last-known copy on disk.

Kept free of SQLAlchemy so that the window can show the last figures the moment it has
painted, while the data layer is still loading (an old laptop's disk may take seconds).
The copy (``cache/overview.json`` in the workspace folder) is rewritten every time the
overview is computed from the records; the page says when its figures were computed and
replaces them with live ones as soon as they are ready.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ctmtqg_desktop.store.atomic_files import write_text_atomic

NORMAL, DUE_SOON, LATE = "normal", "due_soon", "late"
SNAPSHOT_FILE = ("cache", "overview.json")
SNAPSHOT_FORMAT = 1


@dataclass(frozen=True)
class Figure:
    label: str
    value: str
    #: normal, due_soon (amber) or late (red)
    state: str = NORMAL


@dataclass(frozen=True)
class Section:
    title: str
    #: the area key to open when the user activates the section (``tasks``, ``capital``…)
    area: str
    figures: tuple[Figure, ...] = ()
    lines: tuple[tuple[str, str], ...] = ()  # (text, state)
    order: int = 0


@dataclass(frozen=True)
class UnitHeader:
    unit_title: str
    unit_full_name: str
    role: str
    role_label: str
    officer_name: str
    simulated_today: str | None
    extra: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Overview:
    header: UnitHeader
    sections: tuple[Section, ...]
    computed_at: dt.datetime
    #: True when read from the last-known copy rather than computed now
    from_snapshot: bool = False


def _snapshot_path(folder: Path) -> Path:
    return folder.joinpath(*SNAPSHOT_FILE)


def to_document(overview: Overview) -> dict[str, Any]:
    """``overview`` as plain JSON data: the last-known copy's content, and what the
    start-up process (``overview_early``) hands to the window."""
    return {"format": SNAPSHOT_FORMAT, "computed_at": overview.computed_at.isoformat(),
            "header": asdict(overview.header),
            "sections": [asdict(section) for section in overview.sections]}


def from_document(document: dict[str, Any], *, from_snapshot: bool) -> Overview | None:
    """The overview written by :func:`to_document`, or None when ``document`` is not one
    (damaged, or from another format)."""
    try:
        if document.get("format") != SNAPSHOT_FORMAT:
            return None
        sections = tuple(
            Section(title=s["title"], area=s["area"],
                    figures=tuple(Figure(**f) for f in s["figures"]),
                    lines=tuple(tuple(line) for line in s["lines"]), order=s["order"])
            for s in document["sections"])
        return Overview(UnitHeader(**document["header"]), sections,
                        dt.datetime.fromisoformat(document["computed_at"]),
                        from_snapshot=from_snapshot)
    except (AttributeError, ValueError, KeyError, TypeError):
        return None


def save_snapshot(folder: Path, overview: Overview) -> None:
    write_text_atomic(_snapshot_path(folder),
                      json.dumps(to_document(overview), ensure_ascii=False))


def load_snapshot(folder: Path) -> Overview | None:
    """The last-known overview of the workspace in ``folder``, or None (missing, damaged or
    from another format): never an error, the live figures follow anyway."""
    try:
        document = json.loads(_snapshot_path(folder).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return from_document(document, from_snapshot=True)
