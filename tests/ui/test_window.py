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
    assert titles[0] == "Tổng quan" and titles[1].startswith("Cảnh báo hạn")
    assert titles[2:] == ["Đăng ký kế hoạch (14)", "Tiếp nhận báo cáo", "Văn bản chỉ đạo", "Đơn vị"]


def test_pages_load_off_the_ui_thread(qtbot, sample_db, message_log) -> None:
    from ui.main_window import MainWindow

    tasks.set_synchronous(False)
    win = MainWindow(sample_db, today=TODAY)
    qtbot.addWidget(win)
    # the page on screen first; the others once it has its data (the window is not shown)
    assert [type(p).__name__ for p in win.pages] == ["DashboardPage"]
    qtbot.waitSignal(win.pagesBuilt, timeout=10000).wait()
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
    assert QSettings().value(page.table._settings_key()) is not None
    second = MainWindow(sample_db, today=TODAY)
    qtbot.addWidget(second)
    assert page_of(second, UnitsPage).table.columnWidth(1) == 333
    tasks.set_synchronous(False)


def test_delete_key_in_search_box_edits_text_only(qtbot, window, message_log) -> None:
    from PySide6.QtCore import Qt

    page = page_of(window, PlansPage)
    page.search_box.setText("son")
    page.search_box.setFocus()
    page.search_box.setCursorPosition(0)
    qtbot.keyClick(page.search_box, Qt.Key.Key_Delete)
    assert page.search_box.text() == "on"
    assert message_log.confirms == []


def test_escape_cancels_a_dialog_and_saves_nothing(qtbot, window) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from app.services import units
    from tests.ui.conftest import with_modal

    page = page_of(window, UnitsPage)
    count = len(units.list_units(window.db))

    def fill(dialog) -> None:
        QTest.keyClicks(dialog.name_edit, "Don vi thu")
        QTest.keyClick(dialog.name_edit, Qt.Key.Key_Escape)

    result = with_modal(qtbot, page.new_item, fill)
    assert not result.accepted and not result.errors
    assert len(units.list_units(window.db)) == count


def test_a_closed_window_never_reads_its_database_again(qtbot, sample_db, message_log) -> None:
    """Closing the window while every page reloads (a new day was just chosen) and a search
    is still waiting for its delay: the loads already running end, and after that nothing
    reads the database — no late result is shown, no timer fires, no page starts a load —
    so the program can close its database (or lose its server) right after the window."""
    import datetime as dt

    from sqlalchemy import event

    from ui.main_window import MainWindow

    tasks.set_synchronous(False)
    win = MainWindow(sample_db, today=TODAY)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.pages_built, timeout=10000)  # after the overview's first paint
    plans = page_of(win, PlansPage)
    qtbot.waitUntil(lambda: not plans.loading and plans.model.rowCount() == 14, timeout=10000)
    shown = plans.summary_label.text()

    win.set_as_of(dt.date(2018, 6, 25))  # every page starts a load
    plans.search_box.setText("son")  # filtered after a short delay
    win.close()
    assert win.closed
    assert tasks.wait_for_background()  # the loads already running end

    queries: list[str] = []

    def record(_conn, _cursor, statement, *_args) -> None:
        queries.append(statement)

    event.listen(sample_db.engine, "before_cursor_execute", record)
    try:
        qtbot.wait(400)  # their results arrive; the search delay passes
        win.refresh_all()
        for i in range(win.tabs.count()):
            win.tabs.widget(i).refresh()
        qtbot.wait(100)
        assert tasks.wait_for_background()
    finally:
        event.remove(sample_db.engine, "before_cursor_execute", record)
    assert queries == []
    assert message_log.errors == []
    assert plans.summary_label.text() == shown  # the late result for 25/06 was not shown
    assert plans.search_box.text() == "son" and plans.table.proxy.rowCount() == 14
