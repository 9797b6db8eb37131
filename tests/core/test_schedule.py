import datetime as dt
import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.errors import ValidationError
from app.schedule import (
    PeriodKind,
    due_date,
    find_period,
    make_period,
    parse_period_key,
    periods_between,
)

D = dt.date


@pytest.mark.parametrize(
    ("kind", "year", "index", "window", "label"),
    [
        (PeriodKind.MONTH, 2018, 5, (D(2018, 4, 15), D(2018, 5, 14)), "Tháng 5/2018"),
        (PeriodKind.MONTH, 2018, 1, (D(2017, 12, 15), D(2018, 1, 14)), "Tháng 1/2018"),
        (PeriodKind.QUARTER, 2018, 2, (D(2018, 3, 15), D(2018, 6, 14)), "Quý II/2018"),
        (PeriodKind.HALF_YEAR, 2018, 1, (D(2017, 12, 15), D(2018, 6, 14)), "6 tháng đầu năm 2018"),
        (PeriodKind.HALF_YEAR, 2018, 2, (D(2018, 6, 15), D(2018, 12, 14)), "6 tháng cuối năm 2018"),
        (PeriodKind.NINE_MONTHS, 2018, 1, (D(2017, 12, 15), D(2018, 9, 14)), "9 tháng năm 2018"),
        (PeriodKind.YEAR, 2018, 1, (D(2017, 12, 15), D(2018, 12, 14)), "Năm 2018"),
    ],
)
def test_cutoff_windows_follow_decree_09_2019(kind, year, index, window, label):
    period = make_period(kind, year, index)
    assert (period.cutoff_start, period.cutoff_end) == window
    assert period.label == label
    assert parse_period_key(period.key) == period


def test_default_due_is_20th_of_last_month():
    assert due_date(make_period(PeriodKind.HALF_YEAR, 2018, 1)) == D(2018, 6, 20)
    assert due_date(make_period(PeriodKind.YEAR, 2018)) == D(2018, 12, 20)
    assert due_date(make_period(PeriodKind.QUARTER, 2018, 1), 25) == D(2018, 3, 25)


def test_due_day_override_and_next_month_and_clamping():
    feb = make_period(PeriodKind.MONTH, 2019, 2)
    assert due_date(feb, 31) == D(2019, 2, 28)
    assert due_date(feb, 5, month_offset=1) == D(2019, 3, 5)
    assert due_date(make_period(PeriodKind.YEAR, 2018), 10, month_offset=1) == D(2019, 1, 10)


def test_due_before_cutoff_is_refused():
    with pytest.raises(ValidationError) as err:
        due_date(make_period(PeriodKind.MONTH, 2018, 5), 10)
    assert "chốt số liệu" in err.value.message


def test_periods_between_takes_periods_ending_in_range():
    keys = [p.key for p in periods_between(PeriodKind.HALF_YEAR, D(2018, 4, 18), D(2018, 6, 30))]
    assert keys == ["2018-H1"]
    quarters = periods_between(PeriodKind.QUARTER, D(2018, 1, 1), D(2019, 12, 31))
    assert len(quarters) == 8
    assert periods_between(PeriodKind.MONTH, D(2018, 5, 1), D(2018, 4, 1)) == []


def test_find_period_from_label_or_key():
    assert find_period(PeriodKind.HALF_YEAR, "6 thang dau nam 2018").key == "2018-H1"
    assert find_period(PeriodKind.HALF_YEAR, "2018-H2").index == 2
    assert find_period(PeriodKind.QUARTER, "Quý III/2018").index == 3
    with pytest.raises(ValidationError):
        find_period(PeriodKind.YEAR, "2018-H1")
    with pytest.raises(ValidationError):
        find_period(PeriodKind.YEAR, "năm ngoái")


def test_impossible_periods_are_refused():
    with pytest.raises(ValidationError):
        make_period(PeriodKind.MONTH, 2018, 13)
    with pytest.raises(ValidationError):
        parse_period_key("2018-X9")


@given(
    st.sampled_from(list(PeriodKind)),
    st.integers(1990, 2090),
    st.integers(15, 31),
    st.integers(0, 2),
)
def test_periods_partition_the_years_and_due_follows_cutoff(kind, year, day, offset):
    periods = periods_between(kind, D(year, 1, 1), D(year, 12, 31))
    assert periods == sorted(periods)
    for period in periods:
        assert period.cutoff_start < period.cutoff_end <= period.end
        due = due_date(period, day, offset)
        assert due > period.cutoff_end
    if kind in (PeriodKind.MONTH, PeriodKind.QUARTER, PeriodKind.HALF_YEAR):
        # consecutive periods: each data window starts the day after the previous one ends
        for a, b in itertools.pairwise(periods):
            assert b.cutoff_start == a.cutoff_end + dt.timedelta(days=1)
            assert b.start == a.end + dt.timedelta(days=1)
