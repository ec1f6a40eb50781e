"""A new workspace's overview lists its first steps until they are done."""

from ctmtqg_desktop.gui.background import TaskRunner
from ctmtqg_desktop.gui.main_window import MainWindow


def open_overview(qtbot, workspace):
    window = MainWindow(workspace, runner=TaskRunner(synchronous=True))
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    window.show_area("overview")
    return window, window.current_page()


def step_texts(page) -> list[str]:
    return [label.text() for label, _button in page.first_steps.rows]


def test_a_new_commune_sees_three_first_steps_until_done(qtbot, styled_app, new_workspace,
                                                        tmp_path):
    from ctmtqg_desktop.services import sync

    commune = new_workspace()
    window, page = open_overview(qtbot, commune)
    assert page.first_steps.isVisible()
    texts = step_texts(page)
    assert [t[:2] for t in texts] == ["1.", "2.", "3."]  # once, though shown twice
    window.show_area("tasks")
    window.show_area("overview")
    from PySide6.QtWidgets import QPushButton

    shown = [b for b in page.first_steps.findChildren(QPushButton)
             if b.isVisibleTo(page.first_steps)]
    assert len(step_texts(page)) == 3 and len(shown) == 3
    assert "tệp đăng ký" in texts[0] and "nhiệm vụ đầu tiên" in texts[1]
    assert "gói đầu tiên" in texts[2]
    label, button = page.first_steps.rows[1]
    button.click()
    assert window.current_page() is window.pages["tasks"]
    sync.export_package(commune, tmp_path / "usb")
    window.show_area("overview")
    assert step_texts(page)[2].startswith("✓")
    assert not page.first_steps.rows[2][1].isVisibleTo(page)


def test_a_parent_unit_is_asked_to_issue_enrollment_files(qtbot, styled_app, new_workspace,
                                                         tmp_path):
    from ctmtqg_desktop.services import sync

    district = new_workspace(unit="615", role="parent")
    window, page = open_overview(qtbot, district)
    assert page.first_steps.isVisible()
    assert "Cấp tệp đăng ký" in step_texts(page)[0]
    sync.issue_enrollment(district, "23524", tmp_path / "dak-la.ctenroll")
    window.show_area("overview")
    assert not page.first_steps.isVisible()


def test_the_demo_has_no_first_steps(window):
    window.show_area("overview")
    assert not window.current_page().first_steps.isVisible()
