"""Changing the settings as one user action (saved, audited, obligations re-derived if needed)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from app.db import Database
from app.models import Task, TaskKind
from app.services import audit
from app.services.obligations import SyncResult, sync_task
from app.settings import Settings, load_settings, save_settings


def get_settings(db: Database) -> Settings:
    with db.read() as session:
        return load_settings(session)


def update_settings(db: Database, **changes: Any) -> tuple[Settings, SyncResult]:
    """Save ``changes``; when the default due day changes, every periodic task that follows the
    default gets new due dates in the same transaction."""
    result = SyncResult()
    with db.write() as session:
        before = load_settings(session)
        after = save_settings(session, **changes)
        if after.default_due_day != before.default_due_day:
            stmt = select(Task).where(Task.kind == TaskKind.PERIODIC.value, Task.due_day.is_(None))
            for task in session.scalars(stmt):
                result += sync_task(session, task, default_due_day=after.default_due_day)
        old = {k: getattr(before, k) for k in changes if hasattr(before, k)}
        new = {k: getattr(after, k) for k in changes if hasattr(after, k)}
        if old != new:
            audit.record(
                session,
                "update",
                "settings",
                0,
                before=old,
                after=new,
                summary="Sửa cài đặt" + (f"; {result.describe()}" if result.changed else ""),
            )
    return after, result
