"""The catalog by period: 2026 plans use the 2026-2035 programme and the laws in force from
2026; the district budget is offered only for 2021-2025; the programme mapping is loaded."""

from ctmtqg_desktop.services import catalog


def test_capital_rules_and_sources_follow_the_plan_year(new_workspace):
    workspace = new_workspace(unit="23497@2025-07-01")
    assert catalog.period_of_year(workspace, 2023) == "2021-2025"
    assert catalog.period_of_year(workspace, 2026) == "2026-2035"
    old, new = (catalog.capital_kind_rule(workspace, "DTPT", year) for year in (2023, 2026))
    assert "39/2019/QH14" in old.legal_basis and "58/2024/QH15" in new.legal_basis
    assert "89/2025/QH15" in catalog.capital_kind_rule(workspace, "SN", 2026).legal_basis
    sources_2026 = {s.code for s in catalog.capital_sources(workspace, period_id="2026-2035")}
    sources_2023 = {s.code for s in catalog.capital_sources(workspace, period_id="2021-2025")}
    assert "NSDP_HUYEN" in sources_2023 and "NSDP_HUYEN" not in sources_2026
    assert {"NSTW", "NSDP_TINH", "NSDP_XA"} <= sources_2026


def test_the_2026_programme_and_its_components(new_workspace):
    workspace = new_workspace(unit="23497@2025-07-01")
    (programme,) = catalog.programs(workspace, period_id="2026-2035")
    assert programme.id == "2026-2035/NTM-GNBV-DTTS"
    tree = {p.id: p for p in catalog.program_tree(workspace)}
    levels = {n.level for n in tree[programme.id].walk()}
    assert levels == {"program", "component"}
    data = catalog.read_catalog()
    assert len(data.program_mapping) == 63 and len(data.key_corrections) == 22
    assert {m["new_id"] for m in data.program_mapping} == {programme.id}
    assert {h["unit_id"] for h in data.attribute_history} >= {"75@2025-07-01"}


def test_bad_corrections_history_and_mapping_are_refused_with_file_and_line(tmp_path):
    import shutil

    import pytest

    from ctmtqg_desktop.domain.errors import CatalogInvalid

    cases = {
        "unit-key-corrections-2025.csv": ("23497@2025-07-01,", "23497@2099-07-01,"),
        "unit-attribute-history.csv": (",kind,municipality,", ",kind,county,"),
        "program-mapping-2021-2025-to-2026-2035.csv": ("2021-2025/DTTS/DA1,",
                                                       "2021-2025/DTTS/DA99,"),
    }
    for name, (before, after) in cases.items():
        folder = tmp_path / name
        shutil.copytree(catalog.shipped_catalog_dir(), folder)
        text = (folder / name).read_text(encoding="utf-8")
        assert before in text
        (folder / name).write_text(text.replace(before, after, 1), encoding="utf-8")
        with pytest.raises(CatalogInvalid) as caught:
            catalog.read_catalog(folder)
        assert name in caught.value.message()
