"""Starting again after a damaged database: find the backups, put one back, never losing the
damaged file (it is kept aside, in case an expert can still read it)."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from app.db.engine import SQLITE_HEADER
from app.errors import DatabaseError

BACKUP_FOLDER = "backups"


@dataclass(frozen=True)
class BackupFile:
    path: Path
    modified: dt.datetime
    size: int

    @property
    def label(self) -> str:
        kb = max(1, self.size // 1024)
        return f"{self.path.name} — {self.modified:%d/%m/%Y %H:%M} — {kb:,} KB".replace(",", ".")


def backup_folder(db_path: Path) -> Path:
    return db_path.resolve().parent / BACKUP_FOLDER


def list_backups(db_path: Path) -> list[BackupFile]:
    """The backups beside a database (``<folder>/backups/*.db``), newest first."""
    folder = backup_folder(db_path)
    if not folder.is_dir():
        return []
    found = []
    for path in folder.glob("*.db"):
        try:
            stat = path.stat()
        except OSError:
            continue
        if path.is_file():
            found.append(BackupFile(path, dt.datetime.fromtimestamp(stat.st_mtime), stat.st_size))
    return sorted(found, key=lambda b: (b.modified, b.path.name), reverse=True)


def check_backup(path: Path) -> None:
    """A backup is put back only when it is a sound SQLite file."""
    try:
        with path.open("rb") as handle:
            header = handle.read(16)
    except OSError as exc:
        raise DatabaseError(f"Không đọc được bản sao lưu {path}: {exc.strerror or exc}.") from exc
    if header != SQLITE_HEADER:
        raise DatabaseError(f"Tệp {path.name} không phải bản sao lưu hợp lệ (không phải tệp "
                            "SQLite). Hãy chọn bản sao lưu khác.")
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = [r[0] for r in con.execute("PRAGMA quick_check").fetchall()]
    except sqlite3.Error as exc:
        raise DatabaseError(f"Bản sao lưu {path.name} cũng bị hỏng ({exc}). Hãy chọn bản sao "
                            "lưu khác.") from exc
    finally:
        con.close()
    if rows != ["ok"]:
        raise DatabaseError(f"Bản sao lưu {path.name} cũng bị hỏng. Hãy chọn bản sao lưu khác.")


def restore_backup(backup: Path, db_path: Path, *, now: dt.datetime | None = None) -> Path:
    """Put ``backup`` in place of ``db_path``. The current file (and its -wal/-shm) is moved
    aside first, never deleted; returns where it was kept. The copy is complete before the
    database file is replaced (a crash half-way leaves either file whole)."""
    check_backup(backup)
    stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    aside = db_path.with_name(f"{db_path.stem}.hong-{stamp}{db_path.suffix or '.db'}")
    staged = db_path.with_name(db_path.name + ".khoi-phuc.tmp")
    try:
        shutil.copyfile(backup, staged)
        with staged.open("rb+") as handle:
            os.fsync(handle.fileno())
        if db_path.exists():
            os.replace(db_path, aside)
            for suffix in ("-wal", "-shm"):
                side = Path(str(db_path) + suffix)
                if side.exists():
                    os.replace(side, Path(str(aside) + suffix))
        os.replace(staged, db_path)
    except OSError as exc:
        staged.unlink(missing_ok=True)
        raise DatabaseError(f"Không khôi phục được bản sao lưu: {exc.strerror or exc}. Tệp dữ "
                            "liệu hiện tại không bị thay đổi.") from exc
    return aside
