"""The Nghị định 30/2020 frame, measured on real PDFs (pypdf + pdfplumber; no Qt)."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import sys
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from pypdf import PdfReader
from reportlab.lib.units import cm, mm

from app.documents.demo import APPENDIX_HEADER, build_demo_letter, build_demo_report
from app.documents.layout import (
    TIEU_NGU,
    Appendix,
    DocumentHeader,
    Footer,
    PageSettings,
    TitleBlock,
    appendix_reference,
    appendix_table,
    body_paragraphs,
    build_document,
    date_line,
    format_number,
    kinh_gui_lines,
    make_styles,
    noi_nhan_lines,
    with_closing_mark,
)

A4_W, A4_H = 595.2756, 841.8898
TOP, BOTTOM, LEFT, RIGHT = 20 * mm, 20 * mm, 30 * mm, 15 * mm
Char = dict[str, Any]


# ------------------------------------------------------------------ fixtures and helpers


@pytest.fixture(scope="module")
def report_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pdf") / "bao-cao.pdf"
    build_demo_report(path)
    return path


@pytest.fixture(scope="module")
def letter_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pdf") / "cong-van.pdf"
    build_demo_letter(path)
    return path


@pytest.fixture(scope="module")
def report(report_pdf: Path) -> Iterator[pdfplumber.PDF]:
    with pdfplumber.open(report_pdf) as pdf:
        yield pdf


@pytest.fixture(scope="module")
def letter(letter_pdf: Path) -> Iterator[pdfplumber.PDF]:
    with pdfplumber.open(letter_pdf) as pdf:
        yield pdf


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def find_chars(page: Any, text: str, occurrence: int = 0) -> list[Char]:
    """The chars of ``text`` as drawn on ``page`` (content order, spaces included)."""
    chars: list[Char] = page.chars
    joined = nfc("".join(c["text"] for c in chars))
    target = nfc(text)
    start = -1
    for _ in range(occurrence + 1):
        start = joined.find(target, start + 1)
        if start < 0:
            raise AssertionError(f"{text!r} not found on page {page.page_number}")
    return chars[start : start + len(target)]


def face(char: Char) -> str:
    """Font face without the subset prefix: LiberationSerif, LiberationSerif-Bold, …"""
    return str(char["fontname"]).split("+")[-1]


def assert_style(page: Any, text: str, size: float, expected_face: str) -> list[Char]:
    chars = [c for c in find_chars(page, text) if c["text"].strip()]
    faces = {face(c) for c in chars}
    sizes = {round(float(c["size"]), 2) for c in chars}
    assert faces == {expected_face}, f"{text!r}: {faces}"
    assert sizes == {float(size)}, f"{text!r}: {sizes}"
    return chars


def span(chars: list[Char]) -> tuple[float, float]:
    return min(c["x0"] for c in chars), max(c["x1"] for c in chars)


def baseline(chars: list[Char]) -> float:
    # pdfminer: char bottom = baseline + descent·size; compare chars of equal-metric fonts only
    # via their `matrix` (the text origin) which is exact.
    return float(chars[0]["matrix"][5])


def top_margin_chars(page: Any, top: float = TOP) -> list[Char]:
    return [c for c in page.chars if c["top"] < top and c["text"].strip()]


# ------------------------------------------------------------------ page and margins


def test_pages_are_a4(report_pdf: Path, letter_pdf: Path) -> None:
    for path in (report_pdf, letter_pdf):
        reader = PdfReader(path)
        for page in reader.pages:
            w, h = float(page.mediabox.width), float(page.mediabox.height)
            assert abs(w - A4_W) < 0.5 and abs(h - A4_H) < 0.5


def test_text_sits_inside_the_margins(report: pdfplumber.PDF) -> None:
    for page in report.pages:
        body = [c for c in page.chars if c["top"] >= TOP and c["text"].strip()]
        assert min(c["x0"] for c in body) >= LEFT - 1
        assert max(c["x1"] for c in body) <= A4_W - RIGHT + 1
        assert max(c["bottom"] for c in body) <= A4_H - BOTTOM + 1
        for line in page.lines:
            assert line["x0"] >= LEFT - 1 and line["x1"] <= A4_W - RIGHT + 1
            assert line["bottom"] <= A4_H - BOTTOM + 1


def test_body_is_justified_between_the_margins(report: pdfplumber.PDF) -> None:
    page = report.pages[0]
    body = [c for c in page.chars if round(c["size"]) == 14 and face(c) == "LiberationSerif"]
    # Justified lines start at the left margin (or its first-line indent) and end at the right.
    assert abs(min(c["x0"] for c in body) - LEFT) <= 1
    assert abs(max(c["x1"] for c in body) - (A4_W - RIGHT)) <= 1
    first = find_chars(page, "Thực hiện Công văn số 2116")
    assert abs(first[0]["x0"] - (LEFT + 1.27 * cm)) <= 1


def test_header_starts_at_the_top_margin(report: pdfplumber.PDF) -> None:
    page = report.pages[0]
    qh = find_chars(page, "CỘNG HÒA")
    # First baseline sits one font size below the frame top (20 mm).
    assert abs((A4_H - baseline(qh)) - (TOP + 12)) <= 1


# ------------------------------------------------------------------ fonts


def test_fonts_are_embedded_liberation_serif_subsets(report_pdf: Path, letter_pdf: Path) -> None:
    for path in (report_pdf, letter_pdf):
        seen: set[str] = set()
        for page in PdfReader(path).pages:
            fonts = page["/Resources"]["/Font"]
            for ref in fonts.values():
                font = ref.get_object()
                name = str(font["/BaseFont"]).lstrip("/")
                prefix, _, base = name.partition("+")
                assert len(prefix) == 6 and prefix.isupper(), name  # a subset
                assert base.startswith("LiberationSerif"), name
                descriptor = font.get("/FontDescriptor")
                if descriptor is None:  # Type0: look in the descendant font
                    descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
                assert "/FontFile2" in descriptor.get_object(), name
                seen.add(base)
        assert "LiberationSerif" in seen and "LiberationSerif-Bold" in seen


# ------------------------------------------------------------------ header


def test_header_sizes_and_styles(report: pdfplumber.PDF, letter: pdfplumber.PDF) -> None:
    page = report.pages[0]
    assert_style(page, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 12, "LiberationSerif-Bold")
    assert_style(page, TIEU_NGU, 13, "LiberationSerif-Bold")
    assert_style(page, "UBND TỈNH QUẢNG NGÃI", 12, "LiberationSerif")
    assert_style(page, "SỞ NỘI VỤ", 12, "LiberationSerif-Bold")
    assert_style(page, "Số:", 13, "LiberationSerif")
    assert_style(page, "/BC-SNV", 13, "LiberationSerif")
    assert_style(page, "Quảng Ngãi, ngày", 13, "LiberationSerif-Italic")
    assert_style(page, "năm 2026", 13, "LiberationSerif-Italic")
    assert_style(page, "BÁO CÁO", 14, "LiberationSerif-Bold")
    assert_style(page, "Kết quả theo dõi, đôn đốc", 14, "LiberationSerif-Bold")
    lp = letter.pages[0]
    assert_style(lp, "Số: 07/SNV-VP", 13, "LiberationSerif")
    assert_style(lp, "Quảng Ngãi, ngày 05 tháng 01 năm 2026", 13, "LiberationSerif-Italic")
    assert_style(lp, "V/v đôn đốc gửi báo cáo", 12, "LiberationSerif")


def test_header_columns_are_40_60(report: pdfplumber.PDF) -> None:
    page = report.pages[0]
    text_w = A4_W - LEFT - RIGHT
    left_centre = LEFT + 0.2 * text_w
    right_centre = LEFT + 0.7 * text_w
    for text, centre in (
        ("SỞ NỘI VỤ", left_centre),
        ("UBND TỈNH QUẢNG NGÃI", left_centre),
        ("Số:", None),
        ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", right_centre),
        (TIEU_NGU, right_centre),
    ):
        if centre is None:
            continue
        x0, x1 = span([c for c in find_chars(page, text) if c["text"].strip()])
        assert abs((x0 + x1) / 2 - centre) <= 1, text
    # Số line centred under ô 2 (including its blank), date line centred under ô 1.
    numb = find_chars(page, "Số:")
    slash = find_chars(page, "/BC-SNV")
    assert abs((numb[0]["x0"] + slash[-1]["x1"]) / 2 - left_centre) <= 1.5
    date = find_chars(page, "Quảng Ngãi, ngày")
    year = find_chars(page, "năm 2026")
    assert abs((date[0]["x0"] + year[-1]["x1"]) / 2 - right_centre) <= 1.5


def test_number_and_date_share_a_baseline(report: pdfplumber.PDF, letter: pdfplumber.PDF) -> None:
    for page in (report.pages[0], letter.pages[0]):
        assert (
            abs(baseline(find_chars(page, "Số:")) - baseline(find_chars(page, "Quảng Ngãi,"))) < 0.1
        )


def test_tieu_ngu_rule_is_as_long_as_the_text(report: pdfplumber.PDF) -> None:
    page = report.pages[0]
    chars = find_chars(page, TIEU_NGU)
    x0, x1 = span(chars)
    rules = [
        ln
        for ln in page.lines
        if abs(ln["top"] - ln["bottom"]) < 0.01
        and 0 < ln["top"] - chars[0]["bottom"] < 8
        and ln["x0"] > A4_W / 2 - 20
    ]
    assert len(rules) == 1
    assert abs(rules[0]["x0"] - x0) <= 1 and abs(rules[0]["x1"] - x1) <= 1


def test_agency_rule_is_a_third_to_a_half_centred(report: pdfplumber.PDF) -> None:
    page = report.pages[0]
    chars = [c for c in find_chars(page, "SỞ NỘI VỤ") if c["text"].strip()]
    x0, x1 = span(chars)
    rules = [
        ln for ln in page.lines if 0 < ln["top"] - chars[0]["bottom"] < 8 and ln["x1"] < A4_W / 2
    ]
    assert len(rules) == 1
    length = rules[0]["x1"] - rules[0]["x0"]
    assert (x1 - x0) / 3 <= length <= (x1 - x0) / 2
    assert abs((rules[0]["x0"] + rules[0]["x1"]) / 2 - (x0 + x1) / 2) <= 0.5


def test_blank_number_and_date_leave_room(report: pdfplumber.PDF) -> None:
    page = report.pages[0]
    text = nfc(page.extract_text())
    assert "/BC-SNV" in text
    colon = find_chars(page, "Số:")[-1]
    slash = find_chars(page, "/BC-SNV")[0]
    between = page.chars[page.chars.index(colon) + 1 : page.chars.index(slash)]
    assert between and all(not c["text"].strip() for c in between)
    assert slash["x0"] - colon["x1"] >= 20  # room for a hand-written number
    ngay = find_chars(page, "ngày")[-1]
    thang = find_chars(page, "tháng")[0]
    assert thang["x0"] - ngay["x1"] >= 12


def test_title_block_rule(report: pdfplumber.PDF) -> None:
    page = report.pages[0]
    doc_type = find_chars(page, "BÁO CÁO")
    first = find_chars(page, "Kết quả theo dõi")
    rules = [
        ln
        for ln in page.lines
        if ln["top"] > first[0]["bottom"] and ln["top"] - first[0]["bottom"] < 40
    ]
    assert len(rules) == 1
    subject = [
        c
        for c in page.chars
        if face(c) == "LiberationSerif-Bold"
        and c["text"].strip()
        and doc_type[0]["bottom"] < c["top"]
        and c["bottom"] < rules[0]["top"]
    ]
    lines: dict[float, list[Char]] = {}
    for c in subject:
        lines.setdefault(round(baseline([c]), 1), []).append(c)
    assert len(lines) == 2  # the subject wraps onto two balanced lines
    widths = [span(cs)[1] - span(cs)[0] for cs in lines.values()]
    assert min(widths) > 0.6 * max(widths)
    length = rules[0]["x1"] - rules[0]["x0"]
    text_w = A4_W - LEFT - RIGHT
    assert abs((rules[0]["x0"] + rules[0]["x1"]) / 2 - (LEFT + text_w / 2)) <= 0.5
    assert max(widths) / 3 <= length <= max(widths) / 2


# ------------------------------------------------------------------ body, Kính gửi, footer


def test_body_ends_with_closing_mark(report: pdfplumber.PDF, letter: pdfplumber.PDF) -> None:
    assert "của Sở Nội vụ./." in nfc(report.pages[1].extract_text())
    assert "quan tâm, thực hiện./." in nfc(letter.pages[0].extract_text())
    page = report.pages[0]
    assert_style(page, "I. KẾT QUẢ THỰC HIỆN", 14, "LiberationSerif-Bold")
    assert_style(page, "1. Tình hình triển khai", 14, "LiberationSerif-Bold")
    assert_style(page, "a) Những việc đã làm được", 14, "LiberationSerif")


def test_kinh_gui_block(letter: pdfplumber.PDF) -> None:
    page = letter.pages[0]
    label = assert_style(page, "Kính gửi:", 14, "LiberationSerif")
    first = find_chars(page, "- Sở Tư pháp;")
    last = find_chars(page, "- Ủy ban nhân dân các huyện, thị xã, thành phố.")
    assert abs(baseline(label) - baseline(first)) < 0.1  # first recipient on the label's line
    assert abs(first[0]["x0"] - last[0]["x0"]) < 0.1  # recipients aligned one per line
    assert baseline(last) < baseline(first)


def test_footer_styles_and_alignment(report: pdfplumber.PDF, letter: pdfplumber.PDF) -> None:
    page = report.pages[1]
    noi_nhan = assert_style(page, "Nơi nhận:", 12, "LiberationSerif-BoldItalic")
    authority = assert_style(page, "KT. GIÁM ĐỐC", 14, "LiberationSerif-Bold")
    assert_style(page, "PHÓ GIÁM ĐỐC", 14, "LiberationSerif-Bold")
    assert_style(page, "- UBND tỉnh (báo cáo);", 11, "LiberationSerif")
    assert_style(page, "- Lưu: VT, VP.", 11, "LiberationSerif")
    signer = assert_style(page, "Nguyễn Văn Ánh", 14, "LiberationSerif-Bold")
    assert abs(baseline(noi_nhan) - baseline(authority)) < 0.1  # level with the authority line
    assert abs(noi_nhan[0]["x0"] - LEFT) <= 1
    text_w = A4_W - LEFT - RIGHT
    right_centre = LEFT + 0.7 * text_w
    for chars in (authority, signer):
        assert abs(sum(span(chars)) / 2 - right_centre) <= 1
    gap_mm = (baseline(authority) - baseline(signer)) / mm
    assert 25 <= gap_mm <= 40  # room for signature and seal between authority and name
    lp = letter.pages[0]
    assert_style(lp, "- Như trên;", 11, "LiberationSerif")
    assert_style(lp, "Trần Thị Bích Hằng", 14, "LiberationSerif-Bold")


def test_footer_keeps_the_last_paragraph_with_it(report: pdfplumber.PDF) -> None:
    page = report.pages[1]
    text = nfc(page.extract_text())
    assert "Trên đây là báo cáo" in text and "Nơi nhận:" in text


# ------------------------------------------------------------------ page numbers


def test_page_numbers(report: pdfplumber.PDF, letter: pdfplumber.PDF) -> None:
    assert top_margin_chars(report.pages[0]) == []
    assert top_margin_chars(letter.pages[0]) == []
    numbers = top_margin_chars(report.pages[1])
    assert "".join(c["text"] for c in numbers) == "2"
    (two,) = numbers
    assert face(two) == "LiberationSerif" and round(two["size"]) == 13
    assert abs((two["x0"] + two["x1"]) / 2 - (LEFT + (A4_W - LEFT - RIGHT) / 2)) <= 1
    assert two["top"] > 0 and two["bottom"] < TOP


def test_vietnamese_text_extracts_intact(report_pdf: Path, letter_pdf: Path) -> None:
    report_text = nfc("\n".join(p.extract_text() for p in PdfReader(report_pdf).pages))
    for s in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "SỞ NỘI VỤ",
        "Kết quả theo dõi, đôn đốc việc thực",
        "hiện văn bản chỉ đạo quý I năm 2026",
        "Tồn tại, hạn chế",
        "Nguyễn Văn Ánh",
        "Sắp đến hạn",
        "Sở Tư pháp",
        "Quá hạn",
        "Tình hình thực hiện nhiệm vụ".upper(),
    ):
        assert nfc(s) in report_text, s
    letter_text = nfc(PdfReader(letter_pdf).pages[0].extract_text())
    for s in ("Ủy ban nhân dân các huyện, thị xã, thành phố.", "Trần Thị Bích Hằng", "Kính gửi:"):
        assert nfc(s) in letter_text, s


def test_pdf_metadata(report_pdf: Path) -> None:
    meta = PdfReader(report_pdf).metadata
    assert meta is not None
    assert meta.author == "SỞ NỘI VỤ"
    assert meta.title is not None and meta.title.startswith("BÁO CÁO")


# ------------------------------------------------------------------ appendix


def test_appendix_spans_pages_with_header_repeated(report: pdfplumber.PDF) -> None:
    appendix = report.pages[2:]
    assert len(appendix) >= 3
    first = appendix[0]
    assert_style(first, "Phụ lục", 14, "LiberationSerif-Bold")
    assert_style(first, "TÌNH HÌNH THỰC HIỆN", 14, "LiberationSerif-Bold")
    assert_style(first, "(Kèm theo Báo cáo số", 14, "LiberationSerif-Italic")
    for page in appendix:
        for label in ("STT", "Tên đơn vị", "Nhiệm vụ", "Tình trạng"):
            assert_style(page, label, 12, "LiberationSerif-Bold")
        assert_style(page, "Báo cáo kết quả", 12, "LiberationSerif")
        # The header row sits above every data row on every page.
        stt = find_chars(page, "STT")[0]
        data = [c for c in page.chars if round(c["size"]) == 12 and face(c) == "LiberationSerif"]
        assert stt["bottom"] < min(c["top"] for c in data)
    all_text = nfc("\n".join(p.extract_text() for p in appendix))
    assert "nhiệm vụ số 130" in all_text
    assert APPENDIX_HEADER[1] in all_text


def test_appendix_numbers_its_own_pages(report: pdfplumber.PDF) -> None:
    appendix = report.pages[2:]
    assert top_margin_chars(appendix[0]) == []
    for i, page in enumerate(appendix[1:], start=2):
        assert "".join(c["text"] for c in top_margin_chars(page)) == str(i)


def test_landscape_appendix(tmp_path: Path) -> None:
    settings = PageSettings()
    styles = make_styles(settings)
    header = DocumentHeader(
        agency="SỞ NỘI VỤ",
        symbol="BC-SNV",
        place="Quảng Ngãi",
        year=2026,
        parent_agency="UBND TỈNH QUẢNG NGÃI",
    )
    widths = [15.0, 60.0, 60.0, 60.0, 52.0]
    table = appendix_table(
        ["STT", "Đơn vị", "Nội dung", "Kết quả", "Ghi chú"],
        [[str(i), "Sở Tư pháp", "Rà soát văn bản", "Đạt", ""] for i in range(1, 60)],
        widths,
        styles,
    )
    appendix = Appendix(
        "Phụ lục II",
        "Bảng rộng",
        appendix_reference("Báo cáo", header, "Sở Nội vụ"),
        (table,),
        landscape=True,
    )
    out = tmp_path / "wide.pdf"
    build_document(
        out,
        header,
        TitleBlock("Báo cáo", "Thử"),
        None,
        body_paragraphs(["Nội dung."], styles),
        Footer(("GIÁM ĐỐC",), "Nguyễn Văn A"),
        [appendix],
        settings,
    )
    with pdfplumber.open(out) as pdf:
        wide = pdf.pages[1:]
        assert len(wide) >= 2
        for page in wide:
            assert page.width > page.height
        l_top = settings.landscape_margins[0]
        assert top_margin_chars(wide[0], l_top) == []
        assert "".join(c["text"] for c in top_margin_chars(wide[1], l_top)) == "2"
        assert "Phụ lục II" in nfc(wide[0].extract_text())
        assert "(Kèm theo Báo cáo số" in nfc(wide[0].extract_text())
        # The table fills each landscape page down to the decree's bottom margin, never into it.
        for page in wide[:-1]:
            lowest = max(c["bottom"] for c in page.chars if c["text"].strip())
            assert BOTTOM - 0.5 <= page.height - lowest <= BOTTOM + 15 * mm


# ------------------------------------------------------------------ settings and helpers


@pytest.mark.parametrize(
    ("field", "value", "word"),
    [
        ("margin_top_mm", 19, "Lề trên"),
        ("margin_top_mm", 26, "Lề trên"),
        ("margin_bottom_mm", 19.5, "Lề dưới"),
        ("margin_left_mm", 29, "Lề trái"),
        ("margin_left_mm", 36, "Lề trái"),
        ("margin_right_mm", 14, "Lề phải"),
        ("margin_right_mm", 21, "Lề phải"),
        ("body_size", 12, "nội dung"),
        ("first_line_indent_cm", 1.5, "Lùi đầu dòng"),
        ("line_spacing", 2.0, "Khoảng cách dòng"),
    ],
)
def test_settings_outside_the_decree_raise(field: str, value: float, word: str) -> None:
    with pytest.raises(ValueError, match=word):
        PageSettings(**{field: value})


def test_settings_at_the_range_edges_are_accepted() -> None:
    PageSettings(margin_top_mm=25, margin_bottom_mm=25, margin_left_mm=35, margin_right_mm=20)
    PageSettings(first_line_indent_cm=1.0, line_spacing=1.5, body_size=13, date_size=14)


def test_date_line_leading_zeros() -> None:
    assert date_line("Quảng Ngãi", dt.date(2020, 1, 5)) == "Quảng Ngãi, ngày 05 tháng 01 năm 2020"
    assert date_line("Hà Nội", dt.date(2020, 2, 28)) == "Hà Nội, ngày 28 tháng 02 năm 2020"
    assert date_line("Hà Nội", dt.date(2020, 3, 9)) == "Hà Nội, ngày 09 tháng 3 năm 2020"
    assert date_line("Hà Nội", dt.date(2020, 12, 15)) == "Hà Nội, ngày 15 tháng 12 năm 2020"
    blank = date_line("Quảng Ngãi", None, 2026)
    assert blank.startswith("Quảng Ngãi, ngày\u00a0") and blank.endswith("năm 2026")
    assert "\u00a0\u00a0\u00a0" in blank
    with pytest.raises(ValueError):
        date_line("Quảng Ngãi", None)


def test_header_requires_year_without_date() -> None:
    with pytest.raises(ValueError, match="năm"):
        DocumentHeader(agency="SỞ NỘI VỤ", symbol="BC-SNV", place="Quảng Ngãi")


def test_format_number() -> None:
    assert format_number("7") == "07"
    assert format_number("15") == "15"
    assert format_number("2116") == "2116"
    assert format_number(None).strip() == "" and len(format_number(None)) >= 6


def test_recipient_punctuation() -> None:
    assert noi_nhan_lines(["Như trên", "- UBND tỉnh (báo cáo);", "Giám đốc Sở."], "VP") == [
        "- Như trên;",
        "- UBND tỉnh (báo cáo);",
        "- Giám đốc Sở;",
        "- Lưu: VT, VP.",
    ]
    assert noi_nhan_lines(["Lưu: VT, NC, Vi171", "Như trên"]) == [
        "- Như trên;",
        "- Lưu: VT, NC, Vi171.",
    ]
    assert noi_nhan_lines([]) == ["- Lưu: VT."]
    assert kinh_gui_lines(["Ủy ban nhân dân tỉnh"]) == ["Ủy ban nhân dân tỉnh."]
    assert kinh_gui_lines(["Sở Tư pháp", "- Sở Tài chính."]) == ["- Sở Tư pháp;", "- Sở Tài chính."]
    assert with_closing_mark("nghiêm túc triển khai thực hiện.") == (
        "nghiêm túc triển khai thực hiện./."
    )
    assert with_closing_mark("như sau") == "như sau./."
    assert with_closing_mark("xong./.") == "xong./."


def test_footer_rejects_unknown_authority_prefix() -> None:
    with pytest.raises(ValueError, match="TM"):
        Footer(("XX. GIÁM ĐỐC",), "Nguyễn Văn A")
    for prefix in ("TM.", "KT.", "TL.", "TUQ.", "Q."):
        Footer((f"{prefix} GIÁM ĐỐC",), "Nguyễn Văn A")


def test_path_target_is_written_atomically(tmp_path: Path) -> None:
    out = tmp_path / "letter.pdf"
    build_demo_letter(out)
    assert out.read_bytes().startswith(b"%PDF")
    assert [p.name for p in tmp_path.iterdir()] == ["letter.pdf"]
    buffer = io.BytesIO()
    build_demo_letter(buffer)
    assert buffer.getvalue().startswith(b"%PDF")


def test_layout_does_not_import_qt() -> None:
    code = (
        "import sys, app.documents.layout, app.documents.demo;"
        "bad = [m for m in sys.modules if m.startswith(('PySide6', 'ui'))];"
        "assert not bad, bad"
    )
    root = Path(__file__).resolve().parents[2]
    subprocess.run([sys.executable, "-c", code], check=True, cwd=root)
