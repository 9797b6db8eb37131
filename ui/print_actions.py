"""The "In ấn" menu of the main window and the entry point pages call from their
"In / Xuất PDF" buttons: :func:`open_document_dialog`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence

if TYPE_CHECKING:
    from app.documents.common import DocumentKind
    from ui.dialogs.document_dialog import DocumentDialog
    from ui.main_window import MainWindow

MENU_TITLE = "&In ấn"
# The kinds by their values (``DocumentKind`` is a StrEnum: equal keys): importing
# app.documents pulls in ReportLab (~0.8 s), so it waits until a document is asked for.
ACTIONS: tuple[tuple[str, str, str | None], ...] = (
    ("summary", "Báo cáo tổng hợp…", "Ctrl+P"),
    ("reminder", "Công văn đôn đốc…", None),
    ("unit-sheet", "Phiếu theo dõi đơn vị…", None),
    ("escalation", "Dự thảo công văn UBND tỉnh đôn đốc…", None),
)


def install_print_actions(window: MainWindow) -> None:
    """Add the "In ấn" menu (after "Xem") with one action per document; Ctrl+P opens the
    dialog on the synthesis report."""
    menu = window.menuBar().addMenu(MENU_TITLE)
    help_menu = getattr(window, "help_menu", None)
    if help_menu is not None:  # keep "Trợ giúp" last
        window.menuBar().insertMenu(help_menu.menuAction(), menu)
    window.print_menu = menu  # type: ignore[attr-defined]
    window.print_actions = {}  # type: ignore[attr-defined]
    for kind, text, shortcut in ACTIONS:
        action = QAction(text, window)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _checked=False, k=kind: open_document_dialog(window, k))
        menu.addAction(action)
        window.print_actions[kind] = action  # type: ignore[attr-defined]


def open_document_dialog(window: MainWindow, kind: DocumentKind | str = "summary",
                         directive_id: int | None = None, unit_id: int | None = None
                         ) -> DocumentDialog:
    """Open the document dialog (non-modal) on ``kind``, preselecting a directive or a unit;
    the as-of day is the window's."""
    from app.documents.common import DocumentKind
    from ui.dialogs.document_dialog import DocumentDialog

    dialog = DocumentDialog(window.db, as_of=window.as_of, kind=DocumentKind(kind),
                            directive_id=directive_id, unit_id=unit_id, parent=window,
                            today=window.today())
    window.document_dialog = dialog  # type: ignore[attr-defined]
    dialog.show()
    return dialog
