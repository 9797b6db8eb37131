"""UI fixtures: the main window on the sample data, seen on 02/05/2018; message boxes recorded
instead of shown; background work run inline."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication, QDialog

from app.db import Database
from ui import tasks
from ui.dialogs import messages

TODAY = dt.date(2018, 5, 2)


@dataclass
class MessageLog:
    errors: list[str] = field(default_factory=list)
    infos: list[str] = field(default_factory=list)
    confirms: list[str] = field(default_factory=list)
    answer: bool = True
    unsaved: list[str] = field(default_factory=list)  # forms closed with changes
    unsaved_answer: str = messages.UNSAVED_DISCARD


@pytest.fixture
def message_log(monkeypatch: pytest.MonkeyPatch) -> MessageLog:
    log = MessageLog()

    def show_error(_parent: Any, exc: BaseException, title: str = "") -> None:
        log.errors.append(getattr(exc, "message", str(exc)))

    def show_info(_parent: Any, _title: str, text: str) -> None:
        log.infos.append(text)

    def confirm(_parent: Any, _title: str, text: str, **_kw: Any) -> bool:
        log.confirms.append(text)
        return log.answer

    monkeypatch.setattr(messages, "show_error", show_error)
    monkeypatch.setattr(messages, "show_info", show_info)

    def ask_unsaved(_parent: Any, what: str = "") -> str:
        log.unsaved.append(what)
        return log.unsaved_answer

    monkeypatch.setattr(messages, "confirm", confirm)
    monkeypatch.setattr(messages, "ask_unsaved", ask_unsaved)
    return log


@pytest.fixture
def window(qtbot: Any, sample_db: Database, message_log: MessageLog) -> Iterator[Any]:
    from ui.main_window import MainWindow

    QSettings().clear()  # no column layout or sort left over from another test
    tasks.set_synchronous(True)
    win = MainWindow(sample_db, today=TODAY)
    win.set_as_of(TODAY)
    qtbot.addWidget(win)
    win.show()
    yield win
    _close(win)


@pytest.fixture
def empty_window(qtbot: Any, db: Database, message_log: MessageLog) -> Iterator[Any]:
    from ui.main_window import MainWindow

    QSettings().clear()
    tasks.set_synchronous(True)
    win = MainWindow(db, today=TODAY)
    win.set_as_of(TODAY)
    qtbot.addWidget(win)
    win.show()
    yield win
    _close(win)


def _close(win: Any) -> None:
    """The window fixtures tear down before their database: the window is closed (its pages
    stop loading and drop late results) and its running loads end while the database is
    still there; ``tests/conftest.py`` then deletes what is left before closing it."""
    tasks.set_synchronous(False)
    if shiboken6.isValid(win):
        win.close()
    tasks.wait_for_background()


def search_settled(qtbot: Any, page: Any) -> None:
    """The warnings page asks for a search once the user pauses typing, or at once on Enter:
    the user presses Enter (no waiting, and no event processing meanwhile that would let the
    view fetch more rows of the list before the assertions look at its first page)."""
    page.search_edit.returnPressed.emit()
    assert not page.search_timer.isActive()


def page_of(window: Any, cls: type) -> Any:
    for i in range(window.tabs.count()):
        page = window.tabs.widget(i)
        if isinstance(page, cls):
            window.tabs.setCurrentIndex(i)
            return page
    raise AssertionError(f"no page {cls.__name__}")


@dataclass
class ModalResult:
    dialog: QDialog | None = None
    errors: dict[str, str] = field(default_factory=dict)
    accepted: bool = False
    seen: bool = False


def with_modal(qtbot: Any, trigger: Callable[[], Any], fill: Callable[[Any], None]) -> ModalResult:
    """Run ``trigger`` (which opens a modal dialog), let ``fill`` type into the dialog and press
    Enter; if the dialog stays open (an error), record its field messages and close it."""
    result = ModalResult()

    def act() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(20, act)
            return
        result.dialog = dialog
        result.seen = True
        try:
            fill(dialog)
        finally:
            collect(dialog)

    def collect(dialog: Any) -> None:
        if dialog.isVisible():
            keys = getattr(dialog, "_fields", {})
            result.errors = {k: dialog.error_text(k) for k in keys if dialog.error_text(k)}
            general = getattr(dialog, "general_error", None)
            if general is not None and general.text() and general.isVisibleTo(dialog):
                result.errors["_"] = general.text()
            dialog.reject()
        else:
            result.accepted = dialog.result() == QDialog.DialogCode.Accepted

    QTimer.singleShot(0, act)
    trigger()
    assert result.seen, "the dialog did not open"
    return result


def type_text(widget: Any, text: str) -> None:
    """Type ``text`` key by key. Vietnamese letters arrive as the typing tool (Unikey) sends
    them: key events carrying the composed character (QTest only knows ASCII keys)."""
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtTest import QTest

    for ch in text:
        if ord(ch) < 128:
            QTest.keyClick(widget, ch)
            continue
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, ch))
