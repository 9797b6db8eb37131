"""One unit order everywhere (docs/domain.md, "The order of units"): every list, export,
matrix, warnings query and document built on the same data lists its units in the order of
:func:`app.ordering.unit_key` — departments first (the order of UnitKind), then the order
number, then the Vietnamese name."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import pytest

from app.db import Database
from app.documents.data import reminder_data, summary_data
from app.exchange.xlsx_export import ExportFilters, status_table, units_table, warnings_table
from app.models import UnitKind
from app.ordering import KIND_RANK, kind_rank, unit_key, unit_ranks
from app.services import dashboard
from app.services.directives import list_directives
from app.services.intake import intake_rows
from app.services.obligations import list_obligations
from app.services.units import UnitInput, create_unit, list_units
from app.services.warning_list import KIND, URGENCY, WarningFilter, search_scope, warning_page

D = dt.date
DAY = D(2018, 9, 1)  # the half-year report is overdue for every department and district


def _dedup(ids: Iterable[int]) -> list[int]:
    return list(dict.fromkeys(ids))


@pytest.fixture(params=["tied", "distinct"])
def data(sample_db: Database, request: pytest.FixtureRequest) -> Database:
    """The sample plus units that a wrong key would misplace: a district with order number 0
    (before every department by number), a commune and an 'other' unit whose stored codes sort
    before "so_nganh", and two departments whose names differ only by D/Đ (Vietnamese order: D
    before Đ, whatever the ids) — sharing an order number with each other and a department of
    the sample ("tied": the name decides, in SQL through the rank table), or not ("distinct":
    the SQL order is a constant expression)."""
    tied = request.param == "tied"
    for name, kind, order in (
        ("Sở Đổi mới thử nghiệm", UnitKind.DEPARTMENT, 3 if tied else 98),
        ("Sở Dịch vụ thử nghiệm", UnitKind.DEPARTMENT, 3 if tied else 99),
        ("UBND huyện Thử Nghiệm", UnitKind.DISTRICT, 0),
        ("UBND xã Thử Nghiệm", UnitKind.COMMUNE, 1),
        ("Ban Khác thử nghiệm", UnitKind.OTHER, 0),
    ):
        create_unit(sample_db, UnitInput(name=name, kind=kind, sort_order=order))
    return sample_db


def _expected(db: Database) -> list[int]:
    return [u.id for u in list_units(db)]


def _in_order(ids: list[int], expected: list[int]) -> None:
    position = {uid: i for i, uid in enumerate(expected)}
    assert ids, "the view lists no unit"
    assert [position[i] for i in ids] == sorted(position[i] for i in ids)


def test_the_key_is_departments_first_then_number_then_name(data: Database) -> None:
    units = list_units(data)
    assert [u.kind for u in units] == sorted((u.kind for u in units), key=kind_rank)
    assert units[0].kind is UnitKind.DEPARTMENT
    assert list(KIND_RANK) == [k.value for k in UnitKind]
    names = [u.name for u in units]
    d, dd = names.index("Sở Dịch vụ thử nghiệm"), names.index("Sở Đổi mới thử nghiệm")
    if units[d].sort_order == units[dd].sort_order:
        assert d + 1 == dd  # the same number: D before Đ
    else:
        assert dd + 1 == d  # 98 before 99
    assert names.index("UBND huyện Thử Nghiệm") > max(
        i for i, u in enumerate(units) if u.kind is UnitKind.DEPARTMENT
    )
    assert [u.kind for u in units[-2:]] == [UnitKind.COMMUNE, UnitKind.OTHER]
    assert [u.id for u in units] == sorted(
        (u.id for u in units),
        key=unit_ranks((u.id, u.kind, u.sort_order, u.name) for u in units).__getitem__,
    )
    assert unit_key("so_nganh", 9, "B") < unit_key("huyen", 0, "A") < unit_key("xa", 0, "A")


def test_every_view_lists_units_in_the_same_order(data: Database) -> None:
    expected = _expected(data)
    (directive,) = list_directives(data)
    plan = directive.tasks[1]  # the half-year report: departments and districts
    views: dict[str, list[int]] = {}
    # Lists in SQL (the rank table) and in Python, one task and one period so that only the
    # unit order tells the rows apart.
    views["obligations (SQL)"] = [r.unit_id for r in list_obligations(data, DAY, task_id=plan.id)]
    views["intake"] = [r.obligation.unit_id for r in intake_rows(data, DAY, task_id=plan.id)]
    warnings = [r for r in dashboard.warnings(data, DAY, window_days=7) if r.task_id == plan.id]
    views["warnings (Python)"] = [r.unit_id for r in warnings]
    flt = WarningFilter(DAY, 7, directive_id=directive.id)
    page = [r for r in warning_page(data, flt, limit=None) if r.task_id == plan.id]
    views["warnings page (SQL)"] = [r.unit_id for r in page]
    by_kind = warning_page(data, flt, order=KIND, limit=None, scope=search_scope(data, flt))
    views["warnings page by kind"] = _dedup(r.unit_id for r in by_kind)
    year = directive.tasks[2]
    matrix = dashboard.completeness_matrix(data, year.id, D(2019, 2, 1), window_days=7)
    views["matrix"] = [u.unit_id for u in matrix.units]
    summary = summary_data(data, directive.id, DAY)
    views["summary appendix"] = [r.unit_id for r in summary.rows]
    views["reminder"] = [u.unit_id for u in reminder_data(data, directive.id, DAY).units]

    names = {u.name: u.id for u in list_units(data)}
    f = ExportFilters(as_of=DAY)
    views["Excel units"] = [names[r[1]] for r in units_table(data, f).rows]  # type: ignore[index]
    matrix_rows = status_table(data, f).rows
    views["Excel matrix"] = [names[r[1]] for r in matrix_rows if r[0]]  # type: ignore[index]
    excel_warnings = warnings_table(data, f)
    unit_col = [c.header for c in excel_warnings.columns].index("Đơn vị")
    views["Excel warnings"] = _dedup(
        names[r[unit_col]]
        for r in excel_warnings.rows  # type: ignore[index]
        if plan.title in r
    )
    for name, ids in views.items():
        assert set(ids) <= set(expected), name
        try:
            _in_order(ids, expected)
        except AssertionError:
            pytest.fail(f"{name} lists the units in another order")
    # The departments come before the districts in the warnings too (they did not).
    kinds = [r.unit_kind for r in page]
    assert kinds.index(UnitKind.DEPARTMENT) < kinds.index(UnitKind.DISTRICT)
    assert [
        r.unit_id
        for r in warning_page(data, flt, order=URGENCY, descending=True, limit=None)
        if r.task_id == plan.id
    ] == [r.unit_id for r in reversed(page)]
