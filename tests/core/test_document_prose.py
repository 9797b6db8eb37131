"""The generated text reads as a Sở Nội vụ specialist writes it (issue 13, part 4): one test for
each wording a reviewer sent back, on the sample data (no PDF unless the layout is the point)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.platypus import Paragraph

from app.db import Database, connect
from app.documents.common import DocumentKind, DocumentOptions
from app.documents.data import overdue_for, period_phrase
from app.documents.generate import build
from app.documents.layout import keep_references_whole, make_styles
from app.documents.reminder_letter import reminder_content
from app.documents.sample_scenario import record_sample_submissions
from app.documents.summary_report import summary_content
from app.documents.unit_sheet import unit_sheet_content
from app.services.directives import list_directives, save_report_texts
from app.services.sample import load_sample
from app.services.units import list_units

JUNE = dt.date(2018, 6, 25)
TODAY = dt.date(2026, 3, 2)


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Database, int, int]]:
    db = connect(str(tmp_path_factory.mktemp("prose") / "sample.db"))
    load_sample(db)
    record_sample_submissions(db)
    directive = list_directives(db)[0].id
    unit = next(u.id for u in list_units(db) if u.name == "Sở Y tế")
    yield db, directive, unit
    db.dispose()


def _text(
    db: Database, kind: DocumentKind, directive: int, unit: int | None = None, day: dt.date = JUNE
) -> str:
    options = DocumentOptions(
        kind=kind, as_of=day, directive_id=directive, unit_id=unit, today=TODAY
    )
    maker = {
        DocumentKind.SUMMARY: summary_content,
        DocumentKind.REMINDER: reminder_content,
        DocumentKind.UNIT_SHEET: unit_sheet_content,
    }[kind]
    content, _ = maker(db, options)
    return content.plain_text()


def test_counts_are_said_once_in_words(sample: tuple[Database, int, int]) -> None:
    db, directive, _ = sample
    text = _text(db, DocumentKind.SUMMARY, directive)
    assert "chưa nhận 7 (quá hạn: 7)" not in text and "(quá hạn:" not in text
    assert "đã nhận 7/14 kế hoạch (4 đúng hạn, 3 quá hạn)" in text
    assert "7 đơn vị quá hạn chưa gửi: UBND huyện Nghĩa Hành" in text
    assert "còn 28 đơn vị chưa gửi, đều đã quá hạn" in text


def test_periods_are_written_in_lower_case_in_running_text(
    sample: tuple[Database, int, int],
) -> None:
    db, directive, _ = sample
    assert period_phrase("Năm 2018") == "kỳ năm 2018"
    assert period_phrase("Tháng 9/2022") == "kỳ tháng 9/2022"
    for kind in (DocumentKind.SUMMARY, DocumentKind.REMINDER):
        text = _text(db, kind, directive)
        assert not re.search(r"kỳ (Năm|Tháng|Quý|6 Tháng)", text), kind
        assert "Kỳ báo cáo:" not in text
    assert "kỳ 6 tháng đầu năm 2018" in _text(db, DocumentKind.REMINDER, directive)


def test_long_delays_in_months_and_years_not_days() -> None:
    assert overdue_for(5) == "quá hạn 5 ngày"
    assert overdue_for(56) == "quá hạn hơn 1 tháng"
    assert overdue_for(364) == "quá hạn hơn 11 tháng"
    assert overdue_for(1116) == "quá hạn hơn 3 năm"


def test_unit_sheet_counts_without_zeros_and_one_của(sample: tuple[Database, int, int]) -> None:
    db, directive, unit = sample
    text = _text(db, DocumentKind.UNIT_SHEET, directive, unit)
    assert not re.search(r"\b0\b", text.split("Chi tiết như sau:")[0]), text
    assert "nghĩa vụ" not in text
    assert "Tình hình Sở Y tế thực hiện Công văn số 2116/UBND-NC" in text
    assert "Quảng Ngãi của Sở Y tế" not in text


def test_unit_sheet_type_is_one_of_phu_luc_iii(sample: tuple[Database, int, int]) -> None:
    db, directive, unit = sample
    content, _ = unit_sheet_content(
        db,
        DocumentOptions(
            kind=DocumentKind.UNIT_SHEET, as_of=JUNE, directive_id=directive, unit_id=unit
        ),
    )
    assert content.header.symbol == "PB-SNV"  # Phiếu báo (Phụ lục III), never "PTD"
    assert content.title is not None and content.title.doc_type == "Phiếu báo"


def test_reminder_asks_once_and_closes_differently(sample: tuple[Database, int, int]) -> None:
    db, directive, _ = sample
    text = _text(db, DocumentKind.REMINDER, directive)
    assert text.count("Sở Nội vụ đề nghị") == 1
    content, _ = reminder_content(
        db, DocumentOptions(kind=DocumentKind.REMINDER, as_of=JUNE, directive_id=directive)
    )
    closing = content.section("closing").text()
    assert not closing.startswith("Sở Nội vụ đề nghị")


def test_no_lone_roman_heading(sample: tuple[Database, int, int]) -> None:
    db, directive, _ = sample
    save_report_texts(db, directive, assessment="", difficulties="", proposals="")
    text = _text(db, DocumentKind.SUMMARY, directive)
    assert not re.search(r"^I\. ", text, flags=re.MULTILINE)
    save_report_texts(
        db,
        directive,
        assessment="Các đơn vị cơ bản triển khai kịp thời.",
        difficulties="",
        proposals="",
    )
    text = _text(db, DocumentKind.SUMMARY, directive)
    assert re.search(r"^I\. Kết quả theo dõi", text, flags=re.MULTILINE)
    assert re.search(r"^II\. Đánh giá chung", text, flags=re.MULTILINE)
    save_report_texts(db, directive, assessment="", difficulties="", proposals="")


def test_document_references_never_break_inside_a_title() -> None:
    styles = make_styles()
    subject = "Kết quả theo dõi việc triển khai thực hiện Công văn số 2116/UBND-NC ngày 18/04/2018"
    tied = keep_references_whole(subject)
    assert "Công\u00a0văn\u00a0số\u00a02116/UBND-NC" in tied
    assert keep_references_whole("CÔNG VĂN SỐ 5/UBND").count("\u00a0") == 3
    for width in range(150, 470, 7):
        paragraph = Paragraph(tied, styles.heading2)
        paragraph.wrap(width, 1000)
        for line in paragraph.blPara.lines:
            words = line[1] if isinstance(line, tuple) else line.words
            last = words[-1] if isinstance(words[-1], str) else words[-1].text
            assert not last.endswith("Công"), width


def test_blank_date_line_prints_the_year_of_today(
    sample: tuple[Database, int, int], tmp_path: Path
) -> None:
    db, directive, _ = sample
    path = tmp_path / "summary.pdf"
    build(
        db,
        DocumentOptions(kind=DocumentKind.SUMMARY, as_of=JUNE, directive_id=directive, today=TODAY),
        path,
    )
    first = " ".join(PdfReader(path).pages[0].extract_text().split())
    assert "năm 2026" in first and "tháng năm 2018" not in first
    assert "(tính đến ngày 25/06/2018)" in first
