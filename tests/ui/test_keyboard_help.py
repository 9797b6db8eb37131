"""Keyboard on every tab (search → list, Esc clears), the frozen unit column, F1 → the guide at the
tab's section, Tệp → Nạp dữ liệu mẫu on an empty database."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from tests.ui.conftest import page_of, type_text
from ui.pages.directives_page import DirectivesPage
from ui.pages.plans_page import PlansPage
from ui.pages.reports_page import ReportsPage
from ui.pages.units_page import UnitsPage
from ui.pages.warnings_page import WarningsPage


def _search_and_view(page: Any) -> tuple[Any, Any]:
    if isinstance(page, WarningsPage):
        return page.search_edit, page.view
    return page.search_box, page.table


@pytest.mark.parametrize(
    "page_cls", [PlansPage, ReportsPage, DirectivesPage, UnitsPage, WarningsPage]
)
@pytest.mark.parametrize("key", [Qt.Key.Key_Down, Qt.Key.Key_Return])
def test_search_then_down_or_enter_reaches_the_first_row(
    window: Any, page_cls: type, key: Qt.Key
) -> None:
    page = page_of(window, page_cls)
    search, view = _search_and_view(page)
    window.page_actions["focus_search"].trigger()
    assert search.hasFocus() or QApplication.focusWidget() is search
    type_text(search, "u")  # matches something on every tab of the sample
    QTest.keyClick(search, key)
    assert view.hasFocus()
    assert view.model().rowCount() > 0
    assert view.currentIndex().row() == 0
    # Esc in the list clears the search and goes back to it
    QTest.keyClick(view, Qt.Key.Key_Escape)
    assert search.text() == "" and search.hasFocus()


@pytest.mark.parametrize(
    "page_cls", [PlansPage, ReportsPage, DirectivesPage, UnitsPage, WarningsPage]
)
def test_esc_clears_the_search_on_every_tab(window: Any, page_cls: type) -> None:
    page = page_of(window, page_cls)
    search, _view = _search_and_view(page)
    search.setFocus()
    type_text(search, "son tinh")
    QTest.keyClick(search, Qt.Key.Key_Escape)
    assert search.text() == ""


def test_first_column_stays_when_scrolled_sideways(window: Any, qtbot: Any) -> None:
    from ui.pages.dashboard_page import DashboardPage

    page = page_of(window, DashboardPage)
    page.sections.setCurrentWidget(page.matrix)
    matrix = page.matrix
    qtbot.waitUntil(lambda: matrix.model.rowCount() > 0)
    view = matrix.view
    view.resize(420, 300)
    for column in range(1, matrix.model.columnCount()):
        view.setColumnWidth(column, 160)
    view.horizontalScrollBar().setValue(view.horizontalScrollBar().maximum())
    qtbot.waitUntil(lambda: matrix.frozen.isVisible())
    frozen = matrix.frozen.overlay
    assert frozen is not None
    assert frozen.geometry().width() == view.columnWidth(0)
    first_unit = matrix.model.index(0, 0).data()
    assert frozen.model().index(0, 0).data() == first_unit
    assert frozen.visualRect(frozen.model().index(0, 0)).isValid()
    view.verticalScrollBar().setValue(view.verticalScrollBar().maximum())
    assert frozen.verticalScrollBar().value() == view.verticalScrollBar().value()
    view.horizontalScrollBar().setValue(0)
    assert not frozen.isVisible()


def test_lists_keep_the_columns_up_to_the_unit_in_place(window: Any, qtbot: Any) -> None:
    page = page_of(window, PlansPage)
    table = page.table
    model = table.model()
    kept = table.frozen.frozen_columns()
    titles = [model.headerData(c, Qt.Orientation.Horizontal) for c in kept]
    assert titles[-1] == "Đơn vị" and len(kept) <= 3
    window.resize(960, window.height())
    table.horizontalScrollBar().setValue(table.horizontalScrollBar().maximum())
    qtbot.waitUntil(table.frozen.isVisible)
    overlay = table.frozen.overlay
    assert overlay is not None
    assert overlay.width() == sum(table.columnWidth(c) for c in kept)
    row = model.index(0, kept[-1])
    assert overlay.visualRect(row).isValid()
    directives = page_of(window, DirectivesPage)
    assert len(directives.table.frozen.frozen_columns()) == 1  # no unit column: the first
    assert directives.table.frozen.overlay is None  # never scrolled sideways: not made


def test_f1_opens_the_guide_at_the_tab_section(window: Any, qtbot: Any) -> None:
    for page_cls, heading in (
        (WarningsPage, "Thẻ Cảnh báo hạn"),
        (UnitsPage, "Thẻ Đơn vị"),
        (PlansPage, "Thẻ Đăng ký kế hoạch và Tiếp nhận báo cáo"),
    ):
        page_of(window, page_cls)
        QTest.keyClick(window.tabs, Qt.Key.Key_F1)
        help_window = window.help_actions.help_window
        assert help_window is not None
        qtbot.waitUntil(help_window.isVisible)
        assert help_window.current_heading() == heading
    assert "Tình hình tính đến ngày" in help_window.text()


def test_guide_search_ignores_accents_and_shows_screenshots(window: Any, qtbot: Any) -> None:
    help_window = window.help_actions.open_guide()
    qtbot.waitUntil(help_window.isVisible)
    type_text(help_window.search_edit, "canh bao")
    assert help_window.browser.textCursor().selectedText().lower() == "cảnh báo"
    first = help_window.browser.textCursor().selectionStart()
    QTest.keyClick(help_window.search_edit, Qt.Key.Key_Return)
    assert help_window.browser.textCursor().selectionStart() != first
    html = help_window.browser.toHtml()
    assert "<img" in html and "screenshots/" in html
    help_window.search_edit.clear()
    type_text(help_window.search_edit, "khong co tu nay xyz")
    assert help_window.found_label.text() == "Không thấy"


def test_sample_data_item_only_while_the_data_is_empty(empty_window: Any, message_log: Any) -> None:
    actions = empty_window.help_actions
    actions.update_sample_action()
    assert actions.sample_action.isVisible()
    actions.sample_action.trigger()
    assert message_log.confirms and "dữ liệu mẫu" in message_log.confirms[-1]
    assert "Đã nạp dữ liệu mẫu" in empty_window.status_label.text()
    assert not actions.sample_action.isVisible()


def test_sample_data_item_hidden_with_data(window: Any) -> None:
    window.help_actions.update_sample_action()
    assert not window.help_actions.sample_action.isVisible()


def test_warnings_keep_status_to_unit_in_place(window: Any, qtbot: Any) -> None:
    page = page_of(window, WarningsPage)
    view = page.view
    window.resize(960, window.height())
    for column in range(view.model().columnCount()):
        view.setColumnWidth(column, 110 if column < 4 else 220)
    qtbot.waitUntil(lambda: view.horizontalScrollBar().maximum() > 0)
    view.horizontalScrollBar().setValue(view.horizontalScrollBar().maximum())
    qtbot.waitUntil(page.frozen.isVisible)
    kept = page.frozen.frozen_columns()
    titles = [view.model().headerData(c, Qt.Orientation.Horizontal) for c in kept]
    assert titles[-1] == "Đơn vị" and titles[0] == "Trạng thái"
