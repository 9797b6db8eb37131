"""The audit trail: every change with its before and after values."""

from __future__ import annotations

import datetime as dt
import getpass
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from app.db import Database
from app.models import AuditEntry, Base

ACTION_LABELS = {
    "create": "Thêm mới",
    "update": "Sửa",
    "deactivate": "Ngừng theo dõi",
    "activate": "Theo dõi lại",
    "delete": "Xoá",
    "merge": "Sáp nhập",
    "waive": "Miễn",
    "import": "Nhập từ Excel",
    "restore": "Khôi phục",
}

ENTITY_LABELS = {
    "unit": "Đơn vị",
    "directive": "Văn bản chỉ đạo",
    "task": "Nhiệm vụ",
    "submission": "Văn bản nhận được",
    "obligation": "Nghĩa vụ",
    "settings": "Cài đặt",
    "attachment": "Tệp đính kèm",
    "calendar_day": "Lịch nghỉ, làm bù",
    "issued_document": "Văn bản đã phát hành",
}


@dataclass(frozen=True)
class AuditInfo:
    id: int
    at: dt.datetime
    user: str
    action: str
    action_label: str
    entity: str
    entity_id: int
    summary: str
    before: dict[str, Any]
    after: dict[str, Any]

    def changes(self) -> list[tuple[str, Any, Any]]:
        """(field, before, after) for every field that differs."""
        keys = sorted(set(self.before) | set(self.after))
        return [
            (k, self.before.get(k), self.after.get(k))
            for k in keys
            if self.before.get(k) != self.after.get(k)
        ]


def current_user(session: Session | None = None) -> str:
    """Who is making the change: this PC's own name (``SOTHEODOI_USER`` or the connection
    dialog), else the name in the settings (on an SQLite file only: on a shared server the
    settings belong to everyone), else the Windows/OS user name."""
    from app.connection import local_user_name

    local = local_user_name()
    if local:
        return local
    if session is not None and session.get_bind().dialect.name == "sqlite":
        from app.settings import load_settings

        name = load_settings(session).user_name
        if name:
            return name
    try:
        return getpass.getuser()
    except Exception:  # pragma: no cover - no user name on this system
        return ""


def _plain(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def snapshot(obj: Base | None) -> dict[str, Any]:
    """Column values of an ORM object, JSON-ready (no search keys or versions)."""
    if obj is None:
        return {}
    mapper = inspect(obj.__class__)
    return {
        col.key: _plain(getattr(obj, col.key))
        for col in mapper.column_attrs
        if col.key not in ("search_key", "number_key", "version")
    }


def record(
    session: Session,
    action: str,
    entity: str,
    entity_id: int,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    summary: str = "",
) -> None:
    session.add(
        AuditEntry(
            user=current_user(session)[:100],
            action=action,
            entity=entity,
            entity_id=entity_id,
            summary=summary[:500],
            before=json.dumps(before or {}, ensure_ascii=False, default=str),
            after=json.dumps(after or {}, ensure_ascii=False, default=str),
        )
    )


def _info(row: AuditEntry) -> AuditInfo:
    return AuditInfo(
        id=row.id,
        at=row.at,
        user=row.user,
        action=row.action,
        action_label=ACTION_LABELS.get(row.action, row.action),
        entity=row.entity,
        entity_id=row.entity_id,
        summary=row.summary,
        before=json.loads(row.before or "{}"),
        after=json.loads(row.after or "{}"),
    )


def history(db: Database, entity: str | None = None, entity_id: int | None = None,
            limit: int = 1000) -> list[AuditInfo]:
    """Newest first; all entries, one entity's, or one record's."""
    with db.read() as session:
        stmt = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
        if entity is not None:
            stmt = stmt.where(AuditEntry.entity == entity)
        if entity_id is not None:
            stmt = stmt.where(AuditEntry.entity_id == entity_id)
        return [_info(r) for r in session.scalars(stmt)]
