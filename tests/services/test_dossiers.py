"""Dossiers on a real workspace (SQLite or PostgreSQL): start, checklist, warnings, forms,
scans, locking, and template versions kept by the dossiers started from them."""

import datetime as dt
import json

import pytest
from sqlalchemy import func, select

from ctmtqg_desktop.domain.dossier_templates import TemplateInvalid
from ctmtqg_desktop.domain.errors import BadArgument
from ctmtqg_desktop.services import projects
from ctmtqg_desktop.services.dossiers import _records as dossiers
from ctmtqg_desktop.services.dossiers import _templates as dossier_templates
from ctmtqg_desktop.store.models.dossiers import DossierDocument
from ctmtqg_desktop.store.models.journal import ChangeJournalEntry


def project_named(workspace, fragment):
    return next(p for p in projects.list_projects(workspace) if fragment in p.name)


def dossier_named(workspace, fragment):
    return next(s for s in dossiers.list_dossiers(workspace) if fragment in s.project_name)


def line(detail, code):
    return next(line for line in detail.documents if line.code == code)


def test_the_demo_has_a_dossier_per_kind_in_several_states(demo_workspace):
    summaries = dossiers.list_dossiers(demo_workspace)
    kinds = {s.project_kind for s in summaries}
    assert {"construction_special", "production_support", "housing_support", "training",
            "communication"} <= kinds
    assert any(s.locked and s.percent == 100 for s in summaries)
    assert any(s.warnings for s in summaries)
    assert any(s.percent == 0 for s in summaries)
    assert [s.project_name for s in dossiers.list_dossiers(demo_workspace, state="locked")] == [
        "Tập huấn nâng cao năng lực cho cán bộ thôn, làng và cộng đồng triển khai Chương trình"]
    found = dossiers.list_dossiers(demo_workspace, query="kon mong tu")
    assert [s.project_name for s in found] == ["Đường giao thông nội làng Kon Mong Tu"]
    assert "Hỗ trợ nhà ở cho hộ nghèo, hộ cận nghèo năm 2023" in [
        p.name for p in dossiers.projects_without_dossier(demo_workspace)]


def test_starting_a_dossier_creates_its_checklist_from_the_newest_template(demo_workspace):
    project = project_named(demo_workspace, "hộ cận nghèo năm 2023")
    detail = dossiers.start_dossier(demo_workspace, project.id)
    assert detail.summary.template_id == "housing_support.62@2"
    statuses = [line.status for line in detail.documents]
    assert statuses == ["missing"] * len(detail.template.documents)
    assert detail.summary.percent == 0 and detail.summary.current_stage == "preparation"
    with pytest.raises(dossiers.DossierExists) as caught:
        dossiers.start_dossier(demo_workspace, project.id)
    assert "đã có hồ sơ" in str(caught.value)
    with demo_workspace.session_factory() as session:
        journalled = session.execute(select(func.count()).where(
            ChangeJournalEntry.table_name == "dossier_document",
            ChangeJournalEntry.record_id.in_([line.id for line in detail.documents]))).scalar()
    assert journalled == len(detail.documents)


def test_a_later_stage_started_early_is_warned_about(demo_workspace):
    summary = dossier_named(demo_workspace, "kênh mương")
    detail = dossiers.get_dossier(demo_workspace, summary.id)
    assert detail.warnings == ()
    saved = dossiers.update_document(demo_workspace, line(detail, "assignment_contract").id,
                                     status="signed", number="12/HĐ-UBND",
                                     document_date=dt.date(2023, 10, 12),
                                     signed_on=dt.date(2023, 10, 12), signer="Nguyễn Văn Hải")
    names = " ".join(saved.warnings)
    assert "Giai đoạn “Thực hiện” đã bắt đầu" in names
    for missing in ("Biên bản họp thôn", "Hồ sơ xây dựng công trình đơn giản",
                    "Báo cáo kết quả thẩm định", "Quyết định phê duyệt hồ sơ"):
        assert missing in names
    assert len(saved.warnings) == 4
    stored = line(saved.detail, "assignment_contract")
    assert (stored.status, stored.number, stored.signer) == ("signed", "12/HĐ-UBND",
                                                             "Nguyễn Văn Hải")
    # putting things right removes the warning it concerned
    again = dossiers.update_document(demo_workspace, line(detail, "village_minutes").id,
                                     status="signed")
    assert again.warnings == () and len(again.detail.warnings) == 3


def test_setting_the_stage_by_hand_also_warns(demo_workspace):
    summary = dossier_named(demo_workspace, "cà phê")
    saved = dossiers.set_stage(demo_workspace, summary.id, "approval")
    assert saved.detail.summary.current_stage == "approval"
    assert any("Dự án (phương án) sản xuất" in w for w in saved.warnings)
    with pytest.raises(BadArgument):
        dossiers.set_stage(demo_workspace, summary.id, "demolition")


def test_bad_document_input_changes_nothing(demo_workspace):
    summary = dossier_named(demo_workspace, "kênh mương")
    document = line(dossiers.get_dossier(demo_workspace, summary.id), "simplified_dossier")
    with pytest.raises(dossiers.ScanMissing) as caught:
        dossiers.update_document(demo_workspace, document.id, status="scanned")
    assert "hãy đính kèm bản quét trước" in str(caught.value)
    with pytest.raises(BadArgument) as caught:
        dossiers.update_document(demo_workspace, document.id, status="signed",
                                 document_date=dt.date(2023, 10, 10),
                                 signed_on=dt.date(2023, 10, 1))
    assert "Ngày ký trước ngày của văn bản" in str(caught.value)
    with pytest.raises(BadArgument):
        dossiers.update_document(demo_workspace, document.id, status="signed",
                                 signed_on=dt.date(2024, 1, 1))  # after the working date
    assert line(dossiers.get_dossier(demo_workspace, summary.id),
                "simplified_dossier").status == "missing"


def test_a_scan_attached_allows_the_scanned_status(demo_workspace, tmp_path):
    summary = dossier_named(demo_workspace, "kênh mương")
    document = line(dossiers.get_dossier(demo_workspace, summary.id), "simplified_dossier")
    scan = tmp_path / "ban-ve.pdf"
    scan.write_bytes(b"%PDF-1.4 ban ve thiet ke mau")
    info = dossiers.attach(demo_workspace, document.id, scan, caption="Bản vẽ")
    assert info.media_type == "application/pdf"
    saved = dossiers.update_document(demo_workspace, document.id, status="scanned")
    assert line(saved.detail, "simplified_dossier").attachments == 1
    with pytest.raises(BadArgument) as caught:
        dossiers.remove_attachment(demo_workspace, info.id)
    assert "đổi trạng thái" in str(caught.value)


def test_forms_are_checked_and_saved_whole(demo_workspace):
    summary = dossier_named(demo_workspace, "cà phê")
    document = line(dossiers.get_dossier(demo_workspace, summary.id), "project_plan")
    with pytest.raises(dossiers.FormInvalid) as caught:
        dossiers.save_form(demo_workspace, document.id, {
            "objective": "Trồng cà phê xen cây ăn quả", "scale": "18 ha",
            "total_amount": "198.000.000", "state_support": "250.000.000",
            "start_date": "01/12/2023", "end_date": "01/11/2023", "revolving": "Không"})
    problems = caught.value.problems
    assert problems == {"state_support": "Ngân sách hỗ trợ không được lớn hơn tổng kinh phí.",
                        "end_date": "Thời gian kết thúc phải sau thời gian bắt đầu."}
    assert dossiers.form_values(demo_workspace, document.id) == {}
    values = dossiers.save_form(demo_workspace, document.id, {
        "objective": "Trồng cà phê xen cây ăn quả", "scale": "18 ha",
        "total_amount": "198.000.000", "state_support": "165.600.000",
        "start_date": "01/12/2023", "end_date": "30/11/2025", "revolving": "khong"})
    assert values["state_support"] == 165_600_000 and values["revolving"] == "Không"
    assert dossiers.form_values(demo_workspace, document.id) == values
    detail = dossiers.get_dossier(demo_workspace, summary.id)
    assert line(detail, "project_plan").status == "drafting"  # was missing
    with demo_workspace.session_factory() as session:
        stored = session.get(DossierDocument, document.id).form_values
    assert json.loads(stored)["end_date"] == "2025-11-30"


def test_locking_needs_every_required_document_and_then_freezes_the_dossier(demo_workspace):
    summary = dossier_named(demo_workspace, "Nhà văn hóa")
    with pytest.raises(dossiers.DossierNotSettled) as caught:
        dossiers.lock_dossier(demo_workspace, summary.id)
    assert "còn 5 tài liệu bắt buộc" in str(caught.value)
    detail = dossiers.get_dossier(demo_workspace, summary.id)
    for document in detail.documents:
        if document.required and not document.done:
            dossiers.update_document(demo_workspace, document.id, status="signed")
    locked = dossiers.lock_dossier(demo_workspace, summary.id)
    assert locked.summary.locked and locked.summary.locked_on == demo_workspace.today()
    assert locked.summary.current_stage == "settlement"
    first = locked.documents[0]
    with pytest.raises(dossiers.DossierLocked) as caught:
        dossiers.update_document(demo_workspace, first.id, status="drafting")
    assert "đã khóa" in str(caught.value)
    with pytest.raises(dossiers.DossierLocked):
        dossiers.set_stage(demo_workspace, summary.id, "preparation")
    assert dossiers.get_dossier(demo_workspace, summary.id).documents[0].status == first.status


def test_a_newer_template_version_installs_beside_and_old_dossiers_keep_theirs(demo_workspace):
    path = dossier_templates.shipped_templates_dir() / "training.62.v1.yaml"
    text = path.read_text(encoding="utf-8")
    newer = text.replace("version: 1", "version: 2").replace(
        "      - code: cost_estimate", "      - code: venue\n"
        "        name: Hợp đồng thuê hội trường\n        legal_basis: Thông tư 55/2023/TT-BTC\n"
        "        prepared_by: Kế toán xã\n      - code: cost_estimate", 1)
    with pytest.raises(dossier_templates.TemplateVersionConflict):
        dossier_templates.install_template(
            demo_workspace, text.replace("Kế hoạch tổ chức lớp tập huấn", "Kế hoạch"),
            name="training-sua.yaml", origin="package")
    info = dossier_templates.install_template(demo_workspace, newer, name="training.v2.yaml",
                                              origin="package")
    assert info.id == "training.62@2" and info.latest and info.origin == "package"
    ids = [t.id for t in dossier_templates.list_templates(demo_workspace, kind="training")]
    assert ids == ["training.62@1", "training.62@2"]
    assert dossier_templates.template_for_kind(demo_workspace, "training").id == "training.62@2"
    old = dossier_named(demo_workspace, "Tập huấn")
    assert old.template_id == "training.62@1"
    codes = [line.code for line in dossiers.get_dossier(demo_workspace, old.id).documents]
    assert "venue" not in codes
    assert dossier_templates.template_text(demo_workspace, "training.62@2") == newer
    # installing the same version again is harmless
    assert dossier_templates.install_template(demo_workspace, newer, name="x.yaml").id == info.id


def test_a_template_for_an_unknown_kind_is_refused_with_its_file(demo_workspace):
    text = (dossier_templates.shipped_templates_dir() / "training.62.v1.yaml").read_text(
        encoding="utf-8").replace("kind: training", "kind: fishing")
    with pytest.raises(TemplateInvalid) as caught:
        dossier_templates.install_template(demo_workspace, text, name="ca.yaml")
    assert caught.value.data["file"] == "ca.yaml" and "fishing" in str(caught.value)


def test_a_dossier_id_prefix_finds_one_dossier(demo_workspace):
    summary = dossier_named(demo_workspace, "Nhà văn hóa")
    assert dossiers.find_dossier(demo_workspace, str(summary.id)[:8]) == summary.id
    with pytest.raises(dossiers.DossierIdUnknown):
        dossiers.find_dossier(demo_workspace, "zzzzzzzz")


def test_a_fresh_workspace_installs_the_shipped_templates(new_workspace):
    workspace = new_workspace()
    templates = dossier_templates.list_templates(workspace)
    assert {t.kind for t in templates} >= {"production_support", "construction_special",
                                          "housing_support", "training", "communication"}
    assert dossier_templates.province_of(workspace) == "62"
    assert dossiers.list_dossiers(workspace) == []
