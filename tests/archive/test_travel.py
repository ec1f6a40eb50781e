"""An issued and signed report travels up in real signed packages; the parent sees it on time,
the child that did not report as missing, and its consolidated capital report equals the sum
of its children's own capital figures."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
from pypdf import PdfReader

from ctmtqg_desktop.domain.errors import UserError
from ctmtqg_desktop.i18n import _, pgettext
from ctmtqg_desktop.services import archive, report_catalog
from ctmtqg_desktop.services.capital._status import year_summary
from ctmtqg_desktop.services.sync import _export as sync_export
from ctmtqg_desktop.services.sync import _import as sync_import
from ctmtqg_desktop.services.tasks._listing import task_ids
from tests.archive.conftest import two_communes
from tests.parent.conftest import set_today
from tests.sync.conftest import COMMUNE_A, COMMUNE_B, PARENT

H1 = (dt.date(2023, 1, 1), dt.date(2023, 6, 30))
DUE = dt.date(2023, 7, 15)


def _send(source, target, folder, to: str | None = None) -> None:
    result = sync_export.export_package(source, folder, to=to)
    report = sync_import.import_packages(target, [result.path])
    assert [f.outcome for f in report.files] == ["applied"], report.files


def _pdf_text(path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


@pytest.fixture
def district(network, tmp_path):
    return two_communes(network, "archive")


def test_a_signed_report_travels_up_on_time_and_the_silent_child_is_missing(
        district, tmp_path):
    parent, a, b = district
    mail = tmp_path / "mail"
    request = archive.save_request(parent, kind="capital", period_start=H1[0],
                                   period_end=H1[1], due_on=DUE,
                                   legal_basis="Kế hoạch 12/KH-UBND của UBND huyện")
    _send(parent, a, mail, to=COMMUNE_A)  # the request goes down
    assert [r.id for r in archive.list_requests(a, own=False)] == [request.id]
    assert [r.state for r in archive.completeness(a).rows] == ["not_due"]

    issued = archive.issue_report(a, kind="capital", period_start=H1[0], period_end=H1[1],
                                  issued_on=dt.date(2023, 7, 10))
    assert (issued.number, issued.number_symbol) == (1, "1/BC-UBND")
    assert archive.next_number(a, 2023) == 2
    assert sorted(f.name.rsplit(".", 1)[1] for f in issued.files) == ["pdf", "xlsx"]
    signed = archive.sign_off(a, issued.id, approver="Nguyễn Văn Bình",
                              approved_on=dt.date(2023, 7, 12))
    # locked: no edit, no deletion, a sentence each
    with pytest.raises(archive.ReportLocked) as refused:
        archive.update_report(a, issued.id, title="Sửa")
    assert "Nguyễn Văn Bình" in str(refused.value) and "12/07/2023" in str(refused.value)
    with pytest.raises(archive.ReportLocked):
        archive.delete_report(a, issued.id)
    with pytest.raises(archive.ReportLocked):
        archive.sign_off(a, issued.id, approver="Người khác")

    for commune in (a, b):
        _send(commune, parent, mail)
    set_today(parent, dt.date(2023, 7, 16))
    view = archive.completeness(parent)
    states = {row.unit_id: row.state for row in view.rows}
    assert {row.request.id for row in view.rows} == {request.id}
    assert len(states) == 11  # every commune of Đắk Hà owes it
    assert states.pop(COMMUNE_A) == "on_time" and states[COMMUNE_B] == "missing"
    assert set(states.values()) == {"missing"}
    arrived = next(row for row in view.rows if row.unit_id == COMMUNE_A)
    assert arrived.report.id == issued.id and arrived.report.approved_by == "Nguyễn Văn Bình"
    assert arrived.received_at is not None and view.ratio == pytest.approx(1 / 11)
    # the parent opens the signed file: the very bytes, checked against their SHA-256
    opened = archive.open_file(parent, issued.id, tmp_path / "open")
    assert opened.suffix == ".pdf"
    assert "Số: 1/BC-UBND" in _pdf_text(opened)
    # the parent cannot change the commune's report
    with pytest.raises(UserError):
        archive.delete_report(parent, issued.id)
    assert signed.signed and archive.get_report(parent, issued.id).files == signed.files

    # the overview's card says how many are missing
    from ctmtqg_desktop.services.archive._overview import archive_section

    card = archive_section(parent)
    figures = {f.label: (f.value, f.state) for f in card.figures}
    assert figures[_("Missing after the due date")] == ("10", "late")
    assert len(card.lines) == 4 and card.area == "archive"
    # the parent issues the consolidated report in its own name: B and the others are listed
    mine = archive.issue_consolidated(parent, kind="capital", period_start=H1[0],
                                      period_end=H1[1])
    assert mine.consolidated and mine.owner_unit_id == PARENT and mine.number == 1
    assert len(mine.not_reported) == 10 and "Xã Hà Mòn" in mine.not_reported
    assert "Xã Đắk La" not in mine.not_reported
    text = _pdf_text(archive.open_file(parent, mine.id, tmp_path / "open"))
    assert "Số: 1/BC-UBND" in text and "Hà Mòn" in text
    # a commune does not issue a consolidated report
    with pytest.raises(UserError):
        archive.issue_consolidated(b, kind="capital", period_start=H1[0], period_end=H1[1])


def test_a_late_sign_off_is_late_and_an_unsigned_report_does_not_count(district, tmp_path):
    parent, a, b = district
    mail = tmp_path / "mail"
    archive.save_request(parent, kind="tasks", period_start=H1[0], period_end=H1[1],
                         due_on=DUE)
    late = archive.issue_report(a, kind="tasks", period_start=H1[0], period_end=H1[1])
    set_today(a, dt.date(2023, 7, 20))
    archive.sign_off(a, late.id, approver="Nguyễn Văn Bình")
    archive.issue_report(b, kind="tasks", period_start=H1[0], period_end=H1[1])
    for commune in (a, b):
        _send(commune, parent, mail)
    set_today(parent, dt.date(2023, 7, 21))
    states = {row.unit_id: row.state for row in archive.completeness(parent).rows}
    assert (states[COMMUNE_A], states[COMMUNE_B]) == ("late", "unsigned")


def test_the_consolidated_capital_report_is_the_sum_of_the_children(district, tmp_path):
    parent, a, b = district
    mail = tmp_path / "mail"
    for commune in (a, b):
        _send(commune, parent, mail)
    day = dt.date(2023, 7, 10)
    expected = {}
    for unit, commune in ((COMMUNE_A, a), (COMMUNE_B, b)):
        total = year_summary(commune, 2023).total
        expected[unit] = (total.assigned, total.allocated, total.disbursed)
        assert total.assigned > 0, unit
    out = tmp_path / "tong-hop-von.xlsx"
    report_catalog.build_report(parent, "capital", "xlsx", out,
                                report_catalog.ReportOptions(date=day, year=2023))
    sheet = openpyxl.load_workbook(out).worksheets[0]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    names = [_(n) for n in ("Code", "Assigned", "Allocated in detail", "Disbursed")]
    header = next(i for i, row in enumerate(rows) if names[0] in row)
    code, *figures = [rows[header].index(name) for name in names]
    found = {row[code]: tuple(row[i] for i in figures) for row in rows[header + 1:]
             if row[code] in (COMMUNE_A, COMMUNE_B)}
    assert found == expected
    others = [row for row in rows[header + 1:] if isinstance(row[0], int)
              and row[code] not in expected]
    assert len(others) == 9 and all(row[figures[0]] == 0 for row in others)
    total_row = next(row for row in rows if _("Total") in row)
    assert tuple(total_row[i] for i in figures) == tuple(map(sum, zip(*expected.values())))
    # the tasks report at the parent: a row per child with the child's own count
    out = tmp_path / "tong-hop-nhiem-vu.xlsx"
    report_catalog.build_report(parent, "tasks", "xlsx", out,
                                report_catalog.ReportOptions(date=day, year=2023))
    task_rows = [[c.value for c in row] for row in
                 openpyxl.load_workbook(out).worksheets[0].iter_rows()]
    tasks_col = task_rows[next(i for i, r in enumerate(task_rows) if _("Code") in r)]
    code_at, tasks_at = tasks_col.index(_("Code")), tasks_col.index(_("Tasks"))
    counted = {row[code_at]: row[tasks_at] for row in task_rows
               if row[code_at] in (COMMUNE_A, COMMUNE_B)}
    assert counted == {COMMUNE_A: len(task_ids(a, {}, "directive")),
                       COMMUNE_B: len(task_ids(b, {}, "directive"))}
    assert all(counted.values())
    # who has not reported the capital of the year is named under the table
    note = next(str(row[0]) for row in rows[header:] if row[0] and "Hà Mòn" in str(row[0]))
    assert "Đắk La" in note


def test_parent_only_reports_are_not_offered_to_a_commune(district, tmp_path):
    parent, a, _b = district
    keys = [spec.key for spec in report_catalog.available_reports(a)]
    assert "board" not in keys and "completeness" not in keys and "capital" in keys
    with pytest.raises(UserError) as refused:
        report_catalog.build_report(a, "board", "pdf", tmp_path / "x.pdf")
    assert "board" in str(refused.value)
    assert not (tmp_path / "x.pdf").exists()
    parent_keys = [spec.key for spec in report_catalog.available_reports(parent)]
    assert len(parent_keys) == len(set(parent_keys))
    assert {"board", "capital", "tasks", "completeness"} <= set(parent_keys)


def test_timeliness_is_judged_on_the_day_the_signed_report_arrived(district, tmp_path):
    """A signed the report on time and it arrived on time; B signed it on time too but its
    package reached the parent after the due date (late); the others sent nothing
    (missing). The sign-off date is kept beside the arrival day."""
    parent, a, b = district
    mail = tmp_path / "mail"
    archive.save_request(parent, kind="capital", period_start=H1[0], period_end=H1[1],
                         due_on=DUE)
    for commune in (a, b):
        issued = archive.issue_report(commune, kind="capital", period_start=H1[0],
                                      period_end=H1[1], issued_on=dt.date(2023, 7, 10))
        archive.sign_off(commune, issued.id, approver="Nguyễn Văn Bình",
                         approved_on=dt.date(2023, 7, 11))
    set_today(parent, dt.date(2023, 7, 14))
    _send(a, parent, mail)
    set_today(parent, dt.date(2023, 7, 18))
    _send(b, parent, mail)
    set_today(parent, dt.date(2023, 7, 25))
    rows = {row.unit_id: row for row in archive.completeness(parent).rows}
    assert rows[COMMUNE_A].state == "on_time" and rows[COMMUNE_B].state == "late"
    assert rows[COMMUNE_A].received_on == dt.date(2023, 7, 14)
    assert rows[COMMUNE_B].received_on == dt.date(2023, 7, 18)
    assert rows[COMMUNE_B].report.approved_on == dt.date(2023, 7, 11)
    assert {row.state for unit, row in rows.items()
            if unit not in (COMMUNE_A, COMMUNE_B)} == {"missing"}
    # a later package repeating B's report does not move its arrival
    archive.issue_report(b, kind="tasks", period_start=H1[0], period_end=H1[1])
    set_today(parent, dt.date(2023, 7, 30))
    _send(b, parent, mail)
    again = {row.unit_id: row for row in archive.completeness(parent).rows}
    assert again[COMMUNE_B].received_on == dt.date(2023, 7, 18)
    # the completeness report prints both dates
    out = tmp_path / "tinh-hinh.xlsx"
    report_catalog.build_report(parent, "completeness", "xlsx", out,
                                report_catalog.ReportOptions(year=2023))
    cells = [c.value for row in openpyxl.load_workbook(out).worksheets[0].iter_rows()
             for c in row]
    assert any("18/07/2023" in str(c) for c in cells)
    assert pgettext("report state", "late") in [str(c) for c in cells]
