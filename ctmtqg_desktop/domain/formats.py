"""Vietnamese display formats, in one place: numbers 1.234.567, dates dd/mm/yyyy.

Babel's CLDR data for the ``vi`` locale gives the separators; dates use the fixed pattern
that Vietnamese administrative documents use (Nghị định 30/2020/NĐ-CP).
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache
from types import ModuleType

from ctmtqg_desktop.domain.errors import InvalidDate

LOCALE = "vi"
DATE_PATTERN = "%d/%m/%Y"


@cache
def _babel_numbers() -> ModuleType:
    from babel import numbers  # imported on first use: it costs start-up time

    return numbers


def format_number(value: int | float | None, *, decimals: int = 0) -> str:
    """``1234567`` → ``"1.234.567"``; ``12.5`` with ``decimals=1`` → ``"12,5"``."""
    if value is None:
        return ""
    if decimals:
        pattern = "#,##0." + "0" * decimals
        text: str = _babel_numbers().format_decimal(value, format=pattern, locale=LOCALE)
        return text
    text = _babel_numbers().format_decimal(int(round(value)), format="#,##0", locale=LOCALE)
    return text


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


def format_datetime(value: dt.datetime | None) -> str:
    if value is None:
        return ""
    return value.strftime("%H:%M " + DATE_PATTERN)


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
