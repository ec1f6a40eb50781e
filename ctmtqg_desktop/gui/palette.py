"""The colours the pages paint with (charts, table cells, messages)."""

from __future__ import annotations

from PySide6.QtGui import QColor

from ctmtqg_desktop.gui.lazy_table import DUE_SOON_COLOR, LATE_COLOR

GOOD_COLOR = QColor("#1f6f43")


TRACK_COLOR = QColor("#1f3a5f")


GRID_COLOR = QColor("#d9dee5")


MUTED_COLOR = QColor("#51606f")


STATE_COLORS = {"late": LATE_COLOR, "due_soon": DUE_SOON_COLOR, "normal": GOOD_COLOR}


#: red text for a field's problem (late = red everywhere in the application)
ERROR_STYLE = "color: #b3261e;"


NOTICE_STYLE = ("background: #fff4d6; color: #6b4a00; border: 1px solid #f2d48a; "
                "border-radius: 4px; padding: 6px;")
