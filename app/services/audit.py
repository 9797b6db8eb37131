"""The audit trail: every change with its before and after values."""

from __future__ import annotations

import datetime as dt
import getpass
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from app.dates import fmt_time
from app.db import Database
from app.models import AuditEntry, Base, Directive, Unit

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
    "undo_import": "Hoàn tác nhập Excel",
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
    batch_id: int | None = None  # the Excel import that made this change

    @property
    def restorable(self) -> bool:
        """Its record can be put back to the version after this change
        (:func:`restore_version`)."""
        return self.entity in RESTORABLE and bool(self.after) and self.entity_id > 0

    @property
    def restorable_before(self) -> bool:
        """Its record can be put back to the version before this change (an edit's)."""
        return (
            self.entity in RESTORABLE
            and bool(self.before)
            and bool(self.after)
            and self.entity_id > 0
        )

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
    batch_id: int | None = None,
) -> None:
    user = session.info.get("audit_user")
    if user is None:  # asked once per session: an import records thousands of changes
        user = session.info["audit_user"] = current_user(session)[:100]
    session.add(
        AuditEntry(
            user=user,
            action=action,
            entity=entity,
            entity_id=entity_id,
            summary=summary[:500],
            before=json.dumps(before or {}, ensure_ascii=False, default=str),
            after=json.dumps(after or {}, ensure_ascii=False, default=str),
            batch_id=batch_id,
        )
    )


def record_edit(
    session: Session,
    entity: str,
    obj: Any,
    before: dict[str, Any],
    summary: str,
    *,
    batch_id: int | None = None,
) -> dict[str, Any] | None:
    """An edit of ``obj`` into the history: its :func:`snapshot` now against ``before`` (taken
    before the edit; ``batch_id``: the Excel import making it). Nothing is recorded when
    nothing changed. Returns the new snapshot, or None when nothing changed."""
    after = snapshot(obj)
    if after == before:
        return None
    record(
        session,
        "update",
        entity,
        obj.id,
        before=before,
        after=after,
        summary=import_summary(summary, batch_id),
        batch_id=batch_id,
    )
    return after


def import_summary(summary: str, batch_id: int | None) -> str:
    """A change's summary as the history shows it: "Nhập từ Excel: …" when an Excel import
    (``batch_id``) made it."""
    return summary if batch_id is None else f"Nhập từ Excel: {summary[:1].lower()}{summary[1:]}"


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
        batch_id=row.batch_id,
    )


def history(
    db: Database, entity: str | None = None, entity_id: int | None = None, limit: int = 1000
) -> list[AuditInfo]:
    """Newest first; all entries, one entity's, or one record's."""
    with db.read() as session:
        stmt = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
        if entity is not None:
            stmt = stmt.where(AuditEntry.entity == entity)
        if entity_id is not None:
            stmt = stmt.where(AuditEntry.entity_id == entity_id)
        return [_info(r) for r in session.scalars(stmt)]


# --- putting a record back ---------------------------------------------------------------------

RESTORABLE = ("unit", "submission", "directive", "task")


def comparable(values: dict[str, Any]) -> dict[str, Any]:
    """A snapshot as it reads back from the history (JSON): compare with a stored one."""
    return dict(json.loads(json.dumps(values, ensure_ascii=False, default=str)))


def model_for(entity: str) -> type[Base]:
    from app.models import Directive, Submission, Task, Unit

    return {"unit": Unit, "submission": Submission, "directive": Directive, "task": Task}[entity]


def snapshot_of(entity: str, obj: Base) -> dict[str, Any]:
    """The snapshot the history keeps for this kind of record (a task's includes the units
    and kinds it is given to)."""
    if entity == "task":
        from app.services.directives import _task_snapshot

        return _task_snapshot(obj)  # type: ignore[arg-type]
    return snapshot(obj)


def _day(values: dict[str, Any], key: str) -> dt.date | None:
    raw = values.get(key)
    return dt.date.fromisoformat(str(raw)[:10]) if raw else None


def assign(obj: Base, values: dict[str, Any]) -> None:
    """Put the values of a snapshot back on ``obj`` (dates parsed back; the derived search
    and duplicate keys recomputed)."""
    from sqlalchemy import Date, DateTime

    mapper = inspect(obj.__class__)
    for col in mapper.column_attrs:
        key = col.key
        if key in ("id", "search_key", "number_key", "version") or key not in values:
            continue
        value = values[key]
        column_type = col.columns[0].type
        if isinstance(value, str) and isinstance(column_type, DateTime):
            value = dt.datetime.fromisoformat(value)
        elif isinstance(value, str) and isinstance(column_type, Date):
            value = dt.date.fromisoformat(value[:10])
        setattr(obj, key, value)
    if hasattr(obj, "number_key"):
        from app.services.submissions import number_key

        obj.number_key = number_key(obj.number_symbol)  # type: ignore[attr-defined]
    elif isinstance(obj, Unit):
        from app.services.units import unit_search_key

        obj.search_key = unit_search_key(obj.name, obj.short_name)
    elif isinstance(obj, Directive):
        from app.services.directives import directive_search_key

        obj.search_key = directive_search_key(obj.number_symbol, obj.issuer, obj.subject)


def after_change(session: Session, entity: str, obj: Base, before: dict[str, Any]) -> None:
    """Keep what depends on a unit or a document right after it changed: obligations bound
    by a unit's kind and validity, an obligation's received counters."""
    from app.services.obligations import refresh_received, sync_tasks_for_unit

    session.flush()
    after = snapshot_of(entity, obj)
    if entity in ("task", "directive"):
        from app.models import Directive, Task
        from app.services.obligations import sync_task

        if entity == "task":
            assert isinstance(obj, Task)
            sync_task(session, obj)
        elif any(before.get(k) != after.get(k) for k in ("signed_date", "shift_due")):
            assert isinstance(obj, Directive)
            for task in obj.tasks:
                sync_task(session, task)
    elif entity == "submission":
        refresh_received(
            session, {int(before.get("obligation_id") or 0), int(after["obligation_id"])} - {0}
        )
    elif entity == "unit" and any(
        before.get(k) != after.get(k) for k in ("kind", "valid_from", "valid_to")
    ):
        sync_tasks_for_unit(session, obj)  # type: ignore[arg-type]


def check_version_values(
    session: Session, entity: str, obj: Base, values: dict[str, Any], *, today: dt.date
) -> None:
    """The version must still be valid today (an impossible date, a duplicate name or number
    written since are refused with the form's own messages)."""
    if entity == "submission":
        from app.models import Channel
        from app.services.submissions import SubmissionInput, validate

        validate(
            session,
            SubmissionInput(
                obligation_id=int(values.get("obligation_id") or 0),
                number_symbol=str(values.get("number_symbol") or ""),
                signed_date=_day(values, "signed_date"),
                received_date=_day(values, "received_date"),
                signer=str(values.get("signer") or ""),
                channel=str(values.get("channel") or Channel.PAPER.value),
                summary=str(values.get("summary") or ""),
                assessment=str(values.get("assessment") or ""),
            ),
            today=today,
            exclude_id=obj.id,  # type: ignore[attr-defined]
        )
    elif entity == "directive":
        from app.services.directives import (
            DirectiveInput,
            _check_directive_duplicate,
            _validate_directive,
        )

        directive = DirectiveInput(
            number_symbol=str(values.get("number_symbol") or ""),
            signed_date=_day(values, "signed_date"),
            issuer=str(values.get("issuer") or ""),
            signer=str(values.get("signer") or ""),
            subject=str(values.get("subject") or ""),
            basis=str(values.get("basis") or ""),
            note=str(values.get("note") or ""),
            shift_due=bool(values.get("shift_due", False)),
        )
        checked = _validate_directive(directive)
        assert directive.signed_date is not None
        _check_directive_duplicate(
            session,
            str(checked["number_symbol"]),
            directive.signed_date,
            exclude=obj.id,  # type: ignore[attr-defined]
        )
    elif entity == "task":
        _task_values(session, values)
    else:
        from app.services import units

        data = units.UnitInput(
            name=str(values.get("name") or ""),
            kind=str(values.get("kind") or ""),
            short_name=str(values.get("short_name") or ""),
            head_title=str(values.get("head_title") or ""),
            address=str(values.get("address") or ""),
            phone=str(values.get("phone") or ""),
            email=str(values.get("email") or ""),
            contact_person=str(values.get("contact_person") or ""),
            note=str(values.get("note") or ""),
            active=bool(values.get("active", True)),
            valid_from=_day(values, "valid_from"),
            valid_to=_day(values, "valid_to"),
        )
        units.validate(data)
        units.check_names(session, [(data.name, obj.id)])  # type: ignore[attr-defined]


def _task_values(session: Session, values: dict[str, Any]) -> dict[str, object]:
    """A task's version checked like its form (kinds, units, schedule)."""
    from app.services.directives import TaskInput, _validate_task

    def number(key: str) -> int | None:
        raw = values.get(key)
        return int(raw) if isinstance(raw, int) else None

    checked = _validate_task(
        session,
        TaskInput(
            title=str(values.get("title") or ""),
            kind=str(values.get("kind") or ""),
            description=str(values.get("description") or ""),
            due_date=_day(values, "due_date"),
            period_kind=values.get("period_kind") or None,
            start_date=_day(values, "start_date"),
            end_date=_day(values, "end_date"),
            due_day=number("due_day"),
            due_month_offset=number("due_month_offset") or 0,
            due_working_days=number("due_working_days"),
            unit_kinds=tuple(values.get("unit_kinds") or ()),
            unit_ids=tuple(values.get("unit_ids") or ()),
        ),
    )
    if isinstance(values.get("sort_order"), int):
        checked["sort_order"] = values["sort_order"]
    return checked


def _put_back(session: Session, entity: str, obj: Base, values: dict[str, Any]) -> None:
    if entity == "task":
        from app.services.directives import _apply_task

        _apply_task(obj, _task_values(session, values))  # type: ignore[arg-type]
    else:
        assign(obj, values)


def restore_version(
    db: Database, entry_id: int, *, today: dt.date, before: bool = False
) -> AuditInfo:
    """Put a unit, directive, task or received document back to the version an entry of its
    history shows: the values after that change, or (``before``) the values it had before it.
    Checked like an edit in its form, recorded in the history as "Khôi phục"; returns the new
    history entry."""
    from app.errors import AppError, NotFound, ValidationError

    with db.write() as session:
        entry = session.get(AuditEntry, entry_id)
        if entry is None:
            raise NotFound.for_("mục lịch sử", entry_id)
        info = _info(entry)
        wanted = info.before if before else info.after
        if not (info.restorable_before if before else info.restorable):
            raise ValidationError(
                "Phiên bản này không khôi phục được: chỉ khôi phục được đơn vị, văn bản chỉ đạo, "
                "nhiệm vụ và văn bản nhận được, theo một mục có giá trị sau thay đổi (Thêm mới, "
                "Sửa, Khôi phục…)."
            )
        deleted_since = session.scalar(
            select(AuditEntry.id)
            .where(
                AuditEntry.entity == info.entity,
                AuditEntry.entity_id == info.entity_id,
                AuditEntry.action == "delete",
                AuditEntry.id > info.id,
            )
            .limit(1)
        )
        obj = session.get(model_for(info.entity), info.entity_id)
        if deleted_since is not None:  # SQLite may give the id to a later record: not this one
            raise NotFound(
                f"{ENTITY_LABELS.get(info.entity, info.entity)} của phiên bản này đã "
                "bị xoá sau đó; không khôi phục phiên bản cũ của nó được."
            )
        if obj is None:
            raise NotFound(
                f"{ENTITY_LABELS.get(info.entity, info.entity)} này đã bị xoá; "
                "không khôi phục phiên bản cũ được."
            )
        current = snapshot_of(info.entity, obj)
        if comparable(current) == comparable(wanted):
            raise AppError("Bản ghi đang giống hệt phiên bản này; không có gì để khôi phục.")
        check_version_values(session, info.entity, obj, wanted, today=today)
        _put_back(session, info.entity, obj, wanted)
        after_change(session, info.entity, obj, current)
        name = (
            getattr(obj, "name", None)
            or getattr(obj, "title", None)
            or getattr(obj, "number_symbol", "")
        )
        when = info.at.replace(tzinfo=dt.UTC).astimezone().replace(tzinfo=None)
        which = "trước thay đổi" if before else "sau thay đổi"
        record(
            session,
            "restore",
            info.entity,
            info.entity_id,
            before=current,
            after=snapshot_of(info.entity, obj),
            summary=f"Khôi phục {name} về như {which} lúc {fmt_time(when, seconds=True)}",
        )
        session.flush()
        new_id = session.scalar(select(AuditEntry.id).order_by(AuditEntry.id.desc()).limit(1))
    return history_entry(db, int(new_id or 0))


def history_entry(db: Database, entry_id: int) -> AuditInfo:
    from app.errors import NotFound

    with db.read() as session:
        row = session.get(AuditEntry, entry_id)
        if row is None:
            raise NotFound.for_("mục lịch sử", entry_id)
        return _info(row)
