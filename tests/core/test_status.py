import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from app.status import Status, status_on

D = dt.date
DUE = D(2018, 4, 30)


def test_status_rules_on_fixed_days():
    assert status_on(D(2018, 5, 2), DUE, None) is Status.OVERDUE
    assert status_on(DUE, DUE, None) is Status.DUE_SOON  # due day itself is not overdue
    assert status_on(D(2018, 4, 23), DUE, None) is Status.DUE_SOON  # 7 days before
    assert status_on(D(2018, 4, 22), DUE, None) is Status.NOT_DUE
    assert status_on(D(2018, 5, 2), DUE, D(2018, 4, 28)) is Status.DONE_ON_TIME
    assert status_on(D(2018, 5, 5), DUE, D(2018, 5, 3)) is Status.DONE_LATE
    assert status_on(D(2018, 5, 5), DUE, DUE) is Status.DONE_ON_TIME
    assert status_on(D(2018, 5, 5), DUE, None, exempt=True) is Status.EXEMPT


def test_submission_exists_only_from_its_received_date():
    # Seen on 02/05 a plan received on 03/05 is still missing; from 03/05 it is done late.
    assert status_on(D(2018, 5, 2), DUE, D(2018, 5, 3)) is Status.OVERDUE
    assert status_on(D(2018, 5, 3), DUE, D(2018, 5, 3)) is Status.DONE_LATE


def test_warning_window_is_a_setting():
    assert status_on(D(2018, 4, 16), DUE, None, window_days=14) is Status.DUE_SOON
    assert status_on(D(2018, 4, 16), DUE, None, window_days=7) is Status.NOT_DUE
    assert status_on(DUE, DUE, None, window_days=0) is Status.DUE_SOON


dates = st.dates(D(2015, 1, 1), D(2030, 12, 31))


@given(dates, dates, st.none() | dates, st.booleans(), st.integers(0, 60))
def test_exactly_one_status_and_consistent_with_rules(day, due, received, exempt, window):
    status = status_on(day, due, received, exempt=exempt, window_days=window)
    assert isinstance(status, Status)
    if exempt:
        assert status is Status.EXEMPT
    elif received is not None and received <= day:
        assert status.done
        assert (status is Status.DONE_ON_TIME) == (received <= due)
    else:
        assert not status.done
        assert (status is Status.OVERDUE) == (day > due)


@given(dates, dates, st.none() | dates, st.integers(1, 400), st.integers(0, 60))
def test_moving_the_day_forward_never_undoes_done(day, due, received, step, window):
    before = status_on(day, due, received, window_days=window)
    after = status_on(day + dt.timedelta(days=step), due, received, window_days=window)
    if before.done:
        assert after is before
    if before is Status.OVERDUE:
        assert after in (Status.OVERDUE, Status.DONE_LATE)
