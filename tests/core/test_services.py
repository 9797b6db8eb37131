import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from app.errors import Conflict, NotFound, ValidationError
from app.models import Obligation, Submission, TaskKind, UnitKind
from app.schedule import PeriodKind
from app.services import audit, directives, obligations, submissions, units
from app.services.obligations import list_obligations, query_obligations, status_expression
from app.status import Status, status_on

D = dt.date
TODAY = D(2018, 12, 31)


def _make_directive(db, day=D(2018, 4, 18)):
    return directives.create_directive(
        db,
        directives.DirectiveInput(
            number_symbol="10/KH-UBND", signed_date=day, issuer="UBND tỉnh", subject="Thử nghiệm"
        ),
    )


def test_sample_has_units_directive_and_obligations(sample_db):
    all_units = units.list_units(sample_db)
    kinds = [u.kind for u in all_units]
    assert kinds.count(UnitKind.DISTRICT) == 14
    assert kinds.count(UnitKind.DEPARTMENT) == 20
    (directive,) = directives.list_directives(sample_db)
    assert directive.number_symbol == "2116/UBND-NC"
    assert [t.kind for t in directive.tasks] == [
        TaskKind.ONE_OFF,
        TaskKind.PERIODIC,
        TaskKind.PERIODIC,
    ]
    plan, half, year = directive.tasks
    assert plan.obligation_count == 14
    assert half.obligation_count == 34 and year.obligation_count == 34
    assert half.period_kind is PeriodKind.HALF_YEAR


def test_find_unit_is_accent_insensitive_and_reports_ambiguity(sample_db):
    with sample_db.read() as session:
        assert units.find_unit(session, "son tinh").name == "UBND huyện Sơn Tịnh"
        assert units.find_unit(session, "TP Quang Ngai").short_name == "TP Quảng Ngãi"
        with pytest.raises(NotFound) as err:
            units.find_unit(session, "son")
        assert "Sơn Hà" in err.value.message and len(err.value.candidates) >= 3
        with pytest.raises(NotFound):
            units.find_unit(session, "Hà Nội")


def test_unit_validation_messages_are_per_field(db):
    with pytest.raises(ValidationError) as err:
        units.create_unit(
            db,
            units.UnitInput(
                name="  ",
                kind="huyen",
                email="abc",
                valid_from=D(2020, 1, 1),
                valid_to=D(2019, 1, 1),
            ),
        )
    assert set(err.value.errors) == {"name", "email", "valid_to"}
    assert units.list_units(db) == []


def test_unit_with_history_cannot_be_deleted(sample_db):
    with sample_db.read() as session:
        unit = units.find_unit(session, "Lý Sơn")
    with pytest.raises(Conflict) as err:
        units.delete_unit(sample_db, unit.id)
    assert "Ngừng theo dõi" in err.value.message
    fresh = units.create_unit(sample_db, units.UnitInput(name="UBND xã Thử", kind="xa"))
    units.delete_unit(sample_db, fresh.id)
    assert all(u.id != fresh.id for u in units.list_units(sample_db))


def test_task_sync_adds_removes_and_keeps_answered(db):
    a = units.create_unit(db, units.UnitInput(name="UBND huyện A", kind="huyen"))
    b = units.create_unit(db, units.UnitInput(name="UBND huyện B", kind="huyen"))
    units.create_unit(db, units.UnitInput(name="Sở C", kind="so_nganh"))
    d = _make_directive(db)
    task, result = directives.add_task(
        db,
        d.id,
        directives.TaskInput(
            title="Báo cáo quý",
            kind="periodic",
            period_kind="quarter",
            start_date=D(2018, 4, 18),
            end_date=D(2018, 12, 31),
            unit_kinds=["huyen"],
        ),
    )
    assert result.added == 2 * 3  # Q2, Q3, Q4 for two districts
    rows = list_obligations(db, D(2018, 7, 1), task_id=task.id, unit_id=a.id)
    q2 = next(r for r in rows if r.period_key == "2018-Q2")
    submissions.record_submission(
        db,
        submissions.SubmissionInput(
            obligation_id=q2.id,
            number_symbol="5/BC-UBND",
            signed_date=D(2018, 6, 18),
            received_date=D(2018, 6, 19),
        ),
        today=TODAY,
    )
    # Narrow the task to unit B only: A's answered Q2 stays (out of scope), others go.
    task2, result = directives.update_task(
        db,
        task.id,
        directives.TaskInput(
            title="Báo cáo quý",
            kind="periodic",
            period_kind="quarter",
            start_date=D(2018, 4, 18),
            end_date=D(2018, 12, 31),
            unit_ids=[b.id],
        ),
    )
    assert result.removed == 2 and result.kept_with_submissions == 1 and result.added == 0
    assert "Giữ lại 1" in result.describe()
    kept = list_obligations(db, D(2018, 7, 1), task_id=task.id, unit_id=a.id)
    assert [r.status for r in kept] == [Status.EXEMPT]
    assert task2.unit_ids == (b.id,)
    # history recorded with before/after
    entries = audit.history(db, "task", task.id)
    assert entries[0].action == "update"
    assert ("unit_kinds", ["huyen"], []) in entries[0].changes()


def test_several_submissions_count_once_first_decides(sample_db):
    with sample_db.read() as session:
        obligation = submissions.resolve_obligation(
            session, unit="Ba Tơ", directive="2116/UBND-NC", task="kế hoạch", period=None
        )
    first = submissions.record_submission(
        sample_db,
        submissions.SubmissionInput(
            obligation_id=obligation.id,
            number_symbol="12/KH-UBND",
            signed_date=D(2018, 5, 2),
            received_date=D(2018, 5, 3),
        ),
        today=TODAY,
    )
    submissions.record_submission(
        sample_db,
        submissions.SubmissionInput(
            obligation_id=obligation.id,
            number_symbol="13/KH-UBND",
            signed_date=D(2018, 4, 20),
            received_date=D(2018, 4, 25),
            summary="Bản gửi sớm hơn qua thư điện tử",
        ),
        today=TODAY,
    )
    (row,) = list_obligations(sample_db, D(2018, 6, 1), obligation_ids=[obligation.id])
    assert row.status is Status.DONE_ON_TIME  # the earliest received (25/04) decides
    assert row.submission_count == 2
    (row,) = list_obligations(sample_db, D(2018, 4, 30), obligation_ids=[obligation.id])
    assert row.submission_count == 1  # only what was received by then
    listed = submissions.list_for_obligation(sample_db, obligation.id)
    assert [s.counts for s in listed] == [True, False]
    deleted = submissions.delete_submission(sample_db, listed[0].id)
    (row,) = list_obligations(sample_db, D(2018, 6, 1), obligation_ids=[obligation.id])
    assert row.status is Status.DONE_LATE and row.first_received == D(2018, 5, 3)
    submissions.restore_submission(sample_db, deleted)
    (row,) = list_obligations(sample_db, D(2018, 6, 1), obligation_ids=[obligation.id])
    assert row.status is Status.DONE_ON_TIME
    assert first.id in {s.id for s in submissions.list_for_obligation(sample_db, obligation.id)}


def test_submission_validation(sample_db):
    with sample_db.read() as session:
        obligation = submissions.resolve_obligation(
            session, unit="Lý Sơn", directive="2116", task="kế hoạch", period=None
        )
    base = dict(obligation_id=obligation.id, number_symbol="7/KH-UBND")
    with pytest.raises(ValidationError) as err:
        submissions.record_submission(
            sample_db,
            submissions.SubmissionInput(
                **base, signed_date=D(2018, 4, 28), received_date=D(2018, 4, 27)
            ),
            today=TODAY,
        )
    assert "trước ngày ký" in err.value.errors["received_date"]
    with pytest.raises(ValidationError) as err:
        submissions.record_submission(
            sample_db,
            submissions.SubmissionInput(
                **base, signed_date=D(2018, 4, 28), received_date=D(2019, 1, 2)
            ),
            today=TODAY,
        )
    assert "tương lai" in err.value.errors["received_date"]
    submissions.record_submission(
        sample_db,
        submissions.SubmissionInput(
            **base, signed_date=D(2018, 4, 28), received_date=D(2018, 4, 29)
        ),
        today=TODAY,
    )
    with pytest.raises(ValidationError) as err:  # same unit, same year, same number
        submissions.record_submission(
            sample_db,
            submissions.SubmissionInput(
                obligation_id=obligation.id,
                number_symbol="07/kh-ubnd",
                signed_date=D(2018, 5, 1),
                received_date=D(2018, 5, 1),
            ),
            today=TODAY,
        )
    assert "đã có văn bản số" in err.value.errors["number_symbol"]
    with sample_db.read() as session:
        assert session.scalar(select(func.count()).select_from(Submission)) == 1


def test_unit_validity_makes_obligations_exempt(db):
    d = _make_directive(db, D(2019, 3, 1))
    old = units.create_unit(db, units.UnitInput(name="UBND huyện Tây Trà", kind="huyen"))
    new = units.create_unit(db, units.UnitInput(name="UBND huyện Trà Bồng", kind="huyen"))
    later = units.create_unit(
        db, units.UnitInput(name="UBND thị xã Mới", kind="huyen", valid_from=D(2019, 7, 1))
    )
    task, _ = directives.add_task(
        db,
        d.id,
        directives.TaskInput(
            title="Báo cáo 6 tháng",
            kind="periodic",
            period_kind="half",
            start_date=D(2019, 1, 1),
            end_date=D(2020, 12, 31),
            unit_kinds=["huyen"],
        ),
    )
    units.record_merger(db, old.id, new.id, D(2020, 2, 1))
    rows = list_obligations(db, D(2021, 1, 1), task_id=task.id)
    by = {(r.unit_id, r.period_key): r.status for r in rows}
    assert by[(old.id, "2019-H2")] is Status.OVERDUE
    assert by[(old.id, "2020-H1")] is Status.EXEMPT
    assert by[(later.id, "2019-H1")] is Status.EXEMPT
    assert by[(later.id, "2019-H2")] is Status.OVERDUE
    assert by[(new.id, "2020-H2")] is Status.OVERDUE
    merged = units.get_unit(db, old.id)
    assert merged.successor_id == new.id and merged.valid_to == D(2020, 1, 31)
    assert not merged.active


def test_waived_obligation_is_exempt(sample_db):
    rows = list_obligations(sample_db, D(2018, 5, 2), statuses=[Status.OVERDUE])
    obligations.set_waived(sample_db, rows[0].id, True, "Đơn vị đã báo cáo chung")
    after = list_obligations(sample_db, D(2018, 5, 2), statuses=[Status.OVERDUE])
    assert len(after) == len(rows) - 1
    (row,) = list_obligations(sample_db, D(2018, 5, 2), obligation_ids=[rows[0].id])
    assert row.status is Status.EXEMPT and row.exempt_reason


@settings(
    max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None
)
@given(day=st.dates(D(2018, 1, 1), D(2019, 6, 30)), window=st.integers(0, 30))
def test_sql_status_agrees_with_python_rules(sample_db, day, window):
    with sample_db.read() as session:
        stmt = select(Obligation, status_expression(day, window))
        seen = 0
        for obligation, sql_status in session.execute(stmt):
            expected = status_on(
                day,
                obligation.due_date,
                obligation.first_received,
                exempt=bool(obligation.exempt_reason or obligation.waived),
                window_days=window,
            )
            assert Status(sql_status) is expected
            seen += 1
        assert seen == 82
        # and the indexed status filter selects exactly the same rows
        for status in Status:
            rows = query_obligations(session, day, window_days=window, statuses=[status])
            assert all(r.status is status for r in rows)
        total = sum(
            len(query_obligations(session, day, window_days=window, statuses=[s])) for s in Status
        )
        assert total == 82


def test_directive_validation_and_duplicates(db):
    with pytest.raises(ValidationError) as err:
        directives.create_directive(
            db, directives.DirectiveInput(number_symbol="", signed_date=None, subject="")
        )
    assert set(err.value.errors) == {"number_symbol", "signed_date", "subject"}
    _make_directive(db)
    with pytest.raises(ValidationError):
        _make_directive(db, D(2018, 9, 1))  # same number in the same year
    _make_directive(db, D(2019, 1, 5))  # numbers restart each year
