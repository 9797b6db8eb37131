"""The window builds the page on screen before its first paint and the five others right after
it (docs/performance.md, "Start-up and the command line"): what is on screen comes first, and
nothing is lost for the pages built later — tab counts, broadcasts, opening an obligation, a
tab clicked early. With the real thread pool, as in the running program."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QEvent, QObject, QSettings

from app.db import Database
from tests.ui.conftest import TODAY, page_of
from ui import tasks
from ui.main_window import MainWindow
from ui.pages.base import Change, Page
from ui.pages.units_page import UnitsPage
from ui.pages.warnings_page import WarningsPage

TITLES = [
    "Tổng quan",
    "Cảnh báo hạn",
    "Đăng ký kế hoạch",
    "Tiếp nhận báo cáo",
    "Văn bản chỉ đạo",
    "Đơn vị",
]


@pytest.fixture(autouse=True)
def _thread_pool(message_log: Any) -> Iterator[None]:
    QSettings().clear()
    tasks.set_synchronous(False)
    yield
    tasks.wait_for_background()


def _open(qtbot: Any, db: Database) -> MainWindow:
    window = MainWindow(db, today=TODAY)
    qtbot.addWidget(window)
    window.show()
    return window


class _Paints(QObject):
    """Records, in order, the paints of a page once it has its data."""

    def __init__(self, page: Page, events: list[str]) -> None:
        super().__init__(page)
        self.page, self.events = page, events
        page.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and self.page.is_loaded:
            self.events.append("painted")
        return False


def test_the_page_on_screen_is_painted_with_its_data_before_the_others_are_built(
    qtbot: Any, sample_db: Database
) -> None:
    window = _open(qtbot, sample_db)
    assert [window.tabs.tabText(i) for i in range(6)] == TITLES  # every tab, at once
    (first,) = window.pages
    assert window.tabs.currentWidget() is first and not first.is_loaded
    assert not window.pages_built and window.first_loads_pending()
    events: list[str] = []
    _Paints(first, events)
    first.loaded.connect(lambda: events.append("loaded"))
    window.pagesBuilt.connect(lambda: events.append("others built"))
    with qtbot.waitSignal(window.firstLoadsDone, timeout=20_000):
        pass
    assert events[:3] == ["loaded", "painted", "others built"]
    assert len(window.pages) == 6 and all(p.is_loaded for p in window.pages)
    assert [window.tabs.widget(i) for i in range(6)] == window.pages  # in tab order
    assert window.tabs.currentWidget() is first
    warnings = page_of(window, WarningsPage)
    assert window.tabs.tabText(1) == f"Cảnh báo hạn ({warnings.current_count})"
    assert window.tabs.tabText(2) == "Đăng ký kế hoạch (14)"  # counts came with their pages


def test_the_tab_of_the_last_session_is_the_one_built_first(
    qtbot: Any, sample_db: Database
) -> None:
    QSettings().setValue("main/tab", 5)
    window = _open(qtbot, sample_db)
    assert [type(p) for p in window.pages] == [UnitsPage]
    assert window.tabs.currentIndex() == 5
    qtbot.waitUntil(lambda: window.pages_built, timeout=20_000)
    assert window.tabs.currentIndex() == 5 and isinstance(window.current_page(), UnitsPage)


def test_a_tab_clicked_before_its_page_exists_builds_the_pages_at_once(
    qtbot: Any, sample_db: Database
) -> None:
    window = _open(qtbot, sample_db)
    window.tabs.setCurrentIndex(4)
    assert window.pages_built
    assert window.tabs.currentIndex() == 4 and window.current_page() is window.tabs.widget(4)
    assert window.tabs.tabText(4) == "Văn bản chỉ đạo"


def test_opening_an_obligation_early_finds_the_page_that_registers_it(
    qtbot: Any, sample_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.services.obligations import list_obligations
    from ui.pages.intake_page import IntakePage

    obligation = list_obligations(sample_db, TODAY)[0]
    window = _open(qtbot, sample_db)
    registered: list[tuple[str, int]] = []
    monkeypatch.setattr(
        IntakePage, "register", lambda page, oid: registered.append((type(page).__name__, oid))
    )
    window.open_obligation(obligation.id)  # before the intake pages were built
    assert window.pages_built
    assert registered == [(type(window.current_page()).__name__, obligation.id)]
    assert isinstance(window.current_page(), IntakePage)  # its tab brought forward


def test_a_change_broadcast_before_the_others_exist_reaches_them_built(
    qtbot: Any, sample_db: Database
) -> None:
    window = _open(qtbot, sample_db)
    window.broadcast(Change.ALL)  # told to the page on screen only; the others load afresh
    qtbot.waitUntil(lambda: window.pages_built, timeout=20_000)
    seen: list[Change] = []
    window.changed.connect(seen.append)
    units = page_of(window, UnitsPage)
    refreshed: list[int] = []
    units.loaded.connect(lambda: refreshed.append(1))
    window.broadcast(Change.UNITS)
    qtbot.waitUntil(lambda: refreshed == [1], timeout=20_000)
    assert seen == [Change.UNITS]


def test_a_window_closed_before_its_first_paint_builds_nothing_more(
    qtbot: Any, sample_db: Database
) -> None:
    from PySide6.QtWidgets import QApplication

    window = _open(qtbot, sample_db)
    window.close()
    assert tasks.wait_for_background()
    QApplication.processEvents()  # the first page's late result, dropped
    window.build_other_pages()  # what the paint's timer would call
    assert len(window.pages) == 1 and not window.pages_built


def test_when_the_first_page_cannot_load_the_others_are_built_all_the_same(
    qtbot: Any, sample_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ui.pages.dashboard_page as dashboard_page

    def unreadable(*_args: object, **_kw: object) -> None:
        raise OSError("ổ mạng bị ngắt")

    monkeypatch.setattr(dashboard_page, "overview", unreadable)
    window = _open(qtbot, sample_db)
    with qtbot.waitSignal(window.pagesBuilt, timeout=20_000):
        pass
    assert not window.pages[0].is_loaded and len(window.pages) == 6
