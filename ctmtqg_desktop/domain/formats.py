"""Vietnamese display formats, in one place: numbers 1.234.567, dates dd/mm/yyyy.

Vietnamese writes a dot between thousands and a comma before decimals (CLDR ``vi``: group
``.``, decimal ``,``, pattern ``#,##0.###``); that one pattern is all the application needs,
so it is applied here rather than shipping Babel's 35 MB of locale data in the bundle
(``tests/domain/test_hlc_and_formats.py`` checks it against Babel's output). Rounding is
half-to-even on the decimal text of the number, as Babel does. Dates use the fixed pattern
that Vietnamese administrative documents use (Nghị định 30/2020/NĐ-CP).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_EVEN, Decimal

from ctmtqg_desktop.domain.errors import InvalidDate

LOCALE = "vi"
DATE_PATTERN = "%d/%m/%Y"
GROUP_SEPARATOR = "."
DECIMAL_SEPARATOR = ","


def _grouped(digits: str) -> str:
    head = len(digits) % 3 or 3
    parts = [digits[:head]] + [digits[i:i + 3] for i in range(head, len(digits), 3)]
    return GROUP_SEPARATOR.join(parts)


def format_number(value: int | float | None, *, decimals: int = 0) -> str:
    """``1234567`` → ``"1.234.567"``; ``12.5`` with ``decimals=1`` → ``"12,5"``."""
    if value is None:
        return ""
    if not decimals:
        rounded = int(round(value))
        return ("-" if rounded < 0 else "") + _grouped(str(abs(rounded)))
    exact = Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_EVEN)
    sign = "-" if exact.is_signed() and exact != 0 else ""
    whole, _dot, fraction = f"{abs(exact):f}".partition(".")
    return f"{sign}{_grouped(whole)}{DECIMAL_SEPARATOR}{fraction}"


def format_size(size: int) -> str:
    """A file's size for people: ``2.621.440`` → ``"2,5 MB"``, ``900`` → ``"900 byte"``."""
    for unit, scale in (("GB", 1024 ** 3), ("MB", 1024 ** 2), ("KB", 1024)):
        if size >= scale:
            return f"{format_number(size / scale, decimals=1)} {unit}"
    return f"{format_number(size)} byte"


def format_percent(ratio: float | None, *, decimals: int = 1) -> str:
    """``0.8534`` → ``"85,3%"``."""
    if ratio is None:
        return ""
    return format_number(ratio * 100, decimals=decimals) + "%"


def format_date(value: dt.date | None) -> str:
    """``date(2023, 3, 5)`` → ``"05/03/2023"``."""
    if value is None:
        return ""
    return value.strftime(DATE_PATTERN)


def local_time(value: dt.datetime) -> dt.datetime:
    """A stored moment in the computer's local time: a naive value is UTC (``utc_now``, the
    way every record stores time), an aware one is converted."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone()


def format_datetime(value: dt.datetime | None) -> str:
    """A stored moment for people, in local time: ``"07:30 05/12/2026"`` (a record stamped
    00:30 UTC is 07:30 in Vietnam, the same day people see on their calendar)."""
    if value is None:
        return ""
    return local_time(value).strftime("%H:%M " + DATE_PATTERN)


_DATE_FORMS = [
    re.compile(r"^(?P<d>\d{1,2})[/.\-](?P<m>\d{1,2})[/.\-](?P<y>\d{4})$"),
    re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})$"),
]


def parse_date(text: str | dt.date | None) -> dt.date:
    """Read ``05/03/2023``, ``5/3/2023``, ``05-03-2023`` or ISO ``2023-03-05``."""
    if isinstance(text, dt.datetime):
        return text.date()
    if isinstance(text, dt.date):
        return text
    raw = (text or "").strip()
    for form in _DATE_FORMS:
        found = form.match(raw)
        if found:
            try:
                return dt.date(int(found["y"]), int(found["m"]), int(found["d"]))
            except ValueError:
                break
    raise InvalidDate(text=raw)


def vietnamese_date_line(place: str, value: dt.date | None) -> str:
    """The place-and-date line of an official document: ``Đắk Hà, ngày 05 tháng 3 năm 2025``.

    Nghị định 30/2020/NĐ-CP, Phụ lục I: days below 10 and months 1 and 2 take a leading zero.
    Without a date (a blank form printed to be filled by hand) the line is left to fill:
    ``Đắk Hà, ngày ..... tháng ..... năm .......``.
    """
    if value is None:
        return f"{place}, ngày ..... tháng ..... năm ......."
    month = f"{value.month:02d}" if value.month < 3 else str(value.month)
    return f"{place}, ngày {value.day:02d} tháng {month} năm {value.year}"
