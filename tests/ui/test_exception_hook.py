"""An unhandled error in a slot: logged with its traceback in the data folder, a short
Vietnamese apology naming the log, the window goes on and the data stays consistent."""

from __future__ import annotations

import logging
import logging.handlers
import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

import ui.dialogs.messages as messages
from app.db import Database
from app.models import Unit, UnitKind
from ui.app import install_exception_hook, setup_logging
from ui.main_window import MainWindow


@pytest.fixture
def hook_and_log(tmp_path: Path) -> Iterator[Path]:
    saved_hook = sys.excepthook
    root = logging.getLogger()
    saved_handlers = list(root.handlers)
    for handler in saved_handlers:
        if isinstance(handler, logging.handlers.RotatingFileHandler):
            root.removeHandler(handler)
    log_path = setup_logging(tmp_path / "data")
    messages.set_log_path(str(log_path))
    install_exception_hook()
    yield log_path
    sys.excepthook = saved_hook
    messages.set_log_path("")
    for handler in list(root.handlers):
        if handler not in saved_handlers:
            root.removeHandler(handler)
            handler.close()


def _units(db: Database) -> int:
    """Units as another program sees them (a fresh connection, outside the window's)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(db.engine.url) if db.path is None else None
    if engine is not None:
        try:
            with engine.connect() as conn:
                return int(conn.execute(text("SELECT count(*) FROM unit")).scalar_one())
        finally:
            engine.dispose()
    con = sqlite3.connect(db.path)
    try:
        return int(con.execute("SELECT count(*) FROM unit").fetchone()[0])
    finally:
        con.close()


@pytest.mark.qt_no_exception_capture
def test_unhandled_error_in_a_slot(
    qtbot: QtBot, sample_db: Database, hook_and_log: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    boxes: list[tuple[str, str]] = []
    monkeypatch.setattr(
        messages.QMessageBox,
        "critical",
        staticmethod(lambda _parent, title, text: boxes.append((title, text))),
    )
    window = MainWindow(sample_db)
    qtbot.addWidget(window)
    window.show()
    units_before = _units(sample_db)
    clicks: list[int] = []

    def half_done_then_bug() -> None:
        clicks.append(1)
        with sample_db.write() as session:  # a write in progress when the bug strikes
            session.add(
                Unit(
                    name="Đơn vị viết dở",
                    short_name="",
                    kind=UnitKind.OTHER.value,
                    sort_order=99,
                    head_title="",
                    address="",
                    phone="",
                    email="",
                    contact_person="",
                    note="",
                    search_key="don vi viet do",
                )
            )
            session.flush()
            raise ZeroDivisionError("lỗi lập trình giả định trong một khe (slot)")

    button = QPushButton("Thử", window)
    button.clicked.connect(half_done_then_bug)
    button.click()
    qtbot.waitUntil(lambda: bool(boxes), timeout=3000)

    title, text = boxes[0]
    assert title == "Xin lỗi, đã có lỗi"
    assert "Xin lỗi" in text and str(hook_and_log) in text
    for handler in logging.getLogger().handlers:
        handler.flush()
    logged = hook_and_log.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in logged
    assert "ZeroDivisionError: lỗi lập trình giả định" in logged
    assert "half_done_then_bug" in logged
    assert _units(sample_db) == units_before  # the half-done write was rolled back

    # The program goes on: the window is alive and answers, the next click is handled too.
    assert window.isVisible()
    window.set_as_of(window.today())
    button.click()
    qtbot.waitUntil(lambda: len(boxes) == 2, timeout=3000)
    assert len(clicks) == 2 and window.isVisible()


@pytest.mark.qt_no_exception_capture
def test_an_app_error_escaping_a_slot_shows_its_own_message(
    qtbot: QtBot, sample_db: Database, hook_and_log: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.errors import Conflict

    warnings: list[str] = []
    monkeypatch.setattr(
        messages.QMessageBox,
        "warning",
        staticmethod(lambda _parent, title, text: warnings.append(text)),
    )
    window = MainWindow(sample_db)
    qtbot.addWidget(window)
    button = QPushButton("Thử", window)

    def conflict() -> None:
        raise Conflict("Văn bản này vừa được sửa ở nơi khác. Hãy tải lại (F5) rồi sửa lại.")

    button.clicked.connect(conflict)
    button.click()
    qtbot.waitUntil(lambda: bool(warnings), timeout=3000)
    assert warnings == ["Văn bản này vừa được sửa ở nơi khác. Hãy tải lại (F5) rồi sửa lại."]
