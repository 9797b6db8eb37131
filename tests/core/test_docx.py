"""Word output (.docx): the three documents of the sample and a synthetic document with a long
portrait appendix and a landscape one, written by :mod:`app.documents.render_docx`, opened by
LibreOffice (headless, one conversion for all of them) and measured on the PDF it makes with the
checks the PDF tests use; plus the Word structure itself read back with python-docx (no Qt).

The LibreOffice part needs ``soffice`` (Debian/Ubuntu package ``libreoffice-writer-nogui``) and
is skipped without it.
"""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
import zipfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
import pdfplumber
import pytest
from docx.oxml.ns import qn
from pypdf import PdfReader
from reportlab.lib.units import cm, mm

from app.db import Database, connect
from app.documents.common import DocumentKind, DocumentOptions
from app.documents.content import (
    NOI_NHAN_KEY,
    TITLE_KEY,
    AppendixContent,
    DocumentContent,
    NoteBlock,
    Section,
    TableBlock,
    TextBlock,
)
from app.documents.generate import build, format_of
from app.documents.layout import TIEU_NGU, DocumentHeader, Footer, PageSettings, TitleBlock
from app.documents.render_docx import FONT, METRIC_TWIN, STYLE_NAMES, write_docx
from app.documents.sample_scenario import record_sample_submissions
from app.documents.summary_report import summary_content
from app.errors import AppError
from app.services.directives import list_directives, save_report_texts
from app.services.sample import load_sample
from app.services.units import list_units
from tests.core.test_layout import (
    A4_H,
    A4_W,
    BOTTOM,
    LEFT,
    RIGHT,
    TOP,
    assert_style,
    baseline,
    face,
    find_chars,
    nfc,
    span,
    top_margin_chars,
)

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
needs_soffice = pytest.mark.skipif(
    SOFFICE is None,
    reason="LibreOffice không có (cần gói apt libreoffice-writer-nogui để có lệnh soffice)",
)

JUNE = dt.date(2018, 6, 25)
SHEET_UNIT = "UBND huyện Bình Sơn"
ROWS = 130
TEXT_W = A4_W - LEFT - RIGHT


def margin_chars(page: Any, top: float = TOP) -> list[dict[str, Any]]:
    """Chars printed in the top margin (1 pt of tolerance: LibreOffice puts a line's extra
    height above its text, ReportLab below)."""
    return top_margin_chars(page, top - 1)


def flat(text: str) -> str:
    return " ".join(nfc(text).split())


def pdf_text(path: Path) -> str:
    return flat("\n".join(p.extract_text() for p in PdfReader(path).pages))


# ------------------------------------------------------------------ fixtures


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Database, Path]]:
    folder = tmp_path_factory.mktemp("docx")
    db = connect(str(folder / "sample.db"))
    load_sample(db)
    record_sample_submissions(db)
    directive = list_directives(db)[0]
    save_report_texts(
        db,
        directive.id,
        assessment="Các đơn vị cơ bản triển khai kịp thời.",
        difficulties="Một số huyện miền núi gửi chậm.",
        proposals="Đề nghị UBND tỉnh nhắc nhở các đơn vị chậm gửi.",
    )
    yield db, folder
    db.dispose()


def _options(db: Database, kind: DocumentKind, **kwargs: object) -> DocumentOptions:
    directive_id = list_directives(db)[0].id
    unit_id = next(u.id for u in list_units(db) if u.name == SHEET_UNIT)
    return DocumentOptions(
        kind=kind, as_of=JUNE, directive_id=directive_id, unit_id=unit_id, **kwargs
    )  # type: ignore[arg-type]


def synthetic() -> DocumentContent:
    """A report with several Kính gửi lines, every body style, a 130-row portrait appendix and
    a wide landscape one."""
    header = DocumentHeader(
        agency="SỞ NỘI VỤ",
        symbol="BC-SNV",
        place="Quảng Ngãi",
        parent_agency="UBND TỈNH QUẢNG NGÃI",
        number="15",
        date=dt.date(2026, 1, 5),
    )
    body = (
        TextBlock(
            "paragraph",
            "Thực hiện Công văn số 2116/UBND-NC ngày 18/04/2018 của UBND "
            "tỉnh, Sở Nội vụ báo cáo kết quả theo dõi việc triển khai thực hiện của các "
            "cơ quan, đơn vị như sau:",
        ),
        TextBlock("heading1", "I. Kết quả thực hiện"),
        TextBlock("heading2", "1. Tình hình triển khai"),
        TextBlock("heading3", "a) Những việc đã làm được"),
        TextBlock("item", "- Các sở, ban, ngành tỉnh: 12/14 đơn vị đã gửi báo cáo;"),
        TextBlock(
            "paragraph",
            "Trên đây là báo cáo của Sở Nội vụ, kính báo cáo Ủy ban nhân "
            "dân tỉnh xem xét, chỉ đạo.",
        ),
    )
    rows = tuple(
        (
            str(i),
            f"UBND xã Thử Nghiệm {i:03d}",
            f"Báo cáo kết quả nhiệm vụ số {i}",
            "Quá hạn" if i % 3 else "Hoàn thành đúng hạn",
        )
        for i in range(1, ROWS + 1)
    )
    long_table = TableBlock(
        ("STT", "Tên đơn vị", "Nhiệm vụ", "Tình trạng"),
        rows,
        (11.0, 60.0, 64.0, 30.0),
        ("center", "left", "left", "center"),
    )
    wide = TableBlock(
        ("STT", "Đơn vị", "Nội dung", "Kết quả", "Ghi chú"),
        tuple((str(i), "Sở Tư pháp", "Rà soát văn bản", "Đạt", "") for i in range(1, 60)),
        (15.0, 60.0, 60.0, 60.0, 52.0),
        ("center", "left", "left", "left", "left"),
    )
    return DocumentContent(
        kind="summary",
        header=header,
        title=TitleBlock(
            "Báo cáo", "Kết quả theo dõi, đôn đốc việc thực hiện văn bản chỉ đạo quý I năm 2026"
        ),
        kinh_gui=("Sở Tư pháp", "Sở Tài chính", "Ủy ban nhân dân các huyện, thị xã, thành phố"),
        sections=(Section("body", "Nội dung", body),),
        footer=Footer(
            ("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"),
            "Nguyễn Văn Ánh",
            ("Như trên", "UBND tỉnh (báo cáo)"),
            "VP",
        ),
        appendices=(
            AppendixContent(
                "Phụ lục I",
                "Tình hình thực hiện",
                "(Kèm theo Báo cáo số 15/BC-SNV ngày 05 tháng 01 năm 2026 của Sở Nội vụ)",
                (long_table, NoteBlock("Ghi chú: số liệu tính đến ngày 05/01/2026.")),
            ),
            AppendixContent(
                "Phụ lục II",
                "Bảng rộng",
                "(Kèm theo Báo cáo số 15/BC-SNV ngày 05 tháng 01 năm 2026 của Sở Nội vụ)",
                (wide,),
                landscape=True,
            ),
        ),
        page=PageSettings(),
    )


@pytest.fixture(scope="module")
def docx_files(scenario: tuple[Database, Path]) -> dict[str, Path]:
    db, folder = scenario
    out = {
        "summary": folder / "bao-cao.docx",
        "reminder": folder / "cong-van.docx",
        "sheet": folder / "phieu.docx",
        "synthetic": folder / "tong-hop.docx",
    }
    build(db, _options(db, DocumentKind.SUMMARY), out["summary"])
    build(
        db,
        _options(db, DocumentKind.REMINDER, number="7", date=dt.date(2018, 6, 26)),
        out["reminder"],
    )
    build(db, _options(db, DocumentKind.UNIT_SHEET), out["sheet"])
    write_docx(synthetic(), out["synthetic"])
    return out


@pytest.fixture(scope="module")
def converted(
    docx_files: dict[str, Path], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Path]:
    """Every .docx converted to PDF by LibreOffice in one run (each start costs seconds)."""
    assert SOFFICE is not None
    folder = tmp_path_factory.mktemp("converted")
    profile = tmp_path_factory.mktemp("lo-profile")
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            *map(str, docx_files.values()),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    pdfs = {key: folder / (path.stem + ".pdf") for key, path in docx_files.items()}
    for key, path in pdfs.items():
        assert path.is_file(), f"LibreOffice did not convert {key}"
    return pdfs


@pytest.fixture(scope="module")
def synthetic_pdf(converted: dict[str, Path]) -> Iterator[pdfplumber.PDF]:
    with pdfplumber.open(converted["synthetic"]) as pdf:
        yield pdf


# ------------------------------------------------------------------ after LibreOffice


@needs_soffice
def test_pages_are_a4_and_text_inside_the_margins(converted: dict[str, Path]) -> None:
    for key, path in converted.items():
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                w, h = float(page.width), float(page.height)
                portrait = h > w
                assert {round(w), round(h)} == {round(A4_W), round(A4_H)}, key
                top, bottom, left, right = (
                    (TOP, BOTTOM, LEFT, RIGHT) if portrait else (LEFT, RIGHT, BOTTOM, TOP)
                )
                body = [c for c in page.chars if c["top"] >= top and c["text"].strip()]
                assert min(c["x0"] for c in body) >= left - 1, key
                assert max(c["x1"] for c in body) <= w - right + 1, key
                assert max(c["bottom"] for c in body) <= h - bottom + 1, key


@needs_soffice
def test_fonts_are_the_metric_twin_embedded(converted: dict[str, Path]) -> None:
    for key, path in converted.items():
        seen: set[str] = set()
        for page in PdfReader(path).pages:
            for ref in page["/Resources"]["/Font"].values():
                font = ref.get_object()
                name = str(font["/BaseFont"]).lstrip("/")
                prefix, _, base = name.partition("+")
                assert len(prefix) == 6 and base.startswith("LiberationSerif"), (key, name)
                descriptor = (
                    font.get("/FontDescriptor")
                    or font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
                )
                assert "/FontFile2" in descriptor.get_object(), name
                seen.add(base)
        assert {"LiberationSerif", "LiberationSerif-Bold"} <= seen, key


@needs_soffice
def test_page_numbers_none_on_page_one_then_centred(converted: dict[str, Path]) -> None:
    for key, path in converted.items():
        with pdfplumber.open(path) as pdf:
            assert margin_chars(pdf.pages[0]) == [], key
            expected = 2
            for page in pdf.pages[1:]:
                portrait = page.height > page.width
                numbers = margin_chars(page, TOP if portrait else LEFT)
                if not numbers:  # the first page of an appendix
                    assert nfc(page.extract_text()).startswith("Phụ lục"), key
                    expected = 2
                    continue
                assert "".join(c["text"] for c in numbers) == str(expected), key
                expected += 1
                left, right = (LEFT, RIGHT) if portrait else (BOTTOM, TOP)
                centre = left + (float(page.width) - left - right) / 2
                middle = (numbers[0]["x0"] + numbers[-1]["x1"]) / 2
                assert abs(middle - centre) <= 1, key
                assert round(numbers[0]["size"]) == 13 and face(numbers[0]) == "LiberationSerif"
                # In the top margin, about its middle (as in the PDF).
                top = TOP if portrait else LEFT
                assert 0.2 * top < numbers[0]["top"] and numbers[0]["bottom"] < 0.8 * top


@needs_soffice
def test_summary_header_title_body_and_footer(converted: dict[str, Path]) -> None:
    with pdfplumber.open(converted["summary"]) as pdf:
        first = pdf.pages[0]
        assert_style(first, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 12, "LiberationSerif-Bold")
        assert_style(first, TIEU_NGU, 13, "LiberationSerif-Bold")
        assert_style(first, "SỞ NỘI VỤ", 12, "LiberationSerif-Bold")
        assert_style(first, "/BC-SNV", 13, "LiberationSerif")
        assert_style(first, "Quảng Ngãi, ngày", 13, "LiberationSerif-Italic")
        assert_style(first, "năm 2018", 13, "LiberationSerif-Italic")
        assert_style(first, "BÁO CÁO", 14, "LiberationSerif-Bold")
        assert_style(first, "Kết quả theo dõi việc triển khai", 14, "LiberationSerif-Bold")
        assert_style(first, "Kính gửi: Ủy ban nhân dân tỉnh Quảng Ngãi.", 14, "LiberationSerif")
        assert_style(first, "I. KẾT QUẢ THEO DÕI, ĐÔN ĐỐC", 14, "LiberationSerif-Bold")
        assert (
            abs(baseline(find_chars(first, "Số:")) - baseline(find_chars(first, "Quảng Ngãi,")))
            < 0.5
        )
        # The header's two columns: 40 % / 60 % of the text width.
        for text, centre in (
            ("SỞ NỘI VỤ", LEFT + 0.2 * TEXT_W),
            ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", LEFT + 0.7 * TEXT_W),
            (TIEU_NGU, LEFT + 0.7 * TEXT_W),
        ):
            x0, x1 = span([c for c in find_chars(first, text) if c["text"].strip()])
            assert abs((x0 + x1) / 2 - centre) <= 1.5, text
        footer_page = next(p for p in pdf.pages if "Nơi nhận:" in nfc(p.extract_text()))
        noi_nhan = assert_style(footer_page, "Nơi nhận:", 12, "LiberationSerif-BoldItalic")
        assert_style(footer_page, "- Như trên;", 11, "LiberationSerif")
        assert_style(footer_page, "- Lưu: VT, XDCQ.", 11, "LiberationSerif")
        authority = assert_style(footer_page, "KT. GIÁM ĐỐC", 14, "LiberationSerif-Bold")
        assert_style(footer_page, "PHÓ GIÁM ĐỐC", 14, "LiberationSerif-Bold")
        signer = assert_style(footer_page, "Nguyễn Văn A", 14, "LiberationSerif-Bold")
        assert abs(baseline(noi_nhan) - baseline(authority)) < 1
        assert abs(noi_nhan[0]["x0"] - LEFT) <= 1
        for chars in (authority, signer):
            assert abs(sum(span(chars)) / 2 - (LEFT + 0.7 * TEXT_W)) <= 1.5
        assert 25 <= (baseline(authority) - baseline(signer)) / mm <= 40
        assert "xem xét, chỉ đạo./." in flat(footer_page.extract_text())


@needs_soffice
def test_rules_under_tieu_ngu_agency_and_subject(converted: dict[str, Path]) -> None:
    with pdfplumber.open(converted["summary"]) as pdf:
        page = pdf.pages[0]
        flat_rules = [ln for ln in page.lines if abs(ln["top"] - ln["bottom"]) < 0.01]

        def rules_below(chars: list[dict[str, object]], gap: float) -> list[tuple[float, float]]:
            bottom = max(float(c["bottom"]) for c in chars)  # type: ignore[arg-type]
            x0, x1 = span(chars)  # type: ignore[arg-type]
            return sorted(
                {
                    (round(ln["x0"], 1), round(ln["x1"], 1))
                    for ln in flat_rules
                    if 0 < ln["top"] - bottom < gap and x0 - 5 < (ln["x0"] + ln["x1"]) / 2 < x1 + 5
                }
            )

        tieu_ngu = find_chars(page, TIEU_NGU)
        ((r0, r1),) = rules_below(tieu_ngu, 8)
        x0, x1 = span(tieu_ngu)
        assert abs(r0 - x0) <= 1 and abs(r1 - x1) <= 1  # as long as the text
        agency = [c for c in find_chars(page, "SỞ NỘI VỤ") if c["text"].strip()]
        ((a0, a1),) = rules_below(agency, 8)
        x0, x1 = span(agency)
        assert (x1 - x0) / 3 <= a1 - a0 <= (x1 - x0) / 2
        assert abs((a0 + a1) / 2 - (x0 + x1) / 2) <= 1
        subject = find_chars(page, "(tính đến ngày 25/06/2018)")
        ((s0, s1),) = rules_below(subject, 12)
        assert abs((s0 + s1) / 2 - (LEFT + TEXT_W / 2)) <= 1
        assert 0.2 * TEXT_W <= s1 - s0 <= 0.5 * TEXT_W


@needs_soffice
def test_body_is_justified_with_first_line_indent(synthetic_pdf: pdfplumber.PDF) -> None:
    page = synthetic_pdf.pages[0]
    first = find_chars(page, "Thực hiện Công văn số 2116")
    assert abs(first[0]["x0"] - (LEFT + 1.27 * cm)) <= 1
    body = [
        c
        for c in page.chars
        if round(c["size"]) == 14
        and face(c) == "LiberationSerif"
        and c["top"] > first[0]["top"] - 1
    ]
    assert abs(max(c["x1"] for c in body) - (A4_W - RIGHT)) <= 1  # justified to the margin
    assert_style(page, "I. KẾT QUẢ THỰC HIỆN", 14, "LiberationSerif-Bold")
    assert_style(page, "1. Tình hình triển khai", 14, "LiberationSerif-Bold")
    assert_style(page, "a) Những việc đã làm được", 14, "LiberationSerif")
    assert_style(page, "Số:\u00a015/BC-SNV", 13, "LiberationSerif")
    assert_style(page, "Quảng Ngãi, ngày 05 tháng 01 năm 2026", 13, "LiberationSerif-Italic")
    assert "xem xét, chỉ đạo./." in flat(page.extract_text())


@needs_soffice
def test_kinh_gui_one_recipient_a_line(synthetic_pdf: pdfplumber.PDF) -> None:
    page = synthetic_pdf.pages[0]
    label = assert_style(page, "Kính gửi:", 14, "LiberationSerif")
    first = find_chars(page, "- Sở Tư pháp;")
    last = find_chars(page, "- Ủy ban nhân dân các huyện, thị xã, thành phố.")
    assert abs(baseline(label) - baseline(first)) < 0.1
    assert abs(first[0]["x0"] - last[0]["x0"]) < 0.5
    assert baseline(last) < baseline(first)


@needs_soffice
def test_appendix_header_row_repeats_and_pages_restart(synthetic_pdf: pdfplumber.PDF) -> None:
    pages = synthetic_pdf.pages
    starts = [i for i, p in enumerate(pages) if nfc(p.extract_text()).startswith("Phụ lục")]
    assert len(starts) == 2
    long_pages = pages[starts[0] : starts[1]]
    wide_pages = pages[starts[1] :]
    assert len(long_pages) >= 3 and len(wide_pages) >= 2
    assert_style(long_pages[0], "Phụ lục I", 14, "LiberationSerif-Bold")
    assert_style(long_pages[0], "TÌNH HÌNH THỰC HIỆN", 14, "LiberationSerif-Bold")
    assert_style(long_pages[0], "(Kèm theo Báo cáo số", 14, "LiberationSerif-Italic")
    for page in long_pages:
        assert page.height > page.width
        stt = find_chars(page, "STT")[0]
        assert face(stt) == "LiberationSerif-Bold" and round(stt["size"]) == 12
        rows = [
            c
            for c in page.chars
            if c["top"] > TOP and round(c["size"]) == 12 and face(c) == "LiberationSerif"
        ]
        assert stt["bottom"] < min(c["top"] for c in rows)  # the header row on top
    text = flat("\n".join(p.extract_text() for p in long_pages))
    for i in range(1, ROWS + 1):
        assert f"UBND xã Thử Nghiệm {i:03d}" in text
    assert "Ghi chú: số liệu tính đến ngày 05/01/2026." in text
    for page in wide_pages:
        assert page.width > page.height
        assert find_chars(page, "STT")
    assert margin_chars(wide_pages[0], LEFT) == []
    assert "".join(c["text"] for c in margin_chars(wide_pages[1], LEFT)) == "2"


@needs_soffice
def test_the_three_documents_say_what_the_pdf_says(
    scenario: tuple[Database, Path], converted: dict[str, Path]
) -> None:
    db, folder = scenario
    for key, kind, extra in (
        ("summary", DocumentKind.SUMMARY, {}),
        ("reminder", DocumentKind.REMINDER, {"number": "7", "date": dt.date(2018, 6, 26)}),
        ("sheet", DocumentKind.UNIT_SHEET, {}),
    ):
        pdf = folder / f"{key}.pdf"
        build(db, _options(db, kind, **extra), pdf)
        words = Counter(w for w in pdf_text(pdf).replace("\u00a0", " ").split() if not w.isdigit())
        converted_words = Counter(
            w for w in pdf_text(converted[key]).replace("\u00a0", " ").split() if not w.isdigit()
        )
        # The same words (page numbers apart: the pages may break elsewhere).
        assert words == converted_words, (key, words - converted_words, converted_words - words)


# ------------------------------------------------------------------ the Word file itself


def test_word_structure(docx_files: dict[str, Path]) -> None:
    document = docx.Document(str(docx_files["synthetic"]))
    sections = document.sections
    assert len(sections) == 3  # the body, Phụ lục I, Phụ lục II
    for section in sections:
        assert section.different_first_page_header_footer
    body, long_appendix, wide = sections
    assert round(body.page_width.mm) == 210 and round(body.page_height.mm) == 297
    assert (
        round(body.top_margin.mm),
        round(body.bottom_margin.mm),
        round(body.left_margin.mm),
        round(body.right_margin.mm),
    ) == (20, 20, 30, 15)
    assert round(wide.page_width.mm) == 297 and round(wide.page_height.mm) == 210
    for appendix in (long_appendix, wide):
        number = appendix._sectPr.find(qn("w:pgNumType"))
        assert number is not None and number.get(qn("w:start")) == "1"
    assert body._sectPr.find(qn("w:pgNumType")) is None
    field = "".join(t.text or "" for t in body.header._element.iter(qn("w:instrText")))
    assert field.strip() == "PAGE"
    assert not list(body.first_page_header._element.iter(qn("w:instrText")))
    # Header and footer tables without borders; appendix tables with a repeated header row.
    tables = document.tables
    assert len(tables) == 4
    for table in tables[:2]:
        borders = table._tbl.tblPr.find(qn("w:tblBorders"))
        assert {b.get(qn("w:val")) for b in borders} == {"nil"}
    for table in tables[2:]:
        rows = table._tbl.tr_lst
        assert rows[0].trPr.find(qn("w:tblHeader")) is not None
        assert all(r.trPr.find(qn("w:tblHeader")) is None for r in rows[1:])
    styles = {p.style.name for p in document.paragraphs if p.text.strip()}
    assert {"Nội dung văn bản", "Đề mục I", "Đề mục 1", "Đề mục a"} <= styles
    closing = [p for p in document.paragraphs if p.text.endswith("./.")]
    assert len(closing) == 1 and closing[0].text.startswith("Trên đây là báo cáo")


def test_times_new_roman_with_its_metric_twin(docx_files: dict[str, Path]) -> None:
    with zipfile.ZipFile(docx_files["summary"]) as z:
        names = set(z.namelist())
        font_table = z.read("word/fontTable.xml").decode()
        styles = z.read("word/styles.xml").decode()
        body = z.read("word/document.xml").decode()
    assert "docProps/thumbnail.jpeg" not in names
    assert f'w:name="{FONT}"><w:altName w:val="{METRIC_TWIN}"/>' in font_table.replace(
        "\n", ""
    ).replace("  ", "")
    assert f'w:ascii="{FONT}"' in styles and "asciiTheme" not in styles.split("</w:docDefaults>")[0]
    assert 'w:lang w:val="vi-VN"' in styles
    for style_id in STYLE_NAMES:
        assert f'w:styleId="{style_id}"' in styles
    assert "Calibri" not in body
    document = docx.Document(str(docx_files["summary"]))
    props = document.core_properties
    assert props.author == "SỞ NỘI VỤ" and props.title.startswith("BÁO CÁO")
    assert props.language == "vi-VN"


def test_format_follows_the_file_name() -> None:
    assert format_of("bao-cao.docx") == "docx"
    assert format_of(Path("BAO-CAO.DOCX")) == "docx"
    assert format_of("bao-cao.pdf") == "pdf"
    assert format_of(io.BytesIO()) == "pdf"
    assert format_of(io.BytesIO(), "docx") == "docx"
    assert format_of("x.pdf", "DOCX") == "docx"
    with pytest.raises(ValueError):
        format_of("x.pdf", "odt")


def test_edits_are_carried_to_word(scenario: tuple[Database, Path], tmp_path: Path) -> None:
    db, _ = scenario
    target = tmp_path / "sua.docx"
    options = _options(
        db,
        DocumentKind.SUMMARY,
        edits=(
            (TITLE_KEY, "Kết quả đôn đốc quý II năm 2018"),
            ("opening", "Thực hiện chỉ đạo của UBND tỉnh, Sở Nội vụ báo cáo như sau:"),
            (NOI_NHAN_KEY, "Như trên\nBan Dân vận Tỉnh ủy\nLưu: VT, XDCQ"),
        ),
    )
    build(db, options, target)
    text = "\n".join(p.text for p in docx.Document(str(target)).paragraphs)
    cells = "\n".join(
        p.text for t in docx.Document(str(target)).tables for c in t._cells for p in c.paragraphs
    )
    assert "Kết quả đôn đốc quý II năm 2018" in text
    assert "Thực hiện chỉ đạo của UBND tỉnh, Sở Nội vụ báo cáo như sau:" in text
    assert "- Ban Dân vận Tỉnh ủy;" in cells and "- Lưu: VT, XDCQ." in cells


def test_written_atomically_and_to_a_file_object(
    scenario: tuple[Database, Path], tmp_path: Path
) -> None:
    db, _ = scenario
    content, _ = summary_content(db, _options(db, DocumentKind.SUMMARY))
    target = tmp_path / "bao-cao.docx"
    target.write_bytes(b"old")
    write_docx(content, target)
    assert zipfile.is_zipfile(target)
    assert [p.name for p in tmp_path.iterdir()] == ["bao-cao.docx"]  # no temp file left
    buffer = io.BytesIO()
    build(db, _options(db, DocumentKind.UNIT_SHEET), buffer, fmt="docx")
    assert buffer.getvalue().startswith(b"PK")
    # A folder that cannot be made (a file is in the way): a clear error, nothing written.
    (tmp_path / "tep").write_bytes(b"")
    with pytest.raises(AppError, match="Không"):
        write_docx(content, tmp_path / "tep" / "bao-cao.docx")
    assert target.read_bytes().startswith(b"PK")


def test_cli_writes_word(db_path: Path, tmp_path: Path) -> None:
    from app.cli import run

    out, err = io.StringIO(), io.StringIO()
    assert run(["--db", str(db_path), "sample"], out=out, err=err) == 0
    target = tmp_path / "bao-cao.docx"
    code = run(
        [
            "--db",
            str(db_path),
            "report",
            "summary",
            "--directive",
            "2116/UBND-NC",
            "--as-of",
            "02/05/2018",
            "--out",
            str(target),
            "--number",
            "12",
        ],
        out=out,
        err=err,
    )
    assert code == 0, err.getvalue()
    assert "(tệp Word)" in out.getvalue()
    document = docx.Document(str(target))
    cells = " ".join(p.text for t in document.tables for c in t._cells for p in c.paragraphs)
    assert "Số:\u00a012/BC-SNV" in cells
    assert any(p.text == "BÁO CÁO" for p in document.paragraphs)
    out, err = io.StringIO(), io.StringIO()
    code = run(
        [
            "--db",
            str(db_path),
            "report",
            "summary",
            "--directive",
            "2116/UBND-NC",
            "--as-of",
            "02/05/2018",
            "--out",
            str(tmp_path / "khong-co" / "x.docx"),
        ],
        out=out,
        err=err,
    )
    assert code != 0 and "để ghi tệp Word" in err.getvalue()


def test_hostile_text_makes_a_readable_file(tmp_path: Path) -> None:
    """Pasted control characters, markup, a very long word and empty parts: the file opens and
    says what was typed (control characters dropped, tabs as spaces)."""
    hostile = (
        "A & B <w:p/> \"quoted\" 'x' \x00\x01\x07\x0b\x0c\x1f\ufffe tab\there "
        "ổ Ỷ ặ \u0065\u0301 " + "x" * 400
    )
    base = synthetic()
    table = TableBlock(("STT", hostile[:30]), (("1", hostile),), (11.0, 150.0), ("center", "left"))
    content = DocumentContent(
        kind=base.kind,
        header=base.header,
        title=TitleBlock("Báo cáo", hostile),
        kinh_gui=(hostile,),
        sections=(
            Section("a", "A", (TextBlock("paragraph", hostile), table)),
            Section("empty", "Trống", ()),
        ),
        footer=Footer(("GIÁM ĐỐC",), hostile[:40], (hostile,)),
        appendices=(),
        page=base.page,
    )
    target = tmp_path / "hostile.docx"
    write_docx(content, target)
    document = docx.Document(str(target))
    texts = [p.text for p in document.paragraphs]
    texts += [p.text for t in document.tables for c in t._cells for p in c.paragraphs]
    joined = "\n".join(texts)
    assert "A & B <w:p/> \"quoted\" 'x'  tab here ổ Ỷ ặ \u00e9 " + "x" * 400 in joined
    assert not any(ch in joined for ch in "\x00\x01\x07\x0b\x0c\x1f\ufffe\t")


@needs_soffice
def test_reminder_and_sheet_header_styles(converted: dict[str, Path]) -> None:
    with pdfplumber.open(converted["reminder"]) as pdf:
        first = pdf.pages[0]
        assert_style(first, "Số:\u00a007/SNV-XDCQ", 13, "LiberationSerif")
        assert_style(first, "Quảng Ngãi, ngày 26 tháng 6 năm 2018", 13, "LiberationSerif-Italic")
        assert_style(first, "V/v đôn đốc thực hiện Công văn số", 12, "LiberationSerif")
        label = assert_style(first, "Kính gửi:", 14, "LiberationSerif")
        lines = [find_chars(first, "- Thủ trưởng các sở"), find_chars(first, "- Chủ tịch UBND")]
        assert abs(baseline(label) - baseline(lines[0])) < 0.1
        assert abs(lines[0][0]["x0"] - lines[1][0]["x0"]) < 0.5
        text = flat("\n".join(p.extract_text() for p in pdf.pages))
        assert "- Như trên;" in text and "phối hợp của các cơ quan, đơn vị./." in text
    with pdfplumber.open(converted["sheet"]) as pdf:
        first = pdf.pages[0]
        assert_style(first, "PHIẾU BÁO", 14, "LiberationSerif-Bold")
        assert_style(first, "STT", 12, "LiberationSerif-Bold")
        assert_style(first, "52/KH-UBND;", 12, "LiberationSerif")
