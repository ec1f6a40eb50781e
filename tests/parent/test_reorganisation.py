"""Issue 7's merge test, on the catalog's own 2025 reorganisation: thị trấn Đắk Hà (23500),
xã Hà Mòn (23521) and xã Đắk La (23524) of huyện Đắk Hà become xã Đăk Hà (23500@2025-07-01)
of Quảng Ngãi province, and the province of Kon Tum (62) continues as Quảng Ngãi
(51@2025-07-01), its districts abolished.

The communes' history (2024 and the first half of 2025) travels up through the district to
the province by real packages. Before the merge the province's report shows the district
with the three communes' figures (and the district's own board shows the three); after it,
the province — moved to its successor — shows the new commune once, with its predecessors'
records of the year and its own, enrolled and reporting as the new unit; the district's
late history is still received."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from openpyxl import load_workbook

from ctmtqg_desktop.domain.errors import UserError
from ctmtqg_desktop.services import capital, projects, report_catalog
from ctmtqg_desktop.services.capital import _status as capital_status
from ctmtqg_desktop.services.parent import _board as parent_board
from ctmtqg_desktop.services.parent import _children as parent_children
from ctmtqg_desktop.services.parent import _demo as parent_demo
from ctmtqg_desktop.services.parent import _reorganisation as reorganisation
from ctmtqg_desktop.services.sync import _enrollment as enrollment
from ctmtqg_desktop.services.sync import _export as sync_export
from ctmtqg_desktop.services.sync import _import as sync_import
from ctmtqg_desktop.store.uow import UnitOfWork
from tests.parent.conftest import set_today

PROVINCE, DISTRICT = "62", "615"
OLD = ["23500@2024-01-01", "23521", "23524"]
OLD_KEYS = ["23500", "23521", "23524"]
NEW = "23500@2025-07-01"
QUANG_NGAI = "51@2025-07-01"


def history(workspace, day: dt.date, seed: str) -> None:
    """Demo-sized records of ``day``'s year, written on the commune's own computer."""
    templates = parent_demo.template_choices(workspace)
    with UnitOfWork(workspace) as uow:
        parent_demo.fill_child(uow.session, unit_id=workspace.installation().unit_id,
                               today=day, rng=random.Random(seed),
                               data=parent_demo.demo_data(), templates=templates,
                               households=2, scale=0.25)
        uow.commit()


def capital_of(workspace, year: int):
    return capital_status.year_summary(workspace, year).total


def relay(communes, district, province, folder) -> None:
    """Communes → district → province, as real packages."""
    for commune in communes:
        result = sync_export.export_package(commune, folder)
        assert sync_import.import_packages(district, [result.path]).files[0].ok
    up = sync_export.export_package(district, folder)
    outcome = sync_import.import_packages(province, [up.path]).files[0]
    assert outcome.ok, outcome.message


@pytest.fixture
def kon_tum(network, tmp_path):
    province = network.parent(PROVINCE, "Sở Kế hoạch và Đầu tư")
    district = network.enroll(province, DISTRICT, "Phòng Tài chính - Kế hoạch")
    assert district.installation().role == "parent"
    communes = [network.enroll(district, unit, f"Cán bộ {unit}", sqlite=True) for unit in OLD]
    return province, district, communes


def test_three_communes_merged_reports_before_and_after_the_merge(kon_tum, network, tmp_path):
    province, district, communes = kon_tum
    # 2024: a year of history in each old commune
    for workspace in (province, district, *communes):
        set_today(workspace, dt.date(2024, 12, 20))
    for key, commune in zip(OLD_KEYS, communes):
        history(commune, dt.date(2024, 12, 20), f"2024-{key}")
    # 2025, first half: more history before the merge
    for workspace in (province, district, *communes):
        set_today(workspace, dt.date(2025, 6, 25))
    for key, commune in zip(OLD_KEYS, communes):
        history(commune, dt.date(2025, 6, 25), f"2025-{key}")
    relay(communes, district, province, tmp_path / "mail")

    # -- before the merge ------------------------------------------------------------------
    before = dt.date(2024, 12, 31)
    old_2024 = [capital_of(c, 2024) for c in communes]
    board = parent_board.compute(province, on=before, year=2024)
    assert len(board.rows) == 10 and board.row(NEW) is None
    dak_ha = board.row(DISTRICT)
    assert (dak_ha.assigned, dak_ha.allocated, dak_ha.disbursed) == (
        sum(f.assigned for f in old_2024), sum(f.allocated for f in old_2024),
        sum(f.disbursed for f in old_2024))
    assert dak_ha.assigned > 0 and board.total.assigned == dak_ha.assigned
    # the district's own board shows the three communes, each with its own figures
    own = parent_board.compute(district, on=before, year=2024)
    for key, figures in zip(OLD_KEYS, old_2024):
        assert own.row(key).assigned == figures.assigned
        assert own.row(key).disbursed == figures.disbursed

    # -- the merge ---------------------------------------------------------------------------
    set_today(province, dt.date(2025, 6, 30))
    with pytest.raises(UserError) as early:
        reorganisation.apply(province)
    assert "01/07/2025" in str(early.value)
    for workspace in (province, district, *communes):
        set_today(workspace, dt.date(2025, 7, 15))
    pending = {r.new_unit_id: r for r in reorganisation.reorganisations(province)}
    assert set(pending[NEW].old_unit_ids) == set(OLD_KEYS)
    assert pending[QUANG_NGAI].moves_workspace
    applied = reorganisation.apply(province)
    assert applied.moved_from == PROVINCE and applied.moved_to == QUANG_NGAI
    assert province.installation().unit_id == QUANG_NGAI
    listing = parent_children.list_children(province)
    assert len(listing.children) == 96  # every unit of Quảng Ngãi from 01/07/2025
    merged = next(c for c in listing.children if c.unit_id == NEW)
    assert set(merged.predecessors) == set(OLD_KEYS) and merged.state == "never"
    # an old unit can no longer be enrolled here; the new one can
    with pytest.raises(UserError):
        enrollment.issue_enrollment(province, "23524", tmp_path / "old.ctenroll")
    new_commune = network.enroll(province, NEW, "Cán bộ xã Đăk Hà mới", sqlite=True)
    assert new_commune.installation().unit_id == NEW
    # the district's late history still arrives (its communes sent one more change)
    set_today(communes[2], dt.date(2025, 6, 28))
    line = capital.list_lines(communes[2], year=2025)[0]
    project = projects.list_projects(communes[2])[0]
    late = capital.save_allocation(communes[2], line_id=line.id, project_id=project.id,
                                   amount=1_000_000)
    capital.save_payment(communes[2], allocation_id=late.id, paid_on=dt.date(2025, 6, 28),
                         amount=1_000_000, voucher="GRV-MUỘN")
    relay([communes[2]], district, province, tmp_path / "mail")

    # -- after the merge: the new unit's own records, from its own installation -------------
    for workspace in (province, new_commune):
        set_today(workspace, dt.date(2025, 9, 30))
    history(new_commune, dt.date(2025, 9, 30), "2025-new")
    result = sync_export.export_package(new_commune, tmp_path / "mail")
    assert result.recipient_unit_id == QUANG_NGAI
    outcome = sync_import.import_packages(province, [result.path]).files[0]
    assert outcome.outcome == "applied", outcome.message

    after = dt.date(2025, 9, 30)
    board = parent_board.compute(province, on=after, year=2025)
    assert len(board.rows) == 96 and board.row(DISTRICT) is None
    assert not any(board.row(key) for key in OLD_KEYS)
    row = board.row(NEW)
    parts = [capital_of(c, 2025) for c in (*communes, new_commune)]
    assert row.assigned == sum(p.assigned for p in parts)
    assert row.disbursed == sum(p.disbursed for p in parts)
    assert board.total.assigned == row.assigned  # counted once: nobody else has 2025 data
    assert row.report_state == "current"
    # the report says the same, before and after
    for day, year, unit_name, expected in (
            (before, 2024, "Huyện Đắk Hà", dak_ha.assigned),
            (after, 2025, "Xã Đăk Hà", row.assigned)):
        out = tmp_path / f"board-{year}.xlsx"
        report_catalog.build_report(province, "board", "xlsx", out,
                                    report_catalog.ReportOptions(date=day, year=year))
        sheet = load_workbook(out).worksheets[1]  # II. capital
        found = [r for r in sheet.iter_rows(values_only=True) if r[1] == unit_name]
        assert len(found) == 1 and found[0][3] == expected
        names = [r[1] for r in sheet.iter_rows(values_only=True) if r and isinstance(r[0],
                                                                                    int)]
        # 2024 for the new province: Kon Tum's 10 district-level units and old Quảng Ngãi's 13
        assert len(names) == (10 + 13 if year == 2024 else 96)
