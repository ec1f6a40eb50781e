"""Issue 13 on screen, households: Xã Đăk Hà (23500@2025-07-01, the 2026 demo) sees its
predecessors' households on the households tab when it ticks "Hộ của đơn vị trước sắp
xếp", labelled with the old unit; one opens read-only in the side panel with the history
sentence; the unit's own household stays editable. A unit that was not merged has no box."""


from ctmtqg_desktop.domain.text import fold
from ctmtqg_desktop.services import households
from tests.gui.conftest import type_text


def _households_tab(window):
    window.show_area("dossiers")
    page = window.current_page()
    page.tabs.setCurrentWidget(page.households)
    return page.households


def _rows(tab):
    return [tab.model.row_object(r) for r in range(tab.model.rowCount())]


def test_the_households_tab_shows_the_predecessors_households_read_only(dak_ha_window, qtbot):
    tab = _households_tab(dak_ha_window)
    assert tab.history.isVisible() and "Xã Đắk La" in tab.history.toolTip()
    assert tab.history.text() == "Hộ của đơn vị trước sắp xếp"
    own = tab.model.rowCount()
    assert own and not any(r.history_of for r in _rows(tab))
    tab.history.setChecked(True)
    rows = _rows(tab)
    old = [r for r in rows if r.history_of]
    assert len(rows) == own + len(old) and old
    row = rows.index(old[0])
    shown = tab.model.data(tab.model.index(row, 0))
    assert shown == f"{old[0].head_name} — {old[0].history_of} (trước sắp xếp)"
    tab.table.selectRow(row)
    assert tab.current_id == old[0].id and tab.head.text() == old[0].head_name
    assert tab.head.isReadOnly() and tab.id_number.isReadOnly()
    assert not tab.save_button.isEnabled() and not tab.delete_button.isEnabled()
    assert not tab.add_support_button.isEnabled() and not tab.poverty.isEnabled()
    assert f"Lịch sử của {old[0].history_of} trước sắp xếp" in tab.message.text()
    # its thôn (a predecessor's) is shown, labelled, not one of today's choices
    assert tab.village_edit.currentText() == \
        f"{old[0].village_name} — {old[0].history_of} (trước sắp xếp)"
    tab.save()  # even if asked, nothing changes: the service refuses
    assert households.get_household(tab.page.workspace, old[0].id).head_name == \
        old[0].head_name
    tab.table.selectRow(0)  # the unit's own household: editable again
    assert tab.save_button.isEnabled() and not tab.head.isReadOnly()
    assert "trước sắp xếp" not in tab.message.text()
    assert not any(tab.village_edit.itemText(i).endswith("(trước sắp xếp)")
                   for i in range(tab.village_edit.count()))
    # the search ignores diacritics with the history shown too
    type_text(qtbot, tab.search, fold(old[0].head_name))
    assert old[0].id in [r.id for r in _rows(tab)]
    tab.history.setChecked(False)
    assert old[0].id not in [r.id for r in _rows(tab)]


def test_a_unit_that_was_not_merged_has_no_history_box(window):
    tab = _households_tab(window)
    assert not tab.history.isVisible() and tab.model.rowCount()
