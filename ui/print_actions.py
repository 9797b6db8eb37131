"""The "In ấn" menu of the main window and the entry point pages call from their
"In / Xuất PDF" buttons: :func:`open_document_dialog`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence

if TYPE_CHECKING:
    from app.documents.common import DocumentKind, DocumentOptions
    from ui.dialogs.document_dialog import DocumentDialog
    from ui.dialogs.issued_documents_dialog import IssuedDocumentsDialog
    from ui.main_window import MainWindow

MENU_TITLE = "&In ấn"
# The kinds by their values (``DocumentKind`` is a StrEnum: equal keys): importing
# app.documents pulls in ReportLab (~0.8 s), so it waits until a document is asked for.
ACTIONS: tuple[tuple[str, str, str | None], ...] = (
    ("summary", "Báo cáo tổng hợp…", "Ctrl+P"),
    ("reminder", "Công văn đôn đốc…", None),
    ("unit-sheet", "Phiếu theo dõi đơn vị…", None),
    ("unit-reminder", "Công văn đôn đốc theo đơn vị…", None),
    ("escalation", "Dự thảo công văn UBND tỉnh đôn đốc…", None),
)
ISSUED_TEXT = "Văn bản đã phát hành…"


def install_print_actions(window: MainWindow) -> None:
    """Add the "In ấn" menu (after "Xem") with one action per document; Ctrl+P opens the
    dialog on the synthesis report."""
    menu = window.menuBar().addMenu(MENU_TITLE)
    # keep "Trợ giúp" last
    window.menuBar().insertMenu(window.help_menu.menuAction(), menu)
    window.print_menu = menu  # type: ignore[attr-defined]
    window.print_actions = {}  # type: ignore[attr-defined]
    for kind, text, shortcut in ACTIONS:
        action = QAction(text, window)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _checked=False, k=kind: open_document_dialog(window, k))
        menu.addAction(action)
        window.print_actions[kind] = action  # type: ignore[attr-defined]
    menu.addSeparator()
    issued = QAction(ISSUED_TEXT, window)
    issued.setStatusTip(
        "Các văn bản đã in hoặc lưu: mở lại, sao chép cho kỳ mới, xem các lần đôn đốc từng đơn vị."
    )
    issued.triggered.connect(lambda _checked=False: open_issued_documents(window))
    menu.addAction(issued)
    window.issued_action = issued  # type: ignore[attr-defined]


def open_document_dialog(
    window: MainWindow,
    kind: DocumentKind | str = "summary",
    directive_id: int | None = None,
    unit_id: int | None = None,
    *,
    options: DocumentOptions | None = None,
    issued_id: int | None = None,
    follow_up_round: int = 0,
) -> DocumentDialog:
    """Open the document dialog (non-modal) on ``kind``, preselecting a directive or a unit;
    the as-of day is the window's. ``options``: start from these instead (a kept document
    reopened, ``issued_id`` its id, or copied)."""
    from app.documents.common import DocumentKind
    from ui.dialogs.document_dialog import DocumentDialog

    if options is not None:
        kind = options.kind
    dialog = DocumentDialog(
        window.db,
        as_of=options.as_of if options else window.as_of,
        kind=DocumentKind(kind),
        directive_id=directive_id,
        unit_id=unit_id,
        parent=window,
        today=window.today(),
        options=options,
        issued_id=issued_id,
        follow_up_round=follow_up_round,
    )
    window.document_dialog = dialog  # type: ignore[attr-defined]
    dialog.issuedKept.connect(lambda _id: _issued_kept(window))
    dialog.show()
    return dialog


def _issued_kept(window: MainWindow) -> None:
    """A document was kept (the pages showing reminders sent were told by its operation):
    the open list of issued documents follows."""
    listing = getattr(window, "issued_documents_dialog", None)
    if listing is not None and listing.isVisible():
        listing.reload()


def open_issued_documents(
    window: MainWindow, directive_id: int | None = None, unit_id: int | None = None
) -> IssuedDocumentsDialog:
    """Open "Văn bản đã phát hành" (non-modal), filtered on a directive or a unit; reopening or
    copying a document opens the print dialog on it."""
    from ui.dialogs.issued_documents_dialog import IssuedDocumentsDialog

    def opener(options: DocumentOptions, issued_id: int | None) -> DocumentDialog:
        return open_document_dialog(window, options=options, issued_id=issued_id)

    dialog = IssuedDocumentsDialog(
        window.db,
        today=window.as_of,
        opener=opener,
        directive_id=directive_id,
        unit_id=unit_id,
        parent=window,
    )
    window.issued_documents_dialog = dialog  # type: ignore[attr-defined]
    dialog.show()
    return dialog
