"""The guard against unanswered modal dialogs (tests/modal_guard.py): a test that leaves a
message box open fails within seconds, naming the box, instead of hanging the run."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from PySide6.QtWidgets import QDialog, QLabel, QMessageBox, QVBoxLayout

from tests.modal_guard import ModalGuard

CHECKOUT = Path(__file__).resolve().parents[2]

UNANSWERED = '''
from PySide6.QtWidgets import QMessageBox


def test_opens_a_box_nobody_answers(qapp):
    box = QMessageBox(QMessageBox.Icon.Question, "Xoá dự án?", "Xoá dự án Đường thôn 3?")
    box.addButton("Xoá", QMessageBox.ButtonRole.DestructiveRole)
    box.addButton("Giữ", QMessageBox.ButtonRole.NoRole)
    box.exec()


def test_after_it_runs(qapp):
    assert True
'''


def _run_pytest(tmp_path: Path, *plugins: str, timeout: float):
    (tmp_path / "test_unanswered.py").write_text(UNANSWERED, encoding="utf-8")
    environment = dict(os.environ, PYTHONPATH=str(CHECKOUT), QT_QPA_PLATFORM="offscreen",
                       CTMTQG_TEST_MODAL_LIMIT="1")
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p",
               "no:xdist", "-p", "no:randomly", *plugins, "--rootdir", str(tmp_path),
               str(tmp_path / "test_unanswered.py")]
    return subprocess.run(command, cwd=tmp_path, env=environment, capture_output=True,
                          text=True, timeout=timeout)


def test_an_unanswered_message_box_fails_its_test_quickly(tmp_path):
    started = time.monotonic()
    result = _run_pytest(tmp_path, "-p", "tests.modal_guard", timeout=120)
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "1 failed, 1 passed" in output, output
    assert "test_opens_a_box_nobody_answers" in output
    assert "Xoá dự án?" in output and "Xoá dự án Đường thôn 3?" in output
    assert time.monotonic() - started < 60


def test_without_the_guard_the_same_test_hangs(tmp_path):
    """What the guard is for: without it the run never ends (cut here after 8 s)."""
    try:
        _run_pytest(tmp_path, timeout=8)
    except subprocess.TimeoutExpired:
        return
    raise AssertionError("the unanswered message box did not hang the run")


def test_the_guard_closes_dialogs_and_message_boxes_and_names_them(qtbot):
    guard = ModalGuard(limit=0.3, poll_ms=50)
    dialog = QDialog()
    dialog.setWindowTitle("Ghi nhận giải ngân")
    QVBoxLayout(dialog).addWidget(QLabel("Số tiền (đồng)"))
    started = time.monotonic()
    try:
        guard.start()
        assert dialog.exec() == QDialog.DialogCode.Rejected
        box = QMessageBox(QMessageBox.Icon.Warning, "Cảnh báo", "Chưa lưu")
        box.addButton("Đồng ý", QMessageBox.ButtonRole.AcceptRole)  # no Esc button
        box.exec()
    finally:
        guard.stop()
    assert time.monotonic() - started < 10
    assert guard.findings == ["QDialog, title “Ghi nhận giải ngân”, text “Số tiền (đồng)”",
                              "QMessageBox, title “Cảnh báo”, text “Chưa lưu”"]


def test_an_answered_dialog_is_not_reported(qtbot):
    from PySide6.QtCore import QTimer

    guard = ModalGuard(limit=2, poll_ms=50)
    box = QMessageBox(QMessageBox.Icon.Question, "Hỏi", "Tiếp tục?")
    box.addButton("Có", QMessageBox.ButtonRole.AcceptRole)
    QTimer.singleShot(100, box.accept)
    guard.start()
    try:
        box.exec()
    finally:
        guard.stop()
    assert guard.findings == []
