"""The overview and warnings tabs driven with real widgets (offscreen)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from app.db import Database
from app.services import dashboard
from app.services.directives import list_directives
from app.services.obligations import list_obligations
from app.services.submissions import SubmissionInput, record_submission
from app.settings import load_settings, save_settings
from app.status import Status
from tests.ui.conftest import search_settled
from ui import tasks

D = dt.date


@pytest.fixture(autouse=True)
def _synchronous() -> Iterator[None]:
    tasks.set_synchronous(True)
    yield
    tasks.set_synchronous(False)


@pytest.fixture
def data(sample_db: Database) -> Database:
    """The sample plus plans from three districts (two on time, one late) and two half-year
    reports."""
    (directive,) = list_directives(sample_db)
    plan, half, _year = directive.tasks
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
    halves = list_obligations(sample_db, D(2018, 6, 1), task_id=half.id)
    for n, day in enumerate((D(2018, 6, 18), D(2018, 6, 22))):
        record_submission(
            sample_db,
            SubmissionInput(
                obligation_id=halves[n].id,
                number_symbol=f"{n + 7}/BC",
                signed_date=day,
                received_date=day,
            ),
            today=D(2018, 12, 31),
        )
    return sample_db


@pytest.fixture
def window(qtbot, data: Database):  # type: ignore[no-untyped-def]
    from ui.main_window import MainWindow

    w = MainWindow(data, today=D(2018, 5, 2))
    qtbot.addWidget(w)
    w.show()
    return w


def _page(window, cls_name: str) -> QWidget:  # type: ignore[no-untyped-def]
    for i in range(window.tabs.count()):
        if type(window.tabs.widget(i)).__name__ == cls_name:
            return window.tabs.widget(i)
    raise AssertionError(cls_name)


def test_pages_come_first_in_order(window) -> None:  # type: ignore[no-untyped-def]
    assert window.tabs.tabText(0) == "Tổng quan"
    assert window.tabs.tabText(1).startswith("Cảnh báo hạn")


def test_as_of_day_updates_warnings_and_counts(window, data) -> None:  # type: ignore[no-untyped-def]
    page = _page(window, "WarningsPage")
    for day in (D(2018, 4, 25), D(2018, 5, 2), D(2018, 6, 25), D(2018, 4, 10)):
        window.set_as_of(day)
        expected = dashboard.warnings(data, day)
        assert [r.id for r in page.model.rows()] == [r.id for r in expected]
        title = window.tabs.tabText(window.tabs.indexOf(page))
        assert title == (f"Cảnh báo hạn ({len(expected)})" if expected else "Cảnh báo hạn")
        counts = dashboard.count_warnings(expected)
        assert window.status_label.text() == f"Ngày {day:%d/%m/%Y}: {counts.warnings_text()}"
    # On 25/04 the plans (due 30/04) are due soon; on 02/05 the unanswered ones are overdue.
    window.set_as_of(D(2018, 4, 25))
    assert {r.status for r in page.model.rows()} == {Status.DUE_SOON}
    window.set_as_of(D(2018, 5, 2))
    assert {r.status for r in page.model.rows()} == {Status.OVERDUE}
    assert page.model.rowCount() == 12  # 14 districts, two plans received by 02/05


def test_overview_follows_the_day(window, data) -> None:  # type: ignore[no-untyped-def]
    page = _page(window, "DashboardPage")
    for day in (D(2018, 5, 2), D(2018, 6, 25)):
        window.set_as_of(day)
        summary = dashboard.overview(data, day)
        assert page.data == summary
        for task in summary.directives[0].tasks:
            bar = page.progress_bars[task.task_id]
            assert bar.value() == task.counts.received
            assert bar.maximum() == max(task.counts.expected, 1)
            chart_rows = page.charts[task.task_id].rows()
            assert [r.counts for r in chart_rows] == [k.counts for k in task.by_kind]
        assert page.summary_model.rowCount() == 1 + sum(
            1 + len(t.by_kind) for t in summary.directives[0].tasks
        )


def test_filters_and_search(window, data, qtbot) -> None:  # type: ignore[no-untyped-def]
    page = _page(window, "WarningsPage")
    window.set_as_of(D(2018, 6, 25))
    total = page.model.rowCount()
    page.kind_combo.setCurrentIndex(page.kind_combo.findData("so_nganh"))
    visible = page.visible_rows()
    assert visible and all(r.unit_kind.value == "so_nganh" for r in visible)
    assert len(visible) < total
    page.kind_combo.setCurrentIndex(0)
    page.search_edit.setText("son tinh")  # no diacritics
    search_settled(qtbot, page)
    assert {r.unit_name for r in page.visible_rows()} == {"UBND huyện Sơn Tịnh"}
    page.search_edit.clear()
    search_settled(qtbot, page)
    unit_id = page.model.row_at(0).unit_id
    page.unit_combo.setCurrentIndex(page.unit_combo.findData(unit_id))
    assert {r.unit_id for r in page.visible_rows()} == {unit_id}


def test_warning_window_is_a_saved_setting(window, data) -> None:  # type: ignore[no-untyped-def]
    page = _page(window, "WarningsPage")
    window.set_as_of(D(2018, 6, 1))  # half-year reports due 20/06: 19 days away
    assert not any(r.status is Status.DUE_SOON for r in page.model.rows())
    page.window_spin.setValue(20)
    page.window_spin.editingFinished.emit()
    with data.read() as session:
        assert load_settings(session).warning_days == 20
    soon = [r for r in page.model.rows() if r.status is Status.DUE_SOON]
    assert len(soon) == 34
    assert window.tabs.tabText(1) == f"Cảnh báo hạn ({page.model.rowCount()})"


def test_double_click_opens_the_registration_dialog(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    from tests.ui.conftest import with_modal
    from ui.dialogs.submission_dialog import SubmissionDialog

    page = _page(window, "WarningsPage")
    window.set_as_of(D(2018, 5, 2))
    window.tabs.setCurrentWidget(page)
    proxy_index = page.model.index(2, 0)
    wanted = proxy_index.data(Qt.ItemDataRole.UserRole)
    rect = page.view.visualRect(proxy_index)
    # A real double-click: press/release, then the double-click event.
    qtbot.mouseClick(page.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert getattr(window, "obligation_dialog", None) is None  # one click does not open
    seen: list[object] = []
    result = with_modal(
        qtbot,
        lambda: qtbot.mouseDClick(
            page.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center()
        ),
        lambda dialog: (seen.append(dialog), dialog.reject()),
    )
    assert result.seen
    (dialog,) = seen
    assert isinstance(dialog, SubmissionDialog)
    assert dialog._obligation.id == wanted  # pre-filled with that unit and task
    assert dialog._obligation.status is Status.OVERDUE
    plans = _page(window, "PlansPage")
    assert window.tabs.currentWidget() is plans  # the registration tab, on that row
    assert plans.table.current_id() == wanted
    # cancelled: no fallback detail dialog opens on top
    assert getattr(window, "obligation_dialog", None) is None


def test_dialog_lists_every_submission(window, data) -> None:  # type: ignore[no-untyped-def]
    (directive,) = list_directives(data)
    first = list_obligations(data, D(2018, 5, 2), task_id=directive.tasks[0].id)[0]
    record_submission(
        data,
        SubmissionInput(
            obligation_id=first.id,
            number_symbol="99/KH-UBND",
            signed_date=D(2018, 5, 20),
            received_date=D(2018, 5, 20),
        ),
        today=D(2018, 12, 31),
    )
    window.set_as_of(D(2018, 6, 1))
    from ui.dialogs.obligation_dialog import ObligationDialog

    dialog = ObligationDialog(data, first.id, D(2018, 6, 1), window)
    assert dialog.table.rowCount() == 2
    assert dialog.table.item(0, 5).text() == "Văn bản được tính"
    assert dialog.table.item(1, 5).text() == "Lưu hồ sơ"
    assert "Hoàn thành đúng hạn" in dialog.status_label.text()
    dialog.reject()


def test_a_page_with_open_obligation_is_preferred(window, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    opened: list[int] = []
    plans = _page(window, "PlansPage")
    reports = _page(window, "ReportsPage")
    monkeypatch.setattr(plans, "open_obligation", lambda oid: opened.append(oid) or True)
    monkeypatch.setattr(reports, "open_obligation", lambda oid: False)
    page = _page(window, "WarningsPage")
    window.set_as_of(D(2018, 5, 2))
    page.openObligationRequested.emit(page.model.row_at(0).id)
    assert opened == [page.model.row_at(0).id]
    assert getattr(window, "obligation_dialog", None) is None


def test_detail_dialog_when_no_page_takes_it(window, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    for name in ("PlansPage", "ReportsPage"):
        monkeypatch.setattr(_page(window, name), "open_obligation", lambda oid: False)
    page = _page(window, "WarningsPage")
    window.set_as_of(D(2018, 5, 2))
    wanted = page.model.row_at(0).id
    page.openObligationRequested.emit(wanted)
    dialog = window.obligation_dialog
    assert dialog.obligation.id == wanted and dialog.obligation.status is Status.OVERDUE
    dialog.reject()


def test_matrix_click_opens_its_obligation(window, data, qtbot) -> None:  # type: ignore[no-untyped-def]
    page = _page(window, "DashboardPage")
    window.tabs.setCurrentWidget(page)
    (directive,) = list_directives(data)
    page.show_matrix(directive.tasks[1].id)
    window.set_as_of(D(2018, 6, 25))
    matrix = page.matrix.matrix()
    assert matrix is not None and matrix.task_ids == (directive.tasks[1].id,)
    model = page.matrix.model
    assert model.rowCount() == len(matrix.units) + 3
    index = model.index(1, 1)
    rect = page.matrix.view.visualRect(index)
    from tests.ui.conftest import with_modal

    seen: list[object] = []
    result = with_modal(
        qtbot,
        lambda: qtbot.mouseClick(
            page.matrix.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center()
        ),
        lambda dialog: (seen.append(dialog), dialog.reject()),
    )
    assert result.seen
    # the intake dialog of that cell's obligation (the reports tab handles periodic tasks)
    assert seen[0]._obligation.id == matrix.cells[1][0].id  # type: ignore[attr-defined]
    window.tabs.setCurrentWidget(page)
    # The one-off task: a single period column.
    page.show_matrix(directive.tasks[0].id)
    assert len(page.matrix.matrix().columns) == 1
    assert model.columnCount() == 1 + 1 + 7


def test_notice_of_newly_overdue_at_start(qtbot, data) -> None:  # type: ignore[no-untyped-def]
    from ui.main_window import MainWindow

    with data.write() as session:
        save_settings(session, last_start="2018-04-20")
    w = MainWindow(data, today=D(2018, 5, 2))
    qtbot.addWidget(w)
    w.check_overdue_since_last_start()
    notice = w.overdue_notice
    assert notice.isVisible() and not notice.isModal()
    assert "12 nghĩa vụ mới chuyển sang quá hạn" in notice.text()
    with data.read() as session:
        assert load_settings(session).last_start == "2018-05-02"
    notice.close()
    w.overdue_notice = None
    w.check_overdue_since_last_start()  # the same day again: nothing new, no notice
    assert w.overdue_notice is None


def test_models_pass_qtmodeltester(qtmodeltester, window, data) -> None:  # type: ignore[no-untyped-def]
    window.set_as_of(D(2018, 6, 25))
    warnings_page = _page(window, "WarningsPage")
    dashboard_page = _page(window, "DashboardPage")
    qtmodeltester.check(warnings_page.model)
    qtmodeltester.check(dashboard_page.summary_model)
    qtmodeltester.check(dashboard_page.matrix.model)
    from ui.models.completeness_matrix_model import CompletenessMatrixModel
    from ui.models.task_summary_model import TaskSummaryModel
    from ui.models.warnings_model import WarningsModel

    qtmodeltester.check(WarningsModel())
    qtmodeltester.check(CompletenessMatrixModel())
    qtmodeltester.check(TaskSummaryModel())


def test_chart_draws(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    page = _page(window, "DashboardPage")
    window.set_as_of(D(2018, 6, 25))
    chart = next(iter(page.charts.values()))
    image = chart.grab().toImage()
    assert not image.isNull() and image.height() == chart.height()
    colours = {
        image.pixelColor(x, chart.BAR_HEIGHT // 2 + 2).name() for x in range(0, image.width(), 3)
    }
    assert Status.OVERDUE.colour in colours  # an overdue segment is painted
    assert "đã nộp 3 (21,4%)" in chart.toolTip()  # 2 on time + 1 late of 14 districts


def test_matrix_totals_and_rates_are_shown(window, data) -> None:  # type: ignore[no-untyped-def]
    from app.status import rate_text

    page = _page(window, "DashboardPage")
    (directive,) = list_directives(data)
    window.set_as_of(D(2018, 6, 25))
    page.show_matrix(directive.tasks[0].id)
    model = page.matrix.model
    matrix = page.matrix.matrix()
    units = len(matrix.units)
    column = model.columnCount() - 2  # "Tỷ lệ nộp"
    assert model.headerData(column, Qt.Orientation.Horizontal) == "Tỷ lệ nộp"
    for row, totals in enumerate(matrix.row_totals):
        assert model.index(row, column).data() == rate_text(totals.received_rate)
    col = matrix.column_totals[0]
    assert model.index(units, 1).data() == f"{col.received}/{col.expected}"
    assert model.index(units + 1, 1).data() == rate_text(col.received_rate)
    assert model.index(units + 2, 1).data() == rate_text(col.on_time_rate)
    # Every cell has a text label besides its colour.
    for row in range(units):
        index = model.index(row, 1)
        assert index.data() and index.data(Qt.ItemDataRole.BackgroundRole) is not None


def test_table_double_click_shows_the_task_matrix(window, data, qtbot) -> None:  # type: ignore[no-untyped-def]
    page = _page(window, "DashboardPage")
    window.tabs.setCurrentWidget(page)
    page.sections.setCurrentIndex(1)
    window.set_as_of(D(2018, 6, 25))
    (directive,) = list_directives(data)
    row = next(
        i
        for i in range(page.summary_model.rowCount())
        if page.summary_model.row_at(i).task_id == directive.tasks[2].id
    )
    page.table.doubleClicked.emit(page.summary_model.index(row, 0))
    assert page.sections.currentIndex() == 2
    assert page.matrix.matrix().task_ids == (directive.tasks[2].id,)
