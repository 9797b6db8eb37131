"""One entry point for the window and the command line: build the chosen document, as PDF or as
a Word document (.docx)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from app.db import Database
from app.documents.common import DocumentKind, DocumentOptions, Target, layout_error
from app.documents.content import DocumentContent
from app.errors import ValidationError

Format = Literal["pdf", "docx"]
FORMATS: tuple[Format, ...] = ("pdf", "docx")


@dataclass(frozen=True)
class Generated:
    """A document as generated (``content``, no edits applied), as printed (``printed``, the
    options' edits applied) and the data it was made from."""

    content: DocumentContent
    printed: DocumentContent
    data: object


def format_of(target: Target, fmt: str | None = None) -> Format:
    """The output format: ``fmt`` when given, else Word for a path ending in ".docx", else PDF."""
    if fmt is not None:
        value = fmt.strip().lower().lstrip(".")
        if value not in FORMATS:
            raise ValueError(f"Unknown document format: {fmt!r}")
        return "docx" if value == "docx" else "pdf"
    if isinstance(target, str | os.PathLike) and Path(target).suffix.lower() == ".docx":
        return "docx"
    return "pdf"


def content_of(db: Database, options: DocumentOptions) -> tuple[DocumentContent, object]:
    """The generated content of the document ``options`` describe, and its data (SummaryData,
    ReminderData, UnitSheetData or UnitReminderData); ``options.edits`` are not applied."""
    if options.kind is DocumentKind.SUMMARY:
        from app.documents.summary_report import summary_content

        return summary_content(db, options)
    if options.kind is DocumentKind.REMINDER:
        from app.documents.reminder_letter import reminder_content

        return reminder_content(db, options)
    if options.kind is DocumentKind.UNIT_REMINDER:
        from app.documents.unit_reminder import unit_reminder_content

        return unit_reminder_content(db, options)
    if options.kind is DocumentKind.ESCALATION:
        from app.documents.escalation_letter import escalation_content

        return escalation_content(db, options)
    from app.documents.unit_sheet import unit_sheet_content

    return unit_sheet_content(db, options)


def content(db: Database, options: DocumentOptions) -> tuple[DocumentContent, object]:
    """The document ``options`` describes as generated (``options.edits`` not applied), and the
    data printed (see :func:`content_of`)."""
    return content_of(db, options)


def generate(
    db: Database,
    options: DocumentOptions,
    target: Target,
    *,
    strict: bool = False,
    fmt: str | None = None,
) -> Generated:
    """Write the document ``options`` describe (with its edits) to ``target``, as PDF or Word
    (:func:`format_of`). ``strict``: an edit of a field the document does not have is refused
    (the command line), instead of dropped (a kept edit of a section that is gone)."""
    document, data = content_of(db, options)
    if strict:
        from app.documents.text_file import check_keys

        check_keys(document, options.edit_map)
    return render(document, data, options, target, fmt=fmt)


def render(
    document: DocumentContent,
    data: object,
    options: DocumentOptions,
    target: Target,
    *,
    fmt: str | None = None,
) -> Generated:
    """Draw already generated ``document`` with ``options``' edits (the print dialog, when
    only the text changed since the last build: the data is not gathered again)."""
    from reportlab.platypus.doctemplate import LayoutError

    printed = document.edited(options.edit_map)
    try:
        if format_of(target, fmt) == "docx":
            from app.documents.render_docx import write_docx

            write_docx(printed, target)
        else:
            from app.documents.render_pdf import write_pdf

            write_pdf(printed, target)
    except ValueError as exc:
        raise layout_error(exc) from None
    except LayoutError:
        raise ValidationError(
            "Không dàn được văn bản lên trang: một phần không được ngắt trang (trích yếu, "
            "“Kính gửi” hoặc “Nơi nhận”) dài hơn một trang. Hãy rút ngắn phần đó (hoặc bấm "
            "“Khôi phục nội dung tự sinh”).",
            field="edits",
        ) from None
    return Generated(content=document, printed=printed, data=data)


def build(
    db: Database, options: DocumentOptions, target: Target, *, fmt: str | None = None
) -> object:
    """Write the document ``options`` describes to ``target`` (a path: written atomically).

    ``fmt`` "pdf" or "docx"; by default Word when ``target`` is a path ending in ".docx", PDF
    otherwise. Returns the data printed (SummaryData, ReminderData, UnitSheetData or
    UnitReminderData).
    """
    return generate(db, options, target, fmt=fmt).data
