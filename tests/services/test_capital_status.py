"""The year's figures on hand-checked numbers: rates, the on-track line, the forecast, the
monthly curve, the unallocated remainder and its age, and the alerts (also on the demo)."""

import datetime as dt

import pytest

from ctmtqg_desktop.domain import capital as rules
from ctmtqg_desktop.services import capital, overview
from ctmtqg_desktop.services.capital import _status as capital_status
from tests.capital_support import line, project, set_today

D = dt.date
ON_TRACK = 289 / 365  # 16/10/2023


@pytest.fixture
def year_2023(new_workspace):
    ws = new_workspace()
    set_today(ws, D(2023, 10, 16))
    road = project(ws, "Đường thôn 4 đi thôn 5")
    cows = project(ws, "Nuôi bò sinh sản làng Đăk Lấp", program="2021-2025/DTTS",
                   kind="production_support")
    ntm = line(ws, 1_000_000_000)
    dtts = line(ws, 500_000_000, program="2021-2025/DTTS", kind="SN",
                decision_date=D(2023, 9, 1))
    a = capital.save_allocation(ws, line_id=ntm.id, project_id=road.id, amount=800_000_000)
    b = capital.save_allocation(ws, line_id=dtts.id, project_id=cows.id, amount=500_000_000)
    for day, amount in ((D(2023, 3, 1), 100_000_000), (D(2023, 8, 1), 200_000_000),
                        (D(2023, 9, 30), 100_000_000)):
        capital.save_payment(ws, allocation_id=a.id, paid_on=day, amount=amount)
    capital.save_payment(ws, allocation_id=b.id, paid_on=D(2023, 9, 10), amount=50_000_000)
    return ws, ntm, dtts


def test_rates_on_track_and_forecast_on_hand_checked_numbers(year_2023):
    ws, ntm, dtts = year_2023
    summary = capital_status.year_summary(ws, 2023)
    assert summary.on_track == pytest.approx(ON_TRACK)
    assert (summary.total.assigned, summary.total.allocated, summary.total.disbursed) == (
        1_500_000_000, 1_300_000_000, 450_000_000)
    assert summary.total.rate == pytest.approx(0.30)
    # 450.000.000 paid; 350.000.000 in the last 90 days; 76 days left:
    # 450.000.000 + 350.000.000 × 76 // 90 = 745.555.555
    assert summary.forecast.amount == 745_555_555
    by_program = {g.key: g for g in summary.by_program}
    assert by_program["2021-2025/NTM"].figures.rate == pytest.approx(0.40)
    assert by_program["2021-2025/NTM"].forecast.amount == 400_000_000 + 300_000_000 * 76 // 90
    assert by_program["2021-2025/DTTS"].forecast.amount == 50_000_000 + 50_000_000 * 76 // 90
    assert by_program["2021-2025/DTTS"].figures.rate == pytest.approx(0.10)
    assert all(g.rate_state == rules.DUE_SOON for g in summary.by_program)  # below 79,2%
    assert [g.label for g in summary.by_source] == ["Ngân sách trung ương"]
    assert dict(summary.monthly) == {1: 0, 2: 0, 3: 100_000_000, 4: 100_000_000,
                                     5: 100_000_000, 6: 100_000_000, 7: 100_000_000,
                                     8: 300_000_000, 9: 450_000_000, 10: 450_000_000}
    projects = {p.name: p for p in summary.by_project}
    road = projects["Đường thôn 4 đi thôn 5"]
    assert (road.allocated, road.disbursed, road.rate) == (800_000_000, 400_000_000, 0.5)
    assert road.state == rules.DUE_SOON and road.last_payment == D(2023, 9, 30)
    # the slowest project first
    assert [p.name for p in summary.by_project][0] == "Nuôi bò sinh sản làng Đăk Lấp"


def test_unallocated_capital_its_age_and_the_deadline_states(year_2023):
    ws, ntm, dtts = year_2023
    ntm_line = capital.get_line(ws, ntm.id)
    assert ntm_line.figures.unallocated == 200_000_000
    assert ntm_line.unallocated_since == D(2023, 2, 10) and ntm_line.unallocated_days == 248
    assert ntm_line.unallocated_state == rules.LATE  # more than 60 days
    assert ntm_line.deadline_state == rules.NORMAL  # 31/01/2024: 107 days away
    assert ntm_line.pace_state == rules.DUE_SOON and ntm_line.state == rules.LATE
    dtts_line = capital.get_line(ws, dtts.id)
    assert dtts_line.deadline == D(2023, 12, 31) and dtts_line.deadline_state == rules.DUE_SOON
    assert dtts_line.unallocated_state == rules.NORMAL
    set_today(ws, D(2024, 1, 2))
    passed = capital.get_line(ws, dtts.id)
    assert passed.deadline_state == rules.LATE and passed.pace_state == rules.NORMAL


def test_alerts_say_what_to_do_red_first(year_2023):
    ws, ntm, dtts = year_2023
    found = capital_status.alerts(ws)
    kinds = [(a.kind, a.state) for a in found]
    assert ("unallocated", rules.LATE) in kinds
    assert ("deadline", rules.DUE_SOON) in kinds
    assert ("pace", rules.DUE_SOON) in kinds
    assert ("counterpart", rules.LATE) in kinds
    states = [a.state for a in found]
    assert states == sorted(states, key=lambda s: {rules.LATE: 0, rules.DUE_SOON: 1}[s])
    texts = "\n".join(a.text for a in found)
    assert "200.000.000 đồng chưa phân bổ chi tiết, giao từ ngày 10/02/2023 (đã 248 ngày)" \
        in texts
    assert "còn 76 ngày đến hạn giải ngân 31/12/2023; còn 450.000.000 đồng" in texts
    assert "CTMTQG NTM năm 2023: giải ngân 40,0%, thấp hơn đường tiến độ 79,2%" in texts
    assert "còn thiếu 100.000.000 đồng so với 100.000.000 đồng phải bố trí (10,0%)" in texts


def test_every_warning_appears_in_the_demo(demo_workspace):
    found = capital_status.alerts(demo_workspace)
    assert {(a.kind, a.state) for a in found} >= {
        ("deadline", rules.LATE), ("deadline", rules.DUE_SOON), ("unallocated", rules.LATE),
        ("pace", rules.DUE_SOON), ("counterpart", rules.LATE)}
    texts = "\n".join(a.text for a in found)
    # capital unallocated since 2022, as the directive complains
    assert "CTMTQG DTTS&MN năm 2022, vốn ĐTPT, Ngân sách trung ương: còn 400.000.000 đồng " \
           "chưa phân bổ chi tiết, giao từ ngày 15/07/2022" in texts
    assert "đã quá hạn giải ngân 31/12/2022, còn 120.000.000 đồng" in texts


def test_the_demo_lines_keep_every_invariant(demo_workspace):
    lines = capital.list_lines(demo_workspace)
    assert {line.year for line in lines} == {2022, 2023}
    assert {line.program_id for line in lines} == {"2021-2025/NTM", "2021-2025/DTTS",
                                                   "2021-2025/GNBV"}
    for item in lines:
        f = item.figures
        assert 0 <= f.disbursed <= f.allocated <= f.plan <= f.assigned, item.label
    for allocation in capital.allocations(demo_workspace):
        assert 0 <= allocation.disbursed <= allocation.amount
    summary = capital_status.year_summary(demo_workspace, 2023)
    assert summary.total.assigned == 7_398_000_000
    assert summary.total.disbursed == 3_037_000_000


def test_the_overview_shows_the_capital_and_the_projects(demo_workspace):
    result = overview.compute(demo_workspace, save=False)
    sections = {s.area: s for s in result.sections}
    money = sections["capital"]
    figures = {f.label: f for f in money.figures}
    assert figures["Vốn giao năm 2023 (triệu đồng)"].value == "7.398"
    assert figures["Giải ngân năm 2023; đường tiến độ 79,2%"].value == "41,1%"
    assert figures["Giải ngân năm 2023; đường tiến độ 79,2%"].state == rules.DUE_SOON
    assert figures["Chưa phân bổ, các năm (triệu đồng)"].state == rules.LATE
    assert money.lines[0][0] == "Có vốn chờ phân bổ chi tiết từ ngày 15/07/2022."
    assert any("đã quá hạn giải ngân" in text for text, _state in money.lines)
    work = sections["projects"]
    values = {f.label: f.value for f in work.figures}
    assert values["Chậm giải ngân"] == "2"
    assert values["Cặp dự án cần rà soát trùng lặp"] == "3"  # incl. households counted twice
    assert any("Có thể trùng lặp" in text for text, _state in work.lines)
