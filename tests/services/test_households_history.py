"""Issue 13, "History follows the merge", for households: Xã Đăk Hà (23500@2025-07-01)
lists its predecessors' households and their supports when asked, labelled with the old
unit ("— Xã Đắk La (trước sắp xếp)"), read-only with the history sentence; the export and
the households report of a year before the merger include them, that of 2026 does not."""

import datetime as dt
import random
import uuid

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from ctmtqg_desktop.domain.text import fold
from ctmtqg_desktop.services import catalog, households, report_catalog
from ctmtqg_desktop.services.parent._demo import Stamper
from ctmtqg_desktop.store.models.dossiers import Household, HouseholdSupport
from ctmtqg_desktop.store.models.projects import Project
from ctmtqg_desktop.store.uow import UnitOfWork
from tests.dak_ha import NEW, OLD_UNITS, build_dak_ha

OLD = OLD_UNITS


@pytest.fixture(scope="module")
def dak_ha(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("households")
    province, commune = build_dak_ha(tmp_path, households=5)
    province.dispose()
    # a 2024 support of Xã Đắk La's household, as the old unit's installation wrote it
    with UnitOfWork(commune) as uow:
        household = uow.session.scalars(select(Household).where(
            Household.owner_unit_id == "23524").order_by(Household.id)).first()
        project = uow.session.scalars(select(Project).where(
            Project.owner_unit_id == "23524").order_by(Project.id)).first()
        stamp = Stamper(uuid.uuid4(), "23524", dt.datetime(2024, 10, 1, 9), random.Random(1))
        uow.session.add(stamp(HouseholdSupport(
            household_id=household.id, project_id=project.id, content="seedlings",
            amount=4_500_000, received_on=dt.date(2024, 9, 30), note="")))
        uow.commit()
    yield commune, tmp_path
    commune.dispose()


def _old(commune):
    return [r for r in households.list_households(commune, history=True) if r.history_of]


def test_the_predecessors_households_are_listed_when_asked_labelled(dak_ha):
    commune, _tmp = dak_ha
    assert catalog.history_units(commune) == OLD
    own = households.list_households(commune)
    both = households.list_households(commune, history=True)
    old = [r for r in both if r.history_of]
    assert own and not any(r.history_of for r in own)
    assert {r.owner_unit_id for r in own} == {NEW}
    assert {r.owner_unit_id for r in old} == set(OLD)
    assert {r.history_of for r in old} == set(OLD.values())
    assert len(both) == len(own) + len(old)
    assert both[:len(own)] == own  # the unit's own first, then the history
    assert all(r.label == f"{r.head_name} — {r.history_of} (trước sắp xếp)" for r in old)
    assert all(r.label == r.head_name for r in own)
    # the query key does the same (the page's lazy list passes its query)
    assert households.household_ids(commune, {"history": True}) == [r.id for r in both]
    # their supports of 2024 are seen, with the household
    supported = next(r for r in old if r.supports)
    assert supported.owner_unit_id == "23524" and supported.support_total == 4_500_000
    assert [s.amount for s in households.household_supports(commune, supported.id)] == \
        [4_500_000]


def test_search_without_diacritics_finds_a_predecessors_household(dak_ha):
    commune, _tmp = dak_ha
    target = _old(commune)[0]
    words = fold(target.head_name)  # "Nguyễn Văn Ân" is found by "nguyen van an"
    assert words != target.head_name
    found = households.list_households(commune, {"text": words}, history=True)
    assert target.id in [r.id for r in found]
    assert target.id not in [r.id for r in households.list_households(commune,
                                                                       {"text": words})]


def test_a_predecessors_household_is_read_only_with_the_history_sentence(dak_ha):
    commune, _tmp = dak_ha
    before = _old(commune)
    old = next(r for r in before if r.supports)
    with pytest.raises(catalog.HistoryReadOnly) as refused:
        households.save_household(commune, household_id=old.id, head_name=old.head_name + " B",
                                  village_id=old.village_id, poverty_status="none")
    assert f"{old.history_of} trước sắp xếp" in refused.value.message()
    assert old.head_name in refused.value.message()
    with pytest.raises(catalog.HistoryReadOnly):
        households.delete_household(commune, old.id)
    own_project = next(p for p in households.support_contents())  # any content
    with UnitOfWork.read(commune) as session:
        project_id = session.scalars(select(Project.id).where(
            Project.owner_unit_id == NEW)).first()
    with pytest.raises(catalog.HistoryReadOnly):
        households.add_support(commune, household_id=old.id, project_id=project_id,
                               content=own_project.code, amount=1)
    support = households.household_supports(commune, old.id)[0]
    with pytest.raises(catalog.HistoryReadOnly):
        households.remove_support(commune, support.id)
    assert _old(commune) == before  # nothing changed
    assert households.household_supports(commune, old.id) == [support]


def _cells(path, sheet=0) -> set[str]:
    book = load_workbook(path)
    return {str(c.value) for row in book.worksheets[sheet].iter_rows() for c in row if c.value}


def test_the_export_with_history_names_the_old_unit(dak_ha):
    commune, tmp_path = dak_ha
    old = _old(commune)
    own = households.list_households(commune)
    out = households.export_households(commune, tmp_path / "ho.xlsx", history=True)
    cells = _cells(out)
    assert {r.label for r in old} <= cells and {r.head_name for r in own} <= cells
    supported = next(r for r in old if r.supports)
    assert supported.label in _cells(out, 1)  # its support, on the support sheet
    plain = _cells(households.export_households(commune, tmp_path / "ho-2.xlsx"))
    assert not any("trước sắp xếp" in cell for cell in plain)


def test_the_households_report_of_2025_lists_the_predecessors_not_that_of_2026(dak_ha):
    commune, tmp_path = dak_ha
    old = _old(commune)
    own = households.list_households(commune)
    cells = _cells(report_catalog.build_report(commune, "households", "xlsx",
                                               tmp_path / "ho-2025.xlsx",
                                               report_catalog.ReportOptions(year=2025)))
    assert {r.label for r in old} <= cells and {r.head_name for r in own} <= cells
    later = _cells(report_catalog.build_report(commune, "households", "xlsx",
                                               tmp_path / "ho-2026.xlsx",
                                               report_catalog.ReportOptions(year=2026)))
    assert {r.head_name for r in own} <= later
    assert not any("trước sắp xếp" in cell for cell in later)


def test_the_command_line_lists_and_exports_the_history_when_asked(dak_ha, capsys):
    from ctmtqg_desktop.cli import main

    commune, tmp_path = dak_ha
    old = _old(commune)
    folder = str(commune.folder)
    assert main(["households", "list", "--workspace", folder]) == 0
    assert "trước sắp xếp" not in capsys.readouterr().out
    assert main(["households", "list", "--history", "--workspace", folder]) == 0
    listed = capsys.readouterr().out
    assert all(r.history_of in listed for r in old) and "(trước sắp xếp)" in listed
    out = tmp_path / "ho-cli.xlsx"
    assert main(["households", "export-xlsx", "--history", "--out", str(out),
                 "--workspace", folder]) == 0
    assert {r.label for r in old} <= _cells(out)


def test_a_predecessors_household_supported_twice_is_flagged_in_the_history(dak_ha):
    commune, _tmp = dak_ha
    with UnitOfWork(commune) as uow:
        household = uow.session.scalars(select(Household).where(
            Household.owner_unit_id == "23521").order_by(Household.id)).first()
        project = uow.session.scalars(select(Project).where(
            Project.owner_unit_id == "23521").order_by(Project.id)).first()
        stamp = Stamper(uuid.uuid4(), "23521", dt.datetime(2025, 3, 1, 9), random.Random(2))
        for day in (dt.date(2024, 5, 2), dt.date(2025, 2, 20)):  # housing twice
            uow.session.add(stamp(HouseholdSupport(
                household_id=household.id, project_id=project.id, content="housing_new",
                amount=40_000_000, received_on=day, note="")))
        uow.commit()
        household_id = household.id
    flagged = households.list_households(commune, {"duplicates": True}, history=True)
    assert household_id in [r.id for r in flagged]
    assert household_id not in [r.id for r in households.list_households(
        commune, {"duplicates": True})]
    twice = households.duplicate_supports(commune, unit_id="23521")
    assert [d.household_id for d in twice] == [household_id]
