"""The document as plain data: the rules that turn edited text into printed paragraphs, and
edits carried through to the PDF (no Qt)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader

from app.db import Database, connect
from app.documents.common import DocumentKind, DocumentOptions
from app.documents.content import (
    NOI_NHAN_KEY,
    TITLE_KEY,
    TextBlock,
    blocks_from_text,
    edits_differing,
    style_of,
)
from app.documents.generate import build
from app.documents.reminder_letter import reminder_content
from app.documents.summary_report import summary_content
from app.services.directives import list_directives
from app.services.sample import load_sample

DAY = dt.date(2018, 5, 2)


@pytest.mark.parametrize(
    ("line", "style"),
    [
        ("I. KẾT QUẢ THEO DÕI", "heading1"),
        ("IV. Đề xuất, kiến nghị", "heading1"),
        ("1. Xây dựng kế hoạch phối hợp", "heading2"),
        ("2.1. Kỳ 6 tháng đầu năm", "heading2"),
        ("1. Kế hoạch phối hợp (hạn ngày 30/04/2018): UBND huyện Ba Tơ.", "paragraph"),
        ("a) Kỳ 6 tháng đầu năm 2018", "heading3"),
        ("a) đã nhận 3/14 kế hoạch;", "paragraph"),
        ("- UBND cấp huyện: 3/14 đơn vị đã gửi;", "item"),
        ("Tính đến ngày 02/05/2018, đã nhận 3/14 kế hoạch.", "paragraph"),
        ("Image 1. something", "paragraph"),
    ],
)
def test_a_line_prints_in_the_style_its_shape_says(line: str, style: str) -> None:
    assert style_of(line) == style


def test_edited_text_becomes_one_paragraph_a_line_spaces_collapsed() -> None:
    blocks = blocks_from_text("  Đoạn   một.\n\n\nII. ĐÁNH GIÁ\n- ý a;\n")
    assert blocks == (
        TextBlock("paragraph", "Đoạn một."),
        TextBlock("heading1", "II. ĐÁNH GIÁ"),
        TextBlock("item", "- ý a;"),
    )


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    database = connect(str(tmp_path_factory.mktemp("content") / "s.db"))
    load_sample(database)
    yield database
    database.dispose()


def test_every_field_of_a_generated_document_reads_back_unchanged(db: Database) -> None:
    directive = list_directives(db)[0].id
    content, _ = summary_content(db, DocumentOptions(DocumentKind.SUMMARY, DAY, directive))
    fields = content.fields()
    keys = [f.key for f in fields]
    assert keys[0] == TITLE_KEY and keys[-1] == NOI_NHAN_KEY and "opening" in keys
    # Putting back what was generated changes nothing.
    assert content.edited({f.key: f.text for f in fields}) == content
    assert edits_differing(content, {f.key: f.text for f in fields}) == {}


def test_edits_reach_the_pdf_and_unknown_keys_are_dropped(db: Database, tmp_path: Path) -> None:
    directive = list_directives(db)[0].id
    edits = (
        ("opening", "Đoạn mở đầu do chuyên viên viết lại."),
        ("kinh_gui", "Ủy ban nhân dân huyện Ba Tơ"),
        ("no_such_section", "Không được in ra."),
    )
    options = DocumentOptions(DocumentKind.REMINDER, DAY, directive, edits=edits)
    content, _ = reminder_content(db, options)
    assert edits_differing(content, options.edit_map) == {
        "opening": edits[0][1],
        "kinh_gui": edits[1][1],
    }
    path = tmp_path / "r.pdf"
    build(db, options, path)
    text = " ".join("\n".join(p.extract_text() for p in PdfReader(path).pages).split())
    assert "Đoạn mở đầu do chuyên viên viết lại." in text
    assert "Ủy ban nhân dân huyện Ba Tơ" in text
    assert "Không được in ra" not in text
