"""Thời hạn và lịch định kỳ của nhiệm vụ: deadlines and recurring schedules of tasks.

A directive gives a task either one deadline ("hoàn thành trước ngày 30/9/2023") or a
recurring duty, most often a report: "báo cáo trước ngày 20 hằng tháng" (monthly),
"định kỳ 6 tháng" (every six months), quarterly, or "hằng năm trước ngày 15/12" (yearly).
The reporting regime of the national target programmes is set by Nghị định 27/2022/NĐ-CP
art. 32 (amended by Nghị định 38/2023/NĐ-CP) and the programme owners' circulars
(Thông tư 01/2022/TT-UBDT, Thông tư 10/2022/TT-BLĐTBXH, Thông tư 05/2022/TT-BNNPTNT).

Overdue is computed here, never typed: a schedule yields its occurrences (due dates); the
dated progress updates are matched to them in order; an occurrence with no matching update
whose due date has passed is overdue. The functions are pure (dates in, dates out).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

ONCE = "once"
NONE = "none"
MONTHLY = "monthly"
QUARTERLY = "quarterly"
SEMIANNUAL = "semiannual"
YEARLY = "yearly"

#: months between two occurrences of each recurring kind
EVERY_MONTHS = {MONTHLY: 1, QUARTERLY: 3, SEMIANNUAL: 6, YEARLY: 12}
KINDS = (NONE, ONCE, MONTHLY, QUARTERLY, SEMIANNUAL, YEARLY)

#: a recurring schedule without an end date is followed this far past today at most
HORIZON_YEARS = 5


class ScheduleInvalid(ValueError):
    """A schedule whose values cannot describe any date (checked by :meth:`Schedule.check`)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _add_months(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + months
    return index // 12, index % 12 + 1


def _clamped(year: int, month: int, day: int) -> dt.date:
    """``day`` of the month, or its last day ("the 31st" of February is the 28th/29th)."""
    return dt.date(year, month, min(day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Schedule:
    """When a task is due.

    * ``none``: an ongoing duty with no deadline ("thường xuyên"); never overdue.
    * ``once``: due on ``deadline``.
    * ``monthly``/``quarterly``/``semiannual``/``yearly``: due on ``day`` of every
      1/3/6/12 months, counted from ``month`` (the month of the first occurrence of each
      year: quarterly with month 3 is due in March, June, September, December), from
      ``start`` (the first occurrence is on or after it) until ``end`` (inclusive; None:
      open-ended).
    """

    kind: str = NONE
    deadline: dt.date | None = None
    day: int = 0
    month: int = 1
    start: dt.date | None = None
    end: dt.date | None = None

    @property
    def recurring(self) -> bool:
        return self.kind in EVERY_MONTHS

    def check(self) -> None:
        if self.kind not in KINDS:
            raise ScheduleInvalid("kind")
        if self.kind == ONCE and self.deadline is None:
            raise ScheduleInvalid("deadline")
        if self.recurring:
            if not 1 <= self.day <= 31:
                raise ScheduleInvalid("day")
            if not 1 <= self.month <= 12:
                raise ScheduleInvalid("month")
            if self.start is None:
                raise ScheduleInvalid("start")
            if self.end is not None and self.end < self.start:
                raise ScheduleInvalid("end")

    def occurrences(self, until: dt.date | None = None) -> Iterator[dt.date]:
        """Due dates in order; recurring ones up to ``end`` or, if open, up to ``until``."""
        if self.kind == ONCE and self.deadline is not None:
            yield self.deadline
            return
        if not self.recurring or self.start is None:
            return
        step = EVERY_MONTHS[self.kind]
        last = self.end or until
        if last is None:
            raise ValueError("an open-ended schedule needs ``until``")
        # the first slot of the series at or before the start's year
        year, month = self.start.year - 1, self.month
        while True:
            due = _clamped(year, month, self.day)
            if due > last:
                return
            if due >= self.start:
                yield due
            year, month = _add_months(year, month, step)

    def occurrences_between(self, first: dt.date, last: dt.date) -> list[dt.date]:
        return [d for d in self.occurrences(until=last) if first <= d <= last]


#: what an occurrence is, once matched with the progress updates; ``missed`` is an
#: occurrence that passed unfulfilled before the task was closed
PENDING, ON_TIME, LATE_DONE, OVERDUE, MISSED = "pending", "on_time", "late_done", "overdue", \
    "missed"


@dataclass(frozen=True)
class Occurrence:
    due: dt.date
    #: date of the update that fulfilled it, if any
    fulfilled_on: dt.date | None
    state: str  # pending, on_time, late_done, overdue, missed


@dataclass(frozen=True)
class DueState:
    """A task's situation on a given day."""

    #: the earliest occurrence not yet fulfilled (None: nothing is due any more)
    next_due: dt.date | None
    #: unfulfilled occurrences whose date has passed
    overdue_count: int
    occurrences: tuple[Occurrence, ...]

    @property
    def overdue(self) -> bool:
        return self.overdue_count > 0

    def due_within(self, today: dt.date, days: int) -> bool:
        """Due soon: not overdue, and the next occurrence falls within ``days`` days."""
        return (not self.overdue and self.next_due is not None
                and today <= self.next_due <= today + dt.timedelta(days=days))


def evaluate(schedule: Schedule, updates: Sequence[dt.date], today: dt.date, *,
             closed_on: dt.date | None = None) -> DueState:
    """Match dated progress updates to the schedule's occurrences and judge each one.

    One-off task: it is fulfilled only when closed as done (``closed_on``); ``updates``
    are ignored. Recurring task (a periodic report): every update fulfils the earliest
    unfulfilled occurrence whose period it falls in or after. The period of an occurrence
    starts the day after the previous due date, so a report sent before that does not
    count for it, and a late report counts, late, for the oldest missing one. Closing the
    task (``closed_on``) ends the series: later occurrences are not due, and earlier
    unfulfilled ones are ``missed`` rather than overdue.

    ``next_due`` (the earliest unfulfilled occurrence) does not depend on ``today``, so it
    can be stored and filtered on; overdue is ``next_due < today``.
    """
    if schedule.kind == NONE:
        return DueState(None, 0, ())
    if schedule.kind == ONCE:
        due = schedule.deadline
        if due is None:  # what Schedule.check() refuses
            raise ScheduleInvalid("deadline")
        if closed_on is not None:
            state = ON_TIME if closed_on <= due else LATE_DONE
            return DueState(None, 0, (Occurrence(due, closed_on, state),))
        state = OVERDUE if due < today else PENDING
        return DueState(due, int(state == OVERDUE), (Occurrence(due, None, state),))
    if not schedule.recurring or schedule.start is None:  # not a valid schedule: nothing due
        return DueState(None, 0, ())
    latest = max([today, schedule.start, *updates, *([closed_on] if closed_on else [])])
    horizon = schedule.end or dt.date(latest.year + HORIZON_YEARS, 12, 31)
    remaining = sorted(updates)
    result: list[Occurrence] = []
    previous: dt.date | None = None
    next_due: dt.date | None = None
    for due in schedule.occurrences(until=horizon):
        if closed_on is not None and due > closed_on:
            break
        window_start = previous + dt.timedelta(days=1) if previous else dt.date.min
        match = next((d for d in remaining if d >= window_start), None)
        previous = due
        if match is not None:
            remaining.remove(match)
            result.append(Occurrence(due, match, ON_TIME if match <= due else LATE_DONE))
            continue
        if closed_on is not None:
            result.append(Occurrence(due, None, MISSED))
            continue
        if next_due is None:
            next_due = due
        if due < today:
            result.append(Occurrence(due, None, OVERDUE))
        else:
            result.append(Occurrence(due, None, PENDING))
            break
    overdue = sum(o.state == OVERDUE for o in result)
    return DueState(next_due, overdue, tuple(result))
