"""The morning view: deadline warnings, summaries by status and unit kind, the completeness
matrix and what became overdue since the last start. Definitions: docs/dashboard.md; the
figures (expected, received… and the rates) are computed by app.status.StatusCounts and named
by app.status.FIGURES.

Everything takes the day as an argument and is computed in SQL with the status rules of
:mod:`app.services.obligations` (one query per call).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import func, select

from app.dates import fmt
from app.db import Database
from app.errors import NotFound
from app.models import Directive, Obligation, Task, TaskKind, Unit, UnitKind
from app.ordering import kind_rank, row_unit_key
from app.schedule import ONE_OFF_KEY
from app.services.obligations import (
    ObligationRow,
    due_on,
    list_obligations,
    query_obligations,
    status_expression,
    unit_exists_on,
)
from app.settings import load_settings, save_settings
from app.status import FIGURES, URGENCY, WARNING_STATUSES, Figure, Status, StatusCounts
from app.text import sort_key

# --- warnings --------------------------------------------------------------------------------


def sort_by_urgency(rows: Iterable[ObligationRow]) -> list[ObligationRow]:
    """The warnings order (screen and Excel): by status urgency (overdue, due soon, …), then
    most days past due first: overdue 30 days before overdue 2 days; due in 1 day
    (days_past_due = -1) before due in 6 days (-6)."""
    return sorted(
        rows,
        key=lambda r: (
            URGENCY[r.status],
            -r.days_past_due,
            r.directive_id,
            r.task_id,
            row_unit_key(r),
        ),
    )


def warnings(
    db: Database,
    day: dt.date,
    *,
    window_days: int | None = None,
    directive_id: int | None = None,
    unit_kind: UnitKind | str | None = None,
    unit_id: int | None = None,
) -> list[ObligationRow]:
    """Every obligation overdue or due soon on ``day``, most urgent first (one SQL query)."""
    with db.read() as session:
        rows = query_obligations(
            session,
            day,
            window_days=window_days,
            directive_id=directive_id,
            unit_kind=unit_kind,
            unit_id=unit_id,
            statuses=list(WARNING_STATUSES),
        )
    return sort_by_urgency(rows)


def count_warnings(rows: Iterable[ObligationRow]) -> StatusCounts:
    return StatusCounts.of(rows)


# --- summaries -------------------------------------------------------------------------------


@dataclass(frozen=True)
class KindSummary:
    kind: UnitKind
    counts: StatusCounts

    @property
    def label(self) -> str:
        return self.kind.label


@dataclass(frozen=True)
class TaskSummary:
    task_id: int
    title: str
    kind: TaskKind
    period_count: int
    counts: StatusCounts
    by_kind: tuple[KindSummary, ...]


@dataclass(frozen=True)
class DirectiveSummary:
    directive_id: int
    number_symbol: str
    signed_date: dt.date
    subject: str
    counts: StatusCounts
    tasks: tuple[TaskSummary, ...]

    @property
    def title(self) -> str:
        return f"{self.number_symbol} ngày {fmt(self.signed_date)}"


@dataclass(frozen=True)
class Overview:
    day: dt.date
    window_days: int
    counts: StatusCounts
    by_kind: tuple[KindSummary, ...]
    directives: tuple[DirectiveSummary, ...]


def _kinds(counts: dict[str, dict[str, int]]) -> tuple[KindSummary, ...]:
    return tuple(
        KindSummary(UnitKind(k), StatusCounts.from_mapping(c))
        for k, c in sorted(counts.items(), key=lambda kv: kind_rank(kv[0]))
    )


def overview(
    db: Database, day: dt.date, *, directive_id: int | None = None, window_days: int | None = None
) -> Overview:
    """Counts by status per directive, per task and per unit kind, on ``day`` (one grouped
    SQL query)."""
    with db.read() as session:
        if window_days is None:
            window_days = load_settings(session).warning_days
        dstmt = select(
            Directive.id, Directive.number_symbol, Directive.signed_date, Directive.subject
        ).order_by(Directive.signed_date, Directive.id)
        tstmt = select(Task.id, Task.directive_id, Task.title, Task.kind).order_by(
            Task.directive_id, Task.sort_order, Task.id
        )
        # Grouped on the obligation table with the unit's kind (a primary-key look-up); the
        # directive of each task comes from the small task list, not from a join per row.
        status = status_expression(day, window_days).label("status")
        stmt = (
            select(Obligation.task_id, Unit.kind, status, func.count())
            .join(Unit, Unit.id == Obligation.unit_id)
            .where(unit_exists_on(day))
            .group_by(Obligation.task_id, Unit.kind, status)
        )
        pstmt = select(
            Obligation.task_id, func.count(func.distinct(Obligation.period_key))
        ).group_by(Obligation.task_id)
        if directive_id is not None:
            if session.get(Directive, directive_id) is None:
                raise NotFound.for_("văn bản chỉ đạo", directive_id)
            dstmt = dstmt.where(Directive.id == directive_id)
            tstmt = tstmt.where(Task.directive_id == directive_id)
            own = select(Task.id).where(Task.directive_id == directive_id)
            stmt = stmt.where(Obligation.task_id.in_(own))
            pstmt = pstmt.where(Obligation.task_id.in_(own))
        directives = session.execute(dstmt).all()
        task_rows = session.execute(tstmt).all()
        grouped = session.execute(stmt).all()
        periods = dict(session.execute(pstmt).all())
    # task -> kind -> status -> n
    per_task: dict[int, dict[str, dict[str, int]]] = {}
    for tid, kind, st, n in grouped:
        per_task.setdefault(tid, {}).setdefault(kind, {})[st] = n
    tasks_of: dict[int, list[tuple[int, str, str]]] = {}
    for tid, did, title, kind in task_rows:
        tasks_of.setdefault(did, []).append((tid, title, kind))
    total_by_kind: dict[str, dict[str, int]] = {}
    result = []
    for did, symbol, signed, subject in directives:
        tasks = []
        d_counts = StatusCounts()
        for tid, title, kind in tasks_of.get(did, ()):
            kinds = per_task.get(tid, {})
            by_kind = _kinds(kinds)
            t_counts = sum((k.counts for k in by_kind), StatusCounts())
            for k, c in kinds.items():
                target = total_by_kind.setdefault(k, {})
                for st, n in c.items():
                    target[st] = target.get(st, 0) + n
            tasks.append(
                TaskSummary(
                    task_id=tid,
                    title=title,
                    kind=TaskKind(kind),
                    period_count=int(periods.get(tid, 0)),
                    counts=t_counts,
                    by_kind=by_kind,
                )
            )
            d_counts = d_counts + t_counts
        result.append(
            DirectiveSummary(
                directive_id=did,
                number_symbol=symbol,
                signed_date=signed,
                subject=subject,
                counts=d_counts,
                tasks=tuple(tasks),
            )
        )
    total = sum((x.counts for x in result), StatusCounts())
    return Overview(
        day=day,
        window_days=window_days,
        counts=total,
        by_kind=_kinds(total_by_kind),
        directives=tuple(result),
    )


# --- completeness matrix ---------------------------------------------------------------------


@dataclass(frozen=True)
class MatrixColumn:
    """One column of the matrix: a period of a task (the one period of a one-off task)."""

    task_id: int
    task_title: str
    key: str
    label: str
    due_date: dt.date

    def header(self, with_task: bool) -> str:
        """ "6 tháng đầu năm 2018\n(hạn 20/06/2018)", with the task's title first when the
        matrix has more than one task; "Hạn 30/04/2018" for a one-off task."""
        text = f"{self.task_title} — {self.label}" if with_task else self.label
        return text if self.key == ONE_OFF_KEY else f"{text}\n(hạn {fmt(self.due_date)})"


@dataclass(frozen=True)
class MatrixUnit:
    unit_id: int
    name: str
    kind: UnitKind


@dataclass(frozen=True)
class CompletenessMatrix:
    """Units × (task, period). ``cells[i][j]`` is the obligation of unit i in column j, None
    where the unit has no obligation there (not bound at all)."""

    units: tuple[MatrixUnit, ...]
    columns: tuple[MatrixColumn, ...]
    cells: tuple[tuple[ObligationRow | None, ...], ...]
    row_totals: tuple[StatusCounts, ...]
    column_totals: tuple[StatusCounts, ...]
    total: StatusCounts = field(default_factory=StatusCounts)

    @property
    def task_ids(self) -> tuple[int, ...]:
        return tuple(dict.fromkeys(c.task_id for c in self.columns))

    @property
    def headers(self) -> tuple[str, ...]:
        with_task = len(self.task_ids) > 1
        return tuple(c.header(with_task) for c in self.columns)


# The totals at the right of each unit (and of the whole matrix): the same in the window and in
# Excel.
MATRIX_TOTALS: tuple[Figure, ...] = tuple(
    FIGURES[k]
    for k in ("expected", "received", "on_time", "late", "missing", "received_rate", "on_time_rate")
)


def matrix_cell_text(cell: ObligationRow) -> str:
    """ "Đúng hạn · 28/04", "Quá hạn 12 ngày", "Sắp đến hạn (còn 3 ngày)", "Chưa đến hạn"."""
    label = cell.status.short_label
    if cell.status.done:
        return label + (f" · {cell.first_received:%d/%m}" if cell.first_received else "")
    if cell.status is Status.OVERDUE:
        return f"{label} {cell.days_past_due} ngày"
    if cell.status is Status.DUE_SOON:
        return f"{label} (còn {-cell.days_past_due} ngày)"
    return label


def matrix_summary_rows(matrix: CompletenessMatrix) -> list[tuple[str, tuple[int | str, ...]]]:
    """The rows under the units: a label, one value per column, then the totals columns (the
    whole matrix's on the first row; on a rate row only its own rate)."""
    received, expected = FIGURES["received"].label, FIGURES["expected"].label.lower()
    counted = tuple(f"{c.received}/{c.expected}" for c in matrix.column_totals)
    out: list[tuple[str, tuple[int | str, ...]]] = [
        (f"{received} / {expected}", (*counted, *(f.cell(matrix.total) for f in MATRIX_TOTALS)))
    ]
    for rate in (FIGURES["received_rate"], FIGURES["on_time_rate"]):
        totals = (f.cell(matrix.total) if f is rate else "" for f in MATRIX_TOTALS)
        out.append((rate.label, (*(rate.cell(c) for c in matrix.column_totals), *totals)))
    return out


def completeness_grid(
    rows: Iterable[ObligationRow],
    *,
    columns: Sequence[tuple[int, str]] | None = None,
) -> CompletenessMatrix:
    """The one grid of units × (task, period) of obligation rows (the overview's matrix, its
    Excel export and the command line's, the summary report's appendix): units in the unit
    order, columns by directive, task and due date — or in the order of ``columns`` ((task id,
    period key); rows of other columns left out)."""
    found: dict[tuple[int, str], MatrixColumn] = {}
    units: dict[int, ObligationRow] = {}
    by_cell: dict[tuple[int, tuple[int, str]], ObligationRow] = {}
    order: dict[tuple[int, str], tuple[int, int, dt.date, str]] = {}
    wanted = None if columns is None else set(columns)
    for r in rows:
        key = (r.task_id, r.period_key)
        if wanted is not None and key not in wanted:
            continue
        if key not in found:
            label = r.period_label or f"Hạn {fmt(r.due_date)}"
            found[key] = MatrixColumn(r.task_id, r.task_title, r.period_key, label, r.due_date)
            order[key] = (r.directive_id, r.task_id, r.due_date, r.period_key)
        units.setdefault(r.unit_id, r)
        by_cell[(r.unit_id, key)] = r
    keys = (
        [k for k in columns if k in found]
        if columns is not None
        else sorted(found, key=lambda k: order[k])
    )
    unit_rows = sorted(units.values(), key=row_unit_key)
    cells = tuple(tuple(by_cell.get((u.unit_id, k)) for k in keys) for u in unit_rows)
    row_totals = tuple(StatusCounts.from_statuses(c.status for c in line if c) for line in cells)
    column_totals = tuple(
        StatusCounts.from_statuses(c.status for c in col if c) for col in zip(*cells, strict=True)
    )
    return CompletenessMatrix(
        units=tuple(MatrixUnit(u.unit_id, u.unit_name, u.unit_kind) for u in unit_rows),
        columns=tuple(found[k] for k in keys),
        cells=cells,
        row_totals=row_totals,
        column_totals=column_totals,
        total=sum(column_totals, StatusCounts()),
    )


def completeness_matrix(
    db: Database,
    task_id: int,
    day: dt.date,
    *,
    unit_kind: UnitKind | str | None = None,
    window_days: int | None = None,
) -> CompletenessMatrix:
    """The matrix of one task on ``day``: a one-off task has a single column."""
    rows = list_obligations(db, day, task_id=task_id, unit_kind=unit_kind, window_days=window_days)
    return completeness_grid(rows)


# --- what became overdue since a day ---------------------------------------------------------


def newly_overdue(db: Database, since: dt.date, day: dt.date) -> list[ObligationRow]:
    """Obligations overdue on ``day`` that were not overdue on ``since``: nothing received by
    ``day`` and ``since <= due < day``. Empty when ``since >= day``."""
    if since >= day:
        return []
    with db.read() as session:
        rows = query_obligations(
            session, day, statuses=[Status.OVERDUE], where=[due_on(day) >= since]
        )
    return sort_by_urgency(rows)


@dataclass(frozen=True)
class StartupCheck:
    last_start: dt.date | None
    today: dt.date
    newly_overdue: tuple[ObligationRow, ...]

    def describe(self) -> str:
        rows = self.newly_overdue
        if not rows:
            return ""
        since = f" từ lần mở trước ({fmt(self.last_start)})" if self.last_start else ""
        units = sorted({r.unit_display for r in rows}, key=sort_key)
        shown = ", ".join(units[:8]) + (
            f" và {len(units) - 8} đơn vị khác" if len(units) > 8 else ""
        )
        return (
            f"Có {len(rows)} nghĩa vụ mới chuyển sang quá hạn{since}: {shown}. "
            "Xem thẻ “Cảnh báo hạn”."
        )


def check_since_last_start(db: Database, today: dt.date) -> StartupCheck:
    """At start-up: what became overdue since the last start day; then remember today.

    The first start ever (no ``last_start``) reports nothing (no baseline)."""
    with db.read() as session:
        raw = load_settings(session).last_start
    last: dt.date | None
    try:
        last = dt.date.fromisoformat(raw) if raw else None
    except ValueError:
        last = None
    rows = newly_overdue(db, last, today) if last is not None else []
    if last is None or last != today:
        with db.write() as session:
            save_settings(session, last_start=today.isoformat())
    return StartupCheck(last_start=last, today=today, newly_overdue=tuple(rows))


def save_warning_days(db: Database, days: int) -> int:
    """Change the warning window (validated: 0 to 90 days), audited like every setting."""
    from app.services.configuration import update_settings

    return update_settings(db, warning_days=int(days))[0].warning_days


def warning_days(db: Database) -> int:
    with db.read() as session:
        return load_settings(session).warning_days


@dataclass(frozen=True)
class TaskChoice:
    task_id: int
    title: str
    kind: TaskKind
    directive_id: int
    directive_symbol: str

    @property
    def label(self) -> str:
        return f"{self.directive_symbol} — {self.title}"


def task_choices(db: Database) -> list[TaskChoice]:
    """Every task with its directive, for the matrix's chooser."""
    with db.read() as session:
        stmt = (
            select(Task.id, Task.title, Task.kind, Directive.id, Directive.number_symbol)
            .join(Directive, Directive.id == Task.directive_id)
            .order_by(Directive.signed_date, Directive.id, Task.sort_order, Task.id)
        )
        return [
            TaskChoice(tid, title, TaskKind(kind), did, sym)
            for tid, title, kind, did, sym in session.execute(stmt)
        ]
