"""Issue 13, history across the 2025 merge seen from the province: a package from a unit
that has ended is applied as history with a notice naming the end and the successor; the
board (``report board --on``) at a date lists the units that existed then."""

from __future__ import annotations

import datetime as dt

from openpyxl import load_workbook

from ctmtqg_desktop.cli import main
from ctmtqg_desktop.services.parent import _reorganisation as reorganisation
from ctmtqg_desktop.services.sync import _export as sync_export
from ctmtqg_desktop.services.sync import _import as sync_import
from tests.parent.conftest import fill, set_today

PROVINCE, DISTRICT, COMMUNE = "62", "615", "23524"
NEW, QUANG_NGAI = "23500@2025-07-01", "51@2025-07-01"


def run(capsys, workspace, *args):
    code = main([*args, "--workspace", str(workspace.folder)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_a_package_from_a_unit_that_ended_is_history_with_a_notice(network, tmp_path,
                                                                  capsys):
    province = network.parent(PROVINCE, "Sở Tài chính")
    district = network.enroll(province, DISTRICT, "Phòng Tài chính - Kế hoạch")
    commune = network.enroll(district, COMMUNE, "Cán bộ xã Đắk La", sqlite=True)
    for workspace in (province, district, commune):
        set_today(workspace, dt.date(2025, 6, 25))
    fill(commune, "dak-la")
    up = sync_export.export_package(commune, tmp_path / "mail")
    assert sync_import.import_packages(district, [up.path]).files[0].ok
    before = sync_import.import_packages(
        province, [sync_export.export_package(district, tmp_path / "mail").path]).files[0]
    # while the district exists: no notice
    assert before.outcome == "applied" and before.sender_ended_on is None
    assert before.sender_notice == "" and "30/06/2025" not in before.message

    # 01/07/2025: the province continues as Quảng Ngãi, the district is abolished
    for workspace in (province, district, commune):
        set_today(workspace, dt.date(2025, 7, 15))
    reorganisation.apply(province)
    assert province.installation().unit_id == QUANG_NGAI
    fill(commune, "dak-la-late")  # late records of June, relayed after the merge
    up = sync_export.export_package(commune, tmp_path / "mail")
    assert sync_import.import_packages(district, [up.path]).files[0].ok
    late = sync_export.export_package(district, tmp_path / "mail")

    code, out, _err = run(capsys, province, "sync", "import", str(late.path))

    assert code == 0, out
    assert "Huyện Đắk Hà" in out and "30/06/2025" in out
    assert f"Xã Đăk Hà ({NEW})" in out and "lịch sử" in out
    (entry,) = [e for e in _history(province) if e.file_name == late.path.name]
    assert "30/06/2025" in entry.message  # the import history says it too (GUI's list)
    # the service's result, for a second copy of the same stream (the last one re-sent)
    again = sync_export.export_package(district, tmp_path / "mail")
    outcome = sync_import.import_packages(province, [again.path]).files[0]
    assert outcome.ok
    assert outcome.sender_ended_on == dt.date(2025, 6, 30)
    assert outcome.sender_successor_id is None  # a district has none; its communes do
    assert NEW in outcome.sender_notice and NEW in outcome.message


def _history(workspace):
    from ctmtqg_desktop.services import sync

    return sync.history(workspace)


def test_report_board_on_a_date_lists_the_units_of_that_date(new_workspace, tmp_path,
                                                             capsys):
    """The province of today's board for 2024 shows Kon Tum's old districts (the units the
    province continues had then), for 2026 Quảng Ngãi's 96 communes (``report board --on``,
    the GUI's "Đơn vị vào ngày")."""
    province = new_workspace(unit=QUANG_NGAI, role="parent", name="Sở Tài chính")
    set_today(province, dt.date(2026, 12, 5))
    names = {}
    for day, year in (("31/12/2024", "2024"), ("05/12/2026", "2026")):
        out = tmp_path / f"board-{year}.xlsx"
        code, text, err = run(capsys, province, "report", "board", "--format", "xlsx",
                              "--on", day, "--out", str(out))
        assert code == 0, err
        sheet = load_workbook(out).worksheets[1]
        names[year] = [r[1] for r in sheet.iter_rows(values_only=True)
                       if r and isinstance(r[0], int)]
    assert "Huyện Đắk Hà" in names["2024"] and "Xã Đăk Hà" not in names["2024"]
    assert len(names["2026"]) == 96 and "Xã Đăk Hà" in names["2026"]
    assert "Huyện Đắk Hà" not in names["2026"]
