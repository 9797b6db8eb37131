"""Obligations: derive them from tasks (sync) and list them with their status on any day.

The status is computed in SQL with the same rules as :func:`app.status.status_on` (a test
checks that both agree), so listing 100,000 obligations for a new day is one query.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from sqlalchemy import (
    Select,
    String,
    and_,
    case,
    delete,
    func,
    insert,
    literal,
    or_,
    select,
    type_coerce,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from app.dates import fmt
from app.db import Database
from app.errors import ValidationError
from app.models import (
    Directive,
    Obligation,
    ObligationDueChange,
    Submission,
    Task,
    TaskKind,
    Unit,
    UnitKind,
)
from app.ordering import unit_order_sql
from app.schedule import ONE_OFF_KEY, PeriodKind, due_date, periods_between
from app.services.calendar_days import load_calendar_history
from app.settings import load_settings
from app.status import Status
from app.workdays import CalendarHistory, DueRule, EffectiveDue, effective_due


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
                '(ghi "Không còn thuộc phạm vi", không xoá).'
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
    # The date the task sets, when the effective due date (``due_date``, as known on the day
    # asked) differs from it: shifted off a day off (None: the same, or a working-day rule).
    nominal_due: dt.date | None = None

    @property
    def unit_display(self) -> str:
        return self.unit_short_name or self.unit_name

    @property
    def due_text(self) -> str:
        """ "05/09/2018", or "05/09/2018 (theo văn bản 02/09/2018)" when shifted."""
        if self.nominal_due is None:
            return f"{fmt(self.due_date)}"
        return f"{fmt(self.due_date)} (theo văn bản {fmt(self.nominal_due)})"


# --- status in SQL ---------------------------------------------------------------------------


def due_on(day: dt.date) -> ColumnElement[dt.date]:
    """The effective due date as known on ``day`` (:meth:`app.workdays.EffectiveDue.on`):
    ``due_date``, unless the holiday table changed it after ``day``; then the value it had
    before the first change after ``day``."""
    previous = (
        select(ObligationDueChange.previous_due)
        .where(
            ObligationDueChange.obligation_id == Obligation.id, ObligationDueChange.changed_on > day
        )
        .order_by(ObligationDueChange.changed_on)
        .limit(1)
        .correlate(Obligation)
        .scalar_subquery()
    )
    return case((Obligation.due_history_until > day, previous), else_=Obligation.due_date)


def _history_applies(day: dt.date) -> ColumnElement[bool]:
    return and_(Obligation.due_history_until.is_not(None), Obligation.due_history_until > day)


def _no_history(day: dt.date) -> ColumnElement[bool]:
    return or_(Obligation.due_history_until.is_(None), Obligation.due_history_until <= day)


def status_expression(day: dt.date, window_days: int) -> ColumnElement[str]:
    """The rules of :func:`app.status.status_on` as one SQL CASE over ``obligation``, with
    the effective due date as known on ``day``."""
    horizon = day + dt.timedelta(days=window_days)
    due = due_on(day)
    received = and_(Obligation.first_received.is_not(None), Obligation.first_received <= day)
    return case(
        (
            or_(Obligation.exempt_reason.is_not(None), Obligation.waived.is_(True)),
            literal(Status.EXEMPT.value),
        ),
        (and_(received, Obligation.first_received <= due), literal(Status.DONE_ON_TIME.value)),
        (received, literal(Status.DONE_LATE.value)),
        (due < day, literal(Status.OVERDUE.value)),
        (due <= horizon, literal(Status.DUE_SOON.value)),
        else_=literal(Status.NOT_DUE.value),
    )


def status_filter(
    statuses: Iterable[Status], day: dt.date, window_days: int
) -> ColumnElement[bool]:
    """A WHERE clause selecting the given statuses, written so SQLite can use the indexes.

    The open statuses (overdue, due soon, not due) select ``id IN (…)`` over two index range
    scans of ``ix_obligation_open_status`` (first_received, due_date, exempt_reason, waived,
    due_history_until): never received, and received only after ``day``. Written as one ``OR``
    over the due-date index instead, a warnings list of a few thousand rows read every
    obligation of ten years (see docs/performance.md). The few obligations whose due date the
    holiday table changed after ``day`` are tested apart, with their date of that day
    (``ix_obligation_due_history_until``).
    """
    wanted = {Status(s) for s in statuses}
    horizon = day + dt.timedelta(days=window_days)
    not_exempt = and_(Obligation.exempt_reason.is_(None), Obligation.waived.is_(False))
    received = and_(Obligation.first_received.is_not(None), Obligation.first_received <= day)
    due_then = due_on(day)
    clauses: list[ColumnElement[bool]] = []
    if Status.EXEMPT in wanted:
        clauses.append(or_(Obligation.exempt_reason.is_not(None), Obligation.waived.is_(True)))
    if Status.DONE_ON_TIME in wanted:
        clauses.append(and_(not_exempt, received, Obligation.first_received <= due_then))
    if Status.DONE_LATE in wanted:
        clauses.append(and_(not_exempt, received, Obligation.first_received > due_then))
    open_wanted = wanted & {Status.OVERDUE, Status.DUE_SOON, Status.NOT_DUE}
    if open_wanted:

        def in_range(due: Any) -> ColumnElement[bool]:
            due_ranges: list[ColumnElement[bool]] = []
            if Status.OVERDUE in open_wanted:
                due_ranges.append(due < day)
            if Status.DUE_SOON in open_wanted:
                due_ranges.append(and_(due >= day, due <= horizon))
            if Status.NOT_DUE in open_wanted:
                due_ranges.append(due > horizon)
            if {
                Status.OVERDUE,
                Status.DUE_SOON,
            } <= open_wanted and Status.NOT_DUE not in open_wanted:
                due_ranges = [due <= horizon]  # one contiguous range
            return or_(*due_ranges)

        due = in_range(Obligation.due_date)
        current = _no_history(day)
        never = select(Obligation.id).where(
            Obligation.first_received.is_(None), due, not_exempt, current
        )
        later = select(Obligation.id).where(
            Obligation.first_received > day, due, not_exempt, current
        )
        # (not answered on ``day`` written without an OR, so that SQLite starts from the few
        # rows of ix_obligation_due_history_until instead of every open obligation)
        open_then = func.coalesce(Obligation.first_received, literal(dt.date.max)) > day
        changed = select(Obligation.id).where(
            _history_applies(day), open_then, in_range(due_then), not_exempt
        )
        clauses.append(Obligation.id.in_(never.union_all(later, changed)))
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
            type_coerce(due_on(day), String),  # parsed by _DateCache, much faster
            type_coerce(Obligation.first_received, String),
            # Nothing was received by ``day`` unless first_received <= day: no count needed.
            case(
                (and_(Obligation.submission_count > 0, Obligation.first_received <= day), seen),
                else_=literal(0),
            ),
            status,
            Obligation.exempt_reason,
            Obligation.waived,
            type_coerce(Obligation.nominal_due_date, String),
        )
        .join(Task, Task.id == Obligation.task_id)
        .join(Directive, Directive.id == Task.directive_id)
        .join(Unit, Unit.id == Obligation.unit_id)
    )


def _due_order(units: Sequence[Any]) -> tuple[Any, ...]:
    """The default order of obligation lists: by due date, then directive, task, unit (the
    unit order of :mod:`app.ordering`, ``units`` its SQL terms), period."""
    return (
        Obligation.due_date,
        Task.directive_id,
        Task.sort_order,
        Task.id,
        *units,
        Obligation.period_key,
        Obligation.id,
    )


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
    stmt = stmt.where(
        *obligation_conditions(
            day,
            window_days,
            directive_id=directive_id,
            task_id=task_id,
            unit_id=unit_id,
            unit_kind=unit_kind,
            period_key=period_key,
            statuses=statuses,
            obligation_ids=obligation_ids,
        ),
        *where,
    )
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
        (
            oid,
            tid,
            title,
            tkind,
            did,
            dsym,
            uid,
            uname,
            ushort,
            ukind,
            usort,
            pkey,
            plabel,
            due_text,
            first_text,
            seen,
            status,
            reason,
            waived,
            nominal_text,
        ) = r
        due = dates(due_text)
        nominal = dates(nominal_text) if nominal_text is not None else None
        first = dates(first_text) if first_text is not None else None
        rows.append(
            ObligationRow(
                id=oid,
                task_id=tid,
                task_title=title,
                task_kind=_TASK_KINDS[tkind],
                directive_id=did,
                directive_symbol=dsym,
                unit_id=uid,
                unit_name=uname,
                unit_short_name=ushort,
                unit_kind=_UNIT_KINDS[ukind],
                unit_sort=usort,
                period_key=pkey,
                period_label=plabel,
                due_date=due,
                first_received=first if first is not None and first <= day else None,
                submission_count=int(seen or 0),
                status=_STATUSES[status],
                days_past_due=(day - due).days,
                exempt_reason=reason or ("Được miễn" if waived else ""),
                nominal_due=nominal if nominal is not None and nominal != due else None,
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
        raise NotFound.for_("nghĩa vụ", obligation_id)
    return rows[0]


# --- deriving obligations from a task ---------------------------------------------------------


@dataclass(frozen=True)
class _Wanted:
    label: str
    start: dt.date | None
    end: dt.date | None
    due: dt.date
    exempt_reason: str | None
    nominal: dt.date | None = None
    changes: tuple[tuple[dt.date, dt.date], ...] = ()


def task_schedule(
    task: Task,
    directive_date: dt.date,
    default_due_day: int,
    history: CalendarHistory | None = None,
    shift: bool = False,
) -> list[tuple[str, str, dt.date | None, dt.date | None, dt.date]]:
    """(period key, label, start, end, due) of every occurrence of the task; ``due`` is the
    effective due date with the calendar as known today (the nominal one when the task and its
    directive do not count in working days)."""
    return [
        (o.key, o.label, o.start, o.end, o.effective.due)
        for o in task_occurrences(task, directive_date, default_due_day, history, shift)
    ]


@dataclass(frozen=True)
class Occurrence:
    key: str
    label: str
    start: dt.date | None
    end: dt.date | None
    nominal: dt.date | None  # the date the task sets (None: N working days after the cut-off)
    effective: EffectiveDue


def task_occurrences(
    task: Task,
    directive_date: dt.date,
    default_due_day: int,
    history: CalendarHistory | None = None,
    shift: bool = False,
) -> list[Occurrence]:
    """Every occurrence of the task with its nominal and effective due dates."""
    if task.kind == TaskKind.ONE_OFF.value:
        if task.due_date is None:
            raise ValidationError("Nhiệm vụ một lần phải có hạn hoàn thành.", field="due_date")
        rules: list[tuple[str, str, dt.date | None, dt.date | None, DueRule]] = [
            (ONE_OFF_KEY, "", None, None, DueRule(nominal=task.due_date, shift=shift))
        ]
    else:
        if not task.period_kind:
            raise ValidationError("Báo cáo định kỳ phải chọn loại kỳ báo cáo.", field="period_kind")
        start = task.start_date or directive_date
        end = task.end_date or dt.date(start.year, 12, 31)
        due_day = task.due_day or default_due_day
        rules = []
        for period in periods_between(PeriodKind(task.period_kind), start, end):
            if task.due_working_days:
                rule = DueRule(cutoff=period.cutoff_end, working_days=task.due_working_days)
            else:
                rule = DueRule(
                    nominal=due_date(period, due_day, task.due_month_offset or 0), shift=shift
                )
            rules.append((period.key, period.label, period.start, period.end, rule))
    if history is None:
        history = CalendarHistory()
    return [
        Occurrence(key, label, start_, end_, rule.nominal, effective_due(rule, history))
        for key, label, start_, end_, rule in rules
    ]


def validity_reason(
    unit_from: dt.date | None,
    unit_to: dt.date | None,
    *,
    directive_date: dt.date,
    period_start: dt.date | None,
    due: dt.date,
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


def sync_task(
    session: Session,
    task: Task,
    *,
    default_due_day: int | None = None,
    history: CalendarHistory | None = None,
) -> SyncResult:
    """Make the task's obligations match its schedule and its units. Never deletes one that
    has a submission: it is kept and marked out of scope. Effective due dates and their
    history follow the holiday table (``history``: loaded when not given)."""
    if default_due_day is None:
        default_due_day = load_settings(session).default_due_day
    directive = task.directive or session.get(Directive, task.directive_id)
    assert directive is not None
    shift = bool(directive.shift_due)
    if history is None:
        history = (
            load_calendar_history(session) if shift or task.due_working_days else CalendarHistory()
        )
    schedule = task_occurrences(task, directive.signed_date, default_due_day, history, shift)
    wanted: dict[tuple[int, str], _Wanted] = {}
    if schedule:
        starts = [o.start or o.effective.due for o in schedule]
        span = (min([directive.signed_date, *starts]), max(o.effective.due for o in schedule))
        for unit in _bound_units(session, task, span):
            for o in schedule:
                reason = validity_reason(
                    unit.valid_from,
                    unit.valid_to,
                    directive_date=directive.signed_date,
                    period_start=o.start,
                    due=o.effective.due,
                )
                wanted[(unit.id, o.key)] = _Wanted(
                    o.label, o.start, o.end, o.effective.due, reason, o.nominal, o.effective.changes
                )
    existing = {
        (o.unit_id, o.period_key): o
        for o in session.scalars(select(Obligation).where(Obligation.task_id == task.id))
    }
    old_changes: dict[int, tuple[tuple[dt.date, dt.date], ...]] = {}
    if existing and any(o.due_history_until is not None for o in existing.values()):
        for oid, changed_on, previous in session.execute(
            select(
                ObligationDueChange.obligation_id,
                ObligationDueChange.changed_on,
                ObligationDueChange.previous_due,
            )
            .join(Obligation, Obligation.id == ObligationDueChange.obligation_id)
            .where(Obligation.task_id == task.id)
            .order_by(ObligationDueChange.obligation_id, ObligationDueChange.changed_on)
        ):
            old_changes[oid] = (*old_changes.get(oid, ()), (changed_on, previous))
    added = removed = updated = kept = 0
    with_history: list[tuple[Obligation, _Wanted]] = []
    for wanted_key, want in wanted.items():
        until = want.changes[-1][0] if want.changes else None
        obligation = existing.get(wanted_key)
        if obligation is None:
            obligation = Obligation(
                task_id=task.id,
                unit_id=wanted_key[0],
                period_key=wanted_key[1],
                period_label=want.label,
                period_start=want.start,
                period_end=want.end,
                due_date=want.due,
                nominal_due_date=want.nominal,
                due_history_until=until,
                exempt_reason=want.exempt_reason,
                submission_count=0,
                waived=False,
            )
            session.add(obligation)
            added += 1
            if want.changes:
                with_history.append((obligation, want))
            continue
        new = (want.label, want.start, want.end, want.due, want.exempt_reason, want.nominal, until)
        old = (
            obligation.period_label,
            obligation.period_start,
            obligation.period_end,
            obligation.due_date,
            obligation.exempt_reason,
            obligation.nominal_due_date,
            obligation.due_history_until,
        )
        if new != old:
            (
                obligation.period_label,
                obligation.period_start,
                obligation.period_end,
                obligation.due_date,
                obligation.exempt_reason,
                obligation.nominal_due_date,
                obligation.due_history_until,
            ) = new
            updated += 1
        if old_changes.get(obligation.id, ()) != want.changes:
            if obligation.id in old_changes:
                session.execute(
                    delete(ObligationDueChange).where(
                        ObligationDueChange.obligation_id == obligation.id
                    )
                )
            if want.changes:
                with_history.append((obligation, want))
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
    if with_history:
        session.execute(
            insert(ObligationDueChange),
            [
                {"obligation_id": o.id, "changed_on": changed_on, "previous_due": previous}
                for o, want in with_history
                for changed_on, previous in want.changes
            ],
        )
        session.flush()
    return SyncResult(added, removed, updated, kept)


def sync_tasks_for_unit(session: Session, unit: Unit) -> SyncResult:
    """Re-derive every task that binds ``unit`` by kind or by name (after its validity or kind
    changed, or a merger)."""
    return sync_tasks_for_units(session, kinds={unit.kind}, unit_ids={unit.id})


def sync_tasks_for_units(
    session: Session, *, kinds: Iterable[str], unit_ids: Iterable[int]
) -> SyncResult:
    """Re-derive every task that binds one of ``kinds``, or one of ``unit_ids`` by name or by
    an obligation it already has (units added, or whose kind or validity changed)."""
    from app.models import TaskUnit, TaskUnitKind

    kinds, unit_ids = set(kinds), set(unit_ids)
    task_ids: set[int] = set()
    if kinds:
        task_ids |= set(
            session.scalars(select(TaskUnitKind.task_id).where(TaskUnitKind.kind.in_(kinds)))
        )
    if unit_ids:
        task_ids |= set(
            session.scalars(select(TaskUnit.task_id).where(TaskUnit.unit_id.in_(unit_ids)))
        )
        task_ids |= set(
            session.scalars(
                select(Obligation.task_id).where(Obligation.unit_id.in_(unit_ids)).distinct()
            )
        )
    result = SyncResult()
    default_due_day = load_settings(session).default_due_day
    history = load_calendar_history(session)
    for task in session.scalars(select(Task).where(Task.id.in_(task_ids))):
        result += sync_task(session, task, default_due_day=default_due_day, history=history)
    return result


def refresh_received(session: Session, obligation_ids: Iterable[int]) -> None:
    """Recompute ``first_received`` and ``submission_count`` from the submissions."""
    for obligation_id in set(obligation_ids):
        first, count = session.execute(
            select(func.min(Submission.received_date), func.count(Submission.id)).where(
                Submission.obligation_id == obligation_id
            )
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
            raise NotFound.for_("nghĩa vụ", obligation_id)
        before = audit.snapshot(obligation)
        obligation.waived = waived
        session.flush()
        audit.record(
            session,
            "waive",
            "obligation",
            obligation.id,
            before=before,
            after={**audit.snapshot(obligation), "reason": reason},
            summary=("Miễn nghĩa vụ: " if waived else "Bỏ miễn nghĩa vụ: ") + reason,
        )
