"""Draw a :class:`~app.documents.content.DocumentContent` as PDF with the Nghị định 30 frame of
:mod:`app.documents.layout`."""

from __future__ import annotations

from xml.sax.saxutils import escape

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, Paragraph, Spacer

from app.documents import layout
from app.documents.common import Target
from app.documents.content import Block, DocumentContent, NoteBlock, TableBlock, TextBlock
from app.documents.layout import DocumentStyles, body_paragraph, heading, make_styles

#: Room (mm) a table's caption needs below it on the page, or it starts the next page.
CAPTION_KEEP_MM = 40.0


def _block_flowables(
    block: Block, styles: DocumentStyles, *, closing: bool = False
) -> list[Flowable]:
    if isinstance(block, TableBlock):
        out: list[Flowable] = []
        if block.caption:
            # A caption never stays alone at the foot of a page: its table's header row and a
            # few rows go with it.
            out.append(CondPageBreak(CAPTION_KEEP_MM * mm))
            out.append(Paragraph(escape(block.caption), styles.heading2))
        out.append(
            layout.appendix_table(
                block.header, block.rows, block.widths_mm, styles, align=block.align
            )
        )
        out.append(Spacer(1, 8))
        return out
    if isinstance(block, NoteBlock):
        return [Spacer(1, 6), Paragraph(escape(block.text), styles.table)]
    if block.style == "heading1":
        return [heading(block.text, 1, styles)]
    if block.style == "heading2":
        return [heading(block.text, 2, styles)]
    if block.style == "heading3":
        return [heading(block.text, 3, styles)]
    return [body_paragraph(block.text, styles, closing=closing)]


def closing_index(blocks: list[Block]) -> int | None:
    """The body block that ends with "./.": the last paragraph of running text."""
    for i in range(len(blocks) - 1, -1, -1):
        b = blocks[i]
        if isinstance(b, TextBlock) and b.style in ("paragraph", "item"):
            return i
        if isinstance(b, TableBlock):
            return None
    return None


def body_flowables(content: DocumentContent, styles: DocumentStyles) -> list[Flowable]:
    blocks = content.body_blocks()
    last = closing_index(blocks)
    out: list[Flowable] = []
    for i, block in enumerate(blocks):
        out += _block_flowables(block, styles, closing=i == last)
    return out


def write_pdf(content: DocumentContent, target: Target) -> None:
    """Write ``content`` as a PDF to ``target`` (a path, written atomically, or a binary file).

    Raises ``ValueError`` (Vietnamese) when a layout value is outside the decree's range.
    """
    styles = make_styles(content.page)
    appendices = [
        layout.Appendix(
            label=a.label,
            title=a.title,
            reference=a.reference,
            body=tuple(f for b in a.blocks for f in _block_flowables(b, styles)),
            landscape=a.landscape,
        )
        for a in content.appendices
    ]
    layout.build_document(
        target,
        content.header,
        content.title,
        list(content.kinh_gui) or None,
        body_flowables(content, styles),
        content.footer,
        appendices=appendices,
        settings=content.page,
    )
