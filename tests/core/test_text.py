import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from app.text import clean, matches, nfc, search_key, sort_key


def test_search_key_ignores_accents_case_and_tone_placement():
    assert search_key("Sơn Tịnh") == search_key("son tinh") == search_key("SƠN TỊNH")
    # "hoà" (tone on a) and "hòa" (tone on o): same key
    assert search_key("hoà") == search_key("hòa") == "hoa"
    assert search_key("Đức Phổ") == "duc pho"


def test_search_key_same_for_composed_and_decomposed_input():
    composed = "Quảng Ngãi"
    decomposed = unicodedata.normalize("NFD", composed)
    assert composed != decomposed
    assert search_key(composed) == search_key(decomposed)


def test_matches_every_word_anywhere():
    assert matches("son tinh", "UBND huyện Sơn Tịnh")
    assert matches("ubnd tinh", "UBND huyện Sơn Tịnh")
    assert not matches("son tay", "UBND huyện Sơn Tịnh")
    assert matches("", "anything")


def test_clean_normalises_to_nfc_and_drops_control_characters():
    typed = unicodedata.normalize("NFD", "  Sở\u200b Nội\tvụ \x07 ")
    assert clean(typed) == "Sở Nội vụ"
    assert unicodedata.is_normalized("NFC", clean(typed))
    assert clean("dòng 1\r\n  dòng 2  \n", multiline=True) == "dòng 1\n  dòng 2"
    assert clean(None) == ""


def test_vietnamese_sort_order():
    names = ["Đức Phổ", "Dung Quất", "Ân", "An", "Âu", "Ba Tơ", "Ơn", "Ông", "Ốc", "Uy", "Ưng"]
    ordered = sorted(names, key=sort_key)
    assert ordered == [
        "An",
        "Ân",
        "Âu",
        "Ba Tơ",
        "Dung Quất",
        "Đức Phổ",
        "Ốc",
        "Ông",
        "Ơn",
        "Uy",
        "Ưng",
    ]


def test_sort_d_before_dd_and_e_before_ee():
    assert sorted(["đa", "da", "ê", "e"], key=sort_key) == ["da", "đa", "e", "ê"]


def test_sort_tones_after_letters():
    # Letters decide first; tones only break ties (a, à, ả, ã, á, ạ).
    words = ["ạ", "á", "ã", "ả", "à", "a"]
    assert sorted(words, key=sort_key) == ["a", "à", "ả", "ã", "á", "ạ"]
    assert sorted(["bá", "ba", "bà"], key=sort_key) == ["ba", "bà", "bá"]
    assert sort_key("Mộ Đức") < sort_key("Nghĩa Hành")


@given(st.text(max_size=200))
def test_helpers_never_fail_and_keys_are_stable(value):
    key = search_key(value)
    assert key == search_key(key)  # idempotent
    assert search_key(unicodedata.normalize("NFD", value)) == search_key(nfc(value))
    cleaned = clean(value)
    assert clean(cleaned) == cleaned
    sort_key(value)


def test_number_text_groups_thousands_with_dots() -> None:
    from app.text import number_text

    assert [number_text(n) for n in (0, 999, 1000, 10100, 1000134)] == [
        "0",
        "999",
        "1.000",
        "10.100",
        "1.000.134",
    ]
