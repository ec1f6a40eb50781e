"""Issue 13, "History follows the merge", in the 2026 commune demo: Xã Đăk Hà
(23500@2025-07-01) holds its predecessors' 2024-2025 records (thị trấn Đắk Hà, xã Hà Mòn,
xã Đắk La), owned by the old units: the lists and reports of those years show them labelled
with the old unit, no edit reaches them, and they never travel up again."""

import datetime as dt

import pytest
from sqlalchemy import func, select

from ctmtqg_desktop.domain.errors import UserError
from ctmtqg_desktop.services import capital, parent, sync
from ctmtqg_desktop.services.capital import _status as capital_status
from ctmtqg_desktop.store.models.capital import CapitalLine
from ctmtqg_desktop.store.uow import UnitOfWork
from tests.dak_ha import NEW, build_dak_ha

OLD_NAMES = {"Thị trấn Đắk Hà", "Xã Hà Mòn", "Xã Đắk La"}


@pytest.fixture
def dak_ha(tmp_path):
    province, commune = build_dak_ha(tmp_path)
    yield province, commune
    commune.dispose()
    province.dispose()


def test_the_2026_commune_sees_its_predecessors_history_labelled(dak_ha):
    _province, commune = dak_ha
    with UnitOfWork.read(commune) as session:
        titles = capital.predecessor_titles(session, NEW)
    assert set(titles.values()) == OLD_NAMES
    for year in (2024, 2025):
        lines = capital.list_lines(commune, year=year)
        assert lines and {line.history_of for line in lines} == OLD_NAMES
        assert all(line.owner_unit_id in titles for line in lines)
        assert all(line.history_of in line.label and "trước sắp xếp" in line.label
                   for line in lines)
        summary = capital_status.year_summary(commune, year)
        assert summary.total.assigned == sum(line.figures.assigned for line in lines) > 0
    own = capital.list_lines(commune, year=2026)
    assert own and all(line.history_of == "" and line.owner_unit_id == NEW for line in own)


def test_the_predecessors_records_are_read_only(dak_ha):
    _province, commune = dak_ha
    old_line = capital.list_lines(commune, year=2024)[0]
    assert capital.get_line(commune, old_line.id).history_of  # shown, not editable
    with pytest.raises(UserError):
        capital.delete_line(commune, old_line.id)
    with pytest.raises(UserError):
        capital.save_line(commune, line_id=old_line.id, year=old_line.year,
                          program_id=old_line.program_id, capital_kind=old_line.capital_kind,
                          source=old_line.source, amount=old_line.amount + 1)
    assert capital.get_line(commune, old_line.id).amount == old_line.amount


def test_the_history_never_goes_up_again(dak_ha, tmp_path):
    province, commune = dak_ha
    package = sync.export_package(commune, tmp_path / "usb").path
    (outcome,) = sync.import_packages(province, [package]).files
    assert outcome.outcome == "applied", outcome.message
    with UnitOfWork.read(province) as session:
        owners = dict(session.execute(select(CapitalLine.owner_unit_id, func.count())
                                      .group_by(CapitalLine.owner_unit_id)).all())
    assert owners.get(NEW) and not set(owners) & {"23500", "23521", "23524"}
    assert parent.compute(province, on=dt.date(2026, 11, 20)).row(NEW).assigned > 0
