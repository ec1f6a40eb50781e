"""The official forms are kinds of the archive: a commune issues a form for a period (number,
files, signer and the filled figures in the record), signs it off, and it travels up in real
signed packages; the parent's consolidated form is the sum of the figures of its children's
signed issues (not its copy of their records), and names the children that did not report."""

from __future__ import annotations

import datetime as dt
import json
import subprocess

import openpyxl
import pytest

from ctmtqg_desktop.i18n import _
from ctmtqg_desktop.services import archive, report_catalog, report_forms
from ctmtqg_desktop.services.sync import _export as sync_export
from ctmtqg_desktop.services.sync import _import as sync_import
from ctmtqg_desktop.store.models.archive import IssuedReport
from ctmtqg_desktop.store.uow import UnitOfWork
from tests.archive.conftest import two_communes
from tests.parent.conftest import set_today
from tests.sync.conftest import COMMUNE_A, PARENT

H1 = (dt.date(2023, 1, 1), dt.date(2023, 6, 30))
FORM = "form-gnbv-tt10-2022-bieu02"
TABLE = "ket-qua-thuc-hien"


def _send(source, target, folder, to: str | None = None) -> None:
    result = sync_export.export_package(source, folder, to=to)
    report = sync_import.import_packages(target, [result.path])
    assert [f.outcome for f in report.files] == ["applied"], report.files


@pytest.fixture
def district(network, tmp_path):
    return two_communes(network, "forms")


def _numbers(rows) -> dict[tuple[str, str, str], dict[str, object]]:
    return {(r.kind, r.number, r.label): {k: v for k, v in r.values.items()
                                          if isinstance(v, int) and not isinstance(v, bool)}
            for r in rows}


def _issue_and_sign(commune, approver: str):
    issued = archive.issue_report(commune, kind=FORM, period_start=H1[0], period_end=H1[1],
                                  issued_on=dt.date(2023, 7, 10))
    return archive.sign_off(commune, issued.id, approver=approver,
                            approved_on=dt.date(2023, 7, 11))


def test_an_issued_form_keeps_its_figures_and_files(district, tmp_path):
    _parent, a, _b = district
    issued = _issue_and_sign(a, "Nguyễn Văn Bình")
    assert sorted(f.name.rsplit(".", 1)[1] for f in issued.files) == ["pdf", "xlsx"]
    data = json.loads(issued.figures)
    assert data["format"] == report_forms.FIGURES_FORMAT and data["form"] == FORM[5:]
    assert data["period"] == ["2023-01-01", "2023-06-30"]
    # the figures are those of the issued xlsx: its total row, cell by cell
    rows = report_forms.read_figures(issued.figures)[TABLE]
    total = next(r for r in rows if r.kind == "total")
    assert any(isinstance(v, int) and v > 0 for v in total.values.values())
    xlsx = archive.open_file(a, issued.id, tmp_path / "open", name=next(
        f.name for f in issued.files if f.name.endswith(".xlsx")))
    sheet = openpyxl.load_workbook(xlsx).worksheets[0]
    printed = next([c.value for c in row] for row in sheet.iter_rows()
                   if total.label in [c.value for c in row])
    money = [v for v in total.values.values() if isinstance(v, int) and v >= 1_000_000]
    assert money, total.values
    assert all(any(cell == round(v / 1_000_000) or cell == v for cell in printed)
               for v in money)
    # the figures are in the journalled record, locked by the sign-off
    with pytest.raises(archive.ReportLocked):
        archive.update_report(a, issued.id, note="sửa số liệu")


def test_the_consolidated_form_is_the_sum_of_the_childrens_issued_forms(district, tmp_path):
    parent, a, b = district
    mail = tmp_path / "mail"
    first, second = _issue_and_sign(a, "Nguyễn Văn Bình"), _issue_and_sign(b, "Lê Thị Lan")
    for commune in (a, b):
        _send(commune, parent, mail)
    set_today(parent, dt.date(2023, 7, 20))
    # a change the parent makes to its copy of a child's records does not count: only the
    # figures of the signed report do (here: the figures are tampered with in one child's
    # own later draft, which is not signed and so not summed)
    draft = archive.issue_report(a, kind=FORM, period_start=H1[0], period_end=H1[1],
                                 issued_on=dt.date(2023, 7, 12))
    _send(a, parent, mail)
    assert not archive.get_report(parent, draft.id).signed

    reports, missing = archive.children_figures(parent, FORM, *H1)
    assert {number for _u, number, _f in reports} == {"1/BC-UBND"}
    assert len(reports) == 2 and len(missing) == 9 and "Thị trấn Đắk Hà" in missing
    mine = archive.issue_consolidated(parent, kind=FORM, period_start=H1[0],
                                      period_end=H1[1], issued_on=dt.date(2023, 7, 20))
    assert mine.consolidated and mine.owner_unit_id == PARENT
    assert "Thị trấn Đắk Hà" in mine.not_reported and len(mine.not_reported) == 9
    children = [_numbers(report_forms.read_figures(r.figures)[TABLE])
                for r in (first, second)]
    summed = _numbers(report_forms.read_figures(mine.figures)[TABLE])
    for key in set(children[0]) | set(children[1]):
        for column in set(children[0].get(key, {})) | set(children[1].get(key, {})):
            expected = children[0].get(key, {}).get(column, 0) + \
                children[1].get(key, {}).get(column, 0)
            assert summed[key].get(column, 0) == expected, (key, column)
    total = next(k for k in summed if k[0] == "total")
    assert sum(summed[total].values()) > 0
    # the parent's xlsx prints the summed total, in millions as the form says
    xlsx = archive.open_file(parent, mine.id, tmp_path / "open", name=next(
        f.name for f in mine.files if f.name.endswith(".xlsx")))
    rows = [[c.value for c in row] for row in openpyxl.load_workbook(xlsx).worksheets[0]
            .iter_rows()]
    printed = next(row for row in rows if total[2] in row)
    for value in summed[total].values():
        if value >= 1_000_000:
            assert round(value / 1_000_000) in printed or value in printed
    text = "\n".join(str(c) for row in rows for c in row if c)
    assert "Thị trấn Đắk Hà" in text and "1/BC-UBND" in text
    # and the PDF says the same (read back with pdftotext)
    pdf = archive.open_file(parent, mine.id, tmp_path / "open-pdf")
    words = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                           capture_output=True, text=True).stdout
    assert "Số: 1/BC-UBND" in words and "Đắk Hà" in words
    # the parent's own copy of the children's records is not what it sums
    with UnitOfWork(parent) as uow:
        row = uow.session.get(IssuedReport, first.id)
        assert row is not None and row.figures == first.figures


def test_a_commune_cannot_issue_the_consolidated_form_and_the_list_says_who(district):
    parent, a, _b = district
    kinds = {k.key: k for k in archive.report_kinds(parent)}
    assert FORM in kinds and kinds[FORM].roles == ("parent",)
    assert archive.report_kinds(a)  # the commune's own form, same key
    with pytest.raises(archive.UserError):
        archive.issue_consolidated(a, kind=FORM, period_start=H1[0], period_end=H1[1])
    out_spec = report_catalog.report_spec(parent, FORM)
    assert "Thông tư 10/2022/TT-BLĐTBXH" in out_spec.description
    assert _("At a parent unit: the sum of the child units' issued and signed reports of "
             "this form for the period; who has not reported.") in out_spec.description


def _period_for(form) -> tuple[dt.date, dt.date]:
    kinds = [str(p.get("kind")) for p in form.data.get("periods") or []]
    if "half_year" in kinds:
        return H1
    if "year" in kinds:
        return dt.date(2022, 1, 1), dt.date(2022, 12, 31)
    return dt.date(2021, 1, 1), dt.date(2025, 12, 31)


def test_every_form_is_issued_by_a_commune_and_consolidated_at_the_parent(district,
                                                                          tmp_path):
    parent, a, _b = district
    mail = tmp_path / "mail"
    for form in report_forms.shipped_forms():
        start, end = _period_for(form)
        issued = archive.issue_report(a, kind="form-" + form.id, period_start=start,
                                      period_end=end, issued_on=max(start, dt.date(2023, 7, 10)))
        archive.sign_off(a, issued.id, approver="Nguyễn Văn Bình",
                         approved_on=issued.issued_on)
        assert json.loads(issued.figures)["form"] == form.id
    _send(a, parent, mail)
    set_today(parent, dt.date(2024, 3, 1))  # still the district of its 11 communes
    for form in report_forms.shipped_forms():
        start, end = _period_for(form)
        mine = archive.issue_consolidated(parent, kind="form-" + form.id, period_start=start,
                                          period_end=end)
        assert mine.consolidated and len(mine.not_reported) == 10, form.id
        child = next(r for r in archive.issued_reports(a) if r.kind == "form-" + form.id)
        # one child reported: the parent's figures are that child's, row for row
        assert _numbers(report_forms.read_figures(mine.figures).get(next(iter(
            report_forms.read_figures(child.figures)), ""), [])) == _numbers(
            report_forms.read_figures(child.figures).get(next(iter(
                report_forms.read_figures(child.figures)), ""), [])), form.id
        pdf = archive.open_file(parent, mine.id, tmp_path / form.id)
        words = subprocess.run(["pdftotext", str(pdf), "-"], check=True,
                               capture_output=True, text=True).stdout
        assert "Đắk La" in " ".join(words.split()), form.id


def test_amounts_add_up_and_rates_are_worked_out_again_never_added():
    from ctmtqg_desktop.services.report_forms._build import Row

    form = report_forms.get_form("dtts-tt01-2022-xa")
    table = form.data["tables"][0]["id"]

    def child(paid: int, plan: int, progress: int) -> dict:
        values = {"paid": paid, "plan_dtpt": plan, "plan_sn": 0, "plan_total": plan,
                  "rate": paid / plan * 100, "progress": progress, "hh_total": 3}
        return {table: [Row("total", "Tổng cộng", "", 1, dict(values)),
                        Row("item", "Kênh mương", "1", 1, dict(values))]}

    summed = report_forms.sum_tables(form, [child(30, 100, 50), child(10, 300, 90),
                                            {table: [Row("item", "Đường", "1", 1,
                                                         {"paid": 7, "progress": 20})]}])
    total, shared, alone = summed[table]
    assert (total.values["paid"], total.values["plan_total"]) == (40, 400)
    assert total.values["rate"] == 10  # 40 / 400, not 30 % + 3,3 %
    assert total.values["hh_total"] == 6 and total.values["progress"] is None
    assert shared.values["progress"] is None  # a percent of two units is not added
    assert (alone.values["paid"], alone.values["progress"]) == (7, 20)  # one unit's row


def test_a_corrected_report_stays_on_time_and_its_correction_is_what_is_summed(district,
                                                                               tmp_path):
    """A child's report arrived on time; a correction of it, issued and signed later, arrived
    after the due date. Completeness judges the first signed issue (on time) and shows the
    correction and the day it arrived; the consolidated form sums the correction."""
    parent, a, _b = district
    mail = tmp_path / "mail"
    archive.save_request(parent, kind=FORM, period_start=H1[0], period_end=H1[1],
                         due_on=dt.date(2023, 7, 15))
    first = _issue_and_sign(a, "Nguyễn Văn Bình")
    set_today(parent, dt.date(2023, 7, 14))
    _send(a, parent, mail)
    set_today(a, dt.date(2023, 9, 20))
    correction = archive.issue_report(a, kind=FORM, period_start=H1[0], period_end=H1[1],
                                      issued_on=dt.date(2023, 9, 20),
                                      note="Đính chính số liệu")
    correction = archive.sign_off(a, correction.id, approver="Nguyễn Văn Bình",
                                  approved_on=dt.date(2023, 9, 20))
    set_today(parent, dt.date(2023, 9, 22))
    _send(a, parent, mail)

    row = next(r for r in archive.completeness(parent).rows if r.unit_id == COMMUNE_A)
    assert row.state == "on_time" and row.report.id == first.id
    assert row.received_on == dt.date(2023, 7, 14)
    assert row.correction is not None and row.correction.id == correction.id
    assert row.correction_on == dt.date(2023, 9, 22)
    shown = archive.state_text(row)
    assert shown == "đúng hạn; bản đính chính 2/BC-UBND nhận ngày 22/09/2023"
    # the completeness report prints it too
    out = tmp_path / "tinh-hinh.xlsx"
    report_catalog.build_report(parent, "completeness", "xlsx", out,
                                report_catalog.ReportOptions(year=2023))
    cells = [c.value for r in openpyxl.load_workbook(out).worksheets[0].iter_rows() for c in r]
    assert shown in cells
    # the consolidation counts the latest signed issue, the correction
    reports, _missing = archive.children_figures(parent, FORM, *H1)
    mine = next(r for r in reports if r[1] == "2/BC-UBND")
    assert mine[2] == correction.figures
    assert "1/BC-UBND" not in {number for _u, number, _f in reports}
    # a child without a correction shows the state alone
    others = [r for r in archive.completeness(parent).rows if r.unit_id != COMMUNE_A]
    assert all(r.correction is None and archive.state_text(r) == archive.state_label(r.state)
               for r in others)


def test_fractional_amounts_add_up_exactly_never_in_binary_floats():
    """Amounts in triệu đồng (or areas in ha) with decimals: 0,1 + 0,2 + 0,3 is 0,6 at the
    parent, as on paper; binary floats would give 0,6000000000000001."""
    from ctmtqg_desktop.services.report_forms._build import Row

    form = report_forms.get_form("dtts-tt01-2022-xa")
    table = form.data["tables"][0]["id"]

    def child(paid: float) -> dict:
        return {table: [Row("total", "Tổng cộng", "", 1,
                            {"paid": paid, "plan_total": 3, "hh_total": 1})]}

    parts = [0.1, 0.2, 0.3]
    assert sum(parts) != 0.6  # the float sum the parent must not show
    summed = report_forms.sum_tables(form, [child(p) for p in parts])
    (total,) = summed[table]
    assert total.values["paid"] == 0.6 and repr(total.values["paid"]) == "0.6"
    assert total.values["hh_total"] == 3 and isinstance(total.values["hh_total"], int)
    # the figures kept in the archive read back to the same exact decimals
    figures = report_forms.read_figures(json.dumps(
        {"format": report_forms.FIGURES_FORMAT, "tables": {table: [
            {"kind": "total", "label": "Tổng cộng", "number": "", "level": 1,
             "in_total": True, "values": {"paid": 0.1}}]}}))
    assert figures[table][0].values["paid"] == 0.1
