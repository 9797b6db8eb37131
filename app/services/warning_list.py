"""The deadline warnings a page at a time: filters, search and order in SQL.

With ten years of records at a large scale a day has ~50,000 open obligations: the warnings
page must never hold them all (docs/performance.md, "Usable at L"). Everything the page
shows comes from here:

- :func:`warning_page` — one page of rows (``limit``/``offset``) in the order asked, by
  default the urgency order of :func:`app.services.dashboard.sort_by_urgency`;
- :func:`warning_totals` — how many rows match (overdue / due soon), by a COUNT query;
- :class:`SearchScope` — the accent-free search: SQLite cannot compare Vietnamese text without
  its accents, so the words are matched in Python against the names of the few units, tasks
  (with their directive's number) and period labels, and the query filters
  ``unit_id IN (…) OR task_id IN (…) OR period_label IN (…)`` for every word. A word matches
  a row exactly when it is in one of the row's texts, as with :class:`app.search.SearchIndex`
  over the same fields.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import Integer, and_, case, column, false, func, or_, select, values
from sqlalchemy.sql.elements import ColumnElement

from app.db import Database
from app.models import Directive, Obligation, Task, Unit, UnitKind
from app.ordering import kind_rank_sql, unit_order_sql
from app.services.obligations import (
    ObligationRow,
    due_on,
    obligation_conditions,
    query_obligations,
)
from app.status import WARNING_STATUSES, StatusCounts
from app.text import search_key, sort_key

PAGE_SIZE = 500

# The orders a column header can ask for (the page maps its columns onto them).
URGENCY, DUE, UNIT, KIND, DIRECTIVE, PERIOD, TASK = (
    "urgency",
    "due",
    "unit",
    "kind",
    "directive",
    "period",
    "task",
)
ORDERS = (URGENCY, DUE, UNIT, KIND, DIRECTIVE, PERIOD, TASK)


@dataclass(frozen=True)
class WarningFilter:
    """What the warnings page asks for: the day, the warning window and its filters."""

    day: dt.date
    window_days: int
    directive_id: int | None = None
    unit_kind: str | None = None
    unit_id: int | None = None
    search: str = ""

    def unfiltered(self) -> WarningFilter:
        return WarningFilter(self.day, self.window_days)

    def with_search(self, text: str) -> WarningFilter:
        return replace(self, search=text)


@dataclass(frozen=True)
class SearchScope:
    """The accent-free keys of the texts a warning row is searched in: units (name and short
    name), tasks (title and the directive's number), the period labels. Small tables: built
    once per load."""

    units: tuple[tuple[int, str], ...]
    tasks: tuple[tuple[int, str], ...]
    labels: tuple[tuple[str, str], ...]
    unit_names: tuple[tuple[int, str], ...] = ()  # for the Vietnamese name order
    task_titles: tuple[tuple[int, str], ...] = ()

    def condition(self, text: str) -> ColumnElement[bool] | None:
        """Every word of ``text`` in the unit, task, directive or period of the row; None
        when there is nothing to search."""
        words = search_key(text).split()
        if not words:
            return None
        conditions: list[ColumnElement[bool]] = []
        for word in dict.fromkeys(words):
            units = [i for i, key in self.units if word in key]
            tasks = [i for i, key in self.tasks if word in key]
            labels = [label for label, key in self.labels if word in key]
            parts: list[ColumnElement[bool]] = []
            # "+ 0": an IN list of hundreds of units must not make SQLite walk the unit
            # index over every obligation of ten years; the open-status index is narrower.
            if units:
                parts.append((Obligation.unit_id + 0).in_(units))
            if tasks:
                parts.append((Obligation.task_id + 0).in_(tasks))
            if labels:
                parts.append(Obligation.period_label.in_(labels))
            conditions.append(or_(*parts) if parts else false())
        return and_(*conditions)


def _key(*texts: str | None) -> str:
    return " ".join(search_key(t) for t in texts if t)


def search_scope(db: Database, flt: WarningFilter) -> SearchScope:
    """The search keys for the warnings of ``flt``'s day (period labels of those rows only)."""
    with db.read() as session:
        units = session.execute(select(Unit.id, Unit.name, Unit.short_name)).all()
        tasks = session.execute(
            select(Task.id, Task.title, Directive.number_symbol).join(
                Directive, Directive.id == Task.directive_id
            )
        ).all()
        label_stmt = (
            select(Obligation.period_label).distinct().where(*_conditions(flt.unfiltered()))
        )
        labels = [label for (label,) in session.execute(label_stmt) if label]
    return SearchScope(
        units=tuple((uid, _key(name, short)) for uid, name, short in units),
        tasks=tuple((tid, _key(title, symbol)) for tid, title, symbol in tasks),
        labels=tuple((label, search_key(label)) for label in labels),
        unit_names=tuple((uid, name) for uid, name, _short in units),
        task_titles=tuple((tid, title) for tid, title, _symbol in tasks),
    )


def _conditions(flt: WarningFilter, scope: SearchScope | None = None) -> list[ColumnElement[bool]]:
    conditions = obligation_conditions(
        flt.day,
        flt.window_days,
        statuses=list(WARNING_STATUSES),
        directive_id=None,
        unit_id=flt.unit_id,
    )
    if flt.directive_id is not None:
        conditions.append(
            Obligation.task_id.in_(select(Task.id).where(Task.directive_id == flt.directive_id))
        )
    if flt.unit_kind is not None:
        conditions.append(
            Obligation.unit_id.in_(
                select(Unit.id).where(Unit.kind == UnitKind(flt.unit_kind).value)
            )
        )
    if flt.search.strip():
        if scope is None:
            raise ValueError("searching needs the search scope")
        found = scope.condition(flt.search)
        if found is not None:
            conditions.append(found)
    return conditions


def warning_totals(
    db: Database, flt: WarningFilter, scope: SearchScope | None = None
) -> StatusCounts:
    """How many warnings match: overdue (due before the day) and due soon."""
    overdue = func.coalesce(func.sum(case((due_on(flt.day) < flt.day, 1), else_=0)), 0)
    stmt = select(func.count(), overdue).select_from(Obligation).where(*_conditions(flt, scope))
    with db.read() as session:
        total, late = session.execute(stmt).one()
    return StatusCounts(overdue=int(late), due_soon=int(total) - int(late))


def _urgency(descending: bool, units: Sequence[Any]) -> list[Any]:
    """The order of :func:`app.services.dashboard.sort_by_urgency` for overdue and due-soon
    rows: overdue ones are due before the day, due-soon ones on or after it, so the due date
    alone gives the status order and, within it, the most days past due first. ``units`` is
    the unit order's SQL terms (:func:`app.ordering.unit_order_sql`)."""
    keys: list[Any] = [
        Obligation.due_date,
        Task.directive_id,
        Obligation.task_id,
        *units,
        Obligation.period_key,
        Obligation.id,
    ]
    return [k.desc() for k in keys] if descending else keys


def _rank(pairs: Sequence[tuple[int, str]], name: str):  # type: ignore[no-untyped-def]
    """A small (id, rank) table in the Vietnamese order of the names (SQLite cannot sort
    Vietnamese): joined to order by unit name or task title."""
    ordered = sorted(pairs, key=lambda p: (sort_key(p[1]), p[0]))
    return (
        values(column("id", Integer), column("rank", Integer), name=name)
        .data([(pid, n) for n, (pid, _text) in enumerate(ordered)] or [(-1, 0)])
        .cte(name)
    )


def warning_page(
    db: Database,
    flt: WarningFilter,
    *,
    scope: SearchScope | None = None,
    order: str = URGENCY,
    descending: bool = False,
    limit: int | None = PAGE_SIZE,
    offset: int = 0,
) -> list[ObligationRow]:
    """One page of the warnings of ``flt`` (every matching row when ``limit`` is None)."""
    if order not in ORDERS:
        raise ValueError(order)
    joins: list[tuple[object, ColumnElement[bool]]] = []
    first: list[Any] = []
    if order in (UNIT, TASK):
        if scope is None:
            raise ValueError("ordering by name needs the search scope")
        if order == UNIT:
            rank = _rank(scope.unit_names, "unit_rank")
            joins.append((rank, rank.c.id == Obligation.unit_id + 0))
        else:
            rank = _rank(scope.task_titles, "task_rank")
            joins.append((rank, rank.c.id == Obligation.task_id + 0))
        first = [rank.c.rank]
    elif order == KIND:
        first = [kind_rank_sql(Unit.kind)]
    elif order == DIRECTIVE:
        first = [Task.directive_id]
    elif order == PERIOD:
        first = [Obligation.due_date, Obligation.period_key]
    with db.read() as session:
        units, unit_joins = unit_order_sql(session)
        joins += unit_joins
        if order in (URGENCY, DUE):
            keys = _urgency(descending, units)
        else:
            keys = [k.desc() if descending else k for k in first] + _urgency(False, units)
        return query_obligations(
            session,
            flt.day,
            window_days=flt.window_days,
            where=_conditions(flt, scope),
            order_by=keys,
            joins=joins,
            limit=limit,
            offset=offset,
        )
