"""The window: tab order and titles, loading off the UI thread, remembered column widths."""

from __future__ import annotations

from PySide6.QtCore import QSettings

from tests.ui.conftest import TODAY, page_of
from ui import tasks
from ui.pages.directives_page import DirectivesPage
from ui.pages.plans_page import PlansPage
from ui.pages.units_page import UnitsPage


def test_tabs_in_the_order_of_the_day(window) -> None:
    titles = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    assert titles == ["Đăng ký kế hoạch (14)", "Tiếp nhận báo cáo", "Văn bản chỉ đạo", "Đơn vị"]


def test_pages_load_off_the_ui_thread(qtbot, sample_db, message_log) -> None:
    from ui.main_window import MainWindow

    tasks.set_synchronous(False)
    win = MainWindow(sample_db, today=TODAY)
    qtbot.addWidget(win)
    plans = page_of(win, PlansPage)
    directives_page = page_of(win, DirectivesPage)
    win.set_as_of(TODAY)
    qtbot.waitUntil(lambda: not plans.loading and not directives_page.loading, timeout=10000)
    assert plans.model.rowCount() == 14
    assert directives_page.model.rowCount() == 1
    assert win.tabs.tabText(win.tabs.indexOf(plans)) == "Đăng ký kế hoạch (14)"


def test_column_widths_are_remembered(qtbot, sample_db, message_log) -> None:
    from ui.main_window import MainWindow

    tasks.set_synchronous(True)
    first = MainWindow(sample_db, today=TODAY)
    qtbot.addWidget(first)
    page = page_of(first, UnitsPage)
    page.table.setColumnWidth(1, 333)
    first.close()
    assert QSettings().value("tables/units/header") is not None
    second = MainWindow(sample_db, today=TODAY)
    qtbot.addWidget(second)
    assert page_of(second, UnitsPage).table.columnWidth(1) == 333
    tasks.set_synchronous(False)
