"""The services of directives, dossier documents and issued reports refuse what breaks a field
rule (issue 12, "one value, one rule, everywhere"; issue 15, "enforced by the service"): the
sentence names the field in Vietnamese, and nothing is stored or journalled."""

import datetime as dt

import pytest
from sqlalchemy import func, select

from ctmtqg_desktop.domain.field_rules import FieldRuleBroken
from ctmtqg_desktop.services import archive, dossiers, tasks
from ctmtqg_desktop.store.models.archive import IssuedReport
from ctmtqg_desktop.store.models.journal import ChangeJournalEntry
from tests.parent.conftest import set_today
from tests.services.test_dossiers import dossier_named, line

H1 = (dt.date(2023, 1, 1), dt.date(2023, 6, 30))


def journal(workspace) -> int:
    with workspace.session_factory() as session:
        return session.scalar(select(func.count()).select_from(ChangeJournalEntry))


def test_a_directive_too_long_is_refused(demo_workspace):
    before, listed = journal(demo_workspace), len(tasks.list_directives(demo_workspace))
    with pytest.raises(FieldRuleBroken) as caught:
        tasks.save_directive(demo_workspace, number_symbol="1" * 61, doc_type="Công văn",
                             issuing_body="UBND huyện", title="Kế hoạch năm 2024")
    assert str(caught.value) == "“Số, ký hiệu”: 61 ký tự, chỉ được tối đa 60 ký tự."
    with pytest.raises(FieldRuleBroken) as caught:
        tasks.save_directive(demo_workspace, number_symbol="12/KH-UBND", doc_type="Công văn",
                             issuing_body="UBND huyện", title="K" * 501)
    assert "“Tiêu đề”: 501 ký tự" in str(caught.value)
    assert journal(demo_workspace) == before
    assert len(tasks.list_directives(demo_workspace)) == listed
    saved = tasks.save_directive(demo_workspace, number_symbol="1" * 60, doc_type="Công văn",
                                 issuing_body="UBND huyện", title="K" * 500)
    assert saved.title == "K" * 500  # at the limit it passes


def test_a_dossier_document_too_long_is_refused(demo_workspace):
    summary = dossier_named(demo_workspace, "kênh mương")
    document = line(dossiers.get_dossier(demo_workspace, summary.id), "assignment_contract")
    before = journal(demo_workspace)
    with pytest.raises(FieldRuleBroken) as caught:
        dossiers.update_document(demo_workspace, document.id, status="signed",
                                 number="12/HĐ-UBND", signer="N" * 201)
    assert str(caught.value) == "“Người ký”: 201 ký tự, chỉ được tối đa 200 ký tự."
    assert journal(demo_workspace) == before
    stored = line(dossiers.get_dossier(demo_workspace, summary.id), "assignment_contract")
    assert (stored.status, stored.number, stored.signer) == (document.status, document.number,
                                                             document.signer)


def test_an_issued_report_too_long_is_refused_before_any_file(new_workspace):
    commune = new_workspace(unit="23524")
    set_today(commune, dt.date(2023, 7, 10))
    files = sorted(p for p in commune.folder.rglob("*") if p.is_file())
    before = journal(commune)
    with pytest.raises(FieldRuleBroken) as caught:
        archive.issue_report(commune, kind="tasks", period_start=H1[0], period_end=H1[1],
                             symbol="B" * 41)
    assert str(caught.value) == "“Ký hiệu”: 41 ký tự, chỉ được tối đa 40 ký tự."
    with pytest.raises(FieldRuleBroken):
        archive.issue_report(commune, kind="tasks", period_start=H1[0], period_end=H1[1],
                             title="T" * 301)
    with commune.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(IssuedReport)) == 0
    assert journal(commune) == before
    assert sorted(p for p in commune.folder.rglob("*") if p.is_file()
                  and not p.name.startswith(("ctmtqg.log", "workspace.db"))) == \
        [p for p in files if not p.name.startswith(("ctmtqg.log", "workspace.db"))]
    report = archive.issue_report(commune, kind="tasks", period_start=H1[0], period_end=H1[1])
    with pytest.raises(FieldRuleBroken) as caught:
        archive.update_report(commune, report.id, note="G" * 1001)
    assert "“Ghi chú”: 1.001 ký tự" in str(caught.value)
    with pytest.raises(FieldRuleBroken) as caught:
        archive.sign_off(commune, report.id, approver="A" * 121)
    # the approver is a leader (a person), not the approving body of a project
    assert str(caught.value).startswith("“Lãnh đạo phê duyệt”: 121 ký tự"), caught.value
    after = archive.get_report(commune, report.id)
    assert (after.note, after.approved_by) == (report.note, report.approved_by)
