"""Deadlines counted in working days on the sample: off by default, the shift of a due date off
a day off, N working days after the cut-off, and the replay of a day before a change of the
holiday table (fixed dates)."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from app.db import Database
from app.errors import ValidationError
from app.models import Obligation
from app.services import dashboard, warning_list
from app.services.calendar_days import (
    CalendarDayInput,
    add_calendar_day,
    list_calendar_days,
    load_calendar_history,
    withdraw_calendar_day,
)
from app.services.directives import (
    TaskInput,
    get_directive,
    list_directives,
    update_task,
)
from app.services.obligations import list_obligations, query_obligations, status_expression
from app.services.submissions import SubmissionInput, record_submission
from app.status import Status, status_on
from app.workdays import effective_due
from tests.helpers import edit_directive

D = dt.date
TODAY = D(2018, 5, 2)


def _directive(db: Database):
    (directive,) = list_directives(db)
    return directive


def _turn_shift(db: Database, on: bool) -> None:
    d = _directive(db)
    edit_directive(db, d.id, shift_due=on)


def _statuses(db: Database, day: D) -> dict[int, Status]:
    return {r.id: r.status for r in list_obligations(db, day)}


def test_off_by_default_nothing_changes(sample_db: Database) -> None:
    assert not _directive(sample_db).shift_due
    before = {day: _statuses(sample_db, day) for day in (D(2018, 4, 30), D(2018, 5, 1))}
    add_calendar_day(
        sample_db, CalendarDayInput(D(2018, 6, 20), False, "Nghỉ thử"), today=D(2018, 4, 20)
    )
    assert {day: _statuses(sample_db, day) for day in before} == before
    plan = list_obligations(sample_db, D(2018, 5, 1), task_id=_directive(sample_db).tasks[0].id)
    assert all(r.due_date == D(2018, 4, 30) and r.nominal_due is None for r in plan)
    assert all(r.status is Status.OVERDUE for r in plan)


def test_shift_moves_30_april_to_2_may(sample_db: Database) -> None:
    _turn_shift(sample_db, True)
    assert get_directive(sample_db, _directive(sample_db).id).shift_due
    plan_task = _directive(sample_db).tasks[0]
    rows = list_obligations(sample_db, D(2018, 5, 1), task_id=plan_task.id)
    assert len(rows) == 14
    for r in rows:
        assert r.due_date == D(2018, 5, 2) and r.nominal_due == D(2018, 4, 30)
        assert r.status is Status.DUE_SOON  # 30/04 and 01/05 are holidays: not overdue yet
        assert r.due_text == "02/05/2018 (theo văn bản 30/04/2018)"
    assert {r.status for r in list_obligations(sample_db, D(2018, 5, 3), task_id=plan_task.id)} == {
        Status.OVERDUE
    }
    # a plan received on 02/05 is on time
    record_submission(
        sample_db,
        SubmissionInput(
            obligation_id=rows[0].id,
            number_symbol="1/KH-UBND",
            signed_date=D(2018, 5, 2),
            received_date=D(2018, 5, 2),
        ),
        today=TODAY,
    )
    (row,) = list_obligations(sample_db, D(2018, 5, 3), obligation_ids=[rows[0].id])
    assert row.status is Status.DONE_ON_TIME
    # turned off again: back to the letter's date
    _turn_shift(sample_db, False)
    (row,) = list_obligations(sample_db, D(2018, 5, 3), obligation_ids=[rows[0].id])
    assert row.status is Status.DONE_LATE and row.nominal_due is None


def test_working_day_rule_for_a_periodic_task(sample_db: Database) -> None:
    half = _directive(sample_db).tasks[1]
    update_task(
        sample_db,
        half.id,
        TaskInput(
            title=half.title,
            kind=half.kind,
            description=half.description,
            period_kind=half.period_kind,
            start_date=half.start_date,
            end_date=half.end_date,
            unit_kinds=half.unit_kinds,
            due_working_days=5,
        ),
    )
    rows = list_obligations(sample_db, D(2018, 6, 1), task_id=half.id)
    # H1 2018 cut-off 14/06 (Thursday): 15, 18, 19, 20, 21 June
    assert {r.due_date for r in rows} == {D(2018, 6, 21)}
    assert all(r.nominal_due is None for r in rows)
    assert "5 ngày làm việc" in _directive(sample_db).tasks[1].schedule_label
    with pytest.raises(ValidationError):
        update_task(
            sample_db,
            half.id,
            TaskInput(
                title=half.title,
                kind=half.kind,
                period_kind=half.period_kind,
                unit_kinds=half.unit_kinds,
                due_working_days=0,
            ),
        )


def test_replay_of_a_day_before_a_change_of_the_table(sample_db: Database) -> None:
    """20/06/2018 declared a day off on 25/06 (after the fact): from 25/06 on the half-year
    report is due 21/06; replayed on any day before 25/06 it was due 20/06."""
    _turn_shift(sample_db, True)
    half = _directive(sample_db).tasks[1]
    rows = list_obligations(sample_db, D(2018, 6, 1), task_id=half.id)
    late_one = rows[0]
    record_submission(
        sample_db,
        SubmissionInput(
            obligation_id=late_one.id,
            number_symbol="5/BC",
            signed_date=D(2018, 6, 21),
            received_date=D(2018, 6, 21),
        ),
        today=D(2018, 6, 21),
    )
    before = {
        day: _statuses(sample_db, day) for day in (D(2018, 6, 20), D(2018, 6, 21), D(2018, 6, 24))
    }
    assert before[D(2018, 6, 21)][late_one.id] is Status.DONE_LATE
    change = add_calendar_day(
        sample_db, CalendarDayInput(D(2018, 6, 20), False, "Nghỉ bão"), today=D(2018, 6, 25)
    )
    assert change.obligations_changed == len(rows)
    # days before the change: exactly as they were
    assert {day: _statuses(sample_db, day) for day in before} == before
    (old,) = list_obligations(sample_db, D(2018, 6, 24), obligation_ids=[late_one.id])
    assert old.due_date == D(2018, 6, 20) and old.nominal_due is None
    # from the change on: the new date
    (new,) = list_obligations(sample_db, D(2018, 6, 25), obligation_ids=[late_one.id])
    assert new.due_date == D(2018, 6, 21) and new.nominal_due == D(2018, 6, 20)
    assert new.status is Status.DONE_ON_TIME

    # the completeness matrix too, with the letter's date beside a shifted one
    def cell(day: D):  # type: ignore[no-untyped-def]
        matrix = dashboard.completeness_matrix(sample_db, half.id, day)
        return next(
            c for line in matrix.cells for c in line if c is not None and c.id == late_one.id
        )

    assert (cell(D(2018, 6, 24)).due_date, cell(D(2018, 6, 24)).nominal_due) == (
        D(2018, 6, 20),
        None,
    )
    assert (cell(D(2018, 6, 25)).due_date, cell(D(2018, 6, 25)).nominal_due) == (
        D(2018, 6, 21),
        D(2018, 6, 20),
    )
    # withdrawn on 28/06: back to 20/06 from then on, history kept
    withdraw_calendar_day(sample_db, change.entry.id, today=D(2018, 6, 28))
    assert _statuses(sample_db, D(2018, 6, 26))[late_one.id] is Status.DONE_ON_TIME
    assert _statuses(sample_db, D(2018, 6, 28))[late_one.id] is Status.DONE_LATE
    assert {day: _statuses(sample_db, day) for day in before} == before
    assert list_calendar_days(sample_db) == []
    (line,) = list_calendar_days(sample_db, include_withdrawn=True)
    assert line.removed_on == D(2018, 6, 28) and line.known_from == D(2018, 6, 25)
    # the overview and the warnings count with the date of the day asked
    summary = dashboard.overview(sample_db, D(2018, 6, 24))
    assert summary.counts == dashboard.StatusCounts.from_mapping(
        Counter(before[D(2018, 6, 24)].values())
    )


def test_same_line_twice_is_refused(sample_db: Database) -> None:
    add_calendar_day(
        sample_db, CalendarDayInput(D(2018, 9, 6), True, "Làm bù"), today=D(2018, 8, 1)
    )
    with pytest.raises(ValidationError):
        add_calendar_day(
            sample_db, CalendarDayInput(D(2018, 9, 6), True, "Làm bù"), today=D(2018, 8, 2)
        )
    with pytest.raises(ValidationError):  # a weekday worked needs a reason
        add_calendar_day(sample_db, CalendarDayInput(D(2018, 9, 5), True, ""), today=D(2018, 8, 2))


@pytest.fixture
def changing_db(sample_db: Database) -> Database:
    """The sample with the shift on and the holiday table changed several times."""
    _turn_shift(sample_db, True)
    half = _directive(sample_db).tasks[1]
    rows = list_obligations(sample_db, D(2018, 6, 1), task_id=half.id)
    for n, row in enumerate(rows[:8]):
        received = D(2018, 6, 18) + dt.timedelta(days=n)
        record_submission(
            sample_db,
            SubmissionInput(
                obligation_id=row.id,
                number_symbol=f"{n}/BC",
                signed_date=received,
                received_date=received,
            ),
            today=received,
        )
    first = add_calendar_day(
        sample_db, CalendarDayInput(D(2018, 6, 20), False, "Nghỉ"), today=D(2018, 6, 10)
    )
    add_calendar_day(
        sample_db, CalendarDayInput(D(2018, 6, 21), False, "Nghỉ"), today=D(2018, 6, 19)
    )
    withdraw_calendar_day(sample_db, first.entry.id, today=D(2018, 6, 22))
    add_calendar_day(
        sample_db, CalendarDayInput(D(2018, 12, 20), False, "Nghỉ"), today=D(2018, 12, 1)
    )
    return sample_db


@settings(
    max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None
)
@given(day=st.dates(D(2018, 4, 1), D(2019, 1, 31)), window=st.integers(0, 20))
def test_sql_status_agrees_with_python_rules_with_a_changing_table(changing_db, day, window):
    from app.services.obligations import task_occurrences

    with changing_db.read() as session:
        history = load_calendar_history(session)
        directive = _directive(changing_db)
        expected_due: dict[tuple[int, str], dt.date] = {}
        from app.models import Task

        for task in session.scalars(select(Task)):
            for o in task_occurrences(task, directive.signed_date, 20, history, True):
                expected_due[(task.id, o.key)] = o.effective.on(day)
        stmt = select(Obligation, status_expression(day, window))
        for obligation, sql_status in session.execute(stmt):
            due = expected_due[(obligation.task_id, obligation.period_key)]
            expected = status_on(
                day,
                due,
                obligation.first_received,
                exempt=bool(obligation.exempt_reason or obligation.waived),
                window_days=window,
            )
            assert Status(sql_status) is expected
        rows = query_obligations(session, day, window_days=window)
        assert all(r.due_date == expected_due[(r.task_id, r.period_key)] for r in rows)
        for status in Status:
            chosen = query_obligations(session, day, window_days=window, statuses=[status])
            assert {r.id for r in chosen} == {r.id for r in rows if r.status is status}
    flt = warning_list.WarningFilter(day=day, window_days=window)
    totals = warning_list.warning_totals(changing_db, flt)
    assert totals.overdue == sum(r.status is Status.OVERDUE for r in rows)


def test_effective_due_history_is_stored_once_per_change(changing_db: Database) -> None:
    from app.models import ObligationDueChange

    with changing_db.read() as session:
        changes = session.execute(
            select(ObligationDueChange.changed_on, ObligationDueChange.previous_due)
        ).all()
        history = load_calendar_history(session)
    assert {c for c, _ in changes} <= set(history.change_days)
    from app.workdays import DueRule

    result = effective_due(DueRule(nominal=D(2018, 6, 20), shift=True), history)
    assert [(c, p) for c, p in result.changes] == [
        (D(2018, 6, 10), D(2018, 6, 20)),
        (D(2018, 6, 19), D(2018, 6, 21)),
        (D(2018, 6, 22), D(2018, 6, 22)),
    ]
