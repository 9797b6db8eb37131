"""The tab pages. ``build_pages`` lists them in the order of the specialist's day; a page is
shown only when it is finished."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from ui.main_window import MainWindow


def build_pages(window: MainWindow) -> list[tuple[QWidget, str]]:
    from ui.pages.directives_page import DirectivesPage
    from ui.pages.plans_page import PlansPage
    from ui.pages.reports_page import ReportsPage
    from ui.pages.units_page import UnitsPage

    pages: list[tuple[QWidget, str]] = []
    pages.append((PlansPage(window), "Đăng ký kế hoạch"))
    pages.append((ReportsPage(window), "Tiếp nhận báo cáo"))
    pages.append((DirectivesPage(window), "Văn bản chỉ đạo"))
    pages.append((UnitsPage(window), "Đơn vị"))
    return pages
