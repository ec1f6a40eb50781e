"""The tasks and difficulties pages: real widgets on a copy of the demo."""

import datetime as dt

from PySide6.QtCore import Qt

from ctmtqg_desktop.domain import schedules
from ctmtqg_desktop.domain.text import fold
from ctmtqg_desktop.gui.lazy_table import LATE_COLOR
from ctmtqg_desktop.gui.pages.difficulties._page import DifficultyDialog
from ctmtqg_desktop.gui.pages.tasks._dialogs import (
    DirectiveDialog,
    DirectiveFormValues,
    TaskDialog,
    TaskFormValues,
)
from ctmtqg_desktop.services import tasks
from tests.gui.conftest import type_text
from tests.gui.saving import saving


def open_tasks(window):
    window.show_area("tasks")
    page = window.current_page()
    assert page.loaded
    return page


def test_the_task_list_passes_the_model_tester_and_colours_late_rows(window, qtmodeltester):
    page = open_tasks(window)
    model = page.model
    assert model.rowCount() == len(tasks.task_ids(window.workspace, {}))
    qtmodeltester.check(model)
    first = model.row_object(0)
    assert first.state == "late"  # sorted by deadline: the overdue ones first
    assert model.data(model.index(0, 0), Qt.ForegroundRole).color() == LATE_COLOR
    assert model.headerData(0, Qt.Horizontal) == "Nhiệm vụ"
    assert page.detail.toPlainText().count("Quá hạn: 1 kỳ hạn đã qua") == 1
    model.sort(0, Qt.AscendingOrder)
    ascending = [model.data(model.index(r, 0)) for r in range(model.rowCount())]
    model.sort(0, Qt.DescendingOrder)
    qtmodeltester.check(model)
    descending = [model.data(model.index(r, 0)) for r in range(model.rowCount())]
    assert descending == list(reversed(ascending)) and len(set(ascending)) == len(ascending)


def test_filters_and_diacritic_insensitive_search(window, qtbot):
    page = open_tasks(window)
    page.overdue.setChecked(True)
    overdue = page.model.rowCount()
    assert overdue == len(tasks.task_ids(window.workspace, {"overdue": True})) and overdue
    page.overdue.setChecked(False)
    page.search.clear()
    type_text(qtbot, page.search, "giai ngan")
    qtbot.waitUntil(lambda: page.model.rowCount() < 10, timeout=3000)
    texts = [page.model.data(page.model.index(r, 0)) for r in range(page.model.rowCount())]
    # every word, diacritics ignored (the words may stand apart)
    assert texts and all("giai" in fold(t) and "ngan" in fold(t) for t in texts)
    assert any(t.startswith("Giải ngân 100%") for t in texts)
    assert len(texts) == len(tasks.task_ids(window.workspace, {"text": "GIẢI NGÂN"}))
    page.search.clear()
    qtbot.waitUntil(lambda: page.model.rowCount() > 10, timeout=3000)
    index = page.program.findData("2021-2025/DTTS")
    page.program.setCurrentIndex(index)
    assert {page.model.row_object(r).program_label for r in range(page.model.rowCount())} \
        == {"DTTS"}
    page.program.setCurrentIndex(0)
    page.due_within.setCurrentIndex(page.due_within.findData(7))
    assert all(page.model.row_object(r).state == "due_soon"
               for r in range(page.model.rowCount()))
    page.due_within.setCurrentIndex(0)
    page.directive.setCurrentIndex(1)
    assert page.model.rowCount() == 18  # the seed directive's bullets


def test_detail_shows_the_timeline_and_the_schedule(window):
    page = open_tasks(window)
    ids = tasks.task_ids(window.workspace, {"text": "chương trình mục tiêu quốc gia hằng tháng"})
    page.show_task(ids[0])
    text = page.detail.toPlainText()
    assert "Lịch sử cập nhật tiến độ (3)" in text
    history = text[text.index("Lịch sử cập nhật tiến độ"):]
    assert history.index("25/09/2023") < history.index("19/08/2023") < \
        history.index("18/07/2023")  # newest first
    assert "Gửi chậm báo cáo tháng 9" in text
    assert "20/09/2023: hoàn thành muộn" in text and "20/10/2023: chưa đến hạn" in text


def test_quick_progress_entry_from_the_keyboard(window, qtbot):
    page = open_tasks(window)
    page.table.setFocus()
    row = page.model.row_of(page.current.task.id)
    task_id = page.current.task.id
    before = len(page.current.progress)
    qtbot.keyClick(page.table, Qt.Key_Return)
    assert page.progress.status.hasFocus()
    page.progress.status.setCurrentIndex(page.progress.status.findData("in_progress"))
    page.progress.percent.setValue(80)
    page.progress.note.setFocus()
    page.progress.note.insertPlainText("Đã kiểm tra thực địa, bò phát triển tốt.")
    qtbot.keyClick(page.progress.note, Qt.Key_Return, Qt.ControlModifier)
    detail = tasks.task_detail(window.workspace, task_id)
    assert len(detail.progress) == before + 1
    assert detail.progress[0].narrative == "Đã kiểm tra thực địa, bò phát triển tốt."
    assert detail.progress[0].percent == 80
    assert "Đã ghi" in page.progress.message.text()
    assert page.current.task.id == task_id and row >= 0
    assert "Đã kiểm tra thực địa" in page.detail.toPlainText()
    qtbot.keyClick(page.progress.note, Qt.Key_Escape)
    assert page.table.hasFocus()


def test_a_bad_update_shows_a_vietnamese_sentence(window):
    page = open_tasks(window)
    page.progress.status.setCurrentIndex(page.progress.status.findData("not_started"))
    page.progress.percent.setValue(30)
    page.progress.note.setPlainText("Chưa làm")
    page.save_progress()
    # the refusal stays in the form, under the field it is about (issue 15); what was
    # typed is kept
    from PySide6.QtWidgets import QLabel

    shown = [label.text() for label in page.progress.findChildren(QLabel, "fieldError")
             if label.isVisibleTo(page.progress)]
    assert len(shown) == 1 and "chưa thực hiện" in shown[0], shown
    assert page.progress.message.text() == ""
    assert page.progress.percent.value() == 30
    assert page.progress.note.toPlainText() == "Chưa làm"


def test_add_a_task_and_a_directive_through_their_dialogs(window, monkeypatch, tmp_path):
    page = open_tasks(window)
    scan = tmp_path / "cong-van.pdf"
    scan.write_bytes(b"%PDF-1.4")
    monkeypatch.setattr(DirectiveDialog, "ask", saving(
        lambda cls, parent, **kw: DirectiveFormValues(
            doc_type="Công văn", number_symbol="1520/UBND-TCKH", issued_on=dt.date(2023, 9, 28),
            issuing_body="UBND huyện Đắk Hà", title="Về việc báo cáo giải ngân",
            program_ids=["2021-2025/NTM"], attach=[scan])))
    page.add_directive()
    assert "1520/UBND-TCKH" in page.message.text()
    directive_id = next(d for d, label in page.options.directives if "1520" in label)
    project_id, project_name = next(p for p in page.options.projects
                                    if p[1].startswith("Nhà văn hóa thôn 7"))
    monkeypatch.setattr(TaskDialog, "ask", saving(
        lambda cls, parent, **kw: TaskFormValues(
            text="Báo cáo giải ngân trước ngày 05 hằng tháng", directive_id=directive_id,
            lead="UBND xã Đắk La", project_id=project_id, schedule=schedules.Schedule(
                schedules.MONTHLY, day=5, start=dt.date(2023, 10, 1)))))
    page.add_task()
    assert page.current.task.text == "Báo cáo giải ngân trước ngày 05 hằng tháng"
    assert page.current.task.lead.unit_id == "23524"
    assert page.current.project_name == project_name
    assert "Dự án: Nhà văn hóa thôn 7" in page.detail.toPlainText()
    assert page.model.row_of(page.current.task.id) >= 0


def test_the_task_dialog_builds_a_schedule_from_its_fields(styled_app, qtbot, demo_workspace):
    options = tasks.filter_options(demo_workspace)
    dialog = TaskDialog(None, options=options, today=dt.date(2023, 10, 16))
    qtbot.addWidget(dialog)
    dialog.text.setPlainText("Báo cáo quý")
    dialog.kind.setCurrentIndex(dialog.kind.findData(schedules.QUARTERLY))
    dialog.day.setValue(15)
    dialog.month.setValue(3)
    values = dialog.values()
    assert values.schedule == schedules.Schedule(schedules.QUARTERLY, day=15, month=3,
                                                 start=dt.date(2023, 10, 1))
    assert not dialog.deadline.isEnabled() and dialog.recurring_row.isEnabled()
    assert dialog.labels["kind"].text() == "Thời hạn"


def test_difficulties_page_shows_status_and_the_parents_answer(window, qtmodeltester,
                                                              monkeypatch):
    window.show_area("difficulties")
    page = window.current_page()
    qtmodeltester.check(page.model)
    statuses = [page.model.data(page.model.index(r, 2)) for r in range(page.model.rowCount())]
    assert sorted(statuses) == ["mới", "đã giải quyết", "đã trả lời"]
    answered = statuses.index("đã trả lời")
    page.table.selectRow(answered)
    text = page.detail.toPlainText()
    assert "Trả lời của cấp trên" in text and "Ủy ban nhân dân huyện Đắk Hà" in text
    assert "Công văn số 1520/UBND-TCKH" in text
    page.toggle_resolved()
    assert page.current_item().status == "resolved"
    monkeypatch.setattr(DifficultyDialog, "ask", saving(
        lambda cls, parent, **kw: dict(kind="proposal", raised_on=dt.date(2023, 10, 16),
                                       title="Đề nghị bổ sung kinh phí tập huấn", content="",
                                       proposal="Bổ sung 20 triệu đồng", task_id=None)))
    page.add_difficulty()
    assert page.model.rowCount() == 4
    qtmodeltester.check(page.model)


def test_overview_shows_task_counts_and_next_deadlines(window):
    window.show_area("overview")
    page = window.current_page()
    cards = [page.grid.itemAt(i).widget() for i in range(page.grid.count())]
    task_card = next(c for c in cards if c.section.area == "tasks")
    figures = {f.label: f for f in task_card.section.figures}
    assert figures["Quá hạn"].state == "late" and figures["Quá hạn"].value == "3"
    assert task_card.section.lines[0][0].startswith("25/09/2023: Kiểm tra, giám sát")
    assert any(c.section.area == "difficulties" for c in cards)


def test_the_task_dialog_offers_the_components_of_the_chosen_programme(styled_app, qtbot,
                                                                        demo_workspace):
    options = tasks.filter_options(demo_workspace)
    dialog = TaskDialog(None, options=options, today=dt.date(2023, 10, 16))
    qtbot.addWidget(dialog)
    assert dialog.component.count() == 1 and not dialog.component.isEnabled()
    assert dialog.labels["component"].text() == "Dự án / tiểu dự án thành phần"
    dialog.program.setCurrentIndex(dialog.program.findData("2021-2025/DTTS"))
    assert dialog.component.isEnabled()
    keys = [dialog.component.itemData(i) for i in range(dialog.component.count())]
    assert keys[0] is None and "2021-2025/DTTS/DA3/TDA2" in keys
    assert "2021-2025/DTTS/DA3/TDA2/ND1" not in keys  # contents are too fine for a task
    project = dialog.component.itemText(keys.index("2021-2025/DTTS/DA3"))
    sub = dialog.component.itemText(keys.index("2021-2025/DTTS/DA3/TDA2"))
    assert project.startswith("DA3: ") and sub.startswith("\u2003\u2003DA3 › TDA2: ")
    dialog.component.setCurrentIndex(keys.index("2021-2025/DTTS/DA3/TDA2"))
    dialog.text.setPlainText("Hỗ trợ chuỗi giá trị")
    assert dialog.values().component_id == "2021-2025/DTTS/DA3/TDA2"
    # another programme: its own components, nothing chosen
    dialog.program.setCurrentIndex(dialog.program.findData("2021-2025/GNBV"))
    assert dialog.values().component_id is None
    assert "2021-2025/GNBV/DA5" in [dialog.component.itemData(i)
                                    for i in range(dialog.component.count())]
    dialog.program.setCurrentIndex(0)
    assert dialog.values().component_id is None and not dialog.component.isEnabled()
    # opening a task that has one shows it chosen
    again = TaskDialog(None, options=options, today=dt.date(2023, 10, 16), values=TaskFormValues(
        text="x", program_id="2021-2025/DTTS", component_id="2021-2025/DTTS/DA3/TDA2"))
    qtbot.addWidget(again)
    assert again.component.currentData() == "2021-2025/DTTS/DA3/TDA2"
    assert again.values().component_id == "2021-2025/DTTS/DA3/TDA2"


def test_a_task_keeps_its_component_through_the_edit_dialog(window, monkeypatch):
    page = open_tasks(window)
    task = page.current.task
    seen = {}

    def answer(cls, parent, *, options, today, values, draft_context="new"):
        dialog = cls(parent, options=options, today=today, values=values)
        dialog.program.setCurrentIndex(dialog.program.findData("2021-2025/DTTS"))
        dialog.component.setCurrentIndex(dialog.component.findData("2021-2025/DTTS/DA4/TDA1"))
        seen["first"] = dialog.values()
        dialog.deleteLater()
        return seen["first"]

    monkeypatch.setattr(TaskDialog, "ask", saving(answer))
    page.edit_task()
    saved = tasks.get_task(window.workspace, task.id)
    # the rest of the task is kept (its directive and project ids are found again in the
    # dialog's lists, although they are other objects than the ones the lists hold)
    assert saved.directive_id == task.directive_id and saved.project_id == task.project_id
    assert saved.program_id == "2021-2025/DTTS"
    assert saved.component_id == "2021-2025/DTTS/DA4/TDA1"
    assert "Dự án / tiểu dự án thành phần: DA4 › TDA1: Đầu tư cơ sở hạ tầng" in \
        page.detail.toPlainText()

    def reopen(cls, parent, *, options, today, values, draft_context="new"):
        dialog = cls(parent, options=options, today=today, values=values)
        seen["second"] = dialog.component.currentData()
        dialog.deleteLater()
        return None

    monkeypatch.setattr(TaskDialog, "ask", saving(reopen))
    page.edit_task()
    assert seen["second"] == "2021-2025/DTTS/DA4/TDA1"


def test_a_difficulty_is_raised_about_a_programme_project_or_unit(window, monkeypatch,
                                                                   qtmodeltester):
    window.show_area("difficulties")
    page = window.current_page()
    seen = {}

    def answer(cls, parent, **options):
        dialog = cls(parent, **options)
        # by default it is about the unit itself
        seen["default"] = (dialog.about.currentData(),
                           dialog.targets["unit"].currentData(), dialog.values()["unit_id"])
        dialog.title.setText("Thiếu hướng dẫn tiểu dự án 2")
        dialog.about.setCurrentIndex(dialog.about.findData("program"))
        assert dialog.target_stack.currentWidget() is dialog.targets["program"]
        programs = dialog.targets["program"]
        programs.setCurrentIndex(programs.findData("2021-2025/DTTS"))
        seen["project"] = dialog.targets["project"].count()
        values = dialog.values()
        dialog.deleteLater()
        return values

    monkeypatch.setattr(DifficultyDialog, "ask", saving(answer))
    page.add_difficulty()
    assert seen["default"] == ("unit", "23524", "23524") and seen["project"] > 0
    row = next(r for r in range(page.model.rowCount())
               if page.model.items[r].title == "Thiếu hướng dẫn tiểu dự án 2")
    assert page.model.headerData(4, Qt.Horizontal) == "Liên quan đến"
    assert page.model.data(page.model.index(row, 4)).startswith("DTTS: ")
    qtmodeltester.check(page.model)
    page.table.selectRow(row)
    assert "Chương trình: DTTS: " in page.detail.toPlainText()
    # a task's difficulty shows its task first (the demo's also name a programme, a project
    # and the unit it is addressed to)
    linked = next(r for r in range(page.model.rowCount()) if page.model.items[r].task_id)
    assert page.model.data(page.model.index(linked, 4)).startswith(
        page.model.items[linked].task_text + "; NTM: ")


def test_a_difficulty_of_ours_is_corrected_keeping_its_other_links(window, monkeypatch):
    window.show_area("difficulties")
    page = window.current_page()
    row = next(r for r in range(page.model.rowCount())
               if page.model.items[r].task_id and page.model.items[r].project_id
               and page.model.items[r].status != "resolved")
    before = page.model.items[row]
    page.table.selectRow(row)
    assert page.edit_button.isEnabled() and page.edit_button.text() == "&Sửa…"
    seen = {}

    def correct(cls, parent, **options):
        dialog = cls(parent, **options)
        seen["heading"] = dialog.heading.text()
        seen["shown"] = (dialog.title.text(), dialog.about.currentData(),
                         dialog.targets["task"].currentData())
        dialog.title.setText(before.title + " (bổ sung)")
        values = dialog.values()
        dialog.deleteLater()
        return values

    monkeypatch.setattr(DifficultyDialog, "ask", saving(correct))
    page.edit_difficulty()
    assert seen["heading"] == "Sửa khó khăn, kiến nghị"
    assert seen["shown"] == (before.title, "task", before.task_id)
    after = next(i for i in page.model.items if i.id == before.id)
    assert after.title == before.title + " (bổ sung)"
    assert (after.task_id, after.program_id, after.project_id, after.unit_id) == (
        before.task_id, before.program_id, before.project_id, before.unit_id)
    assert after.status == ("new" if before.status in ("new", "sent") else before.status)
    resolved = next(r for r in range(page.model.rowCount())
                    if page.model.items[r].status == "resolved")
    page.table.selectRow(resolved)
    assert not page.edit_button.isEnabled()


def test_the_difficulty_dialog_refuses_to_save_an_empty_link(styled_app, qtbot):
    dialog = DifficultyDialog(None, today=dt.date(2023, 10, 16), tasks=[],
                              programs=[("2021-2025/NTM", "NTM: Nông thôn mới")], projects=[],
                              units=[("23524", "Xã Đắk La")], own_unit="23524")
    qtbot.addWidget(dialog)
    from PySide6.QtWidgets import QDialogButtonBox

    save = dialog.buttons.button(QDialogButtonBox.Save)
    assert save.isEnabled() and dialog.values()["unit_id"] == "23524"
    dialog.about.setCurrentIndex(dialog.about.findData("task"))
    assert not save.isEnabled() and "Không có nhiệm vụ" in dialog.message.text()
    dialog.about.setCurrentIndex(dialog.about.findData("program"))
    assert save.isEnabled() and dialog.message.text() == ""
    assert dialog.values() == dict(kind="difficulty", raised_on=dt.date(2023, 10, 16),
                                   title="", content="", proposal="", task_id=None,
                                   program_id="2021-2025/NTM", project_id=None, unit_id=None)


def test_the_directives_tab_lists_searches_edits_deletes_and_shows_tasks(
        window, qtbot, qtmodeltester, monkeypatch, tmp_path):
    from ctmtqg_desktop.gui.pages.tasks import _directives as task_directives

    page = open_tasks(window)
    view = page.directives
    page.tabs.setCurrentIndex(1)
    assert page.tabs.tabText(1) == "Văn bản chỉ đạo"
    model = view.model
    assert model.rowCount() == len(tasks.list_directives(window.workspace)) >= 1
    qtmodeltester.check(model)
    assert model.headerData(0, Qt.Horizontal) == "Số, ký hiệu"
    seed = next(r for r in range(model.rowCount()) if model.items[r].task_count)
    # a directive of our own, with a scan, and no task
    scan = tmp_path / "1520.pdf"
    scan.write_bytes(b"%PDF-1.4")
    own = tasks.save_directive(window.workspace, number_symbol="1520/UBND-TCKH",
                               doc_type="Công văn", issued_on=dt.date(2023, 9, 28),
                               issuing_body="UBND huyện Đắk Hà",
                               title="Về việc báo cáo giải ngân", attach=[scan])
    view.reload()
    qtmodeltester.check(model)
    type_text(qtbot, view.search, "bao cao giai ngan")
    qtbot.waitUntil(lambda: model.rowCount() == 1, timeout=3000)
    assert model.data(model.index(0, 0)) == "1520/UBND-TCKH"
    assert model.data(model.index(0, 5)) == "1520.pdf"
    assert model.data(model.index(0, 4)) == "0"
    # edit: the scan is shown, removed and another attached
    annex = tmp_path / "phu-luc.pdf"
    annex.write_bytes(b"%PDF-1.4 annex")

    def edit(cls, parent, *, programs, today, values, draft_context="new"):
        dialog = cls(parent, programs=programs, today=today, values=values)
        assert dialog.files.item(0).text() == "1520.pdf"
        assert dialog.heading.text() == "Sửa văn bản chỉ đạo"
        dialog.files.setCurrentRow(0)
        dialog.remove_selected_file()
        dialog.files.addItem(str(annex))
        dialog.title.setText("Về việc báo cáo giải ngân vốn năm 2023")
        result = dialog.values()
        dialog.deleteLater()
        return result

    monkeypatch.setattr(task_directives.DirectiveDialog, "ask", saving(edit))
    view.edit_directive()
    saved = tasks.get_directive(window.workspace, own.id)
    assert saved.title == "Về việc báo cáo giải ngân vốn năm 2023"
    assert [a.original_name for a in saved.attachments] == ["phu-luc.pdf"]
    assert view.current_item().id == own.id
    assert model.data(model.index(view.table.currentIndex().row(), 5)) == "phu-luc.pdf"
    # delete: asked first; one that gave tasks is refused in Vietnamese
    asked = []
    monkeypatch.setattr(task_directives, "ask_delete", lambda parent, label: asked.append(
        label) or True)
    monkeypatch.setattr(task_directives.QMessageBox, "warning", lambda *args: None)
    view.delete_directive()
    assert asked and "1520/UBND-TCKH" in asked[0]
    view.search.clear()
    qtbot.waitUntil(lambda: model.rowCount() > 0, timeout=3000)
    assert own.id not in [item.id for item in model.items]
    seed = next(r for r in range(model.rowCount()) if model.items[r].task_count)
    view.table.selectRow(seed)
    seed_item = view.current_item()
    if view.delete_button.isEnabled():
        view.delete_directive()
        assert "nhiệm vụ thuộc văn bản này" in page.message.text()
    assert seed_item.id in [d.id for d in tasks.list_directives(window.workspace)]
    # its tasks: the task list filtered by it
    view.show_tasks()
    assert page.tabs.currentIndex() == 0
    assert page.directive.currentData() == seed_item.id
    assert page.model.rowCount() == seed_item.task_count


def test_withdraw_a_progress_update_from_the_timeline(window, monkeypatch):
    from PySide6.QtCore import QUrl

    from ctmtqg_desktop.gui.pages.tasks import _page as tasks_page

    page = open_tasks(window)
    ids = tasks.task_ids(window.workspace, {"text": "chương trình mục tiêu quốc gia hằng tháng"})
    page.show_task(ids[0])
    task_id = page.current.task.id
    newest, older = page.current.progress[0], page.current.progress[1]
    assert "Rút lại (ghi nhầm)…" in page.detail.toPlainText()
    # asked first; "no" changes nothing
    asked = []
    monkeypatch.setattr(tasks_page, "ask_withdraw", lambda parent, text: asked.append(text)
                        or False)
    page._link(QUrl(f"withdraw:{newest.id}"))
    assert asked == ["lần cập nhật ngày 25/09/2023 (" +
                     tasks.status_label(newest.status) + ")"]
    assert len(tasks.task_detail(window.workspace, task_id).progress) == 3
    monkeypatch.setattr(tasks_page, "ask_withdraw", lambda parent, text: True)
    page._link(QUrl(f"withdraw:{newest.id}"))
    detail = tasks.task_detail(window.workspace, task_id)
    assert [p.id for p in detail.progress] == [p.id for p in page.current.progress[:2]]
    assert newest.id not in [p.id for p in detail.progress]
    # the task's latest update is the one before it now
    assert detail.task.latest_progress_on == older.reported_on
    assert detail.task.status == older.status and detail.task.latest_percent == older.percent
    assert "Lịch sử cập nhật tiến độ (2)" in page.detail.toPlainText()
    assert "Đã rút lại lần cập nhật ngày 25/09/2023" in page.message.text()
    # …and it stays in the history, struck through, saying it does not count
    assert [p.id for p in detail.withdrawn] == [newest.id]
    assert detail.withdrawn[0].withdrawn_at is not None
    shown = page.detail.toHtml()
    assert newest.narrative.split("\n")[0][:30] in page.detail.toPlainText()
    assert "vì ghi nhầm; không được tính" in page.detail.toPlainText()
    assert "line-through" in shown
    assert page.detail.toPlainText().count("Rút lại (ghi nhầm)…") == 2  # not on the withdrawn
    # the change journal keeps the withdrawn update
    from sqlalchemy import select

    from ctmtqg_desktop.store.models.journal import ChangeJournalEntry

    with window.workspace.session_factory() as session:
        kinds = [e.operation for e in session.scalars(select(ChangeJournalEntry).where(
            ChangeJournalEntry.record_id == newest.id))]
    assert len(kinds) >= 2


def test_the_excel_import_shows_progress_and_cancel_writes_nothing(qtbot, styled_app,
                                                                  demo_workspace,
                                                                  monkeypatch, tmp_path):
    """With a real background runner: the worker waits at its first row until Cancel is
    pressed, so the test does not race the import."""
    import threading

    from ctmtqg_desktop.gui.background import TaskRunner
    from ctmtqg_desktop.gui.main_window import MainWindow
    from ctmtqg_desktop.services import tasks as task_service
    from tests.services.test_tasks_import import fill

    path = tmp_path / "nhiem-vu.xlsx"
    fill(path, [[f"Nhiệm vụ nhập thử {n}", None, None, None, "NTM", "20/12/2023"]
                for n in range(1, 5)])
    win = MainWindow(demo_workspace, runner=TaskRunner())
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    win.show_area("tasks")
    page = win.current_page()
    qtbot.waitUntil(lambda: win.runner.pending == 0, timeout=10000)
    before = len(task_service.task_ids(demo_workspace, {}))
    reached_first_row = threading.Event()
    release = threading.Event()
    original = task_service.import_tasks

    def held_import(workspace, chosen, **options):
        report = options["progress"]

        def progress(done, total):
            report(done, total)
            if done == 0:
                reached_first_row.set()
                release.wait(10)

        return original(workspace, chosen, **{**options, "progress": progress})

    monkeypatch.setattr(task_service, "import_tasks", held_import)
    page.import_workbook(str(path))
    qtbot.waitUntil(reached_first_row.is_set, timeout=10000)
    qtbot.waitUntil(page.cancel_import_button.isVisible, timeout=5000)
    assert page.import_progress.isVisible()
    assert page.cancel_import_button.text() == "Hủy"
    qtbot.mouseClick(page.cancel_import_button, Qt.LeftButton)
    release.set()
    qtbot.waitUntil(lambda: not page.cancel_import_button.isVisible(), timeout=10000)
    assert "dừng" in page.message.text()
    assert len(task_service.task_ids(demo_workspace, {})) == before
    assert not page.import_progress.isVisible()


def test_an_excel_import_from_the_page_adds_the_tasks_and_hides_its_progress(window,
                                                                            tmp_path):
    from tests.services.test_tasks_import import fill

    page = open_tasks(window)
    path = tmp_path / "nhiem-vu.xlsx"
    fill(path, [["Nhiệm vụ nhập từ tệp của huyện", None, None, None, "NTM", "20/12/2023"]])
    before = len(tasks.task_ids(window.workspace, {}))
    page.import_workbook(str(path))
    assert len(tasks.task_ids(window.workspace, {})) == before + 1
    assert "Đã nhập nhiệm vụ: thêm 1" in page.message.text()
    assert not page.import_progress.isVisible() and not page.cancel_import_button.isVisible()
