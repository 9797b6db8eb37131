"""One entry point for the window and the command line: build the chosen document."""

from __future__ import annotations

from app.db import Database
from app.documents.common import DocumentKind, DocumentOptions, Target


def build(db: Database, options: DocumentOptions, target: Target) -> object:
    """Write the document ``options`` describes to ``target`` (a path: written atomically).

    Returns the data printed (SummaryData, ReminderData or UnitSheetData).
    """
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
