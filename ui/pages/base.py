"""The contract every tab page keeps with the main window (docs/architecture.md, "ui/").

A page is a :class:`Page`: the window calls its methods directly (no duck typing), and the
page tells the window what happened through three signals:

- ``loaded``: the page shows the data it asked for (after every load, first one included);
  ``is_loaded`` says whether that has happened at least once;
- ``countChanged(int)``: the number shown in the tab's title ("Cảnh báo hạn (12)");
  ``current_count`` keeps the last one for a window connected later;
- ``openObligationRequested(int)``: the user asked to open one obligation.

What a write changed (:class:`app.changes.Change`) is recorded by the database, not said by
the page: the page's operations (``operate``, ``exec_form``) broadcast it through the window
(``MainWindow.broadcast``) and each page reloads only when the change ``concerns`` it.
The back-reference to the window is ``main_window`` on every page.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from app.changes import Change
from ui.operations import Confirm, exec_dialog, run_operation

__all__ = ["Confirm", "Page"]

if TYPE_CHECKING:
    from PySide6.QtWidgets import QDialog

    from ui.main_window import MainWindow

T = TypeVar("T")


class Page(QWidget):
    """A tab page. Subclasses implement ``refresh()`` and call ``set_loaded()`` once the data
    is shown; the other methods are the window's menu actions (Thêm/Sửa/Xoá/Tìm/Lịch sử,
    Xuất Excel, opening an obligation), a no-op on pages that do not offer them."""

    loaded = Signal()
    countChanged = Signal(int)
    openObligationRequested = Signal(int)

    # the changes after which this page reloads (a document issued only concerns the pages
    # that show the reminders sent: they override ``on_changed``)
    concerns: Change = (
        Change.UNITS | Change.DIRECTIVES | Change.SUBMISSIONS | Change.SETTINGS | Change.DAY
    )

    def __init__(self, main_window: MainWindow, parent: QWidget | None = None) -> None:
        super().__init__(parent if parent is not None else main_window)
        self.main_window = main_window
        self.db = main_window.db
        self.is_loaded = False
        self.current_count = 0

    # --- loading ---------------------------------------------------------------------------
    def refresh(self) -> None:
        """Load (again) what the page shows, for the window's "as of" day."""
        raise NotImplementedError

    def on_changed(self, change: Change) -> None:
        """A write elsewhere changed ``change``: reload when it concerns this page."""
        if change & self.concerns:
            self.refresh()

    def operate(
        self,
        call: Callable[[], T],
        *,
        confirm: Confirm | None = None,
        error_title: str = "Không thực hiện được",
        done: Callable[[T], None] | None = None,
    ) -> bool:
        """One user operation (``ui.operations.run_operation``): ask ``confirm`` → ``call``
        the service → the other pages what it wrote concerns reload → an error is shown (an
        ``AppError`` in its own Vietnamese words under ``error_title``; anything else logged,
        with the apology) and nothing else happens → ``done(result)`` (the page reloads what it
        shows, selects, says what happened). True when the operation was done."""
        return run_operation(
            self, call, confirm=confirm, error_title=error_title, source=self, done=done
        )

    def exec_form(self, dialog: QDialog) -> bool:
        """Open a form that saves itself (``ui.dialogs.form_dialog.FormDialog``): what it wrote
        is broadcast to the other pages when it closes; the page reloads itself when this
        returns True (the form was saved)."""
        return exec_dialog(dialog, source=self)

    def set_loaded(self) -> None:
        self.is_loaded = True
        self.loaded.emit()

    def set_count(self, count: int) -> None:
        self.current_count = count
        self.countChanged.emit(count)

    # --- the window's actions --------------------------------------------------------------
    def save_state(self) -> None:
        """Column widths, splitters… kept in QSettings when the window closes."""

    def export_excel(self, path: Path | None = None) -> None:
        """Ctrl+E: the list on screen (filter, search, order) to an .xlsx file."""

    def new_item(self) -> None:
        """Ctrl+N."""

    def edit_item(self) -> None:
        """F2."""

    def delete_item(self) -> None:
        """Del."""

    def focus_search(self) -> None:
        """Ctrl+F."""

    def show_history(self) -> None:
        """Ctrl+H."""

    def open_obligation(self, obligation_id: int) -> bool:
        """Open the registration/intake form of one obligation when this page handles it."""
        return False
