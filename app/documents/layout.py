"""The Nghị định 30/2020/NĐ-CP administrative frame as reusable ReportLab (platypus) pieces.

Inputs are frozen dataclasses; every size, style and position follows
``docs/document-format.md`` (Phụ lục I of the decree). A document module (summary report,
reminder letter, unit sheet) builds its body flowables with the helpers here and calls
:func:`build_document`.

Coordinates: ReportLab points (1 pt = 1/72 in); settings are given in millimetres.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Literal
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm, mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from app.documents import fonts
from app.kinds import AUTHORITY_CODES

__all__ = [
    "QUOC_HIEU",
    "TIEU_NGU",
    "Appendix",
    "DocumentHeader",
    "DocumentStyles",
    "Footer",
    "HRule",
    "PageSettings",
    "TitleBlock",
    "appendix_reference",
    "appendix_table",
    "body_paragraph",
    "body_paragraphs",
    "build_document",
    "date_line",
    "fits_portrait",
    "format_number",
    "heading",
    "keep_references_whole",
    "kinh_gui_block",
    "kinh_gui_lines",
    "make_styles",
    "noi_nhan_lines",
    "number_line",
    "render_footer",
    "render_header",
    "render_title_block",
    "with_closing_mark",
]

QUOC_HIEU = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
TIEU_NGU = "Độc lập - Tự do - Hạnh phúc"
NBSP = "\u00a0"
#: Room left for a number or a day/month the clerk writes by hand (non-breaking, never collapsed).
BLANK_NUMBER = NBSP * 10
BLANK_DAY = NBSP * 6
RULE_WIDTH = 0.5  # pt, stroke width of the solid rules
AGENCY_RULE_RATIO = 0.45  # rule under the issuing agency / subject: 1/3–1/2 of the text
AUTHORITY_PREFIXES = tuple(code for code in AUTHORITY_CODES if code)
PAGE_WIDTH, PAGE_HEIGHT = A4

# --------------------------------------------------------------------------------------------
# Settings
# --------------------------------------------------------------------------------------------


def _check_range(value: float, low: float, high: float, label: str, unit: str = "pt") -> None:
    if not low <= value <= high:
        raise ValueError(
            f"{label} phải trong khoảng {low:g}–{high:g} {unit} theo Nghị định 30/2020/NĐ-CP "
            f"(đang là {value:g} {unit})."
        )


@dataclass(frozen=True, slots=True)
class PageSettings:
    """A4 page, margins (mm) and font sizes (pt); defaults are the decree's bracketed examples.

    Every value is validated against the decree's range; a value outside raises ``ValueError``
    with a Vietnamese message.
    """

    margin_top_mm: float = 20
    margin_bottom_mm: float = 20
    margin_left_mm: float = 30
    margin_right_mm: float = 15
    agency_size: float = 12  # ô 2: parent and issuing agency, 12–13
    quoc_hieu_size: float = 12  # ô 1: 12–13
    tieu_ngu_size: float = 13  # ô 1: 13–14
    number_size: float = 13  # ô 3: 13
    date_size: float = 13  # ô 4: 13–14
    letter_subject_size: float = 12  # ô 5b: 12–13
    title_size: float = 14  # ô 5a: type and subject, 13–14
    body_size: float = 14  # ô 6 and Kính gửi, 13–14
    signature_size: float = 14  # ô 7a/7b: authority, title, signer, 13–14
    noi_nhan_label_size: float = 12  # ô 9b "Nơi nhận:", 12
    noi_nhan_size: float = 11  # ô 9b recipients, 11
    page_number_size: float = 13  # 13–14
    table_size: float = 12  # appendix tables, 12–13
    first_line_indent_cm: float = 1.27  # 1 or 1.27
    line_spacing: float = 1.25  # leading = size × this; single (1.0) to 1.5
    paragraph_space_pt: float = 6  # ≥ 6 pt between paragraphs
    signature_space_mm: float = 28  # room for signature and seal (ô 8), 25–30 mm

    def __post_init__(self) -> None:
        _check_range(self.margin_top_mm, 20, 25, "Lề trên", "mm")
        _check_range(self.margin_bottom_mm, 20, 25, "Lề dưới", "mm")
        _check_range(self.margin_left_mm, 30, 35, "Lề trái", "mm")
        _check_range(self.margin_right_mm, 15, 20, "Lề phải", "mm")
        _check_range(self.agency_size, 12, 13, "Cỡ chữ tên cơ quan")
        _check_range(self.quoc_hieu_size, 12, 13, "Cỡ chữ Quốc hiệu")
        _check_range(self.tieu_ngu_size, 13, 14, "Cỡ chữ Tiêu ngữ")
        _check_range(self.number_size, 13, 13, "Cỡ chữ số, ký hiệu")
        _check_range(self.date_size, 13, 14, "Cỡ chữ địa danh, ngày tháng")
        _check_range(self.letter_subject_size, 12, 13, "Cỡ chữ trích yếu công văn")
        _check_range(self.title_size, 13, 14, "Cỡ chữ tên loại, trích yếu")
        _check_range(self.body_size, 13, 14, "Cỡ chữ nội dung")
        _check_range(self.signature_size, 13, 14, "Cỡ chữ chức vụ, họ tên người ký")
        _check_range(self.noi_nhan_label_size, 12, 12, "Cỡ chữ “Nơi nhận”")
        _check_range(self.noi_nhan_size, 11, 11, "Cỡ chữ danh sách nơi nhận")
        _check_range(self.page_number_size, 13, 14, "Cỡ chữ số trang")
        _check_range(self.table_size, 12, 13, "Cỡ chữ bảng phụ lục")
        if self.first_line_indent_cm not in (1.0, 1.27):
            raise ValueError("Lùi đầu dòng phải là 1 cm hoặc 1,27 cm theo Nghị định 30/2020/NĐ-CP.")
        _check_range(self.line_spacing, 1.0, 1.5, "Khoảng cách dòng", "lần")
        if self.paragraph_space_pt < 6:
            raise ValueError("Khoảng cách giữa các đoạn văn phải tối thiểu 6 pt.")
        _check_range(self.signature_space_mm, 25, 30, "Khoảng trống để ký, đóng dấu", "mm")

    # Derived geometry (points)
    @property
    def margins(self) -> tuple[float, float, float, float]:
        """(top, bottom, left, right) in points for a portrait page."""
        return (
            self.margin_top_mm * mm,
            self.margin_bottom_mm * mm,
            self.margin_left_mm * mm,
            self.margin_right_mm * mm,
        )

    @property
    def landscape_margins(self) -> tuple[float, float, float, float]:
        """(top, bottom, left, right) for a landscape page: its top is the portrait binding edge
        (top = left margin); its bottom keeps the decree's bottom margin (20–25 mm: the narrower
        right margin there let tables run into it); left = bottom, right = top."""
        return (
            self.margin_left_mm * mm,
            max(self.margin_bottom_mm, self.margin_right_mm) * mm,
            self.margin_bottom_mm * mm,
            self.margin_top_mm * mm,
        )

    @property
    def text_width(self) -> float:
        return PAGE_WIDTH - (self.margin_left_mm + self.margin_right_mm) * mm

    @property
    def landscape_text_width(self) -> float:
        return PAGE_HEIGHT - (self.margin_top_mm + self.margin_bottom_mm) * mm


# --------------------------------------------------------------------------------------------
# Styles and text helpers
# --------------------------------------------------------------------------------------------


def _text(value: str) -> str:
    """NFC-normalise and escape for Paragraph mini-markup; explicit newlines become breaks."""
    value = unicodedata.normalize("NFC", value)
    return "<br/>".join(escape(part) for part in value.split("\n"))


#: Document types as written in running text (Nghị định 30/2020, Phụ lục III).
_DOC_TYPE_WORDS = (
    "Công văn",
    "Nghị quyết",
    "Quyết định",
    "Chỉ thị",
    "Quy chế",
    "Quy định",
    "Thông báo",
    "Hướng dẫn",
    "Chương trình",
    "Kế hoạch",
    "Phương án",
    "Đề án",
    "Báo cáo",
    "Tờ trình",
    "Công điện",
    "Kết luận",
)
_REFERENCE = re.compile(r"\b(" + "|".join(_DOC_TYPE_WORDS) + r") số (\S+)", re.IGNORECASE)


def keep_references_whole(text: str) -> str:
    """ "Công văn số 2116/UBND-NC" tied with non-breaking spaces, so a title never breaks
    between "Công" and "văn" or before the number."""
    return _REFERENCE.sub(
        lambda m: m.group(0).replace(" ", NBSP), unicodedata.normalize("NFC", text)
    )


def _upper(value: str) -> str:
    return unicodedata.normalize("NFC", value).upper()


@dataclass(frozen=True, slots=True)
class DocumentStyles:
    """Paragraph styles for one :class:`PageSettings`."""

    settings: PageSettings
    body: ParagraphStyle
    heading1: ParagraphStyle
    heading2: ParagraphStyle
    heading3: ParagraphStyle
    body_flush: ParagraphStyle  # justified, no first-line indent (lists "- …")
    table: ParagraphStyle
    table_header: ParagraphStyle
    table_right: ParagraphStyle
    table_center: ParagraphStyle


def _style(
    name: str,
    size: float,
    *,
    bold: bool = False,
    italic: bool = False,
    align: int = TA_CENTER,
    leading: float | None = None,
    **kwargs: Any,
) -> ParagraphStyle:
    fonts.register_fonts()
    if bold and italic:
        font = fonts.BOLD_ITALIC
    elif bold:
        font = fonts.BOLD
    elif italic:
        font = fonts.ITALIC
    else:
        font = fonts.REGULAR
    return ParagraphStyle(
        name,
        fontName=font,
        fontSize=size,
        leading=leading if leading is not None else size * 1.2,
        alignment=align,
        textColor=colors.black,
        **kwargs,
    )


def make_styles(settings: PageSettings | None = None) -> DocumentStyles:
    """Body, heading and table styles (Times-metric serif, black)."""
    s = settings or PageSettings()
    size = s.body_size
    leading = size * s.line_spacing
    indent = s.first_line_indent_cm * cm
    common: dict[str, Any] = {"leading": leading, "spaceAfter": s.paragraph_space_pt}
    table_leading = s.table_size * 1.15
    return DocumentStyles(
        settings=s,
        body=_style("Body", size, align=TA_JUSTIFY, firstLineIndent=indent, **common),
        heading1=_style(
            "Heading1", size, bold=True, align=TA_JUSTIFY, firstLineIndent=indent, **common
        ),
        heading2=_style(
            "Heading2", size, bold=True, align=TA_JUSTIFY, firstLineIndent=indent, **common
        ),
        heading3=_style("Heading3", size, align=TA_JUSTIFY, firstLineIndent=indent, **common),
        body_flush=_style("BodyFlush", size, align=TA_JUSTIFY, **common),
        table=_style("Table", s.table_size, align=TA_LEFT, leading=table_leading),
        table_header=_style("TableHeader", s.table_size, bold=True, leading=table_leading),
        table_right=_style("TableRight", s.table_size, align=TA_RIGHT, leading=table_leading),
        table_center=_style("TableCenter", s.table_size, leading=table_leading),
    )


def with_closing_mark(text: str) -> str:
    """End the last body paragraph with "./." (the decree's closing mark)."""
    stripped = text.rstrip()
    if stripped.endswith("./."):
        return stripped
    return stripped.rstrip(".;,: ") + "./."


def body_paragraph(
    text: str, styles: DocumentStyles, *, closing: bool = False, indent: bool = True
) -> Paragraph:
    """One body paragraph (14 pt justified, first-line indent). ``closing`` appends "./."."""
    if closing:
        text = with_closing_mark(text)
    return Paragraph(_text(text), styles.body if indent else styles.body_flush)


def body_paragraphs(texts: Sequence[str], styles: DocumentStyles) -> list[Paragraph]:
    """Body paragraphs; the last one ends with "./."."""
    last = len(texts) - 1
    return [body_paragraph(t, styles, closing=i == last) for i, t in enumerate(texts)]


def heading(text: str, level: Literal[1, 2, 3], styles: DocumentStyles) -> Paragraph:
    """Section heading: level 1 "I. …" UPPER bold; level 2 "1. …" bold; level 3 "a) …" upright.

    The numbering is part of ``text`` (callers number their own sections).
    """
    if level == 1:
        return Paragraph(_text(_upper(text)), styles.heading1)
    if level == 2:
        return Paragraph(_text(text), styles.heading2)
    return Paragraph(_text(text), styles.heading3)


class HRule(Flowable):
    """A solid horizontal rule of a fixed length, centred in the available width."""

    def __init__(
        self,
        length: float,
        *,
        thickness: float = RULE_WIDTH,
        gap_before: float = 1.5,
        gap_after: float = 1.5,
    ) -> None:
        super().__init__()
        self.length = length
        self.thickness = thickness
        self.gap_before = gap_before
        self.gap_after = gap_after
        self._avail = length

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self._avail = availWidth
        return availWidth, self.gap_before + self.thickness + self.gap_after

    def draw(self) -> None:
        canv: Canvas = self.canv
        x0 = (self._avail - self.length) / 2
        y = self.gap_after + self.thickness / 2
        canv.saveState()
        canv.setStrokeColor(colors.black)
        canv.setLineWidth(self.thickness)
        canv.setLineCap(0)  # butt: the rule is exactly `length` long
        canv.line(x0, y, x0 + self.length, y)
        canv.restoreState()


def _widest_line(text: str, font: str, size: float, width: float) -> float:
    lines: list[str] = []
    for part in unicodedata.normalize("NFC", text).split("\n"):
        lines.extend(simpleSplit(part, font, size, width))
    return max((stringWidth(line, font, size) for line in lines), default=0.0)


def _balanced_width(text: str, font: str, size: float, max_width: float) -> float:
    """The narrowest width that keeps ``text`` on as many lines as ``max_width`` gives, so a
    wrapped centred title has even lines instead of a short orphan."""
    text = unicodedata.normalize("NFC", text)
    lines = len(simpleSplit(text, font, size, max_width))
    if lines <= 1:
        return max_width
    lo, hi = max_width / lines, max_width
    for _ in range(16):
        mid = (lo + hi) / 2
        if len(simpleSplit(text, font, size, mid)) <= lines:
            hi = mid
        else:
            lo = mid
    return min(max_width, hi + 1)


def _baseline_pad(big: float, small: float) -> Spacer:
    """Spacer that puts a ``small``-pt first line on the same baseline as a ``big``-pt one
    (ReportLab places a paragraph's first baseline ``fontSize`` below its top)."""
    return Spacer(1, max(0.0, big - small))


# A Table sets its cells' font even when they hold flowables; without this every table would
# reference an unembedded Helvetica.
_CELL_FONT: tuple[tuple[Any, ...], ...] = (("FONTNAME", (0, 0), (-1, -1), fonts.REGULAR),)

# --------------------------------------------------------------------------------------------
# Header (ô 1–5b)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DocumentHeader:
    """The two-column header. Texts may contain "\\n" to force a line break.

    ``number`` None prints a blank for the clerk; ``date`` None prints "ngày … tháng … năm <year>"
    with blanks, so ``year`` is then required.
    """

    agency: str  # issuing agency, e.g. "SỞ NỘI VỤ" (printed UPPER)
    symbol: str  # e.g. "BC-SNV" or "SNV-VP"
    place: str  # e.g. "Quảng Ngãi"
    parent_agency: str = ""  # e.g. "UBND TỈNH QUẢNG NGÃI"; may be empty
    number: str | None = None
    date: dt.date | None = None
    year: int | None = None
    letter_subject: str | None = None  # công văn only: "V/v …"

    def __post_init__(self) -> None:
        if not self.agency.strip():
            raise ValueError("Chưa có tên cơ quan ban hành văn bản.")
        if not self.symbol.strip():
            raise ValueError("Chưa có ký hiệu văn bản.")
        if self.date is None and self.year is None:
            raise ValueError("Văn bản chưa có ngày ban hành thì phải ghi năm ban hành.")


def format_number(number: str | None) -> str:
    """The document number: blank (non-breaking spaces) when None; below 10 gets a leading 0."""
    if number is None or not number.strip():
        return BLANK_NUMBER
    value = number.strip()
    if value.isdigit() and int(value) < 10:
        return f"{int(value):02d}"
    return value


def number_line(header: DocumentHeader) -> str:
    """ "Số: 15/BC-SNV" or "Số:" + blank + "/BC-SNV" (plain text)."""
    return f"Số:{NBSP}{format_number(header.number)}/{header.symbol.strip().upper()}"


def date_line(place: str, date: dt.date | None, year: int | None = None) -> str:
    """ "Quảng Ngãi, ngày 05 tháng 01 năm 2026"; blank day and month when ``date`` is None.

    Days below 10 and months 1–2 take a leading zero (Điều 15 / Phụ lục I).
    """
    if date is None:
        if year is None:
            raise ValueError("Văn bản chưa có ngày ban hành thì phải ghi năm ban hành.")
        return f"{place}, ngày{BLANK_DAY}tháng{BLANK_DAY}năm {year}"
    day = f"{date.day:02d}"
    month = f"{date.month:02d}" if date.month <= 2 else str(date.month)
    return f"{place}, ngày {day} tháng {month} năm {date.year}"


def _header_columns(settings: PageSettings) -> tuple[float, float]:
    left = settings.text_width * 0.4
    return left, settings.text_width - left


def render_header(header: DocumentHeader, settings: PageSettings) -> Table:
    """The header table: left ô 2, ô 3 (and ô 5b); right ô 1, ô 4; ô 3 and ô 4 share a baseline."""
    s = settings
    left_w, right_w = _header_columns(s)
    pad = 2.0
    inner_left = left_w - 2 * pad

    parent = _style("Parent", s.agency_size)
    agency = _style("Agency", s.agency_size, bold=True)
    quoc_hieu = _style("QuocHieu", s.quoc_hieu_size, bold=True)
    tieu_ngu = _style("TieuNgu", s.tieu_ngu_size, bold=True)
    number = _style("Number", s.number_size)
    date_style = _style("Date", s.date_size, italic=True)
    subject = _style("LetterSubject", s.letter_subject_size)

    agency_text = _upper(header.agency)
    agency_rule = AGENCY_RULE_RATIO * _widest_line(
        agency_text, fonts.BOLD, s.agency_size, inner_left
    )
    tn_rule = stringWidth(TIEU_NGU, fonts.BOLD, s.tieu_ngu_size)

    left_top: list[Flowable] = []
    right_top: list[Flowable] = []
    # Left block: (parent 12) + agency 12; right block: Quốc hiệu 12 + Tiêu ngữ 13.
    if header.parent_agency.strip():
        left_top.append(Paragraph(_text(_upper(header.parent_agency)), parent))
    left_top += [Paragraph(_text(agency_text), agency), HRule(agency_rule, gap_before=3)]
    right_top += [
        Paragraph(QUOC_HIEU, quoc_hieu),
        Paragraph(_text(TIEU_NGU), tieu_ngu),
        HRule(tn_rule, gap_before=3),
    ]

    big = max(s.number_size, s.date_size)
    left_row: list[Flowable] = [
        _baseline_pad(big, s.number_size),
        Paragraph(_text(number_line(header)), number),
    ]
    if header.letter_subject:
        left_row += [Spacer(1, 2), Paragraph(_text(header.letter_subject.strip()), subject)]
    right_row: list[Flowable] = [
        _baseline_pad(big, s.date_size),
        Paragraph(_text(date_line(header.place, header.date, header.year)), date_style),
    ]

    table = Table(
        [[left_top, right_top], [left_row, right_row]],
        colWidths=[left_w, right_w],
        hAlign="CENTER",
    )
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                *_CELL_FONT,
                ("LEFTPADDING", (0, 0), (-1, -1), pad),
                ("RIGHTPADDING", (0, 0), (-1, -1), pad),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 1), (-1, 1), 6),
            ]
        )
    )
    return table


# --------------------------------------------------------------------------------------------
# Title block (ô 5a) and Kính gửi (ô 9a)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TitleBlock:
    """Document type (e.g. "Báo cáo", printed UPPER) and its subject (trích yếu)."""

    doc_type: str
    subject: str = ""


def render_title_block(title: TitleBlock, settings: PageSettings) -> list[Flowable]:
    """Type UPPER bold centred; subject bold centred, wrapped; short rule (1/3–1/2) below."""
    s = settings
    type_style = _style("DocType", s.title_size, bold=True, leading=s.title_size * 1.2)
    subject_style = _style("Subject", s.title_size, bold=True, leading=s.title_size * 1.2)
    out: list[Flowable] = [Spacer(1, 14), Paragraph(_text(_upper(title.doc_type)), type_style)]
    rule_base = stringWidth(_upper(title.doc_type), fonts.BOLD, s.title_size)
    if title.subject.strip():
        # Keep the subject narrower than the page so long subjects wrap into a balanced block.
        width = _balanced_width(
            title.subject.strip(), fonts.BOLD, s.title_size, s.text_width * 0.85
        )
        subject = Paragraph(_text(keep_references_whole(title.subject.strip())), subject_style)
        out.append(_Indented(subject, (s.text_width - width) / 2))
        rule_base = _widest_line(title.subject.strip(), fonts.BOLD, s.title_size, width)
    out += [HRule(AGENCY_RULE_RATIO * rule_base, gap_before=3), Spacer(1, 10)]
    return out


class _Indented(Flowable):
    """Wraps a flowable with equal left/right indents."""

    def __init__(self, inner: Flowable, indent: float) -> None:
        super().__init__()
        self.inner = inner
        self.indent = indent

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        _, h = self.inner.wrap(availWidth - 2 * self.indent, availHeight)
        self.width, self.height = availWidth, h
        return availWidth, h

    def draw(self) -> None:
        self.inner.drawOn(self.canv, self.indent, 0)


def _normalise_item(item: str) -> str:
    text = unicodedata.normalize("NFC", item).strip()
    text = text.lstrip("-–•").strip()
    return text.rstrip(";.,").rstrip()


def kinh_gui_lines(recipients: Sequence[str]) -> list[str]:
    """One recipient: itself ending "."; several: "- …;" each, the last ending "."."""
    items = [_normalise_item(r) for r in recipients if _normalise_item(r)]
    if not items:
        raise ValueError("Chưa có nơi nhận trong phần “Kính gửi”.")
    if len(items) == 1:
        return [items[0] + "."]
    return [f"- {x};" for x in items[:-1]] + [f"- {items[-1]}."]


def kinh_gui_block(recipients: Sequence[str], settings: PageSettings) -> Flowable:
    """ "Kính gửi: X." on one line, or "Kính gửi:" with one recipient per line beside it."""
    s = settings
    lines = kinh_gui_lines(recipients)
    label = "Kính gửi:"
    style = _style("KinhGui", s.body_size, align=TA_LEFT, leading=s.body_size * s.line_spacing)
    label_w = stringWidth(label + NBSP, fonts.REGULAR, s.body_size) + 2
    # The block sits in the middle of the page, as in Mẫu 1.5: its left edge at ~1/5 of the width.
    indent = s.text_width * 0.18
    list_w = s.text_width - indent - label_w
    if len(lines) == 1:
        one = Paragraph(
            f"{label} {_text(lines[0])}",
            _style("KinhGui1", s.body_size, leading=s.body_size * s.line_spacing),
        )
        return KeepTogether([one, Spacer(1, s.paragraph_space_pt + 4)])
    cells = [Paragraph(_text(line), style) for line in lines]
    table = Table(
        [[Paragraph(label, style), cells]],
        colWidths=[label_w, list_w],
        hAlign="LEFT",
    )
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                *_CELL_FONT,
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return KeepTogether([_LeftIndented(table, indent), Spacer(1, s.paragraph_space_pt + 4)])


class _LeftIndented(Flowable):
    def __init__(self, inner: Flowable, indent: float) -> None:
        super().__init__()
        self.inner = inner
        self.indent = indent

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        _, h = self.inner.wrap(availWidth - self.indent, availHeight)
        self.width, self.height = availWidth, h
        return availWidth, h

    def draw(self) -> None:
        self.inner.drawOn(self.canv, self.indent, 0)


# --------------------------------------------------------------------------------------------
# Footer (ô 7, 8, 9b)
# --------------------------------------------------------------------------------------------


def noi_nhan_lines(recipients: Sequence[str], archive: str = "") -> list[str]:
    """ "- …;" for each recipient and a last "- Lưu: VT, <archive>." line.

    A recipient already written as "Lưu: …" is taken as the archive line (kept last).
    """
    items: list[str] = []
    luu: str | None = None
    for raw in recipients:
        text = _normalise_item(raw)
        if not text:
            continue
        if text.lower().startswith("lưu"):
            luu = text
        else:
            items.append(text)
    if luu is None:
        units = archive.strip().strip(",.;")
        luu = f"Lưu: VT, {units}" if units else "Lưu: VT"
    return [f"- {x};" for x in items] + [f"- {luu}."]


@dataclass(frozen=True, slots=True)
class Footer:
    """Signature block and Nơi nhận.

    ``authority`` lines are printed UPPER bold, e.g. ("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"),
    ("GIÁM ĐỐC",) or ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"). ``recipients`` are normalised by
    :func:`noi_nhan_lines` with ``archive`` (e.g. "VP" → "- Lưu: VT, VP.").
    """

    authority: tuple[str, ...]
    signer_name: str
    recipients: tuple[str, ...] = ()
    archive: str = ""

    def __post_init__(self) -> None:
        if not self.authority or not any(a.strip() for a in self.authority):
            raise ValueError("Chưa có thẩm quyền, chức vụ của người ký.")
        first = self.authority[0].strip().upper()
        prefix = first.split(" ", 1)[0]
        if prefix.endswith(".") and prefix not in AUTHORITY_PREFIXES:
            raise ValueError(
                f"Tiền tố thẩm quyền ký phải là TM., KT., TL., TUQ. hoặc Q. (đang là “{prefix}”)."
            )
        if not self.signer_name.strip():
            raise ValueError("Chưa có họ tên người ký.")


def render_footer(footer: Footer, settings: PageSettings) -> Flowable:
    """Footer table (40 % / 60 %): Nơi nhận left, authority/space/name right; kept together."""
    return KeepTogether(_footer_flowables(footer, settings))


def _footer_flowables(footer: Footer, settings: PageSettings) -> list[Flowable]:
    s = settings
    left_w, right_w = _header_columns(s)
    label = _style("NoiNhan", s.noi_nhan_label_size, bold=True, italic=True, align=TA_LEFT)
    item = _style("NoiNhanItem", s.noi_nhan_size, align=TA_LEFT, leading=s.noi_nhan_size * 1.15)
    auth = _style("Authority", s.signature_size, bold=True, leading=s.signature_size * 1.2)
    name = _style("Signer", s.signature_size, bold=True, leading=s.signature_size * 1.2)

    left: list[Flowable] = [
        _baseline_pad(s.signature_size, s.noi_nhan_label_size),
        Paragraph("Nơi nhận:", label),
    ]
    left += [
        Paragraph(_text(line), item) for line in noi_nhan_lines(footer.recipients, footer.archive)
    ]
    right: list[Flowable] = [
        Paragraph(_text(_upper(a.strip())), auth) for a in footer.authority if a.strip()
    ]
    right += [
        Spacer(1, s.signature_space_mm * mm),
        Paragraph(_text(footer.signer_name.strip()), name),
    ]
    table = Table([[left, right]], colWidths=[left_w, right_w], hAlign="CENTER")
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                *_CELL_FONT,
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return [Spacer(1, 6), table]


# --------------------------------------------------------------------------------------------
# Appendix (Mẫu 2.1)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Appendix:
    """An appendix on its own pages (own page numbering; first page unnumbered).

    ``label``: "Phụ lục" or "Phụ lục I" …; ``title`` printed UPPER; ``reference``: the italic line
    "(Kèm theo Báo cáo số …)" — see :func:`appendix_reference`; ``body``: flowables, typically one
    :func:`appendix_table`. ``landscape``: A4 landscape (see :func:`fits_portrait`).
    """

    label: str
    title: str
    reference: str
    body: tuple[Flowable, ...]
    landscape: bool = False


def appendix_reference(doc_type: str, header: DocumentHeader, issuer: str) -> str:
    """ "(Kèm theo Báo cáo số      /BC-SNV ngày      tháng      năm 2026 của Sở Nội vụ)".

    ``doc_type`` in sentence case ("Báo cáo"); ``issuer`` as written in running text ("Sở Nội vụ").
    """
    number = f"{format_number(header.number)}/{header.symbol.strip().upper()}"
    date = date_line("", header.date, header.year).removeprefix(", ")
    return f"(Kèm theo {doc_type} số {number} {date} của {issuer})"


def fits_portrait(col_widths_mm: Sequence[float], settings: PageSettings) -> bool:
    """True when a table with these column widths fits a portrait text width."""
    return sum(col_widths_mm) * mm <= settings.text_width + 0.01


def appendix_table(
    header: Sequence[str],
    rows: Sequence[Sequence[str | int | float | None]],
    col_widths_mm: Sequence[float],
    styles: DocumentStyles,
    *,
    align: Sequence[Literal["left", "center", "right"]] | None = None,
) -> Table:
    """A 12 pt grid table whose header row repeats on every page (``repeatRows=1``).

    Cells wrap; ``align`` per column (default: left). Column widths in millimetres.
    """
    if len(col_widths_mm) != len(header):
        raise ValueError("Số cột của bảng không khớp với số độ rộng cột.")
    aligns = list(align) if align else ["left"] * len(header)
    by_align = {"left": styles.table, "center": styles.table_center, "right": styles.table_right}
    data: list[list[Any]] = [[Paragraph(_text(h), styles.table_header) for h in header]]
    for row in rows:
        if len(row) != len(header):
            raise ValueError("Một dòng của bảng có số ô không khớp với số cột.")
        data.append(
            [
                Paragraph(_text("" if v is None else str(v)), by_align[aligns[i]])
                for i, v in enumerate(row)
            ]
        )
    table = Table(data, colWidths=[w * mm for w in col_widths_mm], repeatRows=1, hAlign="CENTER")
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                *_CELL_FONT,
                ("VALIGN", (0, 0), (-1, 0), "MIDDLE"),
                ("VALIGN", (0, 1), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table


def _appendix_heading(appendix: Appendix, settings: PageSettings) -> list[Flowable]:
    s = settings
    label = _style("AppendixLabel", 14, bold=True)
    title = _style("AppendixTitle", s.title_size, bold=True)
    ref = _style("AppendixRef", s.title_size, italic=True)
    ref_width = min(
        stringWidth(unicodedata.normalize("NFC", appendix.reference), fonts.ITALIC, s.title_size),
        s.text_width,
    )
    title_text = _upper(appendix.title)
    width = _balanced_width(title_text, fonts.BOLD, s.title_size, s.text_width)
    return [
        Paragraph(_text(appendix.label), label),
        _Indented(
            Paragraph(_text(keep_references_whole(title_text)), title), (s.text_width - width) / 2
        ),
        Paragraph(_text(appendix.reference), ref),
        HRule(AGENCY_RULE_RATIO * ref_width, gap_before=3),
        Spacer(1, 10),
    ]


# --------------------------------------------------------------------------------------------
# Document template and builder
# --------------------------------------------------------------------------------------------


class _RestartNumbering(Flowable):
    """Zero-size marker: the page it lands on is page 1 of a new section (an appendix)."""

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        doc = getattr(self.canv, "_doctemplate", None)
        if isinstance(doc, _AdminDocTemplate):
            doc.section_start = doc.page


class _AdminDocTemplate(BaseDocTemplate):
    def __init__(self, target: Any, settings: PageSettings, **kwargs: Any) -> None:
        self.settings = settings
        self.section_start = 1
        # The canvas' initial font would otherwise be an unembedded Helvetica reference.
        super().__init__(
            target,
            pagesize=A4,
            initialFontName=fonts.REGULAR,
            initialFontSize=settings.body_size,
            **kwargs,
        )
        top, bottom, left, right = settings.margins
        ltop, lbottom, lleft, lright = settings.landscape_margins
        lw, lh = landscape(A4)

        def frame(frame_id: str, x: float, y: float, width: float, height: float) -> Frame:
            """The text area of a page: the margins alone bound it (no padding of its own)."""
            return Frame(
                x,
                y,
                width,
                height,
                id=frame_id,
                leftPadding=0,
                rightPadding=0,
                topPadding=0,
                bottomPadding=0,
            )

        body = (left, bottom, PAGE_WIDTH - left - right, PAGE_HEIGHT - top - bottom)
        portrait = frame("portrait", *body)
        appendix_portrait = frame("appendix-portrait", *body)
        wide = frame("landscape", lleft, lbottom, lw - lleft - lright, lh - ltop - lbottom)
        self.addPageTemplates(
            [
                PageTemplate("main", [portrait], onPageEnd=self._number_page, pagesize=A4),
                PageTemplate(
                    "appendix", [appendix_portrait], onPageEnd=self._number_page, pagesize=A4
                ),
                PageTemplate(
                    "appendix-landscape",
                    [wide],
                    onPageEnd=self._number_page,
                    pagesize=landscape(A4),
                ),
            ]
        )

    def _number_page(self, canv: Canvas, doc: BaseDocTemplate) -> None:
        number = self.page - self.section_start + 1
        if number <= 1:
            return
        width, height = canv._pagesize
        is_landscape = width > height
        m = self.settings.landscape_margins if is_landscape else self.settings.margins
        top, _, left, right = m
        size = self.settings.page_number_size
        canv.saveState()
        canv.setFont(fonts.REGULAR, size)
        canv.setFillColor(colors.black)
        # Centred over the text block (as a word processor's centred header does), the digits
        # sitting in the middle of the top margin.
        x = left + (width - left - right) / 2
        canv.drawCentredString(x, height - top / 2 - size * 0.35, str(number))
        canv.restoreState()


def _appendix_flowables(appendix: Appendix, settings: PageSettings) -> list[Flowable]:
    template = "appendix-landscape" if appendix.landscape else "appendix"
    return [
        NextPageTemplate(template),
        PageBreak(),
        _RestartNumbering(),
        *_appendix_heading(appendix, settings),
        *appendix.body,
    ]


def build_document(
    target: str | os.PathLike[str] | IO[bytes],
    header: DocumentHeader,
    title: TitleBlock | None,
    kinh_gui: Sequence[str] | None,
    body: Sequence[Flowable],
    footer: Footer,
    appendices: Sequence[Appendix] = (),
    settings: PageSettings | None = None,
    *,
    pdf_title: str | None = None,
) -> None:
    """Write the whole document (header, title, Kính gửi, body, footer, appendices) as PDF.

    ``target``: a path (written to a temporary file in the same folder, then ``os.replace``d, so a
    half-written PDF never appears) or a binary file object. Fonts are embedded as subsets.
    """
    settings = settings or PageSettings()
    fonts.register_fonts()
    if pdf_title is None:
        if title is not None:
            pdf_title = " ".join(x for x in (_upper(title.doc_type), title.subject.strip()) if x)
        else:
            pdf_title = (header.letter_subject or "Công văn").strip()
    story: list[Flowable] = [render_header(header, settings)]
    if title is not None:
        story += render_title_block(title, settings)
    else:
        story.append(Spacer(1, 18))
    if kinh_gui:
        story.append(kinh_gui_block(kinh_gui, settings))
    # The signature never stands alone on a page: it keeps the last body flowable with it.
    *lead, last = list(body) or [Spacer(1, 0)]
    story += lead
    story.append(KeepTogether([last, *_footer_flowables(footer, settings)]))
    for appendix in appendices:
        story += _appendix_flowables(appendix, settings)

    meta: dict[str, Any] = {
        "title": unicodedata.normalize("NFC", pdf_title),
        "author": unicodedata.normalize("NFC", _upper(header.agency)).replace("\n", " "),
        "subject": unicodedata.normalize("NFC", title.subject if title else pdf_title),
        "creator": "Sổ theo dõi",
    }

    if isinstance(target, str | os.PathLike):
        from app.fileio import atomic_path

        # A temp file beside the target, fsync'ed, renamed when complete; a full disk, a
        # read-only folder or a folder in the way become a clear message (app.fileio).
        with atomic_path(Path(target)) as tmp:
            doc = _AdminDocTemplate(str(tmp), settings, **meta)
            doc.build(story)
    else:
        doc = _AdminDocTemplate(target, settings, **meta)
        doc.build(story)
