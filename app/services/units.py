"""Units (đơn vị): list, find by name, create, edit, deactivate, move, merge."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.dates import fmt
from app.db import Database
from app.db.stale import check_version
from app.errors import Conflict, NotFound, ValidationError
from app.models import Obligation, Submission, TaskUnit, Unit, UnitKind
from app.ordering import order_error, unit_key
from app.services import audit
from app.text import clean, search_key, sort_key

NAME_MAX = 255
SHORT_MAX = 100
EMPTY_NAME = "Tên đơn vị không được để trống."


@dataclass(frozen=True)
class UnitInfo:
    id: int
    name: str
    short_name: str
    kind: UnitKind
    sort_order: int
    head_title: str
    address: str
    phone: str
    email: str
    contact_person: str
    note: str
    active: bool
    valid_from: dt.date | None
    valid_to: dt.date | None
    successor_id: int | None
    successor_name: str
    version: int

    @property
    def kind_label(self) -> str:
        return self.kind.label

    def valid_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )


@dataclass(frozen=True)
class UnitInput:
    """What a form or an import gives to create or edit a unit."""

    name: str
    kind: UnitKind | str
    short_name: str = ""
    sort_order: int | None = None
    head_title: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""
    contact_person: str = ""
    note: str = ""
    active: bool = True
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    extra: dict[str, str] = field(default_factory=dict)


def _info(unit: Unit, names: dict[int, str]) -> UnitInfo:
    return UnitInfo(
        id=unit.id,
        name=unit.name,
        short_name=unit.short_name,
        kind=UnitKind(unit.kind),
        sort_order=unit.sort_order,
        head_title=unit.head_title,
        address=unit.address,
        phone=unit.phone,
        email=unit.email,
        contact_person=unit.contact_person,
        note=unit.note,
        active=unit.active,
        valid_from=unit.valid_from,
        valid_to=unit.valid_to,
        successor_id=unit.successor_id,
        successor_name=names.get(unit.successor_id, "") if unit.successor_id else "",
        version=unit.version,
    )


def list_units(
    db: Database, *, include_inactive: bool = True, kind: UnitKind | str | None = None
) -> list[UnitInfo]:
    """Units in the unit order (:mod:`app.ordering`)."""
    with db.read() as session:
        return _list(session, include_inactive=include_inactive, kind=kind)


def _list(
    session: Session, *, include_inactive: bool = True, kind: UnitKind | str | None = None
) -> list[UnitInfo]:
    stmt = select(Unit)
    if not include_inactive:
        stmt = stmt.where(Unit.active.is_(True))
    if kind is not None:
        stmt = stmt.where(Unit.kind == UnitKind(kind).value)
    units = list(session.scalars(stmt))
    names = dict(session.execute(select(Unit.id, Unit.name)).all())
    units.sort(key=lambda u: unit_key(u.kind, u.sort_order, u.name, u.id))
    return [_info(u, names) for u in units]


def get_unit(db: Database, unit_id: int) -> UnitInfo:
    with db.read() as session:
        unit = session.get(Unit, unit_id)
        if unit is None:
            raise NotFound.for_("đơn vị", unit_id)
        names = dict(session.execute(select(Unit.id, Unit.name)).all())
        return _info(unit, names)


def find_unit(session: Session, name: str) -> Unit:
    """Find one unit by name or short name, accent-insensitively.

    An exact key match wins; else every word must match. None or several: NotFound with the
    candidates listed.
    """
    wanted = search_key(name)
    if not wanted:
        raise NotFound("Chưa nhập tên đơn vị.")
    units = list(session.scalars(select(Unit)))
    exact = [u for u in units if wanted in (search_key(u.name), search_key(u.short_name))]
    if len(exact) == 1:
        return exact[0]
    words = wanted.split()
    partial = exact or [
        u
        for u in units
        if all(w in f"{search_key(u.name)} {search_key(u.short_name)}" for w in words)
    ]
    if len(partial) == 1:
        return partial[0]
    if not partial:
        raise NotFound(
            f"Không có đơn vị nào tên {name!r}. Hãy kiểm tra lại tên đơn vị "
            "(danh sách ở thẻ “Đơn vị”)."
        )
    names = sorted((u.name for u in partial), key=sort_key)
    raise NotFound(
        f"Tên đơn vị {name!r} khớp với {len(partial)} đơn vị; hãy ghi rõ hơn: "
        + "; ".join(names[:15])
        + (" …" if len(names) > 15 else ""),
        candidates=names,
    )


def unit_search_key(name: str, short_name: str) -> str:
    """The stored search key of a unit (its name and short name, accent-free)."""
    return search_key(f"{name} {short_name}")[:400]  # the column's size (a server enforces it)


def validate(data: UnitInput) -> dict[str, object]:
    """A unit's values as stored (``sort_order`` None: the next number of its kind for a new
    unit, unchanged for an edit); every problem is reported at its field."""
    errors: dict[str, str] = {}
    name = clean(data.name)
    short = clean(data.short_name)
    if not name:
        errors["name"] = EMPTY_NAME
    elif len(name) > NAME_MAX:
        errors["name"] = f"Tên đơn vị quá dài ({len(name)} ký tự; tối đa {NAME_MAX})."
    if len(short) > SHORT_MAX:
        errors["short_name"] = f"Tên viết tắt quá dài (tối đa {SHORT_MAX} ký tự)."
    try:
        kind = UnitKind(data.kind)
    except ValueError:
        errors["kind"] = "Loại đơn vị không hợp lệ."
        kind = UnitKind.OTHER
    if (order := order_error(data.sort_order)) is not None:
        errors["sort_order"] = order
    if data.valid_from and data.valid_to and data.valid_to < data.valid_from:
        errors["valid_to"] = "Ngày kết thúc hiệu lực phải sau ngày bắt đầu."
    email = clean(data.email)
    if email and ("@" not in email or " " in email or len(email) > 255):
        errors["email"] = "Địa chỉ thư điện tử không hợp lệ."
    texts = {
        "head_title": (data.head_title, 255),
        "address": (data.address, 500),
        "phone": (data.phone, 100),
        "contact_person": (data.contact_person, 255),
        "note": (data.note, 5000),
    }
    values: dict[str, object] = {}
    for key, (value, limit) in texts.items():
        text = clean(value, multiline=key == "note")
        if len(text) > limit:
            errors[key] = f"Nội dung quá dài (tối đa {limit} ký tự)."
        values[key] = text
    if errors:
        raise ValidationError(next(iter(errors.values())), errors=errors)
    values.update(
        name=name,
        short_name=short,
        kind=kind.value,
        sort_order=data.sort_order,
        email=email,
        active=bool(data.active),
        valid_from=data.valid_from,
        valid_to=data.valid_to,
        search_key=unit_search_key(name, short),
    )
    return values


def check_names(session: Session, names: Sequence[tuple[str, int | None]]) -> None:
    """Refuse a name another unit has (accent-insensitive): ``names`` are (name, the unit's own
    id, None for a new unit), checked against every other unit and each other."""
    own = {unit_id for _, unit_id in names if unit_id is not None}
    taken = {search_key(u.name): u.name for u in session.scalars(select(Unit)) if u.id not in own}
    for name, _ in names:
        key = search_key(name)
        if key in taken:
            raise ValidationError(
                f'Đã có đơn vị tên "{taken[key]}". Hãy đặt tên khác hoặc sửa đơn vị đã có.',
                field="name",
            )
        taken[key] = name


def top_sort_orders(session: Session) -> dict[str, int]:
    """The highest order number (TT) of each kind: a new unit without one comes after them."""
    return {
        kind: int(n)
        for kind, n in session.execute(
            select(Unit.kind, func.max(Unit.sort_order)).group_by(Unit.kind)
        )
        if n is not None
    }


def store_units(
    session: Session,
    added: Sequence[dict[str, object]] = (),
    changed: Sequence[tuple[Unit, dict[str, object]]] = (),
    *,
    batch_id: int | None = None,
) -> list[Unit]:
    """Write units whose values :func:`validate` gave, in the caller's transaction: new ones
    (``added``) and edits (``changed``). Names are checked against every other unit; each
    change is audited (``batch_id``: the Excel import making it); the obligations of the
    kinds and units concerned are re-derived once. Returns the new units."""
    check_names(
        session,
        [(str(v["name"]), None) for v in added] + [(str(v["name"]), u.id) for u, v in changed],
    )
    top = top_sort_orders(session) if added else {}  # as before the edits
    kinds: set[str] = set()
    unit_ids: set[int] = set()
    for unit, values in changed:
        before = audit.snapshot(unit)
        for key, value in values.items():
            if not (key == "sort_order" and value is None):
                setattr(unit, key, value)
        summary = f"Sửa đơn vị {unit.name}"
        after = audit.record_edit(session, "unit", unit, before, summary, batch_id=batch_id)
        if after is None:
            continue
        if any(before[k] != after[k] for k in ("valid_from", "valid_to", "kind")):
            kinds.update({str(before["kind"]), unit.kind})
            unit_ids.add(unit.id)
    new: list[Unit] = []
    for values in added:
        kind = str(values["kind"])
        if values["sort_order"] is None:
            top[kind] = top.get(kind, 0) + 1
            values = {**values, "sort_order": top[kind]}
        new.append(Unit(**values))
        kinds.add(kind)  # a new unit is bound by kind only: no task names it yet
    session.add_all(new)
    session.flush()
    for unit in new:
        audit.record(
            session,
            "create",
            "unit",
            unit.id,
            after=audit.snapshot(unit),
            summary=audit.import_summary(f"Thêm đơn vị {unit.name}", batch_id),
            batch_id=batch_id,
        )
    if kinds:
        from app.services.obligations import sync_tasks_for_units

        sync_tasks_for_units(session, kinds=kinds, unit_ids=unit_ids)
    return new


def create_unit(db: Database, data: UnitInput) -> UnitInfo:
    values = validate(data)
    with db.write() as session:
        (unit,) = store_units(session, [values])
        unit_id = unit.id
    return get_unit(db, unit_id)


def update_unit(
    db: Database, unit_id: int, data: UnitInput, *, expected_version: int | None = None
) -> UnitInfo:
    values = validate(data)
    with db.write() as session:
        unit = _get(session, unit_id)
        check_version(session, unit, expected_version)
        store_units(session, changed=[(unit, values)])
    return get_unit(db, unit_id)


def _get(session: Session, unit_id: int) -> Unit:
    unit = session.get(Unit, unit_id)
    if unit is None:
        raise NotFound.for_("đơn vị", unit_id, maybe_deleted=True)
    return unit


def set_active(
    db: Database, unit_id: int, active: bool, *, expected_version: int | None = None
) -> UnitInfo:
    """Deactivate (stop following) or reactivate a unit. History is kept."""
    with db.write() as session:
        unit = _get(session, unit_id)
        check_version(session, unit, expected_version)
        if unit.active != active:
            before = audit.snapshot(unit)
            unit.active = active
            session.flush()
            audit.record(
                session,
                "activate" if active else "deactivate",
                "unit",
                unit.id,
                before=before,
                after=audit.snapshot(unit),
                summary=("Theo dõi lại " if active else "Ngừng theo dõi ") + unit.name,
            )
    return get_unit(db, unit_id)


def unit_has_history(session: Session, unit_id: int) -> tuple[int, int, int]:
    """(submissions, obligations, task assignments) that reference the unit."""
    subs = session.scalar(select(func.count()).where(Submission.unit_id == unit_id)) or 0
    obls = session.scalar(select(func.count()).where(Obligation.unit_id == unit_id)) or 0
    assigned = session.scalar(select(func.count()).where(TaskUnit.unit_id == unit_id)) or 0
    return subs, obls, assigned


def delete_unit(db: Database, unit_id: int, *, expected_version: int | None = None) -> None:
    """Delete a unit entered by mistake. A unit with history is never deleted."""
    with db.write() as session:
        unit = _get(session, unit_id)
        check_version(session, unit, expected_version)
        subs, obls, assigned = unit_has_history(session, unit_id)
        if subs or obls or assigned:
            raise Conflict(
                f'Không xoá được đơn vị "{unit.name}" vì đã có lịch sử theo dõi '
                f"({subs} văn bản nhận được, {obls} nghĩa vụ, {assigned} nhiệm vụ giao đích danh). "
                'Hãy dùng "Ngừng theo dõi" hoặc ghi nhận sáp nhập: lịch sử được giữ nguyên.'
            )
        for other in session.scalars(select(Unit).where(Unit.successor_id == unit_id)):
            other.successor_id = None
        audit.record(
            session,
            "delete",
            "unit",
            unit.id,
            before=audit.snapshot(unit),
            summary=f"Xoá đơn vị {unit.name}",
        )
        session.delete(unit)


def move_unit(db: Database, unit_id: int, step: int) -> bool:
    """Move a unit ``step`` places up (-1) or down (+1) among the units of its kind (active
    or not), in the order shown (app.ordering: TT, then name, then id). False when it is
    already first (last): nothing changes."""
    with db.write() as session:
        unit = _get(session, unit_id)
        same = session.scalars(select(Unit).where(Unit.kind == unit.kind)).all()
        ids = [
            u.id for u in sorted(same, key=lambda u: unit_key(u.kind, u.sort_order, u.name, u.id))
        ]
        pos = ids.index(unit.id)
        new = pos + step
        if not 0 <= new < len(ids):
            return False
        ids[pos], ids[new] = ids[new], ids[pos]
        by_id = {u.id: u for u in same}
        for position, moved_id in enumerate(ids, start=1):
            by_id[moved_id].sort_order = position
        audit.record(
            session, "update", "unit", 0, after={"order": ids}, summary="Sắp xếp lại thứ tự đơn vị"
        )
    return True


def record_merger(
    db: Database,
    unit_id: int,
    successor_id: int,
    merged_on: dt.date,
    *,
    expected_version: int | None = None,
) -> UnitInfo:
    """``unit_id`` merges into ``successor_id`` on ``merged_on``: valid until the day before.

    Its obligations falling due from ``merged_on`` on become exempt; history is kept.
    """
    if unit_id == successor_id:
        raise ValidationError("Đơn vị không thể sáp nhập vào chính nó.", field="successor")
    with db.write() as session:
        unit = _get(session, unit_id)
        check_version(session, unit, expected_version)
        successor = _get(session, successor_id)
        if unit.valid_from and merged_on <= unit.valid_from:
            raise ValidationError(
                "Ngày sáp nhập phải sau ngày đơn vị bắt đầu hiệu lực.", field="merged_on"
            )
        before = audit.snapshot(unit)
        unit.successor_id = successor.id
        unit.valid_to = merged_on - dt.timedelta(days=1)
        unit.active = False
        session.flush()
        audit.record(
            session,
            "merge",
            "unit",
            unit.id,
            before=before,
            after=audit.snapshot(unit),
            summary=f"{unit.name} sáp nhập vào {successor.name} từ {fmt(merged_on)}",
        )
        _resync_for_unit(session, unit)
    return get_unit(db, unit_id)


def _resync_for_unit(session: Session, unit: Unit) -> None:
    """Re-derive the obligations of every task that binds the unit (by kind or by name)."""
    from app.services.obligations import sync_tasks_for_unit

    sync_tasks_for_unit(session, unit)
