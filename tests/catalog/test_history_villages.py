"""Issue 13, "History follows the merge", for villages: Xã Đăk Hà (23500@2025-07-01) lists
its predecessors' thôn when asked, labelled with the old unit ("— Xã Đắk La (trước sắp
xếp)"), read-only with the history sentence; the villages report of a year before the
merger lists them, that of 2026 only the unit's own."""

import pytest
from openpyxl import load_workbook

from ctmtqg_desktop.services import catalog, report_catalog, villages
from tests.dak_ha import OLD_UNITS, build_dak_ha

OLD = OLD_UNITS


@pytest.fixture(scope="module")
def dak_ha(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("villages")
    province, commune = build_dak_ha(tmp_path, households=5)
    province.dispose()
    yield commune, tmp_path
    commune.dispose()


def test_the_predecessors_villages_are_listed_when_asked_labelled(dak_ha):
    commune, _tmp = dak_ha
    assert catalog.history_units(commune) == OLD
    own = villages.list_villages(commune)
    both = villages.list_villages(commune, history=True)
    old = [v for v in both if v.history_of]
    assert own and not any(v.history_of for v in own)
    assert {v.owner_unit_id for v in old} == set(OLD)
    assert {v.history_of for v in old} == set(OLD.values())
    assert len(both) == len(own) + len(old)
    assert both[:len(own)] == own  # the unit's own first, then the history
    assert all(v.label == f"{v.name} — {v.history_of} (trước sắp xếp)" for v in old)
    assert all(v.label == v.name for v in own)


def test_a_predecessors_village_is_read_only_with_the_history_sentence(dak_ha):
    commune, _tmp = dak_ha
    old = next(v for v in villages.list_villages(commune, history=True) if v.history_of)
    with pytest.raises(catalog.HistoryReadOnly) as refused:
        villages.save_village(commune, village_id=old.id, name=old.name + " mới",
                              households=old.households + 1)
    assert f"{old.history_of} trước sắp xếp" in refused.value.message()
    with pytest.raises(catalog.HistoryReadOnly):
        villages.delete_village(commune, old.id)
    assert old in villages.list_villages(commune, history=True)  # nothing changed


def _names(path) -> set[str]:
    return {str(c.value) for row in load_workbook(path).active.iter_rows() for c in row
            if c.value}


def test_the_villages_report_of_a_year_before_the_merger_lists_the_predecessors(dak_ha):
    commune, tmp_path = dak_ha
    old = [v for v in villages.list_villages(commune, history=True) if v.history_of]
    own = villages.list_villages(commune)
    out = report_catalog.build_report(commune, "villages", "xlsx", tmp_path / "thon-2024.xlsx",
                                      report_catalog.ReportOptions(year=2024))
    cells = _names(out)
    assert {v.label for v in old} <= cells and {v.name for v in own} <= cells
    later = _names(report_catalog.build_report(commune, "villages", "xlsx",
                                               tmp_path / "thon-2026.xlsx",
                                               report_catalog.ReportOptions(year=2026)))
    assert {v.name for v in own} <= later
    assert not any("trước sắp xếp" in cell for cell in later)
