"""The registers of the plans and reports tabs: one row per bound unit with the document that
answers it (as seen on a given day)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select

from app.db import Database
from app.models import AuditEntry, Obligation, Task, TaskKind
from app.ordering import row_unit_key
from app.services.audit import AuditInfo, history
from app.services.directives import DirectiveInfo, list_directives
from app.services.obligations import ObligationRow, query_obligations, status_filter
from app.services.submissions import first_seen
from app.settings import load_settings
from app.status import Status, StatusCounts


@dataclass(frozen=True)
class IntakeRow:
    obligation: ObligationRow
    submission_id: int | None  # the document that counts (first received by the day asked)
    number_symbol: str
    signed_date: dt.date | None
    received_date: dt.date | None
    signer: str
    attachment_path: str
    documents: int  # documents received by the day asked (several count once)

    @property
    def id(self) -> int:
        return self.obligation.id

    @property
    def status(self) -> Status:
        return self.obligation.status


@dataclass(frozen=True)
class PeriodChoice:
    key: str
    label: str
    due_date: dt.date


def intake_rows(
    db: Database, day: dt.date, *, task_id: int, period_key: str | None = None
) -> list[IntakeRow]:
    """Every obligation of the task (and period), with its first document seen on ``day``."""
    with db.read() as session:
        rows = query_obligations(session, day, task_id=task_id, period_key=period_key)
        firsts = first_seen(session, (r.id for r in rows), day)
        result = []
        for row in rows:
            sub = firsts.get(row.id)
            result.append(
                IntakeRow(
                    obligation=row,
                    submission_id=sub.id if sub else None,
                    number_symbol=sub.number_symbol if sub else "",
                    signed_date=sub.signed_date if sub else None,
                    received_date=sub.received_date if sub else None,
                    signer=sub.signer if sub else "",
                    attachment_path=sub.attachment_path if sub else "",
                    documents=row.submission_count,
                )
            )
        return result


def task_periods(db: Database, task_id: int) -> list[PeriodChoice]:
    """The periods of a periodic task, in order of their due dates."""
    with db.read() as session:
        stmt = (
            select(Obligation.period_key, Obligation.period_label, Obligation.due_date)
            .where(Obligation.task_id == task_id)
            .distinct()
            .order_by(Obligation.due_date, Obligation.period_key)
        )
        seen: dict[str, PeriodChoice] = {}
        for key, label, due in session.execute(stmt):
            if key not in seen:
                seen[key] = PeriodChoice(key, label or key, due)
        return list(seen.values())


def current_period(periods: list[PeriodChoice], day: dt.date) -> PeriodChoice | None:
    """The period to show first on ``day``: the first not yet past due, else the last."""
    for period in periods:
        if period.due_date >= day:
            return period
    return periods[-1] if periods else None


def count_overdue(db: Database, day: dt.date, kind: TaskKind) -> int:
    """Obligations of tasks of ``kind`` overdue on ``day`` (the number on the tab)."""
    with db.read() as session:  # a COUNT: ~50,000 overdue rows at the large scale
        window_days = load_settings(session).warning_days
        stmt = (
            select(func.count())
            .select_from(Obligation)
            .where(
                status_filter([Status.OVERDUE], day, window_days),
                Obligation.task_id.in_(select(Task.id).where(Task.kind == TaskKind(kind).value)),
            )
        )
        return int(session.execute(stmt).scalar_one())


def obligation_history(db: Database, obligation_id: int) -> list[AuditInfo]:
    """Every recorded change of the documents answering one obligation, newest first,
    including documents deleted since (their history stays), and its waivers."""
    with db.read() as session:
        ids = set(
            session.scalars(
                select(AuditEntry.entity_id).where(
                    AuditEntry.entity == "submission",
                    (AuditEntry.before.contains(f'"obligation_id": {obligation_id}'))
                    | (AuditEntry.after.contains(f'"obligation_id": {obligation_id}')),
                )
            )
        )
    entries = [
        e
        for e in history(db, "submission", limit=100000)
        if e.entity_id in ids
        and obligation_id in (e.before.get("obligation_id"), e.after.get("obligation_id"))
    ]
    entries += history(db, "obligation", obligation_id)  # waivers, with their reason
    return sorted(entries, key=lambda e: e.id, reverse=True)


@dataclass(frozen=True)
class IntakeView:
    """What a register page (Đăng ký kế hoạch, Tiếp nhận báo cáo) shows on a day: the
    directives having tasks of its kind, the one chosen, its task (and period), one row per
    bound unit in the unit order (:mod:`app.ordering`), and the page's number (overdue)."""

    kind: TaskKind
    day: dt.date
    directives: list[DirectiveInfo]
    directive_id: int | None
    task_id: int | None
    periods: list[PeriodChoice]
    period_key: str | None
    rows: list[IntakeRow]
    overdue: int

    def counts(self) -> StatusCounts:
        """The rows counted by status (the page's summary line)."""
        return StatusCounts.of(r.obligation for r in self.rows)


def intake_view(
    db: Database,
    day: dt.date,
    kind: TaskKind,
    *,
    directive_id: int | None = None,
    task_id: int | None = None,
    period_key: str | None = None,
) -> IntakeView:
    """The register for the wanted directive, task and period — or, when one is gone or
    none is wanted, the first directive having a task of ``kind``, its first such task and
    the period current on ``day``."""
    usable = [d for d in list_directives(db) if any(t.kind is kind for t in d.tasks)]
    directive = next((d for d in usable if d.id == directive_id), None)
    if directive is None and usable:
        directive = usable[0]
    task = None
    if directive is not None:
        own = [t for t in directive.tasks if t.kind is kind]
        task = next((t for t in own if t.id == task_id), None) or (own[0] if own else None)
    periods: list[PeriodChoice] = []
    key = None
    if task is not None and kind is TaskKind.PERIODIC:
        periods = task_periods(db, task.id)
        chosen = next((p for p in periods if p.key == period_key), None)
        chosen = chosen or current_period(periods, day)
        key = chosen.key if chosen else None
    rows: list[IntakeRow] = []
    if task is not None and (kind is TaskKind.ONE_OFF or key is not None):
        rows = intake_rows(db, day, task_id=task.id, period_key=key)
        rows.sort(key=lambda r: row_unit_key(r.obligation))  # the unit order
    return IntakeView(
        kind,
        day,
        usable,
        directive.id if directive else None,
        task.id if task else None,
        periods,
        key,
        rows,
        count_overdue(db, day, kind),
    )
