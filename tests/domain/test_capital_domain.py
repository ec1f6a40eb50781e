"""Capital rules on hand-checked numbers: on-track line, forecast, deadlines, counterpart,
the invariants' refusals (Vietnamese, amounts as 1.234.567), scoring and name similarity."""

import datetime as dt

import pytest

from ctmtqg_desktop.domain import capital as rules
from ctmtqg_desktop.domain import scoring
from ctmtqg_desktop.domain.overlap import name_similarity, significant_words

D = dt.date


def test_on_track_line_is_the_share_of_the_year_passed():
    assert rules.year_elapsed_share(2023, D(2023, 10, 16)) == pytest.approx(289 / 365)
    assert rules.year_elapsed_share(2024, D(2024, 3, 1)) == pytest.approx(61 / 366)  # leap
    assert rules.year_elapsed_share(2023, D(2023, 1, 1)) == pytest.approx(1 / 365)
    assert rules.year_elapsed_share(2023, D(2022, 12, 31)) == 0.0
    assert rules.year_elapsed_share(2022, D(2023, 10, 16)) == 1.0


def test_forecast_extends_the_pace_of_the_last_90_days_to_31_12():
    # paid 400 million so far, 300 million of it in the 90 days up to 16/10 (window from 19/07);
    # 76 days left: 400.000.000 + 300.000.000 * 76 // 90 = 653.333.333
    payments = [(D(2023, 3, 1), 100_000_000), (D(2023, 8, 1), 200_000_000),
                (D(2023, 9, 30), 100_000_000), (D(2023, 7, 18), 0)]
    forecast = rules.forecast_year_end(payments, year=2023, today=D(2023, 10, 16),
                                       assigned=1_000_000_000)
    assert (forecast.disbursed, forecast.recent, forecast.window_days,
            forecast.remaining_days) == (400_000_000, 300_000_000, 90, 76)
    assert forecast.amount == 653_333_333
    assert forecast.rate == pytest.approx(0.653333333)


def test_forecast_window_edges_cap_and_years_outside():
    # 19/07 is the first day of the window ending 16/10 (90 days, both ends counted)
    inside = rules.forecast_year_end([(D(2023, 7, 19), 90)], year=2023, today=D(2023, 10, 16),
                                     assigned=1000)
    outside = rules.forecast_year_end([(D(2023, 7, 18), 90)], year=2023, today=D(2023, 10, 16),
                                      assigned=1000)
    assert (inside.recent, inside.amount) == (90, 90 + 90 * 76 // 90)
    assert (outside.recent, outside.amount) == (0, 90)
    # early in the year the window is the days passed: 10 days, 100 paid, 355 days left
    early = rules.forecast_year_end([(D(2023, 1, 5), 100)], year=2023, today=D(2023, 1, 10),
                                    assigned=10_000)
    assert (early.window_days, early.amount) == (10, 100 + 100 * 355 // 10)
    capped = rules.forecast_year_end([(D(2023, 10, 1), 900)], year=2023,
                                     today=D(2023, 10, 16), assigned=1000)
    assert capped.amount == 1000 and capped.rate == 1.0
    later = rules.forecast_year_end([(D(2022, 5, 1), 300), (D(2023, 1, 20), 200)], year=2022,
                                    today=D(2023, 10, 16), assigned=1000)
    assert (later.amount, later.remaining_days) == (500, 0)
    payments_in_future_are_ignored = rules.forecast_year_end(
        [(D(2023, 11, 1), 500)], year=2023, today=D(2023, 10, 16), assigned=1000)
    assert payments_in_future_are_ignored.amount == 0


def test_deadlines_and_their_states():
    assert rules.default_deadline(2023, 1) == D(2024, 1, 31)
    assert rules.default_deadline(2023, 0) == D(2023, 12, 31)
    assert rules.default_deadline(2023, 12) == D(2024, 12, 31)
    assert rules.default_deadline(2023, 14) == D(2025, 2, 28)
    deadline = D(2023, 12, 31)
    assert rules.deadline_state(deadline, D(2023, 10, 16), undisbursed=1, lead_days=90) == \
        rules.DUE_SOON
    assert rules.deadline_state(deadline, D(2023, 10, 1), undisbursed=1, lead_days=90) == \
        rules.NORMAL
    assert rules.deadline_state(deadline, D(2024, 1, 1), undisbursed=1, lead_days=90) == \
        rules.LATE
    assert rules.deadline_state(deadline, D(2024, 1, 1), undisbursed=0, lead_days=90) == \
        rules.NORMAL
    assert rules.unallocated_state(5, 61, grace_days=60) == rules.LATE
    assert rules.unallocated_state(5, 60, grace_days=60) == rules.DUE_SOON
    assert rules.unallocated_state(0, 600, grace_days=60) == rules.NORMAL
    assert rules.pace_state(0.5, 0.79) == rules.DUE_SOON
    assert rules.pace_state(0.8, 0.79) == rules.NORMAL


def test_counterpart_required_is_the_ratio_of_central_capital_rounded_up():
    assert rules.counterpart_required(2_100_000_000, 1000) == 210_000_000
    assert rules.counterpart_required(1_234_567, 1250) == 154_321  # 154.320,875 rounded up
    assert rules.counterpart_required(0, 1000) == 0


def test_line_figures_add_up():
    figures = rules.LineFigures(assigned=1_000, allocated=700, disbursed=400, returned=100)
    assert (figures.plan, figures.unallocated, figures.undisbursed) == (900, 200, 500)
    assert figures.rate == 0.4
    assert rules.LineFigures().rate is None
    assert rules.total([figures, figures]).disbursed == 800


def test_each_refusal_names_the_line_and_the_excess_in_vietnamese():
    line = "CTMTQG NTM năm 2023, vốn ĐTPT, Ngân sách trung ương"
    with pytest.raises(rules.AllocationExceedsPlan) as caught:
        rules.check_allocations(line, plan=2_400_000_000, allocated=2_401_234_567)
    text = str(caught.value)
    assert line in text and "1.234.567 đồng" in text and "2.400.000.000 đồng" in text
    assert text.startswith("Không ghi được") and "Không có gì bị thay đổi" in text
    with pytest.raises(rules.PaymentExceedsAllocation) as caught:
        rules.check_payments(line, "Nhà văn hóa thôn 7", allocated=650_000_000,
                             disbursed=700_000_000)
    assert "Nhà văn hóa thôn 7" in str(caught.value) and "50.000.000 đồng" in str(caught.value)
    with pytest.raises(rules.PlanBelowAllocated) as caught:
        rules.check_plan(line, assigned=1_000, returned=100, allocated=950)
    assert "50 đồng" in str(caught.value)
    with pytest.raises(rules.AllocationBelowDisbursed) as caught:
        rules.check_allocation_amount(line, "Đường thôn 4", allocated=10, disbursed=25)
    assert "15 đồng" in str(caught.value)
    with pytest.raises(rules.ReturnExceedsUnallocated) as caught:
        rules.check_return(line, amount=300, unallocated=100)
    assert "200 đồng" in str(caught.value) and "giảm phân bổ" in str(caught.value)
    with pytest.raises(rules.CarryOverExceedsUnspent) as caught:
        rules.check_carry_over(line, amount=300, undisbursed=250)
    assert "50 đồng" in str(caught.value)
    # within the limits nothing is raised
    rules.check_allocations(line, plan=10, allocated=10)
    rules.check_payments(line, "x", allocated=10, disbursed=10)
    with pytest.raises(rules.AmountNotPositive):
        rules.check_positive(0)


def test_scores_priority_and_rank():
    criteria = [scoring.Criterion("a", "feasibility", "A", 30),
                scoring.Criterion("b", "feasibility", "B", 70)]
    assert scoring.dimension_score({"a": 30, "b": 35}, criteria) == pytest.approx(65.0)
    assert scoring.dimension_score({"a": 99}, criteria) == pytest.approx(30.0)  # capped
    scores = {"feasibility": 80.0, "effectiveness": 40.0, "disbursement": 20.0}
    assert scoring.priority(scores, {"feasibility": 1, "effectiveness": 1,
                                     "disbursement": 2}) == pytest.approx(40.0)
    assert scoring.priority(scores, {"feasibility": 0, "effectiveness": 0,
                                     "disbursement": 0}) == 0.0
    ranked = scoring.rank({"x": 50.0, "y": 70.0, "z": 50.0, "w": 10.0},
                          {"x": "b", "y": "a", "z": "a", "w": "c"})
    assert ranked == [("y", 1), ("z", 2), ("x", 2), ("w", 4)]


@pytest.mark.parametrize("first, second", [
    ("Nhà văn hóa thôn 7", "nha van hoa thon 7"),
    ("Nhà văn hóa thôn 7", "NHÀ VĂN HOÁ THÔN 7"),  # old accent placement "hoá"
    ("Bê tông hóa đường giao thông nội làng Kon Mong Tu",
     "Duong giao thong noi lang Kon Mong Tu"),
    ("Kiên cố hóa kênh mương nội đồng thôn 2", "Kien co hoa kenh muong thon 2"),
    ("Đường giao thông nông thôn thôn 4", "đường giao thông nôngthôn thôn 4".replace(
        "nôngthôn", "nông thôn")),
    ("Nhà văn hóa thôn 7", "Thôn 7: nhà văn hoá"),
    ("Xây dựng nhà văn hóa làng Kon Gung", "Nha van hoa lang Kon Gungg"),  # typo
])
def test_similar_names_are_found_with_or_without_diacritics(first, second):
    assert name_similarity(first, second, STOPS) >= THRESHOLD


@pytest.mark.parametrize("first, second", [
    ("Nhà văn hóa thôn 7", "Nhà văn hóa thôn 1"),  # another village
    ("Nhà văn hoá thôn 7", "nha van hoa thon 1"),
    ("Đường giao thông nội làng Kon Mong Tu", "Đường giao thông nội làng Kon Gung"),
    ("Nhà văn hóa thôn 7", "Sân thể thao thôn 7"),
    ("Hỗ trợ nhà ở cho hộ nghèo năm 2023", "Hỗ trợ nhà ở cho hộ nghèo năm 2024"),
    ("Kênh mương thôn 2", "Trường mẫu giáo thôn 2"),
    ("Hỗ trợ trồng nấm thôn 3", "Hỗ trợ trồng lúa thôn 3"),  # "nấm" is not the filler "năm"
])
def test_different_works_are_not_similar(first, second):
    assert name_similarity(first, second, STOPS) < THRESHOLD


def test_filler_words_are_dropped_as_whole_words():
    assert significant_words("Dự án hỗ trợ nuôi bò làng Đăk Lấp", STOPS) == \
        ["nuoi", "bo", "lang", "dak", "lap"]
    # fillers keep their diacritics: "cho" (for) is dropped, "chợ" (a market) is not
    assert significant_words("Chợ nông thôn cho thôn 5", STOPS) == \
        ["cho", "nong", "thon", "thon", "5"]
    # a name typed without diacritics loses its fillers too
    assert significant_words("Du an ho tro nuoi bo", STOPS) == ["nuoi", "bo"]


STOPS = ["dự án", "công trình", "hỗ trợ", "xây dựng", "cho", "và", "năm", "giai đoạn"]
THRESHOLD = 0.8
