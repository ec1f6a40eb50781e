"""Deadlines and recurring schedules: occurrences, and overdue computed per occurrence."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ctmtqg_desktop.domain import schedules as s

D = dt.date


def monthly(day=20, start=None, end=None):
    return s.Schedule(s.MONTHLY, day=day, start=start or D(2023, 7, 1), end=end)


def test_monthly_report_before_the_20th():
    rule = monthly()
    assert rule.occurrences_between(D(2023, 7, 1), D(2023, 10, 31)) == [
        D(2023, 7, 20), D(2023, 8, 20), D(2023, 9, 20), D(2023, 10, 20)]
    state = s.evaluate(rule, [D(2023, 7, 18), D(2023, 8, 19), D(2023, 9, 25)], D(2023, 10, 16))
    assert [o.state for o in state.occurrences] == [s.ON_TIME, s.ON_TIME, s.LATE_DONE,
                                                    s.PENDING]
    assert state.next_due == D(2023, 10, 20) and not state.overdue
    assert state.due_within(D(2023, 10, 16), 7) and not state.due_within(D(2023, 10, 16), 3)


def test_missed_months_are_each_overdue_and_a_late_report_covers_the_oldest():
    rule = monthly()
    state = s.evaluate(rule, [D(2023, 7, 18)], D(2023, 10, 21))
    assert state.overdue_count == 3  # August, September, October
    assert state.next_due == D(2023, 8, 20)
    late = s.evaluate(rule, [D(2023, 7, 18), D(2023, 10, 21)], D(2023, 10, 21))
    assert late.occurrences[1] == s.Occurrence(D(2023, 8, 20), D(2023, 10, 21), s.LATE_DONE)
    assert late.overdue_count == 2 and late.next_due == D(2023, 9, 20)


def test_a_report_before_the_period_does_not_count_for_it():
    rule = monthly()
    state = s.evaluate(rule, [D(2023, 7, 5), D(2023, 7, 6)], D(2023, 8, 25))
    # both reports fall in July's period; the second cannot count for August
    assert state.occurrences[0].state == s.ON_TIME
    assert state.occurrences[1].state == s.OVERDUE


def test_every_six_months_quarterly_and_yearly():
    half = s.Schedule(s.SEMIANNUAL, day=15, month=6, start=D(2023, 1, 1))
    assert half.occurrences_between(D(2023, 1, 1), D(2024, 12, 31)) == [
        D(2023, 6, 15), D(2023, 12, 15), D(2024, 6, 15), D(2024, 12, 15)]
    quarter = s.Schedule(s.QUARTERLY, day=25, month=3, start=D(2023, 3, 1))
    state = s.evaluate(quarter, [D(2023, 3, 24), D(2023, 6, 28)], D(2023, 10, 16))
    assert [o.state for o in state.occurrences] == [s.ON_TIME, s.LATE_DONE, s.OVERDUE,
                                                    s.PENDING]
    assert state.overdue_count == 1 and state.next_due == D(2023, 9, 25)
    yearly = s.Schedule(s.YEARLY, day=10, month=9, start=D(2022, 1, 1))
    state = s.evaluate(yearly, [D(2022, 9, 8), D(2023, 9, 7)], D(2023, 10, 16))
    assert state.next_due == D(2024, 9, 10) and not state.overdue


def test_day_31_falls_on_the_last_day_of_short_months():
    rule = monthly(day=31, start=D(2024, 1, 1), end=D(2024, 4, 30))
    assert list(rule.occurrences()) == [D(2024, 1, 31), D(2024, 2, 29), D(2024, 3, 31),
                                        D(2024, 4, 30)]


def test_one_deadline_and_ongoing_duties():
    once = s.Schedule(s.ONCE, deadline=D(2023, 9, 30))
    assert s.evaluate(once, [], D(2023, 10, 16)).overdue
    assert not s.evaluate(once, [], D(2023, 9, 30)).overdue
    done_late = s.evaluate(once, [], D(2023, 10, 16), closed_on=D(2023, 10, 2))
    assert done_late.next_due is None and done_late.occurrences[0].state == s.LATE_DONE
    ongoing = s.evaluate(s.Schedule(), [D(2023, 1, 1)], D(2023, 10, 16))
    assert ongoing == s.DueState(None, 0, ())


def test_closing_a_recurring_task_ends_its_series():
    rule = monthly()
    state = s.evaluate(rule, [D(2023, 7, 18)], D(2023, 12, 1), closed_on=D(2023, 9, 1))
    assert state.next_due is None and not state.overdue
    assert [o.state for o in state.occurrences] == [s.ON_TIME, s.MISSED]


@pytest.mark.parametrize("rule, reason", [
    (s.Schedule("weekly"), "kind"), (s.Schedule(s.ONCE), "deadline"),
    (s.Schedule(s.MONTHLY, day=0, start=D(2023, 1, 1)), "day"),
    (s.Schedule(s.YEARLY, day=1, month=13, start=D(2023, 1, 1)), "month"),
    (s.Schedule(s.MONTHLY, day=5), "start"),
    (s.Schedule(s.MONTHLY, day=5, start=D(2023, 2, 1), end=D(2023, 1, 1)), "end"),
])
def test_impossible_schedules_are_refused(rule, reason):
    with pytest.raises(s.ScheduleInvalid) as caught:
        rule.check()
    assert caught.value.reason == reason


recurring = st.builds(
    s.Schedule, kind=st.sampled_from([s.MONTHLY, s.QUARTERLY, s.SEMIANNUAL, s.YEARLY]),
    day=st.integers(1, 31), month=st.integers(1, 12),
    start=st.dates(D(2020, 1, 1), D(2026, 12, 31)))
days = st.dates(D(2020, 1, 1), D(2028, 12, 31))


@settings(max_examples=150, deadline=None)
@given(recurring, st.lists(days, max_size=12), days)
def test_properties_of_recurring_schedules(rule, updates, today):
    state = s.evaluate(rule, updates, today)
    dues = [o.due for o in state.occurrences]
    assert dues == sorted(dues) and len(set(dues)) == len(dues)
    assert all(d >= rule.start for d in dues)
    # overdue is exactly the unfulfilled occurrences before today
    assert state.overdue_count == sum(o.fulfilled_on is None and o.due < today
                                      for o in state.occurrences)
    assert state.overdue == (state.next_due is not None and state.next_due < today)
    # the next due date does not depend on the day it is computed
    later = s.evaluate(rule, updates, today + dt.timedelta(days=400))
    assert later.next_due == state.next_due
    # each update fulfils at most one occurrence, and never one whose period is later
    fulfilled = [o for o in state.occurrences if o.fulfilled_on is not None]
    assert len(fulfilled) <= len(updates)
    for previous, occurrence in zip([None, *dues], state.occurrences):
        if occurrence.fulfilled_on is not None and previous is not None:
            assert occurrence.fulfilled_on > previous


@settings(max_examples=100, deadline=None)
@given(recurring, days)
def test_more_updates_never_make_a_task_later(rule, today):
    none = s.evaluate(rule, [], today)
    some = s.evaluate(rule, [today], today)
    assert some.overdue_count <= none.overdue_count
