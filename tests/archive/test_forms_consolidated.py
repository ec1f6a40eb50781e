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
from tests.parent.conftest import fill, set_today
from tests.sync.conftest import COMMUNE_A, COMMUNE_B, PARENT

H1 = (dt.date(2023, 1, 1), dt.date(2023, 6, 30))
FORM = "form-gnbv-tt10-2022-bieu02"
TABLE = "ket-qua-thuc-hien"


def _send(source, target, folder, to: str | None = None) -> None:
    result = sync_export.export_package(source, folder, to=to)
    report = sync_import.import_packages(target, [result.path])
    assert [f.outcome for f in report.files] == ["applied"], report.files


@pytest.fixture
def district(network, tmp_path):
    parent = network.parent(PARENT, "Phòng Tài chính - Kế hoạch huyện Đắk Hà")
    set_today(parent, dt.date(2023, 7, 10))
    a = network.enroll(parent, COMMUNE_A, "Y Thị Hoa", sqlite=True)
    b = network.enroll(parent, COMMUNE_B, "A Tuấn", sqlite=True)
    for seed, commune in (("a", a), ("b", b)):
        set_today(commune, dt.date(2023, 7, 10))
        fill(commune, f"forms-{seed}")
    return parent, a, b


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
