"""Vietnamese text: one normal form for storage, one folded form for search.

Text reaches the app precomposed (NFC), decomposed (NFD, the "Unicode tổ hợp" mode of
Vietnamese keyboards) and, from old workbooks, in legacy 8-bit encodings. We store NFC only
(:func:`normalize`) and search on a folded form (:func:`fold`) where case, diacritics and the
letter đ/Đ are ignored, so that "dak ha" finds "Đắk Hà" and "Đăk Hà".
"""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
_FOLD_TABLE = str.maketrans({"đ": "d", "Đ": "d", "ð": "d", "Ð": "d"})


def normalize(text: str | None) -> str:
    """NFC, trimmed, inner whitespace collapsed: the only form written to the store."""
    if text is None:
        return ""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


def fold(text: str | None) -> str:
    """Lower case without diacritics, đ→d, whitespace collapsed: the search key."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", text.translate(_FOLD_TABLE))
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return _SPACES.sub(" ", stripped.translate(_FOLD_TABLE).casefold()).strip()


def search_terms(query: str | None) -> list[str]:
    """Split a user's query into folded words; every word must match (AND search)."""
    return [word for word in fold(query).split(" ") if word]


def matches(query: str | None, *haystacks: str | None) -> bool:
    """True when every word of ``query`` occurs in one of ``haystacks`` (folded)."""
    terms = search_terms(query)
    if not terms:
        return True
    folded = " ".join(fold(h) for h in haystacks if h)
    return all(term in folded for term in terms)
