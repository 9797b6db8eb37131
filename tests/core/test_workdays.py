"""Working days around Vietnamese holidays, with fixed dates (pure: no database)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.errors import ValidationError
from app.workdays import (
    CalendarEntry,
    CalendarHistory,
    DueRule,
    WorkCalendar,
    effective_due,
)

D = dt.date
PLAIN = WorkCalendar()


def test_tet_2018_is_a_run_of_days_off() -> None:
    # Tết Mậu Tuất: 14/02 (29 Tết) to 20/02/2018, Wednesday to Tuesday.
    for day in range(14, 21):
        assert not PLAIN.is_working_day(D(2018, 2, day)), day
    assert "Tết" in (PLAIN.day_off_reason(D(2018, 2, 16)) or "")
    assert PLAIN.next_working_day(D(2018, 2, 15)) == D(2018, 2, 21)
    assert PLAIN.is_working_day(D(2018, 2, 13)) and PLAIN.is_working_day(D(2018, 2, 21))


def test_30_april_and_1_may() -> None:
    # 2018: Monday 30/04 and Tuesday 01/05 off: a due date on 30/04 moves to Wednesday 02/05.
    assert PLAIN.next_working_day(D(2018, 4, 30)) == D(2018, 5, 2)
    # 2019: Monday 29/04 off in exchange for Saturday 04/05, which is worked (make-up day).
    assert not PLAIN.is_working_day(D(2019, 4, 29))
    assert PLAIN.is_working_day(D(2019, 5, 4))
    assert PLAIN.next_working_day(D(2019, 4, 27)) == D(2019, 5, 2)
    assert PLAIN.add_working_days(D(2019, 5, 3), 1) == D(2019, 5, 4)  # the Saturday counts


def test_national_day_2_september_with_its_extra_day() -> None:
    # 2018: 02/09 is a Sunday, Monday 03/09 is off instead.
    assert PLAIN.next_working_day(D(2018, 9, 2)) == D(2018, 9, 4)
    # 2025: Monday 01/09 and Tuesday 02/09.
    assert PLAIN.next_working_day(D(2025, 9, 1)) == D(2025, 9, 3)


def test_user_entries_add_days_off_and_make_up_working_days() -> None:
    extra_off = CalendarEntry(D(2025, 9, 3), False, "Nghỉ thêm", known_from=D(2025, 8, 1))
    make_up = CalendarEntry(D(2025, 9, 6), True, "Làm bù cho ngày 03/9", D(2025, 8, 1))
    calendar = WorkCalendar([extra_off, make_up])
    assert calendar.next_working_day(D(2025, 9, 1)) == D(2025, 9, 4)
    assert calendar.is_working_day(D(2025, 9, 6)) and not PLAIN.is_working_day(D(2025, 9, 6))
    assert calendar.add_working_days(D(2025, 9, 4), 2) == D(2025, 9, 6)
    assert calendar.day_off_reason(D(2025, 9, 3)) == "Nghỉ thêm"


def test_weekend_due_date_moves_to_monday() -> None:
    assert D(2018, 10, 20).weekday() == 5
    assert PLAIN.next_working_day(D(2018, 10, 20)) == D(2018, 10, 22)
    assert PLAIN.next_working_day(D(2018, 10, 22)) == D(2018, 10, 22)  # a working day stays


def test_working_days_across_the_year_end() -> None:
    # December 2018's cut-off is 14/12; 15 working days later: 31/12/2018 and 01/01/2019 are off,
    # Saturday 05/01/2019 is worked (the make-up day for 31/12).
    assert PLAIN.add_working_days(D(2018, 12, 14), 15) == D(2019, 1, 7)
    assert PLAIN.add_working_days(D(2018, 12, 14), 13) == D(2019, 1, 4)
    assert PLAIN.add_working_days(D(2018, 12, 14), 14) == D(2019, 1, 5)
    assert PLAIN.working_days_between(D(2018, 12, 14), D(2019, 1, 7)) == 15
    assert PLAIN.working_days_between(D(2019, 1, 7), D(2018, 12, 14)) == -15
    # Tết 2019 (04/02 to 08/02) right after a year's report cut-off in January
    assert PLAIN.add_working_days(D(2019, 1, 31), 2) == D(2019, 2, 11)


def test_the_end_of_the_calendar_is_a_clear_error() -> None:
    with pytest.raises(ValidationError):
        PLAIN.add_working_days(D(9999, 12, 30), 5)
    with pytest.raises(ValidationError):
        WorkCalendar([CalendarEntry(D(9999, 12, 31), False, "x", D(2018, 1, 1))]).next_working_day(
            D(9999, 12, 31)
        )


def test_working_day_count_is_bounded() -> None:
    with pytest.raises(ValidationError):
        PLAIN.add_working_days(D(2018, 1, 1), 0)
    with pytest.raises(ValidationError):
        PLAIN.add_working_days(D(2018, 1, 1), 61)


def test_effective_due_keeps_the_history_of_the_table() -> None:
    # A day off announced on 10/06/2018 for 20/06, withdrawn on 18/06.
    off = CalendarEntry(
        D(2018, 6, 20), False, "Nghỉ", known_from=D(2018, 6, 10), removed_on=D(2018, 6, 18)
    )
    history = CalendarHistory([off])
    rule = DueRule(nominal=D(2018, 6, 20), shift=True)
    result = effective_due(rule, history)
    assert result.due == D(2018, 6, 20)
    assert result.on(D(2018, 6, 9)) == D(2018, 6, 20)
    assert result.on(D(2018, 6, 10)) == D(2018, 6, 21)
    assert result.on(D(2018, 6, 17)) == D(2018, 6, 21)
    assert result.on(D(2018, 6, 18)) == D(2018, 6, 20)
    # without the shift the table changes nothing
    assert effective_due(DueRule(nominal=D(2018, 6, 20)), history).changes == ()


entries = st.lists(
    st.builds(
        lambda day, working, known, gap: CalendarEntry(
            day, working, "x", known, None if gap is None else known + dt.timedelta(days=gap)
        ),
        st.dates(D(2018, 6, 1), D(2018, 7, 31)),
        st.booleans(),
        st.dates(D(2018, 5, 1), D(2018, 8, 31)),
        st.none() | st.integers(0, 40),
    ),
    max_size=6,
)


@given(
    entries,
    st.dates(D(2018, 4, 1), D(2018, 9, 30)),
    st.dates(D(2018, 6, 1), D(2018, 7, 31)),
    st.booleans(),
)
def test_effective_due_on_a_day_is_the_calendar_known_that_day(entries, day, nominal, working):
    history = CalendarHistory(entries)
    known = WorkCalendar([e for e in entries if e.known_on(day)])
    if working:
        rule = DueRule(cutoff=nominal, working_days=3)
        expected = known.add_working_days(nominal, 3)
    else:
        rule = DueRule(nominal=nominal, shift=True)
        expected = known.next_working_day(nominal)
    assert effective_due(rule, history).on(day) == expected
