"""Draw a :class:`~app.documents.content.DocumentContent` as a Word document (.docx) in the
Nghị định 30 format, as close to the PDF of :mod:`app.documents.render_pdf` as Word allows.

What Word gets (docs/document-format.md, "Word output"):

- A4, the margins of :class:`~app.documents.layout.PageSettings`; Times New Roman everywhere
  (the font table names Liberation Serif as its metric twin, which LibreOffice uses when Times
  New Roman is missing);
- the header as a borderless two-column table (40 % / 60 %): agency lines and "Số:" left,
  Quốc hiệu, Tiêu ngữ and the date right; the rules under the agency, the Tiêu ngữ and the
  subject are top borders of short empty paragraphs whose indents give the rule its length;
- the body in named paragraph styles ("Nội dung văn bản", "Đề mục I/1/a") so an edit in Word keeps
  the format: justified, first-line indent, the spacing of PageSettings; the last paragraph ends
  "./.";
- tables with a grid, the header row repeated on every page (``w:tblHeader``), rows never split;
- page numbers: a centred PAGE field in the page header, none on the first page (``w:titlePg``);
  each appendix is its own section (landscape when flagged) numbering its pages from 1;
- Nơi nhận and the signature block as a borderless two-column table kept with the last paragraph.

Tables are written as WordprocessingML text and parsed once: a 130-row appendix through
python-docx's cell API would take seconds.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import os
import re
import unicodedata
from collections.abc import Iterable, Sequence
from pathlib import Path
from xml.sax.saxutils import escape

import docx
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.section import Section as DocxSection
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph
from lxml import etree
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth

from app.documents import fonts
from app.documents.common import Target
from app.documents.content import (
    AppendixContent,
    Block,
    DocumentContent,
    NoteBlock,
    TableBlock,
)
from app.documents.layout import (
    AGENCY_RULE_RATIO,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    QUOC_HIEU,
    TIEU_NGU,
    DocumentHeader,
    Footer,
    PageSettings,
    TitleBlock,
    _balanced_width,
    _widest_line,
    date_line,
    kinh_gui_lines,
    noi_nhan_lines,
    number_line,
    with_closing_mark,
)
from app.documents.render_pdf import closing_index
from app.fileio import atomic_path

__all__ = ["FONT", "METRIC_TWIN", "STYLE_NAMES", "write_docx"]

#: The font the decree names; every run and style is declared in it.
FONT = "Times New Roman"
#: The metric-compatible serif the program ships (same widths): named in the font table as
#: Times New Roman's alternative, so LibreOffice and Word fall back to it, never to another width.
METRIC_TWIN = "Liberation Serif"
LANGUAGE = "vi-VN"

#: Paragraph styles the document defines (style id → name shown in Word).
STYLE_NAMES: dict[str, str] = {
    "VBNoiDung": "Nội dung văn bản",
    "VBDeMuc1": "Đề mục I",
    "VBDeMuc2": "Đề mục 1",
    "VBDeMuc3": "Đề mục a",
    "VBBang": "Chữ trong bảng",
}
_STYLE_OF_BLOCK = {
    "paragraph": "VBNoiDung",
    "item": "VBNoiDung",
    "heading1": "VBDeMuc1",
    "heading2": "VBDeMuc2",
    "heading3": "VBDeMuc3",
}

TWIPS_PER_PT = 20
#: Liberation Serif / Times New Roman ascent as a fraction of the size (for the page number).
ASCENT = 0.891


def _tw(points: float) -> int:
    """Points to twentieths of a point (twips), Word's unit for widths and spacing."""
    return round(points * TWIPS_PER_PT)


#: Characters XML 1.0 cannot hold (C0 controls but tab and newline, lone surrogates, U+FFFE/F):
#: pasted from elsewhere they would make the file unreadable, so they are dropped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0d\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _nfc(text: str) -> str:
    """NFC-normalised text Word can hold: no XML-invalid characters, tabs as spaces."""
    return _NOT_XML.sub("", unicodedata.normalize("NFC", text)).replace("\t", " ")


def _upper(text: str) -> str:
    return _nfc(text).upper()


# --------------------------------------------------------------------------------------------
# Raw WordprocessingML pieces (strings: fast, and exactly what Word reads)
# --------------------------------------------------------------------------------------------


def _run_xml(
    text: str, *, bold: bool = False, italic: bool = False, size: float | None = None
) -> str:
    props = ""
    if bold:
        props += "<w:b/><w:bCs/>"
    if italic:
        props += "<w:i/><w:iCs/>"
    if size is not None:
        props += f'<w:sz w:val="{round(size * 2)}"/><w:szCs w:val="{round(size * 2)}"/>'
    rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
    parts = _nfc(text).split("\n")
    body = "<w:br/>".join(f'<w:t xml:space="preserve">{escape(p)}</w:t>' for p in parts)
    return f"<w:r>{rpr}{body}</w:r>"


def _para_xml(
    runs: str,
    *,
    style: str | None = None,
    align: str | None = None,
    before: float = 0,
    after: float = 0,
    line: float | None = None,
    ind: tuple[float, float] | None = None,
    keep_next: bool = False,
    mark_size: float | None = None,
) -> str:
    """A paragraph; ``line`` an at-least line height in points (None: single, or the style's
    when ``style`` is given)."""
    ppr = ""
    if style:
        ppr += f'<w:pStyle w:val="{style}"/>'
    if keep_next:
        ppr += "<w:keepNext/>"
    if not style or line is not None or before or after:
        spacing = f'<w:spacing w:before="{_tw(before)}" w:after="{_tw(after)}"'
        if line is not None:
            spacing += f' w:line="{_tw(line)}" w:lineRule="atLeast"'
        elif not style:
            spacing += ' w:line="240" w:lineRule="auto"'
        ppr += spacing + "/>"
    if ind is not None:
        ppr += f'<w:ind w:left="{_tw(ind[0])}" w:right="{_tw(ind[1])}" w:firstLine="0"/>'
    if align:
        ppr += f'<w:jc w:val="{align}"/>'
    if mark_size is not None:
        ppr += f'<w:rPr><w:sz w:val="{round(mark_size * 2)}"/></w:rPr>'
    return f"<w:p><w:pPr>{ppr}</w:pPr>{runs}</w:p>"


def _rule_xml(length: float, avail: float, *, before: float = 3) -> str:
    """A solid 0.5 pt rule ``length`` points long, centred in ``avail``: the top border of an
    empty 1 pt paragraph whose indents leave exactly that length."""
    side = max(0.0, (avail - length) / 2)
    return (
        "<w:p><w:pPr><w:keepNext/>"
        '<w:pBdr><w:top w:val="single" w:sz="4" w:space="0" w:color="000000"/></w:pBdr>'
        f'<w:spacing w:before="{_tw(before)}" w:after="0" w:line="20" w:lineRule="exact"/>'
        f'<w:ind w:left="{_tw(side)}" w:right="{_tw(side)}" w:firstLine="0"/>'
        '<w:jc w:val="center"/>'
        '<w:rPr><w:sz w:val="2"/><w:szCs w:val="2"/></w:rPr>'
        "</w:pPr></w:p>"
    )


_NO_BORDERS = "".join(
    f'<w:{side} w:val="nil"/>' for side in ("top", "left", "bottom", "right", "insideH", "insideV")
)
_GRID = "".join(
    f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
    for side in ("top", "left", "bottom", "right", "insideH", "insideV")
)


def _table_xml(
    rows: Iterable[str],
    widths: Sequence[float],
    *,
    borders: bool,
    pad: tuple[float, float, float, float] = (0, 0, 0, 0),
) -> str:
    """A fixed-layout table centred on the text block; ``widths`` and ``pad`` (top, left,
    bottom, right) in points."""
    top, left, bottom, right = pad
    grid = "".join(f'<w:gridCol w:w="{_tw(w)}"/>' for w in widths)
    return (
        f"<w:tbl {nsdecls('w')}><w:tblPr>"
        f'<w:tblW w:w="{_tw(sum(widths))}" w:type="dxa"/><w:jc w:val="center"/>'
        f"<w:tblBorders>{_GRID if borders else _NO_BORDERS}</w:tblBorders>"
        '<w:tblLayout w:type="fixed"/>'
        f'<w:tblCellMar><w:top w:w="{_tw(top)}" w:type="dxa"/>'
        f'<w:left w:w="{_tw(left)}" w:type="dxa"/>'
        f'<w:bottom w:w="{_tw(bottom)}" w:type="dxa"/>'
        f'<w:right w:w="{_tw(right)}" w:type="dxa"/></w:tblCellMar>'
        '<w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" w:firstColumn="0" '
        'w:lastColumn="0" w:noHBand="1" w:noVBand="1"/>'
        f"</w:tblPr><w:tblGrid>{grid}</w:tblGrid>{''.join(rows)}</w:tbl>"
    )


def _row_xml(cells: Iterable[str], *, header: bool = False) -> str:
    trpr = "<w:cantSplit/>" + ("<w:tblHeader/>" if header else "")
    return f"<w:tr><w:trPr>{trpr}</w:trPr>{''.join(cells)}</w:tr>"


def _cell_xml(content: str, width: float, *, valign: str = "top") -> str:
    return (
        f'<w:tc><w:tcPr><w:tcW w:w="{_tw(width)}" w:type="dxa"/>'
        f'<w:vAlign w:val="{valign}"/></w:tcPr>{content or _para_xml("")}</w:tc>'
    )


# --------------------------------------------------------------------------------------------
# The document: defaults, styles, font table, sections
# --------------------------------------------------------------------------------------------


def _rfonts() -> str:
    return f'<w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:eastAsia="{FONT}" w:cs="{FONT}"/>'


def _set_defaults(document: DocxDocument, page: PageSettings) -> None:
    """Document defaults: Times New Roman (no theme font), body size, black, Vietnamese; no
    paragraph spacing unless a style asks for it."""
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is not None:
        styles.remove(defaults)
    size = round(page.body_size * 2)
    styles.insert(
        0,
        parse_xml(
            f"<w:docDefaults {nsdecls('w')}><w:rPrDefault><w:rPr>{_rfonts()}"
            f'<w:color w:val="000000"/><w:sz w:val="{size}"/><w:szCs w:val="{size}"/>'
            f'<w:lang w:val="{LANGUAGE}" w:eastAsia="{LANGUAGE}" w:bidi="ar-SA"/>'
            "</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr>"
            '<w:spacing w:after="0" w:line="240" w:lineRule="auto"/>'
            "</w:pPr></w:pPrDefault></w:docDefaults>"
        ),
    )
    normal = document.styles["Normal"]
    normal.font.name = FONT
    rfonts = normal.element.get_or_add_rPr().find(qn("w:rFonts"))
    if rfonts is not None:
        for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            rfonts.attrib.pop(qn(attr), None)
        rfonts.set(qn("w:eastAsia"), FONT)
        rfonts.set(qn("w:cs"), FONT)


def _add_styles(document: DocxDocument, page: PageSettings) -> None:
    """The named paragraph styles of the body (see :data:`STYLE_NAMES`)."""
    size = page.body_size
    leading = size * page.line_spacing
    indent_pt = page.first_line_indent_cm * 10 / 25.4 * 72
    for style_id, name in STYLE_NAMES.items():
        style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.element.set(qn("w:styleId"), style_id)
        style.base_style = document.styles["Normal"]
        style.quick_style = True
        fmt = style.paragraph_format
        font = style.font
        if style_id == "VBBang":
            font.size = Pt(page.table_size)
            fmt.line_spacing_rule = WD_LINE_SPACING.AT_LEAST
            fmt.line_spacing = Pt(page.table_size * 1.15)
            continue
        font.size = Pt(size)
        fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        fmt.first_line_indent = Pt(indent_pt)
        fmt.space_after = Pt(page.paragraph_space_pt)
        fmt.line_spacing_rule = WD_LINE_SPACING.AT_LEAST
        fmt.line_spacing = Pt(leading)
        fmt.widow_control = True
        if style_id in ("VBDeMuc1", "VBDeMuc2"):
            font.bold = True
        if style_id.startswith("VBDeMuc"):
            fmt.keep_with_next = True
            level = int(style_id[-1]) - 1
            style.element.get_or_add_pPr().append(
                parse_xml(f'<w:outlineLvl {nsdecls("w")} w:val="{level}"/>')
            )


def _declare_metric_twin(document: DocxDocument) -> None:
    """Name Liberation Serif as Times New Roman's alternative in the font table."""
    for part in document.part.package.iter_parts():
        if str(part.partname).endswith("/fontTable.xml"):
            root = etree.fromstring(part.blob)
            for font in root.findall(qn("w:font")):
                if font.get(qn("w:name")) == FONT:
                    for old in font.findall(qn("w:altName")):
                        font.remove(old)
                    alt = etree.Element(qn("w:altName"))
                    alt.set(qn("w:val"), METRIC_TWIN)
                    font.insert(0, alt)
                    family = font.find(qn("w:family"))
                    if family is not None:
                        family.set(qn("w:val"), "roman")  # a serif, for metric substitution
            part._blob = etree.tostring(
                root, xml_declaration=True, encoding="UTF-8", standalone=True
            )
            return


def _drop_template_leftovers(document: DocxDocument) -> None:
    """python-docx's template carries a thumbnail (Explorer would show it) and asks Word to save
    a preview picture; neither belongs to our document."""
    package = document.part.package
    for r_id, rel in list(package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            package.rels.pop(r_id)
    settings = document.settings.element
    for tag in ("w:savePreviewPicture", "w:rsids", "w:attachedTemplate"):
        for el in settings.findall(qn(tag)):
            settings.remove(el)


def _set_page(section: DocxSection, page: PageSettings, *, landscape: bool) -> float:
    """Page size, orientation, margins and the page-number header's distance; returns the text
    width in points."""
    if landscape:
        top, bottom, left, right = page.landscape_margins
        width, height = PAGE_HEIGHT, PAGE_WIDTH
        section.orientation = WD_ORIENT.LANDSCAPE
    else:
        top, bottom, left, right = page.margins
        width, height = PAGE_WIDTH, PAGE_HEIGHT
        section.orientation = WD_ORIENT.PORTRAIT
    section.page_width = Pt(width)
    section.page_height = Pt(height)
    section.top_margin = Pt(top)
    section.bottom_margin = Pt(bottom)
    section.left_margin = Pt(left)
    section.right_margin = Pt(right)
    # The page number's baseline 0.35 × its size below the middle of the top margin, as the PDF.
    size = page.page_number_size
    section.header_distance = Pt(max(0.0, top / 2 + 0.35 * size - ASCENT * size))
    section.footer_distance = Mm(10)
    section.different_first_page_header_footer = True
    return width - left - right


def _page_number_header(section: DocxSection, page: PageSettings) -> None:
    """Section 1's headers: the first page's empty, the others a centred PAGE field."""
    first = section.first_page_header
    first.is_linked_to_previous = False
    header = section.header
    header.is_linked_to_previous = False
    size = round(page.page_number_size * 2)
    rpr = f'<w:rPr><w:sz w:val="{size}"/><w:szCs w:val="{size}"/></w:rPr>'
    field = (
        f'<w:p {nsdecls("w")}><w:pPr><w:spacing w:before="0" w:after="0" w:line="240" '
        'w:lineRule="auto"/><w:jc w:val="center"/>'
        f"{rpr}</w:pPr>"
        f'<w:r>{rpr}<w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r>{rpr}<w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
        f'<w:r>{rpr}<w:fldChar w:fldCharType="separate"/></w:r>'
        f"<w:r>{rpr}<w:t>2</w:t></w:r>"
        f'<w:r>{rpr}<w:fldChar w:fldCharType="end"/></w:r></w:p>'
    )
    element = header._element
    for p in list(element):
        element.remove(p)
    element.append(parse_xml(field))


def _restart_numbering(section: DocxSection) -> None:
    sect_pr = section._sectPr
    for old in sect_pr.findall(qn("w:pgNumType")):
        sect_pr.remove(old)
    number = parse_xml(f'<w:pgNumType {nsdecls("w")} w:start="1"/>')
    # w:pgNumType comes after w:pgMar / w:paperSrc / w:pgBorders / w:lnNumType in CT_SectPr.
    anchor = None
    for tag in ("w:lnNumType", "w:pgBorders", "w:paperSrc", "w:pgMar", "w:pgSz"):
        anchor = sect_pr.find(qn(tag))
        if anchor is not None:
            break
    if anchor is not None:
        anchor.addnext(number)
    else:
        sect_pr.append(number)


# --------------------------------------------------------------------------------------------
# The writer
# --------------------------------------------------------------------------------------------


class _Writer:
    def __init__(self, content: DocumentContent) -> None:
        self.content = content
        self.page = content.page
        self.document: DocxDocument = docx.Document()
        self.body = self.document.element.body
        self.sect_pr = self.body.find(qn("w:sectPr"))
        self.text_width = self.page.text_width

    # --- output -----------------------------------------------------------------------------
    def _add(self, xml: str) -> None:
        """Insert a paragraph or table (WordprocessingML text) before the body's sectPr."""
        root_tag = xml.split(">", 1)[0]
        element = parse_xml(xml if "xmlns:w=" in root_tag else _with_ns(xml))
        if self.sect_pr is not None:
            self.sect_pr.addprevious(element)
        else:
            self.body.append(element)

    def _paragraph(self, text: str, style: str, *, keep_next: bool = False) -> Paragraph:
        p = self.document.add_paragraph(_nfc(text), style=STYLE_NAMES[style])
        if keep_next:
            p.paragraph_format.keep_with_next = True
        return p

    def _new_section(self) -> DocxSection:
        """End the section so far (its properties move into a 1 pt paragraph, so the break never
        pushes a blank page) and start a new one on a new page, headers linked to the previous."""
        sentinel = self.sect_pr
        assert sentinel is not None
        ended = copy.deepcopy(sentinel)
        holder = parse_xml(
            f"<w:p {nsdecls('w')}><w:pPr>"
            '<w:spacing w:before="0" w:after="0" w:line="20" w:lineRule="exact"/>'
            '<w:rPr><w:sz w:val="2"/><w:szCs w:val="2"/></w:rPr></w:pPr></w:p>'
        )
        holder.find(qn("w:pPr")).append(ended)
        sentinel.addprevious(holder)
        for tag in ("w:headerReference", "w:footerReference"):
            for ref in sentinel.findall(qn(tag)):
                sentinel.remove(ref)
        section = DocxSection(sentinel, self.document.part)
        section.start_type = WD_SECTION.NEW_PAGE
        return section

    # --- parts ------------------------------------------------------------------------------
    def header(self, header: DocumentHeader) -> None:
        s = self.page
        left_w = self.text_width * 0.4
        right_w = self.text_width - left_w
        pad = 2.0
        inner_left, inner_right = left_w - 2 * pad, right_w - 2 * pad
        agency_text = _upper(header.agency)
        agency_rule = AGENCY_RULE_RATIO * _widest_line(
            agency_text, fonts.BOLD, s.agency_size, inner_left
        )
        tn_rule = stringWidth(TIEU_NGU, fonts.BOLD, s.tieu_ngu_size)
        center = "center"
        left_top = ""
        if header.parent_agency.strip():
            left_top += _para_xml(
                _run_xml(_upper(header.parent_agency), size=s.agency_size),
                align=center,
                line=s.agency_size * 1.2,
            )
        left_top += _para_xml(
            _run_xml(agency_text, bold=True, size=s.agency_size),
            align=center,
            line=s.agency_size * 1.2,
        )
        left_top += _rule_xml(agency_rule, inner_left)
        right_top = (
            _para_xml(
                _run_xml(QUOC_HIEU, bold=True, size=s.quoc_hieu_size),
                align=center,
                line=s.quoc_hieu_size * 1.2,
            )
            + _para_xml(
                _run_xml(TIEU_NGU, bold=True, size=s.tieu_ngu_size),
                align=center,
                line=s.tieu_ngu_size * 1.2,
            )
            + _rule_xml(tn_rule, inner_right)
        )
        big = max(s.number_size, s.date_size)
        left_row = _para_xml(
            _run_xml(number_line(header), size=s.number_size),
            align=center,
            before=6 + big - s.number_size,
            line=s.number_size * 1.2,
        )
        if header.letter_subject:
            left_row += _para_xml(
                _run_xml(header.letter_subject.strip(), size=s.letter_subject_size),
                align=center,
                before=2,
                line=s.letter_subject_size * 1.2,
            )
        right_row = _para_xml(
            _run_xml(
                date_line(header.place, header.date, header.year), italic=True, size=s.date_size
            ),
            align=center,
            before=6 + big - s.date_size,
            line=s.date_size * 1.2,
        )
        rows = [
            _row_xml([_cell_xml(left_top, left_w), _cell_xml(right_top, right_w)]),
            _row_xml([_cell_xml(left_row, left_w), _cell_xml(right_row, right_w)]),
        ]
        self._add(_table_xml(rows, (left_w, right_w), borders=False, pad=(0, pad, 0, pad)))

    def title(self, title: TitleBlock | None) -> None:
        s = self.page
        if title is None:
            self._add(_para_xml("", before=0, after=0, line=18, mark_size=2))
            return
        type_text = _upper(title.doc_type)
        self._add(
            _para_xml(
                _run_xml(type_text, bold=True, size=s.title_size),
                align="center",
                before=14,
                line=s.title_size * 1.2,
                keep_next=True,
            )
        )
        rule_base = stringWidth(type_text, fonts.BOLD, s.title_size)
        subject = title.subject.strip()
        if subject:
            width = _balanced_width(subject, fonts.BOLD, s.title_size, s.text_width * 0.85)
            side = (self.text_width - width) / 2
            self._add(
                _para_xml(
                    _run_xml(subject, bold=True, size=s.title_size),
                    align="center",
                    line=s.title_size * 1.2,
                    ind=(side, side),
                    keep_next=True,
                )
            )
            rule_base = _widest_line(subject, fonts.BOLD, s.title_size, width)
        self._add(_rule_xml(AGENCY_RULE_RATIO * rule_base, self.text_width))
        self._add(_para_xml("", line=10, mark_size=2))

    def kinh_gui(self, recipients: Sequence[str]) -> None:
        if not recipients:
            return
        s = self.page
        lines = kinh_gui_lines(recipients)
        label = "Kính gửi:"
        leading = s.body_size * s.line_spacing
        after = s.paragraph_space_pt + 4
        if len(lines) == 1:
            self._add(
                _para_xml(
                    _run_xml(f"{label} {lines[0]}", size=s.body_size),
                    align="center",
                    line=leading,
                    after=after,
                )
            )
            return
        indent = s.text_width * 0.18
        label_w = stringWidth(label + "\u00a0", fonts.REGULAR, s.body_size) + 2
        left = indent + label_w
        for i, line in enumerate(lines):
            last = i == len(lines) - 1
            hanging = f' w:hanging="{_tw(label_w)}"' if i == 0 else ' w:firstLine="0"'
            runs = _run_xml(label, size=s.body_size) + "<w:r><w:tab/></w:r>" if i == 0 else ""
            runs += _run_xml(line, size=s.body_size)
            self._add(
                "<w:p><w:pPr><w:keepNext/>"
                f'<w:tabs><w:tab w:val="left" w:pos="{_tw(left)}"/></w:tabs>'
                f'<w:spacing w:before="0" w:after="{_tw(after if last else 0)}" '
                f'w:line="{_tw(leading)}" w:lineRule="atLeast"/>'
                f'<w:ind w:left="{_tw(left)}"{hanging}/><w:jc w:val="left"/>'
                f"</w:pPr>{runs}</w:p>"
            )

    def blocks(
        self, blocks: Sequence[Block], *, closing: int | None = None, keep_last: bool = False
    ) -> None:
        for i, block in enumerate(blocks):
            keep = keep_last and i == len(blocks) - 1
            if isinstance(block, TableBlock):
                following = blocks[i + 1] if i + 1 < len(blocks) else None
                self.table(block, keep_next=isinstance(following, NoteBlock))
            elif isinstance(block, NoteBlock):
                p = self._paragraph(block.text, "VBBang")
                p.paragraph_format.space_before = Pt(6)
                p.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
            else:
                text = block.text
                if block.style == "heading1":
                    text = _upper(text)
                if i == closing:
                    text = with_closing_mark(text)
                self._paragraph(text, _STYLE_OF_BLOCK[block.style], keep_next=keep)

    def table(self, block: TableBlock, *, keep_next: bool = False) -> None:
        """A grid table: the header row repeated on every page, rows never split; with
        ``keep_next`` its last row stays on the page of what follows (a note)."""
        if block.caption:
            self._paragraph(block.caption, "VBDeMuc2", keep_next=True)
        widths = [w * mm for w in block.widths_mm]
        aligns = [
            {"left": "left", "center": "center", "right": "right"}[a] for a in block.align
        ] or ["left"] * len(widths)

        def cell(text: str, width: float, align: str, *, bold: bool, keep: bool = False) -> str:
            return _cell_xml(
                _para_xml(_run_xml(text, bold=bold), style="VBBang", align=align, keep_next=keep),
                width,
                valign="center" if bold else "top",
            )

        rows = [
            _row_xml(
                [
                    cell(h, w, "center", bold=True)
                    for h, w in zip(block.header, widths, strict=True)
                ],
                header=True,
            )
        ]
        last = len(block.rows) - 1
        for n, row in enumerate(block.rows):
            keep = keep_next and n == last
            rows.append(
                _row_xml(
                    [
                        cell(v, w, a, bold=False, keep=keep)
                        for v, w, a in zip(row, widths, aligns, strict=True)
                    ]
                )
            )
        # Padding as the PDF's (2 pt above, 3 pt below), less the 0.5 pt rule Word adds to a row.
        self._add(_table_xml(rows, widths, borders=True, pad=(2, 3, 2.5, 3)))
        self._add(_para_xml("", line=8, mark_size=2, keep_next=keep_next))

    def footer(self, footer: Footer) -> None:
        s = self.page
        left_w = self.text_width * 0.4
        right_w = self.text_width - left_w
        left = _para_xml(
            _run_xml("Nơi nhận:", bold=True, italic=True, size=s.noi_nhan_label_size),
            align="left",
            before=max(0.0, s.signature_size - s.noi_nhan_label_size),
            line=s.noi_nhan_label_size * 1.2,
        )
        left += "".join(
            _para_xml(
                _run_xml(line, size=s.noi_nhan_size), align="left", line=s.noi_nhan_size * 1.15
            )
            for line in noi_nhan_lines(footer.recipients, footer.archive)
        )
        auth = [a.strip() for a in footer.authority if a.strip()]
        right = "".join(
            _para_xml(
                _run_xml(_upper(a), bold=True, size=s.signature_size),
                align="center",
                line=s.signature_size * 1.2,
                keep_next=True,
            )
            for a in auth
        )
        right += _para_xml(
            _run_xml(footer.signer_name.strip(), bold=True, size=s.signature_size),
            align="center",
            before=s.signature_space_mm * mm,
            line=s.signature_size * 1.2,
        )
        self._add(_para_xml("", line=6, mark_size=2, keep_next=True))
        self._add(
            _table_xml(
                [_row_xml([_cell_xml(left, left_w), _cell_xml(right, right_w)])],
                (left_w, right_w),
                borders=False,
            )
        )

    def appendix(self, appendix: AppendixContent) -> None:
        """A new section (landscape when flagged) numbering its pages from 1."""
        s = self.page
        section = self._new_section()
        width = _set_page(section, s, landscape=appendix.landscape)
        _restart_numbering(section)
        self.text_width = width
        self._add(
            _para_xml(
                _run_xml(appendix.label, bold=True, size=14),
                align="center",
                line=14 * 1.2,
                keep_next=True,
            )
        )
        title_text = _upper(appendix.title)
        title_w = _balanced_width(title_text, fonts.BOLD, s.title_size, width)
        side = (width - title_w) / 2
        self._add(
            _para_xml(
                _run_xml(title_text, bold=True, size=s.title_size),
                align="center",
                line=s.title_size * 1.2,
                ind=(side, side),
                keep_next=True,
            )
        )
        self._add(
            _para_xml(
                _run_xml(appendix.reference, italic=True, size=s.title_size),
                align="center",
                line=s.title_size * 1.2,
                keep_next=True,
            )
        )
        ref_w = min(stringWidth(_nfc(appendix.reference), fonts.ITALIC, s.title_size), width)
        self._add(_rule_xml(AGENCY_RULE_RATIO * ref_w, width))
        self._add(_para_xml("", line=10, mark_size=2, keep_next=True))
        self.blocks(appendix.blocks)

    # --- the whole --------------------------------------------------------------------------
    def build(self) -> DocxDocument:
        content, page = self.content, self.page
        fonts.register_fonts()  # the widths of rules and balanced lines (same metrics)
        _set_defaults(self.document, page)
        _add_styles(self.document, page)
        _declare_metric_twin(self.document)
        _drop_template_leftovers(self.document)
        for p in list(self.body.iterchildren(qn("w:p"))):
            self.body.remove(p)  # the template's empty first paragraph, if any
        section = self.document.sections[0]
        self.text_width = _set_page(section, page, landscape=False)
        _page_number_header(section, page)

        self.header(content.header)
        self.title(content.title)
        self.kinh_gui(content.kinh_gui)
        blocks = content.body_blocks()
        self.blocks(blocks, closing=closing_index(blocks), keep_last=True)
        self.footer(content.footer)
        for appendix in content.appendices:
            self.appendix(appendix)
        if not content.appendices:
            # Word wants a paragraph after a table at the end: a 1 pt one, never a page of its own.
            self._add(_para_xml("", line=1, mark_size=1))
        self._properties()
        return self.document

    def _properties(self) -> None:
        content = self.content
        props = self.document.core_properties
        if content.title is not None:
            title = " ".join(
                x for x in (_upper(content.title.doc_type), content.title.subject.strip()) if x
            )
        else:
            title = (content.header.letter_subject or "Công văn").strip()
        props.title = _nfc(title)[:255]
        props.subject = _nfc(content.title.subject if content.title else title)[:255]
        props.author = _upper(content.header.agency).replace("\n", " ")
        props.last_modified_by = props.author
        props.language = LANGUAGE
        props.comments = "Sổ theo dõi"
        props.keywords = ""
        props.category = ""
        props.revision = 1
        now = dt.datetime.now(dt.UTC).replace(microsecond=0, tzinfo=None)
        props.created = now
        props.modified = now


def _with_ns(xml: str) -> str:
    """Put the w: namespace declaration on the root element of a fragment."""
    head, sep, rest = xml.partition(">")
    if head.endswith("/"):
        return f"{head[:-1]} {nsdecls('w')}/>{rest}"
    return f"{head} {nsdecls('w')}{sep}{rest}"


def document_bytes(content: DocumentContent) -> bytes:
    """The .docx file of ``content`` as bytes."""
    buffer = io.BytesIO()
    _Writer(content).build().save(buffer)
    return buffer.getvalue()


def write_docx(content: DocumentContent, target: Target) -> None:
    """Write ``content`` as a Word document to ``target``: a path (written atomically: a temp
    file beside it, then renamed) or a binary file object.

    Raises ``ValueError`` (Vietnamese) when a layout value is outside the decree's range, and
    :class:`~app.errors.AppError` when the file cannot be written.
    """
    data = document_bytes(content)
    if isinstance(target, str | os.PathLike):
        with atomic_path(Path(target)) as tmp:
            tmp.write_bytes(data)
    else:
        target.write(data)
