"""Overlap review across programmes: same village and kind, similar names (with and without
diacritics), true and false cases in Vietnamese; "not an overlap" kept with its reason."""

import pytest

from ctmtqg_desktop.domain.errors import BadArgument
from ctmtqg_desktop.i18n import N_
from ctmtqg_desktop.services import villages
from ctmtqg_desktop.services.projects import _overlaps as overlaps
from ctmtqg_desktop.store.models.capital import OverlapDecision
from tests.capital_support import count, project


@pytest.fixture
def ws(new_workspace):
    workspace = new_workspace()
    workspace.village = {name: villages.save_village(workspace, name=name).id
                         for name in ("Thôn 7", "Thôn 1", "Làng Kon Gung")}
    return workspace


def pairs(workspace):
    return {frozenset((f.first.name, f.second.name)): f for f in overlaps.detect(workspace)}


def test_same_village_and_kind_across_programmes(ws):
    kon_gung = ws.village["Làng Kon Gung"]
    project(ws, "Hỗ trợ nhà ở cho hộ nghèo đồng bào DTTS làng Kon Gung",
            program="2021-2025/DTTS", kind="housing_support", village_id=kon_gung)
    project(ws, "Hỗ trợ nhà ở hộ nghèo năm 2024", program="2021-2025/GNBV",
            kind="housing_support", village_id=kon_gung)
    # false cases: same programme; same village but another kind; another village
    project(ws, "Nước sinh hoạt làng Kon Gung", program="2021-2025/DTTS",
            kind="construction_special", village_id=kon_gung)
    project(ws, "Hỗ trợ nhà ở thôn 1", program="2021-2025/NTM", kind="housing_support",
            village_id=ws.village["Thôn 1"])
    found = pairs(ws)
    assert set(found) == {frozenset(("Hỗ trợ nhà ở cho hộ nghèo đồng bào DTTS làng Kon Gung",
                                     "Hỗ trợ nhà ở hộ nghèo năm 2024"))}
    flag = next(iter(found.values()))
    assert [r.rule for r in flag.reasons] == ["same_village_kind"]
    assert flag.reason_text == ("Cùng thôn “Làng Kon Gung”, cùng loại “Hỗ trợ nhà ở cho hộ "
                                "nghèo, hộ cận nghèo”.")
    assert flag.is_open


@pytest.mark.parametrize("first, second, expected", [
    ("Nhà văn hóa thôn 7", "nha van hoa thon 7", True),
    ("Nhà văn hóa thôn 7", "Nhà văn hoá thôn 7 (hạng mục sân)", True),
    ("Bê tông hóa đường giao thông nội làng Kon Mong Tu", "Duong giao thong noi lang Kon Mong Tu",
     True),
    ("Xây dựng nhà văn hóa làng Kon Gung", "Nha van hoa lang Kon Gungg", True),  # a typo
    ("Nhà văn hóa thôn 7", "Nhà văn hóa thôn 1", False),
    ("Nha van hoa thon 7", "nhà văn hóa thôn 1", False),
    ("Đường giao thông nội làng Kon Mong Tu", "Đường giao thông nội làng Kon Gung", False),
    ("Hỗ trợ trồng nấm thôn 3", "Hỗ trợ trồng lúa thôn 3", False),
])
def test_similar_names_across_programmes(ws, first, second, expected):
    project(ws, first, program="2021-2025/NTM")
    project(ws, second, program="2021-2025/DTTS", kind="training")  # never the same kind
    found = pairs(ws)
    assert bool(found) is expected
    if expected:
        (flag,) = found.values()
        assert flag.reasons[0].rule == "similar_names"
        assert "không phân biệt dấu" in flag.reason_text


def test_names_alike_in_one_programme_are_not_cross_programme_overlaps(ws):
    project(ws, "Nhà văn hóa thôn 7", program="2021-2025/NTM")
    project(ws, "nha van hoa thon 7", program="2021-2025/NTM")
    assert pairs(ws) == {}


def test_not_an_overlap_is_kept_with_its_reason_and_can_be_withdrawn(ws):
    a = project(ws, "Nâng cấp nhà văn hóa thôn 7", village_id=ws.village["Thôn 7"])
    b = project(ws, "Sửa chữa nhà rông thôn 7", program="2021-2025/DTTS",
                village_id=ws.village["Thôn 7"])
    with pytest.raises(BadArgument) as caught:
        overlaps.mark_not_overlap(ws, a.id, b.id, "  khác  ")
    assert "ít nhất 10 ký tự" in str(caught.value)
    assert count(ws, OverlapDecision) == 0
    reason = "Hai hạng mục khác nhau, khác vị trí; đã kiểm tra biên bản họp thôn."
    decision = overlaps.mark_not_overlap(ws, b.id, a.id, reason)
    assert decision.reason == reason and decision.decided_by == "Nguyễn Văn An"
    (flag,) = overlaps.detect(ws)
    assert not flag.is_open and flag.decision.reason == reason
    assert overlaps.open_counts(overlaps.detect(ws)) == {}
    # deciding again updates the same record
    overlaps.mark_not_overlap(ws, a.id, b.id, reason + " Bổ sung ảnh hiện trạng.")
    assert count(ws, OverlapDecision) == 1
    overlaps.reopen(ws, flag.decision.id)
    (flag,) = overlaps.detect(ws)
    assert flag.is_open
    assert overlaps.open_counts([flag]) == {a.id: 1, b.id: 1}


def test_a_further_rule_can_be_registered(ws):
    """The third criterion (beneficiaries counted twice) plugs in the same way."""
    a = project(ws, "Dự án A", program="2021-2025/NTM")
    b = project(ws, "Dự án B", program="2021-2025/GNBV")

    @overlaps.overlap_rule("test_rule", N_("Beneficiaries counted twice"))
    def shared(context):
        ids = {p.name: p.id for p in context.projects}
        yield ids["Dự án A"], ids["Dự án B"], "3 hộ được hỗ trợ ở cả hai dự án."

    try:
        (flag,) = overlaps.detect(ws)
        assert {flag.first.id, flag.second.id} == {a.id, b.id}
        assert flag.reasons[0].rule == "test_rule"
    finally:
        overlaps._RULES.pop("test_rule")


def test_the_demo_shows_open_and_reviewed_overlaps(demo_workspace):
    flags = overlaps.detect(demo_workspace)
    assert [f.is_open for f in flags] == [True, True, True, False]
    roads = next(f for f in flags if "Kon Mong Tu" in f.first.name)
    assert {r.rule for r in roads.reasons} == {"same_village_kind", "similar_names"}
    reviewed = flags[-1]
    assert "nhà rông" in reviewed.decision.reason and reviewed.decision.decided_by == \
        "Y Thị Hoa"


def test_households_supported_twice_make_their_projects_overlap(demo_workspace):
    """The third rule: the demo's two housing projects (DTTS and GNBV) both supported the
    same households of làng Kon Gung, which the dossier area's records show."""
    from ctmtqg_desktop.services import households

    duplicates = households.duplicate_supports(demo_workspace)
    assert duplicates
    flags = [f for f in overlaps.detect(demo_workspace)
             if any(r.rule == "shared_beneficiaries" for r in f.reasons)]
    assert len(flags) == 1
    names = {flags[0].first.name, flags[0].second.name}
    assert names == {"Hỗ trợ nhà ở cho hộ nghèo, hộ cận nghèo năm 2023",
                     "Hỗ trợ nhà ở cho hộ nghèo đồng bào dân tộc thiểu số làng Kon Gung"}
    reason = next(r.text for r in flags[0].reasons if r.rule == "shared_beneficiaries")
    assert f"ở cả hai dự án: {len(duplicates)}" in reason and duplicates[0].head_name in reason
