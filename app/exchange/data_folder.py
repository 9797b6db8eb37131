"""Moving the data folder: copy the database (online backup API) and the attachments to a new
folder, verify the copy, then record the new location in a small pointer file in the user's
configuration folder. The old folder is left as it was (nothing is deleted)."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

from app.db import Database
from app.errors import AppError, ValidationError
from app.exchange.backup import (
    ATTACHMENTS,
    _attachment_files,
    _integrity,
    _sha256,
    attachments_dir,
    copy_database,
    table_counts,
)
from app.fileio import atomic_path, disk_error
from app.paths import DB_FILENAME, location_file


@dataclass(frozen=True)
class MoveResult:
    old_db: Path
    new_db: Path
    attachments: int
    pointer: Path

    def describe(self) -> str:
        return (
            f"Đã chuyển dữ liệu sang {self.new_db.parent} ({self.attachments} tệp đính kèm) "
            f"và kiểm tra bản chép khớp với dữ liệu gốc. Thư mục cũ {self.old_db.parent} "
            "vẫn giữ nguyên; có thể xoá sau khi đã dùng ổn định thư mục mới."
        )


def move_data(db: Database, new_folder: Path | str, *, now: dt.datetime) -> MoveResult:
    if db.path is None or not db.path.exists():
        raise AppError("Chỉ chuyển được dữ liệu dạng tệp (SQLite).")
    folder = Path(new_folder).expanduser()
    old_db = db.path.resolve()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise disk_error(exc, folder) from exc
    folder = folder.resolve()
    if folder == old_db.parent:
        raise ValidationError("Thư mục mới trùng thư mục dữ liệu hiện tại; hãy chọn thư mục khác.")
    new_db = folder / DB_FILENAME
    if new_db.exists():
        raise ValidationError(
            f"Thư mục {folder} đã có tệp dữ liệu {DB_FILENAME}. Hãy chọn một thư mục trống để "
            "không ghi đè dữ liệu đang có."
        )
    old_attachments = attachments_dir(db)
    new_attachments = folder / ATTACHMENTS
    if new_attachments.exists():
        raise ValidationError(
            f"Thư mục {folder} đã có thư mục {ATTACHMENTS}; hãy chọn thư mục trống."
        )
    with atomic_path(new_db) as tmp:
        copy_database(old_db, tmp)
    count = 0
    try:
        if old_attachments is not None and old_attachments.is_dir():
            staging = folder / f".{ATTACHMENTS}-dang-chep"
            shutil.rmtree(staging, ignore_errors=True)
            shutil.copytree(old_attachments, staging)
            staging.rename(new_attachments)
        # Verify: database readable and identical in row counts, attachments identical.
        if _integrity(new_db) != "ok" or table_counts(new_db) != table_counts(old_db):
            raise AppError("Bản chép cơ sở dữ liệu không khớp bản gốc.")
        old_files = {m: _sha256(p) for p, m in _attachment_files(old_attachments)}
        new_files = {m: _sha256(p) for p, m in _attachment_files(new_attachments)}
        if old_files != new_files:
            raise AppError("Bản chép tệp đính kèm không khớp bản gốc.")
        count = len(new_files)
    except (AppError, OSError) as exc:
        new_db.unlink(missing_ok=True)
        shutil.rmtree(new_attachments, ignore_errors=True)
        if isinstance(exc, OSError):
            raise disk_error(exc, folder) from exc
        raise AppError(
            f"Chưa chuyển được dữ liệu: {exc} Dữ liệu vẫn ở thư mục cũ "
            f"{old_db.parent}; hãy thử lại hoặc chọn thư mục khác."
        ) from exc
    pointer = location_file()
    with atomic_path(pointer) as tmp:
        tmp.write_text(
            json.dumps(
                {"db": str(new_db), "moved_from": str(old_db), "moved_at": now.isoformat()},
                ensure_ascii=False,
                indent=2,
            ),
            encoding="utf-8",
        )
    return MoveResult(old_db=old_db, new_db=new_db, attachments=count, pointer=pointer)
