"""The main window: menus, tool bar with the "as of" day, the tab pages, status bar."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QByteArray, QEvent, QObject, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QTabWidget,
    QToolBar,
    QWidget,
)

from app import APP_NAME, __version__
from app.changes import Change
from app.db import Database
from app.text import number_text
from ui.pages import PageEntry
from ui.pages.base import Page
from ui.tasks import Runner
from ui.widgets import date_field
from ui.widgets.date_field import DateField

# How long the window waits for the page on screen to show its data, then for its next paint
# (a window minimised meanwhile is not painted), before what waits for them goes ahead anyway.
PAGE_WAIT_MS = 60_000
PAINT_WAIT_MS = 1_000


def when_signalled(owner: QObject, signal: Any, then: Callable[[], None], timeout_ms: int) -> None:
    """Run ``then`` once: on ``signal`` or after ``timeout_ms``, whichever comes first (the
    timer dies with ``owner``)."""
    fired = False

    def once() -> None:
        nonlocal fired
        if fired:
            return
        fired = True
        signal.disconnect(once)
        then()

    signal.connect(once)
    QTimer.singleShot(timeout_ms, owner, once)


class MainWindow(QMainWindow):
    """The tab pages keep one contract (:class:`ui.pages.base.Page`): the window calls their
    ``refresh()``, menu actions, ``save_state()`` and ``export_excel()``; a page's
    ``countChanged(int)`` shows in its tab title ("Cảnh báo hạn (12)"). A write anywhere is
    broadcast as the :class:`~app.changes.Change` the database recorded it made
    (``broadcast``, called by ``ui.operations``): each page reloads only when it concerns it.

    Only the page on screen is built before the window's first paint; the others right after
    it (``pagesBuilt``), or at once when something needs them (a tab clicked, an obligation
    opened): ``pages`` holds the pages built so far, in tab order."""

    asOfChanged = Signal(object)  # dt.date
    changed = Signal(object)  # app.changes.Change, after the pages have been told
    pagesBuilt = Signal()  # every tab holds its page
    firstLoadsDone = Signal()  # every page built and its first load delivered

    def __init__(
        self, db: Database, *, today: dt.date | None = None, runner: Runner | None = None
    ) -> None:
        super().__init__()
        self.db = db
        # the window's background work: its pages', dialogs' and widgets' (ui.tasks)
        self.runner = runner or Runner(self)
        if runner is not None:
            runner.setParent(self)
        self._today = today
        self._titles: dict[QWidget, str] = {}
        self.pages: list[Page] = []
        self._waiting: dict[QWidget, PageEntry] = {}  # a tab's stand-in → the page it awaits
        self._replacing = False
        self.runner.firstLoadsDone.connect(self._on_runner_first_loads_done)
        date_field.set_today(self.today)  # Ctrl+; and "Hôm nay" in every date field
        self.closed = False  # set when the window is closed: its pages stop loading
        self._build_ui()
        self._connect_signals()
        self._restore_state()
        from ui.data_actions import install_data_actions

        install_data_actions(self)
        from ui.help_actions import install_help_actions

        install_help_actions(self)

    # --- the day --------------------------------------------------------------------------
    def today(self) -> dt.date:
        """The real day (tests pass one). Only the UI reads the clock."""
        return self._today or dt.date.today()

    @property
    def as_of(self) -> dt.date:
        return self.as_of_edit.date_value() or self.today()

    def set_as_of(self, day: dt.date) -> None:
        self.as_of_edit.set_date_value(day)

    # --- building -------------------------------------------------------------------------
    def _build_ui(self) -> None:
        self.setWindowTitle(f"{APP_NAME} {__version__}")
        self.resize(1200, 760)
        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        self.setCentralWidget(self.tabs)

        toolbar = QToolBar("Ngày xét", self)
        toolbar.setObjectName("asOfToolbar")
        toolbar.setMovable(False)
        toolbar.addWidget(QLabel(" Tình hình tính đến ngày: "))
        self.as_of_edit = DateField(self, label="Ngày xét", allow_empty=False)
        self.as_of_edit.setToolTip(
            "Mọi danh sách và thống kê tính theo ngày này "
            "(mặc định hôm nay). Gõ ngày rồi Enter; Ctrl+T: về hôm nay."
        )
        self.as_of_edit.set_date_value(self.today())
        toolbar.addWidget(self.as_of_edit)
        self.today_action = QAction("Hôm nay", self)
        self.today_action.setShortcut(QKeySequence("Ctrl+T"))
        toolbar.addAction(self.today_action)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, toolbar)

        menu = self.menuBar()
        self.file_menu = menu.addMenu("&Tệp")
        self.quit_action = QAction("Thoát", self)
        self.quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        self._build_edit_menu()
        self.view_menu = menu.addMenu("&Xem")
        self.refresh_action = QAction("Làm mới", self)
        self.refresh_action.setShortcut(QKeySequence("F5"))
        self.view_menu.addAction(self.refresh_action)
        self.view_menu.addAction(self.today_action)
        self.help_menu = menu.addMenu("Trợ &giúp")
        self.about_action = QAction("Thông tin chương trình", self)
        self.help_menu.addAction(self.about_action)

        self.status_label = QLabel(self)
        self.statusBar().addPermanentWidget(self.status_label)
        self._add_pages()
        from ui.print_actions import install_print_actions

        install_print_actions(self)
        from ui.receive_actions import install_receive_actions

        install_receive_actions(self)
        self.export_action = QAction("Xuất Excel…", self)
        self.export_action.setShortcut(QKeySequence("Ctrl+E"))
        self.export_action.setToolTip("Xuất bảng đang xem trên thẻ hiện tại ra tệp Excel")
        self.export_action.triggered.connect(lambda: self._call_page(lambda p: p.export_excel()))
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.export_action)
        self.settings_action = QAction("Cài đặt…", self)
        self.settings_action.setShortcut(QKeySequence("Ctrl+,"))
        self.file_menu.addAction(self.settings_action)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.quit_action)
        from ui.server_actions import install_server_actions

        install_server_actions(self)
        from ui.deadline_actions import install_deadline_actions

        install_deadline_actions(self)

    def _build_edit_menu(self) -> None:
        """Thêm/Sửa/Xoá/Tìm/Lịch sử act on the current tab (pages that offer them)."""
        self.edit_menu = self.menuBar().addMenu("&Sửa")
        self.page_actions: dict[str, QAction] = {}
        entries: tuple[tuple[str, str, str, Callable[[Page], None]], ...] = (
            ("new_item", "Thêm mới", "Ctrl+N", lambda p: p.new_item()),
            ("edit_item", "Sửa", "F2", lambda p: p.edit_item()),
            ("delete_item", "Xoá", "Del", lambda p: p.delete_item()),
            ("focus_search", "Tìm", "Ctrl+F", lambda p: p.focus_search()),
            ("show_history", "Lịch sử thay đổi", "Ctrl+H", lambda p: p.show_history()),
        )
        for name, text, keys, call in entries:
            action = QAction(text, self)
            action.setShortcut(QKeySequence(keys))
            action.triggered.connect(lambda _checked=False, c=call: self._call_page(c))
            self.edit_menu.addAction(action)
            self.page_actions[name] = action

    def current_page(self) -> Page | None:
        page = self.tabs.currentWidget()
        return page if isinstance(page, Page) else None

    def _call_page(self, call: Callable[[Page], None]) -> None:
        page = self.current_page()
        if page is not None:
            call(page)

    def _add_pages(self) -> None:
        """The tab pages, in the order of the specialist's day. The page on screen (the tab of
        the last session) is built now and starts its first load; the other tabs hold an
        empty stand-in until :meth:`build_other_pages`, right after the first paint —
        importing and building them delayed that paint by ~0.15 s (docs/performance.md)."""
        from ui.pages import PAGES

        shown = self._saved_tab()
        if not 0 <= shown < len(PAGES):
            shown = 0
        with self.runner.one_after_another():
            for index, entry in enumerate(PAGES):
                if index == shown:
                    self.tabs.addTab(self._adopt(entry.build(self), entry.title), entry.title)
                else:
                    stand_in = QWidget(self.tabs)
                    self._waiting[stand_in] = entry
                    self.tabs.addTab(stand_in, entry.title)
        self.tabs.setCurrentIndex(shown)
        self.tabs.currentChanged.connect(self._on_tabs_current_changed)
        if self.runner.inline:  # background work run inline (the tests): no paint to wait for
            self.build_other_pages()
        else:  # one turn after the paint: what else waits for it (the damage check, ui/app.py)
            # starts first, on its worker thread
            self.after_first_paint(lambda: QTimer.singleShot(0, self, self.build_other_pages))

    def build_other_pages(self) -> None:
        """Build the pages still awaited, in tab order; their first loads run one after
        another. Does nothing once they exist or the window is closed."""
        if not self._waiting or self.closed:
            return
        current = self.tabs.currentIndex()
        self._replacing = True
        try:
            with self.runner.one_after_another():
                for stand_in, entry in list(self._waiting.items()):
                    page = self._adopt(entry.build(self), entry.title)
                    index = self.tabs.indexOf(stand_in)
                    self.tabs.removeTab(index)
                    self.tabs.insertTab(index, page, entry.title)
                    del self._waiting[stand_in]
                    stand_in.deleteLater()
                    if page.current_count:  # counted while it was built
                        self._set_count(page, page.current_count)
                self.tabs.setCurrentIndex(current)
        finally:
            self._replacing = False
        widgets = [self.tabs.widget(i) for i in range(self.tabs.count())]
        self.pages = [w for w in widgets if isinstance(w, Page)]  # in tab order
        self.pagesBuilt.emit()

    @property
    def pages_built(self) -> bool:
        return not self._waiting

    def _adopt(self, page: Page, title: str) -> Page:
        self._titles[page] = title
        self.pages.append(page)
        page.countChanged.connect(lambda n, p=page: self._set_count(p, n))
        page.openObligationRequested.connect(self.open_obligation)
        return page

    def _on_tabs_current_changed(self, index: int) -> None:
        if not self._replacing and self.tabs.widget(index) in self._waiting:
            self.build_other_pages()  # a tab clicked before its page was built

    def after_first_paint(self, then: Callable[[], None]) -> None:
        """Run ``then`` once the page on screen shows its data and has been painted with it:
        its ``loaded`` signal (none for a page that loads on the UI thread), then its next
        paint. At once when background work runs inline (the tests); never once the window
        is closed."""
        page = self.current_page()
        if page is None or (page.is_loaded and self.runner.inline):
            then()
        elif page.is_loaded:
            self._after_paint(page, then)
        else:
            when_signalled(self, page.loaded, lambda: self._after_paint(page, then), PAGE_WAIT_MS)

    def _after_paint(self, widget: QWidget, then: Callable[[], None]) -> None:
        """Run ``then`` right after ``widget``'s next paint: at the latest after
        ``PAINT_WAIT_MS``, and on the next turn of the event loop when the window is not on
        screen by then (no paint is coming)."""
        fired = False

        def fire() -> None:
            nonlocal fired
            if fired:
                return
            fired = True
            widget.removeEventFilter(watcher)
            watcher.deleteLater()
            if not self.closed:
                then()

        class _Watcher(QObject):
            def eventFilter(self, watched: QObject, event: QEvent) -> bool:
                if event.type() == QEvent.Type.Paint:
                    QTimer.singleShot(0, watched, fire)  # once this paint has ended
                return False

        watcher = _Watcher(self)
        widget.installEventFilter(watcher)
        QTimer.singleShot(0, self, lambda: None if self.isVisible() else fire())
        QTimer.singleShot(PAINT_WAIT_MS, self, fire)

    def first_loads_pending(self) -> bool:
        """Pages not built yet, or first loads still waiting or running."""
        return bool(self._waiting) or self.runner.first_loads_pending()

    def _on_runner_first_loads_done(self) -> None:
        if not self._waiting:
            self.firstLoadsDone.emit()
            return
        page = self.current_page()
        if page is not None and not page.is_loaded:  # its load failed (the error was shown)
            self.build_other_pages()

    def _set_count(self, page: QWidget, count: int) -> None:
        index = self.tabs.indexOf(page)
        if index >= 0:
            title = self._titles[page]
            self.tabs.setTabText(index, f"{title} ({number_text(count)})" if count else title)

    def _connect_signals(self) -> None:
        self.quit_action.triggered.connect(self.close)
        self.refresh_action.triggered.connect(self.refresh_all)
        self.today_action.triggered.connect(lambda: self.set_as_of(self.today()))
        self.as_of_edit.dateValueChanged.connect(self._on_as_of_changed)
        self.as_of_edit.invalidEntered.connect(self._on_as_of_invalid)
        self.about_action.triggered.connect(self._on_about_triggered)
        self.settings_action.triggered.connect(self._on_settings_triggered)

    # --- actions --------------------------------------------------------------------------
    def refresh_all(self) -> None:
        """F5, another "as of" day: every page loads again."""
        self.broadcast(Change.ALL)

    def broadcast(self, change: Change, *, source: Page | None = None) -> None:
        """``change`` happened (a write, recorded by ``ui.operations``; another day; F5):
        every page it concerns reloads (``source``, the page that made it and reloads itself,
        is skipped)."""
        if self.closed:
            return
        for page in self.pages:
            if page is not source:
                page.on_changed(change)
        self.changed.emit(change)

    def _on_as_of_changed(self, day: object) -> None:
        if isinstance(day, dt.date):
            self.asOfChanged.emit(day)
            self.broadcast(Change.DAY)

    def _on_as_of_invalid(self, message: str) -> None:
        from app.dates import fmt

        self.show_status(
            f"{message} Các danh sách vẫn tính đến ngày {fmt(self.as_of)}; "
            "hãy gõ lại ngày, ví dụ 25/06/2018."
        )

    def open_document_dialog(
        self, kind: str = "summary", directive_id: int | None = None, unit_id: int | None = None
    ) -> QWidget:
        """The document dialog ("summary", "reminder", "unit-sheet"), for the pages' "In / Xuất
        PDF" buttons."""
        from ui.print_actions import open_document_dialog

        return open_document_dialog(self, kind, directive_id, unit_id)

    def _on_settings_triggered(self) -> None:
        from ui.dialogs.settings_dialog import SettingsDialog

        SettingsDialog(self.db, self).exec()  # its save says what it changed

    def _on_about_triggered(self) -> None:
        from app.connection import redact
        from ui.dialogs.messages import show_info

        where = str(self.db.path) if self.db.path else redact(self.db.url)
        show_info(
            self,
            "Thông tin chương trình",
            f"{APP_NAME} {__version__}\nTheo dõi, đôn đốc và tổng hợp việc thực hiện văn "
            f"bản chỉ đạo.\n\nTệp dữ liệu: {where}",
        )

    def show_status(self, text: str) -> None:
        self.status_label.setText(text)

    def open_obligation(self, obligation_id: int) -> None:
        """Open one obligation: the first page whose ``open_obligation(obligation_id)``
        accepts it (returns anything but False) opens its registration/intake dialog; when no
        page does, a read-only detail of the obligation is shown."""
        self.build_other_pages()
        for page in self.pages:
            if page.open_obligation(obligation_id):
                return
        from ui.dialogs.obligation_dialog import ObligationDialog
        from ui.operations import run_operation

        def opened(dialog: ObligationDialog) -> None:
            self.obligation_dialog = dialog
            dialog.open()

        run_operation(
            self, lambda: ObligationDialog(self.db, obligation_id, self.as_of, self), done=opened
        )

    def check_overdue_since_last_start(self) -> None:
        """Once at start-up: a non-modal notice of what became overdue since the last start."""
        from app.services.dashboard import check_since_last_start
        from ui.dialogs.messages import show_notice

        result = check_since_last_start(self.db, self.today())
        text = result.describe()
        if text:
            self.overdue_notice = show_notice(self, "Nghĩa vụ mới quá hạn", text)

    # --- window state ---------------------------------------------------------------------
    def _restore_state(self) -> None:
        settings = QSettings()
        geometry = settings.value("main/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        state = settings.value("main/state")
        if isinstance(state, QByteArray):
            self.restoreState(state)

    @staticmethod
    def _saved_tab() -> int:
        """The tab on screen when the window was last closed (0: the overview)."""
        with contextlib.suppress(TypeError, ValueError):
            return int(QSettings().value("main/tab", 0))  # type: ignore[call-overload]
        return 0

    def closeEvent(self, event: QCloseEvent) -> None:
        settings = QSettings()
        settings.setValue("main/geometry", self.saveGeometry())
        settings.setValue("main/state", self.saveState())
        settings.setValue("main/tab", self.tabs.currentIndex())
        for page in self.pages:
            page.save_state()
        super().closeEvent(event)
        if event.isAccepted():
            self._shut_down()

    def _shut_down(self) -> None:
        """The window is closed (the program is ending): pages still waiting for their first
        load are dropped, no page starts a new load and a load still running delivers nothing
        (``Runner.run(owner=page)``), and the pages' timers stop (a search
        typed just before closing) — nothing reads the database after this but the program's
        exit backup, once the running loads have ended (``ui.app.run_gui``)."""
        from PySide6.QtCore import QTimer

        self.closed = True
        self.runner.cancel_queued()
        for timer in self.findChildren(QTimer):
            timer.stop()
