"""Vietnamese text typed in the legacy 8-bit encodings of the 1990s-2000s, made Unicode.

Old Excel files from communes were typed with TCVN3 (ABC, TCVN 5712:1993, fonts ".VnTime",
".VnArial"…) or VNI-Windows (fonts "VNI-Times"…). Opened today, their text shows as
"Th¸ng M­êi" or "Thaùng Möôøi" instead of "Tháng Mười". This module recognises such text
and converts it. It is a codec: the tables are the encodings' definitions, not data to edit.

* TCVN3: one byte per letter; the byte values read back from a workbook as the Windows-1252
  characters of those bytes (ư = 0xAD shows as a soft hyphen). Capital letters with tone
  marks do not exist in TCVN3: they are the same bytes shown with an upper-case font
  (".VnTimeH"); pass ``upper=True`` for text in such a font.
* VNI-Windows: a base letter followed by one or two mark bytes ("a" + "ù" = "á").

Table checked against the VietUnicode description and examples ("B¸t X¸t" → "Bát Xát",
"M­êng Kh­¬ng" → "Mường Khương", "Xin chaøo caùc baïn" → "Xin chào các bạn").
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

TCVN3 = "tcvn3"
VNI = "vni"

_TCVN3_LETTERS = (
    "\xa1Ă \xa2Â \xa3Ê \xa4Ô \xa5Ơ \xa6Ư \xa7Đ \xa8ă \xa9â \xaaê \xabô \xacơ \xadư \xaeđ "
    "\xb5à \xb6ả \xb7ã \xb8á \xb9ạ \xbbằ \xbcẳ \xbdẵ \xbeắ \xc6ặ \xc7ầ \xc8ẩ \xc9ẫ \xcaấ "
    "\xcbậ \xccè \xceẻ \xcfẽ \xd0é \xd1ẹ \xd2ề \xd3ể \xd4ễ \xd5ế \xd6ệ \xd7ì \xd8ỉ \xdcĩ "
    "\xddí \xdeị \xdfò \xe1ỏ \xe2õ \xe3ó \xe4ọ \xe5ồ \xe6ổ \xe7ỗ \xe8ố \xe9ộ \xeaờ \xebở "
    "\xecỡ \xedớ \xeeợ \xefù \xf1ủ \xf2ũ \xf3ú \xf4ụ \xf5ừ \xf6ử \xf7ữ \xf8ứ \xf9ự \xfaỳ "
    "\xfbỷ \xfcỹ \xfdý \xfeỵ"
)
TCVN3_TABLE = {pair[0]: pair[1] for pair in _TCVN3_LETTERS.split(" ")}

# VNI-Windows: the tone marks after a vowel (lower-case and upper-case forms)
_VNI_TONES = {"ù": "\u0301", "ø": "\u0300", "û": "\u0309", "õ": "\u0303", "ï": "\u0323",
              "Ù": "\u0301", "Ø": "\u0300", "Û": "\u0309", "Õ": "\u0303", "Ï": "\u0323"}
# circumflex (â ê ô) and breve (ă), alone or combined with a tone, after a/e/o
_VNI_HATS = {"â": ("\u0302", ""), "á": ("\u0302", "\u0301"), "à": ("\u0302", "\u0300"),
             "å": ("\u0302", "\u0309"), "ã": ("\u0302", "\u0303"), "ä": ("\u0302", "\u0323"),
             "ê": ("\u0306", ""), "é": ("\u0306", "\u0301"), "è": ("\u0306", "\u0300"),
             "ú": ("\u0306", "\u0309"), "ü": ("\u0306", "\u0303"), "ë": ("\u0306", "\u0323"),
             "Â": ("\u0302", ""), "Á": ("\u0302", "\u0301"), "À": ("\u0302", "\u0300"),
             "Å": ("\u0302", "\u0309"), "Ã": ("\u0302", "\u0303"), "Ä": ("\u0302", "\u0323"),
             "Ê": ("\u0306", ""), "É": ("\u0306", "\u0301"), "È": ("\u0306", "\u0300"),
             "Ú": ("\u0306", "\u0309"), "Ü": ("\u0306", "\u0303"), "Ë": ("\u0306", "\u0323")}
# letters that are a single byte in VNI
_VNI_SINGLE = {"ô": "ơ", "ö": "ư", "ñ": "đ", "í": "í", "ì": "ì", "æ": "ỉ", "ó": "ĩ", "ò": "ị",
               "î": "ỵ", "Ô": "Ơ", "Ö": "Ư", "Ñ": "Đ", "Í": "Í", "Ì": "Ì", "Æ": "Ỉ", "Ó": "Ĩ",
               "Ò": "Ị", "Î": "Ỵ"}

#: Latin-1 letters that Unicode Vietnamese itself uses; anything else in 0xA0-0xFF is suspect
_VIETNAMESE_LATIN1 = set("àáâãèéêìíòóôõùúýÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝ")
_VIETNAMESE_EXTRA = set("ăĂđĐĩĨũŨơƠưƯ") | {chr(c) for c in range(0x1EA0, 0x1EFA)}


def decode_tcvn3(text: str, *, upper: bool = False) -> str:
    converted = "".join(TCVN3_TABLE.get(ch, ch) for ch in text)
    return unicodedata.normalize("NFC", converted.upper() if upper else converted)


def decode_vni(text: str) -> str:
    out: list[str] = []
    for ch in text:
        if ch in _VNI_SINGLE:
            out.append(_VNI_SINGLE[ch])
        elif out and out[-1] and out[-1][0].lower() in "aeo" and ch in _VNI_HATS:
            hat, tone = _VNI_HATS[ch]
            if hat == "\u0306" and out[-1][0].lower() != "a":
                out.append(ch)  # a breve exists only on "a"
                continue
            out[-1] = unicodedata.normalize("NFC", out[-1] + hat + tone)
        elif out and out[-1] and ch in _VNI_TONES and unicodedata.normalize(
                "NFD", out[-1])[0].lower() in "aeiouy":
            out[-1] = unicodedata.normalize("NFC", out[-1] + _VNI_TONES[ch])
        else:
            out.append(ch)
    return unicodedata.normalize("NFC", "".join(out))


def suspicious_characters(text: str) -> int:
    """How many characters of ``text`` no Unicode Vietnamese text would contain."""
    return sum(1 for ch in text if "\xa0" < ch <= "\xff" and ch not in _VIETNAMESE_LATIN1
               and ch != "\xad") + text.count("\xad")


def _vietnamese_letters(text: str) -> int:
    return sum(1 for ch in text if ch in _VIETNAMESE_EXTRA)


_TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def _implausible_words(text: str) -> int:
    """Words with more than one tone mark: no Vietnamese syllable has two."""
    count = 0
    for word in text.split():
        marks = sum(1 for ch in unicodedata.normalize("NFD", word) if ch in _TONE_MARKS)
        count += marks > 1
    return count


def guess_encoding(texts: Iterable[str], font_names: Iterable[str] = ()) -> str | None:
    """``tcvn3``, ``vni`` or None (Unicode) for a workbook's texts and cell fonts.

    The fonts decide when they name a legacy font (".Vn…", "VNI-…"); otherwise the text
    decides: it must contain characters Unicode Vietnamese never uses, and the decoding that
    removes them and yields Vietnamese letters wins.
    """
    named = {font_encoding(name) for name in font_names if name}
    sample = [t for t in texts if t]
    if VNI in named:
        return VNI
    if TCVN3 in named:
        return TCVN3
    suspicious = sum(suspicious_characters(t) for t in sample)
    if suspicious < 2:
        return None
    scores = {}
    for name, decode in ((TCVN3, decode_tcvn3), (VNI, decode_vni)):
        decoded = [decode(t) for t in sample]
        remaining = sum(suspicious_characters(t) for t in decoded)
        implausible = sum(_implausible_words(t) for t in decoded)
        letters = sum(_vietnamese_letters(t) for t in decoded)
        scores[name] = (remaining, implausible, -letters)
    best = min(scores, key=lambda name: scores[name])
    return best if scores[best][0] < suspicious else None


def decode(text: str, encoding: str, *, upper: bool = False) -> str:
    if encoding == TCVN3:
        return decode_tcvn3(text, upper=upper)
    if encoding == VNI:
        return decode_vni(text)
    return text


def font_encoding(font_name: str) -> str | None:
    """``tcvn3`` for a TCVN3 font (".VnTime", ".VnArialH"…), ``vni`` for a VNI font
    ("VNI-Times"…), None for any other font."""
    name = (font_name or "").strip().lstrip(".").lower()
    if name.startswith(("vni-", "vni ")):
        return VNI
    if name.startswith("vn") and not name.startswith("vni"):
        return TCVN3
    return None


def upper_case_font(font_name: str) -> bool:
    """TCVN3's capital-letter fonts end in "H" (".VnTimeH"): their text is shown upper-case."""
    name = (font_name or "").strip()
    return font_encoding(name) == TCVN3 and name.endswith("H")


def legacy_cell(text: str, font_name: str = "") -> bool:
    """Whether one cell's text is legacy-encoded, judged on that cell alone.

    A workbook often mixes both: the application's template (Unicode headers, an example
    row such as "không") with rows typed in TCVN3. Text holding a letter only Unicode
    Vietnamese has (ơ, ư, đ, ạ…) is Unicode. Otherwise a cell in a legacy font is legacy as
    soon as it has a character beyond ASCII (in ".VnTime", "kh«ng" and even "Sè" are what
    the officer typed); in any other font it is legacy when it has characters Unicode
    Vietnamese never uses ("Tªn th«n"), so that "không" in Times New Roman stays "không"."""
    if not text or _vietnamese_letters(text):
        return False
    if font_encoding(font_name):
        return any(ord(ch) > 0x7F for ch in text)
    return suspicious_characters(text) > 0
