import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ctmtqg_desktop.domain.errors import InvalidDate, InvalidUnitReference
from ctmtqg_desktop.domain.formats import (
    format_date,
    format_number,
    format_percent,
    parse_date,
    vietnamese_date_line,
)
from ctmtqg_desktop.domain.hlc import HybridLogicalClock, Version
from ctmtqg_desktop.domain.unit_refs import UnitRef, parse_unit_ref


def test_versions_increase_even_when_the_wall_clock_stands_still():
    clock = HybridLogicalClock("a" * 32, now_ms=lambda: 1_000)
    versions = [clock.tick() for _ in range(5)]
    assert versions == sorted(versions) and len(set(versions)) == 5


def test_a_lagging_clock_still_writes_newer_versions_than_it_received():
    behind = HybridLogicalClock("b" * 32, now_ms=lambda: 500)
    remote = HybridLogicalClock("a" * 32, now_ms=lambda: 9_000).tick()
    behind.observe(remote)
    assert behind.tick() > remote


@given(st.lists(st.integers(min_value=0, max_value=10**12), min_size=1, max_size=30))
def test_versions_are_strictly_increasing_for_any_clock(readings):
    times = iter(readings)
    clock = HybridLogicalClock("c" * 32, now_ms=lambda: next(times))
    versions = [clock.tick() for _ in readings]
    assert all(a < b for a, b in zip(versions, versions[1:]))
    assert Version.decode(versions[-1]).encode() == versions[-1]


def test_vietnamese_formats():
    assert format_number(1234567) == "1.234.567"
    assert format_number(12.5, decimals=1) == "12,5"
    assert format_percent(0.8534) == "85,3%"
    assert format_date(dt.date(2023, 3, 5)) == "05/03/2023"
    assert vietnamese_date_line("Đắk Hà", dt.date(2025, 3, 5)) == "Đắk Hà, ngày 05 tháng 3 năm 2025"
    assert (vietnamese_date_line("Đắk La", dt.date(2023, 2, 14))
            == "Đắk La, ngày 14 tháng 02 năm 2023")


@pytest.mark.parametrize("text", ["05/03/2023", "5/3/2023", "05-03-2023", "2023-03-05"])
def test_parse_date_accepts_common_forms(text):
    assert parse_date(text) == dt.date(2023, 3, 5)


@pytest.mark.parametrize("text", ["31/02/2023", "2023/03/05", "hôm qua", ""])
def test_parse_date_refuses_nonsense_in_vietnamese(text):
    with pytest.raises(InvalidDate) as caught:
        parse_date(text)
    assert "ngày" in str(caught.value)


def test_unit_references():
    assert parse_unit_ref("23524") == UnitRef("23524")
    assert parse_unit_ref("23293@2023-06-01") == UnitRef("23293", dt.date(2023, 6, 1))
    assert parse_unit_ref("23293@01/06/2023") == UnitRef("23293", dt.date(2023, 6, 1))
    for bad in ("", "xa dak la", "23293@", "23293@32/13/2023"):
        with pytest.raises(InvalidUnitReference):
            parse_unit_ref(bad)


def test_a_blank_form_leaves_the_date_to_fill_by_hand():
    from ctmtqg_desktop.domain.formats import vietnamese_date_line

    assert vietnamese_date_line("Đắk La", None) == "Đắk La, ngày ..... tháng ..... năm ......."
