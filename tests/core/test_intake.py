"""The plans/reports registers: one row per bound unit, several documents counted once."""

from __future__ import annotations

import datetime as dt

from app.models import TaskKind
from app.services.directives import list_directives
from app.services.intake import count_overdue, current_period, intake_rows, task_periods
from app.services.submissions import SubmissionInput, record_submission
from app.status import Status

DAY = dt.date(2018, 5, 2)


def _tasks(db):
    directive = list_directives(db)[0]
    one_off = next(t for t in directive.tasks if t.kind is TaskKind.ONE_OFF)
    periodic = next(t for t in directive.tasks if t.kind is TaskKind.PERIODIC)
    return one_off, periodic


def test_rows_show_first_document_seen_on_the_day(sample_db) -> None:
    one_off, _ = _tasks(sample_db)
    rows = intake_rows(sample_db, DAY, task_id=one_off.id)
    assert len(rows) == one_off.obligation_count
    target = rows[0]
    first = record_submission(
        sample_db,
        SubmissionInput(target.id, "45/KH-UBND", dt.date(2018, 4, 25), dt.date(2018, 4, 27)),
        today=DAY,
    )
    record_submission(
        sample_db,
        SubmissionInput(target.id, "46/KH-UBND", dt.date(2018, 4, 28), dt.date(2018, 5, 1)),
        today=DAY,
    )
    row = next(r for r in intake_rows(sample_db, DAY, task_id=one_off.id) if r.id == target.id)
    assert row.submission_id == first.id
    assert row.number_symbol == "45/KH-UBND"
    assert row.documents == 2
    assert row.status is Status.DONE_ON_TIME
    earlier = next(
        r
        for r in intake_rows(sample_db, dt.date(2018, 4, 26), task_id=one_off.id)
        if r.id == target.id
    )
    assert earlier.submission_id is None and earlier.documents == 0


def test_periods_and_overdue_count(sample_db) -> None:
    one_off, periodic = _tasks(sample_db)
    periods = task_periods(sample_db, periodic.id)
    assert [p.label for p in periods] == ["6 tháng đầu năm 2018"]
    assert current_period(periods, DAY) == periods[0]
    rows = intake_rows(sample_db, DAY, task_id=periodic.id, period_key=periods[0].key)
    assert len(rows) == periodic.obligation_count
    overdue = count_overdue(sample_db, DAY, TaskKind.ONE_OFF)
    assert overdue == sum(
        1 for r in intake_rows(sample_db, DAY, task_id=one_off.id) if r.status is Status.OVERDUE
    )
    assert overdue > 0


def test_obligation_history_keeps_deleted_documents(sample_db) -> None:
    from app.services.intake import obligation_history
    from app.services.submissions import delete_submission

    one_off, _ = _tasks(sample_db)
    rows = intake_rows(sample_db, DAY, task_id=one_off.id)
    target, other = rows[0], rows[1]
    sub = record_submission(
        sample_db,
        SubmissionInput(target.id, "45/KH-UBND", dt.date(2018, 4, 25), dt.date(2018, 4, 27)),
        today=DAY,
    )
    record_submission(
        sample_db,
        SubmissionInput(other.id, "46/KH-UBND", dt.date(2018, 4, 25), dt.date(2018, 4, 27)),
        today=DAY,
    )
    delete_submission(sample_db, sub.id)
    entries = obligation_history(sample_db, target.id)
    assert [e.action for e in entries] == ["delete", "create"]
    assert all(e.entity_id == sub.id for e in entries)
