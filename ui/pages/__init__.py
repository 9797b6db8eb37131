"""The tab pages. ``build_pages`` lists them in the order of the specialist's day; a page is
shown only when it is finished. Every page is a ``ui.pages.base.Page`` (the contract with the
window)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ui.main_window import MainWindow
    from ui.pages.base import Page


def build_pages(window: MainWindow) -> list[tuple[Page, str]]:
    from ui.pages.dashboard_page import DashboardPage
    from ui.pages.directives_page import DirectivesPage
    from ui.pages.plans_page import PlansPage
    from ui.pages.reports_page import ReportsPage
    from ui.pages.units_page import UnitsPage
    from ui.pages.warnings_page import WarningsPage

    pages: list[tuple[Page, str]] = [
        (DashboardPage(window), "Tổng quan"),
        (WarningsPage(window), "Cảnh báo hạn"),
        (PlansPage(window), "Đăng ký kế hoạch"),
        (ReportsPage(window), "Tiếp nhận báo cáo"),
        (DirectivesPage(window), "Văn bản chỉ đạo"),
        (UnitsPage(window), "Đơn vị"),
    ]
    return pages
