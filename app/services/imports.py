"""Excel imports as a whole (lần nhập): the list of past imports, and undoing one.

Every import that writes something is one :class:`~app.models.ImportBatch`; each change it made
is an audit entry carrying the batch's id, with the record's values before and after. Undoing
puts every record back to its "before" (a record the import created is deleted) — in one
transaction, and only when no record has been changed since the import: otherwise nothing is
touched and the message names the records (docs/excel-va-sao-luu.md).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.dates import fmt_time
from app.db import Database
from app.errors import AppError, Conflict, NotFound, ValidationError
from app.models import AuditEntry, Base, ImportBatch, Obligation, Submission, TaskUnit, Unit
from app.models.base import utcnow
from app.services import audit

KIND_LABELS = {"units": "đơn vị", "submissions": "văn bản nhận được"}


@dataclass(frozen=True)
class ImportBatchInfo:
    id: int
    at: dt.datetime  # UTC
    user: str
    kind: str
    file_name: str
    sheet: str
    added: int
    updated: int
    undone_at: dt.datetime | None
    undone_by: str

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)

    @property
    def undone(self) -> bool:
        return self.undone_at is not None

    @property
    def local_at(self) -> dt.datetime:
        return self.at.replace(tzinfo=dt.UTC).astimezone().replace(tzinfo=None)

    def describe(self) -> str:
        text = (
            f"Lần nhập số {self.id} ({fmt_time(self.local_at)}, {self.kind_label}, "
            f"tệp {self.file_name}): thêm {self.added}, cập nhật {self.updated}"
        )
        if self.undone_at is not None:
            local = self.undone_at.replace(tzinfo=dt.UTC).astimezone().replace(tzinfo=None)
            text += f"; đã hoàn tác lúc {fmt_time(local)}"
        return text + "."


@dataclass(frozen=True)
class UndoResult:
    batch: ImportBatchInfo
    restored: int  # records put back to their values before the import
    deleted: int  # records the import had created

    def describe(self) -> str:
        return (
            f"Đã hoàn tác lần nhập số {self.batch.id} ({self.batch.file_name}): khôi phục "
            f"{self.restored} bản ghi về như trước khi nhập, xoá {self.deleted} bản ghi do "
            "lần nhập đó thêm."
        )


def _info(b: ImportBatch) -> ImportBatchInfo:
    return ImportBatchInfo(
        id=b.id,
        at=b.at,
        user=b.user,
        kind=b.kind,
        file_name=b.file_name,
        sheet=b.sheet,
        added=b.added,
        updated=b.updated,
        undone_at=b.undone_at,
        undone_by=b.undone_by,
    )


def start_batch(session: Session, kind: str, file_name: str, sheet: str) -> ImportBatch:
    """A new batch, in the import's own transaction (its counts are set at the end)."""
    batch = ImportBatch(
        user=audit.current_user(session)[:100],
        kind=kind,
        file_name=file_name[:500],
        sheet=sheet[:255],
        added=0,
        updated=0,
        undone_by="",
    )
    session.add(batch)
    session.flush()
    return batch


def list_imports(db: Database, limit: int = 200) -> list[ImportBatchInfo]:
    """Newest first."""
    with db.read() as session:
        stmt = select(ImportBatch).order_by(ImportBatch.id.desc()).limit(limit)
        return [_info(b) for b in session.scalars(stmt)]


def _find(session: Session, ref: int | str) -> ImportBatch:
    if isinstance(ref, str) and ref.strip().upper() in ("LAST", "CUOI", "CUỐI"):
        batch = session.scalar(
            select(ImportBatch)
            .where(ImportBatch.undone_at.is_(None))
            .order_by(ImportBatch.id.desc())
            .limit(1)
        )
        if batch is None:
            raise NotFound("Chưa có lần nhập Excel nào (chưa hoàn tác) để hoàn tác.")
        return batch
    try:
        batch_id = int(str(ref).strip())
    except ValueError:
        raise ValidationError(
            f"{ref!r} không phải số lần nhập; ghi LAST (lần gần nhất) hoặc một số, ví dụ 3."
        ) from None
    batch = session.get(ImportBatch, batch_id) if 0 < batch_id < 2**63 else None
    if batch is None:
        raise NotFound(f"Không có lần nhập số {batch_id}.")
    return batch


def get_import(db: Database, ref: int | str) -> ImportBatchInfo:
    with db.read() as session:
        return _info(_find(session, ref))


def _name(entity: str, values: dict[str, object]) -> str:
    label = audit.ENTITY_LABELS.get(entity, entity).lower()
    return f"{label} {values.get('name') or values.get('number_symbol') or ''}".strip()


def _unit_used_since(session: Session, unit_id: int) -> str:
    """What ties a unit the import created to later work (then it is not deleted)."""
    subs = session.scalar(select(func.count()).where(Submission.unit_id == unit_id)) or 0
    if subs:
        return f"đã có {subs} văn bản nhận được"
    if session.scalar(select(func.count()).where(TaskUnit.unit_id == unit_id)):
        return "đã được giao nhiệm vụ đích danh"
    if session.scalar(select(func.count()).where(Unit.successor_id == unit_id)):
        return "đã có đơn vị sáp nhập vào"
    if session.scalar(
        select(func.count()).where(Obligation.unit_id == unit_id, Obligation.waived.is_(True))
    ):
        return "đã có nghĩa vụ được miễn"
    return ""


def undo_import(db: Database, ref: int | str) -> UndoResult:
    """Put back every record the import created or changed, all or nothing."""
    with db.write() as session:
        batch = _find(session, ref)
        if batch.undone_at is not None:
            local = batch.undone_at.replace(tzinfo=dt.UTC).astimezone().replace(tzinfo=None)
            raise Conflict(f"Lần nhập số {batch.id} đã được hoàn tác lúc {fmt_time(local)}.")
        entries = list(
            session.scalars(
                select(AuditEntry)
                .where(AuditEntry.batch_id == batch.id, AuditEntry.action.in_(("create", "update")))
                .order_by(AuditEntry.id.desc())
            )
        )
        plan: list[tuple[AuditEntry, Base, dict[str, object], dict[str, object]]] = []
        changed: list[str] = []
        for entry in entries:
            before = json.loads(entry.before or "{}")
            after = json.loads(entry.after or "{}")
            obj = session.get(audit.model_for(entry.entity), entry.entity_id)
            if obj is None:
                changed.append(f"{_name(entry.entity, after)} (đã bị xoá)")
                continue
            if audit.comparable(audit.snapshot(obj)) != audit.comparable(after):
                changed.append(_name(entry.entity, after))
                continue
            if entry.action == "create" and entry.entity == "unit":
                used = _unit_used_since(session, entry.entity_id)
                if used:
                    changed.append(f"{_name(entry.entity, after)} ({used})")
                    continue
            if entry.action == "update":
                try:  # the old values must still be valid (a number taken since…)
                    audit.check_version_values(
                        session, entry.entity, obj, before, today=dt.date.max
                    )
                except AppError as exc:
                    changed.append(
                        f"{_name(entry.entity, after)} (không đưa về giá trị cũ "
                        f"được: {exc.message})"
                    )
                    continue
            plan.append((entry, obj, before, after))
        if changed:
            shown = "; ".join(changed[:8]) + (
                f"; và {len(changed) - 8} bản ghi khác" if len(changed) > 8 else ""
            )
            raise Conflict(
                f"Không hoàn tác được lần nhập số {batch.id}: đã có thay đổi sau lần nhập ở "
                f'{shown}. Chưa hoàn tác gì. Hãy mở "Lịch sử thay đổi" của từng bản ghi để '
                "khôi phục phiên bản mong muốn."
            )
        restored = deleted = 0
        for entry, obj, before, after in plan:
            summary = f"Hoàn tác lần nhập số {batch.id}: "
            if entry.action == "create":
                if entry.entity == "unit":  # its obligations were derived by the import
                    for obligation in session.scalars(
                        select(Obligation).where(Obligation.unit_id == entry.entity_id)
                    ):
                        session.delete(obligation)
                obligation_id = after.get("obligation_id")
                session.delete(obj)
                session.flush()
                if entry.entity == "submission" and isinstance(obligation_id, int):
                    from app.services.obligations import refresh_received

                    refresh_received(session, [obligation_id])
                audit.record(
                    session,
                    "undo_import",
                    entry.entity,
                    entry.entity_id,
                    before=after,
                    summary=summary + "xoá " + _name(entry.entity, after),
                    batch_id=batch.id,
                )
                deleted += 1
            else:
                current = audit.snapshot(obj)
                audit.assign(obj, before)
                audit.after_change(session, entry.entity, obj, current)
                audit.record(
                    session,
                    "undo_import",
                    entry.entity,
                    entry.entity_id,
                    before=current,
                    after=audit.snapshot(obj),
                    summary=summary + "khôi phục " + _name(entry.entity, before),
                    batch_id=batch.id,
                )
                restored += 1
        batch.undone_at = utcnow()
        batch.undone_by = audit.current_user(session)[:100]
        session.flush()
        info = _info(batch)
    return UndoResult(info, restored, deleted)
