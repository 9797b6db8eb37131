"""Attachment files kept inside the database, so every PC on the shared server sees them.

On an SQLite file the attachments service copies files into ``<db folder>/attachments/``; on a
server there is no shared folder, so the file goes into the ``attachment_blob`` table (bytea on
PostgreSQL) and the record keeps a reference ``db:<id>`` in its ``attachment_path``. Opening it
extracts a copy to a local folder (:func:`extract_to`). The SHA-256 is checked on every read.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from app.db import Database
from app.errors import NotFound, ValidationError
from app.models import AttachmentBlob
from app.models.base import utcnow
from app.services import audit
from app.text import clean

REF_PREFIX = "db:"
MAX_SIZE = 100 * 1024 * 1024  # 100 MB: a scanned document is a few MB
_BAD_CHARS = '<>:"/\\|?*'


@dataclass(frozen=True)
class BlobInfo:
    ref: str
    id: int
    entity: str
    entity_id: int
    filename: str
    sha256: str
    size: int


def is_ref(path: str | None) -> bool:
    """True when an ``attachment_path`` points into the database rather than a file."""
    return bool(path) and str(path).startswith(REF_PREFIX)


def ref_for(blob_id: int) -> str:
    return f"{REF_PREFIX}{blob_id}"


def _blob_id(ref: str) -> int:
    if not is_ref(ref):
        raise NotFound(f'"{ref}" không phải tệp đính kèm lưu trong cơ sở dữ liệu.')
    try:
        return int(ref.removeprefix(REF_PREFIX))
    except ValueError:
        raise NotFound(f"Tham chiếu tệp đính kèm không hợp lệ: {ref}.") from None


def safe_filename(name: str) -> str:
    """A file name that Windows accepts, Vietnamese letters kept."""
    text = clean(name).strip(" .")
    text = "".join("_" if c in _BAD_CHARS or ord(c) < 32 else c for c in text)
    return text[:200] or "tep-dinh-kem"


def _info(row: AttachmentBlob) -> BlobInfo:
    return BlobInfo(
        ref=ref_for(row.id),
        id=row.id,
        entity=row.entity,
        entity_id=row.entity_id,
        filename=row.filename,
        sha256=row.sha256,
        size=row.size,
    )


def put(db: Database, entity: str, entity_id: int, path: str | Path) -> str:
    """Store the file's bytes for a record; returns its reference ``db:<id>``. The same
    content already stored for the same record is not stored twice."""
    source = Path(path)
    if not source.is_file():
        raise ValidationError(
            f"Không tìm thấy tệp {source}. Hãy chọn lại tệp cần đính kèm.", field="attachment"
        )
    size = source.stat().st_size
    if size > MAX_SIZE:
        raise ValidationError(
            f"Tệp {source.name} quá lớn ({size / 1024 / 1024:.0f} MB; tối đa "
            f"{MAX_SIZE // 1024 // 1024} MB). Hãy nén hoặc quét lại với độ phân giải thấp hơn.",
            field="attachment",
        )
    try:
        content = source.read_bytes()
    except OSError as exc:
        raise ValidationError(
            f"Không đọc được tệp {source}: {exc.strerror or exc}.", field="attachment"
        ) from exc
    digest = hashlib.sha256(content).hexdigest()
    with db.write() as session:
        same = session.scalar(
            select(AttachmentBlob).where(
                AttachmentBlob.entity == entity,
                AttachmentBlob.entity_id == entity_id,
                AttachmentBlob.sha256 == digest,
            )
        )
        if same is not None:
            return ref_for(same.id)
        row = AttachmentBlob(
            entity=entity,
            entity_id=entity_id,
            filename=safe_filename(source.name),
            content=content,
            sha256=digest,
            size=len(content),
            created_at=utcnow(),
        )
        session.add(row)
        session.flush()
        audit.record(
            session,
            "create",
            "attachment",
            row.id,
            after={
                "entity": entity,
                "entity_id": entity_id,
                "filename": row.filename,
                "size": row.size,
                "sha256": digest,
            },
            summary=f"Đính kèm tệp {row.filename}",
        )
        return ref_for(row.id)


def info(db: Database, ref: str) -> BlobInfo:
    with db.read() as session:
        row = session.get(AttachmentBlob, _blob_id(ref))
        if row is None:
            raise NotFound(f"Không tìm thấy tệp đính kèm ({ref}); có thể đã bị xoá.")
        return _info(row)


def list_for(db: Database, entity: str, entity_id: int) -> list[BlobInfo]:
    with db.read() as session:
        rows = session.scalars(
            select(AttachmentBlob)
            .where(AttachmentBlob.entity == entity, AttachmentBlob.entity_id == entity_id)
            .order_by(AttachmentBlob.id)
        )
        return [_info(r) for r in rows]


def get(db: Database, ref: str) -> bytes:
    """The file's bytes, checked against the SHA-256 recorded when it was stored."""
    with db.read() as session:
        row = session.get(AttachmentBlob, _blob_id(ref))
        if row is None:
            raise NotFound(f"Không tìm thấy tệp đính kèm ({ref}); có thể đã bị xoá.")
        content = bytes(row.content)
        if hashlib.sha256(content).hexdigest() != row.sha256:
            raise NotFound(
                f"Tệp đính kèm {row.filename} bị hỏng (mã kiểm tra không khớp). "
                "Hãy đính kèm lại tệp gốc."
            )
        return content


def extract_to(db: Database, ref: str, folder: str | Path) -> Path:
    """Write the file into ``folder`` under its own name (a temp name, then renamed) and return
    the path. An identical file already there is reused; a different one is not overwritten:
    the copy gets a " (2)" suffix."""
    blob = info(db, ref)
    content = get(db, ref)
    target_dir = Path(folder)
    target_dir.mkdir(parents=True, exist_ok=True)
    stem, suffix = os.path.splitext(blob.filename)
    n = 1
    while True:
        name = blob.filename if n == 1 else f"{stem} ({n}){suffix}"
        target = target_dir / name
        if not target.exists():
            break
        if target.is_file() and hashlib.sha256(target.read_bytes()).hexdigest() == blob.sha256:
            return target
        n += 1
    tmp = target.with_name(target.name + ".tmp")
    tmp.write_bytes(content)
    tmp.replace(target)
    return target


def delete(db: Database, ref: str) -> None:
    with db.write() as session:
        row = session.get(AttachmentBlob, _blob_id(ref))
        if row is None:
            return
        audit.record(
            session,
            "delete",
            "attachment",
            row.id,
            before={
                "entity": row.entity,
                "entity_id": row.entity_id,
                "filename": row.filename,
                "size": row.size,
            },
            summary=f"Xoá tệp đính kèm {row.filename}",
        )
        session.delete(row)


# Tables whose rows name an attached file in ``attachment_path``.
ATTACHING_TABLES = ("directive", "submission")


@dataclass(frozen=True)
class EmbedResult:
    embedded: int
    missing: tuple[str, ...]  # paths named by a record but not found on this PC

    def describe(self) -> str:
        text = f"Đã đưa {self.embedded} tệp đính kèm vào cơ sở dữ liệu."
        if self.missing:
            text += (
                f" Không tìm thấy {len(self.missing)} tệp (giữ nguyên đường dẫn cũ): "
                + "; ".join(self.missing[:5])
                + (" …" if len(self.missing) > 5 else "")
            )
        return text


def resolve_file(stored: str, folders: list[Path]) -> Path | None:
    """The file an ``attachment_path`` names: absolute, or relative to one of ``folders``."""
    path = Path(stored)
    candidates = [path] if path.is_absolute() else [f / stored for f in folders]
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    return None


def embed_files(db: Database, folders: list[Path]) -> EmbedResult:
    """Put every attached file that is still a path on disk into the database and point its
    record at the ``db:<id>`` reference (after moving an SQLite file to a server, so every PC
    sees the attachments). Records whose file is missing keep their path and are listed."""
    from sqlalchemy import update

    from app.models import Directive, Submission

    models: dict[str, type[Directive] | type[Submission]] = {
        "directive": Directive,
        "submission": Submission,
    }
    embedded = 0
    missing: list[str] = []
    for entity in ATTACHING_TABLES:
        model = models[entity]
        with db.read() as session:
            rows = session.execute(
                select(model.id, model.attachment_path).where(model.attachment_path != "")
            ).all()
        for record_id, stored in rows:
            if is_ref(stored):
                continue
            found = resolve_file(stored, folders)
            if found is None:
                missing.append(stored)
                continue
            ref = put(db, entity, record_id, found)
            with db.write() as session:
                session.execute(
                    update(model)
                    .where(model.id == record_id)
                    .values(attachment_path=ref, version=model.version + 1)
                )
            embedded += 1
    return EmbedResult(embedded, tuple(missing))
