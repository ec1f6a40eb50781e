"""Issue 13, carrying over after the merger: Xã Đăk Hà (23500@2025-07-01) carries its three
predecessors' unfinished 2021-2025 projects, tasks and undisbursed 2025 capital into 2026
under the 2026-2035 programme; their records stay unchanged history; nothing is carried
twice; the new records go up and the province accepts them."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from ctmtqg_desktop.domain.errors import UserError
from ctmtqg_desktop.services import history, sync, workspaces
from ctmtqg_desktop.store.models.capital import (
    CapitalAllocation,
    CapitalLine,
    CapitalPayment,
    CapitalReturn,
)
from ctmtqg_desktop.store.models.dossiers import Dossier, DossierDocument
from ctmtqg_desktop.store.models.history import CarriedRecord
from ctmtqg_desktop.store.models.journal import ChangeJournalEntry
from ctmtqg_desktop.store.models.projects import Project
from ctmtqg_desktop.store.models.tasks import Task
from ctmtqg_desktop.store.uow import UnitOfWork
from tests.dak_ha import NEW, OLD_UNITS

PROGRAM_2026 = "2026-2035/NTM-GNBV-DTTS"
OLD = sorted(OLD_UNITS)


def _expected(workspace):
    """What should be carried, computed straight from the tables."""
    with UnitOfWork.read(workspace) as session:
        projects = set(session.scalars(select(Project.id).where(
            Project.owner_unit_id.in_(OLD), Project.deleted.is_(False),
            Project.stage.in_(("preparation", "implementation")))))
        tasks = set(session.scalars(select(Task.id).where(
            Task.owner_unit_id.in_(OLD), Task.deleted.is_(False), Task.status != "done")))
        remainders = {}
        for line in session.scalars(select(CapitalLine).where(
                CapitalLine.owner_unit_id.in_(OLD), CapitalLine.year == 2025,
                CapitalLine.deleted.is_(False))):
            paid = session.scalar(select(func.coalesce(func.sum(CapitalPayment.amount), 0))
                                  .join(CapitalAllocation, CapitalAllocation.id ==
                                        CapitalPayment.allocation_id)
                                  .where(CapitalAllocation.line_id == line.id,
                                         CapitalPayment.deleted.is_(False),
                                         CapitalPayment.paid_on <= dt.date(2025, 12, 31)))
            returned = session.scalar(select(func.coalesce(func.sum(CapitalReturn.amount), 0))
                                      .where(CapitalReturn.line_id == line.id,
                                             CapitalReturn.deleted.is_(False)))
            if line.amount - paid - returned > 0:
                remainders[line.id] = (line, line.amount - paid - returned)
    return projects, tasks, remainders


def _snapshot(workspace, owners):
    """Every record the given units own, with its version: history must not move."""
    with UnitOfWork.read(workspace) as session:
        rows = {}
        for model in (Project, Task, CapitalLine, CapitalAllocation, Dossier, DossierDocument):
            for ident, version, deleted in session.execute(select(
                    model.id, model.version, model.deleted).where(
                    model.owner_unit_id.in_(owners))):
                rows[ident] = (version, deleted)
        journal = session.scalar(select(func.count()).select_from(ChangeJournalEntry))
    return rows, journal


def test_the_preview_lists_what_is_unfinished_with_its_mapping_and_changes_nothing(dak_ha):
    _province, commune = dak_ha
    before = _snapshot(commune, OLD + [NEW])
    plan = history.preview(commune)
    projects, tasks, remainders = _expected(commune)
    assert plan.predecessors == OLD_UNITS and plan.merged_on == dt.date(2025, 7, 1)
    by_kind = {kind: {item.source_id for item in plan.items if item.kind == kind}
               for kind in (history.PROJECT, history.TASK, history.CAPITAL)}
    assert by_kind[history.PROJECT] == projects and len(projects) >= 10
    assert by_kind[history.TASK] == tasks and tasks
    assert by_kind[history.CAPITAL] == set(remainders)
    for item in plan.items:
        assert item.unit_title == OLD_UNITS[item.source_unit_id]
        if item.kind == history.CAPITAL:
            line, remainder = remainders[item.source_id]
            assert item.amount == remainder and isinstance(item.amount, int)
            assert item.capital_mode == (history.EXTENSION if line.capital_kind == "DTPT"
                                         else history.CARRY_FORWARD)
            assert item.carry_rule  # quoted from capital.json for 2021-2025
            # the district budget ended with the district: not carried, said why
            assert bool(item.blocked) == (line.source == "NSDP_HUYEN")
        if item.kind == history.PROJECT:
            # component rows of the mapping are unverified, and the preview says so
            assert item.new_key == PROGRAM_2026 and item.confidence == "unverified"
            assert item.confidence_label == "chưa xác minh"
    assert any(item.kind == history.CAPITAL and item.confidence == "partial"
               for item in plan.items)
    assert _snapshot(commune, OLD + [NEW]) == before


def test_carry_creates_the_successors_2026_records_once(dak_ha):
    _province, commune = dak_ha
    plan = history.preview(commune)
    history_before = _snapshot(commune, OLD)
    projects, tasks, remainders = _expected(commune)
    carriable = {ident: amount for ident, (line, amount) in remainders.items()
                 if line.source != "NSDP_HUYEN"}
    outcome = history.carry(commune)
    assert (outcome.projects, outcome.tasks, outcome.capital_lines) == (
        len(projects), len(tasks), len(carriable))
    assert outcome.amount == sum(carriable.values())
    with UnitOfWork.read(commune) as session:
        for old_id in projects:
            old, new = session.get(Project, old_id), session.get(Project, outcome.new_ids[old_id])
            assert new.owner_unit_id == NEW and new.id != old.id and new.name == old.name
            assert new.program_id == PROGRAM_2026 and new.stage == old.stage
            assert OLD_UNITS[old.owner_unit_id] in new.description
            old_dossiers = session.scalar(select(func.count()).select_from(Dossier).where(
                Dossier.project_id == old_id))
            new_dossiers = list(session.scalars(select(Dossier).where(
                Dossier.project_id == new.id)))
            assert len(new_dossiers) == old_dossiers
            for dossier in new_dossiers:
                assert dossier.owner_unit_id == NEW
                assert session.scalar(select(func.count()).select_from(DossierDocument).where(
                    DossierDocument.dossier_id == dossier.id)) > 0
        for old_id in tasks:
            new = session.get(Task, outcome.new_ids[old_id])
            assert new.owner_unit_id == NEW and new.text == session.get(Task, old_id).text
        for old_id, amount in carriable.items():
            old = session.get(CapitalLine, old_id)
            new = session.get(CapitalLine, outcome.new_ids[old_id])
            assert (new.owner_unit_id, new.year, new.program_id, new.amount) == (
                NEW, 2026, PROGRAM_2026, amount)
            assert (new.capital_kind, new.source) == (old.capital_kind, old.source)
            assert ("kéo dài" if old.capital_kind == "DTPT" else "chuyển nguồn") in new.note
            # the allocations' undisbursed parts follow the carried projects, within the line
            allocated = session.scalar(select(func.coalesce(func.sum(
                CapitalAllocation.amount), 0)).where(CapitalAllocation.line_id == new.id))
            assert 0 <= allocated <= new.amount
        links = list(session.scalars(select(CarriedRecord)))
        assert {link.source_id for link in links if link.source_table != "dossier"} == \
            projects | tasks | set(carriable)
        assert all(link.owner_unit_id == NEW and link.source_unit_id in OLD_UNITS
                   for link in links)
    assert _snapshot(commune, OLD)[0] == history_before[0]  # the predecessors' records unchanged
    report = workspaces.check(commune)  # every new record equals its journal entry
    assert report.ok, report
    again = history.preview(commune)
    assert not again.pending and len(again.carried) == len(plan.pending)
    after = _snapshot(commune, OLD + [NEW])
    with pytest.raises(history.NothingToCarry):
        history.carry(commune)
    key = next(iter(projects))
    with pytest.raises(history.AlreadyCarried, match="đã được chuyển tiếp"):
        history.carry(commune, [str(key)])
    assert _snapshot(commune, OLD + [NEW]) == after


def test_the_carried_records_go_up_and_the_province_accepts_them(dak_ha, tmp_path):
    province, commune = dak_ha
    outcome = history.carry(commune)
    package = sync.export_package(commune, tmp_path / "usb").path
    assert package.is_file()
    (result,) = sync.import_packages(province, [package]).files
    assert result.outcome == "applied", result.message
    with UnitOfWork.read(province) as session:
        for old_id, new_id in outcome.new_ids.items():
            carried = session.scalar(select(CarriedRecord).where(
                CarriedRecord.source_id == old_id))
            assert carried is not None and carried.target_id == new_id
            assert carried.owner_unit_id == NEW
        lines = session.scalars(select(CapitalLine).where(
            CapitalLine.id.in_(list(outcome.new_ids.values())))).all()
        assert len(lines) == outcome.capital_lines
        assert sum(line.amount for line in lines) == outcome.amount
        assert all(line.owner_unit_id == NEW and line.year == 2026 for line in lines)
        # a commune writes only its own records: the history never went up
        owners = set(session.scalars(select(Project.owner_unit_id).distinct()))
        assert owners == {NEW}


def test_a_unit_formed_by_no_merger_is_refused_and_nothing_changes(new_workspace):
    # Phường Ba Đình (Hà Nội): the catalog holds no unit it continues (Hà Nội's units
    # before 01/07/2025 are not in it); Đặc khu Lý Sơn continues huyện Lý Sơn since the
    # catalog has old Quảng Ngãi
    workspace = new_workspace(unit="00004@2025-07-01")
    with UnitOfWork.read(workspace) as session:
        journal = session.scalar(select(func.count()).select_from(ChangeJournalEntry))
    with pytest.raises(history.NotAMergedSuccessor, match="Ba Đình"):
        history.preview(workspace)
    with pytest.raises(UserError):
        history.carry(workspace)
    with UnitOfWork.read(workspace) as session:
        assert session.scalar(select(func.count()).select_from(ChangeJournalEntry)) == journal
        assert not session.scalars(select(CarriedRecord)).all()


def test_the_province_is_told_that_communes_carry_over_and_nothing_changes(dak_ha, capsys):
    # Tỉnh Quảng Ngãi continues Kon Tum, yet carrying over is each commune's work: the
    # province is refused by role, not told that there is "nothing to carry"
    province, _commune = dak_ha
    with UnitOfWork.read(province) as session:
        journal = session.scalar(select(func.count()).select_from(ChangeJournalEntry))
    with pytest.raises(history.CarryIsForCommunes, match="Quảng Ngãi"):
        history.preview(province)
    with pytest.raises(history.CarryIsForCommunes):
        history.carry(province)
    from ctmtqg_desktop.cli import main
    assert main(["history", "carry", "--yes", "--workspace", str(province.folder)]) != 0
    assert "do từng xã" in capsys.readouterr().err
    with UnitOfWork.read(province) as session:
        assert session.scalar(select(func.count()).select_from(ChangeJournalEntry)) == journal
        assert not session.scalars(select(CarriedRecord)).all()


def test_a_record_that_cannot_be_carried_is_refused_by_name(dak_ha):
    _province, commune = dak_ha
    blocked = next(item for item in history.preview(commune).items if item.blocked)
    before = _snapshot(commune, OLD + [NEW])
    with pytest.raises(history.NotCarriable, match="Ngân sách huyện"):
        history.carry(commune, [blocked.key])
    with pytest.raises(history.UnknownRecord):
        history.carry(commune, ["zzzzzzzz"])
    assert _snapshot(commune, OLD + [NEW]) == before
    assert workspaces.check(commune).ok


def test_the_overview_points_to_the_carry_page_until_everything_is_carried(dak_ha):
    from ctmtqg_desktop.services import overview

    _province, commune = dak_ha
    title = "Việc của đơn vị trước sắp xếp chưa chuyển tiếp"
    (card,) = [s for s in overview.compute(commune, save=False).sections if s.title == title]
    assert card.area == "carry"
    projects = history.preview(commune).count(history.PROJECT)
    assert any(f"{projects} dự án" in text for text, _state in card.lines)
    history.carry(commune)
    assert not [s for s in overview.compute(commune, save=False).sections
                if s.title == title]


def test_a_contribution_in_kind_is_not_carried_and_a_record_links_once(dak_ha):
    from sqlalchemy import update
    from sqlalchemy.exc import IntegrityError

    _province, commune = dak_ha
    _projects, _tasks, remainders = _expected(commune)
    line_id = next(ident for ident, (line, _amount) in remainders.items()
                   if line.source == "NSTW")
    with commune.engine.begin() as connection:  # a line of labour days, as an import writes
        connection.execute(update(CapitalLine.__table__).where(
            CapitalLine.__table__.c.id == line_id).values(
            quantity=100, quantity_unit="ngày công", unit_value=200_000))
    item = next(i for i in history.preview(commune).items if i.source_id == line_id)
    assert "ngày công" in item.blocked
    outcome = history.carry(commune)
    assert line_id not in outcome.new_ids
    with UnitOfWork.read(commune) as session:
        # the undisbursed parts of allocations followed the carried projects
        carried_lines = [outcome.new_ids[i] for i in remainders if i in outcome.new_ids]
        assert session.scalar(select(func.count()).select_from(CapitalAllocation).where(
            CapitalAllocation.line_id.in_(carried_lines))) > 0
    link = next(iter(outcome.new_ids))
    with pytest.raises(IntegrityError), UnitOfWork(commune) as uow:
        uow.session.add(CarriedRecord(source_table="project", source_id=link,
                                      source_unit_id="23524", target_id=link,
                                      carried_on=dt.date(2026, 12, 6)))
        uow.session.flush()


def test_a_dossier_documents_scan_comes_along_when_its_file_is_here(dak_ha):
    from ctmtqg_desktop.services import attachments
    from ctmtqg_desktop.store.models.attachments import Attachment

    _province, commune = dak_ha
    projects, _tasks, _remainders = _expected(commune)
    with UnitOfWork.read(commune) as session:
        document = session.scalars(select(DossierDocument).join(
            Dossier, Dossier.id == DossierDocument.dossier_id).where(
            Dossier.project_id.in_(projects))).first()
        owner = document.owner_unit_id
    stored = attachments.attachment_store(commune).add_bytes(b"%PDF-1.4 bien ban", name="bb.pdf")
    with UnitOfWork(commune) as uow:  # a scan of the old unit's document (owner kept)
        row = attachments.add_attachment_record(uow.session, stored,
                                                parent_table="dossier_document",
                                                parent_id=document.id)
        row.owner_unit_id = owner
        uow.commit()
    history.carry(commune)
    with UnitOfWork.read(commune) as session:
        scans = list(session.scalars(select(Attachment).where(
            Attachment.digest == stored.digest)))
        assert len(scans) == 2
        (new,) = [scan for scan in scans if scan.parent_id != document.id]
        assert new.owner_unit_id == NEW
        assert session.get(DossierDocument, new.parent_id).owner_unit_id == NEW
