"""SearchIndex: the same rows as ``app.text.matches``, while typing on, deleting, or jumping."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from app.search import SearchIndex
from app.text import matches

TEXTS = [
    "UBND huyện Sơn Tịnh — Báo cáo định kỳ hằng quý Quý III/2018",
    "Sở Nội vụ — Xây dựng kế hoạch triển khai",
    "UBND thành phố Quảng Ngãi — Báo cáo 6 tháng",
    "UBND xã Tịnh Hòa — Báo cáo năm 2019",
    "Sở Tài chính — Báo cáo quý I/2020",
    "",
]


def expected(query: str) -> list[int]:
    return [i for i, t in enumerate(TEXTS) if matches(query, t)]


def test_typing_a_query_letter_by_letter_gives_the_rows_matches_gives() -> None:
    index = SearchIndex(TEXTS)
    query = "bao cao quy son tinh"
    for n in range(len(query) + 1):
        assert index.filter(query[:n]) == expected(query[:n]), query[:n]
    assert index.filter(query) == [0]


def test_deleting_and_replacing_text_widens_the_result_again() -> None:
    index = SearchIndex(TEXTS)
    assert index.filter("tinh hoa") == [3]
    assert index.filter("tinh") == [0, 3]  # backspace: not a narrowing of the last query
    assert index.filter("SỞ") == expected("so") == [0, 1, 4]  # "sơn" holds "so"
    assert index.filter("") == list(range(len(TEXTS)))


def test_from_fields_joins_the_fields_of_a_row() -> None:
    index = SearchIndex.from_fields([("Sơn Tịnh", None, "Quý III"), ("Sở Nội vụ", "", "")])
    assert index.filter("son quy") == [0]
    assert index.filter("noi vu") == [1]
    assert len(index) == 2


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(["b", "a", "o", " ", "t", "i", "n", "h", "ị", "q", "u", "y"]), max_size=12
    ).map("".join),
    st.lists(st.integers(0, 12), max_size=4),
)
def test_any_sequence_of_edits_agrees_with_matches(query: str, cuts: list[int]) -> None:
    index = SearchIndex(TEXTS)
    for cut in [*cuts, len(query)]:
        assert index.filter(query[:cut]) == expected(query[:cut])
