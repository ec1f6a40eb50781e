"""Numbers are formatted without Babel at run time (the bundle leaves its 35 MB of locale data
out): the output must be what Babel's CLDR ``vi`` pattern gives, which the tests still have."""

import pytest
from babel import numbers
from hypothesis import given
from hypothesis import strategies as st

from ctmtqg_desktop.domain.formats import format_number, format_percent, format_size


def babel(value, decimals):
    if decimals:
        return numbers.format_decimal(value, format="#,##0." + "0" * decimals, locale="vi")
    return numbers.format_decimal(int(round(value)), format="#,##0", locale="vi")


@given(st.one_of(st.integers(-10**15, 10**15),
                 st.floats(-1e9, 1e9, allow_nan=False, allow_infinity=False)),
       st.integers(0, 3))
def test_numbers_are_what_babel_gives_for_vietnamese(value, decimals):
    expected = babel(value, decimals)
    if expected.startswith("-") and set(expected[1:]) <= {"0", ","}:
        expected = expected[1:]  # Babel writes "-0,0" for a tiny negative; we write "0,0"
    assert format_number(value, decimals=decimals) == expected


@pytest.mark.parametrize(("value", "decimals", "shown"), [
    (1234567, 0, "1.234.567"), (-1000, 0, "-1.000"), (999, 0, "999"), (12.5, 1, "12,5"),
    (2.675, 2, "2,68"), (0.125, 2, "0,12"), (-0.04, 1, "0,0"), (None, 0, "")])
def test_known_numbers(value, decimals, shown):
    assert format_number(value, decimals=decimals) == shown


def test_percent_and_sizes():
    assert format_percent(0.8534) == "85,3%"
    assert format_size(900) == "900 byte"
    assert format_size(2_621_440) == "2,5 MB"
    assert format_size(3 * 1024 ** 3) == "3,0 GB"
