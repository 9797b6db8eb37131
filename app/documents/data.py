"""What the printed documents say, computed from the core (Qt-free, ReportLab-free).

Every count comes from :func:`app.services.obligations.list_obligations` on the as-of day, so the
numbers printed in a report are the numbers the window shows for that day.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from app.dates import fmt
from app.db import Database
from app.errors import AppError
from app.models import TaskKind, UnitKind
from app.ordering import row_unit_key
from app.services.dashboard import completeness_grid
from app.services.directives import DirectiveInfo, get_directive
from app.services.obligations import ObligationRow, list_obligations
from app.services.submissions import SubmissionInfo, first_seen, submissions_seen
from app.services.units import UnitInfo, get_unit, list_units
from app.status import Status, StatusCounts
from app.text import search_key

#: Document types recognised in a directive's symbol (Nghị định 30/2020, Phụ lục III).
DOC_TYPES: dict[str, str] = {
    "NQ": "Nghị quyết",
    "QĐ": "Quyết định",
    "CT": "Chỉ thị",
    "QC": "Quy chế",
    "QyĐ": "Quy định",
    "TB": "Thông báo",
    "HD": "Hướng dẫn",
    "CTr": "Chương trình",
    "KH": "Kế hoạch",
    "PA": "Phương án",
    "ĐA": "Đề án",
    "BC": "Báo cáo",
    "TTr": "Tờ trình",
    "CĐ": "Công điện",
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


def directive_reference(d: DirectiveInfo, *, with_issuer: bool = True) -> str:
    """ "Công văn số 2116/UBND-NC ngày 18/04/2018 của UBND tỉnh Quảng Ngãi"."""
    kind = directive_type(d.number_symbol)
    text = f"{kind} số {d.number_symbol} ngày {fmt(d.signed_date)}"
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


# --- which units a document names (docs/domain.md, "Which units a document names") ------------


@dataclass(frozen=True)
class UnitRef:
    """A unit as a document names it on the as-of day.

    ``gone_from``: the first day the unit no longer exists (ended or merged), when that day is on
    or before the as-of day; ``carrier_id``: the unit a letter is addressed to
    for it on the as-of day: itself while it exists, else nobody (a successor does not inherit
    what its predecessor owed)."""

    unit_id: int
    name: str
    kind: UnitKind
    gone_from: dt.date | None = None
    successor_name: str = ""
    carrier_id: int | None = None

    @property
    def exists(self) -> bool:
        return self.gone_from is None

    @property
    def gone_note(self) -> str:
        if self.gone_from is None:
            return ""
        if self.successor_name:
            return f"đã sáp nhập vào {self.successor_name} từ ngày {fmt(self.gone_from)}"
        return f"không còn hoạt động từ ngày {fmt(self.gone_from)}"

    @property
    def label(self) -> str:
        """The name, with "(đã sáp nhập vào … từ ngày …)" for a unit that no longer exists."""
        return f"{self.name} ({self.gone_note})" if self.gone_from else self.name


class Roster:
    """Every unit as seen on one day, and the sender (the agency in the settings) that never
    names itself among the units it follows."""

    def __init__(self, db: Database, as_of: dt.date, sender_name: str = "") -> None:
        self.as_of = as_of
        self._units = {u.id: u for u in list_units(db)}
        self._sender = search_key(sender_name) if sender_name.strip() else ""
        self._refs: dict[int, UnitRef] = {}

    def is_sender(self, unit_id: int, name: str = "") -> bool:
        if not self._sender:
            return False
        unit = self._units.get(unit_id)
        return search_key(unit.name if unit else name) == self._sender

    def ref(self, unit_id: int, name: str = "", kind: UnitKind = UnitKind.OTHER) -> UnitRef:
        cached = self._refs.get(unit_id)
        if cached is not None:
            return cached
        u = self._units.get(unit_id)
        if u is None or u.valid_on(self.as_of):
            ref = UnitRef(unit_id, u.name if u else name, u.kind if u else kind, carrier_id=unit_id)
        else:
            # What an ended unit owed stays owed under its own name; its successor does not
            # inherit it (docs/domain.md, "Units over time"): nobody answers for it.
            gone = (
                u.valid_to + dt.timedelta(days=1)
                if u.valid_to and u.valid_to < self.as_of
                else self.as_of
            )
            successor = self._units.get(u.successor_id) if u.successor_id else None
            ref = UnitRef(
                unit_id,
                u.name,
                u.kind,
                gone_from=gone,
                successor_name=successor.name if successor else "",
            )
        self._refs[unit_id] = ref
        return ref


def _without_sender(rows: Iterable[ObligationRow], roster: Roster) -> list[ObligationRow]:
    return [r for r in rows if not roster.is_sender(r.unit_id, r.unit_name)]


@dataclass(frozen=True)
class KindStats:
    kind: UnitKind
    counts: StatusCounts
    late_units: tuple[str, ...]  # done late, in unit order
    overdue_units: tuple[str, ...]  # not received, due date passed, the unit exists
    gone_units: tuple[UnitRef, ...] = ()  # overdue, the unit no longer exists on the as-of day


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
    overdue: tuple[UnitRef, ...] = ()  # every unit still overdue, in unit order

    @property
    def closed(self) -> bool:
        """Everything the period asked for was received (nothing open, something bound)."""
        return self.counts.bound > 0 and self.counts.open == 0

    @property
    def bound_kinds(self) -> tuple[KindStats, ...]:
        """Unit kinds that must answer (a kind whose units are all exempt is not named)."""
        return tuple(k for k in self.by_kind if k.counts.bound > 0)

    @property
    def column_title(self) -> str:
        return f"{self.task_title}\n({self.period_label})" if self.period_label else self.task_title


@dataclass(frozen=True)
class TaskStats:
    task_id: int
    title: str
    kind: TaskKind
    periods: tuple[PeriodStats, ...]
    as_of: dt.date | None = None

    @property
    def current(self) -> PeriodStats | None:
        """The current round: the latest period whose due date has come on the as-of day."""
        due = [
            p
            for p in self.periods
            if p.counts.bound and self.as_of is not None and p.due_date <= self.as_of
        ]
        return due[-1] if due else None

    @property
    def upcoming(self) -> PeriodStats | None:
        """The next period not yet due (what the task asks for next)."""
        later = [
            p
            for p in self.periods
            if p.counts.bound and self.as_of is not None and p.due_date > self.as_of
        ]
        return later[0] if later else None

    @property
    def earlier_overdue(self) -> tuple[PeriodStats, ...]:
        """Periods before the current round with an obligation still overdue."""
        current = self.current
        return tuple(
            p
            for p in self.periods
            if p is not current
            and p.counts.overdue
            and (current is None or p.due_date <= current.due_date)
        )

    @property
    def earlier_closed(self) -> tuple[PeriodStats, ...]:
        """Periods before the current round where everything was received."""
        current = self.current
        return tuple(
            p
            for p in self.periods
            if p is not current
            and p.closed
            and current is not None
            and p.due_date <= current.due_date
        )


@dataclass(frozen=True)
class AppendixCell:
    status: Status | None  # None: the unit is not bound by this task/period
    number_symbol: str = ""
    received: dt.date | None = None

    @property
    def text(self) -> str:
        """Short enough for a 33 mm column: "45/KH-UBND / nhận 28/04/2018 / Đúng hạn" for a
        document received; "Chưa gửi (quá hạn)" for one missing (see :data:`CELL_NOTE`)."""
        if self.status is None:
            return "—"
        if self.status.done:
            parts = [self.number_symbol] if self.number_symbol else []
            if self.received:
                parts.append(f"nhận {fmt(self.received)}")
            parts.append("Đúng hạn" if self.status is Status.DONE_ON_TIME else "Quá hạn")
            return "\n".join(parts)
        if self.status is Status.OVERDUE:
            return "Chưa gửi\n(quá hạn)"
        if self.status is Status.DUE_SOON:
            return "Chưa gửi\n(sắp đến hạn)"
        return self.status.label


#: How the appendix grid's cells read (printed under it).
CELL_NOTE = (
    "Ghi chú: ô có số, ký hiệu văn bản là đơn vị đã gửi (ghi ngày nhận; “Đúng hạn”: "
    "hoàn thành đúng hạn, “Quá hạn”: hoàn thành quá hạn); “Chưa gửi (quá hạn)”: đã quá "
    "hạn mà chưa gửi; “—”: đơn vị không phải thực hiện."
)


@dataclass(frozen=True)
class AppendixRow:
    unit_id: int
    unit_name: str
    unit_kind: UnitKind
    cells: tuple[AppendixCell, ...]


@dataclass(frozen=True)
class OverdueEntry:
    """One obligation still overdue on the as-of day (a line of the list of overdue items)."""

    unit: UnitRef
    task_id: int
    task_title: str
    period_key: str
    period_label: str
    due_date: dt.date


@dataclass(frozen=True)
class SummaryData:
    directive: DirectiveInfo
    as_of: dt.date
    tasks: tuple[TaskStats, ...]
    columns: tuple[PeriodStats, ...]  # the grid's columns: each task's current round
    rows: tuple[AppendixRow, ...]  # one per unit bound by a column, the sender left out
    overdue: tuple[OverdueEntry, ...] = ()  # every overdue obligation (sender left out)


def _unit_order(rows: Iterable[ObligationRow]) -> list[ObligationRow]:
    return sorted(rows, key=row_unit_key)


def _period_stats(rows: list[ObligationRow], roster: Roster) -> PeriodStats:
    first = rows[0]
    by_kind: list[KindStats] = []
    ordered = _unit_order(rows)
    for kind in UnitKind:
        mine = [r for r in ordered if r.unit_kind is kind]
        if not mine:
            continue
        overdue = [
            roster.ref(r.unit_id, r.unit_name, r.unit_kind)
            for r in mine
            if r.status is Status.OVERDUE
        ]
        by_kind.append(
            KindStats(
                kind=kind,
                counts=StatusCounts.of(mine),
                late_units=tuple(r.unit_name for r in mine if r.status is Status.DONE_LATE),
                overdue_units=tuple(u.name for u in overdue if u.exists),
                gone_units=tuple(u for u in overdue if not u.exists),
            )
        )
    return PeriodStats(
        task_id=first.task_id,
        task_title=first.task_title,
        task_kind=first.task_kind,
        period_key=first.period_key,
        period_label=first.period_label,
        due_date=first.due_date,
        counts=StatusCounts.of(rows),
        by_kind=tuple(by_kind),
        overdue=tuple(
            roster.ref(r.unit_id, r.unit_name, r.unit_kind)
            for r in ordered
            if r.status is Status.OVERDUE
        ),
    )


def summary_data(
    db: Database, directive_id: int, as_of: dt.date, *, exclude_name: str = ""
) -> SummaryData:
    """Statistics by task, period and unit kind; the grid of each task's current round (one
    row per unit) and every obligation still overdue. The agency that reports
    (``exclude_name``) is not among the units it follows (docs/domain.md)."""
    directive = get_directive(db, directive_id)
    roster = Roster(db, as_of, exclude_name)
    rows = _without_sender(list_obligations(db, as_of, directive_id=directive_id), roster)
    order = {t.id: (t.sort_order, t.id) for t in directive.tasks}
    groups: dict[tuple[int, str], list[ObligationRow]] = {}
    for r in rows:
        groups.setdefault((r.task_id, r.period_key), []).append(r)
    periods = sorted(
        (_period_stats(g, roster) for g in groups.values()),
        key=lambda p: (order.get(p.task_id, (0, 0)), p.due_date, p.period_key),
    )
    tasks: list[TaskStats] = []
    for task in directive.tasks:
        mine = tuple(p for p in periods if p.task_id == task.id)
        tasks.append(
            TaskStats(task_id=task.id, title=task.title, kind=task.kind, periods=mine, as_of=as_of)
        )

    # The grid: each task's current round (or, before anything is due, its next period).
    columns: list[PeriodStats] = []
    for t in tasks:
        shown = t.current or t.upcoming
        if shown is not None:
            columns.append(shown)
    grid = completeness_grid(rows, columns=[(c.task_id, c.period_key) for c in columns])
    done = [c for line in grid.cells for c in line if c is not None and c.status.done]
    numbers = _first_numbers(db, done, as_of)
    appendix = tuple(
        AppendixRow(
            unit_id=unit.unit_id,
            unit_name=unit.name,
            unit_kind=unit.kind,
            cells=tuple(
                AppendixCell(c.status, numbers.get(c.id, ""), c.first_received)
                if c
                else AppendixCell(None)
                for c in line
            ),
        )
        for unit, line in zip(grid.units, grid.cells, strict=True)
    )
    overdue = tuple(
        OverdueEntry(
            unit=u,
            task_id=p.task_id,
            task_title=p.task_title,
            period_key=p.period_key,
            period_label=p.period_label,
            due_date=p.due_date,
        )
        for p in periods
        for u in p.overdue
    )
    return SummaryData(
        directive=directive,
        as_of=as_of,
        tasks=tuple(tasks),
        columns=tuple(columns),
        rows=appendix,
        overdue=overdue,
    )


def _first_numbers(db: Database, rows: Sequence[ObligationRow], as_of: dt.date) -> dict[int, str]:
    """The number and symbol of the submission that answers each obligation on ``as_of``."""
    with db.read() as session:
        return {
            oid: s.number_symbol
            for oid, s in first_seen(session, (r.id for r in rows), as_of).items()
        }


# --- reminder letter -------------------------------------------------------------------------


@dataclass(frozen=True)
class OwedItem:
    task_id: int
    task_title: str
    period_key: str
    period_label: str
    due_date: dt.date
    days_overdue: int

    @property
    def text(self) -> str:
        return self.text_as(self.task_title)

    def text_as(self, task_name: str) -> str:
        """ "Báo cáo quý, kỳ quý III/2025 (hạn ngày 25/09/2025, quá hạn 20 ngày)"."""
        what = task_name + (f", {period_phrase(self.period_label)}" if self.period_label else "")
        return f"{what} (hạn ngày {fmt(self.due_date)}, {overdue_for(self.days_overdue)})"


def task_names(directive: DirectiveInfo) -> dict[int, str]:
    """Each task's title; two tasks with the same title are told apart by their number in
    the directive's list ("Báo cáo định kỳ hằng quý (nhiệm vụ 14)"), never merged."""
    titles = [" ".join(t.title.split()) for t in directive.tasks]
    return {
        t.id: (f"{title} (nhiệm vụ {n})" if titles.count(title) > 1 else title)
        for n, (t, title) in enumerate(zip(directive.tasks, titles, strict=True), start=1)
    }


def period_phrase(label: str) -> str:
    """ "kỳ quý III/2025", "kỳ năm 2018", "kỳ tháng 9/2022" (a period in running text)."""
    return f"kỳ {label[:1].lower()}{label[1:]}" if label else ""


def overdue_for(days: int) -> str:
    """How long something has been overdue, as a person says it: "quá hạn 5 ngày", "quá hạn
    hơn 2 tháng", "quá hạn hơn 3 năm"."""
    if days < 45:
        return f"quá hạn {days} ngày"
    if days < 365:
        return f"quá hạn hơn {min(days // 30, 11)} tháng"
    return f"quá hạn hơn {days // 365} năm"


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
    units: tuple[OverdueUnit, ...]  # the units addressed: each exists on the as-of day
    #: Overdue units not addressed: they no longer exist (their successor does not inherit).
    not_addressed: tuple[UnitRef, ...] = ()


def reminder_data(
    db: Database, directive_id: int, as_of: dt.date, *, exclude_name: str = ""
) -> ReminderData:
    """Units overdue on ``as_of`` and what each still owes (oldest due first).

    The agency that sends the letter (``exclude_name``) does not remind itself; a unit that no
    longer exists is never addressed (docs/domain.md, "Which units a document names")."""
    directive = get_directive(db, directive_id)
    roster = Roster(db, as_of, exclude_name)
    rows = _without_sender(
        list_obligations(db, as_of, directive_id=directive_id, statuses=[Status.OVERDUE]), roster
    )
    order = {t.id: (t.sort_order, t.id) for t in directive.tasks}
    by_unit: dict[int, list[ObligationRow]] = {}
    not_addressed: dict[int, UnitRef] = {}
    for r in _unit_order(rows):
        ref = roster.ref(r.unit_id, r.unit_name, r.unit_kind)
        if ref.carrier_id is None:
            not_addressed.setdefault(r.unit_id, ref)
        else:
            by_unit.setdefault(r.unit_id, []).append(r)
    units = tuple(
        OverdueUnit(
            unit_id=uid,
            unit_name=items[0].unit_name,
            unit_kind=items[0].unit_kind,
            items=tuple(
                OwedItem(
                    r.task_id,
                    r.task_title,
                    r.period_key,
                    r.period_label,
                    r.due_date,
                    r.days_past_due,
                )
                for r in sorted(items, key=lambda r: (order.get(r.task_id, (0, 0)), r.due_date))
            ),
        )
        for uid, items in by_unit.items()
    )
    if not units:
        raise AppError(
            f"Tính đến ngày {fmt(as_of)} không có đơn vị nào quá hạn theo "
            f"{directive_reference(directive, with_issuer=False)}; không cần công văn đôn đốc."
        )
    return ReminderData(
        directive=directive, as_of=as_of, units=units, not_addressed=tuple(not_addressed.values())
    )


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


def unit_sheet_data(
    db: Database, unit_id: int, as_of: dt.date, directive_id: int | None = None
) -> UnitSheetData:
    """Everything one unit owes and sent (one directive or all), as seen on ``as_of``."""
    unit = get_unit(db, unit_id)
    directive = get_directive(db, directive_id) if directive_id is not None else None
    filters: dict[str, object] = {"unit_id": unit_id}
    if directive_id is not None:
        filters["directive_id"] = directive_id
    rows = list_obligations(db, as_of, **filters)
    with db.read() as session:
        seen = submissions_seen(session, (r.id for r in rows), as_of)
    out: list[SheetRow] = []
    for r in sorted(rows, key=lambda r: (r.due_date, r.directive_id, r.task_id)):
        docs = tuple(seen.get(r.id, ()))
        out.append(
            SheetRow(
                r.directive_symbol,
                r.task_title,
                r.period_label,
                r.due_date,
                r.status,
                docs,
                r.exempt_reason,
            )
        )
    return UnitSheetData(
        unit=unit, as_of=as_of, directive=directive, rows=tuple(out), counts=StatusCounts.of(rows)
    )
