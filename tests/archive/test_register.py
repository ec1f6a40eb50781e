"""The register of a commune: numbers, corrections before sign-off, refusals that change
nothing, and files checked against their SHA-256."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from ctmtqg_desktop.services import archive, attachments
from ctmtqg_desktop.store.models.archive import IssuedReport
from tests.parent.conftest import set_today

H1 = (dt.date(2023, 1, 1), dt.date(2023, 6, 30))


@pytest.fixture
def commune(new_workspace):
    workspace = new_workspace(unit="23524")
    set_today(workspace, dt.date(2023, 7, 10))
    return workspace


def _count(workspace) -> int:
    with workspace.session_factory() as session:
        return session.scalar(select(func.count()).select_from(IssuedReport))


def test_numbers_follow_the_register_of_the_year(commune, tmp_path):
    first = archive.issue_report(commune, kind="tasks", period_start=H1[0], period_end=H1[1])
    scan = tmp_path / "bao-cao-ky.pdf"
    scan.write_bytes(b"%PDF-1.4 signed scan")
    second = archive.issue_report(commune, kind="villages", period_start=H1[0],
                                  period_end=H1[1], generate=False, files=[scan],
                                  symbol="bc-ubnd")
    assert (first.number, second.number, second.number_symbol) == (1, 2, "2/BC-UBND")
    assert [f.role for f in second.files] == ["added"]
    with pytest.raises(archive.NumberTaken) as refused:
        archive.issue_report(commune, kind="tasks", period_start=H1[0], period_end=H1[1],
                             number=2)
    assert "1/BC-UBND" not in str(refused.value) and "3" in str(refused.value)
    assert _count(commune) == 2
    # a new year starts the register again
    january = archive.issue_report(commune, kind="tasks", period_start=H1[0],
                                   period_end=dt.date(2023, 12, 31),
                                   issued_on=dt.date(2024, 1, 5))
    assert (january.register_year, january.number) == (2024, 1)
    # corrections before the sign-off; the last number is free again once withdrawn
    fixed = archive.update_report(commune, second.id, title="Báo cáo thôn, làng 6 tháng",
                                  signer_name="Nguyễn Văn An")
    assert (fixed.title, fixed.signer_name) == ("Báo cáo thôn, làng 6 tháng", "Nguyễn Văn An")
    archive.delete_report(commune, second.id)
    assert archive.next_number(commune, 2023) == 2
    assert [r.number for r in archive.issued_reports(commune, year=2023)] == [1]
    assert attachments.list_attachments(commune, archive.ATTACHMENT_TABLE, second.id) == []


def test_the_overview_card_shows_only_when_there_is_something(commune):
    from ctmtqg_desktop.services.archive._overview import archive_section

    assert archive_section(commune) is None
    archive.issue_report(commune, kind="tasks", period_start=H1[0], period_end=H1[1])
    figures = {f.label: (f.value, f.state) for f in archive_section(commune).figures}
    assert figures[archive_section(commune).figures[1].label] == ("1", "due_soon")


def test_bad_input_is_refused_and_changes_nothing(commune, tmp_path):
    cases = [
        dict(kind="board", period_start=H1[0], period_end=H1[1]),  # a parent's report
        dict(kind="nothing", period_start=H1[0], period_end=H1[1]),
        dict(kind="tasks", period_start=H1[1], period_end=H1[0]),
        dict(kind="tasks", period_start=H1[0], period_end=H1[1],
             issued_on=dt.date(2022, 12, 31)),
        dict(kind="tasks", period_start=H1[0], period_end=H1[1], number=0),
        dict(kind="tasks", period_start=H1[0], period_end=H1[1], generate=False),
        dict(kind="tasks", period_start=H1[0], period_end=H1[1],
             files=[tmp_path / "none.pdf"]),
    ]
    for case in cases:
        with pytest.raises(archive.UserError):
            archive.issue_report(commune, **case)
    assert _count(commune) == 0
    issued = archive.issue_report(commune, kind="tasks", period_start=H1[0], period_end=H1[1])
    with pytest.raises(archive.UserError):
        archive.sign_off(commune, issued.id, approver="  ")
    with pytest.raises(archive.UserError):
        archive.sign_off(commune, issued.id, approver="Nguyễn Văn Bình",
                         approved_on=dt.date(2023, 7, 1))
    assert not archive.get_report(commune, issued.id).signed
    with pytest.raises(archive.UserError):
        archive.save_request(commune, kind="tasks", period_start=H1[0], period_end=H1[1],
                             due_on=dt.date(2023, 7, 15))


def test_a_signed_file_altered_on_disk_is_refused(commune, tmp_path):
    issued = archive.issue_report(commune, kind="tasks", period_start=H1[0], period_end=H1[1])
    signed = archive.sign_off(commune, issued.id, approver="Nguyễn Văn Bình")
    path = attachments.attachment_store(commune).path_for(signed.signed_file.sha256)
    assert archive.open_file(commune, issued.id, tmp_path / "a").read_bytes() == \
        path.read_bytes()
    path.chmod(0o644)
    path.write_bytes(path.read_bytes() + b"x")
    with pytest.raises(archive.UserError) as refused:
        archive.open_file(commune, issued.id, tmp_path / "b")
    assert "SHA-256" in str(refused.value)


@pytest.mark.parametrize(("text", "label"), [
    ("2023", "Year 2023"), ("6t/2023", "First 6 months of 2023"),
    ("9T/2023", "9 months of 2023"), ("q2/2023", "Quarter II/2023"),
    ("t6/2023", "Month 6/2023"), ("01/03/2023-15/04/2023", "01/03/2023 to 15/04/2023")])
def test_periods(text, label):
    from ctmtqg_desktop.i18n import _

    start, end = archive.parse_period(text)
    english = label.split(" ")
    assert archive.period_label(start, end) == {
        "Year": _("Year {year}").format(year=end.year),
        "First": _("First 6 months of {year}").format(year=end.year),
        "9": _("9 months of {year}").format(year=end.year),
        "Quarter": _("Quarter {quarter}/{year}").format(quarter="II", year=2023),
        "Month": _("Month {month}/{year}").format(month=6, year=2023),
        "01/03/2023": _("{start} to {end}").format(start="01/03/2023", end="15/04/2023"),
    }[english[0]]
    with pytest.raises(archive.UserError):
        archive.parse_period("q5/2023")


def test_a_parent_request_is_checked(new_workspace):
    parent = new_workspace(unit="615", role="parent", name="Phòng Tài chính - Kế hoạch")
    set_today(parent, dt.date(2023, 7, 10))
    for case in (dict(kind="tasks", due_on=dt.date(2023, 6, 29)),  # before the period ends
                 dict(kind="board", due_on=dt.date(2023, 7, 15)),  # no commune makes it
                 dict(kind="nothing", due_on=dt.date(2023, 7, 15))):
        with pytest.raises(archive.UserError):
            archive.save_request(parent, period_start=H1[0], period_end=H1[1], **case)
    assert archive.list_requests(parent) == []
    saved = archive.save_request(parent, kind="tasks", period_start=H1[0], period_end=H1[1],
                                 due_on=dt.date(2023, 7, 15))
    assert saved.title.endswith(archive.period_phrase(*H1))
    assert archive.period_phrase(*archive.parse_period("q2/2023")).endswith("II/2023")
    archive.delete_request(parent, saved.id)
    assert archive.list_requests(parent) == []
