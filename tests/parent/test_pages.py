"""The parent unit's pages with real widgets (offscreen, 1366x768): the children list and its
details, the mass import of real packages with each file's outcome, what was sent down, the
board with its chart and a child's records (read-only, answering a difficulty), the
consolidated report, the difficulties page's answer, and the reorganisation tab."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from ctmtqg_desktop.domain.formats import format_number
from ctmtqg_desktop.gui.pages.parent import _dialogs as parent_dialogs
from ctmtqg_desktop.gui.pages.parent._children import ChildrenPage
from ctmtqg_desktop.services import activities, villages
from ctmtqg_desktop.services.difficulties import _records as difficulties
from ctmtqg_desktop.services.parent import _board as parent_board
from ctmtqg_desktop.services.parent import _dispatch as parent_dispatch
from ctmtqg_desktop.services.sync import _export as sync_export
from tests.gui.saving import saving
from tests.parent.conftest import fill, open_window, set_today

pytestmark = pytest.mark.gui


def _grab(window, name: str, tmp_path) -> Path:
    """A picture of the window (also kept in CTMTQG_SCREENSHOTS when it is set)."""
    QApplication.processEvents()
    image = window.grab()
    assert (image.width(), image.height()) == (1366, 768)
    folder = Path(os.environ.get("CTMTQG_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"parent-{name}.png"
    assert image.save(str(target))
    return target


def _page(window, key):
    window.show_area(key)
    return window.current_page()


def test_the_children_page_lists_units_and_their_installations(parent_window, qtmodeltester,
                                                               tmp_path, qtbot):
    page = _page(parent_window, "children")
    assert isinstance(page, ChildrenPage)
    assert page.tabs.tabText(0) == "Đơn vị cấp dưới"
    tab = page.children
    qtmodeltester.check(tab.model)
    assert tab.model.rowCount() == 11
    # late units first: the one never reported, then the stale ones
    first = tab.model.row_object(0)
    assert first.state == "never"
    assert "chưa gửi lần nào" in tab.counts.text() and tab.counts.property("state") == "late"
    name_index = tab.model.index(0, 1)
    assert tab.model.data(name_index, Qt.ForegroundRole) is not None  # red
    qtbot.keyClicks(tab.search, "dak long")
    assert tab.model.rowCount() == 1 and tab.current_unit() == "23504"
    html = tab.detail.toHtml()
    assert "Mã xác minh" in html and "Gói gần nhất" in html
    tab.search.clear()
    tab.state.setCurrentIndex(tab.state.findData("current"))
    assert all(tab.model.row_object(r).state == "current"
               for r in range(tab.model.rowCount()))
    tab.model.sort(1, Qt.DescendingOrder)
    qtmodeltester.check(tab.model)
    assert page.focus_search() and tab.search.hasFocus()
    _grab(parent_window, "children", tmp_path)


def test_mass_import_shows_each_files_outcome(qtbot, network, tmp_path, monkeypatch):
    parent = network.parent("615")
    set_today(parent)
    mail = tmp_path / "mail"
    for unit in ("23524", "23521", "23512@2023-06-01"):
        commune = network.enroll(parent, unit, f"Cán bộ {unit}")
        set_today(commune)
        fill(commune, unit)
        sync_export.export_package(commune, mail)
    stranger = network.commune("23509@2023-06-01")
    villages.save_village(stranger, name="Thôn 9")
    sync_export.export_package(stranger, mail)
    (mail / "zz-hong.ctsync").write_bytes(b"not a package at all")
    window = open_window(qtbot, parent)
    page = _page(window, "children")
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(mail))
    qtbot.mouseClick(page.receive_button, Qt.LeftButton)
    assert page.tabs.currentWidget() is page.importer
    table = page.importer.table
    assert table.rowCount() == 5
    outcomes = sorted(table.item(r, 3).text() for r in range(5))
    assert outcomes.count("đã áp dụng") == 3
    assert sum("từ chối" in o for o in outcomes) == 1
    assert sum("cách ly" in o for o in outcomes) == 1
    assert "2 tệp cần xem lại" in page.importer.summary.text()
    refused = next(r for r in range(5) if "hong" in table.item(r, 0).text())
    assert table.item(refused, 0).background().color().name() == "#fdecea"
    applied = next(r for r in range(5) if table.item(r, 3).text() == "đã áp dụng")
    assert "thay đổi" in table.item(applied, 4).text()
    assert not page.importer.progress.isVisible()
    # the list now shows the three as reporting
    states = {page.children.model.row_object(r).unit_id: page.children.model.row_object(r)
              .state for r in range(page.children.model.rowCount())}
    assert states["23524"] == "current" and states["23509"] == "never"
    _grab(window, "mass-import", tmp_path)
    page.tabs.setCurrentWidget(page.children)
    _grab(window, "children-after-import", tmp_path)


def test_the_board_sorts_filters_charts_and_opens_a_child(parent_window, qtmodeltester,
                                                          monkeypatch, tmp_path, qtbot):
    page = _page(parent_window, "board")
    qtmodeltester.check(page.model)
    assert page.model.rowCount() == 12  # eleven children and the total
    total = page.model.row_at(11)
    assert total.name == "Tổng cộng" and page.model.data(page.model.index(11, 0),
                                                          Qt.FontRole).bold()
    assert "triệu đồng" in page.figures.text() and "đường tiến độ 79,2%" in page.figures.text()
    # sorting by the rate (header click) puts the lowest first; the total stays last
    page.table.sortByColumn(6, Qt.AscendingOrder)
    rates = [page.model.rows[r].rate or 0 for r in range(len(page.model.rows))]
    assert rates == sorted(rates) and page.model.row_at(11).name == "Tổng cộng"
    qtmodeltester.check(page.model)
    # a unit far behind the on-track line is red in the rate column
    far = next(r for r, row in enumerate(page.model.rows) if row.rate_state == "late")
    assert page.model.data(page.model.index(far, 6), Qt.BackgroundRole).color().name() == \
        "#fdecea"
    # the activities: count (participants) in every row and the total, sortable, explained
    column = next(c for c in range(page.model.columnCount())
                  if page.model.headerData(c, Qt.Horizontal) == "Hoạt động")
    page.table.sortByColumn(column, Qt.DescendingOrder)
    counts = [(row.activities, row.activity_participants) for row in page.model.rows]
    assert counts == sorted(counts, reverse=True) and counts[0][0] > 0
    qtmodeltester.check(page.model)
    top = page.model.rows[0]
    assert page.model.data(page.model.index(0, column)) == \
        f"{top.activities} ({format_number(top.activity_participants)})"
    total = page.model.row_at(11)
    assert page.model.data(page.model.index(11, column)) == \
        f"{total.activities} ({format_number(total.activity_participants)})"
    tip = page.model.data(page.model.index(0, column), Qt.ToolTipRole)
    assert "người tham gia" in tip and "phụ nữ" in tip
    assert all(activities.kind_label(kind) in tip for kind, field in
               parent_board.ACTIVITY_FIELDS.items() if getattr(top, field))
    # twelve columns in 1366x768, sorted by any of them
    QApplication.processEvents()
    header = page.table.horizontalHeader()
    stretched = header.sectionSize(header.count() - 1)
    assert header.length() <= page.table.viewport().width()
    assert stretched >= page.table.sizeHintForColumn(header.count() - 1)
    assert not page.table.horizontalScrollBar().isVisible()
    page.table.sortByColumn(6, Qt.AscendingOrder)
    page.problem.setCurrentIndex(page.problem.findData("disbursement"))
    assert all(row.behind for row in page.model.rows)
    assert len(page.chart.rows) == len(page.model.rows) and page.chart.height() > 100
    page.problem.setCurrentIndex(0)
    qtbot.keyClicks(page.search, "dak la")
    assert [r.unit_id for r in page.model.rows] == ["23524"]
    page.search.clear()
    _grab(parent_window, "board", tmp_path)
    # a child's records, read-only; its difficulty is answered from there
    shown = {}
    monkeypatch.setattr(parent_dialogs.ChildDetailDialog, "show_for",
                        classmethod(lambda cls, parent, detail, **o: shown.update(
                            detail=detail, on_answer=o.get("on_answer"))))
    unit = next(r.unit_id for r in page.model.rows if r.difficulties_unanswered)
    page.select_child(unit)
    qtbot.keyClick(page.table, Qt.Key_Return)
    detail = shown["detail"]
    assert detail.unit_id == unit and detail.tasks and detail.lines
    dialog = parent_dialogs.ChildDetailDialog(page, detail, on_answer=lambda d: None)
    assert dialog.tasks.editTriggers() == dialog.tasks.EditTrigger.NoEditTriggers
    assert dialog.tabs.count() == 5  # tasks, capital, dossiers, difficulties, activities
    assert dialog.activities.rowCount() == len(detail.activities) > 0
    open_item = next(d for d in detail.difficulties if not d.answered
                     and d.status != "resolved")
    monkeypatch.setattr(parent_dialogs.AnswerDialog, "ask", saving(
        lambda cls, parent, **o: {"content": "Huyện sẽ hướng dẫn trong tuần.",
                                  "document_ref": "Công văn số 5/UBND",
                                  "answered_on": dt.date(2023, 10, 16)}))
    shown["on_answer"](open_item)
    answered = difficulties.get_difficulty(parent_window.workspace, open_item.id)
    assert answered.status == "answered" and answered.answers[0].document_ref == \
        "Công văn số 5/UBND"
    # the consolidated report from the page
    target = tmp_path / "bao-cao.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    qtbot.mouseClick(page.export_pdf, Qt.LeftButton)
    assert target.exists() and target.read_bytes().startswith(b"%PDF")


def test_sending_down_from_the_page(parent_window, monkeypatch, tmp_path):
    page = _page(parent_window, "children")
    sent = page.sent
    page.tabs.setCurrentWidget(sent)
    before = sent.table.rowCount()
    monkeypatch.setattr(parent_dialogs.AssignTasksDialog, "ask", saving(
        lambda cls, parent, **o: {"children": ["23524", "23512"], "doc_type": "Kế hoạch",
                                  "number_symbol": "99/KH-UBND",
                                  "issued_on": dt.date(2023, 10, 16),
                                  "title": "Tổng kết năm 2023", "summary": "",
                                  "tasks": [("Gửi báo cáo tổng kết", "15/12/2023"),
                                            ("Dự kiến kế hoạch năm 2024", "")]}))
    sent.assign_tasks()
    assert "Đã giao cho 2 đơn vị cấp dưới" in page.message.text()
    assert sent.table.rowCount() == before + 1
    assert any("Tổng kết năm 2023" in sent.table.item(r, 1).text()
               for r in range(sent.table.rowCount()))
    monkeypatch.setattr(parent_dialogs.AssignCapitalDialog, "ask", saving(
        lambda cls, parent, **o: {"amounts": {"23524": 250_000_000}, "year": 2023,
                                  "program_id": "2021-2025/GNBV", "capital_kind": "SN",
                                  "source": "NSTW", "decision_number": "300/QĐ-UBND",
                                  "decision_date": dt.date(2023, 10, 16)}))
    sent.assign_capital()
    assert "Đã giao 1 dòng kế hoạch vốn" in page.message.text()
    page_file = tmp_path / "general.v3.yaml"
    from ctmtqg_desktop.resource_paths import resource_path

    page_file.write_text(resource_path("handbook", "general.yaml").read_text(encoding="utf-8")
                         .replace("version: 1", "version: 3", 1), encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(page_file), ""))
    monkeypatch.setattr(parent_dialogs.SendDocumentDialog, "ask",
                        classmethod(lambda cls, parent, **o: []))
    sent.send_document("handbook_page")
    assert "general@3" in page.message.text()
    kinds = [sent.table.item(r, 0).text() for r in range(sent.table.rowCount())]
    assert "Trang sổ tay hướng dẫn" in kinds and "Giao kế hoạch vốn" in kinds
    row = next(r for r in range(sent.table.rowCount())
               if sent.table.item(r, 0).text() == "Trang sổ tay hướng dẫn")
    sent.table.selectRow(row)
    assert "Chưa xác nhận" in sent.detail.toPlainText()
    _grab(parent_window, "sent-down", tmp_path)


def test_the_dialogs_return_plain_values(qtbot, parent_window):
    children = [("23524", "Xã Đắk La"), ("23521", "Xã Hà Mòn")]
    dialog = parent_dialogs.AssignTasksDialog(parent_window, children=children,
                                              today=dt.date(2023, 10, 16))
    qtbot.addWidget(dialog)
    dialog.title.setText("Rà soát hộ nghèo")
    dialog.tasks.item(0, 0).setText("Lập danh sách")
    dialog.tasks.item(0, 1).setText("30/11/2023")
    dialog.accept()
    assert dialog.error.text() == "Hãy chọn ít nhất một đơn vị cấp dưới."
    dialog.picker.set_checked(["23521"])
    dialog.tasks.item(1, 1).setText("31/02/2023")
    dialog.tasks.item(1, 0).setText("Báo cáo")
    dialog.accept()
    assert "31/02/2023" in dialog.error.text()
    values = dialog.values()
    assert values["children"] == ["23521"] and values["tasks"][0] == ("Lập danh sách",
                                                                      "30/11/2023")
    from ctmtqg_desktop.services import catalog

    workspace = parent_window.workspace
    money = parent_dialogs.AssignCapitalDialog(
        parent_window, children=children, programs=catalog.programs(workspace),
        kinds=catalog.capital_kinds(workspace), sources=catalog.capital_sources(workspace),
        year=2023, today=dt.date(2023, 10, 16))
    qtbot.addWidget(money)
    money.editors["23524"].setText("1.500.000.000")
    money.editors["23521"].setText("12,5")
    money.accept()
    assert "12,5" in money.error.text()
    money.editors["23521"].setText("")
    assert money.values()["amounts"] == {"23524": 1_500_000_000}
    assert "1.500.000.000 đồng" in money.total.text()
    answer = parent_dialogs.AnswerDialog(parent_window, unit_name="Xã Đắk La", title="Thiếu vốn",
                                         content="…", proposal="", today=dt.date(2023, 10, 16))
    qtbot.addWidget(answer)
    answer.accept()
    assert answer.error.text() == "Hãy ghi nội dung trả lời."


def test_the_difficulties_page_answers_a_childs_difficulty(parent_window, monkeypatch):
    page = _page(parent_window, "difficulties")
    assert page.answer_button.isVisible()
    assert "đơn vị cấp dưới" in page.subtitle.text()
    waiting = next(r for r, item in enumerate(page.model.items)
                   if item.status in ("new", "sent"))
    page.table.selectRow(waiting)
    item = page.current_item()
    assert page.answer_button.isEnabled() and not page.resolve_button.isEnabled()
    monkeypatch.setattr(parent_dialogs.AnswerDialog, "ask", saving(
        lambda cls, parent, **o: {"content": "Thực hiện theo hướng dẫn của tỉnh.",
                                  "document_ref": "", "answered_on": dt.date(2023, 10, 16)}))
    page.answer()
    assert difficulties.get_difficulty(parent_window.workspace, item.id).status == "answered"
    row = next(r for r, i in enumerate(page.model.items) if i.id == item.id)
    page.table.selectRow(row)
    assert not page.answer_button.isEnabled()


def test_the_reorganisation_tab_applies_the_merge(qtbot, new_workspace, monkeypatch):
    province = new_workspace(unit="62", role="parent", name="Sở Kế hoạch và Đầu tư")
    set_today(province, dt.date(2025, 7, 15))
    window = open_window(qtbot, province)
    page = _page(window, "children")
    tab = page.reorganise
    page.tabs.setCurrentWidget(tab)
    # 96 new units, each from a merger (40 of Kon Tum, 56 of old Quảng Ngãi), and the province
    assert tab.table.rowCount() == 97 and tab.apply_button.isEnabled()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.Yes)
    qtbot.mouseClick(tab.apply_button, Qt.LeftButton)
    assert "97" in page.message.text() and "đơn vị mới" in page.message.text()
    assert province.installation().unit_id == "51@2025-07-01"
    assert page.children.model.rowCount() == 96  # every unit of Quảng Ngãi
    assert not tab.apply_button.isEnabled()
    assert parent_dispatch.sent_items(province) == []


def test_a_template_waiting_for_an_update_says_so_on_the_sent_tab(parent_window):
    """A template held back from children whose application is older names them."""
    from ctmtqg_desktop.services.parent._dispatch import SentItem

    page = _page(parent_window, "children")
    sent = page.sent
    page.tabs.setCurrentWidget(sent)
    sent.show_items([SentItem("reference:1", "template", "Bộ hồ sơ mẫu (x@3)", None,
                              ("23524", "23512"), (), ("23524",))])
    sent.show_item(0)
    text = " ".join(sent.detail.toPlainText().split())
    assert "Chờ cập nhật ứng dụng: Xã Đắk La." in text, text


def test_the_parents_navigation_has_no_carry_over_page(parent_window):
    """Carrying a predecessor's work into 2026 is a merged commune's step (issue 13): a
    parent unit's window neither lists the page nor shows its overview card."""
    labels = [parent_window.nav.item(i).text() for i in range(parent_window.nav.count())
              if not parent_window.nav.isRowHidden(i)]
    assert "Chuyển tiếp" not in labels and "Bảng theo dõi" in labels
    from ctmtqg_desktop.services.history._overview import carry_section

    assert carry_section(parent_window.workspace) is None
