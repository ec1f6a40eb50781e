"""Drafts for the forms that live in a page's panel (issue 15): the project record beside
the projects list, a dossier document's panel and a document's form. What is typed is
written to the workspace's drafts file as it is typed (the real timer); after a crash (the
window dropped without Save, Cancel or close) a new window on the same workspace offers it
again ("Khôi phục nội dung đang nhập dở?") when the same record is shown; Restore puts the
typing back, Save and Discard remove the draft, and another record does not see it."""

import json

import pytest
import shiboken6
from PySide6.QtCore import Qt

from ctmtqg_desktop.gui.background import TaskRunner
from ctmtqg_desktop.gui.main_window import MainWindow
from ctmtqg_desktop.gui.screenshots import wait_until_idle
from ctmtqg_desktop.services import dossiers, projects
from ctmtqg_desktop.store.drafts import DRAFTS_FILE

OFFER = "Khôi phục nội dung đang nhập dở?"


def drafts_on_disk(workspace) -> dict:
    path = workspace.folder / DRAFTS_FILE
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def open_window(workspace, qtbot):
    """A main window on ``workspace``, as the application opens it."""
    window = MainWindow(workspace, runner=TaskRunner(synchronous=True))
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    return window


def crash(window) -> None:
    """The power goes: the window is gone without Save, Cancel, close or any event."""
    shiboken6.delete(window)


def page_of(window, area):
    window.show_area(area)
    wait_until_idle(window)
    return window.current_page()


def wait_for_draft(qtbot, workspace, prefix: str, field: str, text: str) -> str:
    """Waits for the draft timer to write ``text``; returns the draft's key."""
    def written():
        return [key for key, entry in drafts_on_disk(workspace).items()
                if key.startswith(prefix) and text in str(entry["values"].get(field))]

    qtbot.waitUntil(lambda: bool(written()), timeout=5000)
    assert not list(workspace.folder.glob(f".{DRAFTS_FILE}.*"))  # written atomically
    (key,) = written()
    return key


@pytest.fixture
def workspace(window):
    window.hide()  # only its workspace is used: each test opens its own windows
    return window.workspace


def test_the_project_form_keeps_a_draft_through_a_crash(workspace, qtbot):
    first = open_window(workspace, qtbot)
    page = page_of(first, "projects")
    shown = page.current
    form = page.form
    assert form.project_id == shown.id and not form.drafts.bar.isVisibleTo(form)
    original = form.name.text()
    form.name.setFocus()
    form.name.selectAll()
    form.name.insert("Nhà văn hóa thôn 7 (mở rộng sân khấu)")
    form.description.setFocus()
    form.description.insertPlainText("Thêm sân khấu ngoài trời")
    key = wait_for_draft(qtbot, workspace, "ProjectForm:", "name", "mở rộng sân khấu")
    assert key == f"ProjectForm:{shown.id}"
    assert "Thêm sân khấu ngoài trời" in drafts_on_disk(workspace)[key]["values"]["description"]
    crash(first)

    again = open_window(workspace, qtbot)
    page = page_of(again, "projects")
    form = page.form
    assert page.current.id == shown.id
    keeper = form.drafts
    assert keeper.bar.isVisibleTo(form) and keeper.bar.accessibleName() == OFFER
    assert form.name.text() == original  # nothing is put back before the user asks
    qtbot.mouseClick(keeper.restore_button, Qt.LeftButton)
    assert not keeper.bar.isVisibleTo(form)
    assert form.name.text() == "Nhà văn hóa thôn 7 (mở rộng sân khấu)"
    assert "Thêm sân khấu ngoài trời" in form.description.toPlainText()
    assert key in drafts_on_disk(workspace)  # still kept until saved
    qtbot.keyClick(again, Qt.Key_S, Qt.ControlModifier)  # Save
    wait_until_idle(again)
    assert projects.get_project(workspace, shown.id).name == \
        "Nhà văn hóa thôn 7 (mở rộng sân khấu)"
    assert drafts_on_disk(workspace) == {}
    shiboken6.delete(again)


def test_a_new_project_draft_is_offered_for_a_new_project_only(workspace, qtbot):
    first = open_window(workspace, qtbot)
    page = page_of(first, "projects")
    page.new_project()
    page.form.name.insert("Kênh mương nội đồng thôn 9")
    key = wait_for_draft(qtbot, workspace, "ProjectForm:", "name", "Kênh mương nội đồng")
    assert key == "ProjectForm:new"
    crash(first)

    again = open_window(workspace, qtbot)
    page = page_of(again, "projects")
    form = page.form
    assert not form.drafts.bar.isVisibleTo(form)  # an existing project: not its draft
    page.new_project()
    assert form.drafts.bar.isVisibleTo(form)
    assert form.name.text() == ""
    qtbot.mouseClick(form.drafts.drop_button, Qt.LeftButton)  # Discard
    assert not form.drafts.bar.isVisibleTo(form) and form.name.text() == ""
    assert drafts_on_disk(workspace) == {}
    shiboken6.delete(again)


def open_dossier(window, fragment: str, code: str):
    page = page_of(window, "dossiers")
    screen = page.list_screen
    screen.table.selectRow(next(r for r in range(screen.model.rowCount())
                                if fragment in screen.model.row_object(r).project_name))
    screen.open_current()
    wait_until_idle(window)
    page.view.select_document(code)
    wait_until_idle(window)
    return page.view


def test_a_dossier_document_panel_keeps_a_draft_through_a_crash(workspace, qtbot):
    first = open_window(workspace, qtbot)
    view = open_dossier(first, "kênh mương", "assignment_contract")
    panel = view.panel
    line_id = view.current_line_id
    panel.number.setFocus()
    panel.number.insert("15/HĐ-UBND")
    panel.signer.setFocus()
    panel.signer.insert("Nguyễn Văn Bình")
    key = wait_for_draft(qtbot, workspace, "DocumentPanel:", "signer", "Nguyễn Văn Bình")
    assert key == f"DocumentPanel:{line_id}"
    crash(first)

    again = open_window(workspace, qtbot)
    view = open_dossier(again, "kênh mương", "assignment_contract")
    panel = view.panel
    keeper = panel.drafts
    assert keeper.bar.isVisibleTo(panel) and keeper.bar.accessibleName() == OFFER
    assert panel.signer.text() != "Nguyễn Văn Bình"
    view.select_document("simplified_dossier")  # another document: not its draft
    assert not keeper.bar.isVisibleTo(panel)
    view.select_document("assignment_contract")
    assert keeper.bar.isVisibleTo(panel)
    qtbot.mouseClick(keeper.restore_button, Qt.LeftButton)
    assert panel.number.text() == "15/HĐ-UBND" and panel.signer.text() == "Nguyễn Văn Bình"
    qtbot.mouseClick(panel.save_button, Qt.LeftButton)
    wait_until_idle(again)
    detail = dossiers.get_dossier(workspace, view.detail.summary.id)
    saved = next(d for d in detail.documents if d.id == line_id)
    assert saved.number == "15/HĐ-UBND" and saved.signer == "Nguyễn Văn Bình"
    assert drafts_on_disk(workspace) == {}
    shiboken6.delete(again)


def test_a_dossier_form_keeps_a_draft_through_a_crash(workspace, qtbot):
    first = open_window(workspace, qtbot)
    view = open_dossier(first, "cà phê", "proposal")
    view.open_form()
    wait_until_idle(first)
    editor = view.editor
    line_id = view.current_line_id
    assert view.right.currentWidget() is editor
    fields = {e.field.key: e for e in editor.editors}
    total = fields["total_amount"].widget
    total.clear()
    total.insert("250.000.000")
    key = wait_for_draft(qtbot, workspace, "FormEditor:", "total_amount", "250.000.000")
    assert key == f"FormEditor:{line_id}"
    crash(first)

    again = open_window(workspace, qtbot)
    view = open_dossier(again, "cà phê", "proposal")
    view.open_form()
    wait_until_idle(again)
    editor = view.editor
    keeper = editor.drafts
    assert keeper.bar.isVisibleTo(editor) and keeper.bar.accessibleName() == OFFER
    total = {e.field.key: e for e in editor.editors}["total_amount"]
    assert total.widget.text() != "250.000.000"
    qtbot.mouseClick(keeper.restore_button, Qt.LeftButton)
    assert total.widget.text() == "250.000.000"
    assert total.words.text() == "Bằng chữ: Hai trăm năm mươi triệu đồng"
    assert editor.dirty
    # Close anyway: the changes, and their draft, are dropped
    view.confirm = lambda title, text: True
    view.close_form()
    assert view.right.currentWidget() is view.panel
    assert drafts_on_disk(workspace) == {}
    shiboken6.delete(again)
