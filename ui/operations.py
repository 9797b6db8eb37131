"""One user operation, written once: ask → call the service → say what went wrong → tell the
window what changed → go on.

Replaces the try/except written out at every button: an ``AppError`` shows its Vietnamese
message under ``error_title`` (or where the widget shows its own, ``on_error``); anything else
is logged with its traceback and the user sees the short apology
(``ui.dialogs.messages.show_error``). What the call wrote is recorded by the database
(``Database.track_changes``, app/changes.py) and broadcast to the window
(``MainWindow.broadcast``), so no page, dialog or action says itself what a write changed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

import shiboken6
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QDialog, QWidget

from app.changes import Change, Written
from app.errors import AppError

if TYPE_CHECKING:
    from ui.main_window import MainWindow
    from ui.pages.base import Page

T = TypeVar("T")


@dataclass(frozen=True)
class Confirm:
    """The question asked before an operation; ``yes`` names the button that goes on."""

    title: str
    text: str
    yes: str = "Đồng ý"


def main_window_of(widget: QObject | None) -> MainWindow | None:
    """The main window ``widget`` belongs to (walking up its parents), if any."""
    from ui.main_window import MainWindow

    obj = widget
    while obj is not None and shiboken6.isValid(obj):
        if isinstance(obj, MainWindow):
            return obj
        obj = obj.parent()
    return None


@dataclass
class Broadcast:
    """What ``broadcasting`` tells the window at its end. ``source``: the page that reloads
    itself, skipped (set once the operation succeeded: a failed one reloads it too)."""

    source: Page | None = None


@contextmanager
def broadcasting(widget: QObject | None) -> Iterator[Broadcast]:
    """What the writes made inside the block (on the UI thread) changed is broadcast to the
    window of ``widget`` when it ends, failed or not. A block inside another leaves the
    broadcast to the outermost, once."""
    told = Broadcast()
    window = main_window_of(widget)
    if window is None or window.db.tracking_changes:
        yield told
        return
    written = Written()
    try:
        with window.db.track_changes() as written:
            yield told
    finally:  # the pages reload once the block's writes are all recorded
        if written.value:
            window.broadcast(written.value, source=told.source)


def exec_dialog(dialog: QDialog, *, source: Page | None = None) -> bool:
    """Open a modal dialog whose operations write (a form that saves, a table of holidays):
    what they changed is broadcast once, when it closes (to ``source`` too unless it was
    accepted: the page reloads itself then). True when it was accepted."""
    with broadcasting(dialog.parent()) as told:
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        told.source = source if accepted else None
    return accepted


def run_writing_in_background(
    widget: QObject | None,
    fn: Callable[[], T],
    on_done: Callable[[T], None],
    on_error: Callable[[BaseException], None],
) -> None:
    """``ui.tasks.run_in_background`` for work that writes (an import, its undo): what it wrote
    on the worker thread is broadcast to the window of ``widget`` on the UI thread, before
    ``on_done`` or ``on_error``."""
    from ui.tasks import run_in_background

    window = main_window_of(widget)
    said: list[Change] = []

    def work() -> T:
        if window is None:
            return fn()
        with window.db.track_changes() as written:
            try:
                return fn()
            finally:
                said.append(written.value)

    def tell() -> None:
        change = said.pop() if said else Change.NONE
        if window is not None and change:
            window.broadcast(change)

    def done(result: T) -> None:
        tell()
        on_done(result)

    def failed(exc: BaseException) -> None:
        tell()
        on_error(exc)

    run_in_background(work, done, failed)


E = TypeVar("E", bound=AppError)


def shown_by(show: Callable[[E], None], kind: type[E]) -> Callable[[Exception], bool]:
    """``on_error`` for a widget that shows its own errors: an error of ``kind`` is shown by
    ``show`` (in the dialog's message line, at the form's fields); anything else goes to the
    usual message box (an ``AppError``'s words, or logged with the apology)."""

    def handled(exc: Exception) -> bool:
        if isinstance(exc, kind):
            show(exc)
            return True
        return False

    return handled


def run_operation(
    parent: QWidget | None,
    call: Callable[[], T],
    *,
    confirm: Confirm | None = None,
    error_title: str = "Không thực hiện được",
    on_error: Callable[[Exception], bool] | None = None,
    source: Page | None = None,
    done: Callable[[T], None] | None = None,
) -> bool:
    """Ask ``confirm`` (the user says no: False) → ``call()`` → what it wrote is broadcast to
    the window (``broadcasting``; ``source``, the page whose ``done`` reloads it, is skipped
    when it succeeded) → on an error, ``on_error(exc)`` shows it where the widget
    wants (per field, in a status line; returns True when it did), else the message box, and
    False → ``done(result)`` → True."""
    from ui.dialogs import messages

    if confirm is not None and not messages.confirm(
        parent, confirm.title, confirm.text, yes=confirm.yes
    ):
        return False
    result: Any = None
    error: Exception | None = None
    with broadcasting(parent) as told:
        try:
            result = call()
            told.source = source  # it reloads itself in ``done``
        except Exception as exc:  # an AppError says what to do; anything else is logged
            error = exc
    if error is not None:
        if on_error is None or not on_error(error):
            messages.show_error(parent, error, title=error_title)
        return False
    if done is not None:
        done(result)
    return True
