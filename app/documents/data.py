"""What the printed documents say, computed from the core (Qt-free, ReportLab-free).

Every count comes from :func:`app.services.obligations.list_obligations` on the as-of day, so the
numbers printed in a report are the numbers the window shows for that day.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from app.db import Database
from app.errors import AppError
from app.models import TaskKind, UnitKind
from app.ordering import row_unit_key
from app.services.directives import DirectiveInfo, get_directive
from app.services.obligations import ObligationRow, list_obligations
from app.services.submissions import SubmissionInfo, list_for_obligation
from app.services.units import UnitInfo, get_unit
from app.status import Status, StatusCounts
from app.text import search_key

#: Document types recognised in a directive's symbol (Nghị định 30/2020, Phụ lục III).
DOC_TYPES: dict[str, str] = {
    "NQ": "Nghị quyết", "QĐ": "Quyết định", "CT": "Chỉ thị", "QC": "Quy chế", "QyĐ": "Quy định",
    "TB": "Thông báo", "HD": "Hướng dẫn", "CTr": "Chương trình", "KH": "Kế hoạch",
    "PA": "Phương án", "ĐA": "Đề án", "BC": "Báo cáo", "TTr": "Tờ trình", "CĐ": "Công điện",
    "KL": "Kết luận",
}


def directive_type(number_symbol: str) -> str:
    """ "Công văn" for "2116/UBND-NC"; "Kế hoạch" for "72/KH-UBND" (the type before the dash)."""
    parts = number_symbol.split("/", 1)
    if len(parts) == 2:
        first = re.split(r"[-/]", parts[1].strip(), maxsplit=1)[0]
        for abbr, name in DOC_TYPES.items():
            if first.upper() == abbr.upper():
                return name
    return "Công văn"


def short_date(day: dt.date) -> str:
    """dd/mm/yyyy, as dates are written in running text of the program's documents."""
    return f"{day:%d/%m/%Y}"


def directive_reference(d: DirectiveInfo, *, with_issuer: bool = True) -> str:
    """ "Công văn số 2116/UBND-NC ngày 18/04/2018 của UBND tỉnh Quảng Ngãi"."""
    kind = directive_type(d.number_symbol)
    text = f"{kind} số {d.number_symbol} ngày {short_date(d.signed_date)}"
    if with_issuer and d.issuer.strip():
        text += f" của {d.issuer.strip()}"
    return text


def directive_about(d: DirectiveInfo) -> str:
    """The directive's subject as "về việc …" (its "V/v" prefix, if any, expanded)."""
    subject = " ".join(d.subject.split())
    subject = re.sub(r"^(V/v|về việc)\s*", "", subject, flags=re.IGNORECASE).strip()
    if not subject:
        return ""
    first_word = subject.split()[0]
    if first_word != first_word.upper():  # keep acronyms ("UBND …") as written
        subject = subject[0].lower() + subject[1:]
    return f"về việc {subject}"


def deliverable(task_title: str, task_kind: TaskKind) -> str:
    """What a unit sends for a task, as named in running text: "báo cáo", "kế hoạch", "văn bản"."""
    key = search_key(task_title)
    if task_kind is TaskKind.PERIODIC or key.startswith("bao cao"):
        return "báo cáo"
    if "ke hoach" in key:
        return "kế hoạch"
    return "văn bản"


# --- counts (app.status.StatusCounts) ---------------------------------------------------------


@dataclass(frozen=True)
class KindStats:
    kind: UnitKind
    counts: StatusCounts
    late_units: tuple[str, ...]  # done late, in unit order
    overdue_units: tuple[str, ...]  # not received, due date passed
    open_units: tuple[str, ...]  # not received, not yet overdue


@dataclass(frozen=True)
class PeriodStats:
    """One task × one period (or the single deadline of a one-off task)."""

    task_id: int
    task_title: str
    task_kind: TaskKind
    period_key: str
    period_label: str  # "" for a one-off task
    due_date: dt.date
    counts: StatusCounts
    by_kind: tuple[KindStats, ...]

    @property
    def is_due(self) -> bool:
        """The due date has come (something is late or overdue, or all was answered)."""
        return self.counts.overdue > 0 or self.counts.open == 0 or self.counts.done > 0

    @property
    def column_title(self) -> str:
        return f"{self.task_title}\n({self.period_label})" if self.period_label else self.task_title


@dataclass(frozen=True)
class TaskStats:
    task_id: int
    title: str
    kind: TaskKind
    periods: tuple[PeriodStats, ...]


@dataclass(frozen=True)
class AppendixCell:
    status: Status | None  # None: the unit is not bound by this task/period
    number_symbol: str = ""
    received: dt.date | None = None

    @property
    def text(self) -> str:
        if self.status is None:
            return "—"
        if self.status.done:
            parts = [self.number_symbol] if self.number_symbol else []
            if self.received:
                parts.append(f"nhận {short_date(self.received)}")
            parts.append(self.status.label)
            return "\n".join(parts)
        return self.status.label


@dataclass(frozen=True)
class AppendixRow:
    unit_id: int
    unit_name: str
    unit_kind: UnitKind
    cells: tuple[AppendixCell, ...]


@dataclass(frozen=True)
class SummaryData:
    directive: DirectiveInfo
    as_of: dt.date
    tasks: tuple[TaskStats, ...]
    columns: tuple[PeriodStats, ...]  # the appendix columns, in order
    rows: tuple[AppendixRow, ...]
    dropped_columns: int = 0  # older periods left out of the appendix (too many columns)

    @property
    def unit_count(self) -> int:
        return len(self.rows)


def _unit_order(rows: Iterable[ObligationRow]) -> list[ObligationRow]:
    return sorted(rows, key=row_unit_key)


def _period_stats(rows: list[ObligationRow]) -> PeriodStats:
    first = rows[0]
    by_kind: list[KindStats] = []
    for kind in UnitKind:
        mine = _unit_order(r for r in rows if r.unit_kind is kind)
        if not mine:
            continue
        by_kind.append(KindStats(
            kind=kind,
            counts=StatusCounts.of(mine),
            late_units=tuple(r.unit_name for r in mine if r.status is Status.DONE_LATE),
            overdue_units=tuple(r.unit_name for r in mine if r.status is Status.OVERDUE),
            open_units=tuple(r.unit_name for r in mine
                             if r.status in (Status.DUE_SOON, Status.NOT_DUE)),
        ))
    return PeriodStats(
        task_id=first.task_id, task_title=first.task_title, task_kind=first.task_kind,
        period_key=first.period_key, period_label=first.period_label, due_date=first.due_date,
        counts=StatusCounts.of(rows), by_kind=tuple(by_kind),
    )


#: At most this many task/period columns in the appendix (A4 landscape, 12 pt).
MAX_APPENDIX_COLUMNS = 6


def summary_data(db: Database, directive_id: int, as_of: dt.date) -> SummaryData:
    """Statistics by task, period and unit kind, and one appendix row per unit."""
    directive = get_directive(db, directive_id)
    rows = list_obligations(db, as_of, directive_id=directive_id)
    order = {t.id: (t.sort_order, t.id) for t in directive.tasks}
    groups: dict[tuple[int, str], list[ObligationRow]] = {}
    for r in rows:
        groups.setdefault((r.task_id, r.period_key), []).append(r)
    periods = sorted((_period_stats(g) for g in groups.values()),
                     key=lambda p: (order.get(p.task_id, (0, 0)), p.due_date, p.period_key))
    tasks: list[TaskStats] = []
    for task in directive.tasks:
        mine = tuple(p for p in periods if p.task_id == task.id)
        tasks.append(TaskStats(task_id=task.id, title=task.title, kind=task.kind, periods=mine))

    # Appendix columns: every period already due, plus the next one of each task.
    columns: list[PeriodStats] = []
    for t in tasks:
        due = [p for p in t.periods if p.due_date < as_of or p.counts.done]
        upcoming = [p for p in t.periods if p not in due]
        columns += due + upcoming[:1]
    dropped = 0
    if len(columns) > MAX_APPENDIX_COLUMNS:
        keep = sorted(columns, key=lambda p: p.due_date)[-MAX_APPENDIX_COLUMNS:]
        dropped = len(columns) - len(keep)
        columns = [c for c in columns if c in keep]
    index = {(c.task_id, c.period_key): i for i, c in enumerate(columns)}
    units: dict[int, tuple[ObligationRow, list[AppendixCell | None]]] = {}
    subs = _first_submissions(db, [r for r in rows if (r.task_id, r.period_key) in index
                                   and r.status.done])
    for r in _unit_order(rows):
        entry = units.setdefault(r.unit_id, (r, [None] * len(columns)))
        i = index.get((r.task_id, r.period_key))
        if i is None:
            continue
        sub = subs.get(r.id)
        entry[1][i] = AppendixCell(status=r.status, number_symbol=sub.number_symbol if sub else "",
                                   received=r.first_received)
    appendix = tuple(
        AppendixRow(unit_id=uid, unit_name=first.unit_name, unit_kind=first.unit_kind,
                    cells=tuple(c or AppendixCell(None) for c in cells))
        for uid, (first, cells) in units.items()
    )
    return SummaryData(directive=directive, as_of=as_of, tasks=tuple(tasks),
                       columns=tuple(columns), rows=appendix, dropped_columns=dropped)


def _first_submissions(db: Database, rows: Sequence[ObligationRow]) -> dict[int, SubmissionInfo]:
    """The submission that answers each obligation (the first received)."""
    result: dict[int, SubmissionInfo] = {}
    for r in rows:
        for s in list_for_obligation(db, r.id):
            if s.counts:
                result[r.id] = s
    return result


# --- reminder letter -------------------------------------------------------------------------


@dataclass(frozen=True)
class OwedItem:
    task_title: str
    period_label: str
    due_date: dt.date
    days_overdue: int

    @property
    def text(self) -> str:
        what = self.task_title + (f" ({self.period_label})" if self.period_label else "")
        return f"{what}, hạn {short_date(self.due_date)}, đã quá hạn {self.days_overdue} ngày"


@dataclass(frozen=True)
class OverdueUnit:
    unit_id: int
    unit_name: str
    unit_kind: UnitKind
    items: tuple[OwedItem, ...]


@dataclass(frozen=True)
class ReminderData:
    directive: DirectiveInfo
    as_of: dt.date
    units: tuple[OverdueUnit, ...]


def reminder_data(db: Database, directive_id: int, as_of: dt.date, *,
                  exclude_name: str = "") -> ReminderData:
    """Units overdue on ``as_of`` and what each still owes (oldest due first). The agency that
    sends the letter (``exclude_name``) does not remind itself."""
    directive = get_directive(db, directive_id)
    rows = list_obligations(db, as_of, directive_id=directive_id, statuses=[Status.OVERDUE])
    if exclude_name.strip():
        own = search_key(exclude_name)
        rows = [r for r in rows if search_key(r.unit_name) != own]
    order = {t.id: (t.sort_order, t.id) for t in directive.tasks}
    by_unit: dict[int, list[ObligationRow]] = {}
    for r in _unit_order(rows):
        by_unit.setdefault(r.unit_id, []).append(r)
    units = tuple(
        OverdueUnit(
            unit_id=uid, unit_name=items[0].unit_name, unit_kind=items[0].unit_kind,
            items=tuple(OwedItem(r.task_title, r.period_label, r.due_date, r.days_past_due)
                        for r in sorted(items, key=lambda r: (order.get(r.task_id, (0, 0)),
                                                              r.due_date))),
        )
        for uid, items in by_unit.items()
    )
    if not units:
        raise AppError(
            f"Tính đến ngày {short_date(as_of)} không có đơn vị nào quá hạn theo "
            f"{directive_reference(directive, with_issuer=False)}; không cần công văn đôn đốc.")
    return ReminderData(directive=directive, as_of=as_of, units=units)


# --- unit sheet ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SheetRow:
    directive_symbol: str
    task_title: str
    period_label: str
    due_date: dt.date
    status: Status
    documents: tuple[SubmissionInfo, ...]  # received by the as-of day
    exempt_reason: str = ""


@dataclass(frozen=True)
class UnitSheetData:
    unit: UnitInfo
    as_of: dt.date
    directive: DirectiveInfo | None  # None: every directive
    rows: tuple[SheetRow, ...]
    counts: StatusCounts = field(default_factory=StatusCounts)


def unit_sheet_data(db: Database, unit_id: int, as_of: dt.date,
                    directive_id: int | None = None) -> UnitSheetData:
    """Everything one unit owes and sent (one directive or all), as seen on ``as_of``."""
    unit = get_unit(db, unit_id)
    directive = get_directive(db, directive_id) if directive_id is not None else None
    filters: dict[str, object] = {"unit_id": unit_id}
    if directive_id is not None:
        filters["directive_id"] = directive_id
    rows = list_obligations(db, as_of, **filters)
    out: list[SheetRow] = []
    for r in sorted(rows, key=lambda r: (r.due_date, r.directive_id, r.task_id)):
        docs = tuple(s for s in list_for_obligation(db, r.id) if s.received_date <= as_of)
        out.append(SheetRow(r.directive_symbol, r.task_title, r.period_label, r.due_date,
                            r.status, docs, r.exempt_reason))
    return UnitSheetData(unit=unit, as_of=as_of, directive=directive, rows=tuple(out),
                         counts=StatusCounts.of(rows))

