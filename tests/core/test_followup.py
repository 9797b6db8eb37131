"""The follow-up rhythm on the sample directive, replayed day by day from 01/05/2018 to
31/12/2018 with fixed dates; today's panel, units that have not answered, and the response
times of reminders."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.db import Database
from app.errors import ValidationError
from app.models import UnitKind
from app.services.directives import list_directives
from app.services.followup import (
    FollowupPlan,
    RoundKind,
    get_plan,
    response_stats,
    rounds_on,
    save_plan,
    today_plan,
    unanswered,
)
from app.services.issued_documents import IssuedInput, record_issued
from app.services.obligations import list_obligations
from app.services.submissions import SubmissionInput, record_submission

D = dt.date


def _receive(db: Database, rows, day: D) -> None:
    for row in rows:
        record_submission(
            db,
            SubmissionInput(
                obligation_id=row.id,
                number_symbol=f"{row.id}/BC",
                signed_date=day,
                received_date=day,
            ),
            today=day,
        )


@pytest.fixture
def followed(sample_db: Database) -> Database:
    """Answers arriving around the rounds: 5 plans before the due date, 3 the day after the
    first reminder, 2 after the second; 20 half-year reports before their due date, 8 after the
    first reminder, 3 after the second; no year report."""
    (directive,) = list_directives(sample_db)
    plan, half, _year = directive.tasks
    plans = list_obligations(sample_db, D(2018, 4, 20), task_id=plan.id)
    _receive(sample_db, plans[:5], D(2018, 4, 27))
    _receive(sample_db, plans[5:8], D(2018, 5, 3))
    _receive(sample_db, plans[8:10], D(2018, 5, 10))
    halves = [
        r
        for r in list_obligations(sample_db, D(2018, 6, 1), task_id=half.id)
        if r.unit_name != "Sở Nội vụ"
    ]
    assert len(halves) == 33
    _receive(sample_db, halves[:20], D(2018, 6, 19))
    _receive(sample_db, halves[20:28], D(2018, 6, 25))
    _receive(sample_db, halves[28:31], D(2018, 7, 2))
    return sample_db


EXPECTED = [
    # (day, round, task, period, units)
    (D(2018, 5, 2), RoundKind.FIRST, "Xây dựng kế hoạch", "-", 9),  # 30/04, 01/05 holidays
    (D(2018, 5, 9), RoundKind.SECOND, "Xây dựng kế hoạch", "-", 6),
    (D(2018, 5, 16), RoundKind.ESCALATE, "Xây dựng kế hoạch", "-", 4),
    (D(2018, 6, 15), RoundKind.NOTICE, "Báo cáo định kỳ 6 tháng", "2018-H1", 33),
    (D(2018, 6, 21), RoundKind.FIRST, "Báo cáo định kỳ 6 tháng", "2018-H1", 13),
    (D(2018, 6, 28), RoundKind.SECOND, "Báo cáo định kỳ 6 tháng", "2018-H1", 5),
    (D(2018, 7, 5), RoundKind.ESCALATE, "Báo cáo định kỳ 6 tháng", "2018-H1", 2),
    (D(2018, 12, 17), RoundKind.NOTICE, "Báo cáo định kỳ năm", "2018-Y", 33),
    (D(2018, 12, 21), RoundKind.FIRST, "Báo cáo định kỳ năm", "2018-Y", 33),
    (D(2018, 12, 28), RoundKind.SECOND, "Báo cáo định kỳ năm", "2018-Y", 33),
    # the year's escalation falls on 07/01/2019: 31/12 and 01/01 are days off
]


def test_rhythm_day_by_day_from_may_to_december(followed: Database) -> None:
    seen = []
    day = D(2018, 5, 1)
    while day <= D(2018, 12, 31):
        for r in rounds_on(followed, day):
            assert r.day == day
            seen.append((r.day, r.kind, r.task_title, r.period_key, len(r.units)))
        day += dt.timedelta(days=1)
    got = [(d, k, t[: len(e[2])], p, n) for (d, k, t, p, n), e in zip(seen, EXPECTED, strict=False)]
    assert got == EXPECTED and len(seen) == len(EXPECTED)
    # each round's prepared letter names every unit of the round
    from app.documents.common import DocumentKind, DocumentOptions
    from app.documents.generate import content
    from app.exchange.reminder_mail import notice_drafts

    (directive,) = list_directives(followed)
    for day, kind, _task, _period, _n in EXPECTED:
        (r,) = [x for x in rounds_on(followed, day) if x.kind is kind]
        names = {name for _, name in r.units}
        if kind is RoundKind.NOTICE:
            drafts = notice_drafts(
                followed,
                [u for u, _ in r.units],
                what=r.what,
                directive_symbol=r.directive_symbol,
                due=r.due_date,
            )
            assert {d.unit_name for d in drafts} == names
            assert all(r.due_date.strftime("%d/%m/%Y") in d.message["Subject"] for d in drafts)
            continue
        doc_kind = DocumentKind.ESCALATION if kind is RoundKind.ESCALATE else DocumentKind.REMINDER
        document, _data = content(
            followed, DocumentOptions(kind=doc_kind, as_of=day, directive_id=directive.id)
        )
        text = " ".join(document.plain_text().split())
        assert all(name in text for name in names), (day, kind)
        assert r.task_title in text
    escalation = rounds_on(followed, D(2019, 1, 7))
    assert [(r.kind, r.period_key) for r in escalation] == [(RoundKind.ESCALATE, "2018-Y")]
    # the units of a round are those still owing on its day, Sở Nội vụ never among them
    # (Sở Nội vụ has not sent its own half-year report, yet is never reminded by itself)
    (first,) = rounds_on(followed, D(2018, 6, 21))
    assert all(name != "Sở Nội vụ" for _, name in first.units)
    own = [
        r
        for r in list_obligations(followed, D(2018, 6, 21), period_key="2018-H1")
        if r.unit_name == "Sở Nội vụ"
    ]
    assert own and own[0].first_received is None


def test_an_edited_plan_moves_the_rounds(followed: Database) -> None:
    (directive,) = list_directives(followed)
    save_plan(
        followed,
        directive.id,
        FollowupPlan(notice_days=5, second_after_days=3, escalate_after_days=10),
    )
    assert get_plan(followed, directive.id).second_after_days == 3
    kinds = {r.kind for r in rounds_on(followed, D(2018, 5, 7))}  # 02/05 + 3 working days
    assert kinds == {RoundKind.SECOND}
    assert {r.kind for r in rounds_on(followed, D(2018, 6, 13))} == {RoundKind.NOTICE}
    save_plan(followed, directive.id, FollowupPlan(enabled=False))
    assert rounds_on(followed, D(2018, 5, 2)) == []
    with pytest.raises(ValidationError):
        save_plan(followed, directive.id, FollowupPlan(second_after_days=0))


def test_today_panel_and_units_that_have_not_answered(followed: Database) -> None:
    (directive,) = list_directives(followed)
    plan = today_plan(followed, D(2018, 5, 2))
    assert [r.kind for r in plan.rounds] == [RoundKind.FIRST] and not plan.unanswered
    # the first reminder is issued on 02/05 to the 9 late districts
    (first,) = plan.rounds
    record_issued(
        followed,
        IssuedInput(
            kind="reminder",
            as_of=D(2018, 5, 2),
            directive_id=directive.id,
            issued_date=D(2018, 5, 2),
            unit_ids=tuple(u for u, _ in first.units),
            follow_up_round=1,
        ),
    )
    later = today_plan(followed, D(2018, 5, 4))
    assert later.rounds == () and later.pending == ()  # done on its day
    waiting = unanswered(followed, D(2018, 5, 4))
    assert len(waiting) == 6 and all(u.reminders == 1 and u.owed == 1 for u in waiting)
    assert "đã đôn đốc 1 lần, lần cuối ngày 02/05/2018" in waiting[0].text
    # the second round was not issued: still to do on 11/05
    late = today_plan(followed, D(2018, 5, 11))
    assert [r.kind for r in late.pending] == [RoundKind.SECOND]
    # response times: 3 plans came the day after the reminder, 2 eight days after
    stats = response_stats(followed, D(2018, 5, 31))
    assert stats.by_round == ((1, 1.0, 5),)  # median of 1, 1, 1, 8, 8
    assert stats.by_kind == ((UnitKind.DISTRICT, 1.0, 5),)
    assert stats.still_open == 4


def test_escalation_draft_is_sent_by_the_provincial_office(followed: Database, tmp_path) -> None:
    import pypdf

    from app.documents.common import DocumentKind, DocumentOptions
    from app.documents.generate import build

    (directive,) = list_directives(followed)
    for day in (D(2018, 5, 2), D(2018, 5, 9)):
        record_issued(
            followed,
            IssuedInput(
                kind="reminder",
                as_of=day,
                directive_id=directive.id,
                issued_date=day,
                unit_ids=tuple(u for u, _ in rounds_on(followed, day)[0].units),
                follow_up_round=1 if day.day == 2 else 2,
            ),
        )
    (escalation,) = rounds_on(followed, D(2018, 5, 16))
    path = tmp_path / "du-thao.pdf"
    build(
        followed,
        DocumentOptions(
            kind=DocumentKind.ESCALATION, as_of=escalation.day, directive_id=directive.id
        ),
        path,
    )
    text = " ".join((page.extract_text() or "") for page in pypdf.PdfReader(path).pages)
    text = " ".join(text.split())
    assert "VĂN PHÒNG UBND TỈNH" in text and "/VP-NC" in text
    assert "TL. CHỦ TỊCH" in text and "CHÁNH VĂN PHÒNG" in text
    assert "đôn đốc 2 lần (ngày 02/05/2018, 09/05/2018)" in text
    assert "Chủ tịch UBND tỉnh yêu cầu" in text
    assert len(escalation.units) == 4


def test_escalation_draft_as_word(followed: Database, tmp_path) -> None:
    import docx

    from app.documents.common import DocumentKind, DocumentOptions
    from app.documents.generate import build

    (directive,) = list_directives(followed)
    path = tmp_path / "du-thao.docx"
    build(
        followed,
        DocumentOptions(
            kind=DocumentKind.ESCALATION, as_of=D(2018, 5, 16), directive_id=directive.id
        ),
        path,
    )
    document = docx.Document(str(path))
    text = "\n".join(p.text for p in document.paragraphs)
    for table in document.tables:
        text += "\n" + "\n".join(c.text for row in table.rows for c in row.cells)
    assert "VĂN PHÒNG UBND TỈNH" in text.upper() and "Chủ tịch UBND tỉnh yêu cầu" in text


def test_rounds_follow_the_holiday_table_as_known_on_the_day(followed: Database) -> None:
    from app.services.calendar_days import CalendarDayInput, add_calendar_day

    assert [r.kind for r in rounds_on(followed, D(2018, 5, 9))] == [RoundKind.SECOND]
    # 03/05/2018 declared a day off, entered on 04/05: the second round moves to 10/05
    add_calendar_day(
        followed, CalendarDayInput(D(2018, 5, 3), False, "Nghỉ đột xuất"), today=D(2018, 5, 4)
    )
    assert rounds_on(followed, D(2018, 5, 9)) == []
    assert [r.kind for r in rounds_on(followed, D(2018, 5, 10))] == [RoundKind.SECOND]
    # the first round, on 02/05, is replayed as it was
    assert [r.kind for r in rounds_on(followed, D(2018, 5, 2))] == [RoundKind.FIRST]


@settings(max_examples=200, deadline=None)
@given(
    due=st.dates(D(2017, 1, 1), D(2030, 12, 31)),
    notice=st.integers(0, 10),
    first=st.integers(1, 10),
    second=st.integers(1, 15),
    escalate=st.integers(1, 15),
)
def test_rounds_are_working_days_in_order(due, notice, first, second, escalate) -> None:
    from app.services.followup import round_days
    from app.workdays import WorkCalendar

    calendar = WorkCalendar()
    plan = FollowupPlan(
        notice_days=notice,
        first_after_days=first,
        second_after_days=second,
        escalate_after_days=escalate,
    )
    days = round_days(plan, due, calendar)
    assert (
        days[RoundKind.NOTICE]
        <= due
        < days[RoundKind.FIRST]
        < days[RoundKind.SECOND]
        < days[RoundKind.ESCALATE]
    )
    for kind in (RoundKind.FIRST, RoundKind.SECOND, RoundKind.ESCALATE):
        assert calendar.is_working_day(days[kind])
    if notice:
        assert calendar.is_working_day(days[RoundKind.NOTICE])
        assert calendar.working_days_between(days[RoundKind.NOTICE], due) in (notice, notice - 1)
    assert calendar.working_days_between(due, days[RoundKind.FIRST]) == first
    assert calendar.working_days_between(days[RoundKind.FIRST], days[RoundKind.SECOND]) == second
