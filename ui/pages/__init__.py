"""The tab pages. ``build_pages`` lists them in the order of the specialist's day; a page is
shown only when it is finished."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from ui.main_window import MainWindow


def build_pages(window: MainWindow) -> list[tuple[QWidget, str]]:
    from ui.pages.dashboard_page import DashboardPage
    from ui.pages.warnings_page import WarningsPage

    pages: list[tuple[QWidget, str]] = [
        (DashboardPage(window), "Tổng quan"),
        (WarningsPage(window), "Cảnh báo hạn"),
    ]
    return pages
