"""Report periods (issue 14): parsing what an officer types, labels, the last closed one."""

from __future__ import annotations

import datetime as dt

import pytest

from ctmtqg_desktop.domain.report_periods import (
    BadPeriod,
    Period,
    PeriodOrder,
    last_closed,
    parse_period,
    up_to,
)

D = dt.date


@pytest.mark.parametrize(("text", "kind", "start", "end", "label"), [
    ("06/2023", "month", D(2023, 6, 1), D(2023, 6, 30), "tháng 06 năm 2023"),
    ("2/2024", "month", D(2024, 2, 1), D(2024, 2, 29), "tháng 02 năm 2024"),
    ("Q2/2023", "quarter", D(2023, 4, 1), D(2023, 6, 30), "quý II năm 2023"),
    ("quý IV/2023", "quarter", D(2023, 10, 1), D(2023, 12, 31), "quý IV năm 2023"),
    ("6t/2023", "half_year", D(2023, 1, 1), D(2023, 6, 30), "6 tháng đầu năm 2023"),
    ("9t/2023", "nine_months", D(2023, 1, 1), D(2023, 9, 30), "9 tháng đầu năm 2023"),
    ("2023", "year", D(2023, 1, 1), D(2023, 12, 31), "năm 2023"),
    ("01/01/2023-15/09/2023", "range", D(2023, 1, 1), D(2023, 9, 15),
     "từ 01/01/2023 đến 15/09/2023"),
])
def test_periods_as_an_officer_types_them(text, kind, start, end, label):
    period = parse_period(text)
    assert (period.kind, period.start, period.end, period.label) == (kind, start, end, label)
    assert period.slug == end.isoformat() and period.year == end.year


@pytest.mark.parametrize("text", ["", "abc", "13/2023", "Q5/2023", "7t/2023", "2023-06"])
def test_what_is_not_a_period_is_refused_with_a_sentence(text):
    with pytest.raises(BadPeriod) as raised:
        parse_period(text)
    assert "không phải là kỳ báo cáo" in str(raised.value)


def test_a_range_ending_before_it_starts_is_refused():
    with pytest.raises(PeriodOrder) as raised:
        parse_period("30/06/2023-01/01/2023")
    assert "30/06/2023" in str(raised.value) and "01/01/2023" in str(raised.value)


def test_the_last_closed_period_and_the_year_so_far():
    assert last_closed(D(2023, 10, 16)) == Period.of("half_year", 2023)
    assert last_closed(D(2024, 3, 1)) == Period.of("year", 2023)
    assert up_to(D(2023, 6, 30)) == Period("range", D(2023, 1, 1), D(2023, 6, 30))
    assert up_to(D(2023, 12, 31)) == Period.of("year", 2023)


def test_two_dates_are_named_as_the_period_they_are():
    day = D
    assert Period.from_dates(day(2023, 1, 1), day(2023, 6, 30)) == Period.of("half_year", 2023)
    assert Period.from_dates(day(2023, 1, 1), day(2023, 9, 30)).kind == "nine_months"
    assert Period.from_dates(day(2023, 1, 1), day(2023, 12, 31)).kind == "year"
    assert Period.from_dates(day(2023, 4, 1), day(2023, 6, 30)) == Period.of("quarter", 2023, 2)
    assert Period.from_dates(day(2024, 2, 1), day(2024, 2, 29)) == Period.of("month", 2024, 2)
    assert Period.from_dates(day(2023, 2, 1), day(2023, 6, 30)).kind == "range"
    assert Period.from_dates(day(2021, 1, 1), day(2025, 12, 31)).kind == "range"
