"""Chồng chéo, trùng lặp giữa các chương trình: do two projects look like the same work?

The seed directive asks to "rà soát lại các tiểu dự án, dự án giữa các Chương trình mục tiêu
quốc gia để tránh chồng chéo, trùng lặp" (Nghị định 27/2022/NĐ-CP, Điều 10 on integrating
funds without overlap). This module holds the name comparison used by the overlap rules in
``services/overlaps.py``: diacritic-insensitive (``fold``: "Nhà văn hóa" = "nha van hoa"),
tolerant of small typos, blind to filler words, and strict about numbers, because "thôn 1" and
"thôn 7" are different places. The standard library's :mod:`difflib` is enough for names a
few words long.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from difflib import SequenceMatcher
from functools import lru_cache

from ctmtqg_desktop.domain.text import fold, normalize

_WORD = re.compile(r"\w+")
#: two words of at least this length are the same word with a small typo at this ratio
FUZZY_WORD_LENGTH = 4
FUZZY_WORD_RATIO = 0.8


def significant_words(name: str, stop_phrases: Iterable[str] = ()) -> list[str]:
    """Folded words of ``name`` without the filler phrases, matched as whole words.

    Fillers are matched with their diacritics ("cho" is a filler, "chợ" a market; "năm" a
    year, "nấm" mushrooms), except in a name typed without any diacritics, where only the
    folded forms can be compared.
    """
    lowered = normalize(name).lower()
    typed_plain = lowered.isascii()
    words = _WORD.findall(lowered)
    phrases = sorted({tuple(_WORD.findall(fold(p) if typed_plain else normalize(p).lower()))
                      for p in stop_phrases} - {()}, key=len, reverse=True)
    kept: list[str] = []
    index = 0
    while index < len(words):
        for phrase in phrases:
            if tuple(words[index:index + len(phrase)]) == phrase:
                index += len(phrase)
                break
        else:
            kept.append(words[index])
            index += 1
    return [folded for folded in (fold(w).replace("_", "") for w in kept) if folded]


def _has_digit(word: str) -> bool:
    return any(ch.isdigit() for ch in word)


@lru_cache(maxsize=65536)
def _same_word(a: str, b: str) -> bool:
    """Pure, and asked for the same word pairs again and again when every name of a commune is
    compared: kept (issue 17)."""
    if a == b:
        return True
    if _has_digit(a) or _has_digit(b):
        return False
    if min(len(a), len(b)) < FUZZY_WORD_LENGTH:
        return False
    return SequenceMatcher(None, a, b).ratio() >= FUZZY_WORD_RATIO


def name_similarity(a: str, b: str, stop_phrases: Iterable[str] = ()) -> float:
    """0-1: how alike two project names are once folded and stripped of filler words.

    The mean of two overlaps of the word sets (words matched exactly or with a small typo):
    over the union (Jaccard) and over the shorter name (containment), so that a name that
    repeats a shorter one with extra words still scores high. Names that both carry numbers
    (thôn 4, năm 2023, 1A) and do not carry the same numbers score 0.
    """
    stops = list(stop_phrases)
    return words_similarity(significant_words(a, stops), significant_words(b, stops))


def words_similarity(words_a: list[str], words_b: list[str]) -> float:
    """:func:`name_similarity` on names already reduced to their significant words (so that a
    comparison of many names splits each name once)."""
    if not words_a or not words_b:
        return 0.0
    numbers_a = {w for w in words_a if _has_digit(w)}
    numbers_b = {w for w in words_b if _has_digit(w)}
    if numbers_a and numbers_b and numbers_a != numbers_b:
        return 0.0
    set_a, set_b = list(dict.fromkeys(words_a)), list(dict.fromkeys(words_b))
    shorter, longer = (set_a, set_b) if len(set_a) <= len(set_b) else (set_b, set_a)
    exact = set(shorter) & set(longer)
    unmatched = [w for w in longer if w not in exact]
    common = len(exact)
    for word in shorter:
        if word in exact:
            continue
        match = next((other for other in unmatched if _same_word(word, other)), None)
        if match is not None:
            unmatched.remove(match)
            common += 1
    union = len(set_a) + len(set_b) - common
    jaccard = common / union if union else 0.0
    containment = common / len(shorter)
    return (jaccard + containment) / 2
