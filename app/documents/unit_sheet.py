"""Phiếu theo dõi (per unit): everything one unit owes and what it sent, as seen on a day."""

from __future__ import annotations

from app.dates import as_of_caption, fmt
from app.db import Database
from app.documents.common import (
    DocumentKind,
    DocumentOptions,
    default_recipients,
    load,
    make_footer,
    make_header,
    page_settings,
)
from app.documents.content import Block, DocumentContent, Section, TableBlock, TextBlock
from app.documents.data import UnitSheetData, directive_reference, unit_sheet_data
from app.documents.layout import TitleBlock

SHEET_HEADER = (
    "STT",
    "Nhiệm vụ",
    "Kỳ báo cáo",
    "Hạn",
    "Văn bản nhận được\n(số, ký hiệu; ngày ký; ngày nhận)",
    "Tình trạng",
)
SHEET_WIDTHS_MM = (11.0, 43.0, 24.0, 24.0, 37.0, 26.0)


#: The document type and its abbreviation (Nghị định 30/2020, Phụ lục III: "Phiếu báo", PB).
SHEET_TYPE = "Phiếu báo"
SHEET_ABBREVIATION = "PB"


def sheet_subject(data: UnitSheetData) -> str:
    """ "Tình hình UBND huyện Bình Sơn thực hiện Công văn số … của UBND tỉnh … (tính đến …)":
    the unit first, so "của" is never said twice."""
    what = directive_reference(data.directive) if data.directive else "các văn bản chỉ đạo"
    return f"Tình hình {data.unit.name} thực hiện {what} ({as_of_caption(data.as_of)})"


def _count_phrase(data: UnitSheetData) -> str:
    """ "phải thực hiện 3 việc: 1 việc hoàn thành đúng hạn, 2 việc quá hạn" (no zero counts)."""
    c = data.counts
    parts = [
        (c.on_time, "đã hoàn thành đúng hạn"),
        (c.late, "đã hoàn thành nhưng quá hạn"),
        (c.overdue, "chưa thực hiện, đã quá hạn"),
        (c.due_soon, "sắp đến hạn"),
        (c.not_due, "chưa đến hạn"),
    ]
    said = [f"{n} việc {what}" for n, what in parts if n]
    text = f"phải thực hiện {c.bound} việc"
    if said:
        text += ": " + ", ".join(said)
    if c.exempt:
        text += f" (ngoài ra {c.exempt} việc không phải thực hiện)"
    return text


def sheet_rows(data: UnitSheetData) -> list[list[str]]:
    rows: list[list[str]] = []
    for n, r in enumerate(data.rows, start=1):
        task = r.task_title if data.directive else f"{r.task_title}\n(Văn bản {r.directive_symbol})"
        docs = (
            "\n".join(
                f"{doc.number_symbol}; {fmt(doc.signed_date)}; {fmt(doc.received_date)}"
                for doc in r.documents
            )
            or "—"
        )
        status = r.status.label + (f"\n({r.exempt_reason})" if r.exempt_reason else "")
        rows.append([str(n), task, r.period_label or "—", fmt(r.due_date), docs, status])
    return rows


def body_sections(data: UnitSheetData) -> list[Section]:
    as_of = fmt(data.as_of)
    if data.counts.total == 0:
        text = f"Tính đến ngày {as_of}, {data.unit.name} chưa có việc nào phải thực hiện."
    else:
        text = f"Tính đến ngày {as_of}, {data.unit.name} {_count_phrase(data)}. Chi tiết như sau:"
    opening: Block = TextBlock("paragraph", text)
    sections = [Section("opening", "Mở đầu", (opening,))]
    if data.rows:
        table = TableBlock(
            SHEET_HEADER,
            tuple(tuple(r) for r in sheet_rows(data)),
            SHEET_WIDTHS_MM,
            ("center", "left", "left", "center", "left", "left"),
        )
        sections.append(Section("table", "Bảng chi tiết", (table,)))
    sections.append(
        Section(
            "closing",
            "Kết thúc",
            (
                TextBlock(
                    "paragraph",
                    "Phiếu này lập từ số liệu theo dõi tại ngày nêu trên, dùng để đối chiếu "
                    "với đơn vị.",
                ),
            ),
        )
    )
    return sections


def unit_sheet_content(
    db: Database, options: DocumentOptions
) -> tuple[DocumentContent, UnitSheetData]:
    """The tracking sheet of ``options.unit_id`` (one directive, or all when None), as
    generated (``options.edits`` not applied)."""
    options.validate()
    assert options.unit_id is not None
    s = load(db)
    data = unit_sheet_data(db, options.unit_id, options.as_of, options.directive_id)
    settings = page_settings(s)
    header = make_header(s, options, f"{SHEET_ABBREVIATION}-{s.agency_abbreviation.strip()}")
    recipients = options.recipients
    if recipients is None:
        archive = default_recipients(DocumentKind.UNIT_SHEET, s)[-1:]
        recipients = (data.unit.name, *archive)
    footer = make_footer(s, options, recipients)
    content = DocumentContent(
        kind=DocumentKind.UNIT_SHEET.value,
        header=header,
        title=TitleBlock(SHEET_TYPE, sheet_subject(data)),
        kinh_gui=(),
        sections=tuple(body_sections(data)),
        footer=footer,
        page=settings,
    )
    return content, data
