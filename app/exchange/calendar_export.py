"""An .ics calendar of the upcoming deadlines (icalendar), to import into Outlook or
Thunderbird: one all-day event per task and period on its effective due date, listing the
units that have not answered yet, with a reminder the working day before."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from app import APP_NAME, __version__
from app.dates import fmt
from app.db import Database
from app.fileio import atomic_write
from app.services.obligations import ObligationRow, list_obligations
from app.status import Status
from app.text import search_key

DEFAULT_HORIZON_DAYS = 120


@dataclass(frozen=True)
class Deadline:
    """One task's deadline for one period, and who still owes it (seen on ``as_of``)."""

    directive_id: int
    directive_symbol: str
    task_id: int
    task_title: str
    period_key: str
    period_label: str
    due_date: dt.date
    nominal_due: dt.date | None
    open_units: tuple[str, ...]

    @property
    def title(self) -> str:
        what = self.task_title + (f" ({self.period_label})" if self.period_label else "")
        return f"Hạn: {what} — {self.directive_symbol}"

    @property
    def uid(self) -> str:
        return f"sotheodoi-{self.task_id}-{self.period_key}@sotheodoi.local"


def upcoming_deadlines(
    db: Database,
    as_of: dt.date,
    *,
    horizon_days: int = DEFAULT_HORIZON_DAYS,
    directive_id: int | None = None,
) -> list[Deadline]:
    """Deadlines from ``as_of`` to ``as_of + horizon_days`` that some unit has not met yet."""
    rows = list_obligations(
        db, as_of, directive_id=directive_id, statuses=[Status.DUE_SOON, Status.NOT_DUE]
    )
    last = as_of + dt.timedelta(days=horizon_days)
    return group_deadlines(r for r in rows if as_of <= r.due_date <= last)


def group_deadlines(rows: Iterable[ObligationRow]) -> list[Deadline]:
    groups: dict[tuple[int, str], list[ObligationRow]] = {}
    for r in rows:
        groups.setdefault((r.task_id, r.period_key), []).append(r)
    out = []
    for items in groups.values():
        first = items[0]
        names = sorted({r.unit_display for r in items}, key=search_key)
        out.append(
            Deadline(
                first.directive_id,
                first.directive_symbol,
                first.task_id,
                first.task_title,
                first.period_key,
                first.period_label,
                first.due_date,
                first.nominal_due,
                tuple(names),
            )
        )
    return sorted(out, key=lambda d: (d.due_date, d.directive_symbol, d.task_id, d.period_key))


def calendar_bytes(
    deadlines: Iterable[Deadline], *, stamp: dt.datetime | None = None, agency: str = ""
) -> bytes:
    """The .ics text (RFC 5545) of ``deadlines``."""
    from icalendar import Alarm, Calendar, Event

    stamp = stamp or dt.datetime.now(dt.UTC)
    cal = Calendar()
    cal.add("prodid", f"-//{APP_NAME} {__version__}//vi")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", f"Hạn nộp — {agency}".strip(" —") if agency else "Hạn nộp văn bản")
    for d in deadlines:
        event = Event()
        event.add("uid", d.uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", d.due_date)
        event.add("dtend", d.due_date + dt.timedelta(days=1))
        event.add("summary", d.title)
        lines = [f"Văn bản chỉ đạo: {d.directive_symbol}", f"Nhiệm vụ: {d.task_title}"]
        if d.period_label:
            lines.append(f"Kỳ: {d.period_label}")
        if d.nominal_due is not None:
            lines.append(
                f"Hạn theo văn bản {fmt(d.nominal_due)}, dời sang ngày làm việc "
                f"kế tiếp {fmt(d.due_date)}."
            )
        lines.append(f"Chưa nộp ({len(d.open_units)} đơn vị): " + "; ".join(d.open_units))
        event.add("description", "\n".join(lines))
        event.add("categories", ["Hạn nộp"])
        event.add("transp", "TRANSPARENT")
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", d.title)
        alarm.add("trigger", dt.timedelta(days=-1))
        event.add_component(alarm)
        cal.add_component(event)
    return bytes(cal.to_ical())


def export_calendar(
    db: Database,
    path: Path | str,
    as_of: dt.date,
    *,
    horizon_days: int = DEFAULT_HORIZON_DAYS,
    directive_id: int | None = None,
) -> int:
    """Write the .ics of the upcoming deadlines to ``path``; returns how many events."""
    from app.settings import load_settings

    deadlines = upcoming_deadlines(db, as_of, horizon_days=horizon_days, directive_id=directive_id)
    with db.read() as session:
        agency = load_settings(session).agency_name
    data = calendar_bytes(deadlines, agency=agency)
    with atomic_write(path, "wb") as handle:
        handle.write(data)
    return len(deadlines)
