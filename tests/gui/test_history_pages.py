"""Issue 13 on screen: Xã Đăk Hà (23500@2025-07-01, the 2026 demo) sees its predecessors'
projects in the portfolio of 2024 and their tasks when it asks, labelled with the old unit
and read-only; 2026 shows its own work only."""


from ctmtqg_desktop.gui.widgets import select_data


def test_the_tasks_page_shows_the_predecessors_tasks_when_asked(dak_ha_window):
    window = dak_ha_window
    window.show_area("tasks")
    page = window.current_page()
    assert page.loaded and page.history.isVisible()
    assert "Xã Đắk La" in page.history.toolTip()
    own = page.model.rowCount()
    assert own and not any(page.model.row_object(r).history_of for r in range(own))
    page.history.setChecked(True)
    rows = [page.model.row_object(r) for r in range(page.model.rowCount())]
    old = [r for r in rows if r.history_of]
    assert len(rows) > own and old
    assert all(r.text.endswith("(trước sắp xếp)") and r.state == "normal" for r in old)
    row = rows.index(old[0])
    page.table.selectRow(row)
    assert page.current.task.id == old[0].id
    assert not page.progress.isEnabled() and not page.edit_button.isEnabled()
    text = page.detail.toPlainText()
    assert f"Lịch sử của {old[0].history_of} trước sắp xếp" in text and "Quá hạn" not in text


def test_the_portfolio_of_2024_lists_the_predecessors_projects(dak_ha_window):
    window = dak_ha_window
    window.show_area("projects")
    page = window.current_page()
    assert page.loaded
    assert page.year.findData(2024) >= 0  # the predecessors' years are offered
    assert not any(page.model.row_object(r).history_of for r in range(page.model.rowCount()))
    select_data(page.year, 2024)
    rows = [page.model.row_object(r) for r in range(page.model.rowCount())]
    old = [r for r in rows if r.history_of]
    assert old and all(r.name.endswith("(trước sắp xếp)") and r.rank is None for r in old)
    assert not any(r.stalled for r in old)  # history is not today's warning
    page.view.selectRow(rows.index(old[0]))
    assert page.current.id == old[0].id
    assert f"lịch sử của {old[0].history_of} trước sắp xếp" in page.detail_line.text()
    assert not page.form.save_button.isEnabled() and not page.save_scores_button.isEnabled()
    # its village is shown, labelled with the old unit (it is not one of the unit's own)
    placed = next(r for r in old if r.village_id is not None)
    page.view.selectRow(rows.index(placed))
    assert page.form.village.currentData() == placed.village_id
    assert page.form.village.currentText().endswith("(trước sắp xếp)")
    page.new_project()
    assert page.form.save_button.isEnabled()
    # a new project chooses among the unit's own villages only
    assert page.form.village.currentIndex() == 0 and not any(
        page.form.village.itemText(i).endswith("(trước sắp xếp)")
        for i in range(page.form.village.count()))


def test_the_villages_tab_shows_the_predecessors_villages_when_asked(dak_ha_window):
    window = dak_ha_window
    window.show_area("catalog")
    page = window.current_page()
    assert page.loaded
    page.tabs.setCurrentWidget(page.villages_tab)
    tab = page.villages_tab
    assert tab.history.isVisible() and "Xã Đắk La" in tab.history.toolTip()
    assert tab.history.text() == "Thôn của đơn vị trước sắp xếp"
    own = tab.table.rowCount()
    assert own and not any(v.history_of for v in tab.rows)
    tab.history.setChecked(True)
    old = [v for v in tab.rows if v.history_of]
    assert tab.table.rowCount() == len(tab.rows) > own and old
    row = tab.rows.index(old[0])
    assert tab.table.item(row, 0).text() == f"{old[0].name} — {old[0].history_of} (trước sắp xếp)"
    tab.table.selectRow(row)
    assert tab.current_id == old[0].id
    assert not tab.save_button.isEnabled() and not tab.delete_button.isEnabled()
    assert f"Lịch sử của {old[0].history_of} trước sắp xếp" in tab.message.text()
    tab.table.selectRow(0)  # the unit's own village: editable again
    assert tab.save_button.isEnabled() and tab.delete_button.isEnabled()
    tab.history.setChecked(False)
    assert tab.table.rowCount() == own


def test_the_dossiers_page_shows_the_predecessors_dossiers_when_asked(dak_ha_window, qtbot):
    window = dak_ha_window
    window.show_area("dossiers")
    page = window.current_page()
    screen = page.list_screen
    assert screen.history.isVisible() and "Xã Đắk La" in screen.history.toolTip()
    assert screen.history.text() == "Hồ sơ của đơn vị trước sắp xếp"
    own = screen.model.rowCount()
    assert own and not any(screen.model.row_object(r).history_of for r in range(own))
    screen.history.setChecked(True)
    rows = [screen.model.row_object(r) for r in range(screen.model.rowCount())]
    old = [r for r in rows if r.history_of]
    assert len(rows) == own + len(old) and old
    assert all(r.project_name.endswith(f"— {r.history_of} (trước sắp xếp)") for r in old)
    screen.table.selectRow(rows.index(old[0]))
    assert f"Lịch sử của {old[0].history_of} trước sắp xếp" in screen.summary_warnings.text()
    assert screen.model.data(screen.model.index(rows.index(old[0]), 5)) == "Lịch sử"
    screen.open_current()  # opens read-only: nothing to change, the service refuses too
    view = page.view
    assert page.dossier_stack.currentWidget() is view
    assert view.detail.summary.history_of == old[0].history_of and view.read_only()
    assert view.title.text() == old[0].project_name
    assert not view.stage_button.isEnabled() and not view.lock_button.isEnabled()
    view.tree.setCurrentItem(view.tree.topLevelItem(0).child(0))
    assert view.panel.locked and not view.panel.save_button.isEnabled()
    page.show_list()
    screen.history.setChecked(False)
    assert screen.model.rowCount() == own


def test_forms_of_2026_offer_the_merged_programme_and_keep_a_projects_own(dak_ha_window):
    """From 2026 the three programmes are one (Nghị quyết 257/2025/QH15): a capital line of
    2026 and a new project choose the 2026-2035 programme, a line of 2024 the three of
    2021-2025, and a 2026 project shows (and would save) its own programme, not the first
    of 2021-2025."""
    from ctmtqg_desktop.gui.pages.capital._dialogs import LineDialog

    merged = "2026-2035/NTM-GNBV-DTTS"
    window = dak_ha_window
    window.show_area("capital")
    capital_page = window.current_page()
    meta = capital_page.meta
    dialog = LineDialog(capital_page, programs=meta["programs"],
                        period_years=meta["period_years"], components=meta["components"],
                        kinds=meta["kinds"], sources=meta["sources"], year=2026,
                        today=meta["today"])
    offered = [dialog.program.itemData(i) for i in range(dialog.program.count())]
    assert offered == [merged]
    dialog.year.setValue(2024)
    offered = [dialog.program.itemData(i) for i in range(dialog.program.count())]
    assert merged not in offered and len(offered) == 3
    dialog.reject()

    window.show_area("projects")
    page = window.current_page()
    select_data(page.year, 2026)
    rows = [page.model.row_object(r) for r in range(page.model.rowCount())]
    mine = next(r for r in rows if not r.history_of)
    page.view.selectRow(rows.index(mine))
    assert page.current.id == mine.id
    assert page.form.program.currentData() == mine.program_id == merged
    page.new_project()
    assert page.form.program.currentData() == merged


def test_the_catalog_shows_the_new_rural_criteria_of_the_working_year(dak_ha_window):
    """In 2026 the criteria of a new-rural commune are QĐ 51/2025/QĐ-TTg's (10), not the 19
    of QĐ 318/QĐ-TTg for 2021-2025."""
    from ctmtqg_desktop.services import catalog

    window = dak_ha_window
    window.show_area("catalog")
    page = window.current_page()
    table = page.criteria_table
    shown = table.rowCount() if hasattr(table, "rowCount") else table.model().rowCount()
    expected = catalog.ntm_criteria(window.workspace, "2026-2035")
    assert shown == len(expected) == 10
    assert len(catalog.ntm_criteria(window.workspace, "2021-2025")) == 19
