"""The GUI fixtures of ``tests/gui`` and the parent's ``network``, for the archive area."""

from tests.gui.conftest import (  # noqa: F401  (fixtures)
    fresh_gui_settings,
    qapp_cls,
    styled_app,
    window,
)
from tests.parent.conftest import network  # noqa: F401  (fixture)
