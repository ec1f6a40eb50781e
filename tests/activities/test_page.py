"""The activities page on a copy of the demo: the model, filters and search, the summary,
add / edit / delete through the dialog's ``ask``, evidence, the export; the dialog itself
checks numbers as they are typed and is usable from the keyboard."""

import datetime as dt

from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox

from ctmtqg_desktop.domain.text import fold
from ctmtqg_desktop.gui.pages.activities._dialog import OTHER_PLACE, ActivityDialog
from ctmtqg_desktop.services import activities
from tests.gui.conftest import type_text
from tests.gui.saving import saving


def open_page(window):
    window.show_area("activities")
    page = window.current_page()
    assert page.loaded and page.options is not None
    return page


def test_the_list_passes_the_model_tester_and_sorts(window, qtmodeltester):
    page = open_page(window)
    model = page.model
    assert model.rowCount() == len(activities.activity_ids(window.workspace, {"year": 2023}))
    assert model.rowCount() >= 15
    qtmodeltester.check(model)
    assert model.headerData(0, Qt.Horizontal) == "Ngày"
    assert model.headerData(2, Qt.Horizontal) == "Hoạt động"
    model.sort(5, Qt.DescendingOrder)  # people
    qtmodeltester.check(model)
    people = [model.row_object(r).participants for r in range(model.rowCount())]
    assert people == sorted(people, reverse=True)
    assert model.data(model.index(0, 5)) == "230"
    assert "4 họp Ban Chỉ đạo" in page.summary.text() and "người tham gia" in page.summary.text()
    assert page.detail.toPlainText()  # the first row is shown beside the list


def test_filters_and_search(window, qtbot):
    page = open_page(window)
    page.kind.setCurrentIndex(page.kind.findData("steering_meeting"))
    assert page.model.rowCount() == 4
    assert page.summary.text().startswith("4 hoạt động (4 họp Ban Chỉ đạo)")
    page.kind.setCurrentIndex(0)
    type_text(qtbot, page.search, "tap huan")
    qtbot.waitUntil(lambda: page.model.rowCount() < 10, timeout=3000)
    titles = [page.model.row_object(r).title for r in range(page.model.rowCount())]
    assert titles and any("Tập huấn" in t for t in titles)
    page.search.clear()
    index = page.campaign.findData("Kon Tum chung sức xây dựng nông thôn mới")
    page.campaign.setCurrentIndex(index)
    assert page.model.rowCount() == 2
    assert all(page.model.row_object(r).campaign.startswith("Kon Tum")
               for r in range(page.model.rowCount()))
    page.campaign.setCurrentIndex(0)
    page.village.setCurrentIndex(page.village.findText("Làng Kon Gung"))
    assert {fold(page.model.row_object(r).where) for r in range(page.model.rowCount())} == \
        {"lang kon gung"}
    assert page.focus_search() and page.search.hasFocus()  # Ctrl+F


def test_add_edit_attach_and_delete(window, monkeypatch, tmp_path):
    page = open_page(window)
    before = page.model.rowCount()
    values = dict(kind="training", title="Tập huấn phần mềm CTMTQG cho cán bộ xã",
                  campaign="", program_id=None, component_id=None, project_id=None,
                  start_on=dt.date(2023, 10, 13), end_on=None, village_id=None,
                  place="Phòng họp UBND xã", organiser="UBND xã Đắk La", participants=12,
                  women=5, ethnic_minority=3, poor=0, content="", results="",
                  recommendations="", cost=1_200_000, evidence=[])
    monkeypatch.setattr(ActivityDialog, "ask", saving(lambda cls, *a, **k: dict(values)))
    page.add_activity()
    assert page.model.rowCount() == before + 1
    assert page.current.title == values["title"]
    assert "1.200.000 đồng" in page.detail.toPlainText()
    # edit: the dialog gets the activity and returns changed values
    seen = {}

    def edit(cls, parent, **kwargs):
        seen.update(kwargs)
        return dict(values, participants=14)

    monkeypatch.setattr(ActivityDialog, "ask", saving(edit))
    page.edit_activity()
    assert seen["activity"].title == values["title"]
    assert page.current.participants == 14 and page.model.rowCount() == before + 1
    minutes = tmp_path / "bien-ban.pdf"
    minutes.write_bytes(b"%PDF-1.4 bien ban")
    page.attach(minutes)
    assert [page.files.item(i).text() for i in range(page.files.count())] == ["bien-ban.pdf"]
    # an over-large file is refused with a Vietnamese sentence, nothing attached
    from ctmtqg_desktop.services import settings

    settings.set_value(window.workspace, settings.ATTACHMENT_LIMIT_MB, 1)
    big = tmp_path / "video.mp4"
    big.write_bytes(b"\0" * (1024 * 1024 + 1))
    page.attach(big)
    assert "video.mp4" in page.message.text() and page.files.count() == 1
    # delete asks first; "No" keeps it
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.No)
    page.delete_activity()
    assert page.model.rowCount() == before + 1
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.Yes)
    page.delete_activity()
    assert page.model.rowCount() == before


def test_export_writes_the_filtered_list(window, tmp_path):
    page = open_page(window)
    page.kind.setCurrentIndex(page.kind.findData("inspection"))
    out = tmp_path / "hoat-dong.xlsx"
    page.export_to(out)
    sheet = load_workbook(out).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    header = next(i for i, row in enumerate(values) if row[0] == "STT")
    body = [row for row in values[header + 1:] if isinstance(row[0], int)]
    assert len(body) == page.model.rowCount() == 3
    assert all(row[1] == "Kiểm tra, giám sát" for row in body)
    total = next(row for row in values if row[2] == "Tổng cộng")
    assert total[8] == sum(row[8] for row in body)


def test_the_dialog_checks_as_typed_and_fills_back(qtbot, window):
    page = open_page(window)
    dialog = ActivityDialog(page, options=page.options, today=dt.date(2023, 10, 16))
    qtbot.addWidget(dialog)
    save = dialog.buttons.button(QDialogButtonBox.Save)
    assert not save.isEnabled() and "Tiêu đề" in dialog.message.text()
    assert dialog.title.hasFocus() or dialog.focusWidget() is dialog.title
    type_text(qtbot, dialog.title, "Tuyên truyền giảm nghèo tại thôn 8")
    dialog.participants.setValue(1250)
    dialog.women.setValue(1300)
    assert not save.isEnabled() and "1.300" in dialog.message.text() \
        and "1.250" in dialog.message.text()
    dialog.women.setValue(600)
    assert save.isEnabled()
    assert dialog.participants.text() == "1.250"  # grouped the Vietnamese way
    dialog.end_on.setText("01/01/2023")
    assert not save.isEnabled() and "01/01/2023" in dialog.message.text()
    dialog.end_on.setText("")
    dialog.village.setCurrentIndex(dialog.village.findData(OTHER_PLACE))
    assert not save.isEnabled()
    type_text(qtbot, dialog.place, "Nhà rông làng Kon Gung")
    dialog.cost.setText("2.500.000")
    dialog.campaign.setCurrentText("Vì người nghèo - Không để ai bị bỏ lại phía sau")
    dialog.program.setCurrentIndex(dialog.program.findData("2021-2025/GNBV"))
    assert dialog.component.count() > 1 and dialog.component.isEnabled()
    values = dialog.values()
    assert values["place"] == "Nhà rông làng Kon Gung" and values["village_id"] is None
    assert values["cost"] == 2_500_000 and values["women"] == 600
    saved = activities.save_activity(window.workspace, **values)
    again = ActivityDialog(page, options=page.options, today=dt.date(2023, 10, 16),
                           activity=saved)
    qtbot.addWidget(again)
    assert again.values() == dict(values, evidence=[], title=saved.title)
