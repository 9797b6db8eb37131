"""Backups: one ``.zip`` holding the database (copied with SQLite's online backup API), the
attachments folder and a manifest (program version, schema revision, time, row counts, sha256
of every member). Restore checks everything before touching the current data, keeps a copy of
it, then migrates the restored database to this program's schema.

Automatic backups (:func:`auto_backup`) go to ``<data folder>/backups/tu-dong/`` on start and
on exit, rotated to the last N days and M months (settings ``backup_keep_daily`` and
``backup_keep_monthly``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import re
import shutil
import sqlite3
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from app import APP_NAME, __version__
from app.dates import fmt, fmt_time
from app.db import Database
from app.errors import AppError, DatabaseError, ValidationError
from app.fileio import atomic_path, disk_error
from app.text import number_text

log = logging.getLogger(__name__)

FORMAT = "sotheodoi-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DB_MEMBER = "sotheodoi.db"
ATTACHMENTS = "attachments"
BACKUP_DIR = "backups"
AUTO_DIR = "tu-dong"
_AUTO_NAME = re.compile(r"^tu-dong-(\d{8})-(\d{6})(?:-[a-z0-9-]+)?\.zip$")
_CHUNK = 1 << 20


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    created: dt.datetime
    program_version: str
    schema_revision: str | None
    tables: dict[str, int]
    files: dict[str, str] = field(default_factory=dict)  # member -> sha256
    reason: str = ""

    @property
    def attachment_count(self) -> int:
        return sum(1 for m in self.files if m.startswith(ATTACHMENTS + "/"))

    def describe(self) -> str:
        rows = sum(self.tables.values())
        return (f"Bản sao lưu {self.path.name}: tạo lúc {self.created:%H:%M} ngày "
                f"{fmt(self.created)}, phiên bản {self.program_version}, {len(self.tables)} bảng, "
                f"{number_text(rows)} dòng dữ liệu, "
                f"{self.attachment_count} tệp đính kèm.")


@dataclass(frozen=True)
class RestoreResult:
    info: BackupInfo
    safety_copy: Path | None  # the data as it was before the restore
    upgraded_from: str | None  # the backup's schema, when it was migrated to head

    def describe(self) -> str:
        text = (f"Đã khôi phục dữ liệu từ {self.info.path.name} "
                f"({fmt_time(self.info.created)}).")
        if self.safety_copy:
            text += f" Dữ liệu trước khi khôi phục được giữ tại {self.safety_copy}."
        if self.upgraded_from:
            text += " Dữ liệu đã được nâng cấp lên lược đồ của phiên bản này."
        return text


def attachments_dir(db: Database) -> Path | None:
    if db.path is None:
        return None
    return db.path.resolve().parent / ATTACHMENTS


def backups_dir(db: Database) -> Path:
    if db.path is None:
        raise AppError("Chỉ sao lưu được cơ sở dữ liệu dạng tệp (SQLite).")
    return db.path.resolve().parent / BACKUP_DIR


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def copy_database(source: Path, destination: Path) -> None:
    """Online backup of a live SQLite file into ``destination`` (single file, no WAL)."""
    src = sqlite3.connect(str(source))
    try:
        dst = sqlite3.connect(str(destination))
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")
            dst.commit()
        finally:
            dst.close()
    finally:
        src.close()


def table_counts(path: Path) -> dict[str, int]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        names = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name")]
        return {n: int(conn.execute(f'SELECT COUNT(*) FROM "{n}"').fetchone()[0]) for n in names}
    finally:
        conn.close()


def _revision(path: Path) -> str | None:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        try:
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        except sqlite3.DatabaseError:
            return None
        return str(row[0]) if row else None
    finally:
        conn.close()


def _integrity(path: Path) -> str:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = conn.execute("PRAGMA integrity_check").fetchall()
        return "; ".join(str(r[0]) for r in rows[:5])
    except sqlite3.DatabaseError as exc:
        return str(exc)
    finally:
        conn.close()


def _attachment_files(folder: Path | None) -> Iterator[tuple[Path, str]]:
    if folder is None or not folder.is_dir():
        return
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            rel = path.relative_to(folder).as_posix()
            yield path, f"{ATTACHMENTS}/{rel}"


def default_backup_name(now: dt.datetime) -> str:
    return f"sotheodoi-saoluu-{now:%Y%m%d-%H%M%S}.zip"


def create_backup(db: Database, out: Path | str, *, now: dt.datetime, reason: str = "thủ công"
                  ) -> BackupInfo:
    """Write one ``.zip`` backup. ``out`` is a file, or a folder to put a dated file in."""
    if db.path is None or not db.path.exists():
        raise AppError("Chưa có tệp dữ liệu để sao lưu.")
    target = Path(out)
    if target.is_dir() or str(out).endswith(("/", os.sep)):
        target = target / default_backup_name(now)
    elif target.suffix.lower() != ".zip":
        target = target.with_name(target.name + ".zip")
    with tempfile.TemporaryDirectory(prefix="sotheodoi-backup-") as tmp_dir:
        snapshot = Path(tmp_dir) / DB_MEMBER
        try:
            copy_database(db.path, snapshot)
        except sqlite3.DatabaseError as exc:
            raise DatabaseError(f"Không sao chép được cơ sở dữ liệu: {exc}.") from exc
        except OSError as exc:
            raise disk_error(exc, snapshot) from exc
        files = {DB_MEMBER: _sha256(snapshot)}
        attachments = list(_attachment_files(attachments_dir(db)))
        for path, member in attachments:
            files[member] = _sha256(path)
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "program": APP_NAME,
            "program_version": __version__,
            "schema_revision": _revision(snapshot),
            "created": now.replace(microsecond=0).isoformat(),
            "reason": reason,
            "database": DB_MEMBER,
            "tables": table_counts(snapshot),
            "files": files,
        }
        with atomic_path(target) as tmp, zipfile.ZipFile(
                tmp, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as zf:
            zf.write(snapshot, DB_MEMBER)
            for path, member in attachments:
                zf.write(path, member)
            zf.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2))
    return _info(target, manifest)


def _info(path: Path, manifest: dict[str, object]) -> BackupInfo:
    created = dt.datetime.fromisoformat(str(manifest["created"]))
    tables = manifest.get("tables") or {}
    files = manifest.get("files") or {}
    assert isinstance(tables, dict) and isinstance(files, dict)
    return BackupInfo(path=path, created=created,
                      program_version=str(manifest.get("program_version", "")),
                      schema_revision=manifest.get("schema_revision") or None,  # type: ignore[arg-type]
                      tables={str(k): int(v) for k, v in tables.items()},
                      files={str(k): str(v) for k, v in files.items()},
                      reason=str(manifest.get("reason", "")))


def _bad(path: Path, why: str) -> ValidationError:
    return ValidationError(
        f"Tệp {path.name} không dùng để khôi phục được: {why} Dữ liệu hiện tại không bị thay "
        "đổi. Hãy chọn bản sao lưu khác.")


def _safe_member(name: str) -> bool:
    pure = PurePosixPath(name)
    return not pure.is_absolute() and ".." not in pure.parts and "\\" not in name and \
        not re.match(r"^[A-Za-z]:", name)


@contextmanager
def opened_backup(path: Path | str) -> Iterator[tuple[BackupInfo, Path]]:
    """Check a backup completely and yield (info, folder where it was extracted).

    Checks: a readable zip, its manifest, every member's sha256 (no member missing or extra,
    no path leaving the folder), ``PRAGMA integrity_check``, and a schema revision this
    program knows (not newer). The folder is removed afterwards.
    """
    from app.db.migrate import _known_revisions

    source = Path(path)
    if not source.is_file():
        raise ValidationError(f"Không tìm thấy tệp sao lưu {source}.")
    if not zipfile.is_zipfile(source):
        raise _bad(source, "không phải tệp sao lưu (.zip) của chương trình.")
    with tempfile.TemporaryDirectory(prefix="sotheodoi-restore-") as tmp_dir:
        folder = Path(tmp_dir)
        try:
            with zipfile.ZipFile(source) as zf:
                broken = zf.testzip()
                if broken is not None:
                    raise _bad(source, f"tệp bị hỏng (thành phần {broken} không đọc được).")
                names = set(zf.namelist())
                if MANIFEST not in names:
                    raise _bad(source, "thiếu tệp mô tả (manifest.json).")
                try:
                    manifest = json.loads(zf.read(MANIFEST).decode("utf-8"))
                except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                    raise _bad(source, f"tệp mô tả hỏng ({exc}).") from exc
                if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
                    raise _bad(source, "không phải bản sao lưu của Sổ theo dõi.")
                if int(manifest.get("format_version", 0)) > FORMAT_VERSION:
                    raise _bad(source, "được tạo bởi phiên bản mới hơn của chương trình; hãy "
                                       "cài phiên bản mới nhất.")
                files = manifest.get("files")
                if not isinstance(files, dict) or DB_MEMBER not in files:
                    raise _bad(source, "tệp mô tả không liệt kê cơ sở dữ liệu.")
                extra = names - set(files) - {MANIFEST}
                missing = set(files) - names
                if missing or extra:
                    raise _bad(source, "nội dung không khớp tệp mô tả ("
                               + ", ".join(sorted(missing | extra))[:200] + ").")
                for member, digest in files.items():
                    if not _safe_member(member):
                        raise _bad(source, f"đường dẫn không an toàn: {member}.")
                    out = folder / member
                    out.parent.mkdir(parents=True, exist_ok=True)
                    hasher = hashlib.sha256()
                    with zf.open(member) as src, out.open("wb") as dst:
                        while chunk := src.read(_CHUNK):
                            hasher.update(chunk)
                            dst.write(chunk)
                    if hasher.hexdigest() != digest:
                        raise _bad(source, f"{member} không đúng mã kiểm tra (sha256): tệp đã "
                                           "bị thay đổi hoặc hỏng.")
        except zipfile.BadZipFile as exc:
            raise _bad(source, f"tệp nén bị hỏng ({exc}).") from exc
        except OSError as exc:
            raise disk_error(exc, folder) from exc
        db_file = folder / DB_MEMBER
        with db_file.open("rb") as handle:
            if handle.read(16) != b"SQLite format 3\x00":
                raise _bad(source, "cơ sở dữ liệu bên trong không phải tệp SQLite.")
        check = _integrity(db_file)
        if check != "ok":
            raise _bad(source, f"cơ sở dữ liệu bên trong bị hỏng ({check}).")
        revision = _revision(db_file)
        if revision is None:
            raise _bad(source, "cơ sở dữ liệu bên trong không có phiên bản lược đồ.")
        if revision not in _known_revisions():
            raise _bad(source, f"được tạo bởi phiên bản mới hơn của chương trình (lược đồ "
                               f"{revision}); hãy cài phiên bản Sổ theo dõi mới nhất.")
        yield _info(source, manifest), folder


def verify_backup(path: Path | str) -> BackupInfo:
    """Check a backup without restoring it (see :func:`opened_backup`)."""
    with opened_backup(path) as (info, _folder):
        return info


def restore_backup(db: Database, path: Path | str, *, now: dt.datetime) -> RestoreResult:
    """Replace the current data with a checked backup; the current data is kept first."""
    from app.db.migrate import head_revision, upgrade

    if db.path is None:
        raise AppError("Chỉ khôi phục được vào cơ sở dữ liệu dạng tệp (SQLite).")
    with opened_backup(path) as (info, folder):
        safety: Path | None = None
        if db.path.exists():
            safety = create_backup(
                db, backups_dir(db) / f"truoc-khoi-phuc-{now:%Y%m%d-%H%M%S}.zip", now=now,
                reason="trước khi khôi phục").path
        db.engine.dispose()
        swap = _AttachmentSwap(db, folder / ATTACHMENTS, now)
        swap.put_in_place()  # first: a file held open by another program stops us here
        src = sqlite3.connect(str(folder / DB_MEMBER))
        try:
            dst = sqlite3.connect(str(db.path), timeout=10)
            try:
                src.backup(dst)
            finally:
                dst.close()
        except sqlite3.DatabaseError as exc:
            swap.undo()
            raise DatabaseError(
                f"Không ghi được dữ liệu khôi phục ({exc}); dữ liệu hiện tại không đổi. Hãy đóng "
                "các chương trình khác đang dùng dữ liệu rồi thử lại.") from exc
        finally:
            src.close()
        swap.finish()
    db.engine.dispose()
    upgraded = None
    if info.schema_revision != head_revision():
        upgrade(db, today=now)
        upgraded = info.schema_revision
    return RestoreResult(info=info, safety_copy=safety, upgraded_from=upgraded)


class _AttachmentSwap:
    """Replace the attachments folder by the restored one, in a way that can be undone until
    :meth:`finish`."""

    def __init__(self, db: Database, restored: Path, now: dt.datetime) -> None:
        target = attachments_dir(db)
        assert target is not None
        self.target = target
        self.restored = restored
        stamp = f"{now:%Y%m%d-%H%M%S}"
        self.incoming = target.with_name(f".{ATTACHMENTS}-moi-{stamp}")
        self.old = target.with_name(f".{ATTACHMENTS}-cu-{stamp}")

    def put_in_place(self) -> None:
        try:
            if self.restored.is_dir():
                shutil.copytree(self.restored, self.incoming)
            if self.target.exists():
                self.target.rename(self.old)
            if self.incoming.exists():
                self.incoming.rename(self.target)
        except OSError as exc:
            self.undo()
            raise AppError(
                f"Không thay được thư mục tệp đính kèm {self.target} ({exc.strerror or exc}); "
                "dữ liệu hiện tại không đổi. Hãy đóng các tệp đính kèm đang mở (PDF, Word…) rồi "
                "thử lại.") from exc

    def undo(self) -> None:
        if self.old.exists():
            if self.target.exists():
                shutil.rmtree(self.target, ignore_errors=True)
            self.old.rename(self.target)
        shutil.rmtree(self.incoming, ignore_errors=True)

    def finish(self) -> None:
        shutil.rmtree(self.old, ignore_errors=True)  # the safety backup holds them


# --- automatic backups ------------------------------------------------------------------------


def auto_backup(db: Database, reason: str, now: dt.datetime) -> Path | None:
    """A backup on start ("khoi-dong") or exit ("thoat"), then rotation. Never raises: a
    failed automatic backup is logged and must not stop the program."""
    if db.path is None or not db.path.exists():
        return None
    try:
        from app.settings import load_settings

        with db.read() as session:
            settings = load_settings(session)
        folder = backups_dir(db) / AUTO_DIR
        remove_stale_temporaries(backups_dir(db), folder)
        slug = re.sub(r"[^a-z0-9-]+", "-", reason.lower()).strip("-") or "tu-dong"
        target = folder / f"tu-dong-{now:%Y%m%d-%H%M%S}-{slug}.zip"
        create_backup(db, target, now=now, reason=reason)
        rotate(folder, keep_daily=settings.backup_keep_daily,
               keep_monthly=settings.backup_keep_monthly)
        return target
    except Exception:
        log.exception("Automatic backup (%s) failed", reason)
        return None


def remove_stale_temporaries(*folders: Path) -> list[Path]:
    """Delete the hidden temporary files (``.<name>.<random>.tmp``) that a backup cut short by a
    crash or a power cut left behind; they are never a backup, nothing reads them."""
    removed = []
    for folder in folders:
        if folder.is_dir():
            for stale in folder.glob(".*.tmp"):
                stale.unlink(missing_ok=True)
                removed.append(stale)
    return removed


def rotate(folder: Path, *, keep_daily: int, keep_monthly: int) -> list[Path]:
    """Keep, for each of the last ``keep_daily`` days, its first and its last backup (the
    state before and after that day's work), and the newest backup of each of the last
    ``keep_monthly`` months (and always the newest one); delete the other automatic backups.
    Returns what was deleted."""
    stamped: list[tuple[dt.datetime, Path]] = []
    for path in folder.glob("tu-dong-*.zip"):
        match = _AUTO_NAME.match(path.name)
        if match:
            stamped.append((dt.datetime.strptime(match[1] + match[2], "%Y%m%d%H%M%S"), path))
    stamped.sort(reverse=True)
    keep: set[Path] = {stamped[0][1]} if stamped else set()
    days: list[dt.date] = []
    months: list[tuple[int, int]] = []
    first_of_day: dict[dt.date, Path] = {}
    for when, path in stamped:
        day = when.date()
        if day not in days and len(days) < keep_daily:
            days.append(day)
            keep.add(path)
        if day in days:
            first_of_day[day] = path  # newest first: the last one seen is the day's first
        month = (when.year, when.month)
        if month not in months and len(months) < keep_monthly:
            months.append(month)
            keep.add(path)
    keep.update(first_of_day.values())
    deleted = []
    for _when, path in stamped:
        if path not in keep:
            try:
                path.unlink()
                deleted.append(path)
            except OSError:
                log.warning("Could not delete old backup %s", path)
    return deleted


def list_auto_backups(db: Database) -> list[Path]:
    folder = backups_dir(db) / AUTO_DIR
    return sorted(folder.glob("tu-dong-*.zip"), reverse=True) if folder.is_dir() else []
