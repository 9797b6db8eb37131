"""A document as plain data before it is drawn.

Each document module (summary report, reminder letter, unit sheet) builds a
:class:`DocumentContent`; :mod:`app.documents.render_pdf` draws it with ReportLab and the Word
writer draws the same content as .docx, so both outputs say the same thing. The print dialog and
the command line edit a document through its *editable fields* (:meth:`DocumentContent.fields`):
plain text, one paragraph a line, changed and put back with :meth:`DocumentContent.edited`.

Rules for the text of a section (docs/document-format.md, "Body"):

- a line "I. …" (Roman numeral, dot) is a level-1 heading, printed UPPER bold;
- a line "1. …" / "1.2. …" that does not end a sentence (no final ".", ";" or ":") is a level-2
  heading, bold;
- a line "a) …" that does not end a sentence is a level-3 heading, upright;
- a line starting "- " or "+ " is an item of a list, printed flush with the body's indent;
- any other line is a justified body paragraph with a first-line indent.
The last body paragraph of the document ends with "./." when it is drawn, not in the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Literal

from app.documents.layout import DocumentHeader, Footer, PageSettings, TitleBlock

BlockStyle = Literal["paragraph", "item", "heading1", "heading2", "heading3"]
Align = Literal["left", "center", "right"]


@dataclass(frozen=True, slots=True)
class TextBlock:
    """One paragraph of running text."""

    style: BlockStyle
    text: str


@dataclass(frozen=True, slots=True)
class TableBlock:
    """A grid table whose header row repeats on every page; widths in millimetres."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths_mm: tuple[float, ...]
    align: tuple[Align, ...]
    caption: str = ""  # a bold line printed above the table (a task's name in a split appendix)


@dataclass(frozen=True, slots=True)
class NoteBlock:
    """A small note under a table (table size, justified, no indent)."""

    text: str


Block = TextBlock | TableBlock | NoteBlock

_ROMAN = re.compile(r"^[IVXLC]+\.\s")
_NUMBERED = re.compile(r"^\d+(\.\d+)*\.\s")
_LETTERED = re.compile(r"^[a-zđ]\)\s")
_ITEM = re.compile(r"^[-+–]\s")
_SENTENCE_END = (".", ";", ":", "./.")


def style_of(line: str) -> BlockStyle:
    """The style a line of edited text is printed in (see the module's rules)."""
    ends_sentence = line.rstrip().endswith(_SENTENCE_END)
    if _ROMAN.match(line):
        return "heading1"
    if _NUMBERED.match(line) and not ends_sentence:
        return "heading2"
    if _LETTERED.match(line) and not ends_sentence:
        return "heading3"
    if _ITEM.match(line):
        return "item"
    return "paragraph"


def blocks_from_text(text: str) -> tuple[TextBlock, ...]:
    """Edited text back to blocks: one paragraph a non-empty line, spaces collapsed."""
    out: list[TextBlock] = []
    for raw in text.splitlines():
        line = " ".join(raw.split())
        if line:
            out.append(TextBlock(style_of(line), line))
    return tuple(out)


def text_from_blocks(blocks: Iterable[Block]) -> str:
    return "\n".join(b.text for b in blocks if isinstance(b, TextBlock))


@dataclass(frozen=True, slots=True)
class Section:
    """A part of the body with a stable ``key`` ("opening", "results", "closing"…) and the
    ``label`` the print dialog shows for it. A section holding a table is not edited as text."""

    key: str
    label: str
    blocks: tuple[Block, ...]

    @property
    def editable(self) -> bool:
        return all(isinstance(b, TextBlock) for b in self.blocks)

    def text(self) -> str:
        return text_from_blocks(self.blocks)


@dataclass(frozen=True, slots=True)
class AppendixContent:
    """An appendix on its own pages: "Phụ lục" (or "Phụ lục I" …), title, the "(Kèm theo …)"
    line, then its blocks; ``landscape`` when its tables are too wide for a portrait page."""

    label: str
    title: str
    reference: str
    blocks: tuple[Block, ...]
    landscape: bool = False


@dataclass(frozen=True, slots=True)
class EditableField:
    key: str
    label: str
    text: str
    multiline: bool = True


#: Keys of the editable fields that are not body sections.
TITLE_KEY = "title"  # the subject under the document type (báo cáo, phiếu)
LETTER_SUBJECT_KEY = "letter_subject"  # "V/v …" (công văn)
KINH_GUI_KEY = "kinh_gui"  # one recipient a line
NOI_NHAN_KEY = "noi_nhan"  # one line a recipient, "Lưu: …" last


@dataclass(frozen=True, slots=True)
class DocumentContent:
    """Everything printed on a document, in order."""

    kind: str  # DocumentKind value
    header: DocumentHeader
    title: TitleBlock | None
    kinh_gui: tuple[str, ...]
    sections: tuple[Section, ...]
    footer: Footer
    appendices: tuple[AppendixContent, ...] = ()
    page: PageSettings = field(default_factory=PageSettings)

    # --- reading ------------------------------------------------------------------------------

    def section(self, key: str) -> Section:
        for s in self.sections:
            if s.key == key:
                return s
        raise KeyError(key)

    def body_blocks(self) -> list[Block]:
        return [b for s in self.sections for b in s.blocks]

    def plain_text(self) -> str:
        """Every word of the document, in reading order (for search and for tests)."""
        parts: list[str] = []
        if self.header.letter_subject:
            parts.append(self.header.letter_subject)
        if self.title is not None:
            parts += [self.title.doc_type, self.title.subject]
        parts += self.kinh_gui
        for block in self.body_blocks():
            parts += _block_text(block)
        parts += self.footer.recipients
        for a in self.appendices:
            parts += [a.label, a.title, a.reference]
            for block in a.blocks:
                parts += _block_text(block)
        return "\n".join(p for p in parts if p)

    def fields(self) -> list[EditableField]:
        """What the user may change before printing, in the order it is printed."""
        out: list[EditableField] = []
        if self.header.letter_subject is not None:
            out.append(
                EditableField(
                    LETTER_SUBJECT_KEY,
                    "Trích yếu (V/v …)",
                    self.header.letter_subject,
                    multiline=False,
                )
            )
        if self.title is not None:
            out.append(
                EditableField(
                    TITLE_KEY, "Trích yếu (tên văn bản)", self.title.subject, multiline=False
                )
            )
        if self.kinh_gui:
            out.append(
                EditableField(KINH_GUI_KEY, "Kính gửi (mỗi dòng một nơi)", "\n".join(self.kinh_gui))
            )
        out += [EditableField(s.key, s.label, s.text()) for s in self.sections if s.editable]
        out.append(
            EditableField(
                NOI_NHAN_KEY, "Nơi nhận (mỗi dòng một nơi)", "\n".join(self.footer.recipients)
            )
        )
        return out

    # --- editing ------------------------------------------------------------------------------

    def edited(self, edits: Mapping[str, str]) -> DocumentContent:
        """This content with the fields in ``edits`` replaced (unknown keys are ignored: a saved
        edit of a section the document no longer has is dropped, never printed elsewhere)."""
        edits = edits_differing(self, edits)
        if not edits:
            return self
        content = self
        if LETTER_SUBJECT_KEY in edits and self.header.letter_subject is not None:
            content = replace(
                content,
                header=replace(content.header, letter_subject=_one_line(edits[LETTER_SUBJECT_KEY])),
            )
        if TITLE_KEY in edits and content.title is not None:
            content = replace(
                content, title=replace(content.title, subject=_one_line(edits[TITLE_KEY]))
            )
        if KINH_GUI_KEY in edits and self.kinh_gui:
            content = replace(content, kinh_gui=_lines(edits[KINH_GUI_KEY]))
        if NOI_NHAN_KEY in edits:
            content = replace(
                content, footer=replace(content.footer, recipients=_lines(edits[NOI_NHAN_KEY]))
            )
        # A section whose text is put back as generated keeps its generated styles.
        sections = tuple(
            replace(s, blocks=blocks_from_text(edits[s.key]))
            if s.key in edits and s.editable and _normalised(edits[s.key]) != _normalised(s.text())
            else s
            for s in content.sections
        )
        return replace(content, sections=sections)


def _block_text(block: Block) -> list[str]:
    if isinstance(block, TableBlock):
        return [block.caption, *block.header, *(cell for row in block.rows for cell in row)]
    return [block.text]


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _lines(text: str) -> tuple[str, ...]:
    return tuple(" ".join(line.split()) for line in text.splitlines() if line.strip())


def edits_differing(content: DocumentContent, edits: Mapping[str, str]) -> dict[str, str]:
    """Only the edits that change something (what is worth keeping with an issued document)."""
    generated = {f.key: f.text for f in content.fields()}
    return {
        k: v
        for k, v in edits.items()
        if k in generated and _normalised(v) != _normalised(generated[k])
    }


def _normalised(text: str) -> str:
    return "\n".join(" ".join(line.split()) for line in text.splitlines() if line.strip())
