"""Working days (ngày làm việc) and the effective due date of an obligation (pure).

The calendar of a day is: Saturday and Sunday off (the 40-hour week of the public
administration), the national public holidays of the ``holidays`` package's Vietnam calendar
(lunar Tết included, with the days off and make-up working days it knows), then the user's
table of days off and make-up working days announced each year, which wins over both.

Every user entry records the day it became known (``known_from``, the day it was entered) and
the day it was withdrawn (``removed_on``); the calendar *as known on day D* uses only the
entries known on D. The effective due date of an obligation seen on D is computed with that
calendar, so replaying a day before a change of the table gives the result of that day
(docs/domain.md, "Working days and holidays").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from app.dates import fmt
from app.errors import ValidationError

# Bộ luật Dân sự 2015, Điều 148 khoản 5: the shift rule's source, quoted in the UI.
SHIFT_RULE_LABEL = "Hạn trùng ngày nghỉ thì dời sang ngày làm việc kế tiếp"
SHIFT_RULE_SOURCE = "Bộ luật Dân sự 2015, Điều 148 khoản 5"
WEEKDAY_NAMES = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")
MAX_WORKING_DAYS = 60  # a due rule counts at most this many working days
_SEARCH_LIMIT = 400  # no run of days off is longer than this


@dataclass(frozen=True)
class CalendarEntry:
    """One line of the user's table: a day off or a make-up working day (làm bù)."""

    day: dt.date
    working: bool  # True: a make-up working day; False: a day off
    name: str
    known_from: dt.date  # the day it was entered: from then on it is part of the calendar
    removed_on: dt.date | None = None  # the day it was withdrawn (None: still in force)

    def known_on(self, day: dt.date) -> bool:
        return self.known_from <= day and (self.removed_on is None or day < self.removed_on)


@lru_cache(maxsize=64)
def _national(year: int) -> tuple[dict[dt.date, str], frozenset[dt.date]]:
    """The package's Vietnamese holidays of ``year`` and its make-up working days."""
    import holidays  # local: only needed when a calendar is used

    calendar = holidays.country_holidays("VN", years=year, language="vi")
    workdays = frozenset(d for d in getattr(calendar, "weekend_workdays", ()) if d.year == year)
    return {d: str(name) for d, name in calendar.items() if d.year == year}, workdays


def national_holidays(year: int) -> dict[dt.date, str]:
    """The national public holidays of ``year`` (Vietnamese names), from the package."""
    return dict(_national(year)[0])


def national_workdays(year: int) -> frozenset[dt.date]:
    """The make-up working days (weekend days worked) the package knows for ``year``."""
    return _national(year)[1]


class WorkCalendar:
    """The working-day calendar with a set of user entries in force."""

    def __init__(self, entries: Iterable[CalendarEntry] = ()) -> None:
        self._off: dict[dt.date, str] = {}
        self._work: dict[dt.date, str] = {}
        for entry in entries:
            if entry.working:
                self._work[entry.day] = entry.name
                self._off.pop(entry.day, None)
            else:
                self._off[entry.day] = entry.name
                self._work.pop(entry.day, None)

    def day_off_reason(self, day: dt.date) -> str | None:
        """Why ``day`` is not a working day (the holiday's name, "Thứ Bảy"…); None if it is."""
        if day in self._work:
            return None
        if day in self._off:
            return self._off[day] or "Ngày nghỉ"
        holidays, workdays = _national(day.year)
        if day in holidays:
            return holidays[day]
        if day in workdays:
            return None
        if day.weekday() >= 5:
            return WEEKDAY_NAMES[day.weekday()]
        return None

    def is_working_day(self, day: dt.date) -> bool:
        return self.day_off_reason(day) is None

    def next_working_day(self, day: dt.date) -> dt.date:
        """``day`` itself if it is a working day, else the first working day after it."""
        current = day
        try:
            for _ in range(_SEARCH_LIMIT):
                if self.is_working_day(current):
                    return current
                current += dt.timedelta(days=1)
        except OverflowError:  # past 31/12/9999
            pass
        raise ValidationError(f"Không tìm thấy ngày làm việc nào sau ngày {fmt(day)}.")

    def add_working_days(self, day: dt.date, count: int) -> dt.date:
        """The ``count``-th working day after ``day`` (``day`` itself is not counted: a time
        limit starts the day after the event, Bộ luật Dân sự 2015, Điều 147)."""
        if not 1 <= count <= MAX_WORKING_DAYS:
            raise ValidationError(
                f"Số ngày làm việc phải từ 1 đến {MAX_WORKING_DAYS}.", field="due_working_days"
            )
        current = day
        for _ in range(count):
            if current == dt.date.max:
                raise ValidationError(f"Không tìm thấy ngày làm việc nào sau ngày {fmt(day)}.")
            current = self.next_working_day(current + dt.timedelta(days=1))
        return current

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days in (start, end]: how many working days ``end`` is after ``start``
        (negative when ``end`` is before ``start``)."""
        if end == start:
            return 0
        sign = 1 if end > start else -1
        low, high = (start, end) if sign > 0 else (end, start)
        count = 0
        current = low + dt.timedelta(days=1)
        while current <= high:
            count += self.is_working_day(current)
            current += dt.timedelta(days=1)
        return sign * count


class CalendarHistory:
    """Every version of the calendar: one per day on which the user's table changed."""

    def __init__(self, entries: Sequence[CalendarEntry] = ()) -> None:
        self.entries = tuple(entries)
        changes = {e.known_from for e in self.entries}
        changes |= {e.removed_on for e in self.entries if e.removed_on is not None}
        self.change_days: tuple[dt.date, ...] = tuple(sorted(changes))
        self._versions: dict[dt.date | None, WorkCalendar] = {}

    def as_of(self, day: dt.date) -> WorkCalendar:
        """The calendar as known on ``day``."""
        key = None
        for change in self.change_days:
            if change <= day:
                key = change
            else:
                break
        return self._version(key)

    def current(self) -> WorkCalendar:
        return self._version(self.change_days[-1] if self.change_days else None)

    def _version(self, key: dt.date | None) -> WorkCalendar:
        if key not in self._versions:
            self._versions[key] = WorkCalendar(
                e for e in self.entries if key is not None and e.known_on(key)
            )
        return self._versions[key]

    def versions(self) -> list[tuple[dt.date | None, WorkCalendar]]:
        """(first day it applies, calendar): the package-only calendar first (None)."""
        return [(None, self._version(None))] + [(d, self._version(d)) for d in self.change_days]


@dataclass(frozen=True)
class DueRule:
    """How an obligation's due date is counted.

    Either a fixed calendar day (``nominal``), shifted to the next working day when it falls on
    a day off if ``shift`` is set, or ``working_days`` working days after the data cut-off
    (``cutoff``)."""

    nominal: dt.date | None = None
    shift: bool = False
    cutoff: dt.date | None = None
    working_days: int | None = None

    @property
    def uses_calendar(self) -> bool:
        return self.shift or self.working_days is not None

    def due_with(self, calendar: WorkCalendar) -> dt.date:
        if self.working_days is not None:
            if self.cutoff is None:
                raise ValidationError("Quy tắc ngày làm việc cần ngày chốt số liệu.")
            return calendar.add_working_days(self.cutoff, self.working_days)
        if self.nominal is None:
            raise ValidationError("Chưa có hạn.")
        return calendar.next_working_day(self.nominal) if self.shift else self.nominal


@dataclass(frozen=True)
class EffectiveDue:
    """The effective due date as known today, and its history: ``changes`` are
    (day the new value applies from, the value before that day), oldest first."""

    due: dt.date
    changes: tuple[tuple[dt.date, dt.date], ...] = ()

    def on(self, day: dt.date) -> dt.date:
        """The effective due date as known on ``day``."""
        for changed_on, previous in self.changes:
            if changed_on > day:
                return previous
        return self.due


def effective_due(rule: DueRule, history: CalendarHistory) -> EffectiveDue:
    """The effective due date of ``rule`` under every version of the calendar."""
    if not rule.uses_calendar:
        assert rule.nominal is not None
        return EffectiveDue(rule.nominal)
    changes: list[tuple[dt.date, dt.date]] = []
    previous: dt.date | None = None
    for since, calendar in history.versions():
        value = rule.due_with(calendar)
        if previous is not None and value != previous:
            assert since is not None
            changes.append((since, previous))
        previous = value
    assert previous is not None
    return EffectiveDue(previous, tuple(changes))
