"""The parent's desk: the Khó khăn list names the child unit of every item and filters by
unit; the detail says which commune raised it."""

import datetime as dt

import pytest
from sqlalchemy import update

from ctmtqg_desktop.gui.background import TaskRunner
from ctmtqg_desktop.gui.main_window import MainWindow
from ctmtqg_desktop.store.models.identity import Installation
from ctmtqg_desktop.store.uow import UnitOfWork


@pytest.fixture
def district(new_workspace):
    from ctmtqg_desktop.services.parent import _demo as parent_demo

    workspace = new_workspace(unit="615", role="parent", name="Phòng TC-KH huyện Đắk Hà")
    with UnitOfWork(workspace) as uow:
        uow.session.execute(update(Installation).values(simulated_today=dt.date(2023, 10, 16)))
        uow.commit()
    workspace.installation(refresh=True)
    parent_demo.build(workspace, children=4, households=2, scale=0.3)
    return workspace


def test_the_parents_difficulties_have_a_unit_column_filter_and_detail(district, qtbot,
                                                                       styled_app):
    window = MainWindow(district, runner=TaskRunner(synchronous=True))
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    window.show_area("difficulties")
    page = window.current_page()
    model = page.model
    from PySide6.QtCore import Qt

    assert model.headerData(1, Qt.Horizontal) == "Đơn vị"
    assert model.rowCount() > 0
    units = {model.index(r, 1).data() for r in range(model.rowCount())}
    assert len(units) > 1 and all(u.startswith(("Xã", "Thị trấn")) for u in units)
    assert page.unit.isVisible() and page.unit.itemText(0) == "Mọi đơn vị"
    chosen = page.unit.itemText(1)
    page.unit.setCurrentIndex(1)
    assert model.rowCount() > 0
    assert {model.index(r, 1).data() for r in range(model.rowCount())} == {chosen}
    page.table.selectRow(0)
    assert f"Đơn vị gửi: {chosen}" in page.detail.toPlainText()


def test_the_cli_lists_ids_that_send_answer_accepts(district, capsys):
    from ctmtqg_desktop.cli import main

    folder = str(district.folder)
    url = [] if district.uses_sqlite else ["--database-url", district.database_url]
    assert main(["difficulties", "list", "--workspace", folder, *url]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:3] == ["Mã", "Ngày", "Đơn"]
    first = lines[2].split()[0]
    assert len(first) == 8
    assert main(["send", "answer", first, "--content", "Đã chuyển Phòng NN xử lý.",
                 "--workspace", folder, *url]) == 0
    assert "Đã ghi câu trả lời" in capsys.readouterr().out
    from ctmtqg_desktop.services import catalog, difficulties

    owner = difficulties.list_difficulties(district)[-1].owner_unit_id
    name = catalog.get_unit(district, owner).title
    assert main(["difficulties", "list", "--unit", owner, "--workspace", folder, *url]) == 0
    rows = capsys.readouterr().out.splitlines()[2:]
    assert rows and all(name in row for row in rows)


def test_the_boards_compact_figures_have_a_legend(district, qtbot, styled_app):
    from PySide6.QtCore import Qt

    window = MainWindow(district, runner=TaskRunner(synchronous=True))
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    window.show_area("board")
    page = window.current_page()
    assert "2 (1)" in page.legend.text() and "0/5" in page.legend.text()
    assert page.legend.isVisible()
    model = page.model
    titles = [model.headerData(c, Qt.Horizontal) for c in range(model.columnCount())]
    tips = {t: model.headerData(c, Qt.Horizontal, Qt.ToolTipRole) for c, t in enumerate(titles)}
    assert "2 (1)" in tips["Khó khăn"]
    tasks = titles.index("Nhiệm vụ xong") if "Nhiệm vụ xong" in titles else 1
    assert "0/5" in tips[titles[tasks]]
    assert model.index(0, tasks).data(Qt.ToolTipRole).startswith("Đã xong")
