"""Every table model passes qtmodeltester, with real rows and through the search proxy."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from app.models import TaskKind
from app.services import directives, submissions, units
from app.services.audit import history
from app.services.intake import intake_rows
from app.services.submissions import SubmissionInput
from app.text import sort_key
from ui.models.directives_model import DirectivesModel
from ui.models.history_model import ChangesModel, HistoryModel, field_changes
from ui.models.intake_model import IntakeModel
from ui.models.row_table_model import ID_ROLE
from ui.models.search_proxy import SearchProxy
from ui.models.submissions_model import SubmissionsModel
from ui.models.tasks_model import TasksModel
from ui.models.units_model import UnitsModel

DAY = dt.date(2018, 5, 2)


@pytest.fixture
def filled(sample_db):
    directive = directives.list_directives(sample_db)[0]
    plan = next(t for t in directive.tasks if t.kind is TaskKind.ONE_OFF)
    rows = intake_rows(sample_db, DAY, task_id=plan.id)
    for i, symbol in enumerate(("45/KH-UBND", "46/KH-UBND")):
        submissions.record_submission(
            sample_db,
            SubmissionInput(rows[0].id, symbol, dt.date(2018, 4, 20 + i), dt.date(2018, 4, 25 + i)),
            today=DAY,
        )
    return sample_db, directive, plan, rows[0].id


def _models(filled):
    db, directive, plan, obligation_id = filled
    unit_model = UnitsModel()
    unit_model.set_rows(units.list_units(db))
    directive_model = DirectivesModel()
    directive_model.set_rows(directives.list_directives(db))
    task_model = TasksModel()
    task_model.set_rows(list(directive.tasks))
    intake = IntakeModel()
    intake.set_rows(intake_rows(db, DAY, task_id=plan.id))
    docs = SubmissionsModel()
    docs.set_rows(submissions.list_for_obligation(db, obligation_id))
    entries = history(db)
    hist = HistoryModel()
    hist.set_rows(entries)
    changes = ChangesModel()
    changes.set_rows(field_changes(entries[0]))
    return [unit_model, directive_model, task_model, intake, docs, hist, changes]


def test_every_model_passes_the_model_tester(qtmodeltester, filled) -> None:
    for model in _models(filled):
        assert model.rowCount() > 0
        qtmodeltester.check(model, force_py=True)


def test_every_model_passes_through_the_proxy(qtmodeltester, filled) -> None:
    for model in _models(filled):
        proxy = SearchProxy()
        proxy.setSourceModel(model)
        proxy.sort(1, Qt.SortOrder.AscendingOrder)
        proxy.set_search("a")
        qtmodeltester.check(proxy, force_py=True)


def test_empty_models_pass(qtmodeltester) -> None:
    for cls in (
        UnitsModel,
        DirectivesModel,
        TasksModel,
        IntakeModel,
        SubmissionsModel,
        HistoryModel,
        ChangesModel,
    ):
        qtmodeltester.check(cls(), force_py=True)


def test_id_under_user_role_and_colour_with_label(filled) -> None:
    intake = _models(filled)[3]
    column = intake.column_index("status")
    for row in range(intake.rowCount()):
        index = intake.index(row, column)
        info = intake.row_at(row)
        assert intake.index(row, 0).data(ID_ROLE) == info.id
        assert index.data() == info.status.label
        assert index.data(Qt.ItemDataRole.BackgroundRole).name() == info.status.colour


def test_proxy_sorts_in_vietnamese_order(filled) -> None:
    model = _models(filled)[0]
    proxy = SearchProxy()
    proxy.setSourceModel(model)
    name_col = model.column_index("name")
    proxy.sort(name_col, Qt.SortOrder.AscendingOrder)
    names = [proxy.index(r, name_col).data() for r in range(proxy.rowCount())]
    assert names == sorted(names, key=sort_key)
    assert names != sorted(names)  # code-point order differs (Đ, Ư…)
    proxy.set_search("DUNG QUAT")
    assert proxy.rowCount() == 1
