"""The warnings a page at a time (app.services.warning_list) give the same rows, order and
counts as the whole list sorted in Python (dashboard.warnings / sort_by_urgency) and the
in-memory search (app.search.SearchIndex) on the sample."""

from __future__ import annotations

import datetime as dt

import pytest

from app.db import Database
from app.search import SearchIndex
from app.services import dashboard
from app.services.directives import list_directives
from app.services.obligations import ObligationRow, list_obligations
from app.services.submissions import SubmissionInput, record_submission
from app.services.units import list_units
from app.services.warning_list import (
    ORDERS,
    WarningFilter,
    search_scope,
    warning_page,
    warning_totals,
)
from app.text import sort_key

D = dt.date
DAYS = (D(2018, 4, 10), D(2018, 4, 25), D(2018, 5, 2), D(2018, 6, 25), D(2018, 9, 1), D(2019, 2, 1))
QUERIES = (
    "son tinh",
    "SƠN",
    "ke hoach",
    "quy",
    "6 thang",
    "ubnd huyen",
    "2116",
    "zzz",
    "ba to 6 thang",
    "so noi vu ke hoach",
)


@pytest.fixture
def data(sample_db: Database) -> Database:
    """The sample with a few plans received (on time, late) so that the open rows vary."""
    (directive,) = list_directives(sample_db)
    plan = directive.tasks[0]
    plans = list_obligations(sample_db, D(2018, 4, 20), task_id=plan.id)
    for n, day in enumerate((D(2018, 4, 24), D(2018, 4, 30), D(2018, 5, 5))):
        record_submission(
            sample_db,
            SubmissionInput(
                obligation_id=plans[n].id,
                number_symbol=f"{n + 1}/KH-UBND",
                signed_date=day,
                received_date=day,
            ),
            today=D(2018, 12, 31),
        )
    return sample_db


def _fields(r: ObligationRow) -> tuple[str, ...]:
    return (r.unit_name, r.unit_short_name, r.task_title, r.directive_symbol, r.period_label)


@pytest.mark.parametrize("day", DAYS)
def test_sql_order_is_the_urgency_order(data: Database, day: D) -> None:
    flt = WarningFilter(day, 7)
    expected = dashboard.warnings(data, day, window_days=7)
    assert expected == dashboard.sort_by_urgency(expected)
    got = warning_page(data, flt, limit=None)
    assert [r.id for r in got] == [r.id for r in expected]
    assert got == expected  # the same rows, field by field
    assert [r.id for r in warning_page(data, flt, descending=True, limit=None)] == [
        r.id for r in reversed(expected)
    ]


def test_pages_put_together_give_the_whole_list(data: Database) -> None:
    day = D(2018, 6, 25)
    flt = WarningFilter(day, 30)
    expected = dashboard.warnings(data, day, window_days=30)
    assert len(expected) > 12
    pages: list[ObligationRow] = []
    offset = 0
    while True:
        page = warning_page(data, flt, limit=5, offset=offset)
        assert len(page) <= 5
        if not page:
            break
        pages += page
        offset += len(page)
    assert [r.id for r in pages] == [r.id for r in expected]


def test_filters_and_counts_in_sql(data: Database) -> None:
    (directive,) = list_directives(data)
    units = list_units(data)
    for day in DAYS:
        everything = dashboard.warnings(data, day, window_days=10)
        scope = search_scope(data, WarningFilter(day, 10))
        cases = [
            WarningFilter(day, 10),
            WarningFilter(day, 10, directive_id=directive.id),
            WarningFilter(day, 10, directive_id=directive.id + 999),
            WarningFilter(day, 10, unit_kind="huyen"),
            WarningFilter(day, 10, unit_kind="so_nganh", unit_id=units[0].id),
            WarningFilter(day, 10, unit_id=units[3].id),
        ]
        for flt in cases:
            expected = [
                r
                for r in everything
                if (flt.directive_id is None or r.directive_id == flt.directive_id)
                and (flt.unit_kind is None or r.unit_kind.value == flt.unit_kind)
                and (flt.unit_id is None or r.unit_id == flt.unit_id)
            ]
            got = warning_page(data, flt, scope=scope, limit=None)
            assert [r.id for r in got] == [r.id for r in expected], flt
            counts = dashboard.count_warnings(expected)
            totals = warning_totals(data, flt, scope)
            assert (totals.overdue, totals.due_soon) == (counts.overdue, counts.due_soon)


@pytest.mark.parametrize("day", (D(2018, 5, 2), D(2018, 9, 1), D(2019, 2, 1)))
def test_search_in_sql_matches_the_in_memory_search(data: Database, day: D) -> None:
    flt = WarningFilter(day, 10)
    everything = dashboard.warnings(data, day, window_days=10)
    index = SearchIndex.from_fields(_fields(r) for r in everything)
    scope = search_scope(data, flt)
    found_any = False
    for query in QUERIES:
        index.reset()
        expected = [everything[i].id for i in index.filter(query)]
        searched = flt.with_search(query)
        got = warning_page(data, searched, scope=scope, limit=None)
        assert [r.id for r in got] == expected, query
        totals = warning_totals(data, searched, scope)
        assert totals.total == len(expected)
        found_any = found_any or 0 < len(expected) < len(everything)
    assert found_any  # the queries do narrow the list


def test_orders_of_the_column_headers(data: Database) -> None:
    day = D(2018, 9, 1)
    flt = WarningFilter(day, 10)
    scope = search_scope(data, flt)
    urgent = dashboard.warnings(data, day, window_days=10)
    keys = {
        "unit": lambda r: (sort_key(r.unit_name), r.unit_id),
        "task": lambda r: (sort_key(r.task_title), r.task_id),
        "kind": lambda r: list(type(r.unit_kind)).index(r.unit_kind),
        "directive": lambda r: r.directive_id,
        "period": lambda r: (r.due_date, r.period_key),
    }
    for order in ORDERS:
        got = warning_page(data, flt, scope=scope, order=order, limit=None)
        assert sorted(r.id for r in got) == sorted(r.id for r in urgent)
        if order in keys:
            # Python's sort is stable: the urgency order stays within equal keys.
            expected = sorted(urgent, key=keys[order])
            assert [r.id for r in got] == [r.id for r in expected], order
            down = warning_page(data, flt, scope=scope, order=order, descending=True, limit=None)
            # reverse=True keeps equal keys in their (urgency) order, as the query does.
            assert [r.id for r in down] == [
                r.id for r in sorted(urgent, key=keys[order], reverse=True)
            ], order
    first = warning_page(data, flt, scope=scope, order="unit", limit=3)
    assert [r.id for r in first] == [r.id for r in sorted(urgent, key=keys["unit"])[:3]]


def test_search_needs_its_scope(data: Database) -> None:
    with pytest.raises(ValueError):
        warning_page(data, WarningFilter(D(2018, 5, 2), 7, search="son"))


def test_tab_counts_and_newly_overdue_by_query(data: Database) -> None:
    """The plans/reports tab numbers are COUNTs, the start-up notice filters in SQL: the same
    figures as counting the whole overdue list in Python."""
    from app.models import TaskKind
    from app.services.intake import count_overdue
    from app.status import Status

    for day in DAYS:
        overdue = list_obligations(data, day, statuses=[Status.OVERDUE])
        for kind in TaskKind:
            assert count_overdue(data, day, kind) == sum(1 for r in overdue if r.task_kind is kind)
        for since in (D(2018, 1, 1), D(2018, 4, 28), day - dt.timedelta(days=40)):
            expected = dashboard.sort_by_urgency(r for r in overdue if r.due_date >= since)
            assert dashboard.newly_overdue(data, since, day) == (expected if since < day else [])
