"""The follow-up rhythm (nhịp đôn đốc): per directive, a plan of reminder rounds counted in
working days around each deadline, the rounds due on a day, the units that have not answered a
reminder, and whether reminders work (days from a reminder to the submission).

Rules (docs/domain.md, "The follow-up rhythm"): for each deadline (one task, one period) with
its effective due date as known on day D, and the working-day calendar as known on D:

- **notice** (nhắc trước hạn): ``notice_days`` working days before the due date, to the units
  that have not sent anything yet;
- **first reminder** (đôn đốc lần 1): the ``first_after_days``-th working day after the due
  date, to the units overdue;
- **second reminder** (đôn đốc lần 2): ``second_after_days`` working days after the first;
- **escalation** (dự thảo văn bản của UBND tỉnh): ``escalate_after_days`` working days after
  the second, a draft for the Provincial People's Committee's signature, sent by "Văn phòng
  UBND tỉnh", to the units still overdue.

A round with no unit left is not listed. The agency that follows (the settings' agency name)
never reminds itself.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from enum import StrEnum

from app.dates import fmt
from app.db import Database
from app.errors import ValidationError
from app.models import UnitKind
from app.ordering import kind_rank, row_unit_key
from app.services.calendar_days import load_calendar_history
from app.services.obligations import ObligationRow, query_obligations
from app.settings import load_settings, save_settings
from app.status import Status
from app.text import search_key
from app.workdays import WorkCalendar

PLAN_KEY = "followup_plan_{}"
MAX_DAYS = 60


class RoundKind(StrEnum):
    NOTICE = "notice"
    FIRST = "first"
    SECOND = "second"
    ESCALATE = "escalate"

    @property
    def label(self) -> str:
        return ROUND_LABELS[self]

    @property
    def number(self) -> int:
        """The issued-document's ``follow_up_round``: 1, 2, 3 for the reminders."""
        return {
            RoundKind.NOTICE: 0,
            RoundKind.FIRST: 1,
            RoundKind.SECOND: 2,
            RoundKind.ESCALATE: 3,
        }[self]


ROUND_LABELS = {
    RoundKind.NOTICE: "Nhắc trước hạn",
    RoundKind.FIRST: "Đôn đốc lần 1",
    RoundKind.SECOND: "Đôn đốc lần 2",
    RoundKind.ESCALATE: "Dự thảo văn bản UBND tỉnh đôn đốc",
}
ESCALATION_SENDER = "Văn phòng UBND tỉnh"


@dataclass(frozen=True)
class FollowupPlan:
    """The reminder plan of one directive (defaults fit the sample: a notice three working
    days ahead, the first reminder the first working day after the due date, then a week of
    working days between rounds)."""

    enabled: bool = True
    notice_days: int = 3
    first_after_days: int = 1
    second_after_days: int = 5
    escalate_after_days: int = 5

    def validate(self) -> None:
        errors: dict[str, str] = {}
        for key, low in (
            ("notice_days", 0),
            ("first_after_days", 1),
            ("second_after_days", 1),
            ("escalate_after_days", 1),
        ):
            value = getattr(self, key)
            if not isinstance(value, int) or not low <= value <= MAX_DAYS:
                errors[key] = f"Số ngày làm việc phải từ {low} đến {MAX_DAYS}."
        if errors:
            raise ValidationError(next(iter(errors.values())), errors=errors)


def get_plan(db: Database, directive_id: int) -> FollowupPlan:
    with db.read() as session:
        raw = load_settings(session).extra.get(PLAN_KEY.format(directive_id))
    return _plan_from(raw)


def save_plan(db: Database, directive_id: int, plan: FollowupPlan) -> FollowupPlan:
    """Check and save the plan (in the database's settings: a backup carries it)."""
    from app.services import audit

    plan.validate()
    with db.write() as session:
        before = load_settings(session).extra.get(PLAN_KEY.format(directive_id))
        save_settings(session, **{PLAN_KEY.format(directive_id): asdict(plan)})
        audit.record(
            session,
            "update",
            "settings",
            directive_id,
            before={"followup_plan": before},
            after={"followup_plan": asdict(plan)},
            summary="Sửa kế hoạch đôn đốc của văn bản chỉ đạo",
        )
    return plan


# --- the rounds of a deadline --------------------------------------------------------------------


def working_days_before(calendar: WorkCalendar, day: dt.date, count: int) -> dt.date:
    """The ``count``-th working day before ``day`` (``day`` itself when ``count`` is 0)."""
    current = day
    for _ in range(count):
        current -= dt.timedelta(days=1)
        while not calendar.is_working_day(current):
            current -= dt.timedelta(days=1)
    return current


def round_days(
    plan: FollowupPlan, due: dt.date, calendar: WorkCalendar
) -> dict[RoundKind, dt.date]:
    """The day of each round for a deadline due on ``due``."""
    first = calendar.add_working_days(due, plan.first_after_days)
    second = calendar.add_working_days(first, plan.second_after_days)
    return {
        RoundKind.NOTICE: working_days_before(calendar, due, plan.notice_days),
        RoundKind.FIRST: first,
        RoundKind.SECOND: second,
        RoundKind.ESCALATE: calendar.add_working_days(second, plan.escalate_after_days),
    }


@dataclass(frozen=True)
class FollowupRound:
    """One round of one deadline on its day: who it goes to."""

    kind: RoundKind
    day: dt.date
    directive_id: int
    directive_symbol: str
    task_id: int
    task_title: str
    period_key: str
    period_label: str
    due_date: dt.date
    units: tuple[tuple[int, str], ...]  # (unit id, name) in the order of the lists

    @property
    def what(self) -> str:
        return self.task_title + (f" ({self.period_label})" if self.period_label else "")

    @property
    def description(self) -> str:
        return (
            f"{self.kind.label}: {self.what} — {self.directive_symbol}, hạn "
            f"{fmt(self.due_date)}, {len(self.units)} đơn vị"
        )


def _deadlines(rows: Iterable[ObligationRow]) -> dict[tuple[int, str], list[ObligationRow]]:
    groups: dict[tuple[int, str], list[ObligationRow]] = {}
    for r in rows:
        groups.setdefault((r.task_id, r.period_key), []).append(r)
    return groups


def rounds_on(
    db: Database, day: dt.date, *, directive_id: int | None = None, since: dt.date | None = None
) -> list[FollowupRound]:
    """The rounds whose day is ``day`` (or between ``since`` and ``day``), each with the units it
    goes to as seen on ``day``, in order of day, directive, round and due date."""
    from app.models import Obligation

    start = since or day
    with db.read() as session:
        settings = load_settings(session)
        calendar = load_calendar_history(session).as_of(day)
        plans = _all_plans(settings.extra)
        # Only deadlines whose rounds can fall in [start, day]: working days are at most
        # about 1.5 calendar days each, plus the longest run of holidays.
        longest = max([_span(p) for p in plans.values()] + [_span(FollowupPlan())])
        ahead = max([p.notice_days for p in plans.values()] + [FollowupPlan().notice_days])
        window = (
            start - dt.timedelta(days=longest * 3 // 2 + 20),
            day + dt.timedelta(days=ahead * 3 // 2 + 20),
        )
        rows = query_obligations(
            session,
            day,
            directive_id=directive_id,
            window_days=0,
            where=[Obligation.due_date.between(*window)],
        )
    own = search_key(settings.agency_name)
    out: list[FollowupRound] = []
    for (_task_id, _key), items in _deadlines(rows).items():
        first = items[0]
        plan = plans.get(first.directive_id, FollowupPlan())
        if not plan.enabled:
            continue
        for kind, when in round_days(plan, first.due_date, calendar).items():
            if not start <= when <= day:
                continue
            if kind is RoundKind.NOTICE:
                wanted = [r for r in items if r.status in (Status.DUE_SOON, Status.NOT_DUE)]
            else:
                wanted = [r for r in items if r.status is Status.OVERDUE]
            units = tuple(
                (r.unit_id, r.unit_name)
                for r in _unit_order(wanted)
                if search_key(r.unit_name) != own
            )
            if units:
                out.append(
                    FollowupRound(
                        kind,
                        when,
                        first.directive_id,
                        first.directive_symbol,
                        first.task_id,
                        first.task_title,
                        first.period_key,
                        first.period_label,
                        first.due_date,
                        units,
                    )
                )
    order = list(RoundKind)
    return sorted(
        out,
        key=lambda r: (
            r.day,
            r.directive_id,
            order.index(r.kind),
            r.due_date,
            r.task_id,
            r.period_key,
        ),
    )


def _span(plan: FollowupPlan) -> int:
    return plan.first_after_days + plan.second_after_days + plan.escalate_after_days


def _all_plans(extra: dict[str, object]) -> dict[int, FollowupPlan]:
    prefix = PLAN_KEY.format("")
    out = {}
    for key, raw in extra.items():
        if key.startswith(prefix) and key[len(prefix) :].isdigit():
            out[int(key[len(prefix) :])] = _plan_from(raw)
    return out


def _plan_from(raw: object) -> FollowupPlan:
    if not isinstance(raw, dict):
        return FollowupPlan()
    known = {k: raw[k] for k in asdict(FollowupPlan()) if k in raw}
    try:
        plan = FollowupPlan(**known)
        plan.validate()
    except (TypeError, ValidationError):
        return FollowupPlan()
    return plan


def _unit_order(rows: Sequence[ObligationRow]) -> list[ObligationRow]:
    return sorted(rows, key=row_unit_key)


# --- today: what to do, and who has not answered ------------------------------------------------


@dataclass(frozen=True)
class Unanswered:
    """A unit reminded (issued documents) that still owes something of that directive."""

    unit_id: int
    unit_name: str
    directive_id: int
    directive_symbol: str
    reminders: int  # how many reminders it received for the directive by the day
    last_day: dt.date
    owed: int  # obligations still overdue on the day

    @property
    def text(self) -> str:
        return (
            f"{self.unit_name}: đã đôn đốc {self.reminders} lần, lần cuối ngày "
            f"{fmt(self.last_day)}; còn {self.owed} việc quá hạn "
            f"({self.directive_symbol})"
        )


@dataclass(frozen=True)
class TodayPlan:
    day: dt.date
    rounds: tuple[FollowupRound, ...]  # due today
    pending: tuple[FollowupRound, ...]  # due on an earlier day of the last weeks, not issued
    unanswered: tuple[Unanswered, ...] = field(default=())


PENDING_LOOKBACK_DAYS = 21


def today_plan(db: Database, day: dt.date) -> TodayPlan:
    """What the overview's "Việc cần làm hôm nay" shows on ``day``."""
    from app.services.issued_documents import reminders_sent

    since = day - dt.timedelta(days=PENDING_LOOKBACK_DAYS)
    all_rounds = rounds_on(db, day, since=since)
    sent = reminders_sent(db, until=day)
    issued_rounds = {(r.directive_id, r.follow_up_round, r.day) for r in sent}

    def done(r: FollowupRound) -> bool:
        if r.kind is RoundKind.NOTICE:
            return r.day < day  # a notice is of its day only
        return any(
            d == r.directive_id and n == r.kind.number and r.day <= when <= day
            for d, n, when in issued_rounds
        )

    today = tuple(r for r in all_rounds if r.day == day)
    pending = tuple(r for r in all_rounds if r.day < day and not done(r))
    return TodayPlan(day, today, pending, tuple(unanswered(db, day)))


def unanswered(db: Database, day: dt.date) -> list[Unanswered]:
    """Units that received a reminder by ``day`` and still have overdue obligations of that
    directive on ``day`` (most reminders first)."""
    from app.services.issued_documents import reminders_sent

    sent = reminders_sent(db, until=day)
    if not sent:
        return []
    last: dict[tuple[int, int], tuple[int, dt.date]] = {}
    for r in sent:
        if r.directive_id is not None:
            last[(r.unit_id, r.directive_id)] = (r.number, r.day)
    with db.read() as session:
        rows = query_obligations(session, day, statuses=[Status.OVERDUE], window_days=0)
    owed: dict[tuple[int, int], list[ObligationRow]] = {}
    for row in rows:
        if (row.unit_id, row.directive_id) in last:
            owed.setdefault((row.unit_id, row.directive_id), []).append(row)
    out = []
    for key, items in owed.items():
        count, when = last[key]
        out.append(
            Unanswered(
                key[0],
                items[0].unit_name,
                key[1],
                items[0].directive_symbol,
                count,
                when,
                len(items),
            )
        )
    return sorted(out, key=lambda u: (-u.reminders, u.last_day, search_key(u.unit_name)))


# --- do reminders work? -------------------------------------------------------------------------


@dataclass(frozen=True)
class ResponseStats:
    """Days from a reminder to the submission it asked for: median per round and per unit
    kind (only reminders whose obligation was answered by the day)."""

    day: dt.date
    by_round: tuple[tuple[int, float, int], ...]  # (round number, median days, how many)
    by_kind: tuple[tuple[UnitKind, float, int], ...]
    still_open: int  # obligations reminded (once or more) and not answered by the day

    @property
    def empty(self) -> bool:
        return not self.by_round and not self.still_open


def response_stats(db: Database, day: dt.date) -> ResponseStats:
    """For every reminder sent by ``day`` to a unit, each obligation of that directive overdue
    for that unit on the reminder's day: the days until it was received (if by ``day``)."""
    from app.services.issued_documents import reminders_sent

    sent = reminders_sent(db, until=day)
    by_round: dict[int, list[int]] = {}
    by_kind: dict[UnitKind, list[int]] = {}
    still_open: set[int] = set()
    cache: dict[tuple[int | None, dt.date], dict[int, list[ObligationRow]]] = {}
    asked: list[tuple[int, dt.date, list[ObligationRow]]] = []
    with db.read() as session:
        for r in sent:
            key = (r.directive_id, r.day)
            if key not in cache:  # what was overdue then, by unit (one query per day)
                by_unit: dict[int, list[ObligationRow]] = {}
                for o in query_obligations(
                    session,
                    r.day,
                    directive_id=r.directive_id,
                    statuses=[Status.OVERDUE],
                    window_days=0,
                ):
                    by_unit.setdefault(o.unit_id, []).append(o)
                cache[key] = by_unit
            overdue_then = cache[key].get(r.unit_id, [])
            if overdue_then:
                asked.append((r.follow_up_round or r.number, r.day, overdue_then))
        ids = sorted({o.id for _, _, items in asked for o in items})
        now: dict[int, ObligationRow] = {}
        for i in range(0, len(ids), 5000):  # what became of them by the day
            now.update(
                (o.id, o)
                for o in query_obligations(
                    session, day, obligation_ids=ids[i : i + 5000], window_days=0
                )
            )
    for round_number, reminded_on, items in asked:
        for o in items:
            current = now.get(o.id)
            if current is None or current.first_received is None:
                still_open.add(o.id)
                continue
            days = (current.first_received - reminded_on).days
            by_round.setdefault(round_number, []).append(days)
            by_kind.setdefault(o.unit_kind, []).append(days)
    return ResponseStats(
        day,
        tuple((n, float(statistics.median(v)), len(v)) for n, v in sorted(by_round.items())),
        tuple(
            (k, float(statistics.median(v)), len(v))
            for k, v in sorted(by_kind.items(), key=lambda kv: kind_rank(kv[0]))
        ),
        len(still_open),
    )
