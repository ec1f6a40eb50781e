import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from ctmtqg_desktop.domain.text import fold, matches, normalize


def test_fold_removes_marks_case_and_d_stroke():
    assert fold("Đắk Hà") == "dak ha"
    assert fold("ĐĂK HÀ") == "dak ha"
    assert fold("Ngọk Réo") == "ngok reo"
    assert fold("  Tu   Mơ Rông ") == "tu mo rong"


def test_decomposed_and_precomposed_text_fold_and_normalise_alike():
    composed = "Xã Đắk La, thôn Kon Mong Tu, Ngọk Tụ"
    decomposed = unicodedata.normalize("NFD", composed)
    assert decomposed != composed
    assert fold(decomposed) == fold(composed)
    assert normalize(decomposed) == composed


def test_matches_every_word_in_any_haystack():
    assert matches("dak ha", "Đắk Hà")
    assert matches("ha dak", "Đắk Hà")
    assert matches("xa dak", "Xã", "Đăk Hà")
    assert not matches("dak to", "Đắk Hà")
    assert matches("", "anything")


@given(st.text())
def test_fold_is_idempotent_and_ascii_for_vietnamese(text):
    once = fold(text)
    assert fold(once) == once


VIETNAMESE_LETTERS = ("aăâbcdđeêghiklmnoôơpqrstuưvxy"
                      "áàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ ")


@given(st.text(alphabet=VIETNAMESE_LETTERS, max_size=40))
def test_fold_of_vietnamese_letters_is_plain_ascii(text):
    assert fold(text).isascii()
    assert fold(text.upper()) == fold(text)
