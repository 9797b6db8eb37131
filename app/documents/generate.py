"""One entry point for the window and the command line: build the chosen document."""

from __future__ import annotations

from dataclasses import dataclass

from app.db import Database
from app.documents.common import DocumentKind, DocumentOptions, Target, layout_error
from app.documents.content import DocumentContent
from app.errors import ValidationError


@dataclass(frozen=True)
class Generated:
    """A document as generated (``content``, no edits applied), as printed (``printed``, the
    options' edits applied) and the data it was made from."""

    content: DocumentContent
    printed: DocumentContent
    data: object


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
    from app.documents.unit_sheet import unit_sheet_content

    return unit_sheet_content(db, options)


def generate(db: Database, options: DocumentOptions, target: Target, *,
             strict: bool = False) -> Generated:
    """Write the document ``options`` describe (with its edits) to ``target`` as PDF.
    ``strict``: an edit of a field the document does not have is refused (the command line),
    instead of dropped (a kept edit of a section that is gone)."""
    content, data = content_of(db, options)
    if strict:
        from app.documents.text_file import check_keys

        check_keys(content, options.edit_map)
    return render(content, data, options, target)


def render(content: DocumentContent, data: object, options: DocumentOptions,
           target: Target) -> Generated:
    """Draw already generated ``content`` with ``options``' edits (the print dialog, when
    only the text changed since the last build: the data is not gathered again)."""
    from reportlab.platypus.doctemplate import LayoutError

    from app.documents.render_pdf import write_pdf

    printed = content.edited(options.edit_map)
    try:
        write_pdf(printed, target)
    except ValueError as exc:
        raise layout_error(exc) from None
    except LayoutError:
        raise ValidationError(
            "Không dàn được văn bản lên trang: một phần không được ngắt trang (trích yếu, "
            "“Kính gửi” hoặc “Nơi nhận”) dài hơn một trang. Hãy rút ngắn phần đó (hoặc bấm "
            "“Khôi phục nội dung tự sinh”).", field="edits") from None
    return Generated(content=content, printed=printed, data=data)


def build(db: Database, options: DocumentOptions, target: Target) -> object:
    """Write the document ``options`` describes to ``target`` (a path: written atomically).

    Returns the data printed (SummaryData, ReminderData, UnitSheetData or UnitReminderData).
    """
    return generate(db, options, target).data
