"""The order units are listed in, everywhere: one key in Python and its SQL twin.

The rule (docs/domain.md, "The order of units"): by kind in the order of :class:`UnitKind`
(departments, then district People's Committees, communes, others), then by the unit's order
number (TT), then by name in Vietnamese alphabetical order, then by id (a stable last word).

- :func:`unit_key` — the Python key, for lists sorted in memory (units, matrix, documents,
  Excel lists, table models);
- :func:`unit_order_sql` — its SQL twin: the kind rank, the order number and the id while no
  two units of a kind share an order number; else a small ``(id, rank)`` table with every
  unit's position in the Python order (:func:`unit_rank_table`; SQLite cannot sort Vietnamese
  names), joined. Equal to the Python key either way.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from sqlalchemy import Integer, case, column, func, select, values
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from app.kinds import UnitKind
from app.models.unit import Unit
from app.text import number_text, sort_key

__all__ = [
    "KIND_RANK",
    "ORDER_MAX",
    "kind_rank",
    "kind_rank_sql",
    "order_error",
    "row_unit_key",
    "unit_key",
    "unit_order_sql",
    "unit_rank_table",
    "unit_rank_table_of",
    "unit_ranks",
]

#: The bound of an order number (TT) of a unit or a task (an INTEGER column on every server).
ORDER_MAX = 1_000_000_000


def order_error(value: int | None) -> str | None:
    """The message for an order number out of bounds, None when it is fine (or not given)."""
    if value is not None and not -ORDER_MAX <= value <= ORDER_MAX:
        return f"Số thứ tự phải trong khoảng ±{number_text(ORDER_MAX)}."
    return None


#: Departments first, then districts, communes, others: the order of UnitKind.
KIND_RANK: dict[str, int] = {k.value: i for i, k in enumerate(UnitKind)}
_LAST = len(KIND_RANK)


def kind_rank(kind: UnitKind | str) -> int:
    """The place of a unit kind in the unit order (an unknown code comes last)."""
    return KIND_RANK.get(kind, _LAST)  # a UnitKind hashes as its code


# The same few hundred unit names come back on every row of a long list: the Vietnamese sort
# key of each is computed once (it was half of gathering the synthesis report,
# docs/performance.md).
_name_key = lru_cache(maxsize=8192)(sort_key)


def unit_key(kind: UnitKind | str, sort_order: int, name: str, unit_id: int = 0) -> tuple[Any, ...]:
    """The sort key of a unit: kind, order number, Vietnamese name, id."""
    return (kind_rank(kind), sort_order, _name_key(name), unit_id)


def row_unit_key(row: Any) -> tuple[Any, ...]:
    """:func:`unit_key` of an obligation row (``unit_kind``, ``unit_sort``, ``unit_name``,
    ``unit_id``)."""
    return unit_key(row.unit_kind, row.unit_sort, row.unit_name, row.unit_id)


def unit_ranks(units: Iterable[tuple[int, UnitKind | str, int, str]]) -> dict[int, int]:
    """Unit id → position in the unit order, for ``(id, kind, sort_order, name)`` tuples."""
    ordered = sorted(units, key=lambda u: unit_key(u[1], u[2], u[3], u[0]))
    return {u[0]: rank for rank, u in enumerate(ordered)}


def kind_rank_sql(kind: Any) -> ColumnElement[int]:
    """The SQL twin of :func:`kind_rank` over a unit kind column."""
    return case(*((kind == code, rank) for code, rank in KIND_RANK.items()), else_=_LAST)


def unit_rank_table(
    units: Iterable[tuple[int, UnitKind | str, int, str]], name: str = "unit_order"
):  # type: ignore[no-untyped-def]
    """The SQL twin of :func:`unit_key`: a CTE ``name(id, rank)`` of the units' positions."""
    ranks = unit_ranks(units)
    return (
        values(column("id", Integer), column("rank", Integer), name=name)
        .data(list(ranks.items()) or [(-1, 0)])
        .cte(name)
    )


def unit_rank_table_of(session: Session, name: str = "unit_order"):  # type: ignore[no-untyped-def]
    """:func:`unit_rank_table` of every unit in the database (a small table)."""
    units = session.execute(select(Unit.id, Unit.kind, Unit.sort_order, Unit.name)).all()
    return unit_rank_table(((u.id, u.kind, u.sort_order, u.name) for u in units), name)


def unit_order_sql(session: Session) -> tuple[list[Any], list[tuple[Any, Any]]]:
    """The SQL twin of :func:`unit_key` for a query over ``unit``: ``(order_by terms, joins)``.

    Where no two units of a kind share an order number (the usual case) the kind rank, the
    order number and the id give the Python order: a constant expression, so the statement is
    compiled once and cached. Otherwise the name decides between them: the rank table
    (:func:`unit_rank_table_of`) is joined and gives the whole order.
    """
    tie = session.execute(
        select(Unit.kind).group_by(Unit.kind, Unit.sort_order).having(func.count() > 1).limit(1)
    ).first()
    if tie is None:
        return [kind_rank_sql(Unit.kind), Unit.sort_order, Unit.id], []
    table = unit_rank_table_of(session)
    return [table.c.rank], [(table, table.c.id == Unit.id)]
