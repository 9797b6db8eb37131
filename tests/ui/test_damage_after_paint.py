"""The damage check (``PRAGMA quick_check``) runs after the window is shown: a file damaged
where opening it does not look is found then, and the recovery dialog of a damaged file is
offered (restore a backup, another file, quit). A file that is not a database at all is still
refused before any window."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

import ui.app as app_module
import ui.dialogs.database_error_dialog as dialog_module
from app.db import connect
from app.db.engine import damage_error, sqlite_backup
from app.errors import DatabaseError
from app.paths import DATA_ENV
from app.services.sample import load_sample
from ui import tasks
from ui.dialogs import messages
from ui.dialogs.database_error_dialog import DatabaseErrorDialog

pytestmark = pytest.mark.sqlite_only


@pytest.fixture(autouse=True)
def _inline(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    monkeypatch.setenv(DATA_ENV, str(tmp_path / "data"))
    monkeypatch.setattr(app_module, "START_BACKUP_DELAY_MS", 3_600_000)
    tasks.set_synchronous(True)
    yield
    tasks.set_synchronous(False)
    window = app_module.CURRENT.get("window")
    if window is not None:
        window.close()
    db = app_module.CURRENT.get("db")
    if db is not None:
        db.dispose()
    app_module.CURRENT.clear()


def _damage_a_page_opening_does_not_read(path: Path) -> None:
    """Garbage over an index page the window does not use at start-up."""
    con = sqlite3.connect(path)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    try:
        (page,) = con.execute(
            "SELECT pageno FROM dbstat WHERE name = 'ix_attachment_blob_entity' LIMIT 1"
        ).fetchone()
    except sqlite3.OperationalError:
        pytest.skip("this SQLite has no dbstat table")
    finally:
        con.close()
    with path.open("r+b") as handle:
        handle.seek((page - 1) * 4096)
        handle.write(b"\xff" * 4096)


@pytest.fixture
def damaged(tmp_path: Path) -> Path:
    path = tmp_path / "sotheodoi.db"
    db = connect(str(path))
    load_sample(db)
    db.dispose()
    sqlite_backup(path, tmp_path / "backups" / "tu-dong-20180502.db")
    _damage_a_page_opening_does_not_read(path)
    return path


def _no_boxes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dialog_module, "confirm", lambda *_a, **_k: True)
    monkeypatch.setattr(dialog_module, "show_info", lambda *_a, **_k: None)
    monkeypatch.setattr(messages, "show_error", lambda *_a, **_k: None)


def test_opening_leaves_the_damage_check_for_later(damaged: Path) -> None:
    with pytest.raises(DatabaseError, match="hỏng"):
        connect(str(damaged)).dispose()  # the command line still checks first
    db = connect(str(damaged), quick_check=False)  # the window: header and revision only
    db.dispose()
    error = damage_error(damaged)
    assert error is not None and "kiểm tra toàn vẹn không đạt" in error.message


def test_damage_found_after_the_paint_offers_the_backups(
    qtbot: QtBot, damaged: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _no_boxes(monkeypatch)
    seen: list[str] = []

    def exec_and_restore(self: DatabaseErrorDialog) -> int:
        seen.append(self.message)
        self.restore_button.click()
        return 1

    monkeypatch.setattr(DatabaseErrorDialog, "exec", exec_and_restore)
    started = app_module.start_window(["--db", str(damaged)])
    assert not isinstance(started, int)
    first_window, first_db = started
    assert len(seen) == 1 and "bị hỏng" in seen[0] and "sao lưu" in seen[0]
    assert not first_window.isVisible()  # replaced by a window on the restored file
    window, db = app_module.CURRENT["window"], app_module.CURRENT["db"]
    assert window is not first_window and db is not first_db and window.isVisible()
    assert damage_error(damaged) is None  # the backup is in place
    assert list(damaged.parent.glob("sotheodoi.hong-*.db"))  # the damaged file kept aside


def test_quitting_from_the_dialog_ends_the_program(
    qtbot: QtBot, damaged: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _no_boxes(monkeypatch)
    monkeypatch.setattr(DatabaseErrorDialog, "exec", lambda self: self.quit_button.click() or 0)
    exits: list[int] = []
    from PySide6.QtWidgets import QApplication

    monkeypatch.setattr(QApplication.instance(), "exit", lambda code=0: exits.append(code))
    started = app_module.start_window(["--db", str(damaged)])
    assert not isinstance(started, int)
    window, _db = started
    assert exits == [DatabaseError.exit_code]
    assert not window.isVisible() and "db" not in app_module.CURRENT


def test_a_sound_file_gets_its_notice_and_backup_after_the_check(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "ok.db"
    db = connect(str(path))
    load_sample(db)
    db.dispose()
    order: list[str] = []
    real = app_module.verify_after_paint
    monkeypatch.setattr(
        app_module, "verify_after_paint", lambda w, d: (order.append("check"), real(w, d))
    )
    monkeypatch.setattr(
        app_module, "_schedule_start_backup", lambda _db, _window: order.append("backup")
    )
    started = app_module.start_window(["--db", str(path)])
    assert not isinstance(started, int)
    assert order == ["check", "backup"]


def test_not_a_database_is_still_refused_before_the_window(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "notes.db"
    path.write_text("Họ và tên,Đơn vị\n", encoding="utf-8")
    messages: list[str] = []

    def exec_and_quit(self: DatabaseErrorDialog) -> int:
        messages.append(self.message)
        self.quit_button.click()
        return 0

    monkeypatch.setattr(DatabaseErrorDialog, "exec", exec_and_quit)
    assert app_module.start_window(["--db", str(path)]) == DatabaseError.exit_code
    assert len(messages) == 1 and "không phải tệp SQLite" in messages[0]
    assert "window" not in app_module.CURRENT


def test_with_the_real_thread_pool_the_check_waits_for_the_page_and_the_backup_for_all(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As in the running program: the check starts on the page's ``loaded`` signal, the
    # start-up backup on the window's ``firstLoadsDone`` (every page built and loaded) —
    # nothing polls.
    path = tmp_path / "ok.db"
    db = connect(str(path))
    load_sample(db)
    db.dispose()
    seen: list[tuple[str, bool]] = []

    def loaded(window: object) -> bool:
        return bool(window.current_page().is_loaded)  # type: ignore[attr-defined]

    real = app_module.verify_after_paint
    monkeypatch.setattr(
        app_module,
        "verify_after_paint",
        lambda w, d: (seen.append(("check", loaded(w))), real(w, d)),
    )
    monkeypatch.setattr(
        app_module,
        "_schedule_start_backup",
        lambda _db, w: seen.append(
            (
                "backup",
                len(w.pages) == 6
                and all(p.is_loaded for p in w.pages)
                and not w.first_loads_pending(),
            )
        ),
    )
    tasks.set_synchronous(False)
    started = app_module.start_window(["--db", str(path)])
    assert not isinstance(started, int)
    window, _db = started
    assert not loaded(window)  # shown before its data
    qtbot.waitUntil(lambda: len(seen) == 2, timeout=30_000)
    assert seen == [("check", True), ("backup", True)]
    tasks.wait_for_background()
