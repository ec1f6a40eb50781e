"""The application's colours, named once in the stylesheet (``ui/style.qss``, its
``@palette`` comment) and used from there: the stylesheet's rules name them as ``@name`` and
:func:`stylesheet` puts the values in; the pages that paint (charts, coloured table cells,
rich text) take them from here. Late is red and due soon amber everywhere."""

from __future__ import annotations

import re
from functools import cache

from PySide6.QtGui import QColor

from ctmtqg_desktop.resource_paths import ui_path

_BLOCK = re.compile(r"/\*\s*@palette\b.*?\*/", re.S)
_ENTRY = re.compile(r"^\s*([a-z][a-z-]*):\s*(#[0-9a-fA-F]{6})\s*;", re.M)
_TOKEN = re.compile(r"@([a-z][a-z-]*)")


class UnknownColour(KeyError):
    """A colour the stylesheet's palette does not name."""


@cache
def _source() -> str:
    return ui_path("style.qss").read_text(encoding="utf-8")


@cache
def colours() -> dict[str, str]:
    """The palette: name -> ``#rrggbb``."""
    block = _BLOCK.search(_source())
    return dict(_ENTRY.findall(block.group(0))) if block else {}


def hex_of(name: str) -> str:
    """``#rrggbb`` of a palette colour, for rich text and style sheets."""
    try:
        return colours()[name]
    except KeyError:
        raise UnknownColour(name) from None


def colour(name: str) -> QColor:
    return QColor(hex_of(name))


def stylesheet() -> str:
    """The stylesheet with every ``@name`` replaced by its colour."""
    text = _BLOCK.sub("", _source())
    return _TOKEN.sub(lambda match: hex_of(match.group(1)), text)


LATE_COLOR = colour("late")
DUE_SOON_COLOR = colour("due-soon")
LATE_BACKGROUND = colour("late-background")
DUE_SOON_BACKGROUND = colour("notice")
GOOD_COLOR = colour("good")
TRACK_COLOR = colour("navy")
GRID_COLOR = colour("border")
MUTED_COLOR = colour("muted")
STATE_COLORS = {"late": LATE_COLOR, "due_soon": DUE_SOON_COLOR, "normal": GOOD_COLOR}

#: red text for a field's problem (late = red everywhere in the application)
ERROR_STYLE = f"color: {hex_of('late')};"
NOTICE_STYLE = (f"background: {hex_of('notice')}; color: {hex_of('notice-ink')}; "
                f"border: 1px solid {hex_of('notice-border')}; border-radius: 4px; padding: 6px;")
