"""Acting downward through real packages: dossier templates and handbook pages in the
``references.json`` entry (to the child they are for, resent until acknowledged, checked like
the rest), a province's records for every unit relayed by the district to its communes,
capital lines assigned and used, and the guard against a computer whose clock is ahead."""

from __future__ import annotations

import datetime as dt
import json
import zipfile

import pytest
from sqlalchemy import select, update

from ctmtqg_desktop.domain.errors import UserError
from ctmtqg_desktop.domain.hlc import HybridLogicalClock
from ctmtqg_desktop.resource_paths import resource_path
from ctmtqg_desktop.services import handbook, villages
from ctmtqg_desktop.services.capital import _counterpart as counterpart
from ctmtqg_desktop.services.dossiers import _templates as dossier_templates
from ctmtqg_desktop.services.parent import _dispatch as parent_dispatch
from ctmtqg_desktop.services.sync import _export as sync_export
from ctmtqg_desktop.services.sync import _import as sync_import
from ctmtqg_desktop.services.workspaces import _workspaces as workspaces
from ctmtqg_desktop.store.models.villages import Village
from ctmtqg_desktop.store.uow import UnitOfWork
from ctmtqg_desktop.sync.package_format import CAP_REFERENCES, REFERENCES
from tests.parent.conftest import send, set_today
from tests.sync.forge import rebuild

DISTRICT, FIRST, SECOND = "615", "23524", "23521"


def _documents(tmp_path):
    template = (resource_path("dossiers", "templates", "training.62.v1.yaml")
                .read_text(encoding="utf-8").replace("version: 1", "version: 2", 1)
                .replace("title: Bộ hồ sơ mẫu tổ chức lớp đào tạo, tập huấn",
                         "title: Bộ hồ sơ mẫu tổ chức lớp đào tạo, tập huấn (sửa đổi 2023)"))
    page = (resource_path("handbook", "general.yaml").read_text(encoding="utf-8")
            .replace("version: 1", "version: 2", 1))
    (tmp_path / "training.62.v2.yaml").write_text(template, encoding="utf-8")
    (tmp_path / "general.v2.yaml").write_text(page, encoding="utf-8")
    return tmp_path / "training.62.v2.yaml", tmp_path / "general.v2.yaml"


def test_templates_and_pages_go_to_the_child_they_are_for_until_acknowledged(network,
                                                                            tmp_path):
    parent = network.parent(DISTRICT)
    set_today(parent)
    first = network.enroll(parent, FIRST)
    second = network.enroll(parent, SECOND)
    for commune in (first, second):
        send(commune, parent, tmp_path / "up")  # the district learns their keys
    template_file, page_file = _documents(tmp_path)
    queued = parent_dispatch.send_reference(parent, template_file, kind="dossier_template",
                                            children=[FIRST])
    assert queued.key == "training.62@2" and queued.audiences == (FIRST,)
    parent_dispatch.send_reference(parent, page_file, kind="handbook_page", children=[FIRST])
    # the district installed the new template itself (its board counts with it)
    assert any(t.id == "training.62@2" for t in dossier_templates.list_templates(parent))

    lost = sync_export.export_package(parent, tmp_path / "down", to=FIRST, encrypt=False)
    assert lost.references == 2
    with zipfile.ZipFile(lost.path) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        document = json.loads(archive.read(REFERENCES))
    assert CAP_REFERENCES in manifest["requires"] and REFERENCES in manifest["entries"]
    assert [d["name"] for d in document["dossier_templates"]] == ["training.62.v2.yaml"]
    # the first file is lost; the next one carries the documents again
    again = sync_export.export_package(parent, tmp_path / "down", to=FIRST)
    assert again.references == 2
    outcome = sync_import.import_packages(first, [again.path]).files[0]
    assert outcome.outcome == "applied" and "1" in outcome.message
    installed = {t.id: t for t in dossier_templates.list_templates(first)}
    assert installed["training.62@2"].origin == "package" and installed["training.62@2"].latest
    assert {p.code: p.version for p in handbook.load_pages(first)}["general"] == 2
    # the other commune has none of it
    assert "training.62@2" not in {t.id for t in dossier_templates.list_templates(second)}
    nothing = sync_export.export_package(parent, tmp_path / "down", to=SECOND)
    assert nothing.references == 0
    # not acknowledged until the commune's next package says so; then never sent again
    sent = [i for i in parent_dispatch.sent_items(parent) if i.kind == "template"]
    assert sent[0].recipients == (FIRST,) and sent[0].acknowledged == ()
    send(first, parent, tmp_path / "up")
    sent = {i.kind: i for i in parent_dispatch.sent_items(parent)}
    assert sent["template"].complete and sent["handbook"].complete
    assert sync_export.export_package(parent, tmp_path / "down", to=FIRST).references == 0
    # the lost file turns up late: nothing changes
    assert sync_import.import_packages(first, [lost.path]).files[0].ok


def test_a_bad_template_in_a_package_is_refused_and_changes_nothing(network, tmp_path):
    parent = network.parent(DISTRICT)
    set_today(parent)
    first = network.enroll(parent, FIRST)
    send(first, parent, tmp_path / "up")
    template_file, _page = _documents(tmp_path)
    parent_dispatch.send_reference(parent, template_file, kind="dossier_template",
                                   children=[FIRST])
    clean = sync_export.export_package(parent, tmp_path / "down", to=FIRST, encrypt=False)

    def break_template(manifest, lines):
        return manifest, lines

    forged = rebuild(clean.path, tmp_path / "forged.ctsync", parent, edit=break_template)
    with zipfile.ZipFile(forged) as archive:
        entries = {name: archive.read(name) for name in archive.namelist()}
    document = json.loads(entries[REFERENCES])
    document["dossier_templates"][0]["text"] = document["dossier_templates"][0]["text"] \
        .replace("stage: preparation", "stage: somewhere", 1)
    (tmp_path / "bad").mkdir()
    source = tmp_path / "bad" / "source.ctsync"
    with zipfile.ZipFile(source, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, json.dumps(document, ensure_ascii=False).encode("utf-8")
                             if name == REFERENCES else data)
    bad = rebuild(source, tmp_path / "bad.ctsync", parent)
    before = workspaces.dump(first)
    outcome = sync_import.import_packages(first, [bad]).files[0]
    assert outcome.outcome == "rejected" and outcome.code == "bad_references"
    assert "hồ sơ mẫu" in outcome.message
    assert workspaces.dump(first) == before
    assert "training.62@2" not in {t.id for t in dossier_templates.list_templates(first)}
    # the genuine package is applied
    assert sync_import.import_packages(first, [clean.path]).files[0].outcome == "applied"


def test_a_provinces_rule_for_every_unit_reaches_the_communes_through_the_district(
        network, tmp_path):
    province = network.parent("62", "Sở Kế hoạch và Đầu tư")
    district = network.enroll(province, DISTRICT, "Phòng Tài chính - Kế hoạch")
    commune = network.enroll(district, FIRST)
    send(district, province, tmp_path / "up")
    send(commune, district, tmp_path / "up")
    rule = counterpart.save_rule(province, program_id="2021-2025/DTTS", capital_kind="DTPT",
                                 ratio_bp=1500, legal_basis="Nghị quyết số 21/2022/NQ-HĐND",
                                 valid_from=dt.date(2022, 1, 1))
    assert rule.audience_unit_id == "*"
    # a village the province wrote for the district only (audience = the district)
    with UnitOfWork(province) as uow:
        uow.session.add(Village(name="Ghi chú riêng cho huyện", audience_unit_id=DISTRICT))
        uow.commit()
    _down, outcome = send(province, district, tmp_path / "down", to=DISTRICT)
    assert outcome.outcome == "applied"
    _down, outcome = send(district, commune, tmp_path / "down", to=FIRST)
    assert outcome.outcome == "applied", outcome.message
    records = counterpart.rule_records(commune)
    assert [(r.owner_unit_id, r.ratio_bp, r.origin) for r in records] == [
        ("62", 1500, counterpart.FROM_PARENT)]
    assert counterpart.effective_rules(commune, 2023)[("2021-2025/DTTS", "DTPT")].ratio_bp == \
        1500
    with commune.session_factory() as session:
        assert session.scalars(select(Village)).all() == []


def test_capital_assigned_by_the_district_is_used_not_changed_by_the_commune(network,
                                                                             tmp_path):
    from ctmtqg_desktop.services import capital, projects

    parent = network.parent(DISTRICT)
    set_today(parent)
    commune = network.enroll(parent, FIRST)
    set_today(commune)
    send(commune, parent, tmp_path / "up")
    with pytest.raises(UserError) as wrong:
        parent_dispatch.assign_capital(parent, amounts={"23341": 1_000_000}, year=2023,
                                       program_id="2021-2025/NTM", capital_kind="DTPT",
                                       source="NSTW")
    assert "không phải là đơn vị cấp dưới" in str(wrong.value)
    with pytest.raises(UserError):
        parent_dispatch.assign_capital(parent, amounts={FIRST: 0}, year=2023,
                                       program_id="2021-2025/NTM", capital_kind="DTPT",
                                       source="NSTW")
    parent_dispatch.assign_capital(parent, amounts={FIRST: 800_000_000}, year=2023,
                                   program_id="2021-2025/NTM", capital_kind="DTPT",
                                   source="NSTW", decision_number="12/QĐ-UBND")
    # not the district's own plan
    assert capital.list_lines(parent, year=2023) == []
    send(parent, commune, tmp_path / "down", to=FIRST)
    line = capital.list_lines(commune, year=2023)[0]
    assert (line.owner_unit_id, line.audience_unit_id, line.amount) == \
        (DISTRICT, FIRST, 800_000_000)
    project = projects.save_project(commune, name="Đường nội thôn 3",
                                    program_id="2021-2025/NTM", kind="construction_special")
    with pytest.raises(UserError) as too_much:
        capital.save_allocation(commune, line_id=line.id, project_id=project.id,
                                amount=900_000_000)
    assert "800.000.000" in str(too_much.value)
    capital.save_allocation(commune, line_id=line.id, project_id=project.id,
                            amount=600_000_000)
    assert capital.get_line(commune, line.id).figures.allocated == 600_000_000


def test_a_package_from_a_computer_whose_clock_is_years_ahead_is_refused(network, tmp_path):
    parent = network.parent(DISTRICT)
    commune = network.enroll(parent, FIRST)
    village = villages.save_village(commune, name="Thôn Kon Gung")
    # the commune's clock said 2031 when it saved the change
    future = HybridLogicalClock(commune.installation().node_id.hex,
                                now_ms=lambda: 1_940_000_000_000).tick()
    with UnitOfWork(commune) as uow:
        uow.context.clock = HybridLogicalClock(commune.installation().node_id.hex,
                                               now_ms=lambda: 1_940_000_000_000)
        row = uow.session.get(Village, village.id)
        row.households = 99
        uow.commit()
    with commune.session_factory() as session:
        assert session.get(Village, village.id).version[:4] == future[:4]
    before = workspaces.dump(parent)
    _result, outcome = send(commune, parent, tmp_path / "up")
    assert outcome.outcome == "rejected" and outcome.code == "clock_ahead"
    assert "ngày giờ" in outcome.message and "2031" in outcome.message
    assert workspaces.dump(parent) == before
    # within the tolerance (a clock a few hours ahead) nothing is refused
    with UnitOfWork(commune) as uow:
        uow.session.execute(update(Village).values(households=5))  # no version: not sent
        uow.commit()


def test_a_commune_cannot_change_what_its_district_assigned(network, tmp_path):
    """Locally the services refuse (the acceptance test); here a package forged by the
    commune's own installation, with a newer version of the district's task, is refused by
    the district and changes nothing."""
    from ctmtqg_desktop.domain import schedules
    from ctmtqg_desktop.store.models.tasks import Task

    parent = network.parent(DISTRICT)
    set_today(parent)
    commune = network.enroll(parent, FIRST)
    send(commune, parent, tmp_path / "up")
    parent_dispatch.assign_directive(
        parent, children=[FIRST], title="Rà soát hộ nghèo",
        task_drafts=[parent_dispatch.TaskDraft("Gửi danh sách", schedules.Schedule(
            schedules.ONCE, deadline=dt.date(2023, 11, 30)))])
    send(parent, commune, tmp_path / "down", to=FIRST)
    villages.save_village(commune, name="Thôn 3")
    clean = sync_export.export_package(commune, tmp_path / "up", encrypt=False)
    with parent.session_factory() as session:
        task = session.scalars(select(Task).where(Task.owner_unit_id == DISTRICT)).one()
        original = (task.text, task.version)
    node = commune.installation().node_id

    def tamper(manifest, lines):
        from ctmtqg_desktop.store.codec import record_to_dict

        with commune.session_factory() as session:
            record = json.loads(json.dumps(record_to_dict(session.get(Task, task.id)),
                                           default=str))
        record["text"] = "Không cần làm"
        record["origin_node_id"] = str(node)
        record["version"] = HybridLogicalClock(node.hex).tick()
        last = lines[-1]["seq"]
        lines.append({"base": None, "op": "update", "record": record, "seq": last + 1,
                      "table": "task"})
        manifest["sequence"]["last"] = last + 1
        return manifest, lines

    forged = rebuild(clean.path, tmp_path / "forged.ctsync", commune, edit=tamper)
    before = workspaces.dump(parent)
    outcome = sync_import.import_packages(parent, [forged]).files[0]
    assert outcome.outcome == "rejected" and outcome.code == "not_owner"
    assert "Huyện Đắk Hà" in outcome.message
    assert workspaces.dump(parent) == before
    with parent.session_factory() as session:
        row = session.get(Task, task.id)
        assert (row.text, row.version) == original
    assert sync_import.import_packages(parent, [clean.path]).files[0].outcome == "applied"


def test_a_template_an_older_installation_cannot_read_waits_until_it_is_updated(network,
                                                                               tmp_path):
    """Minutes of template version 2 have ``time`` fields, which installations of data
    version 0801_archive do not know: they would refuse the whole package
    (``bad_references``). The parent holds such a template back from a child whose last
    package came from an older data version, says so, and sends it with the first package
    after the child's next package shows the update; other documents go down meanwhile."""
    from ctmtqg_desktop.store.models.sync import SyncIncoming

    parent = network.parent(DISTRICT)
    set_today(parent)
    first = network.enroll(parent, FIRST)
    send(first, parent, tmp_path / "up")
    # the commune's package came from an installation not yet updated (its manifest's data
    # version, as an installation of the previous release writes it)
    with UnitOfWork(parent) as uow:
        uow.session.execute(update(SyncIncoming).where(SyncIncoming.sender_unit_id == FIRST)
                            .values(schema_revision="0801_archive"))
        uow.commit()
    minutes = (resource_path("dossiers", "templates", "construction_special.62.v2.yaml")
               .read_text(encoding="utf-8").replace("version: 2", "version: 3", 1))
    assert "type: time" in minutes
    (tmp_path / "construction_special.62.v3.yaml").write_text(minutes, encoding="utf-8")
    training, _page = _documents(tmp_path)
    for path in (tmp_path / "construction_special.62.v3.yaml", training):
        parent_dispatch.send_reference(parent, path, kind="dossier_template", children=[FIRST])

    held = sync_export.export_package(parent, tmp_path / "down", to=FIRST, encrypt=False)
    assert held.references == 1  # the training template only
    with zipfile.ZipFile(held.path) as archive:
        document = json.loads(archive.read(REFERENCES))
    assert [d["name"] for d in document["dossier_templates"]] == ["training.62.v2.yaml"]
    message = sync_export.export_message(held)
    assert "(phiên bản 3)" in message and "chưa đọc được mẫu này" in message
    # what the officer reads names the template, not the data versions or internal codes
    assert not any(code in message for code in ("0801_archive", "0901_stored_text",
                                                "construction_special"))
    assert sync_import.import_packages(first, [held.path]).files[0].outcome == "applied"
    waiting = {i.title: i.needs_update for i in parent_dispatch.sent_items(parent)
               if i.kind == "template"}
    assert [v for k, v in waiting.items() if "construction_special.62@3" in k] == [(FIRST,)]
    assert [v for k, v in waiting.items() if "training.62@2" in k] == [()]

    send(first, parent, tmp_path / "up")  # the updated commune's next package
    sent = sync_export.export_package(parent, tmp_path / "down", to=FIRST, encrypt=False)
    assert sent.references == 1 and sent.held_back == ()  # training was acknowledged
    with zipfile.ZipFile(sent.path) as archive:
        document = json.loads(archive.read(REFERENCES))
    assert [d["name"] for d in document["dossier_templates"]] == [
        "construction_special.62.v3.yaml"]
    assert sync_import.import_packages(first, [sent.path]).files[0].outcome == "applied"
    assert "construction_special.62@3" in {t.id for t in
                                           dossier_templates.list_templates(first)}
    assert all(i.needs_update == () for i in parent_dispatch.sent_items(parent))


def test_what_the_parent_assigns_obeys_the_field_rules_and_never_blocks_its_export(
        network, tmp_path):
    """A title, task or decision number longer than the receivers accept is refused when it
    is assigned, naming the field, and nothing is written: before, it was saved and then
    blocked every package of the parent (``RecordBreaksRule``)."""
    from ctmtqg_desktop.domain import schedules
    from ctmtqg_desktop.domain.field_rules import FieldRuleBroken
    from ctmtqg_desktop.store.models.capital import CapitalLine
    from ctmtqg_desktop.store.models.tasks import Directive, Task

    parent = network.parent(DISTRICT)
    set_today(parent)
    commune = network.enroll(parent, FIRST)
    send(commune, parent, tmp_path / "up")
    once = schedules.Schedule(schedules.ONCE, deadline=dt.date(2023, 11, 30))
    for title, text in (("Rà soát " * 80, "Gửi danh sách"), ("Rà soát", "Gửi " * 600)):
        with pytest.raises(FieldRuleBroken) as refused:
            parent_dispatch.assign_directive(
                parent, children=[FIRST], title=title,
                task_drafts=[parent_dispatch.TaskDraft(text, once)])
        assert ("Tiêu đề" if len(title) > 500 else "Nhiệm vụ") in str(refused.value)
    with pytest.raises(FieldRuleBroken) as refused:
        parent_dispatch.assign_capital(parent, amounts={FIRST: 800_000_000}, year=2023,
                                       program_id="2021-2025/NTM", capital_kind="DTPT",
                                       source="NSTW", decision_number="300/QĐ-UBND " * 20)
    assert "quyết định" in str(refused.value).lower()
    with parent.session_factory() as session:
        for model in (Directive, Task, CapitalLine):
            assert not session.scalars(select(model).where(
                model.owner_unit_id == DISTRICT)).first(), model
    assert sync_export.export_package(parent, tmp_path / "down", to=FIRST).path.exists()
