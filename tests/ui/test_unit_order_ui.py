"""The tables sorted by their TT or kind column list units in the one unit order
(app.ordering; docs/domain.md, "The order of units"), shared order numbers included."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt

from app.models import UnitKind
from app.services import units
from app.services.directives import list_directives
from app.services.intake import intake_rows
from ui.models.intake_model import IntakeModel
from ui.models.search_proxy import SearchProxy
from ui.models.units_model import UnitsModel

DAY = dt.date(2018, 9, 1)


def _sorted_ids(model, column: str) -> list[int]:  # type: ignore[no-untyped-def]
    proxy = SearchProxy()
    proxy.setSourceModel(model)
    proxy.sort(model.column_index(column), Qt.SortOrder.AscendingOrder)
    rows = model.rows()
    return [
        model.row_id(rows[proxy.mapToSource(proxy.index(i, 0)).row()])
        for i in range(proxy.rowCount())
    ]


def test_tables_sort_units_in_the_unit_order(sample_db) -> None:  # type: ignore[no-untyped-def]
    for name, order in (
        ("Sở Đổi mới thử nghiệm", 3),
        ("Sở Dịch vụ thử nghiệm", 3),
        ("UBND huyện Thử Nghiệm", 0),
    ):
        units.create_unit(
            sample_db,
            units.UnitInput(
                name=name,
                kind=UnitKind.DISTRICT if "huyện" in name else UnitKind.DEPARTMENT,
                sort_order=order,
            ),
        )
    expected = [u.id for u in units.list_units(sample_db)]
    model = UnitsModel()
    model.set_rows(list(reversed(units.list_units(sample_db))))
    assert _sorted_ids(model, "order") == expected
    assert _sorted_ids(model, "kind") == expected

    report = list_directives(sample_db)[0].tasks[1]  # departments and districts
    rows = intake_rows(sample_db, DAY, task_id=report.id)
    intake = IntakeModel()
    intake.set_rows(list(reversed(rows)))
    position = {uid: i for i, uid in enumerate(expected)}
    by_unit = {r.id: r.obligation.unit_id for r in rows}
    for column in ("order", "kind"):
        got = [by_unit[i] for i in _sorted_ids(intake, column)]
        assert got == sorted(got, key=position.__getitem__)
        assert got == [r.obligation.unit_id for r in rows]  # the service's own order
