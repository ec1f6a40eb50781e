"""The reference catalog: loaded from data, looked up by code and validity, updatable."""

import datetime as dt
import json
import shutil

import pytest
from sqlalchemy import func, select

from ctmtqg_desktop.domain.errors import AmbiguousUnit, CatalogInvalid, UnitNotFound
from ctmtqg_desktop.domain.unit_refs import parse_unit_ref
from ctmtqg_desktop.services import catalog
from ctmtqg_desktop.store.models.catalog import AdminUnit, Program, ProgramComponent


def test_shipped_catalog_holds_kon_tum_the_merges_and_three_programmes(new_workspace):
    workspace = new_workspace()
    with workspace.session_factory() as session:
        units = session.execute(select(func.count()).select_from(AdminUnit)).scalar()
        communes_2019 = session.execute(select(func.count()).select_from(AdminUnit).where(
            AdminUnit.kind.in_(("commune", "ward", "town")), AdminUnit.valid_to ==
            dt.date(2025, 6, 30))).scalar()
        programs = session.scalars(select(Program.code).where(Program.period_id == "2021-2025")
                                   .order_by(Program.sort_order)).all()
        components = session.execute(select(func.count()).select_from(ProgramComponent)).scalar()
    assert communes_2019 == 102 + 170
    # Kon Tum 2019-2025 (1 + 10 + 102), old Quảng Ngãi 2019-2025 (1 + 13 + 170) and the whole
    # country from 01/07/2025 (34 + 3,321)
    assert units == 1 + 10 + 102 + 1 + 13 + 170 + 34 + 3321
    assert programs == ["DTTS", "GNBV", "NTM"]
    assert components >= 60
    assert len(catalog.ntm_criteria(workspace)) == 19
    assert {s.code for s in catalog.capital_sources(workspace)} >= {"NSTW", "NSDP_XA", "LONG_GHEP"}


def test_search_ignores_diacritics_and_shows_parents_of_homonyms(new_workspace):
    workspace = new_workspace()
    found = catalog.search_units(workspace, "dak ha")
    names = [u.full_name for u in found]
    assert "Thị trấn Đắk Hà, huyện Đắk Hà, tỉnh Kon Tum" in names
    assert "Xã Đắk Hà, huyện Tu Mơ Rông, tỉnh Kon Tum" in names
    assert "Xã Đăk Hà, tỉnh Quảng Ngãi" in names
    assert catalog.search_units(workspace, "DAK LA")[0].id == "23524"
    assert [u.id for u in catalog.search_units(workspace, "23524")] == ["23524"]


def test_codes_are_resolved_by_validity_never_by_name(new_workspace):
    workspace = new_workspace()
    assert catalog.resolve_unit(workspace, parse_unit_ref("23524")).name == "Đắk La"
    with pytest.raises(AmbiguousUnit) as caught:
        catalog.resolve_unit(workspace, parse_unit_ref("23500"))
    assert "Thêm ngày" in str(caught.value) or "ghi thêm ngày" in str(caught.value)
    old = catalog.resolve_unit(workspace, parse_unit_ref("23500@2023-06-01"))
    new = catalog.resolve_unit(workspace, parse_unit_ref("23500@01/08/2025"))
    assert (old.kind, old.id) == ("town", "23500")
    assert (new.kind, new.id, new.parent_id) == ("commune", "23500@2025-07-01", "51@2025-07-01")
    with pytest.raises(UnitNotFound):
        catalog.resolve_unit(workspace, parse_unit_ref("23524@2026-01-01"))


def test_merges_map_old_units_to_the_new_one(new_workspace):
    workspace = new_workspace()
    formed_from, continued_as = catalog.successions(workspace, "23500@2025-07-01")
    assert sorted(s.old_unit_id for s in formed_from) == ["23500", "23521", "23524"]
    assert continued_as == []
    _, later = catalog.successions(workspace, "23524")
    assert [s.new_unit_id for s in later] == ["23500@2025-07-01"]
    assert later[0].effective_on == dt.date(2025, 7, 1)


def _copy_catalog(tmp_path):
    folder = tmp_path / "catalog"
    shutil.copytree(catalog.shipped_catalog_dir(), folder)
    return folder


def test_a_newer_catalog_updates_an_old_workspace_and_holds_periods_side_by_side(
        new_workspace, tmp_path):
    workspace = new_workspace()
    folder = _copy_catalog(tmp_path)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    manifest["catalog_version"] += 1
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    programs = json.loads((folder / "programs.json").read_text(encoding="utf-8"))
    programs["periods"].append({
        "code": "2026-2035", "name": "Giai đoạn 2026-2035", "valid_from": "2026-01-01",
        "valid_to": "2035-12-31",
        "programs": [{"code": "CTMTQG", "name": "Chương trình mục tiêu quốc gia xây dựng nông "
                      "thôn mới, giảm nghèo bền vững và phát triển vùng đồng bào DTTS&MN",
                      "legal_basis": "Nghị quyết 257/2025/QH15",
                      "components": [{"code": "HP1", "level": "project",
                                      "name": "Hợp phần 1", "children": []}]}]})
    (folder / "programs.json").write_text(json.dumps(programs, ensure_ascii=False),
                                          encoding="utf-8")
    before, after = catalog.update_catalog(workspace, folder)
    assert after == before + 1
    periods = {p.period_id for p in catalog.programs(workspace)}
    assert periods == {"2021-2025", "2026-2035"}
    assert [p.code for p in catalog.programs(workspace, period_id="2021-2025")] == [
        "DTTS", "GNBV", "NTM"]
    # the same catalog again changes nothing
    assert catalog.update_catalog(workspace, folder) == (after, after)


def test_a_bad_catalog_file_is_refused_with_file_line_and_reason(new_workspace, tmp_path):
    workspace = new_workspace()
    folder = _copy_catalog(tmp_path)
    lines = (folder / "units.csv").read_text(encoding="utf-8").splitlines()
    index = next(i for i, line in enumerate(lines) if ",commune," in line)
    lines[index] = lines[index].replace(",commune,", ",hamlet,")
    (folder / "units.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    manifest["catalog_version"] += 1
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(CatalogInvalid) as caught:
        catalog.update_catalog(workspace, folder)
    message = str(caught.value)
    assert "units.csv" in message and f"dòng {index + 1}" in message and "hamlet" in message
    shipped = catalog.shipped_catalog_version()
    assert catalog.update_catalog(workspace) == (shipped, shipped)  # it kept its catalog
