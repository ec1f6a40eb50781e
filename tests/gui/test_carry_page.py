"""Issue 13, carrying over on screen: Xã Đăk Hà's page "Chuyển tiếp sau sắp xếp" previews
its predecessors' unfinished work in a dialog, asks once more, and carries it; cancelling
changes nothing."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from ctmtqg_desktop.gui.background import TaskRunner
from ctmtqg_desktop.gui.main_window import MainWindow
from ctmtqg_desktop.gui.pages.history._dialog import CarryPreviewDialog
from ctmtqg_desktop.services import history
from tests.history.conftest import dak_ha, dak_ha_template  # noqa: F401 (fixtures)


@pytest.fixture
def carry_window(qtbot, styled_app, dak_ha):  # noqa: F811 (the fixture imported above)
    _province, commune = dak_ha
    win = MainWindow(commune, runner=TaskRunner(synchronous=True))
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    qtbot.waitExposed(win)
    yield win, commune
    win.close()


def _answer(monkeypatch, qtbot, answer, shots: list[Path]):
    """Show the preview dialog as exec would, look at it, press its Carry button; the
    confirmation is answered with ``answer``."""
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: answer)
    seen: list[CarryPreviewDialog] = []

    def exec_(dialog):
        seen.append(dialog)
        dialog.resize(1366, 768)
        dialog.show()
        qtbot.waitExposed(dialog)
        folder = os.environ.get("CTMTQG_SCREENSHOTS")
        if folder:
            path = Path(folder) / "carry-preview.png"
            dialog.grab().save(str(path))
            dialog.table.scrollToBottom()
            dialog.grab().save(str(path.with_name("carry-preview-capital.png")))
            shots.append(path)
        dialog.carry_button.click()
        result = dialog.result()
        dialog.close()
        return result

    monkeypatch.setattr(CarryPreviewDialog, "exec", exec_)
    return seen


def test_the_preview_dialog_lists_and_the_confirmation_carries(carry_window, qtbot,
                                                               monkeypatch):
    window, commune = carry_window
    plan = history.preview(commune)
    window.show_area("carry")
    page = window.current_page()
    assert "Xã Đắk La" in page.state.text() and page.carry_button.isEnabled()
    dialogs = _answer(monkeypatch, qtbot, QMessageBox.Yes, [])
    page.carry_button.click()
    (dialog,) = dialogs
    assert dialog.table.rowCount() == len(plan.items)
    texts = {dialog.table.item(r, 2).text() for r in range(dialog.table.rowCount())}
    assert {item.label for item in plan.pending} <= texts
    mappings = [dialog.table.item(r, 5).text() for r in range(dialog.table.rowCount())]
    assert any("chưa xác minh" in text for text in mappings)
    kinds = {dialog.table.item(r, 0).text() for r in range(dialog.table.rowCount())}
    assert {"Dự án", "Nhiệm vụ", "Vốn kéo dài", "Vốn chuyển nguồn"} <= kinds
    assert "chưa được đối chiếu" in dialog.warning.text()
    assert "Đã chuyển tiếp" in page.message.text()
    assert not history.preview(commune).pending
    assert page.table.rowCount() >= len(plan.pending)
    shown = {page.table.item(r, 3).text() for r in range(page.table.rowCount())}
    assert {item.label for item in plan.pending if item.kind != history.CAPITAL} <= shown
    assert "/" not in page.table.item(0, 4).text()  # the content by name, not its key
    folder = os.environ.get("CTMTQG_SCREENSHOTS")
    if folder:
        window.grab().save(str(Path(folder) / "carry-page.png"))


def test_cancelling_the_confirmation_changes_nothing(carry_window, qtbot, monkeypatch):
    window, commune = carry_window
    before = history.preview(commune)
    window.show_area("carry")
    page = window.current_page()
    _answer(monkeypatch, qtbot, QMessageBox.No, [])
    page.carry_button.click()
    assert history.preview(commune) == before
    assert page.table.rowCount() == 0
