"""The user's table of days off and make-up working days (lịch nghỉ lễ, làm bù), with history.

Adding a line, or withdrawing one, takes effect from the day it is done (``today``): the
calendar as known on an earlier day stays what it was, so replaying that day gives the same
statuses as before (docs/domain.md, "Working days and holidays"). Every change re-derives the
effective due dates of the tasks that count in working days, in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.dates import fmt
from app.db import Database
from app.errors import NotFound, ValidationError
from app.models import CalendarDay
from app.text import clean
from app.workdays import CalendarEntry, CalendarHistory


@dataclass(frozen=True)
class CalendarDayInfo:
    id: int
    day: dt.date
    working: bool
    name: str
    basis: str
    known_from: dt.date
    removed_on: dt.date | None

    @property
    def kind_label(self) -> str:
        return "Làm bù" if self.working else "Nghỉ"


@dataclass(frozen=True)
class CalendarDayInput:
    day: dt.date
    working: bool
    name: str = ""
    basis: str = ""


@dataclass(frozen=True)
class CalendarChange:
    """What a change of the table did: the line and how many obligations got a new date."""

    entry: CalendarDayInfo
    obligations_changed: int

    def describe(self) -> str:
        what = f"{self.entry.kind_label.lower()} ngày {fmt(self.entry.day)}"
        if not self.obligations_changed:
            return f"Đã ghi {what}. Không hạn nào thay đổi."
        return f"Đã ghi {what}. Hạn thực tế của {self.obligations_changed} nghĩa vụ thay đổi."


def _info(row: CalendarDay) -> CalendarDayInfo:
    return CalendarDayInfo(
        row.id, row.day, bool(row.working), row.name, row.basis, row.known_from, row.removed_on
    )


def load_calendar_history(session: Session) -> CalendarHistory:
    """Every line ever entered, for the calendar as known on any day."""
    rows = session.scalars(select(CalendarDay).order_by(CalendarDay.id))
    return CalendarHistory(
        [CalendarEntry(r.day, bool(r.working), r.name, r.known_from, r.removed_on) for r in rows]
    )


def list_calendar_days(
    db: Database, *, year: int | None = None, include_withdrawn: bool = False
) -> list[CalendarDayInfo]:
    """The lines of the table (in force, or all with their history), by day."""
    with db.read() as session:
        stmt = select(CalendarDay).order_by(CalendarDay.day, CalendarDay.id)
        if year is not None:
            stmt = stmt.where(
                CalendarDay.day >= dt.date(year, 1, 1), CalendarDay.day <= dt.date(year, 12, 31)
            )
        if not include_withdrawn:
            stmt = stmt.where(CalendarDay.removed_on.is_(None))
        return [_info(r) for r in session.scalars(stmt)]


def add_calendar_day(db: Database, data: CalendarDayInput, *, today: dt.date) -> CalendarChange:
    """Add a day off or a make-up working day, in force from ``today``. A line already in force
    for the same day is withdrawn (the new one replaces it)."""
    from app.services import audit

    name = clean(data.name)
    if data.working and data.day.weekday() < 5 and not name:
        raise ValidationError(
            "Ngày làm bù thường là Thứ Bảy hoặc Chủ nhật: ghi rõ lý do "
            '(ví dụ "Làm bù cho ngày 29/4").',
            field="name",
        )
    with db.write() as session:
        replaced = session.scalars(
            select(CalendarDay).where(CalendarDay.day == data.day, CalendarDay.removed_on.is_(None))
        ).all()
        for old in replaced:
            if old.working == data.working and old.name == name and old.basis == data.basis:
                raise ValidationError(
                    f"Ngày {fmt(data.day)} đã có trong bảng với nội dung này.", field="day"
                )
            _withdraw(session, old, today)
        row = CalendarDay(
            day=data.day,
            working=data.working,
            name=name or ("Làm bù" if data.working else "Ngày nghỉ"),
            basis=clean(data.basis),
            known_from=today,
        )
        session.add(row)
        session.flush()
        info = _info(row)
        audit.record(
            session,
            "create",
            "calendar_day",
            row.id,
            after=audit.snapshot(row),
            summary=f"{info.kind_label} ngày {fmt(data.day)}: {row.name}",
        )
        changed = resync_calendar_tasks(session)
    return CalendarChange(info, changed)


def withdraw_calendar_day(db: Database, entry_id: int, *, today: dt.date) -> CalendarChange:
    """Withdraw a line from ``today`` on (it stays in the history)."""
    from app.services import audit

    with db.write() as session:
        row = session.get(CalendarDay, entry_id)
        if row is None:
            raise NotFound.for_("ngày trong bảng", entry_id)
        if row.removed_on is not None:
            raise ValidationError(
                f"Ngày {fmt(row.day)} đã được bỏ khỏi bảng từ {fmt(row.removed_on)}."
            )
        before = audit.snapshot(row)
        _withdraw(session, row, today)
        audit.record(
            session,
            "delete",
            "calendar_day",
            row.id,
            before=before,
            after=audit.snapshot(row),
            summary=f"Bỏ {_info(row).kind_label.lower()} ngày {fmt(row.day)}",
        )
        changed = resync_calendar_tasks(session)
        info = _info(row)
    return CalendarChange(info, changed)


def _withdraw(session: Session, row: CalendarDay, today: dt.date) -> None:
    if today < row.known_from:
        raise ValidationError(
            f"Ngày {fmt(row.day)} được ghi từ {fmt(row.known_from)}: không thể bỏ "
            f"từ một ngày trước đó ({fmt(today)})."
        )
    row.removed_on = today
    session.flush()


def resync_calendar_tasks(session: Session) -> int:
    """Re-derive the due dates of every task that counts in working days (its directive shifts
    due dates off days off, or its rule is N working days), or whose obligations have a due-date
    history. Returns how many obligations changed."""
    from app.models import Directive, Obligation, Task
    from app.services.obligations import sync_task
    from app.settings import load_settings

    history = load_calendar_history(session)
    default_due_day = load_settings(session).default_due_day
    stmt = (
        select(Task)
        .join(Directive, Directive.id == Task.directive_id)
        .where(
            or_(
                Directive.shift_due.is_(True),
                Task.due_working_days.is_not(None),
                Task.id.in_(
                    select(Obligation.task_id).where(Obligation.due_history_until.is_not(None))
                ),
            )
        )
    )
    changed = 0
    for task in session.scalars(stmt).unique():
        changed += sync_task(
            session, task, default_due_day=default_due_day, history=history
        ).updated
    return changed


@dataclass(frozen=True)
class YearCalendarRow:
    """One line of the year's calendar as the editor shows it: a national holiday (from the
    package; ``id`` negative, not editable) or a line of the user's table."""

    id: int
    day: dt.date
    working: bool
    name: str
    source: str  # "Lịch nhà nước" or "Bảng của cơ quan"
    basis: str = ""
    known_from: dt.date | None = None
    removed_on: dt.date | None = None

    @property
    def editable(self) -> bool:
        return self.id > 0 and self.removed_on is None

    @property
    def kind_label(self) -> str:
        return "Làm bù" if self.working else "Nghỉ"

    @property
    def state_label(self) -> str:
        if self.known_from is None:
            return "Luôn áp dụng"
        since = f"từ {fmt(self.known_from)}"
        if self.removed_on is None:
            return f"Áp dụng {since}"
        return f"Đã bỏ ngày {fmt(self.removed_on)} (áp dụng {since})"


NATIONAL_SOURCE = "Lịch nhà nước"
OFFICE_SOURCE = "Bảng của cơ quan"


def year_calendar(
    db: Database, year: int, *, include_withdrawn: bool = False
) -> list[YearCalendarRow]:
    """The national holidays and make-up days of ``year`` and the user's lines, by day."""
    from app.workdays import national_holidays, national_workdays

    rows = [
        YearCalendarRow(-day.toordinal(), day, False, name, NATIONAL_SOURCE)
        for day, name in national_holidays(year).items()
    ]
    rows += [
        YearCalendarRow(-day.toordinal(), day, True, "Làm bù (theo lịch nhà nước)", NATIONAL_SOURCE)
        for day in national_workdays(year)
    ]
    rows += [
        YearCalendarRow(
            e.id, e.day, e.working, e.name, OFFICE_SOURCE, e.basis, e.known_from, e.removed_on
        )
        for e in list_calendar_days(db, year=year, include_withdrawn=include_withdrawn)
    ]
    return sorted(rows, key=lambda r: (r.day, r.id < 0, r.id))
