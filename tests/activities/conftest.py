"""The GUI fixtures of ``tests/gui`` (the window on a copy of the demo) and the parent's
``network``, for the activities area's tests kept in one folder."""

from tests.gui.conftest import (  # noqa: F401  (fixtures)
    fresh_gui_settings,
    qapp_cls,
    styled_app,
    window,
)
from tests.parent.conftest import network  # noqa: F401  (fixture)
