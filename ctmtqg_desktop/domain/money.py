"""Money is integer đồng: parsed from Vietnamese habits, shown as 1.234.567, read in words.

Official documents write amounts "bằng số" with dot separators and, where the form asks,
"bằng chữ" (Nghị định 30/2020/NĐ-CP, Phụ lục I; accounting forms of Thông tư 107/2017/TT-BTC).
"""

from __future__ import annotations

import re

from ctmtqg_desktop.domain.errors import InvalidAmount
from ctmtqg_desktop.domain.formats import format_number

CURRENCY = "đồng"

_DIGITS = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]
_GROUPED = re.compile(r"^\d{1,3}([. ]\d{3})+$")


def format_money(amount: int, *, unit: bool = True) -> str:
    """``1234567`` → ``"1.234.567 đồng"`` (or without the unit)."""
    text = format_number(amount)
    return f"{text} {CURRENCY}" if unit else text


def parse_money(text: str | int | None, *, allow_negative: bool = False) -> int:
    """Read an amount typed the Vietnamese way: ``1.234.567``, ``1 234 567``, ``1234567 đồng``.

    A comma is the decimal mark in Vietnamese, and đồng has no fractions, so ``1,5`` and
    ``1,234,567`` are refused rather than guessed.
    """
    if isinstance(text, bool):
        raise InvalidAmount(text=str(text))
    if isinstance(text, int):
        value = text
    else:
        raw = (text or "").strip()
        cleaned = re.sub(r"\s*(đồng|đ|vnđ|vnd)\.?$", "", raw, flags=re.IGNORECASE).strip()
        negative = cleaned.startswith("-")
        if negative:
            cleaned = cleaned[1:].strip()
        if cleaned.isdigit():
            digits = cleaned
        elif _GROUPED.match(cleaned):
            digits = re.sub(r"[. ]", "", cleaned)
        else:
            raise InvalidAmount(text=raw)
        value = -int(digits) if negative else int(digits)
    if value < 0 and not allow_negative:
        raise InvalidAmount(text=str(text))
    return value


def _read_group(number: int, *, leading: bool) -> list[str]:
    """Words for 0-999; a non-leading group always says its hundreds ("không trăm")."""
    hundreds, rest = divmod(number, 100)
    tens, units = divmod(rest, 10)
    words: list[str] = []
    if hundreds or not leading:
        words += [_DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units:
            if words:
                words.append("linh")
            words.append(_DIGITS[units])
        return words
    if tens == 1:
        words.append("mười")
    else:
        words += [_DIGITS[tens], "mươi"]
    if units == 1:
        words.append("mốt" if tens > 1 else "một")
    elif units == 4 and tens > 1:
        words.append("tư")
    elif units == 5:
        words.append("lăm")
    elif units:
        words.append(_DIGITS[units])
    return words


def _read(number: int, *, leading: bool) -> list[str]:
    billions, below = divmod(number, 1_000_000_000)
    words: list[str] = []
    if billions:
        words += _read(billions, leading=leading) + ["tỷ"]
        leading = False
    for size, name in ((1_000_000, "triệu"), (1_000, "nghìn"), (1, "")):
        group, below = divmod(below, size)
        if group:
            words += _read_group(group, leading=leading)
            if name:
                words.append(name)
            leading = False
    return words


def amount_in_words(amount: int) -> str:
    """``1200000`` → ``"Một triệu hai trăm nghìn đồng"``, as on payment vouchers.

    Rules: "linh" for an empty tens place, "mốt"/"tư"/"lăm" after "mươi", "mười" for ten,
    "không trăm" inside a number ("Một nghìn không trăm hai mươi mốt"), empty groups skipped
    ("Một triệu không trăm linh năm"), "tỷ" repeating for larger amounts ("Một nghìn tỷ").
    """
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise TypeError("amount must be integer đồng")
    if amount < 0:
        return "Âm " + amount_in_words(-amount)[0].lower() + amount_in_words(-amount)[1:]
    words = ["không"] if amount == 0 else _read(amount, leading=True)
    sentence = " ".join(words + [CURRENCY])
    return sentence[0].upper() + sentence[1:]
