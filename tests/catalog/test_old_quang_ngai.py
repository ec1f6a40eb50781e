"""Issue 13, data: old Quảng Ngãi (province 51 before 01/07/2025) is in the shipped catalog
with its 2019-2025 units, keyed like the old Kon Tum units (bare code, valid until
30/06/2025), and each of its communes continues as one of today's 51@ units (Nghị quyết
1677/NQ-UBTVQH15; the register's "before the merger" text)."""

import datetime as dt
from collections import Counter

from ctmtqg_desktop.services import catalog

END = dt.date(2025, 6, 30)
TODAY = "@2025-07-01"


def _old_quang_ngai(data):
    units = {u["id"]: u for u in data.units}
    districts = {k for k, u in units.items() if u["parent_id"] == "51"}
    communes = {k for k, u in units.items() if u["parent_id"] in districts}
    return units, districts, communes


def test_old_quang_ngai_units_are_keyed_like_old_kon_tum():
    data = catalog.read_catalog()
    units, districts, communes = _old_quang_ngai(data)
    assert units["51"]["kind"] == "province" and units["51"]["valid_to"] == END
    kinds = Counter(units[k]["kind"] for k in districts | communes)
    # Đức Phổ (534) was a thị xã, a district-level town, not a huyện
    assert kinds == {"city": 1, "district": 11, "district_town": 1, "commune": 144,
                     "ward": 17, "town": 9}
    assert units["534"]["kind"] == "district_town"
    for key in districts | communes | {"51"}:
        unit = units[key]
        assert "@" not in key and key == unit["code"]
        assert unit["valid_to"] == END and unit["valid_from"] is None
        assert "e8c5f800" in unit["source"]
    # no old key is also a key of today, of old Kon Tum or of a key correction
    kon_tum = {k for k, u in units.items() if u["parent_id"] == "62"}
    assert not (districts | communes) & kon_tum
    assert not (districts | communes) & {c["wrong_key"] for c in data.key_corrections}
    assert units["536"]["name"] == "Lý Sơn" and not any(
        units[k]["parent_id"] == "536" for k in communes)


def test_every_old_quang_ngai_commune_continues_as_a_unit_of_today():
    data = catalog.read_catalog()
    units, districts, communes = _old_quang_ngai(data)
    successors: dict[str, set[str]] = {}
    for row in data.successions:
        successors.setdefault(row["old_unit_id"], set()).add(row["new_unit_id"])
    assert communes <= set(successors)
    for key in communes:
        for new in successors[key]:
            assert new.endswith(TODAY) and units[new]["parent_id"] == "51@2025-07-01"
    # the split commune and the homonym resolved by the district in brackets
    assert successors["21142"] == {"21136@2025-07-01", "21157@2025-07-01"}  # Trà Bùi
    assert successors["21025"] == {"21025@2025-07-01"}  # Nguyễn Nghiêm, TP Quảng Ngãi
    assert successors["21439"] == {"21439@2025-07-01"}  # Nguyễn Nghiêm, TX Đức Phổ
    assert successors["536"] == {"21548@2025-07-01"}  # huyện Lý Sơn → đặc khu Lý Sơn
    assert successors["51"] == {"51@2025-07-01"}
    # every unit of new Quảng Ngãi now has predecessors
    new_units = {k for k, u in units.items() if u["parent_id"] == "51@2025-07-01"}
    continued = {n for olds in successors.values() for n in olds}
    assert len(new_units) == 96 and new_units <= continued


def test_ba_to_finds_the_old_and_the_new_units_with_their_validity(new_workspace):
    workspace = new_workspace(unit="23497@2025-07-01")
    found = {u.id: u for u in catalog.search_units(workspace, "ba to")}
    assert {"535", "21484", "21484@2025-07-01", "21523", "21523@2025-07-01"} <= set(found)
    assert found["21484"].valid_to == END and found["21484"].title == "Thị trấn Ba Tơ"
    assert found["21484@2025-07-01"].valid_from == dt.date(2025, 7, 1)
    assert catalog.successor_on(workspace, "21484", dt.date(2026, 12, 5)).id == \
        "21484@2025-07-01"


_CATALOG_TABLES = {"admin_unit", "unit_succession", "alembic_version", "catalog_meta",
                   "capital_kind", "capital_source", "program", "program_component",
                   "program_period", "ntm_criterion", "project_kind", "dossier_template",
                   "unit_key_correction", "unit_attribute_history"}


def _record_counts(workspace) -> dict[str, int]:
    from sqlalchemy import inspect, text

    with workspace.engine.connect() as connection:
        return {table: connection.execute(text(f'SELECT COUNT(*) FROM "{table}"')).scalar()
                for table in inspect(connection).get_table_names()
                if table not in _CATALOG_TABLES}


def test_a_workspace_on_catalog_3_gains_old_quang_ngai_on_opening(demo_workspace):
    """The 2026 demo commune (Xã Đăk Hà, with its predecessors' history) as it was on catalog
    version 3 — the same units without old Quảng Ngãi — is brought to the shipped catalog by
    the upsert when it is opened; every record stays."""
    from sqlalchemy import text

    from ctmtqg_desktop.services import workspaces

    data = catalog.read_catalog()
    _, districts, communes = _old_quang_ngai(data)
    old = sorted(communes | districts | {"51"})
    marks = ", ".join(f":k{i}" for i in range(len(old)))
    keys = {f"k{i}": key for i, key in enumerate(old)}
    with demo_workspace.engine.begin() as connection:
        connection.execute(text(f"DELETE FROM unit_succession WHERE old_unit_id IN ({marks})"),
                           keys)
        for level in (communes, districts, {"51"}):
            level_keys = {k: v for k, v in keys.items() if v in level}
            connection.execute(text("DELETE FROM admin_unit WHERE id IN ({})".format(
                ", ".join(f":{k}" for k in level_keys))), level_keys)
        connection.execute(text(
            "UPDATE catalog_meta SET value = '3' WHERE key = 'catalog_version'"))
    assert not catalog.search_units(demo_workspace, "tra bui")
    before = _record_counts(demo_workspace)
    folder, url = demo_workspace.folder, demo_workspace.database_url
    demo_workspace.dispose()

    workspace = workspaces.open_workspace(folder, url)
    try:
        assert catalog.loaded_version(workspace) == catalog.shipped_catalog_version() >= 4
        assert _record_counts(workspace) == before
        (tra_bui,) = catalog.search_units(workspace, "tra bui")
        assert tra_bui.id == "21142" and tra_bui.valid_to == END
        assert catalog.successor_on(workspace, "21484", dt.date(2026, 12, 5)).id == \
            "21484@2025-07-01"
        assert catalog.get_unit(workspace, "535").full_name == "Huyện Ba Tơ, tỉnh Quảng Ngãi"
        assert workspaces.check(workspace).ok
    finally:
        workspace.dispose()


def test_a_split_commune_has_one_successor_everywhere(new_workspace):
    """Trà Bùi (21142) was split between Cà Đam and Tây Trà Bồng: the catalog's
    ``successor_on`` and the parent's unit map follow the same one (the first by key), so the
    notice a user reads and the board's lineage never disagree."""
    from ctmtqg_desktop.services.parent._reorganisation import UnitMap
    from ctmtqg_desktop.store.uow import UnitOfWork

    workspace = new_workspace(unit="23497@2025-07-01")
    chosen = catalog.successor_on(workspace, "21142", dt.date(2026, 12, 5))
    assert chosen is not None and chosen.id == "21136@2025-07-01"
    assert catalog.get_unit(workspace, "534").title == "Thị xã Đức Phổ"
    with UnitOfWork.read(workspace) as session:
        assert UnitMap.load(session).successor["21142"][0] == chosen.id
