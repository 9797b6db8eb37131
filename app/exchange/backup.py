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
import errno
import hashlib
import json
import logging
import os
import re
import secrets
import shutil
import sqlite3
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from app import APP_NAME, __version__
from app.dates import fmt, fmt_time
from app.db import Database
from app.db.engine import SQLITE_HEADER
from app.errors import AppError, DatabaseError, ValidationError
from app.fileio import atomic_path, disk_error, remove_stale_stages, staging_folder
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
_MAX_MANIFEST = 16 << 20  # a manifest lists members and counts: a few KB, a few MB at most
_ROOM_MARGIN = 64 << 20  # kept free beyond what the extracted backup needs


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
        return (
            f"Bản sao lưu {self.path.name}: tạo lúc {self.created:%H:%M} ngày "
            f"{fmt(self.created)}, phiên bản {self.program_version}, {len(self.tables)} bảng, "
            f"{number_text(rows)} dòng dữ liệu, "
            f"{self.attachment_count} tệp đính kèm."
        )


@dataclass(frozen=True)
class RestoreResult:
    info: BackupInfo
    safety_copy: Path | None  # the data as it was before the restore
    upgraded_from: str | None  # the backup's schema, when it was migrated to head

    def describe(self) -> str:
        text = f"Đã khôi phục dữ liệu từ {self.info.path.name} ({fmt_time(self.info.created)})."
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
        names = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' "
                "ORDER BY name"
            )
        ]
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


def create_backup(
    db: Database, out: Path | str, *, now: dt.datetime, reason: str = "thủ công"
) -> BackupInfo:
    """Write one ``.zip`` backup. ``out`` is a file, or a folder to put a dated file in."""
    if db.path is None or not db.path.exists():
        raise AppError("Chưa có tệp dữ liệu để sao lưu.")
    target = Path(out)
    if target.is_dir() or str(out).endswith(("/", os.sep)):
        target = target / default_backup_name(now)
    elif target.suffix.lower() != ".zip":
        target = target.with_name(target.name + ".zip")
    # The snapshot is staged in the data folder, not the system temp folder: a kill leaves
    # it where the next start finds and removes it (app.fileio.remove_stale_stages).
    with staging_folder(db.path.resolve().parent, "sao-luu") as tmp_dir:
        snapshot = Path(tmp_dir) / DB_MEMBER
        try:
            copy_database(db.path, snapshot)
        except sqlite3.DatabaseError as exc:
            raise DatabaseError(f"Không sao chép được cơ sở dữ liệu: {exc}.") from exc
        except OSError as exc:
            raise disk_error(exc, snapshot) from exc
        files = {DB_MEMBER: _sha256(snapshot)}
        sizes = {DB_MEMBER: snapshot.stat().st_size}
        attachments = list(_attachment_files(attachments_dir(db)))
        for path, member in attachments:
            files[member] = _sha256(path)
            sizes[member] = path.stat().st_size
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
            "sizes": sizes,
        }
        with (
            atomic_path(target) as tmp,
            zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as zf,
        ):
            zf.write(snapshot, DB_MEMBER)
            for path, member in attachments:
                zf.write(path, member)
            zf.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2))
    return _info(target, manifest)


def _info(path: Path, manifest: dict[str, object]) -> BackupInfo:
    """The manifest read into a :class:`BackupInfo`; a malformed one (a field missing or of
    the wrong type, a number too long…) is a bad backup, said so in Vietnamese."""
    try:
        created = dt.datetime.fromisoformat(str(manifest["created"]))
        tables = manifest.get("tables") or {}
        files = manifest.get("files") or {}
        if not isinstance(tables, dict) or not isinstance(files, dict):
            raise TypeError("tables/files")
        revision = manifest.get("schema_revision")
        return BackupInfo(
            path=path,
            created=created,
            program_version=str(manifest.get("program_version", ""))[:40],
            schema_revision=str(revision) if revision else None,
            tables={str(k): _count(v) for k, v in tables.items()},
            files={str(k): str(v) for k, v in files.items()},
            reason=str(manifest.get("reason", ""))[:200],
        )
    except (KeyError, TypeError, ValueError, OverflowError) as exc:
        raise _bad(path, "tệp mô tả (manifest.json) sai cấu trúc.") from exc


def _count(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 2**63:
        raise ValueError(f"not a row count: {value!r}"[:80])
    return value


def _bad(path: Path, why: str) -> ValidationError:
    return ValidationError(
        f"Tệp {path.name} không dùng để khôi phục được: {why} Dữ liệu hiện tại không bị thay "
        "đổi. Hãy chọn bản sao lưu khác."
    )


def _safe_member(name: str) -> bool:
    pure = PurePosixPath(name)
    return (
        not pure.is_absolute()
        and ".." not in pure.parts
        and "\\" not in name
        and not re.match(r"^[A-Za-z]:", name)
    )


@contextmanager
def opened_backup(
    path: Path | str, *, stage_in: Path | None = None
) -> Iterator[tuple[BackupInfo, Path]]:
    """Check a backup completely and yield (info, folder where it was extracted).

    Before anything is extracted: a readable zip, its manifest (well formed), no member
    missing, extra or repeated, no path leaving the folder, each member's size as the
    manifest says, the database member starting like an SQLite file whose header gives that
    size, and room for all of it on the disk. Then, extracting: every member's sha256;
    ``PRAGMA integrity_check``; a schema revision this program knows (not newer) with its
    tables and columns. The work folder is staged in ``stage_in`` (the data folder: never the
    system temp folder) and removed afterwards.
    """
    source = Path(path)
    if not source.is_file():
        raise ValidationError(f"Không tìm thấy tệp sao lưu {source}.")
    if not zipfile.is_zipfile(source):
        raise _bad(source, "không phải tệp sao lưu (.zip) của chương trình.")
    if stage_in is None:
        from app.paths import data_dir

        stage_in = data_dir()
    with _reading(source):
        zf = zipfile.ZipFile(source)
    with zf:
        with _reading(source):
            manifest, info = _checked_manifest(source, zf)
            _check_room(source, zf, manifest, stage_in)
        with staging_folder(stage_in, "khoi-phuc") as folder:
            with _reading(source):
                _extract(source, zf, info, folder)
            _check_database(source, folder / DB_MEMBER)
            yield info, folder


@contextmanager
def _reading(source: Path) -> Iterator[None]:
    """A zip that cannot be read as one is a bad backup (not a bug, not a traceback)."""
    try:
        yield
    except zipfile.BadZipFile as exc:
        raise _bad(source, f"tệp nén bị hỏng ({_short(exc)}).") from exc
    except (zlib.error, EOFError, NotImplementedError, RuntimeError) as exc:
        # a damaged deflate stream, a cut file, an unknown compression, an encrypted member
        raise _bad(source, "tệp nén bị hỏng hoặc dùng kiểu nén không hỗ trợ.") from exc


def _short(exc: BaseException) -> str:
    text = str(exc)
    return text if len(text) <= 120 else text[:119] + "…"


def _checked_manifest(source: Path, zf: zipfile.ZipFile) -> tuple[dict[str, object], BackupInfo]:
    names = zf.namelist()
    if len(names) != len(set(names)):
        raise _bad(source, "có thành phần trùng tên.")
    if MANIFEST not in names:
        raise _bad(source, "thiếu tệp mô tả (manifest.json).")
    if zf.getinfo(MANIFEST).file_size > _MAX_MANIFEST:
        raise _bad(source, "tệp mô tả (manifest.json) lớn bất thường.")
    try:
        manifest = json.loads(zf.read(MANIFEST).decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise _bad(source, "tệp mô tả (manifest.json) hỏng, không đọc được.") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise _bad(source, "không phải bản sao lưu của Sổ theo dõi.")
    version = manifest.get("format_version", 0)
    if isinstance(version, bool) or not isinstance(version, int):
        raise _bad(source, "tệp mô tả (manifest.json) sai cấu trúc.")
    if version > FORMAT_VERSION:
        raise _bad(
            source, "được tạo bởi phiên bản mới hơn của chương trình; hãy cài phiên bản mới nhất."
        )
    files = manifest.get("files")
    if not isinstance(files, dict) or DB_MEMBER not in files:
        raise _bad(source, "tệp mô tả không liệt kê cơ sở dữ liệu.")
    info = _info(source, manifest)
    extra = set(names) - set(info.files) - {MANIFEST}
    missing = set(info.files) - set(names)
    if missing or extra:
        raise _bad(
            source,
            "nội dung không khớp tệp mô tả (" + ", ".join(sorted(missing | extra))[:200] + ").",
        )
    for member in info.files:
        if not _safe_member(member):
            raise _bad(source, f"đường dẫn không an toàn: {member[:100]}.")
        if member != DB_MEMBER and not member.startswith(ATTACHMENTS + "/"):
            raise _bad(source, f"có thành phần lạ: {member[:100]}.")
    return manifest, info


def _check_room(
    source: Path, zf: zipfile.ZipFile, manifest: dict[str, object], stage_in: Path
) -> None:
    """Sizes against the manifest, the database header and the free space — before a single
    byte is extracted (a small zip of a 3 GB zero-filled "database" once filled the disk)."""
    infos = {i.filename: i for i in zf.infolist()}
    files = manifest.get("files")
    assert isinstance(files, dict)
    sizes = manifest.get("sizes")
    if sizes is not None:  # backups made since sizes were recorded
        if not isinstance(sizes, dict) or set(sizes) != set(files):
            raise _bad(source, "tệp mô tả (manifest.json) sai cấu trúc.")
        for member, size in sizes.items():
            if infos[member].file_size != size:
                raise _bad(
                    source,
                    f"kích thước của {member[:100]} không khớp tệp mô tả: tệp đã "
                    "bị thay đổi hoặc hỏng.",
                )
    db_info = infos[DB_MEMBER]
    with zf.open(db_info) as member:
        header = member.read(100)
    if len(header) < 100 or header[:16] != SQLITE_HEADER:
        raise _bad(source, "cơ sở dữ liệu bên trong không phải tệp SQLite.")
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    valid = header[24:28] == header[92:96]  # the in-header size is kept up to date
    if valid and pages and pages * page_size != db_info.file_size:
        raise _bad(
            source,
            "kích thước cơ sở dữ liệu bên trong không khớp phần đầu của nó: tệp "
            "đã bị thay đổi hoặc hỏng.",
        )
    needed = sum(i.file_size for i in infos.values() if i.filename in files)
    try:
        free = shutil.disk_usage(stage_in).free
    except OSError:
        return
    if needed + _ROOM_MARGIN > free:
        raise AppError(
            f"Không đủ chỗ trống trên ổ đĩa để kiểm tra bản sao lưu {source.name}: cần khoảng "
            f"{_megabytes(needed + _ROOM_MARGIN)} MB, ổ đĩa chứa thư mục dữ liệu {stage_in} chỉ "
            f"còn {_megabytes(free)} MB. Chưa giải nén gì, dữ liệu hiện tại không bị thay đổi. "
            "Hãy giải phóng dung lượng ổ đĩa rồi thử lại."
        )


def _megabytes(size: int) -> str:
    return f"{number_text(max(1, size // (1 << 20)))}"


def _extract(source: Path, zf: zipfile.ZipFile, info: BackupInfo, folder: Path) -> None:
    for member, digest in info.files.items():
        out = folder / member
        hasher = hashlib.sha256()
        try:
            out.parent.mkdir(parents=True, exist_ok=True)
            with zf.open(member) as src, out.open("wb") as dst:
                while chunk := src.read(_CHUNK):
                    hasher.update(chunk)
                    dst.write(chunk)
        except OSError as exc:
            if exc.errno in (
                errno.ENOSPC,
                getattr(errno, "EDQUOT", errno.ENOSPC),
                errno.EACCES,
                errno.EPERM,
                errno.EROFS,
            ):
                raise disk_error(exc, out) from exc
            # a member named like a folder, or a file where a folder must be: not our backup
            raise _bad(source, f"thành phần {member[:100]} không giải nén được.") from exc
        if hasher.hexdigest() != digest:
            raise _bad(
                source,
                f"{member[:100]} không đúng mã kiểm tra (sha256): tệp đã bị thay đổi hoặc hỏng.",
            )


def _check_database(source: Path, db_file: Path) -> None:
    from app.db.migrate import _known_revisions, schema_differences

    check = _integrity(db_file)
    if check != "ok":
        raise _bad(source, f"cơ sở dữ liệu bên trong bị hỏng ({check[:200]}).")
    revision = _revision(db_file)
    if revision is None:
        raise _bad(source, "cơ sở dữ liệu bên trong không có phiên bản lược đồ.")
    if revision not in _known_revisions():
        raise _bad(
            source,
            f"được tạo bởi phiên bản mới hơn của chương trình (lược đồ "
            f"{revision[:40]}); hãy cài phiên bản Sổ theo dõi mới nhất.",
        )
    missing = schema_differences(db_file, revision)
    if missing:
        raise _bad(
            source,
            "cơ sở dữ liệu bên trong không đúng lược đồ của Sổ theo dõi (thiếu "
            + ", ".join(missing[:6])
            + (", …" if len(missing) > 6 else "")
            + ").",
        )


def verify_backup(path: Path | str, *, stage_in: Path | None = None) -> BackupInfo:
    """Check a backup without restoring it (see :func:`opened_backup`)."""
    with opened_backup(path, stage_in=stage_in) as (info, _folder):
        return info


def restore_backup(db: Database, path: Path | str, *, now: dt.datetime) -> RestoreResult:
    """Replace the current data with a checked backup; the current data is kept first."""
    from app.db.migrate import head_revision, upgrade

    if db.path is None:
        raise AppError("Chỉ khôi phục được vào cơ sở dữ liệu dạng tệp (SQLite).")
    with opened_backup(path, stage_in=db.path.resolve().parent) as (info, folder):
        safety: Path | None = None
        if db.path.exists():
            safety = create_backup(
                db,
                backups_dir(db) / f"truoc-khoi-phuc-{now:%Y%m%d-%H%M%S}.zip",
                now=now,
                reason="trước khi khôi phục",
            ).path
        db.engine.dispose()
        swap = _AttachmentSwap(db, folder / ATTACHMENTS, now)
        token = secrets.randbelow(2**31 - 2) + 1
        _set_token(folder / DB_MEMBER, token)  # the staged copy: tells whether it got in
        with _RestoreJournal(db.path, swap, token) as journal:
            try:
                swap.put_in_place()  # first: a file held open by another program stops us here
            except AppError:
                journal.resolved = True  # undone: as before
                raise
            src = sqlite3.connect(str(folder / DB_MEMBER))
            try:
                dst = sqlite3.connect(str(db.path), timeout=10)
                try:
                    src.backup(dst)
                finally:
                    dst.close()
            except sqlite3.DatabaseError as exc:
                swap.undo()
                journal.resolved = True
                raise DatabaseError(
                    f"Không ghi được dữ liệu khôi phục ({exc}); dữ liệu hiện tại không đổi. Hãy "
                    "đóng các chương trình khác đang dùng dữ liệu rồi thử lại."
                ) from exc
            finally:
                src.close()
            swap.finish()
            _set_token(db.path, 0)
            journal.resolved = True
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
                "thử lại."
            ) from exc

    def undo(self) -> None:
        if self.old.exists():
            if self.target.exists():
                shutil.rmtree(self.target, ignore_errors=True)
            self.old.rename(self.target)
        shutil.rmtree(self.incoming, ignore_errors=True)

    def finish(self) -> None:
        shutil.rmtree(self.old, ignore_errors=True)  # the safety backup holds them


# --- a restore cut short: its journal, read at the next start ----------------------------------

RESTORE_JOURNAL = ".khoi-phuc-dang-do.json"


def _set_token(path: Path, token: int) -> None:
    """Mark a database with ``PRAGMA user_version`` (unused by the schema; SQLite's backup API
    carries it over with the pages)."""
    con = sqlite3.connect(str(path), timeout=10)
    try:
        con.execute(f"PRAGMA user_version = {int(token)}")
        con.commit()
    finally:
        con.close()


class _RestoreJournal:
    """While a restore replaces the attachments folder and the database — two steps that
    cannot be one — a journal beside the database says what is under way; its lock says the
    restore is alive. A restore killed half-way leaves the journal unlocked, and the next
    start (:func:`finish_interrupted_restore`) completes or undoes the folder swap so that
    the attachments match the database: the database carries the journal's token exactly
    when the restore's copy got in."""

    def __init__(self, db_path: Path, swap: _AttachmentSwap, token: int) -> None:
        self.path = db_path.resolve().parent / RESTORE_JOURNAL
        self.content = {
            "database": db_path.name,
            "token": token,
            "attachments": swap.target.name,
            "old": swap.old.name,
            "incoming": swap.incoming.name,
            "had_attachments": swap.target.exists(),
        }
        self.resolved = False
        self._handle: object = None

    def __enter__(self) -> _RestoreJournal:
        from app.fileio import _lock

        try:
            with atomic_path(self.path) as tmp:
                tmp.write_text(json.dumps(self.content), encoding="utf-8")
            handle = self.path.open("rb+")
        except (OSError, AppError) as exc:
            raise AppError(
                f"Không bắt đầu khôi phục được: không ghi được {self.path.name} "
                f"({exc}). Dữ liệu hiện tại không đổi."
            ) from exc
        _lock(handle)
        self._handle = handle
        return self

    def __exit__(self, *exc_info: object) -> None:
        handle = self._handle
        if hasattr(handle, "close"):
            handle.close()
        if self.resolved:  # finished or undone: nothing for the next start to do
            self.path.unlink(missing_ok=True)


def finish_interrupted_restore(db_path: Path) -> str | None:
    """At start: a restore killed half-way (its journal left, unlocked) is completed when its
    database got in ("forward") or undone when it did not ("back"), so the attachments folder
    always matches the database. None when there is nothing to do (or it cannot be decided:
    then nothing is touched)."""
    from app.fileio import _lock

    folder = db_path.resolve().parent
    journal = folder / RESTORE_JOURNAL
    if not journal.is_file():
        return None
    try:
        with journal.open("rb+") as handle:
            if not _lock(handle):
                return None  # a restore is running
            content = json.loads(handle.read().decode("utf-8"))
        names = [str(content[k]) for k in ("attachments", "old", "incoming")]
        if content["database"] != db_path.name or any(
            "/" in n or "\\" in n or n in ("", ".", "..") for n in names
        ):
            return None
        target, old, incoming = (folder / n for n in names)
        con = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=10)
        try:
            live = int(con.execute("PRAGMA user_version").fetchone()[0])
        finally:
            con.close()
    except (OSError, ValueError, KeyError, TypeError, sqlite3.Error):
        log.warning("Could not read the journal of an interrupted restore", exc_info=True)
        return None
    if live == int(content["token"]):  # the backup's database is in: finish the swap
        shutil.rmtree(old, ignore_errors=True)
        shutil.rmtree(incoming, ignore_errors=True)
        _set_token(db_path, 0)
        outcome = "forward"
    else:  # the database is the one from before: put its attachments back
        if content.get("had_attachments"):
            if old.exists():
                if target.exists():
                    shutil.rmtree(target)
                old.rename(target)
        else:
            shutil.rmtree(target, ignore_errors=True)
        shutil.rmtree(incoming, ignore_errors=True)
        outcome = "back"
    journal.unlink(missing_ok=True)
    log.warning("Interrupted restore found at start: %s", outcome)
    return outcome


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
        remove_stale_stages(db.path.resolve().parent)
        slug = re.sub(r"[^a-z0-9-]+", "-", reason.lower()).strip("-") or "tu-dong"
        target = folder / f"tu-dong-{now:%Y%m%d-%H%M%S}-{slug}.zip"
        create_backup(db, target, now=now, reason=reason)
        rotate(
            folder, keep_daily=settings.backup_keep_daily, keep_monthly=settings.backup_keep_monthly
        )
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
