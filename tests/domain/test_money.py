import pytest
from hypothesis import given
from hypothesis import strategies as st

from ctmtqg_desktop.domain.errors import InvalidAmount
from ctmtqg_desktop.domain.money import amount_in_words, format_money, parse_money


@pytest.mark.parametrize("amount, words", [
    (0, "Không đồng"),
    (1_000_005, "Một triệu không trăm linh năm đồng"),
    (21, "Hai mươi mốt đồng"),
    (1_000_000_000, "Một tỷ đồng"),
    (105_000, "Một trăm linh năm nghìn đồng"),
    (1_200_000, "Một triệu hai trăm nghìn đồng"),
    (15, "Mười lăm đồng"),
    (11, "Mười một đồng"),
    (24, "Hai mươi tư đồng"),
    (25, "Hai mươi lăm đồng"),
    (101, "Một trăm linh một đồng"),
    (110, "Một trăm mười đồng"),
    (1_021, "Một nghìn không trăm hai mươi mốt đồng"),
    (2_500_000_000, "Hai tỷ năm trăm triệu đồng"),
    (1_000_000_000_000, "Một nghìn tỷ đồng"),
    (3_005_000_070, "Ba tỷ không trăm linh năm triệu không trăm bảy mươi đồng"),
])
def test_amount_in_words(amount, words):
    assert amount_in_words(amount) == words


def test_amount_in_words_refuses_floats():
    with pytest.raises(TypeError):
        amount_in_words(12.5)


def test_format_money_uses_dots():
    assert format_money(1_234_567) == "1.234.567 đồng"
    assert format_money(0, unit=False) == "0"


@pytest.mark.parametrize("text, value", [
    ("1.234.567", 1_234_567), ("1 234 567", 1_234_567), ("1234567", 1_234_567),
    ("1.250.000 đồng", 1_250_000), ("500.000đ", 500_000), (" 42 ", 42),
])
def test_parse_money_vietnamese_habits(text, value):
    assert parse_money(text) == value


@pytest.mark.parametrize("text", ["1,5", "1,234,567", "abc", "", "1.23", "-5", "12.5000"])
def test_parse_money_refuses_what_it_cannot_read(text):
    with pytest.raises(InvalidAmount) as caught:
        parse_money(text)
    assert "đồng" in str(caught.value)  # the message is Vietnamese


@given(st.integers(min_value=0, max_value=10**15))
def test_format_then_parse_round_trips(value):
    assert parse_money(format_money(value)) == value


@given(st.integers(min_value=1, max_value=10**15))
def test_words_start_capitalised_and_end_in_dong(value):
    words = amount_in_words(value)
    assert words[0].isupper() and words.endswith(" đồng")
    assert "  " not in words
