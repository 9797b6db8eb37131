"""Trợ giúp → Hướng dẫn sử dụng (F1, at the section of the tab in use) and, while the data is
empty, Tệp → Nạp dữ liệu mẫu. ``install_help_actions(window)`` adds them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence

if TYPE_CHECKING:
    from ui.help_window import HelpWindow
    from ui.main_window import MainWindow


class HelpActions(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.help_window: HelpWindow | None = None
        self._build_ui()
        self._connect_signals()

    def _build_ui(self) -> None:
        w = self.window
        self.guide_action = QAction("Hướng dẫn sử dụng", w)
        self.guide_action.setShortcut(QKeySequence(QKeySequence.StandardKey.HelpContents))
        self.guide_action.setToolTip("Mở hướng dẫn ở phần nói về thẻ đang xem (F1)")
        first = w.help_menu.actions()[0] if w.help_menu.actions() else None
        if first is not None:
            w.help_menu.insertAction(first, self.guide_action)
            w.help_menu.insertSeparator(first)
        else:
            w.help_menu.addAction(self.guide_action)
        self.sample_action = QAction("Nạp dữ liệu mẫu…", w)
        self.sample_action.setToolTip(
            "Nạp một bộ dữ liệu mẫu (Công văn 2116/UBND-NC) để thử "
            "chương trình; chỉ có khi chưa có dữ liệu"
        )
        top = w.file_menu.actions()[0] if w.file_menu.actions() else None
        if top is not None:
            w.file_menu.insertAction(top, self.sample_action)
        else:
            w.file_menu.addAction(self.sample_action)
        # shown or hidden each time the menu opens (``_connect_signals``): not read at start-up,
        # where it was a synchronous query before the first paint

    def _connect_signals(self) -> None:
        self.guide_action.triggered.connect(self.open_guide)
        self.sample_action.triggered.connect(self.load_sample)
        self.window.file_menu.aboutToShow.connect(self.update_sample_action)

    # --- the guide ------------------------------------------------------------------------
    def open_guide(self) -> HelpWindow:
        from ui.help_window import HelpWindow

        if self.help_window is None:
            self.help_window = HelpWindow(self.window)
        self.help_window.show()
        self.help_window.show_for_page(self.window.tabs.currentWidget())
        self.help_window.raise_()
        self.help_window.activateWindow()
        return self.help_window

    # --- sample data ------------------------------------------------------------------------
    def data_is_empty(self) -> bool:
        from app.services.directives import list_directives
        from app.services.units import list_units

        try:
            return not list_units(self.window.db) and not list_directives(self.window.db)
        except Exception:  # the database is unreadable: the item is no help then
            return False

    def update_sample_action(self) -> None:
        self.sample_action.setVisible(self.data_is_empty())

    def load_sample(self) -> None:
        from app.services.sample import load_sample
        from ui.operations import Confirm, run_operation

        if not self.data_is_empty():
            self.update_sample_action()
            return

        def done(result: Any) -> None:
            self.update_sample_action()
            self.window.show_status(result.describe())

        run_operation(
            self.window,
            lambda: load_sample(self.window.db),
            done=done,
            error_title="Chưa nạp được dữ liệu mẫu",
            confirm=Confirm(
                "Nạp dữ liệu mẫu",
                "Nạp bộ dữ liệu mẫu (Công văn 2116/UBND-NC của UBND tỉnh Quảng Ngãi: "
                "các đơn vị, văn bản chỉ đạo và nhiệm vụ) để thử chương trình? Có thể "
                "sửa hoặc xoá sau.",
                yes="Nạp dữ liệu mẫu",
            ),
        )


def install_help_actions(window: MainWindow) -> HelpActions:
    actions = HelpActions(window)
    window.help_actions = actions  # type: ignore[attr-defined]
    return actions
