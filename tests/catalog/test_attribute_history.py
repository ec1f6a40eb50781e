"""A unit's kind on a date comes from the catalog's dated attributes
(``unit-attribute-history.csv``): Đồng Nai (75@2025-07-01) was a tỉnh until 29/04/2026 and
is a thành phố trực thuộc trung ương from 30/04/2026 (NQ 30/2026/QH16, partial); Lộc Ninh
(25270@2025-07-01) a xã, then a phường (NQ 237/NQ-UBTVQH16, partial)."""

import datetime as dt

from sqlalchemy import text

from ctmtqg_desktop.services import catalog
from ctmtqg_desktop.store import schema
from ctmtqg_desktop.store.workspace import Workspace

DONG_NAI, LOC_NINH = "75@2025-07-01", "25270@2025-07-01"
BEFORE, AFTER = dt.date(2026, 1, 15), dt.date(2026, 12, 5)


def test_the_kind_of_a_unit_on_a_date(new_workspace):
    workspace = new_workspace(unit="23500@2025-07-01")
    assert catalog.get_unit(workspace, DONG_NAI).title == "Thành phố Đồng Nai"  # today's
    assert catalog.get_unit(workspace, DONG_NAI, on=BEFORE).title == "Tỉnh Đồng Nai"
    assert catalog.get_unit(workspace, DONG_NAI, on=AFTER).title == "Thành phố Đồng Nai"
    then = {u.id: u for u in catalog.child_units(workspace, DONG_NAI, on=BEFORE)}
    now = {u.id: u for u in catalog.child_units(workspace, DONG_NAI, on=AFTER)}
    assert then[LOC_NINH].kind == "commune" and now[LOC_NINH].kind == "ward"
    assert then[LOC_NINH].ancestors == ("tỉnh Đồng Nai",)
    assert now[LOC_NINH].ancestors == ("thành phố Đồng Nai",)
    (found,) = [u for u in catalog.search_units(workspace, "loc ninh", on=BEFORE)
                if u.id == LOC_NINH]
    assert found.title == "Xã Lộc Ninh"


def test_a_workspace_on_catalog_3_gets_the_dated_kinds_on_upgrade(tmp_path, database_url_for):
    workspace = Workspace(tmp_path / "old", database_url_for())
    workspace.create_folders()
    schema.migrate(workspace, "0801_archive")
    with workspace.engine.begin() as connection:
        for key, name, kind in ((DONG_NAI, "Đồng Nai", "municipality"),
                                (LOC_NINH, "Lộc Ninh", "ward")):
            connection.execute(text(
                "INSERT INTO admin_unit (id, code, name, name_folded, kind, confidence, "
                "source, former_units, retired) VALUES (:id, :code, :name, :name, :kind, "
                "'partial', '', '', false)"),
                {"id": key, "code": key.split("@")[0], "name": name, "kind": kind})
        connection.execute(text(
            "INSERT INTO catalog_meta (key, value) VALUES ('catalog_version', '3')"))
    schema.migrate(workspace)
    with workspace.engine.connect() as connection:
        rows = connection.execute(text(
            "SELECT unit_id, value FROM unit_attribute_history ORDER BY unit_id, valid_from"
        )).all()
    workspace.dispose()
    assert [tuple(r) for r in rows] == [(LOC_NINH, "commune"), (LOC_NINH, "ward"),
                                        (DONG_NAI, "province"), (DONG_NAI, "municipality")]


def test_board_rows_and_report_headings_use_the_kind_of_their_date(new_workspace, tmp_path):
    """Issue 13: a unit is titled with its kind on the board's or report's date."""
    from openpyxl import load_workbook

    from ctmtqg_desktop.services import parent, report_catalog

    province = new_workspace(unit=DONG_NAI, role="parent")
    then = {r.unit_id: r.name for r in parent.compute(province, on=BEFORE).rows}
    now = {r.unit_id: r.name for r in parent.compute(province, on=AFTER).rows}
    assert then[LOC_NINH] == "Xã Lộc Ninh" and now[LOC_NINH] == "Phường Lộc Ninh"

    def cells(day: dt.date) -> str:
        out = report_catalog.build_report(province, "board", "xlsx", tmp_path / f"{day}.xlsx",
                                          report_catalog.ReportOptions(date=day))
        book = load_workbook(out)
        return "\n".join(str(c.value) for sheet in book.worksheets
                         for row in sheet.iter_rows() for c in row if c.value)

    before, after = cells(BEFORE), cells(AFTER)
    assert "UBND TỈNH ĐỒNG NAI" in before and "THÀNH PHỐ ĐỒNG NAI" not in before
    assert "tỉnh Đồng Nai" in before and "Xã Lộc Ninh" in before
    assert "UBND THÀNH PHỐ ĐỒNG NAI" in after and "TỈNH ĐỒNG NAI" not in after
    assert "thành phố Đồng Nai" in after and "Phường Lộc Ninh" in after
