"""The "Dự án, công trình" page on the demo: the ranked portfolio (model tester), weights
that re-rank at once, overlap warnings where the user works, the project record saved with
Ctrl+S, scores, the what-if and its submission, the overlap review."""

from pypdf import PdfReader
from PySide6.QtCore import Qt

from ctmtqg_desktop.gui.pages.projects._dialogs import DecisionDialog, NotOverlapDialog
from ctmtqg_desktop.gui.pages.projects._page import ProjectsPage
from ctmtqg_desktop.services import projects
from ctmtqg_desktop.services.projects import _overlaps as overlaps
from ctmtqg_desktop.services.projects import _portfolio as portfolio


def open_projects(window) -> ProjectsPage:
    window.show_area("projects")
    page = window.current_page()
    assert isinstance(page, ProjectsPage) and page.loaded
    return page


def names(page) -> list[str]:
    return [page.model.row_object(r).name for r in range(page.model.rowCount())]


def select(page, name: str) -> None:
    page.view.selectRow(names(page).index(name))
    assert page.current.name == name


def test_portfolio_ranked_with_scores_passes_the_model_tester(window, qtmodeltester):
    page = open_projects(window)
    model = page.model
    assert model.rowCount() == 18
    qtmodeltester.check(model)
    assert model.data(model.index(0, 0)) == "1"
    assert model.data(model.index(0, 1)) == "Nhà văn hóa thôn 7"
    assert model.data(model.index(0, 7)) == "91,0"
    assert model.headerData(4, Qt.Horizontal) == "Khả thi"
    stalled = names(page).index("Hỗ trợ nhà ở cho hộ nghèo, hộ cận nghèo năm 2023")
    # stalled, and its households were also supported by the DTTS housing project
    assert model.data(model.index(stalled, 8)) == "chậm giải ngân\ntrùng lặp?"  # one a line
    assert model.data(model.index(stalled, 1), Qt.ForegroundRole).color().name() == "#b3261e"
    model.sort(7, Qt.AscendingOrder)
    assert model.row_object(0).priority <= model.row_object(1).priority
    qtmodeltester.check(model)


def test_changing_the_weights_changes_the_rank(window, demo_workspace):
    page = open_projects(window)
    assert names(page)[0] == "Nhà văn hóa thôn 7"
    for dim, value in (("feasibility", 0), ("disbursement", 0)):
        page.weight_edits[dim].setValue(value)
    effectiveness_first = names(page)[0]
    assert effectiveness_first != "Nhà văn hóa thôn 7"
    best = max((r for r in page.rows if r.rank), key=lambda r: r.scores["effectiveness"])
    assert effectiveness_first == best.name and page.model.row_object(0).rank == 1
    page.save_weights_button.click()
    assert portfolio.get_weights(demo_workspace) == {"feasibility": 0, "effectiveness": 30,
                                                     "disbursement": 0}


def test_filters_and_search_without_diacritics(window, qtbot):
    page = open_projects(window)
    qtbot.keyClick(window, Qt.Key_F, Qt.ControlModifier)
    assert page.search.hasFocus()
    qtbot.keyClicks(page.search, "kon gung")
    assert sorted(names(page)) == ["Hỗ trợ nhà ở cho hộ nghèo đồng bào dân tộc thiểu số làng "
                                   "Kon Gung", "Hỗ trợ nhà ở hộ nghèo làng Kon Gung",
                                   "Nước sinh hoạt tập trung làng Kon Gung"]
    page.search.clear()
    page.only_warnings.setChecked(True)
    assert all(page.model.row_object(r).state != "normal"
               for r in range(page.model.rowCount()))
    page.only_warnings.setChecked(False)
    page.program.setCurrentIndex(page.program.findText("CTMTQG GNBV"))
    assert {page.model.row_object(r).program_label for r in range(page.model.rowCount())} == \
        {"CTMTQG GNBV"}


def test_overlap_warning_shows_on_the_project(window, monkeypatch):
    page = open_projects(window)
    select(page, "Bê tông hóa đường giao thông nội làng Kon Mong Tu")
    assert page.overlap_notice.isVisibleTo(page)
    assert "Đường giao thông nội làng Kon Mong Tu (CTMTQG DTTS&MN)" in \
        page.overlap_notice.text()
    assert page.project_flags.rowCount() == 1
    assert page.project_flags.item(0, 2).text() == "chưa rà soát"
    reason = "Đường NTM là đoạn nối từ trục chính vào làng; đường DTTS là đường nội làng."
    monkeypatch.setattr(NotOverlapDialog, "ask",
                        classmethod(lambda cls, parent, **kw: {"reason": reason}))
    page.not_overlap_button.click()
    assert page.message.text() == "Đã ghi nhận: hai dự án không trùng lặp."
    select(page, "Bê tông hóa đường giao thông nội làng Kon Mong Tu")
    assert not page.overlap_notice.isVisibleTo(page)
    assert page.project_flags.item(0, 2).text().startswith("không trùng lặp: Đường NTM")
    page.reopen_button.click()
    select(page, "Bê tông hóa đường giao thông nội làng Kon Mong Tu")
    assert page.overlap_notice.isVisibleTo(page)


def test_the_project_record_is_saved_with_ctrl_s(window, qtbot, demo_workspace):
    page = open_projects(window)
    select(page, "Kiên cố hóa kênh mương nội đồng thôn 2")
    form = page.form
    assert form.village.currentText() == "Thôn 2"
    form.approval_number.setText("230/QĐ-UBND")
    form.approval_date.setText("12/10/2023")
    form.stage.setCurrentIndex(form.stage.findData("implementation"))
    qtbot.keyClick(window, Qt.Key_S, Qt.ControlModifier)
    assert page.message.text() == "Đã lưu dự án."
    saved = projects.get_project(demo_workspace, page.current.id)
    assert (saved.approval_number, saved.approval_date.isoformat(), saved.stage) == (
        "230/QĐ-UBND", "2023-10-12", "implementation")
    row = portfolio.get_row(demo_workspace, saved.id)
    approved = next(c for c in row.criteria if c.code == "approved")
    assert approved.points == 30
    form.approval_date.setText("31/02/2023")
    qtbot.keyClick(window, Qt.Key_S, Qt.ControlModifier)
    assert "31/02/2023" in page.message.text()
    assert projects.get_project(demo_workspace, saved.id).approval_date.isoformat() == \
        "2023-10-12"


def test_scores_and_funding_are_edited_beside_the_list(window, demo_workspace):
    page = open_projects(window)
    select(page, "Kiên cố hóa kênh mương nội đồng thôn 2")
    page.score_edits["site_ready"].setValue(20)
    page.save_scores_button.click()
    assert page.message.text() == "Đã lưu điểm."
    row = portfolio.get_row(demo_workspace, page.current.id)
    assert next(c for c in row.criteria if c.code == "site_ready").points == 20
    page.funding_edits["NSTW"].setText("950.000.000")
    page.save_funding_button.click()
    assert portfolio.get_row(demo_workspace, page.current.id).funding["NSTW"] == 950_000_000
    page.funding_edits["NSTW"].setText("9,5")
    page.save_funding_button.click()
    assert "9,5" in page.message.text()


def test_what_if_and_the_submission(window, tmp_path, monkeypatch, demo_workspace):
    page = open_projects(window)
    page.tabs.setCurrentIndex(1)
    what_if = page.what_if
    assert what_if.moves.rowCount() == 4
    assert what_if.moves.item(0, 4).text() == "250.000.000"
    assert "500.000.000 đồng" in what_if.total.text() and "Năm trăm triệu đồng" in \
        what_if.total.text()
    what_if.moves.item(0, 4).setText("200.000.000")  # the user edits an amount
    assert "450.000.000 đồng" in what_if.total.text()
    what_if.moves.item(0, 4).setText("999.000.000")
    assert "vượt" in page.message.text() and what_if.moves.item(0, 4).text() == "200.000.000"
    target = tmp_path / "to-trinh.pdf"
    what_if.write(target, "pdf")
    text = " ".join("\n".join(p.extract_text() for p in PdfReader(str(target)).pages).split())
    assert "TỜ TRÌNH" in text and "450.000.000" in text and "200.000.000" in text
    monkeypatch.setattr(DecisionDialog, "ask", classmethod(
        lambda cls, parent, **kw: {"decision_number": "245/QĐ-UBND",
                                   "decision_date": demo_workspace.today()}))
    what_if.apply_button.click()
    assert page.message.text().startswith("Đã ghi 4 khoản điều chuyển theo Quyết định số "
                                          "245/QĐ-UBND")


def test_the_overlap_review_tab(window, monkeypatch, demo_workspace):
    page = open_projects(window)
    page.tabs.setCurrentIndex(2)
    tab = page.overlap_tab
    assert tab.table.rowCount() == 4
    tab.only_open.setChecked(True)
    assert tab.table.rowCount() == 3
    monkeypatch.setattr(NotOverlapDialog, "ask", classmethod(
        lambda cls, parent, **kw: {"reason": "Hai danh sách hộ khác nhau, đã đối chiếu."}))
    tab.table.selectRow(0)
    tab.review_button.click()
    assert tab.table.rowCount() == 2
    assert sum(f.is_open for f in overlaps.detect(demo_workspace)) == 2
