"""Obligations: derive them from tasks (sync) and list them with their status on any day.

The status is computed in SQL with the same rules as :func:`app.status.status_on` (a test
checks that both agree), so listing 100,000 obligations for a new day is one query.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from sqlalchemy import Select, String, and_, case, delete, func, literal, or_, select, type_coerce
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from app.dates import fmt
from app.db import Database
from app.errors import ValidationError
from app.models import Directive, Obligation, Submission, Task, TaskKind, Unit, UnitKind
from app.ordering import unit_order_sql
from app.schedule import ONE_OFF_KEY, PeriodKind, due_date, periods_between
from app.settings import load_settings
from app.status import Status


@dataclass(frozen=True)
class SyncResult:
    added: int = 0
    removed: int = 0
    updated: int = 0
    kept_with_submissions: int = 0  # no longer in scope but kept: they have submissions

    def __add__(self, other: SyncResult) -> SyncResult:
        return SyncResult(
            self.added + other.added,
            self.removed + other.removed,
            self.updated + other.updated,
            self.kept_with_submissions + other.kept_with_submissions,
        )

    @property
    def changed(self) -> bool:
        return bool(self.added or self.removed or self.updated or self.kept_with_submissions)

    def describe(self) -> str:
        """A sentence for the user: what changed in the obligations."""
        if not self.changed:
            return "Danh sách nghĩa vụ không thay đổi."
        parts = []
        if self.added:
            parts.append(f"thêm {self.added} nghĩa vụ")
        if self.removed:
            parts.append(f"bỏ {self.removed} nghĩa vụ chưa có văn bản")
        if self.updated:
            parts.append(f"cập nhật hạn hoặc phạm vi của {self.updated} nghĩa vụ")
        text = "Đã " + ", ".join(parts) + "." if parts else ""
        if self.kept_with_submissions:
            text += (
                f" Giữ lại {self.kept_with_submissions} nghĩa vụ đã có văn bản gửi đến "
                "(ghi \"Không còn thuộc phạm vi\", không xoá)."
            )
        return text.strip()


OUT_OF_SCOPE = "Không còn thuộc phạm vi nhiệm vụ (giữ lại vì đã có văn bản gửi đến)"


class ObligationRow(NamedTuple):
    """One obligation with its status on a given day (an immutable plain record: a NamedTuple
    because lists of 100,000 of them are built for the warnings and exports)."""

    id: int
    task_id: int
    task_title: str
    task_kind: TaskKind
    directive_id: int
    directive_symbol: str
    unit_id: int
    unit_name: str
    unit_short_name: str
    unit_kind: UnitKind
    unit_sort: int
    period_key: str
    period_label: str
    due_date: dt.date
    first_received: dt.date | None  # as seen on the day asked (None before it was received)
    submission_count: int  # as seen on the day asked
    status: Status
    days_past_due: int  # day - due (negative: days left)
    exempt_reason: str

    @property
    def unit_display(self) -> str:
        return self.unit_short_name or self.unit_name


# --- status in SQL ---------------------------------------------------------------------------


def status_expression(day: dt.date, window_days: int) -> ColumnElement[str]:
    """The rules of :func:`app.status.status_on` as one SQL CASE over ``obligation``."""
    horizon = day + dt.timedelta(days=window_days)
    received = and_(Obligation.first_received.is_not(None), Obligation.first_received <= day)
    return case(
        (or_(Obligation.exempt_reason.is_not(None), Obligation.waived.is_(True)),
         literal(Status.EXEMPT.value)),
        (and_(received, Obligation.first_received <= Obligation.due_date),
         literal(Status.DONE_ON_TIME.value)),
        (received, literal(Status.DONE_LATE.value)),
        (Obligation.due_date < day, literal(Status.OVERDUE.value)),
        (Obligation.due_date <= horizon, literal(Status.DUE_SOON.value)),
        else_=literal(Status.NOT_DUE.value),
    )


def status_filter(statuses: Iterable[Status], day: dt.date, window_days: int
                  ) -> ColumnElement[bool]:
    """A WHERE clause selecting the given statuses, written so SQLite can use the indexes.

    The open statuses (overdue, due soon, not due) select ``id IN (…)`` over two index range
    scans of ``ix_obligation_open_status`` (first_received, due_date, exempt_reason, waived):
    never received, and received only after ``day``. Written as one ``OR`` over the due-date
    index instead, a warnings list of a few thousand rows read every obligation of ten years
    (see docs/performance.md).
    """
    wanted = {Status(s) for s in statuses}
    horizon = day + dt.timedelta(days=window_days)
    not_exempt = and_(Obligation.exempt_reason.is_(None), Obligation.waived.is_(False))
    received = and_(Obligation.first_received.is_not(None), Obligation.first_received <= day)
    clauses: list[ColumnElement[bool]] = []
    if Status.EXEMPT in wanted:
        clauses.append(or_(Obligation.exempt_reason.is_not(None), Obligation.waived.is_(True)))
    if Status.DONE_ON_TIME in wanted:
        clauses.append(and_(not_exempt, received,
                            Obligation.first_received <= Obligation.due_date))
    if Status.DONE_LATE in wanted:
        clauses.append(and_(not_exempt, received,
                            Obligation.first_received > Obligation.due_date))
    open_wanted = wanted & {Status.OVERDUE, Status.DUE_SOON, Status.NOT_DUE}
    if open_wanted:
        due_ranges: list[ColumnElement[bool]] = []
        if Status.OVERDUE in open_wanted:
            due_ranges.append(Obligation.due_date < day)
        if Status.DUE_SOON in open_wanted:
            due_ranges.append(and_(Obligation.due_date >= day, Obligation.due_date <= horizon))
        if Status.NOT_DUE in open_wanted:
            due_ranges.append(Obligation.due_date > horizon)
        if {Status.OVERDUE, Status.DUE_SOON} <= open_wanted and Status.NOT_DUE not in open_wanted:
            due_ranges = [Obligation.due_date <= horizon]  # one contiguous range
        due = or_(*due_ranges)
        never = select(Obligation.id).where(Obligation.first_received.is_(None), due, not_exempt)
        later = select(Obligation.id).where(Obligation.first_received > day, due, not_exempt)
        clauses.append(Obligation.id.in_(never.union_all(later)))
    return or_(*clauses) if clauses else literal(False)


def _row_query(day: dt.date, window_days: int) -> Select:  # type: ignore[type-arg]
    status = status_expression(day, window_days).label("status")
    # Submissions seen on ``day``: only those received by then.
    seen = (
        select(func.count(Submission.id))
        .where(Submission.obligation_id == Obligation.id, Submission.received_date <= day)
        .correlate(Obligation)
        .scalar_subquery()
    )
    return (
        select(
            Obligation.id,
            Obligation.task_id,
            Task.title,
            Task.kind,
            Task.directive_id,
            Directive.number_symbol,
            Obligation.unit_id,
            Unit.name,
            Unit.short_name,
            Unit.kind,
            Unit.sort_order,
            Obligation.period_key,
            Obligation.period_label,
            type_coerce(Obligation.due_date, String),  # parsed by _DateCache, much faster
            type_coerce(Obligation.first_received, String),
            # Nothing was received by ``day`` unless first_received <= day: no count needed.
            case((and_(Obligation.submission_count > 0, Obligation.first_received <= day), seen),
                 else_=literal(0)),
            status,
            Obligation.exempt_reason,
            Obligation.waived,
        )
        .join(Task, Task.id == Obligation.task_id)
        .join(Directive, Directive.id == Task.directive_id)
        .join(Unit, Unit.id == Obligation.unit_id)
    )


def _due_order(units: Sequence[Any]) -> tuple[Any, ...]:
    """The default order of obligation lists: by due date, then directive, task, unit (the
    unit order of :mod:`app.ordering`, ``units`` its SQL terms), period."""
    return (Obligation.due_date, Task.directive_id, Task.sort_order, Task.id,
            *units, Obligation.period_key, Obligation.id)


def obligation_conditions(
    day: dt.date,
    window_days: int,
    *,
    directive_id: int | None = None,
    task_id: int | None = None,
    unit_id: int | None = None,
    unit_kind: UnitKind | str | None = None,
    period_key: str | None = None,
    statuses: Sequence[Status | str] | None = None,
    obligation_ids: Sequence[int] | None = None,
) -> list[ColumnElement[bool]]:
    """The WHERE conditions of :func:`query_obligations`' filters (over ``obligation``
    joined with ``task`` and ``unit``), shared with the counting queries."""
    conditions: list[ColumnElement[bool]] = [unit_exists_on(day)]
    if directive_id is not None:
        conditions.append(Task.directive_id == directive_id)
    if task_id is not None:
        conditions.append(Obligation.task_id == task_id)
    if unit_id is not None:
        conditions.append(Obligation.unit_id == unit_id)
    if unit_kind is not None:
        conditions.append(Unit.kind == UnitKind(unit_kind).value)
    if period_key is not None:
        conditions.append(Obligation.period_key == period_key)
    if statuses:
        conditions.append(status_filter([Status(s) for s in statuses], day, window_days))
    if obligation_ids is not None:
        conditions.append(Obligation.id.in_(list(obligation_ids)))
    return conditions


def query_obligations(
    session: Session,
    day: dt.date,
    *,
    window_days: int | None = None,
    directive_id: int | None = None,
    task_id: int | None = None,
    unit_id: int | None = None,
    unit_kind: UnitKind | str | None = None,
    period_key: str | None = None,
    statuses: Sequence[Status | str] | None = None,
    obligation_ids: Sequence[int] | None = None,
    limit: int | None = None,
    offset: int = 0,
    where: Sequence[ColumnElement[bool]] = (),
    order_by: Sequence[Any] | None = None,
    joins: Sequence[tuple[object, ColumnElement[bool]]] = (),
) -> list[ObligationRow]:
    """The obligations matching the filters with their status on ``day``, in due-date order
    (or ``order_by``). ``limit``/``offset`` load a large list a page at a time (a table never
    holds a million rows); ``where`` adds conditions, ``joins`` (target, on) extra tables
    (e.g. a sort rank)."""
    if window_days is None:
        window_days = load_settings(session).warning_days
    stmt = _row_query(day, window_days)
    if order_by is None:
        units, unit_joins = unit_order_sql(session)
        joins = [*joins, *unit_joins]
        order_by = _due_order(units)
    for target, on in joins:
        stmt = stmt.join(target, on)  # type: ignore[arg-type]
    stmt = stmt.where(*obligation_conditions(
        day, window_days, directive_id=directive_id, task_id=task_id, unit_id=unit_id,
        unit_kind=unit_kind, period_key=period_key, statuses=statuses,
        obligation_ids=obligation_ids), *where)
    stmt = stmt.order_by(*order_by)
    if limit is not None:
        stmt = stmt.limit(limit).offset(offset)
    if session.autoflush:
        session.flush()  # what session.execute would do: pending changes are seen
    # Hot path (warnings over 100,000 obligations): enums and dates are looked up in small
    # dictionaries instead of being constructed per row.
    dates = _DateCache()
    rows = []
    for r in session.connection().execute(stmt):
        (oid, tid, title, tkind, did, dsym, uid, uname, ushort, ukind, usort, pkey, plabel,
         due_text, first_text, seen, status, reason, waived) = r
        due = dates(due_text)
        first = dates(first_text) if first_text is not None else None
        rows.append(
            ObligationRow(
                id=oid, task_id=tid, task_title=title, task_kind=_TASK_KINDS[tkind],
                directive_id=did, directive_symbol=dsym, unit_id=uid, unit_name=uname,
                unit_short_name=ushort, unit_kind=_UNIT_KINDS[ukind], unit_sort=usort,
                period_key=pkey, period_label=plabel, due_date=due,
                first_received=first if first is not None and first <= day else None,
                submission_count=int(seen or 0), status=_STATUSES[status],
                days_past_due=(day - due).days,
                exempt_reason=reason or ("Được miễn" if waived else ""),
            )
        )
    return rows


_STATUSES = {s.value: s for s in Status}
_TASK_KINDS = {k.value: k for k in TaskKind}
_UNIT_KINDS = {k.value: k for k in UnitKind}


class _DateCache(dict[object, dt.date]):
    """ISO text (SQLite) or date (PostgreSQL) → date, parsed once per distinct value."""

    def __call__(self, value: object) -> dt.date:
        try:
            return self[value]
        except KeyError:
            parsed = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
            self[value] = parsed
            return parsed


def list_obligations(db: Database, day: dt.date, **filters: object) -> list[ObligationRow]:
    """Every obligation matching the filters, with its status on ``day``."""
    with db.read() as session:
        return query_obligations(session, day, **filters)  # type: ignore[arg-type]


def get_obligation(db: Database, obligation_id: int, day: dt.date) -> ObligationRow:
    from app.errors import NotFound

    rows = list_obligations(db, day, obligation_ids=[obligation_id])
    if not rows:
        raise NotFound(f"Không tìm thấy nghĩa vụ (mã {obligation_id}).")
    return rows[0]


# --- deriving obligations from a task ---------------------------------------------------------


@dataclass(frozen=True)
class _Wanted:
    label: str
    start: dt.date | None
    end: dt.date | None
    due: dt.date
    exempt_reason: str | None


def task_schedule(task: Task, directive_date: dt.date, default_due_day: int
                  ) -> list[tuple[str, str, dt.date | None, dt.date | None, dt.date]]:
    """(period key, label, start, end, due) of every occurrence of the task."""
    if task.kind == TaskKind.ONE_OFF.value:
        if task.due_date is None:
            raise ValidationError("Nhiệm vụ một lần phải có hạn hoàn thành.", field="due_date")
        return [(ONE_OFF_KEY, "", None, None, task.due_date)]
    if not task.period_kind:
        raise ValidationError("Báo cáo định kỳ phải chọn loại kỳ báo cáo.", field="period_kind")
    start = task.start_date or directive_date
    end = task.end_date or dt.date(start.year, 12, 31)
    due_day = task.due_day or default_due_day
    result: list[tuple[str, str, dt.date | None, dt.date | None, dt.date]] = []
    for period in periods_between(PeriodKind(task.period_kind), start, end):
        due = due_date(period, due_day, task.due_month_offset or 0)
        result.append((period.key, period.label, period.start, period.end, due))
    return result


def validity_reason(unit_from: dt.date | None, unit_to: dt.date | None, *,
                    directive_date: dt.date, period_start: dt.date | None, due: dt.date
                    ) -> str | None:
    """Why a unit is not bound by one occurrence of a task (docs/domain.md, "Units over time"),
    or None when it is bound.

    A one-off task (``period_start`` None) binds the units that exist on the directive's date;
    a periodic task binds a unit for the periods that begin on or after its creation. Either is
    exempt when due after the unit ended (merged or dissolved).
    """
    start = directive_date if period_start is None else period_start
    if unit_from and start < unit_from:
        when = "ngày ban hành văn bản" if period_start is None else "đầu kỳ"
        return f"Đơn vị thành lập từ {fmt(unit_from)}, sau {when}"
    if unit_to and (due > unit_to or start > unit_to):
        gone = unit_to + dt.timedelta(days=1)
        return f"Đơn vị không còn (sáp nhập/giải thể) từ {fmt(gone)}"
    return None


def unit_exists_on(day: dt.date) -> ColumnElement[bool]:
    """Over ``obligation``: its unit exists on ``day`` (a unit shows nowhere before it begins).
    A sub-query over the few units, so that no query needs a join to the unit table for it."""
    return Obligation.unit_id.not_in(select(Unit.id).where(Unit.valid_from > day))


def _bound_units(session: Session, task: Task, span: tuple[dt.date, dt.date]) -> list[Unit]:
    """Units the task binds: chosen ones, plus units of its kinds valid during the span."""
    chosen_ids = {tu.unit_id for tu in task.units}
    kinds = {tk.kind for tk in task.unit_kinds}
    units: dict[int, Unit] = {}
    if chosen_ids:
        for u in session.scalars(select(Unit).where(Unit.id.in_(chosen_ids))):
            units[u.id] = u
    if kinds:
        first, last = span
        stmt = select(Unit).where(
            Unit.kind.in_(kinds),
            or_(Unit.valid_from.is_(None), Unit.valid_from <= last),
            or_(Unit.valid_to.is_(None), Unit.valid_to >= first),
        )
        for u in session.scalars(stmt):
            units[u.id] = u
    return sorted(units.values(), key=lambda u: u.id)  # same ids on every backend


def sync_task(session: Session, task: Task, *, default_due_day: int | None = None) -> SyncResult:
    """Make the task's obligations match its schedule and its units. Never deletes one that
    has a submission: it is kept and marked out of scope."""
    if default_due_day is None:
        default_due_day = load_settings(session).default_due_day
    directive = task.directive or session.get(Directive, task.directive_id)
    assert directive is not None
    schedule = task_schedule(task, directive.signed_date, default_due_day)
    wanted: dict[tuple[int, str], _Wanted] = {}
    if schedule:
        starts = [s[2] or s[4] for s in schedule]
        span = (min([directive.signed_date, *starts]), max(s[4] for s in schedule))
        for unit in _bound_units(session, task, span):
            for key, label, start, end, due in schedule:
                reason = validity_reason(unit.valid_from, unit.valid_to,
                                         directive_date=directive.signed_date,
                                         period_start=start, due=due)
                wanted[(unit.id, key)] = _Wanted(label, start, end, due, reason)
    existing = {
        (o.unit_id, o.period_key): o
        for o in session.scalars(select(Obligation).where(Obligation.task_id == task.id))
    }
    added = removed = updated = kept = 0
    for wanted_key, want in wanted.items():
        obligation = existing.get(wanted_key)
        if obligation is None:
            session.add(Obligation(
                task_id=task.id, unit_id=wanted_key[0], period_key=wanted_key[1],
                period_label=want.label,
                period_start=want.start, period_end=want.end, due_date=want.due,
                exempt_reason=want.exempt_reason, submission_count=0, waived=False,
            ))
            added += 1
            continue
        new = (want.label, want.start, want.end, want.due, want.exempt_reason)
        old = (obligation.period_label, obligation.period_start, obligation.period_end,
               obligation.due_date, obligation.exempt_reason)
        if new != old:
            (obligation.period_label, obligation.period_start, obligation.period_end,
             obligation.due_date, obligation.exempt_reason) = new
            updated += 1
    stale_ids = []
    for existing_key, obligation in existing.items():
        if existing_key in wanted:
            continue
        if obligation.submission_count > 0:
            if obligation.exempt_reason != OUT_OF_SCOPE:
                obligation.exempt_reason = OUT_OF_SCOPE
            kept += 1
        else:
            stale_ids.append(obligation.id)
    if stale_ids:
        session.execute(delete(Obligation).where(Obligation.id.in_(stale_ids)))
        removed = len(stale_ids)
    session.flush()
    return SyncResult(added, removed, updated, kept)


def sync_tasks_for_unit(session: Session, unit: Unit) -> SyncResult:
    """Re-derive every task that binds ``unit`` by kind or by name (after its validity or kind
    changed, or a merger)."""
    task_ids = set(session.scalars(
        select(Task.id).join(Task.unit_kinds).where(Task.unit_kinds.any(kind=unit.kind))
    ))
    from app.models import TaskUnit

    task_ids |= set(session.scalars(select(TaskUnit.task_id).where(TaskUnit.unit_id == unit.id)))
    task_ids |= set(session.scalars(
        select(Obligation.task_id).where(Obligation.unit_id == unit.id).distinct()))
    result = SyncResult()
    default_due_day = load_settings(session).default_due_day
    for task in session.scalars(select(Task).where(Task.id.in_(task_ids))):
        result += sync_task(session, task, default_due_day=default_due_day)
    return result


def refresh_received(session: Session, obligation_ids: Iterable[int]) -> None:
    """Recompute ``first_received`` and ``submission_count`` from the submissions."""
    for obligation_id in set(obligation_ids):
        first, count = session.execute(
            select(func.min(Submission.received_date), func.count(Submission.id)).where(
                Submission.obligation_id == obligation_id)
        ).one()
        obligation = session.get(Obligation, obligation_id)
        if obligation is not None:
            obligation.first_received = first
            obligation.submission_count = int(count or 0)
    session.flush()


def set_waived(db: Database, obligation_id: int, waived: bool, reason: str = "") -> None:
    """Waive (miễn) or un-waive one obligation, with a reason kept in the history."""
    from app.errors import NotFound
    from app.services import audit

    with db.write() as session:
        obligation = session.get(Obligation, obligation_id)
        if obligation is None:
            raise NotFound(f"Không tìm thấy nghĩa vụ (mã {obligation_id}).")
        before = audit.snapshot(obligation)
        obligation.waived = waived
        session.flush()
        audit.record(session, "waive", "obligation", obligation.id, before=before,
                     after={**audit.snapshot(obligation), "reason": reason},
                     summary=("Miễn nghĩa vụ: " if waived else "Bỏ miễn nghĩa vụ: ") + reason)
