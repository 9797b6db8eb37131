"""Optimistic locking: turn a version mismatch into a :class:`StaleEdit` the user can act on.

Unit, Directive, Task and Submission carry a ``version`` column (SQLAlchemy ``version_id_col``):
every UPDATE says ``WHERE id = … AND version = <the version read>``. Two ways to see a stale edit:

* the form sends the version it showed (``expected_version``) and it is not the one in the
  database — :func:`check_version`;
* two saves race between reading and writing: the second UPDATE matches no row and SQLAlchemy
  raises ``StaleDataError`` — :meth:`Database.write` maps it with :func:`stale_edit_from_session`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from app.dates import fmt
from app.errors import StaleEdit

ENTITY_LABELS = {
    "unit": "Đơn vị",
    "directive": "Văn bản chỉ đạo",
    "task": "Nhiệm vụ",
    "submission": "Văn bản nhận được",
}
_TITLE_FIELDS = ("name", "number_symbol", "title")


def _plain(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def values_of(obj: Any) -> dict[str, Any]:
    """Every column of an ORM object, JSON-ready, with its version (no search keys)."""
    mapper = inspect(type(obj))
    return {
        c.key: _plain(getattr(obj, c.key))
        for c in mapper.column_attrs
        if c.key not in ("search_key", "number_key")
    }


def _title(entity: str, values: dict[str, Any]) -> str:
    label = ENTITY_LABELS.get(entity, "Bản ghi")
    for key in _TITLE_FIELDS:
        if values.get(key):
            return f'{label} "{values[key]}"'
    return label


def _last_change(session: Session, entity: str, entity_id: int) -> tuple[str, str]:
    from app.models import AuditEntry

    row = session.execute(
        select(AuditEntry.user, AuditEntry.at)
        .where(AuditEntry.entity == entity, AuditEntry.entity_id == entity_id)
        .order_by(AuditEntry.id.desc())
        .limit(1)
    ).first()
    if row is None:
        return "", ""
    return row[0] or "", row[1].isoformat(sep=" ", timespec="seconds") if row[1] else ""


def build_stale_edit(
    session: Session,
    cls: type,
    entity_id: int,
    current_obj: Any | None = None,
    mine: dict[str, Any] | None = None,
) -> StaleEdit:
    """A StaleEdit for one record, read fresh in ``session`` (unless ``current_obj`` is given)."""
    entity = getattr(cls, "__tablename__", cls.__name__.lower())
    obj = (
        current_obj
        if current_obj is not None
        else session.get(cls, entity_id, populate_existing=True)
    )
    if obj is None:
        title = _title(entity, mine or {})
        return StaleEdit(
            f"{title} đã bị người khác xoá trong lúc anh/chị đang sửa; thay đổi của anh/chị "
            "chưa được lưu. Hãy tải lại danh sách (F5).",
            entity=entity,
            entity_id=entity_id,
            current={},
        )
    current = values_of(obj)
    who, when = _last_change(session, entity, entity_id)
    by = f" bởi {who}" if who else " ở máy khác"
    at = ""
    if when:
        # The audit trail keeps UTC; the user reads the time of this PC.
        stamp = dt.datetime.fromisoformat(when).replace(tzinfo=dt.UTC).astimezone()
        at = f" lúc {stamp:%H:%M} ngày {fmt(stamp)}"
    return StaleEdit(
        f"{_title(entity, current)} vừa được sửa{by}{at}, sau khi anh/chị mở ra. Thay đổi của "
        "anh/chị chưa được lưu và không có gì bị ghi đè. Hãy xem nội dung mới rồi chọn giữ bản "
        "mới hoặc lưu lại bản của anh/chị.",
        entity=entity,
        entity_id=entity_id,
        current=current,
        changed_by=who,
        changed_at=when,
    )


def check_version(session: Session, obj: Any, expected: int | None) -> None:
    """Raise StaleEdit when the form's version is not the one in the database."""
    if expected is None:
        return
    if obj.version != expected:
        raise build_stale_edit(session, type(obj), obj.id, current_obj=obj)


PENDING_KEY = "sotheodoi_versioned_pending"


def remember_versioned(session: Session, _context: Any, _instances: Any) -> None:
    """``before_flush``: note the versioned records about to be written (class, id, the
    version read, the values typed), so a StaleDataError can name the record afterwards."""
    pending = []
    for obj in [*session.dirty, *session.deleted]:
        mapper = inspect(type(obj))
        if mapper.version_id_col is None:
            continue
        state = inspect(obj)
        if state.identity is None:
            continue
        read = state.committed_state.get("version", state.dict.get("version"))
        mine = {
            k: _plain(v)
            for k, v in state.dict.items()
            if not k.startswith("_") and isinstance(v, (str, int, float, bool, dt.date, type(None)))
        }
        pending.append((type(obj), state.identity[0], read, mine))
    session.info[PENDING_KEY] = pending


def stale_edit_from_session(session: Session, fresh: Session) -> StaleEdit:
    """After a StaleDataError in ``session``: the versioned record it tried to write whose
    version moved on (or which is gone), read again in ``fresh``."""
    pending = session.info.get(PENDING_KEY, [])
    for cls, entity_id, read, mine in pending:
        stale = build_stale_edit(fresh, cls, entity_id, mine=mine)
        if stale.deleted or stale.current_version != read:
            return stale
    return StaleEdit(
        "Dữ liệu vừa được người khác sửa trong lúc anh/chị đang sửa; thay đổi của "
        "anh/chị chưa được lưu. Hãy tải lại (F5) rồi làm lại."
    )
