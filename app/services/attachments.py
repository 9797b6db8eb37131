"""Attached files (a scanned PDF, a Word file): copied into the data folder, never linked.

A file attached to a directive or a submission is copied to
``<folder of the database>/attachments/<entity>/<id>/<safe name>`` (written to a temporary name,
then renamed), and the record keeps the path relative to the database folder, so the folder can
be moved or backed up as a whole.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import unicodedata
from pathlib import Path, PurePosixPath

from app.db import Database
from app.errors import AppError, NotFound, ValidationError
from app.fileio import normal_permissions

ATTACHMENTS_DIR = "attachments"
ENTITIES = ("directive", "submission")
MAX_BYTES = 200 * 1024 * 1024
NAME_MAX = 120
ALLOWED_SUFFIXES = frozenset(
    {
        ".pdf",
        ".doc",
        ".docx",
        ".odt",
        ".rtf",
        ".txt",
        ".xls",
        ".xlsx",
        ".ods",
        ".jpg",
        ".jpeg",
        ".png",
        ".tif",
        ".tiff",
        ".zip",
    }
)
_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
_RESERVED = {
    "con",
    "prn",
    "aux",
    "nul",
    *(f"com{i}" for i in range(1, 10)),
    *(f"lpt{i}" for i in range(1, 10)),
}


def safe_name(name: str) -> str:
    """A file name safe on Windows: NFC, no path, no forbidden characters, not reserved,
    at most ``NAME_MAX`` characters (the extension kept)."""
    base = unicodedata.normalize("NFC", name.replace("\\", "/").split("/")[-1])
    base = "".join(c for c in base if unicodedata.category(c) not in ("Cc", "Cf"))
    base = _FORBIDDEN.sub("_", base)
    base = re.sub(r"\s+", " ", base).strip().rstrip(". ")
    stem, dot, suffix = base.rpartition(".")
    if not dot:
        stem, suffix = base, ""
    stem = stem.strip().rstrip(". ") or "tep-dinh-kem"
    if stem.split(".")[0].casefold() in _RESERVED:
        stem = "_" + stem
    suffix = suffix[:10].lower()
    stem = stem[: NAME_MAX - len(suffix) - 1].rstrip(". ") or "tep-dinh-kem"
    return f"{stem}.{suffix}" if suffix else stem


def data_folder(db: Database) -> Path:
    """The folder of the database file: attachments live under it."""
    if db.path is None:
        raise AppError("Dữ liệu không nằm trong một tệp trên máy này: không lưu được tệp đính kèm.")
    return Path(db.path).resolve().parent


def store(folder: Path, entity: str, entity_id: int, source: Path | str) -> str:
    """Copy ``source`` under ``folder``; return the stored path relative to ``folder``
    (with ``/`` separators). Never overwrites another file: a second file of the same name gets
    " (2)", " (3)"…"""
    if entity not in ENTITIES:
        raise ValueError(f"unknown entity {entity!r}")
    src = Path(source)
    if not src.is_file():
        raise ValidationError(
            f"Không tìm thấy tệp {src}. Hãy kiểm tra ổ đĩa (USB) còn cắm và chọn lại tệp.",
            field="attachment",
        )
    if src.suffix.lower() not in ALLOWED_SUFFIXES:
        raise ValidationError(
            f"Không đính kèm được tệp loại {src.suffix or '(không có đuôi)'}: hãy chọn tệp PDF, "
            "Word, Excel hoặc ảnh quét.",
            field="attachment",
        )
    size = src.stat().st_size
    if size > MAX_BYTES:
        raise ValidationError(
            f"Tệp quá lớn ({size // (1024 * 1024)} MB; tối đa {MAX_BYTES // (1024 * 1024)} MB). "
            "Hãy quét lại với độ phân giải thấp hơn.",
            field="attachment",
        )
    target_dir = Path(folder) / ATTACHMENTS_DIR / entity / str(int(entity_id))
    target_dir.mkdir(parents=True, exist_ok=True)
    name = safe_name(src.name)
    target = target_dir / name
    stem, suffix = Path(name).stem, Path(name).suffix
    counter = 2
    while target.exists():
        target = target_dir / f"{stem} ({counter}){suffix}"
        counter += 1
    handle, temp_name = tempfile.mkstemp(prefix=".tmp-", suffix=".part", dir=target_dir)
    normal_permissions(handle)
    try:
        with os.fdopen(handle, "wb") as out, src.open("rb") as inp:
            shutil.copyfileobj(inp, out, 1024 * 1024)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp_name, target)
    except OSError as exc:
        Path(temp_name).unlink(missing_ok=True)
        raise AppError(f"Không chép được tệp {src.name}: {exc.strerror or exc}.") from exc
    return target.relative_to(folder).as_posix()


def resolve(folder: Path, stored: str) -> Path:
    """The absolute path of a stored attachment (refuses paths leaving the data folder)."""
    if not stored:
        raise NotFound("Bản ghi này chưa có tệp đính kèm.")
    rel = PurePosixPath(stored.replace("\\", "/"))
    if rel.is_absolute() or ".." in rel.parts or (rel.parts and ":" in rel.parts[0]):
        raise AppError(f"Đường dẫn tệp đính kèm không hợp lệ: {stored}")
    path = Path(folder).joinpath(*rel.parts)
    if not path.is_file():
        raise NotFound(
            f"Không tìm thấy tệp đính kèm {path}. Có thể tệp đã bị xoá hoặc chuyển đi; "
            "hãy đính kèm lại."
        )
    return path


def _store_for(db: Database, entity: str, entity_id: int, source: Path | str) -> str:
    """On a shared server the file goes into the database (a ``db:<id>`` reference, every PC
    sees it); on an SQLite file it is copied into the data folder."""
    if db.is_server:
        from app.services import attachment_blobs

        src = Path(source)
        if src.is_file() and src.suffix.lower() not in ALLOWED_SUFFIXES:
            raise ValidationError(
                f"Không đính kèm được tệp loại {src.suffix or '(không có đuôi)'}: hãy chọn tệp "
                "PDF, Word, Excel hoặc ảnh quét.",
                field="attachment",
            )
        return attachment_blobs.put(db, entity, entity_id, src)
    return store(data_folder(db), entity, entity_id, source)


def attach_to_directive(db: Database, directive_id: int, source: Path | str) -> str:
    from app.services.directives import set_directive_attachment

    stored = _store_for(db, "directive", directive_id, source)
    with db.write() as session:
        set_directive_attachment(session, directive_id, stored)
    return stored


def attach_to_submission(db: Database, submission_id: int, source: Path | str) -> str:
    from app.services.submissions import set_attachment

    stored = _store_for(db, "submission", submission_id, source)
    with db.write() as session:
        set_attachment(session, submission_id, stored)
    return stored


def open_path(db: Database, stored: str, extract_folder: Path | str | None = None) -> Path:
    """A local file to open for ``stored``: a file in this database's folder, or, for a file
    kept in the database (``db:<id>``), a copy extracted to ``extract_folder`` (default: a
    folder under the system temp folder)."""
    from app.services import attachment_blobs

    if attachment_blobs.is_ref(stored):
        folder = (
            Path(extract_folder)
            if extract_folder is not None
            else Path(tempfile.gettempdir()) / "so-theo-doi-dinh-kem" / stored.removeprefix("db:")
        )
        return attachment_blobs.extract_to(db, stored, folder)
    return resolve(data_folder(db), stored)
