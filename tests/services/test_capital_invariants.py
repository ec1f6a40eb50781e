"""disbursed ≤ allocated ≤ assigned − returned, per line and per allocation: every entry that
would break it is refused with a Vietnamese sentence naming the line and the excess, and the
refusal changes nothing (records and change journal alike)."""

import datetime as dt

import pytest

from ctmtqg_desktop.domain import capital as rules
from ctmtqg_desktop.domain.errors import BadArgument, UserError
from ctmtqg_desktop.services import capital, settings
from ctmtqg_desktop.store.models.capital import (
    CapitalAllocation,
    CapitalCarryOver,
    CapitalLine,
    CapitalPayment,
    CapitalReturn,
)
from tests.capital_support import count, journal_count, line, project, set_today

D = dt.date
LABEL = "CTMTQG NTM năm 2023, vốn ĐTPT, Ngân sách trung ương"


@pytest.fixture
def ws(new_workspace):
    workspace = new_workspace()
    set_today(workspace, D(2023, 10, 16))
    return workspace


def snapshot(workspace):
    return (journal_count(workspace),
            *(count(workspace, m) for m in (CapitalLine, CapitalAllocation, CapitalPayment,
                                            CapitalCarryOver, CapitalReturn)),
            [(a.amount, a.disbursed) for a in capital.allocations(workspace)],
            [(x.figures, x.amount) for x in capital.list_lines(workspace)])


def refused(workspace, error_type, action, *words):
    before = snapshot(workspace)
    with pytest.raises(error_type) as caught:
        action()
    text = str(caught.value)
    for word in words:
        assert word in text, text
    assert snapshot(workspace) == before, "a refused entry changed something"
    return text


def test_a_line_allocation_and_payments_add_up(ws):
    road = project(ws, "Đường thôn 4 đi thôn 5")
    house = project(ws, "Nhà văn hóa thôn 7")
    plan = line(ws, 2_400_000_000)
    assert plan.label == LABEL
    assert plan.deadline == D(2024, 1, 31)  # investment capital: 31/01 of the next year
    a = capital.save_allocation(ws, line_id=plan.id, project_id=road.id, amount=1_450_000_000)
    b = capital.save_allocation(ws, line_id=plan.id, project_id=house.id, amount=650_000_000)
    capital.save_payment(ws, allocation_id=a.id, paid_on=D(2023, 5, 25), amount=250_000_000,
                         voucher="GRV 0525")
    capital.save_payment(ws, allocation_id=b.id, paid_on=D(2023, 7, 5), amount=650_000_000)
    figures = capital.get_line(ws, plan.id).figures
    assert (figures.assigned, figures.allocated, figures.unallocated, figures.disbursed) == (
        2_400_000_000, 2_100_000_000, 300_000_000, 900_000_000)
    assert figures.rate == pytest.approx(0.375)
    journal = journal_count(ws)
    assert journal >= 7  # projects, line, allocations and payments are synced records


def test_allocating_more_than_assigned_is_refused(ws):
    road = project(ws, "Đường thôn 4 đi thôn 5")
    house = project(ws, "Nhà văn hóa thôn 7")
    plan = line(ws, 2_400_000_000)
    capital.save_allocation(ws, line_id=plan.id, project_id=road.id, amount=2_000_000_000)
    refused(ws, rules.AllocationExceedsPlan,
            lambda: capital.save_allocation(ws, line_id=plan.id, project_id=house.id,
                                            amount=401_234_567),
            LABEL, "2.401.234.567 đồng", "2.400.000.000 đồng", "1.234.567 đồng",
            "Không có gì bị thay đổi")
    # exactly the rest is accepted
    capital.save_allocation(ws, line_id=plan.id, project_id=house.id, amount=400_000_000)
    assert capital.get_line(ws, plan.id).figures.unallocated == 0


def test_raising_an_allocation_beyond_the_plan_and_lowering_it_below_payments(ws):
    road = project(ws, "Đường thôn 4 đi thôn 5")
    plan = line(ws, 1_000_000_000)
    a = capital.save_allocation(ws, line_id=plan.id, project_id=road.id, amount=600_000_000)
    capital.save_payment(ws, allocation_id=a.id, paid_on=D(2023, 6, 1), amount=500_000_000)
    refused(ws, rules.AllocationExceedsPlan,
            lambda: capital.save_allocation(ws, line_id=plan.id, project_id=road.id,
                                            allocation_id=a.id, amount=1_000_000_001),
            "1 đồng")
    refused(ws, rules.AllocationBelowDisbursed,
            lambda: capital.save_allocation(ws, line_id=plan.id, project_id=road.id,
                                            allocation_id=a.id, amount=450_000_000),
            "Đường thôn 4 đi thôn 5", "500.000.000 đồng", "50.000.000 đồng")
    capital.save_allocation(ws, line_id=plan.id, project_id=road.id, allocation_id=a.id,
                            amount=500_000_000)
    assert capital.get_line(ws, plan.id).figures.allocated == 500_000_000


def test_disbursing_more_than_allocated_is_refused(ws):
    road = project(ws, "Đường thôn 4 đi thôn 5")
    plan = line(ws, 2_400_000_000)
    a = capital.save_allocation(ws, line_id=plan.id, project_id=road.id, amount=1_000_000_000)
    first = capital.save_payment(ws, allocation_id=a.id, paid_on=D(2023, 6, 1),
                                 amount=750_000_000)
    text = refused(ws, rules.PaymentExceedsAllocation,
                   lambda: capital.save_payment(ws, allocation_id=a.id, paid_on=D(2023, 7, 1),
                                                amount=500_000_000),
                   LABEL, "Đường thôn 4 đi thôn 5", "1.250.000.000 đồng", "1.000.000.000 đồng",
                   "250.000.000 đồng")
    assert text.startswith("Không ghi được: số giải ngân")
    # correcting a payment counts the others, not itself
    refused(ws, rules.PaymentExceedsAllocation,
            lambda: capital.save_payment(ws, allocation_id=a.id, payment_id=first.id,
                                         paid_on=D(2023, 6, 1), amount=1_000_000_001),
            "1 đồng")
    capital.save_payment(ws, allocation_id=a.id, payment_id=first.id, paid_on=D(2023, 6, 1),
                         amount=1_000_000_000)
    assert capital.get_line(ws, plan.id).figures.disbursed == 1_000_000_000


def test_lowering_the_assigned_amount_below_the_allocations_is_refused(ws):
    road = project(ws, "Đường thôn 4 đi thôn 5")
    plan = line(ws, 2_400_000_000)
    capital.save_allocation(ws, line_id=plan.id, project_id=road.id, amount=2_000_000_000)
    refused(ws, rules.PlanBelowAllocated,
            lambda: capital.save_line(ws, line_id=plan.id, year=2023,
                                      program_id="2021-2025/NTM", capital_kind="DTPT",
                                      source="NSTW", amount=1_900_000_000),
            "100.000.000 đồng", "giảm phân bổ")


def test_returns_come_out_of_the_unallocated_capital_only(ws):
    road = project(ws, "Đường thôn 4 đi thôn 5")
    plan = line(ws, 1_200_000_000)
    capital.save_allocation(ws, line_id=plan.id, project_id=road.id, amount=1_150_000_000)
    refused(ws, rules.ReturnExceedsUnallocated,
            lambda: capital.return_capital(ws, line_id=plan.id, amount=60_000_000,
                                           returned_on=D(2023, 3, 10), reason="Hết nhiệm vụ chi"),
            "60.000.000 đồng", "50.000.000 đồng", "10.000.000 đồng")
    refused(ws, BadArgument,
            lambda: capital.return_capital(ws, line_id=plan.id, amount=50_000_000,
                                           returned_on=D(2023, 3, 10), reason="  "),
            "lý do")
    refused(ws, rules.DateInFuture,
            lambda: capital.return_capital(ws, line_id=plan.id, amount=50_000_000,
                                           returned_on=D(2023, 10, 17), reason="Hết nhiệm vụ"),
            "17/10/2023")
    capital.return_capital(ws, line_id=plan.id, amount=50_000_000, returned_on=D(2023, 3, 10),
                           reason="Công trình quyết toán thấp hơn kế hoạch")
    figures = capital.get_line(ws, plan.id).figures
    assert (figures.plan, figures.unallocated, figures.returned) == (1_150_000_000, 0,
                                                                      50_000_000)
    # after the return, the line has no room left to allocate
    refused(ws, rules.AllocationExceedsPlan,
            lambda: capital.save_allocation(ws, line_id=plan.id, project_id=road.id,
                                            amount=1),
            "1.150.000.001 đồng")
    refused(ws, rules.PlanBelowAllocated,
            lambda: capital.save_line(ws, line_id=plan.id, year=2023,
                                      program_id="2021-2025/NTM", capital_kind="DTPT",
                                      source="NSTW", amount=1_199_999_999),
            "1 đồng")


def test_payments_must_fall_within_the_year_and_the_deadline(ws):
    road = project(ws, "Đường thôn 8")
    plan = line(ws, 1_000_000_000, year=2022)
    a = capital.save_allocation(ws, line_id=plan.id, project_id=road.id, amount=1_000_000_000)
    refused(ws, rules.PaymentOutsideYear,
            lambda: capital.save_payment(ws, allocation_id=a.id, paid_on=D(2021, 12, 31),
                                         amount=1),
            "31/12/2021", "2022")
    capital.save_payment(ws, allocation_id=a.id, paid_on=D(2023, 1, 31), amount=600_000_000)
    refused(ws, rules.PaymentAfterDeadline,
            lambda: capital.save_payment(ws, allocation_id=a.id, paid_on=D(2023, 2, 1),
                                         amount=1),
            "31/01/2023", "01/02/2023", "kéo dài")
    refused(ws, rules.DateInFuture,
            lambda: capital.save_payment(ws, allocation_id=a.id, paid_on=D(2023, 10, 17),
                                         amount=1), "16/10/2023")
    # a carry-over decision opens a later deadline for at most the undisbursed capital
    refused(ws, rules.CarryOverExceedsUnspent,
            lambda: capital.carry_over(ws, line_id=plan.id, amount=400_000_001,
                                       deadline=D(2023, 12, 31)),
            "400.000.000 đồng", "1 đồng")
    refused(ws, rules.CarryOverTooEarly,
            lambda: capital.carry_over(ws, line_id=plan.id, amount=400_000_000,
                                       deadline=D(2023, 1, 31)),
            "31/01/2023")
    capital.carry_over(ws, line_id=plan.id, amount=400_000_000, deadline=D(2023, 12, 31),
                       decision_number="88/QĐ-UBND", decision_date=D(2023, 1, 30))
    carried = capital.get_line(ws, plan.id)
    assert carried.deadline == D(2023, 12, 31) and carried.carried_over
    assert carried.figures.carried_over == 400_000_000
    assert carried.deadline_state == rules.DUE_SOON  # 76 days left, alert from 90
    capital.save_payment(ws, allocation_id=a.id, paid_on=D(2023, 5, 18), amount=150_000_000)
    assert capital.get_line(ws, plan.id).figures.disbursed == 750_000_000


def test_the_deadline_settings_move_the_deadlines(ws):
    plan = line(ws, 1_000, year=2023)
    recurrent = line(ws, 1_000, year=2023, kind="SN")
    assert capital.get_line(ws, recurrent.id).deadline == D(2023, 12, 31)
    settings.set_value(ws, capital.INVESTMENT_DEADLINE_MONTHS, 12)
    settings.set_value(ws, capital.RECURRENT_DEADLINE_MONTHS, 1)
    assert capital.get_line(ws, plan.id).deadline == D(2024, 12, 31)
    assert capital.get_line(ws, recurrent.id).deadline == D(2024, 1, 31)
    with pytest.raises(UserError):
        settings.set_value(ws, capital.ALERT_DAYS, 0)


def test_deleting_keeps_the_invariants(ws):
    road = project(ws, "Đường thôn 4 đi thôn 5")
    plan = line(ws, 1_000_000)
    a = capital.save_allocation(ws, line_id=plan.id, project_id=road.id, amount=900_000)
    paid = capital.save_payment(ws, allocation_id=a.id, paid_on=D(2023, 6, 1), amount=100)
    refused(ws, rules.LineHasEntries, lambda: capital.delete_line(ws, plan.id), LABEL, "1 khoản")
    refused(ws, rules.AllocationHasPayments, lambda: capital.delete_allocation(ws, a.id),
            "Đường thôn 4 đi thôn 5", "1 lần giải ngân")
    capital.delete_payment(ws, paid.id)
    capital.delete_allocation(ws, a.id)
    capital.delete_line(ws, plan.id)
    assert capital.list_lines(ws) == []
    assert count(ws, CapitalLine) == 1  # a tombstone, so that the delete travels


def test_bad_input_is_explained_and_changes_nothing(ws):
    before = snapshot(ws)
    cases = [
        (dict(program_id="2021-2025/XYZ"), "Chương trình “2021-2025/XYZ”"),
        (dict(capital_kind="VAY"), "loại vốn “VAY”"),
        (dict(source="NGOAI"), "nguồn vốn “NGOAI”"),
        (dict(component_id="2021-2025/DTTS/DA1"), "không phải là nội dung"),
        (dict(year=1999), "Năm kế hoạch"),
        (dict(amount=-5), "không được âm"),
        (dict(amount=None), "Chưa nhập"),
    ]
    base = dict(year=2023, program_id="2021-2025/NTM", capital_kind="DTPT", source="NSTW",
                amount=1_000)
    for change, words in cases:
        with pytest.raises(BadArgument) as caught:
            capital.save_line(ws, **{**base, **change})
        assert words in str(caught.value), str(caught.value)
    with pytest.raises(rules.AmountNotPositive):
        capital.save_payment(ws, allocation_id=plan_free_id(), paid_on=D(2023, 1, 1), amount=0)
    assert snapshot(ws) == before


def plan_free_id():
    import uuid

    return uuid.uuid4()


def test_community_contributions_are_valued_in_dong(ws):
    labour = line(ws, None, source="CONG_DONG_NGAY_CONG", quantity=1200,
                  quantity_unit="ngày công", unit_value=200_000)
    assert labour.amount == 240_000_000 and labour.quantity == 1200
    with pytest.raises(BadArgument) as caught:
        line(ws, 250_000_000, source="CONG_DONG_NGAY_CONG", quantity=1200,
             quantity_unit="ngày công", unit_value=200_000)
    assert "240.000.000 đồng" in str(caught.value)
    with pytest.raises(BadArgument):
        line(ws, None, source="CONG_DONG_HIEN_VAT", quantity=10)


def test_search_ignores_diacritics(ws):
    line(ws, 1_000, decision_number="56/QĐ-UBND", decision_body="UBND huyện Đắk Hà")
    line(ws, 2_000, source="NSDP_HUYEN", decision_number="57/QĐ-UBND")
    found = capital.list_lines(ws, text="dak ha")
    assert [x.amount for x in found] == [1_000]
    # every word must occur (the second line's source is "Ngân sách huyện (vốn đối ứng)")
    assert [x.amount for x in capital.list_lines(ws, text="von doi ung")] == [2_000]
    assert [x.amount for x in capital.list_lines(ws, text="VỐN ĐỐI ỨNG 57")] == [2_000]
    assert sorted(x.amount for x in capital.list_lines(ws, text="ngan sach huyen")) == [
        1_000, 2_000]
