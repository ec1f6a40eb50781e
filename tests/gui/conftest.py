import pytest

from ctmtqg_desktop.gui.app import create_application
from tests.dak_ha import build_dak_ha
from tests.windows import show_main_window


@pytest.fixture(scope="session")
def qapp_cls():
    from PySide6.QtWidgets import QApplication

    return QApplication


@pytest.fixture(autouse=True)
def fresh_gui_settings():
    """Every GUI test starts as on a new computer (no remembered window or page)."""
    from PySide6.QtCore import QSettings

    from ctmtqg_desktop.gui import settings as gui_settings

    QSettings(gui_settings.ORGANISATION, gui_settings.APPLICATION).clear()


@pytest.fixture
def styled_app(qapp):
    return create_application([])


@pytest.fixture
def window(qtbot, styled_app, demo_workspace):
    """The main window on a copy of the demo, with background work run synchronously."""
    return show_main_window(qtbot, demo_workspace)


@pytest.fixture
def dak_ha_window(qtbot, styled_app, tmp_path):
    """The main window of Xã Đăk Hà (23500@2025-07-01, the 2026 demo commune, with its
    predecessors' history), background work run synchronously."""
    province, commune = build_dak_ha(tmp_path, households=5)
    province.dispose()
    win = show_main_window(qtbot, commune)
    yield win
    win.close()
    commune.dispose()


def type_text(qtbot, widget, text: str) -> None:
    """Type into a line edit: key presses for ASCII, inserted text for Vietnamese letters
    (QTest cannot synthesise keys for them; Unikey delivers them as committed text too)."""
    if text.isascii():
        qtbot.keyClicks(widget, text)
    else:
        widget.setFocus()
        widget.insert(text)


@pytest.fixture
def parent_window(qtbot, new_workspace):
    """The main window of a district with six demo child units, as tests/parent builds it
    (``ctmtqg demo --role parent``, small data), at 1366x768."""
    from ctmtqg_desktop.services.parent import _demo as parent_demo
    from tests.parent.conftest import open_window, set_today

    workspace = new_workspace(unit="615", role="parent",
                              name="Phòng Tài chính - Kế hoạch huyện Đắk Hà")
    set_today(workspace)
    parent_demo.build(workspace, children=6, households=3, scale=0.4)
    return open_window(qtbot, workspace)
