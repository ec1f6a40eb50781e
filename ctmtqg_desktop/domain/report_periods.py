"""Kỳ báo cáo: the period a report covers and the date its figures stand at.

Every report takes a period: a month, a quarter, the first 6 months (6 tháng đầu năm), the
first 9 months (9 tháng đầu năm), a year, or a range of dates; its figures are those as of
the period's end (payments, progress and statuses as they stood then). The periods of the
monitoring circulars are calendar periods (Thông tư 10/2022/TT-BLĐTBXH Điều 4: báo cáo 6
tháng, hằng năm; Thông tư 01/2022/TT-UBDT: năm thực hiện). Pure: no database, no Qt.

    period = parse_period("6t", year=2023)          # 01/01/2023 - 30/06/2023
    period = Period.of("quarter", 2023, 3)          # quý III năm 2023
    period = last_closed(dt.date(2023, 10, 16))     # 6 tháng đầu năm 2023
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from ctmtqg_desktop.domain.errors import UserError
from ctmtqg_desktop.domain.formats import format_date, parse_date
from ctmtqg_desktop.i18n import N_, _

KINDS = ("month", "quarter", "half_year", "nine_months", "year", "range")
_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


class BadPeriod(UserError):
    template = N_("“{text}” is not a report period. Write a month (06/2023), a quarter "
                  "(Q2/2023), 6t/2023 (first 6 months), 9t/2023 (first 9 months), a year "
                  "(2023) or two dates (01/01/2023-30/06/2023).")
    exit_code = 2


class PeriodOrder(UserError):
    template = N_("The report period ends on {end}, before it starts on {start}.")
    exit_code = 2


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


@dataclass(frozen=True)
class Period:
    """A report's period: ``kind`` (one of :data:`KINDS`), first and last day."""

    kind: str
    start: dt.date
    end: dt.date

    @classmethod
    def of(cls, kind: str, year: int, number: int = 1) -> Period:
        """``of("quarter", 2023, 3)``; ``number`` is the month or quarter (else unused)."""
        if kind == "month":
            return cls(kind, dt.date(year, number, 1), _month_end(year, number))
        if kind == "quarter":
            return cls(kind, dt.date(year, 3 * number - 2, 1), _month_end(year, 3 * number))
        if kind == "half_year":
            return cls(kind, dt.date(year, 1, 1), dt.date(year, 6, 30))
        if kind == "nine_months":
            return cls(kind, dt.date(year, 1, 1), dt.date(year, 9, 30))
        return cls("year", dt.date(year, 1, 1), dt.date(year, 12, 31))

    @classmethod
    def between(cls, start: dt.date, end: dt.date) -> Period:
        if end < start:
            raise PeriodOrder(start=start, end=end)
        return cls("range", start, end)

    @classmethod
    def from_dates(cls, start: dt.date, end: dt.date) -> Period:
        """The period of two dates, named when it is one (a month, a quarter, 6 or 9 months,
        a year of the same year), else a range: what an issued report's dates were."""
        if start.year == end.year and start.day == 1 and end == _month_end(end.year,
                                                                           end.month):
            year, months = end.year, end.month - start.month + 1
            if start.month == 1 and end.month in (6, 9, 12):
                kind = {6: "half_year", 9: "nine_months", 12: "year"}[end.month]
                return cls.of(kind, year)
            if months == 3 and start.month % 3 == 1:
                return cls.of("quarter", year, end.month // 3)
            if months == 1:
                return cls.of("month", year, end.month)
        return cls.between(start, end)

    @property
    def year(self) -> int:
        """The year of the period's end (the plan year of its capital figures)."""
        return self.end.year

    @property
    def label(self) -> str:
        """As a title writes it: ``6 tháng đầu năm 2023``, ``quý III năm 2023``."""
        year = str(self.end.year)
        if self.kind == "month":
            return _("month {month} of {year}").format(month=f"{self.end.month:02d}", year=year)
        if self.kind == "quarter":
            return _("quarter {quarter} of {year}").format(
                quarter=_ROMAN[(self.end.month + 2) // 3], year=year)
        if self.kind == "half_year":
            return _("the first 6 months of {year}").format(year=year)
        if self.kind == "nine_months":
            return _("the first 9 months of {year}").format(year=year)
        if self.kind == "year":
            return _("the year {year}").format(year=year)
        return _("from {start} to {end}").format(start=format_date(self.start),
                                                 end=format_date(self.end))

    @property
    def slug(self) -> str:
        """For a file name: the period's end, ``2023-06-30``."""
        return self.end.isoformat()


_QUARTER = re.compile(r"^(?:q|quy|quý)\s*([1-4]|i{1,3}|iv)\s*[/-]\s*(\d{4})$", re.I)
_SHORT = re.compile(r"^(6|9)\s*t(?:hang|háng)?\s*[/-]?\s*(\d{4})$", re.I)
_MONTH = re.compile(r"^(\d{1,2})\s*[/-]\s*(\d{4})$")
_ROMAN_NUMBER = {"i": 1, "ii": 2, "iii": 3, "iv": 4}


def parse_period(text: str) -> Period:
    """A period as an officer types it (see :class:`BadPeriod` for the forms)."""
    value = (text or "").strip()
    if re.fullmatch(r"\d{4}", value):
        return Period.of("year", int(value))
    if found := _QUARTER.match(value):
        number = found.group(1).lower()
        return Period.of("quarter", int(found.group(2)),
                         _ROMAN_NUMBER.get(number) or int(number))
    if found := _SHORT.match(value):
        kind = "half_year" if found.group(1) == "6" else "nine_months"
        return Period.of(kind, int(found.group(2)))
    if (found := _MONTH.match(value)) and 1 <= int(found.group(1)) <= 12:
        return Period.of("month", int(found.group(2)), int(found.group(1)))
    parts = [p.strip() for p in re.split(r"\s*(?:-|–|đến)\s*(?=\d{1,2}/\d{1,2}/\d{4})", value)
             if p.strip()]
    if len(parts) == 2:
        try:
            return Period.between(parse_date(parts[0]), parse_date(parts[1]))
        except UserError as error:
            if isinstance(error, PeriodOrder):
                raise
    raise BadPeriod(text=text)


def last_closed(today: dt.date) -> Period:
    """The last half-year or year closed on ``today``: after 30/06 the first 6 months of this
    year, before it the previous year."""
    if today > dt.date(today.year, 6, 30):
        return Period.of("half_year", today.year)
    return Period.of("year", today.year - 1)


def up_to(day: dt.date, *, year: int | None = None) -> Period:
    """From 1 January of ``year`` (default: ``day``'s) to ``day``: the year so far."""
    start = dt.date(year or day.year, 1, 1)
    if day.year == start.year and day == dt.date(day.year, 12, 31):
        return Period.of("year", day.year)
    return Period.between(start, max(day, start))
