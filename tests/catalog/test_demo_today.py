"""The demo of today (``ctmtqg demo --year 2026``): a commune of Quảng Ngãi on the 2026-2035
programme, and Tỉnh Quảng Ngãi as its parent. Two communes' demos sent to one province keep
their records apart (ids seeded with the unit)."""

import datetime as dt

from sqlalchemy import select

from ctmtqg_desktop.cli import main
from ctmtqg_desktop.services import parent, sync, workspaces
from ctmtqg_desktop.store.models.capital import CapitalLine
from ctmtqg_desktop.store.models.projects import Project
from ctmtqg_desktop.store.uow import UnitOfWork

PROGRAMME = "2026-2035/NTM-GNBV-DTTS"


def _ids(workspace, model) -> set:
    with UnitOfWork.read(workspace) as session:
        return set(session.scalars(select(model.id)))


def test_two_communes_demos_reach_one_province_and_its_board_lists_them(tmp_path):
    province = workspaces.init_workspace(tmp_path / "tinh", unit="51@2025-07-01",
                                         role="parent", refuse_ended=True)
    communes = {}
    for key in ("23500@2025-07-01", "23497@2025-07-01"):
        enrollment = tmp_path / f"{key[:5]}.ctenroll"
        sync.issue_enrollment(province, key, enrollment)
        commune = sync.init_from_enrollment(tmp_path / key[:5], None, enrollment)
        assert parent.build_commune(commune) > 100
        with UnitOfWork.read(commune) as session:
            lines = list(session.scalars(select(CapitalLine).where(  # not its history
                CapitalLine.owner_unit_id == key)))
        assert lines and {(line.year, line.program_id) for line in lines} == {
            (dt.date.today().year, PROGRAMME)}
        communes[key] = commune
    dak_ha, kon_braih = communes.values()
    assert not _ids(dak_ha, Project) & _ids(kon_braih, Project)  # ids seeded with the unit
    packages = [sync.export_package(c, tmp_path / "usb").path for c in communes.values()]
    report = sync.import_packages(province, packages)
    assert [f.outcome for f in report.files] == ["applied", "applied"]
    board = parent.compute(province)
    rows = {row.unit_id: row for row in board.rows}
    assert len(rows) == 96
    for key in communes:
        assert rows[key].assigned > 0 and rows[key].disbursed > 0
    assert rows["23497@2025-07-01"].name == "Xã Kon Braih"


def test_demo_of_today_is_the_default_on_the_command_line(tmp_path, capsys):
    """``ctmtqg demo`` makes today's commune and ``demo --role parent`` the province
    (issue 13); the 2023 demo of the seed directive takes ``--year 2023``."""
    assert main(["demo", "--workspace", str(tmp_path / "xa")]) == 0
    out = capsys.readouterr().out
    assert "Xã Đăk Hà, tỉnh Quảng Ngãi" in out
    workspace = workspaces.open_workspace(tmp_path / "xa")
    assert workspace.installation().unit_id == "23500@2025-07-01"
    assert workspace.today() == dt.date(2026, 11, 20)
    assert main(["demo", "--role", "parent", "--children", "4",
                 "--workspace", str(tmp_path / "tinh")]) == 0
    province = workspaces.open_workspace(tmp_path / "tinh")
    listing = parent.list_children(province)
    reporting = [c.unit_id for c in listing.children if c.packages_applied]
    assert "23500@2025-07-01" in reporting and len(listing.children) == 96
    # as of a 2023 date the province is the one it continues (Kon Tum, 62): its districts
    then = parent.list_children(province, on=dt.date(2023, 10, 16))
    assert {c.name for c in then.children} >= {"Huyện Đắk Hà", "Thành phố Kon Tum"}
    assert all(c.valid_to == dt.date(2025, 6, 30) for c in then.children)


def test_the_2023_demo_of_two_communes_shares_no_record_id(tmp_path):
    from ctmtqg_desktop.services import demo
    from ctmtqg_desktop.store.models.capital import CapitalLine as Line

    made = []
    for unit in ("23524@2023-06-01", "23521@2023-06-01"):
        workspace = workspaces.init_workspace(tmp_path / unit[:5], unit=unit,
                                              simulated_today=demo.demo_today())
        demo.build_demo(workspace)
        made.append(workspace)
    first, second = made
    assert _ids(first, Project) and not _ids(first, Project) & _ids(second, Project)
    assert not _ids(first, Line) & _ids(second, Line)
