"""The start-up dialog for a database that cannot be opened: backups newest first, restore
only after asking (the damaged file kept aside), another file, quit."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

import ui.dialogs.database_error_dialog as dialog_module
from app.db import connect
from app.db.engine import sqlite_backup
from app.services.sample import load_sample
from ui.dialogs import messages
from ui.dialogs.database_error_dialog import DatabaseErrorDialog


@pytest.fixture
def damaged_with_backups(tmp_path: Path) -> Path:
    """A damaged database with two good backups (the newer has the sample) and a bad one."""
    path = tmp_path / "sotheodoi.db"
    db = connect(str(path))
    backups = tmp_path / "backups"
    sqlite_backup(path, backups / "tu-dong-20180101.db")  # empty
    load_sample(db)
    db.dispose()
    sqlite_backup(path, backups / "tu-dong-20180502.db")  # with the sample
    (backups / "hong.db").write_bytes(b"not a backup")
    old = time.time() - 3 * 86400
    os.utime(backups / "tu-dong-20180101.db", (old, old))
    os.utime(backups / "hong.db", (old - 86400, old - 86400))
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def _no_boxes(monkeypatch: pytest.MonkeyPatch, answer: bool) -> list[str]:
    shown: list[str] = []
    monkeypatch.setattr(
        dialog_module, "confirm", lambda _p, title, text, **_k: shown.append(text) or answer
    )
    monkeypatch.setattr(dialog_module, "show_info", lambda _p, title, text: shown.append(text))
    monkeypatch.setattr(messages, "show_error", lambda _p, exc, **_k: shown.append(str(exc)))
    return shown


def test_lists_backups_newest_first(qtbot: QtBot, damaged_with_backups: Path) -> None:
    dialog = DatabaseErrorDialog("Tệp dữ liệu bị hỏng.", damaged_with_backups)
    qtbot.addWidget(dialog)
    names = [
        dialog.backup_list.item(i).text().split(" — ")[0] for i in range(dialog.backup_list.count())
    ]
    assert names == ["tu-dong-20180502.db", "tu-dong-20180101.db", "hong.db"]
    assert dialog.backup_list.currentRow() == 0
    assert dialog.restore_button.text() == "Khôi phục bản sao lưu gần nhất…"
    assert dialog.other_button.text() == "Chọn tệp dữ liệu khác…"
    assert dialog.quit_button.text() == "Thoát"
    dialog.show()
    dialog.grab().save(str(damaged_with_backups.parent / "dialog.png"))


def test_restore_asks_first_and_keeps_the_damaged_file(
    qtbot: QtBot, damaged_with_backups: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    damaged = damaged_with_backups.read_bytes()
    dialog = DatabaseErrorDialog("Tệp dữ liệu bị hỏng.", damaged_with_backups)
    qtbot.addWidget(dialog)
    shown = _no_boxes(monkeypatch, answer=False)
    dialog.restore_button.click()
    assert damaged_with_backups.read_bytes() == damaged  # "No": nothing changed
    assert dialog.action == DatabaseErrorDialog.QUIT and "không bị xoá" in shown[0]

    shown = _no_boxes(monkeypatch, answer=True)
    dialog.restore_button.click()
    assert dialog.action == DatabaseErrorDialog.RESTORED
    assert dialog.restored_aside is not None
    assert dialog.restored_aside.read_bytes() == damaged  # kept aside, whole
    db = connect(str(damaged_with_backups))  # the program starts on the restored file
    try:
        from app.services.units import list_units

        assert len(list_units(db)) == 34
    finally:
        db.dispose()


def test_a_damaged_backup_is_not_restored(
    qtbot: QtBot, damaged_with_backups: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    damaged = damaged_with_backups.read_bytes()
    dialog = DatabaseErrorDialog("Tệp dữ liệu bị hỏng.", damaged_with_backups)
    qtbot.addWidget(dialog)
    shown = _no_boxes(monkeypatch, answer=True)
    dialog.backup_list.setCurrentRow(2)  # hong.db
    assert dialog.restore_button.text() == "Khôi phục bản sao lưu đã chọn…"
    dialog.restore_button.click()
    assert "không phải bản sao lưu hợp lệ" in shown[-1]
    assert dialog.action == DatabaseErrorDialog.QUIT
    assert damaged_with_backups.read_bytes() == damaged


def test_no_backups_says_where_it_looked(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = DatabaseErrorDialog("Tệp dữ liệu bị hỏng.", tmp_path / "x.db")
    qtbot.addWidget(dialog)
    assert not dialog.restore_button.isEnabled()
    assert "Không tìm thấy bản sao lưu" in dialog.backups_label.text()


def test_choose_another_file_and_quit(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = DatabaseErrorDialog("Tệp dữ liệu bị hỏng.", tmp_path / "x.db")
    qtbot.addWidget(dialog)
    other = tmp_path / "khac.db"
    monkeypatch.setattr(
        dialog_module.QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(other), ""))
    )
    dialog.other_button.click()
    assert dialog.action == DatabaseErrorDialog.OTHER and dialog.chosen_path == other
    dialog.quit_button.click()
    assert dialog.action == DatabaseErrorDialog.QUIT


def test_startup_offers_the_dialog_and_opens_the_restored_file(
    qtbot: QtBot, damaged_with_backups: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ui.app import open_database_with_recovery

    _no_boxes(monkeypatch, answer=True)
    seen: list[str] = []

    def exec_and_restore(self: DatabaseErrorDialog) -> int:
        seen.append(self.message)
        self.restore_button.click()
        return 1

    monkeypatch.setattr(DatabaseErrorDialog, "exec", exec_and_restore)
    opened = open_database_with_recovery(damaged_with_backups)
    assert opened is not None
    db, path = opened
    db.dispose()  # type: ignore[attr-defined]
    assert path == damaged_with_backups and len(seen) == 1 and "hỏng" in seen[0]
    assert list(damaged_with_backups.parent.glob("sotheodoi.hong-*.db"))


def test_startup_quit_returns_nothing_and_touches_nothing(
    qtbot: QtBot, damaged_with_backups: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ui.app import open_database_with_recovery

    damaged = damaged_with_backups.read_bytes()
    monkeypatch.setattr(DatabaseErrorDialog, "exec", lambda self: self.quit_button.click() or 0)
    assert open_database_with_recovery(damaged_with_backups) is None
    assert damaged_with_backups.read_bytes() == damaged
    shutil.rmtree(damaged_with_backups.parent / "backups")


def test_retry_opens_the_file_once_the_other_program_lets_go(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlite3

    import app.db.engine as engine
    from ui.app import open_database_with_recovery

    monkeypatch.setattr(engine, "BUSY_TIMEOUT_MS", 200)
    path = tmp_path / "sotheodoi.db"
    connect(str(path)).dispose()
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("PRAGMA locking_mode=EXCLUSIVE")
    other.execute("BEGIN EXCLUSIVE")
    messages: list[str] = []

    def exec_then_retry(self: DatabaseErrorDialog) -> int:
        messages.append(self.message)
        other.execute("ROLLBACK")
        other.close()  # the other program is closed; the user clicks "Thử lại"
        self.retry_button.click()
        return 1

    monkeypatch.setattr(DatabaseErrorDialog, "exec", exec_then_retry)
    opened = open_database_with_recovery(path)
    assert opened is not None
    opened[0].dispose()  # type: ignore[attr-defined]
    assert len(messages) == 1 and "chương trình khác" in messages[0]


def test_lists_automatic_zip_backups_and_restores_one(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The automatic and pre-restore ``.zip`` backups are listed newest first; a tampered one
    is refused after checking; a good one is restored, the damaged file kept aside."""
    from tests.core.test_recovery_backups import make_damaged_with_zips

    path = make_damaged_with_zips(tmp_path)
    damaged = path.read_bytes()
    dialog = DatabaseErrorDialog("Tệp dữ liệu bị hỏng.", path)
    qtbot.addWidget(dialog)
    texts = [dialog.backup_list.item(i).text() for i in range(dialog.backup_list.count())]
    assert [t.split(" — ")[0] for t in texts] == [
        "tu-dong-20181231-120000-thoat.zip",
        "truoc-khoi-phuc-20181231-080000.zip",
        "tu-dong-20181230-080000-khoi-dong.zip",
        "truoc-nang-cap-20181201-080000.db",
    ]
    assert texts[0].endswith("sao lưu tự động") and "tự động" in dialog.backups_label.text()
    dialog.show()
    dialog.grab().save(str(tmp_path / "dialog-zips.png"))

    shown = _no_boxes(monkeypatch, answer=True)
    dialog.restore_button.click()  # the newest: tampered
    assert "sha256" in shown[-1] and dialog.action == DatabaseErrorDialog.QUIT
    assert path.read_bytes() == damaged

    dialog.backup_list.setCurrentRow(2)
    shown = _no_boxes(monkeypatch, answer=True)
    dialog.restore_button.click()
    assert "tệp đính kèm hiện tại cũng được giữ lại" in shown[0]
    assert dialog.action == DatabaseErrorDialog.RESTORED
    assert dialog.restored_aside is not None and dialog.restored_aside.read_bytes() == damaged
    db = connect(str(path))
    try:
        from app.services.units import list_units

        assert len(list_units(db)) == 34
    finally:
        db.dispose()


def test_the_window_never_touches_another_programs_file(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`--db other-program.db` in the window: the dialog says whose file it is, and the file
    and its folder stay exactly as they were (no table added, no WAL switch, no backup)."""
    import sqlite3

    from ui.app import open_database_with_recovery

    other = tmp_path / "danh-ba.db"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE contact (name TEXT, phone TEXT)")
    con.execute("INSERT INTO contact VALUES ('Nguyễn Văn A', '0255 3822 111')")
    con.commit()
    con.close()
    before = other.read_bytes()
    seen: list[str] = []

    def exec_and_quit(self: DatabaseErrorDialog) -> int:
        seen.append(self.message)
        self.quit_button.click()
        return 0

    monkeypatch.setattr(DatabaseErrorDialog, "exec", exec_and_quit)
    assert open_database_with_recovery(other, quick_check=False) is None
    assert len(seen) == 1 and "của một chương trình khác" in seen[0]
    assert other.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["danh-ba.db"]
