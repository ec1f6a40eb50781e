"""Kế hoạch vốn (capital plans): the figures of a plan line, its invariants and its pace.

A capital plan line (dòng kế hoạch vốn) is one amount **assigned** (giao) by a decision for one
year, programme, capital kind (vốn đầu tư phát triển, Luật Đầu tư công 2019; vốn sự nghiệp,
Luật Ngân sách nhà nước 2015) and source. It is **allocated in detail** (phân bổ chi tiết) to
projects or activities, **disbursed** (giải ngân) through the State Treasury (Kho bạc Nhà nước)
in dated payments, and what remains is **carried over** (kéo dài thời gian thực hiện và giải
ngân, Luật Đầu tư công 2019 Điều 68; chuyển nguồn, Luật Ngân sách nhà nước 2015 Điều 64) or
**returned** to the budget (hoàn trả ngân sách, Nghị định 27/2022/NĐ-CP).

The invariants, per line, are::

    disbursed ≤ allocated ≤ assigned − returned

(a return gives back money that was never allocated; to return allocated money, the allocation
is first reduced). Each refusal is an error that names the line and the excess in đồng.

Everything here is pure: no I/O, no ORM, integer đồng only.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from ctmtqg_desktop.domain.errors import UserError
from ctmtqg_desktop.i18n import N_

#: default pace window of the forecast: the disbursement of the last 90 days
FORECAST_WINDOW_DAYS = 90

NORMAL, DUE_SOON, LATE = "normal", "due_soon", "late"


# ------------------------------------------------------------------------------ refusals
class CapitalRefused(UserError):
    """An entry that would break an invariant of a capital plan line; nothing was changed."""


class AllocationExceedsPlan(CapitalRefused):
    form_field = "amount"
    template = N_(
        "Refused: the capital allocated in detail from the line “{line}” would be {allocated} "
        "đồng, more than the {plan} đồng assigned to it (after returns) by {excess} đồng. "
        "Nothing was changed.")


class PlanBelowAllocated(CapitalRefused):
    template = N_(
        "Refused: the line “{line}” would keep {plan} đồng (assigned minus returned), less "
        "than the {allocated} đồng already allocated in detail by {excess} đồng. Reduce the "
        "allocations first. Nothing was changed.")


class PaymentExceedsAllocation(CapitalRefused):
    form_field = "amount"
    template = N_(
        "Refused: the disbursement to “{project}” from the line “{line}” would reach "
        "{disbursed} đồng, more than the {allocated} đồng allocated to it by {excess} đồng. "
        "Nothing was changed.")


class AllocationBelowDisbursed(CapitalRefused):
    template = N_(
        "Refused: the allocation to “{project}” from the line “{line}” would be {allocated} "
        "đồng, less than the {disbursed} đồng already disbursed by {excess} đồng. "
        "Nothing was changed.")


class ReturnExceedsUnallocated(CapitalRefused):
    template = N_(
        "Refused: the return of {amount} đồng from the line “{line}” is more than its "
        "unallocated capital ({unallocated} đồng) by {excess} đồng. To return allocated "
        "capital, reduce the allocation of the project first. Nothing was changed.")


class CarryOverExceedsUnspent(CapitalRefused):
    template = N_(
        "Refused: the carry-over of {amount} đồng from the line “{line}” is more than its "
        "undisbursed capital ({unspent} đồng) by {excess} đồng. Nothing was changed.")


class CarryOverTooEarly(CapitalRefused):
    template = N_(
        "Refused: the new deadline {deadline} of the line “{line}” must be after its current "
        "deadline {current}. Nothing was changed.")


class PaymentAfterDeadline(CapitalRefused):
    form_field = "paid_on"
    template = N_(
        "Refused: the line “{line}” could be disbursed until {deadline}; a payment dated "
        "{paid_on} needs a carry-over decision first. Nothing was changed.")


class PaymentOutsideYear(CapitalRefused):
    form_field = "paid_on"
    template = N_(
        "Refused: a payment dated {paid_on} is before the plan year {year} of the line "
        "“{line}”. Nothing was changed.")


class DateInFuture(CapitalRefused):
    exit_code = 2
    template = N_("The date {date} is after today ({today}); record payments and returns "
                  "once they have happened.")


class AmountNotPositive(CapitalRefused):
    form_field = "amount"
    exit_code = 2
    template = N_("The amount must be more than 0 đồng.")


class LineHasEntries(CapitalRefused):
    template = N_(
        "Refused: the line “{line}” still has {count} allocations, carry-overs or returns; "
        "delete them first. Nothing was changed.")


class AllocationHasPayments(CapitalRefused):
    template = N_(
        "Refused: the allocation to “{project}” from the line “{line}” has {count} payments; "
        "delete them first. Nothing was changed.")


# ------------------------------------------------------------------------------ figures
@dataclass(frozen=True)
class LineFigures:
    """The amounts of one line (or a sum of lines), integer đồng."""

    assigned: int = 0
    allocated: int = 0
    disbursed: int = 0
    returned: int = 0
    carried_over: int = 0

    @property
    def plan(self) -> int:
        """What may still be allocated and spent: assigned minus returned."""
        return self.assigned - self.returned

    @property
    def unallocated(self) -> int:
        return self.plan - self.allocated

    @property
    def undisbursed(self) -> int:
        """Assigned, not returned and not yet disbursed (vốn chưa giải ngân)."""
        return self.plan - self.disbursed

    @property
    def rate(self) -> float | None:
        """Tỷ lệ giải ngân: disbursed over assigned (the plan the unit was given)."""
        return self.disbursed / self.assigned if self.assigned else None

    def __add__(self, other: LineFigures) -> LineFigures:
        return LineFigures(self.assigned + other.assigned, self.allocated + other.allocated,
                           self.disbursed + other.disbursed, self.returned + other.returned,
                           self.carried_over + other.carried_over)


def total(figures: Iterable[LineFigures]) -> LineFigures:
    result = LineFigures()
    for item in figures:
        result = result + item
    return result


# ------------------------------------------------------------------------------ checks
def check_positive(amount: int) -> None:
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise AmountNotPositive()


def check_plan(line: str, *, assigned: int, returned: int, allocated: int) -> None:
    """A line's own amount (or returns) changed: the allocations must still fit."""
    plan = assigned - returned
    if allocated > plan:
        raise PlanBelowAllocated(line=line, plan=plan, allocated=allocated,
                                 excess=allocated - plan)


def check_allocations(line: str, *, plan: int, allocated: int) -> None:
    """The allocations of a line (after the entry) against its plan."""
    if allocated > plan:
        raise AllocationExceedsPlan(line=line, plan=plan, allocated=allocated,
                                    excess=allocated - plan)


def check_allocation_amount(line: str, project: str, *, allocated: int, disbursed: int) -> None:
    """One allocation changed: it must still cover what was paid from it."""
    if disbursed > allocated:
        raise AllocationBelowDisbursed(line=line, project=project, allocated=allocated,
                                       disbursed=disbursed, excess=disbursed - allocated)


def check_payments(line: str, project: str, *, allocated: int, disbursed: int) -> None:
    """The payments of one allocation (after the entry) against the allocation."""
    if disbursed > allocated:
        raise PaymentExceedsAllocation(line=line, project=project, allocated=allocated,
                                       disbursed=disbursed, excess=disbursed - allocated)


def check_return(line: str, *, amount: int, unallocated: int) -> None:
    if amount > unallocated:
        raise ReturnExceedsUnallocated(line=line, amount=amount, unallocated=unallocated,
                                       excess=amount - unallocated)


def check_carry_over(line: str, *, amount: int, undisbursed: int) -> None:
    if amount > undisbursed:
        raise CarryOverExceedsUnspent(line=line, amount=amount, unspent=undisbursed,
                                      excess=amount - undisbursed)


# ------------------------------------------------------------------------------ time
def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def default_deadline(year: int, months_after_year_end: int) -> dt.date:
    """The last day a line of ``year`` may be disbursed without a carry-over decision.

    ``months_after_year_end`` = 1 gives 31/01 of the next year: vốn đầu tư phát triển may be
    disbursed until 31 January of the following year (Luật Đầu tư công 2019, Điều 68, khoản 1,
    as the domain reference reads it: unverified); 0 gives 31/12 of the plan year (vốn sự
    nghiệp, Luật Ngân sách nhà nước 2015). Both are workspace settings.
    """
    index = 11 + months_after_year_end  # 0-based month count from January of ``year``
    return month_end(year + index // 12, index % 12 + 1)


def year_elapsed_share(year: int, today: dt.date) -> float:
    """The on-track line (đường tiến độ): the share of the plan year that has passed.

    Counted in days, today included: on 16/10/2023 it is 289/365 = 79,2%. A disbursement rate
    under this share is behind the pace that reaches 100% on 31/12.
    """
    start = dt.date(year, 1, 1)
    end = dt.date(year, 12, 31)
    if today < start:
        return 0.0
    if today >= end:
        return 1.0
    return ((today - start).days + 1) / ((end - start).days + 1)


@dataclass(frozen=True)
class Forecast:
    """Dự báo tỷ lệ giải ngân đến 31/12 from the pace of the last ``window_days``."""

    disbursed: int
    #: disbursed within the window (the pace)
    recent: int
    window_days: int
    remaining_days: int
    #: forecast amount disbursed by 31/12 (capped at ``ceiling``)
    amount: int
    ceiling: int

    @property
    def rate(self) -> float | None:
        return self.amount / self.ceiling if self.ceiling else None


def forecast_year_end(payments: Iterable[tuple[dt.date, int]], *, year: int, today: dt.date,
                      assigned: int, window_days: int = FORECAST_WINDOW_DAYS) -> Forecast:
    """Forecast what a year's plan will have disbursed by 31/12 at the recent pace.

    Method (kept simple so that an officer can redo it by hand): the pace is what was paid in
    the last ``window_days`` days up to today (or since 1/1, when fewer days of the year have
    passed), per day; the forecast is what has been paid so far plus that pace times the days
    left until 31/12, never more than the capital assigned. Integer đồng, rounded down:

        forecast = paid + paid_in_window × days_left // window_days

    Before the year starts nothing is forecast (0); after 31/12 the forecast is what was paid.
    """
    start = dt.date(year, 1, 1)
    end = dt.date(year, 12, 31)
    paid = [(day, amount) for day, amount in payments if day <= today]
    disbursed = sum(amount for _day, amount in paid)
    if today < start:
        return Forecast(disbursed, 0, window_days, (end - start).days + 1, disbursed, assigned)
    if today >= end:
        return Forecast(disbursed, 0, window_days, 0, disbursed, assigned)
    window = min(window_days, (today - start).days + 1)
    window_start = today - dt.timedelta(days=window - 1)
    recent = sum(amount for day, amount in paid if day >= window_start)
    remaining = (end - today).days
    amount = disbursed + recent * remaining // window
    return Forecast(disbursed, recent, window, remaining, min(amount, max(assigned, disbursed)),
                    assigned)


def deadline_state(deadline: dt.date, today: dt.date, *, undisbursed: int,
                   lead_days: int) -> str:
    """Red when the deadline has passed with money undisbursed (and not carried over or
    returned), amber within ``lead_days`` of it, otherwise normal."""
    if undisbursed <= 0:
        return NORMAL
    if today > deadline:
        return LATE
    if (deadline - today).days <= lead_days:
        return DUE_SOON
    return NORMAL


def unallocated_state(unallocated: int, age_days: int, *, grace_days: int) -> str:
    """Capital not yet allocated in detail: amber while recent, red after ``grace_days``."""
    if unallocated <= 0:
        return NORMAL
    return LATE if age_days > grace_days else DUE_SOON


def pace_state(rate: float | None, on_track: float) -> str:
    """Behind the on-track line is amber (the deadline, when near, makes it red)."""
    if rate is None or rate >= on_track:
        return NORMAL
    return DUE_SOON


def worst(*states: str) -> str:
    order = {NORMAL: 0, DUE_SOON: 1, LATE: 2}
    return max(states, key=lambda s: order.get(s, 0), default=NORMAL)


def counterpart_required(central: int, ratio_bp: int) -> int:
    """Vốn đối ứng required: ``ratio_bp`` (basis points: 1000 = 10%) of the central budget
    capital (vốn ngân sách trung ương), rounded up to the whole đồng. The ratios are set by
    the Provincial People's Council (Kon Tum: Nghị quyết 21/2022/NQ-HĐND for the DTTS
    programme) and kept as data."""
    return -(-central * ratio_bp // 10000)


def contribution_value(quantity: int, unit_value: int) -> int:
    """Đóng góp của cộng đồng bằng ngày công hoặc hiện vật, quy đổi ra đồng."""
    return quantity * unit_value
