import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ctmtqg_desktop.domain.legacy_text import (
    TCVN3,
    TCVN3_TABLE,
    VNI,
    decode_tcvn3,
    decode_vni,
    guess_encoding,
)

VIETNAMESE = "àảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵăâêôơưđ"
_TO_TCVN3 = {letter: byte for byte, letter in TCVN3_TABLE.items()}


def encode_tcvn3(text: str) -> str:
    return "".join(_TO_TCVN3.get(ch, ch) for ch in text)


@pytest.mark.parametrize("legacy, unicode_text", [
    ("B¸t X¸t", "Bát Xát"),
    ("M\xadêng Kh\xad¬ng", "Mường Khương"),
    ("Th¸ng M\xadêi", "Tháng Mười"),
    ("hép møt tÕt", "hộp mứt tết"),
    ("§¾k La", "Đắk La"),
])
def test_tcvn3_examples(legacy, unicode_text):
    assert decode_tcvn3(legacy) == unicode_text


def test_tcvn3_upper_case_font():
    assert decode_tcvn3("®¾k hµ", upper=True) == "ĐẮK HÀ"


@pytest.mark.parametrize("legacy, unicode_text", [
    ("Xin chaøo caùc baïn", "Xin chào các bạn"),
    ("Ñaék Haø", "Đắk Hà"),
    ("Thaùng Möôøi", "Tháng Mười"),
    ("ngöôøi ngheøo", "người nghèo"),
    ("Nguyeãn Vaên Ñöùc", "Nguyễn Văn Đức"),
    ("thò traán", "thị trấn"),
    ("Kon Tum, ngaøy 05 thaùng 3", "Kon Tum, ngày 05 tháng 3"),
])
def test_vni_examples(legacy, unicode_text):
    assert decode_vni(legacy) == unicode_text


def test_every_tcvn3_letter_round_trips():
    for letter in VIETNAMESE:
        assert decode_tcvn3(encode_tcvn3(letter)) == letter


@given(st.text(alphabet=VIETNAMESE + " abcdeghiklmnopqrstuvxy", max_size=30))
def test_tcvn3_round_trip_property(text):
    assert decode_tcvn3(encode_tcvn3(text)) == unicodedata.normalize("NFC", text)


def test_guessing_the_encoding():
    assert guess_encoding(["Tên thôn", "Đắk La", "Làng Kon Gung"]) is None
    assert guess_encoding(["T\xaan th«n", "§¾k La", "Lµng Kon Gung"]) == TCVN3
    assert guess_encoding(["Teân thoân", "Ñaék La", "Laøng Kon Gung"]) == VNI
    assert guess_encoding(["Thôn 1"], [".VnTime"]) == TCVN3
    assert guess_encoding(["Thôn 1"], ["VNI-Times"]) == VNI
    assert guess_encoding(["café", "Hà Nội"]) is None
