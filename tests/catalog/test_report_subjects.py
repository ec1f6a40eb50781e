"""Issue 13: every report names its unit with the kind (and name) valid on its period's end,
through one lookup (``catalog.unit_title_on``, ``report_catalog.subject_unit``). Lộc Ninh
(25270@2025-07-01) was a xã until 29/04/2026 and is a phường from 30/04/2026; Đồng Nai
(75@2025-07-01) a tỉnh, then a thành phố trực thuộc trung ương. A report of 2025 made in
December 2026 says "xã Lộc Ninh" / "tỉnh Đồng Nai"; one of 05/12/2026 the new kind. One
report of each family: the areas' reports, the official forms, the parent's consolidated
reports, a document issued in the archive, the capital proposal."""

import datetime as dt

import pytest
from openpyxl import load_workbook

from ctmtqg_desktop.domain.report_periods import Period
from ctmtqg_desktop.services import catalog, report_catalog
from ctmtqg_desktop.services.report_catalog import ReportOptions

LOC_NINH, DONG_NAI = "25270@2025-07-01", "75@2025-07-01"
AFTER = dt.date(2026, 12, 5)
YEAR_2025 = ReportOptions(year=2025)


def _cells(path) -> str:
    book = load_workbook(path)
    return "\n".join(str(c.value) for sheet in book.worksheets for row in sheet.iter_rows()
                     for c in row if c.value)


def _text(workspace, key, options, tmp_path) -> str:
    out = tmp_path / f"{key}-{options.year or options.date or options.period.end}.xlsx"
    return _cells(report_catalog.build_report(workspace, key, "xlsx", out, options))


@pytest.fixture
def loc_ninh(new_workspace):
    return new_workspace(unit=LOC_NINH)


def test_the_one_lookup_names_the_kind_of_the_day(loc_ninh):
    assert catalog.unit_title_on(loc_ninh, LOC_NINH, dt.date(2025, 12, 31)) == "xã Lộc Ninh"
    assert catalog.unit_title_on(loc_ninh, LOC_NINH, AFTER) == "phường Lộc Ninh"
    assert catalog.unit_title_on(loc_ninh, DONG_NAI, dt.date(2026, 1, 15)) == "tỉnh Đồng Nai"
    assert report_catalog.subject_day(loc_ninh, YEAR_2025) == dt.date(2025, 12, 31)
    assert report_catalog.subject_unit(loc_ninh, YEAR_2025) == "xã Lộc Ninh"
    assert report_catalog.subject_unit(loc_ninh, ReportOptions(date=AFTER)) == "phường Lộc Ninh"


@pytest.mark.parametrize("key", ["villages", "dossiers", "tasks", "activities"])
def test_a_commune_report_of_2025_names_the_xa(loc_ninh, tmp_path, key):
    then = _text(loc_ninh, key, YEAR_2025, tmp_path)
    assert "xã Lộc Ninh" in then and "phường Lộc Ninh" not in then
    now = _text(loc_ninh, key, ReportOptions(date=AFTER), tmp_path)
    assert "phường Lộc Ninh" in now and "xã Lộc Ninh" not in now


@pytest.mark.parametrize("key, period", [
    ("form-ctmtqg-2021-2025-tong-ket", Period.between(dt.date(2021, 1, 1), dt.date(2025, 12, 31))),
    ("form-dtts-tt01-2022-xa", Period.of("year", 2025))])
def test_an_official_form_of_2025_names_the_xa(loc_ninh, tmp_path, key, period):
    then = _text(loc_ninh, key, ReportOptions(period=period), tmp_path)
    assert "xã Lộc Ninh" in then and "phường Lộc Ninh" not in then


def test_the_capital_proposal_names_the_committees_of_its_day(loc_ninh, tmp_path):
    """A submission (tờ trình) is addressed on the day it is made: to UBND tỉnh Đồng Nai on
    15/01/2026, to UBND thành phố Đồng Nai after 30/04/2026, whatever year it is about."""
    then = _text(loc_ninh, "capital-proposal",
                 ReportOptions(year=2025, date=dt.date(2026, 1, 15)), tmp_path)
    assert "UBND tỉnh Đồng Nai" in then and "UBND thành phố Đồng Nai" not in then
    assert "UBND xã Lộc Ninh" in then
    now = _text(loc_ninh, "capital-proposal", ReportOptions(year=2025, issued_on=AFTER),
                tmp_path)
    assert "UBND thành phố Đồng Nai" in now and "UBND tỉnh Đồng Nai" not in now
    assert "UBND phường Lộc Ninh" in now


@pytest.mark.parametrize("key", ["capital", "tasks", "completeness"])
def test_a_parent_report_of_2025_names_the_tinh(new_workspace, tmp_path, key):
    province = new_workspace(unit=DONG_NAI, role="parent")
    then = _text(province, key, YEAR_2025, tmp_path)
    assert "tỉnh Đồng Nai" in then and "thành phố Đồng Nai" not in then
    now = _text(province, key, ReportOptions(date=AFTER), tmp_path)
    assert "thành phố Đồng Nai" in now and "tỉnh Đồng Nai" not in now


def test_a_report_of_2025_issued_in_the_archive_names_the_xa(loc_ninh, tmp_path):
    """The archive issues with the period and the issue day: the subject of the period's
    end, the letterhead of the issue day."""
    from ctmtqg_desktop.services import archive

    issued = archive.issue_report(loc_ninh, kind="tasks", period_start=dt.date(2025, 1, 1),
                                  period_end=dt.date(2025, 12, 31), issued_on=AFTER)
    (xlsx,) = [f for f in issued.files if f.name.endswith(".xlsx")]
    text = _cells(archive.open_file(loc_ninh, issued.id, tmp_path / "out", xlsx.name))
    assert "xã Lộc Ninh" in text and "phường Lộc Ninh" not in text
    assert "UBND PHƯỜNG LỘC NINH" in text  # issued on 05/12/2026 by the phường
