"""Starting again after a damaged database: find the backups, put one back, never losing the
damaged file (it is kept aside, in case an expert can still read it).

Backups found beside a database (``<folder>/backups/``): the copies made before an upgrade
(``*.db``), the copies kept before a restore and manual backups (``*.zip``), and the automatic
backups (``tu-dong/*.zip``). A ``.zip`` is checked completely (``verify_backup``: checksums,
``integrity_check``, a known schema) before anything is touched.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from app.dates import fmt_time
from app.db.engine import SQLITE_HEADER
from app.errors import DatabaseError
from app.text import number_text

BACKUP_FOLDER = "backups"


AUTO_FOLDER = "tu-dong"


@dataclass(frozen=True)
class BackupFile:
    path: Path
    modified: dt.datetime  # when the backup was made (a zip's manifest), else the file's time
    size: int

    @property
    def is_zip(self) -> bool:
        return self.path.suffix.lower() == ".zip"

    @property
    def kind_label(self) -> str:
        name = self.path.name
        if name.startswith("tu-dong-") and self.is_zip:
            return "sao lưu tự động"
        if name.startswith("truoc-khoi-phuc-"):
            return "trước khi khôi phục"
        if name.startswith("truoc-nang-cap-"):
            return "trước khi nâng cấp"
        return "sao lưu thủ công" if self.is_zip else "bản sao"

    @property
    def label(self) -> str:
        kb = max(1, self.size // 1024)
        return (
            f"{self.path.name} — {fmt_time(self.modified)} — {number_text(kb)} KB"
            f" — {self.kind_label}"
        )


def backup_folder(db_path: Path) -> Path:
    return db_path.resolve().parent / BACKUP_FOLDER


def _zip_created(path: Path) -> dt.datetime | None:
    """The time in a backup's manifest (read without checking the whole file), if readable."""
    import json
    import zipfile

    try:
        with zipfile.ZipFile(path) as zf:
            if zf.getinfo("manifest.json").file_size > 16 << 20:  # not ours: never read whole
                return None
            manifest = json.loads(zf.read("manifest.json").decode("utf-8"))
        return dt.datetime.fromisoformat(str(manifest["created"]))
    except Exception:  # any unreadable zip: listed by its file time, refused when chosen
        return None


def list_backups(db_path: Path) -> list[BackupFile]:
    """The backups beside a database, newest first: ``backups/*.db`` (copies before an
    upgrade), ``backups/*.zip`` (before a restore, manual) and ``backups/tu-dong/*.zip``
    (automatic). Listed without being checked: a damaged one is refused when chosen."""
    folder = backup_folder(db_path)
    if not folder.is_dir():
        return []
    found = []
    candidates = [
        *folder.glob("*.db"),
        *folder.glob("*.zip"),
        *(folder / AUTO_FOLDER).glob("*.zip"),
    ]
    for path in candidates:
        try:
            stat = path.stat()
        except OSError:
            continue
        if not path.is_file():
            continue
        when = _zip_created(path) if path.suffix.lower() == ".zip" else None
        found.append(
            BackupFile(path, when or dt.datetime.fromtimestamp(stat.st_mtime), stat.st_size)
        )
    return sorted(found, key=lambda b: (b.modified, b.path.name), reverse=True)


def check_backup(path: Path) -> None:
    """A backup is put back only when it is a sound SQLite file."""
    try:
        with path.open("rb") as handle:
            header = handle.read(16)
    except OSError as exc:
        raise DatabaseError(f"Không đọc được bản sao lưu {path}: {exc.strerror or exc}.") from exc
    if header != SQLITE_HEADER:
        raise DatabaseError(
            f"Tệp {path.name} không phải bản sao lưu hợp lệ (không phải tệp "
            "SQLite). Hãy chọn bản sao lưu khác."
        )
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = [r[0] for r in con.execute("PRAGMA quick_check").fetchall()]
    except sqlite3.Error as exc:
        raise DatabaseError(
            f"Bản sao lưu {path.name} cũng bị hỏng ({exc}). Hãy chọn bản sao lưu khác."
        ) from exc
    finally:
        con.close()
    if rows != ["ok"]:
        raise DatabaseError(f"Bản sao lưu {path.name} cũng bị hỏng. Hãy chọn bản sao lưu khác.")


def restore_backup(backup: Path, db_path: Path, *, now: dt.datetime | None = None) -> Path:
    """Put ``backup`` (a ``.db`` copy or a ``.zip`` backup) in place of ``db_path``. The
    backup is checked first (a ``.zip`` with ``verify_backup``). The current file (and its
    -wal/-shm) is moved aside, never deleted; returns where it was kept. The copy is complete
    before the database file is replaced (a crash half-way leaves either file whole).

    A ``.zip`` also brings back its attachments folder; the current one is then kept aside as
    ``attachments.hong-<date-time>``. The restored file is upgraded to this program's schema
    when it is next opened (with the usual pre-upgrade copy)."""
    stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    if backup.suffix.lower() != ".zip":
        check_backup(backup)
        return _put_in_place(backup, db_path, stamp, attachments=None)
    from app.exchange.backup import ATTACHMENTS, DB_MEMBER, opened_backup

    with opened_backup(backup, stage_in=db_path.resolve().parent) as (_info, folder):
        restored = folder / ATTACHMENTS
        return _put_in_place(
            folder / DB_MEMBER, db_path, stamp, attachments=restored if restored.is_dir() else None
        )


def _put_in_place(source: Path, db_path: Path, stamp: str, *, attachments: Path | None) -> Path:
    aside = db_path.with_name(f"{db_path.stem}.hong-{stamp}{db_path.suffix or '.db'}")
    staged = db_path.with_name(db_path.name + ".khoi-phuc.tmp")
    current_files = db_path.resolve().parent / "attachments"
    incoming = current_files.with_name(f".attachments-khoi-phuc-{stamp}")
    files_aside = current_files.with_name(f"attachments.hong-{stamp}")
    moved_files = False
    try:
        shutil.copyfile(source, staged)
        with staged.open("rb+") as handle:
            os.fsync(handle.fileno())
        if attachments is not None:
            shutil.copytree(attachments, incoming)
            if current_files.exists():
                os.replace(current_files, files_aside)
                moved_files = True
            os.replace(incoming, current_files)
        if db_path.exists():
            os.replace(db_path, aside)
            for suffix in ("-wal", "-shm"):
                side = Path(str(db_path) + suffix)
                if side.exists():
                    os.replace(side, Path(str(aside) + suffix))
        os.replace(staged, db_path)
    except OSError as exc:
        staged.unlink(missing_ok=True)
        shutil.rmtree(incoming, ignore_errors=True)
        if moved_files and not db_path.with_name(aside.name).exists():
            if current_files.exists():
                shutil.rmtree(current_files, ignore_errors=True)
            os.replace(files_aside, current_files)
        raise DatabaseError(
            f"Không khôi phục được bản sao lưu: {exc.strerror or exc}. Tệp dữ "
            "liệu hiện tại không bị thay đổi."
        ) from exc
    return aside
