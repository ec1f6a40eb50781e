"""Issue 13, "History follows the merge", beyond capital: Xã Đăk Hà (23500@2025-07-01)
sees its predecessors' projects, tasks and activities in the lists of the years before the
merger, labelled with the old unit ("— Xã Đắk La (trước sắp xếp)"), read-only (a Vietnamese
sentence says why), and never sends them up."""

import datetime as dt

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from ctmtqg_desktop.services import (
    activities,
    capital,
    catalog,
    dossiers,
    projects,
    report_catalog,
    sync,
    tasks,
)
from ctmtqg_desktop.store.models.projects import Project
from ctmtqg_desktop.store.uow import UnitOfWork
from tests.dak_ha import NEW, OLD_UNITS, build_dak_ha

OLD = OLD_UNITS


@pytest.fixture(scope="module")
def dak_ha(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("history")
    province, commune = build_dak_ha(tmp_path)
    yield province, commune, tmp_path
    commune.dispose()
    province.dispose()


def test_the_lookup_is_the_catalogs_and_dates_the_merger(dak_ha):
    _province, commune, _tmp = dak_ha
    with UnitOfWork.read(commune) as session:
        assert catalog.predecessor_titles(session, NEW) == OLD
        assert capital.predecessor_titles(session, NEW) == OLD
        assert catalog.merged_on(session, NEW) == dt.date(2025, 7, 1)
        assert catalog.merged_on(session, "23524") is None
        assert catalog.predecessor_titles(session, "23524") == {}


def test_plan_years_offer_the_predecessors_years(dak_ha):
    _province, commune, _tmp = dak_ha
    assert {2024, 2025, 2026} <= set(capital.plan_years(commune))


def test_the_portfolio_of_2024_lists_the_predecessors_projects_labelled(dak_ha):
    _province, commune, _tmp = dak_ha
    rows = projects.portfolio(commune, year=2024)
    history = [r for r in rows if r.history_of]
    assert {r.history_of for r in history} == set(OLD.values())
    assert all(r.name.endswith(f"— {r.history_of} (trước sắp xếp)") for r in history)
    assert all(r.rank is None for r in history)  # history is not ranked with today's work
    assert any(r.allocated_total for r in history)  # their own lines' allocations count
    assert [r for r in rows if not r.history_of]  # the commune's own projects too
    later = projects.portfolio(commune, year=2026)
    assert later and not [r for r in later if r.history_of]


def test_the_project_list_shows_history_only_when_asked(dak_ha):
    _province, commune, _tmp = dak_ha
    own = projects.list_projects(commune)
    assert own and all(p.owner_unit_id == NEW and not p.history_of for p in own)
    both = projects.list_projects(commune, history=True)
    old = [p for p in both if p.history_of]
    assert old and {p.owner_unit_id for p in old} <= set(OLD)
    assert all("(trước sắp xếp)" in p.name for p in old)


def test_a_predecessors_project_is_read_only_with_a_sentence(dak_ha):
    _province, commune, _tmp = dak_ha
    old = next(r for r in projects.portfolio(commune, year=2024) if r.history_of)
    with UnitOfWork.read(commune) as session:
        before = session.get(Project, old.id).name
    for change in (
            lambda: projects.save_project(commune, project_id=old.id, name="Đổi tên",
                                          program_id=old.program_id, kind=old.kind),
            lambda: projects.set_funding(commune, old.id, {}),
            lambda: projects.set_scores(commune, old.id, {})):
        with pytest.raises(catalog.HistoryReadOnly) as refused:
            change()
        text = refused.value.message()
        assert old.history_of in text and "trước sắp xếp" in text and "Không có gì" in text
    with UnitOfWork.read(commune) as session:
        assert session.get(Project, old.id).name == before


def test_the_predecessors_projects_never_go_up(dak_ha):
    province, commune, tmp_path = dak_ha
    package = sync.export_package(commune, tmp_path / "usb").path
    (outcome,) = sync.import_packages(province, [package]).files
    assert outcome.outcome == "applied", outcome.message
    with UnitOfWork.read(province) as session:
        owners = dict(session.execute(select(Project.owner_unit_id, func.count())
                                      .group_by(Project.owner_unit_id)).all())
    assert owners.get(NEW) and not set(owners) & set(OLD)


def test_the_task_list_shows_the_predecessors_tasks_when_asked_labelled(dak_ha):
    _province, commune, _tmp = dak_ha
    own = tasks.task_ids(commune, {})
    both = tasks.task_ids(commune, {"history": True})
    assert own and set(own) < set(both)
    rows = tasks.task_rows(commune, both)
    old = [rows[i] for i in both if i not in own]
    assert old and {r.history_of for r in old} <= set(OLD.values())
    assert all(r.text.endswith(f"— {r.history_of} (trước sắp xếp)") for r in old)
    assert not any(rows[i].history_of for i in own)


def test_a_predecessors_task_is_read_only_with_a_sentence(dak_ha):
    _province, commune, _tmp = dak_ha
    own = set(tasks.task_ids(commune, {}))
    old_id = next(i for i in tasks.task_ids(commune, {"history": True}) if i not in own)
    before = tasks.get_task(commune, old_id)
    for change in (lambda: tasks.delete_task(commune, old_id),
                   lambda: tasks.add_progress(commune, old_id, reported_on=dt.date(2026, 12, 1),
                                              status="in_progress", percent=50)):
        with pytest.raises(catalog.HistoryReadOnly) as refused:
            change()
        assert "trước sắp xếp" in refused.value.message()
    after = tasks.get_task(commune, old_id)
    assert (after.status, after.latest_percent) == (before.status, before.latest_percent)
    assert old_id in tasks.task_ids(commune, {"history": True})


def test_the_activities_of_a_year_before_the_merger_include_the_predecessors(dak_ha):
    _province, commune, tmp_path = dak_ha
    ids = activities.activity_ids(commune, {"year": 2024})
    rows = activities.activity_rows(commune, ids)
    old = [r for r in rows.values() if r.history_of]
    assert old and {r.history_of for r in old} <= set(OLD.values())
    assert all(r.title.endswith(f"— {r.history_of} (trước sắp xếp)") for r in old)
    assert 2024 in activities.filter_options(commune).years
    assert activities.summary(commune, {"year": 2024}).total.count == len(ids)
    later = activities.activity_rows(commune, activities.activity_ids(commune, {"year": 2026}))
    assert later and not [r for r in later.values() if r.history_of]
    assert not [i for i in activities.activity_ids(commune, {}) if i in rows and
                rows[i].history_of]  # all years: the unit's own, history asked for only
    out = report_catalog.build_report(commune, "activities", "xlsx", tmp_path / "hd.xlsx",
                                      report_catalog.ReportOptions(year=2024))
    cells = {str(c.value) for row in load_workbook(out).active.iter_rows() for c in row
             if c.value}
    assert any(f"— {old[0].history_of} (trước sắp xếp)" in cell for cell in cells)


def test_a_predecessors_activity_is_read_only_with_a_sentence(dak_ha):
    _province, commune, _tmp = dak_ha
    ids = activities.activity_ids(commune, {"year": 2024})
    old = next(r for r in activities.activity_rows(commune, ids).values() if r.history_of)
    with pytest.raises(catalog.HistoryReadOnly) as refused:
        activities.delete_activity(commune, old.id)
    assert "trước sắp xếp" in refused.value.message()
    assert old.id in activities.activity_ids(commune, {"year": 2024})


def test_the_predecessors_dossiers_listed_when_asked_and_read_only(dak_ha):
    _province, commune, _tmp = dak_ha
    own = dossiers.list_dossiers(commune)
    both = dossiers.list_dossiers(commune, history=True)
    old = [d for d in both if d.history_of]
    assert old and not any(d.history_of for d in own) and len(both) == len(own) + len(old)
    assert all(d.project_name.endswith(f"— {d.history_of} (trước sắp xếp)") for d in old)
    with pytest.raises(catalog.HistoryReadOnly) as refused:
        dossiers.set_stage(commune, old[0].id, old[0].current_stage)
    assert "trước sắp xếp" in refused.value.message()
