"""One entry point for the window and the command line: build the chosen document, as PDF or as
a Word document (.docx)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from app.db import Database
from app.documents.common import DocumentKind, DocumentOptions, Target, layout_error
from app.documents.content import DocumentContent

Format = Literal["pdf", "docx"]
FORMATS: tuple[Format, ...] = ("pdf", "docx")


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


def content(db: Database, options: DocumentOptions) -> tuple[DocumentContent, object]:
    """The document ``options`` describes as generated (``options.edits`` not applied), and the
    data printed (SummaryData, ReminderData or UnitSheetData)."""
    if options.kind is DocumentKind.SUMMARY:
        from app.documents.summary_report import summary_content

        return summary_content(db, options)
    if options.kind is DocumentKind.REMINDER:
        from app.documents.reminder_letter import reminder_content

        return reminder_content(db, options)
    if options.kind is DocumentKind.ESCALATION:
        from app.documents.escalation_letter import escalation_content

        return escalation_content(db, options)
    from app.documents.unit_sheet import unit_sheet_content

    return unit_sheet_content(db, options)


def build(db: Database, options: DocumentOptions, target: Target, *,
          fmt: str | None = None) -> object:
    """Write the document ``options`` describes to ``target`` (a path: written atomically).

    ``fmt`` "pdf" or "docx"; by default Word when ``target`` is a path ending in ".docx", PDF
    otherwise. Returns the data printed (SummaryData, ReminderData or UnitSheetData).
    """
    if format_of(target, fmt) == "docx":
        from app.documents.render_docx import write_docx

        document, data = content(db, options)
        try:
            write_docx(document.edited(options.edit_map), target)
        except ValueError as exc:
            raise layout_error(exc) from None
        return data
    if options.kind is DocumentKind.SUMMARY:
        from app.documents.summary_report import build_summary_report

        return build_summary_report(db, options, target)
    if options.kind is DocumentKind.REMINDER:
        from app.documents.reminder_letter import build_reminder_letter

        return build_reminder_letter(db, options, target)
    if options.kind is DocumentKind.ESCALATION:
        from app.documents.escalation_letter import build_escalation_letter

        return build_escalation_letter(db, options, target)
    from app.documents.unit_sheet import build_unit_sheet

    return build_unit_sheet(db, options, target)
