"""Scores with their criteria, the priority rank under the user's weights, stalled projects,
and the what-if that moves unspent capital to the best projects (applied all or nothing)."""

import datetime as dt

import pytest

from ctmtqg_desktop.domain import capital as rules
from ctmtqg_desktop.domain.errors import BadArgument
from ctmtqg_desktop.services import capital, villages
from ctmtqg_desktop.services import projects as portfolio
from tests.capital_support import line, project, set_today

D = dt.date


@pytest.fixture
def two_projects(new_workspace):
    ws = new_workspace()
    set_today(ws, D(2023, 10, 16))
    village = villages.save_village(ws, name="Làng Kon Gung", extremely_disadvantaged=True)
    p = project(ws, "Đường bê tông làng Kon Gung", village_id=village.id, stage="implementation",
                approval_number="141/QĐ-UBND", approval_date=D(2023, 4, 5),
                physical_progress=50, beneficiary_households=40)
    q = project(ws, "Nhà văn hóa làng Kon Gung", program="2021-2025/DTTS",
                village_id=village.id, stage="preparation", beneficiary_households=200)
    portfolio.set_funding(ws, p.id, {"NSTW": 1_000_000_000})
    plan = line(ws, 1_000_000_000)
    a = capital.save_allocation(ws, line_id=plan.id, project_id=p.id, amount=600_000_000,
                                decision_date=D(2023, 4, 5))
    capital.save_payment(ws, allocation_id=a.id, paid_on=D(2023, 9, 1), amount=300_000_000)
    for code, points in {"site_ready": 25, "community_agreed": 10, "goal_contribution": 20,
                         "sustainable": 0, "no_obstacles": 20}.items():
        portfolio.set_score(ws, p.id, code, points)
    for code, points in {"community_agreed": 20, "goal_contribution": 25,
                         "sustainable": 25}.items():
        portfolio.set_score(ws, q.id, code, points)
    return ws, p, q


def test_scores_follow_the_written_criteria(two_projects):
    ws, p, q = two_projects
    row = portfolio.get_row(ws, p.id)
    points = {c.code: c.points for c in row.criteria}
    assert points == {"approved": 30, "funding_secured": 15, "site_ready": 25,
                      "community_agreed": 10, "beneficiaries": 12, "disadvantaged_village": 20,
                      "goal_contribution": 20, "sustainable": 0, "on_track": 22,
                      "progress_ahead": 25, "recent_payment": 15, "no_obstacles": 20}
    assert row.scores == {"feasibility": pytest.approx(80.0),
                          "effectiveness": pytest.approx(52.0),
                          "disbursement": pytest.approx(82.0)}
    assert row.priority == pytest.approx((80 * 35 + 52 * 30 + 82 * 35) / 100)  # 72,3
    explained = {c.code: c.explanation for c in row.criteria if c.auto}
    assert explained["funding_secured"] == "Đã bố trí 600.000.000/1.000.000.000 đồng (60,0%)."
    assert explained["on_track"] == "Đã giải ngân 50,0% vốn năm 2023; đường tiến độ 79,2%."
    assert explained["disadvantaged_village"] == "Làng Kon Gung là thôn đặc biệt khó khăn."
    assert row.rate_year == 0.5 and not row.stalled


def test_the_rank_changes_with_the_weights(two_projects):
    ws, p, q = two_projects
    default = portfolio.portfolio(ws)
    assert [(r.name, r.rank) for r in default] == [("Đường bê tông làng Kon Gung", 1),
                                                   ("Nhà văn hóa làng Kon Gung", 2)]
    assert default[1].priority == pytest.approx((20 * 35 + 100 * 30 + 0 * 35) / 100)
    effectiveness_only = portfolio.portfolio(ws, weights={"feasibility": 0,
                                                          "effectiveness": 100,
                                                          "disbursement": 0})
    assert [r.name for r in effectiveness_only] == ["Nhà văn hóa làng Kon Gung",
                                                    "Đường bê tông làng Kon Gung"]
    portfolio.set_weights(ws, {"feasibility": 0, "effectiveness": 1, "disbursement": 0})
    assert portfolio.portfolio(ws)[0].name == "Nhà văn hóa làng Kon Gung"
    with pytest.raises(BadArgument):
        portfolio.set_weights(ws, {"feasibility": 0, "effectiveness": 0, "disbursement": 0})
    with pytest.raises(BadArgument):
        portfolio.portfolio(ws, weights={"feasibility": 101, "effectiveness": 0,
                                         "disbursement": 0})


def test_only_the_officers_criteria_are_scored_by_hand(two_projects):
    ws, p, q = two_projects
    with pytest.raises(BadArgument) as caught:
        portfolio.set_score(ws, p.id, "approved", 30)
    assert "được tính từ số liệu" in str(caught.value)
    with pytest.raises(BadArgument) as caught:
        portfolio.set_score(ws, p.id, "site_ready", 26)
    assert "từ 0 đến 25 điểm" in str(caught.value)
    with pytest.raises(BadArgument):
        portfolio.set_score(ws, p.id, "nonexistent", 1)
    portfolio.set_score(ws, p.id, "site_ready", 5, "Còn 2 hộ chưa hiến đất")
    row = portfolio.get_row(ws, p.id)
    site = next(c for c in row.criteria if c.code == "site_ready")
    assert (site.points, site.note) == (5, "Còn 2 hộ chưa hiến đất")


def test_funding_by_source_is_replaced_and_checked(two_projects):
    ws, p, q = two_projects
    portfolio.set_funding(ws, q.id, {"NSTW": 500_000_000, "CONG_DONG_NGAY_CONG": 50_000_000})
    portfolio.set_funding(ws, q.id, {"NSTW": 450_000_000, "CONG_DONG_NGAY_CONG": 0})
    assert portfolio.get_row(ws, q.id).funding == {"NSTW": 450_000_000}
    with pytest.raises(BadArgument):
        portfolio.set_funding(ws, q.id, {"VAY": 1})
    with pytest.raises(BadArgument):
        portfolio.set_funding(ws, q.id, {"NSTW": -1})


def test_a_project_without_payments_for_too_long_is_stalled(two_projects):
    ws, p, q = two_projects
    slow = project(ws, "Kênh mương thôn 2", stage="implementation")
    plan = line(ws, 500_000_000, source="NSDP_HUYEN")
    capital.save_allocation(ws, line_id=plan.id, project_id=slow.id, amount=200_000_000,
                            decision_date=D(2023, 6, 1))
    row = portfolio.get_row(ws, slow.id)
    assert row.stalled and "01/06/2023" in row.stalled_reason and "137 ngày" in \
        row.stalled_reason
    assert row.state == "late"
    set_today(ws, D(2023, 8, 1))  # 61 days: not yet
    assert not portfolio.get_row(ws, slow.id).stalled


def test_the_what_if_moves_unspent_capital_to_the_best_projects(demo_workspace):
    plan = portfolio.propose_adjustment(demo_workspace, 2023)
    moves = [(m.from_name, m.to_name, m.amount) for m in plan.moves]
    assert moves == [
        ("Vốn chưa phân bổ của dòng", "Sửa chữa nhà rông văn hóa truyền thống làng Đăk Lấp",
         250_000_000),
        ("Vốn chưa phân bổ của dòng",
         "Hỗ trợ phát triển sản xuất: nuôi lợn đen địa phương thôn 5", 90_000_000),
        ("Hỗ trợ nhà ở cho hộ nghèo, hộ cận nghèo năm 2023",
         "Hỗ trợ phát triển sản xuất: nuôi lợn đen địa phương thôn 5", 60_000_000),
        ("Vốn chưa phân bổ của dòng", "Nâng cấp nhà văn hóa làng Đăk Lấp", 100_000_000),
    ]
    assert plan.total == 500_000_000 and plan.from_unallocated == 440_000_000
    # capital never leaves its line: each receiver is of the line's programme
    programme_of = {r.name: r.program_label for r in portfolio.portfolio(demo_workspace)}
    for move in plan.moves:
        assert move.line_label.startswith(programme_of[move.to_name] + " năm 2023")
    # projects with an open overlap warning receive nothing
    receivers = {m.to_name for m in plan.moves}
    assert "Bê tông hóa đường giao thông nội làng Kon Mong Tu" not in receivers
    changes = {c.name: c for c in plan.changes}
    pig = changes["Hỗ trợ phát triển sản xuất: nuôi lợn đen địa phương thôn 5"]
    assert (pig.before, pig.increase, pig.after) == (150_000_000, 150_000_000, 300_000_000)
    housing = changes["Hỗ trợ nhà ở cho hộ nghèo, hộ cận nghèo năm 2023"]
    assert (housing.before, housing.decrease, housing.after) == (240_000_000, 60_000_000,
                                                                 180_000_000)
    assert "Chậm giải ngân" in housing.reason


def test_the_user_changes_amounts_within_what_the_donor_can_give(demo_workspace):
    plan = portfolio.propose_adjustment(demo_workspace, 2023)
    revised = portfolio.revise_plan(demo_workspace, plan, [100_000_000, 90_000_000, 0,
                                                           100_000_000])
    assert revised.total == 290_000_000 and len(revised.moves) == 3
    with pytest.raises(BadArgument) as caught:
        portfolio.revise_plan(demo_workspace, plan, [351_000_000, 90_000_000, 60_000_000,
                                                     100_000_000])
    text = str(caught.value)
    assert "350.000.000 đồng" in text and "1.000.000 đồng" in text and "vượt" in text


def test_an_approved_adjustment_is_recorded_all_together(demo_workspace):
    before = {line.id: line.figures for line in capital.list_lines(demo_workspace, year=2023)}
    plan = portfolio.propose_adjustment(demo_workspace, 2023)
    assert portfolio.apply_adjustment(demo_workspace, plan, decision_number="245/QĐ-UBND",
                                      decision_date=D(2023, 10, 16)) == 4
    after = {line.id: line.figures for line in capital.list_lines(demo_workspace, year=2023)}
    for line_id, figures in after.items():
        assert figures.assigned == before[line_id].assigned
        assert figures.disbursed == before[line_id].disbursed
        assert figures.disbursed <= figures.allocated <= figures.plan
    assert sum(f.allocated for f in after.values()) - sum(
        f.allocated for f in before.values()) == plan.from_unallocated
    pig = [a for a in capital.allocations(demo_workspace, year=2023)
           if a.project_name.endswith("lợn đen địa phương thôn 5")]
    assert sum(a.amount for a in pig) == 300_000_000
    assert any(a.decision_number == "245/QĐ-UBND" for a in pig)
    # the same plan again would take more than the donors still have: nothing changes
    with pytest.raises(rules.AllocationExceedsPlan):
        portfolio.apply_adjustment(demo_workspace, plan, decision_number="246/QĐ-UBND",
                                   decision_date=D(2023, 10, 16))
    assert {line.id: line.figures for line in capital.list_lines(demo_workspace,
                                                                 year=2023)} == after
    with pytest.raises(BadArgument):
        portfolio.apply_adjustment(demo_workspace, plan, decision_number=" ",
                                   decision_date=D(2023, 10, 16))
