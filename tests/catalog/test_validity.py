"""Dates are part of a unit: a unit dissolved on 30/06/2025 is refused at ``init`` and
``enroll`` with a sentence naming its end and its successor; a workspace whose unit ended
says so on the overview."""

import datetime as dt

import pytest

from ctmtqg_desktop.services import catalog, overview, sync, workspaces

TODAY = dt.date(2026, 12, 5)


def test_init_refuses_a_dissolved_unit_without_a_date_and_names_its_successor(tmp_path):
    with pytest.raises(catalog.UnitEnded) as caught:
        workspaces.init_workspace(tmp_path / "ws", unit="23524", simulated_today=TODAY,
                                  refuse_ended=True)
    message = caught.value.message()
    assert "30/06/2025" in message and "Xã Đăk Hà, tỉnh Quảng Ngãi" in message
    assert "23500@2025-07-01" in message and "23524@" in message
    assert not (tmp_path / "ws").exists()  # nothing was changed


def test_a_district_is_refused_saying_the_level_ended(tmp_path):
    with pytest.raises(catalog.UnitEnded) as caught:
        workspaces.init_workspace(tmp_path / "ws", unit="615", role="parent",
                                  simulated_today=TODAY, refuse_ended=True)
    assert "cấp huyện" in caught.value.message()


def test_an_explicit_date_opens_the_history_and_the_overview_says_it_ended(tmp_path):
    workspace = workspaces.init_workspace(tmp_path / "ws", unit="23524@2023-06-01",
                                          simulated_today=TODAY)
    (first, *_rest) = overview.sections(workspace)
    assert first.title == "Đơn vị này không còn tồn tại"
    texts = [text for text, _state in first.lines]
    assert texts[0] == "Đã kết thúc ngày 30/06/2025"
    assert texts[1] == "Đơn vị kế thừa: Xã Đăk Hà, tỉnh Quảng Ngãi"
    assert texts[2] == "Khóa của đơn vị kế thừa: 23500@2025-07-01"


def test_a_unit_in_force_has_no_banner(new_workspace):
    workspace = new_workspace(unit="23497@2025-07-01")
    assert all(s.title != "Đơn vị này không còn tồn tại" for s in overview.sections(workspace))


def test_the_province_cannot_enroll_a_dissolved_commune(new_workspace, tmp_path):
    province = new_workspace(unit="51@2025-07-01", role="parent")
    with pytest.raises(catalog.UnitEnded) as caught:
        sync.issue_enrollment(province, "23524", tmp_path / "x.ctenroll")
    assert "23500@2025-07-01" in caught.value.message()
    issued = sync.issue_enrollment(province, "23497@2025-07-01", tmp_path / "kb.ctenroll")
    assert issued.child_unit_id == "23497@2025-07-01"


def test_codes_without_leading_zeros_and_names_without_diacritics(new_workspace):
    workspace = new_workspace(unit="23497@2025-07-01")
    assert catalog.resolve_unit(workspace, catalog_ref("1")).name == "Hà Nội"
    assert [u.id for u in catalog.search_units(workspace, "ha noi", kinds=("municipality",))
            ] == ["01@2025-07-01"]
    assert catalog.search_units(workspace, "ly son")[0].id == "21548@2025-07-01"
    assert catalog.search_units(workspace, "kon braih")[0].id == "23497@2025-07-01"
    on = dt.date(2026, 12, 5)
    valid = [u for u in catalog.all_units(workspace) if u.valid_on(on)]
    assert sum(1 for u in valid if u.kind in ("province", "municipality")) == 34
    assert sum(1 for u in valid if u.kind in ("commune", "ward", "special_zone")) == 3321
    assert len(catalog.child_units(workspace, "51@2025-07-01", on=on)) == 96


def catalog_ref(text):
    from ctmtqg_desktop.domain.unit_refs import parse_unit_ref

    return parse_unit_ref(text)


def test_the_command_line_refuses_a_dissolved_unit_and_accepts_todays(tmp_path, capsys):
    from ctmtqg_desktop.cli import main

    code = main(["workspace", "init", "--unit", "23524", "--workspace", str(tmp_path / "a")])
    err = capsys.readouterr().err
    assert code == 2 and "30/06/2025" in err and "23500@2025-07-01" in err
    assert "Traceback" not in err and not (tmp_path / "a").exists()
    assert main(["workspace", "init", "--unit", "23497@2025-07-01",
                 "--workspace", str(tmp_path / "b")]) == 0
    out = capsys.readouterr().out
    assert "Xã Kon Braih, tỉnh Quảng Ngãi" in out and "Lưu ý" not in out
    assert main(["workspace", "init", "--unit", "23524@2023-06-01",
                 "--workspace", str(tmp_path / "c")]) == 0
    out = capsys.readouterr().out  # history, with a note that names the successor
    assert "Lưu ý: Xã Đắk La" in out and "23500@2025-07-01" in out
