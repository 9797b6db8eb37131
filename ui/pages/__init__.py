"""The tab pages. ``PAGES`` lists them in the order of the specialist's day; a page is
shown only when it is finished. Every page is a ``ui.pages.base.Page`` (the contract with the
window). A page's module is imported when the page is built: the window builds the page on
screen before its first paint and the others just after it (``MainWindow``)."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from ui.main_window import MainWindow
    from ui.pages.base import Page


class PageEntry(NamedTuple):
    title: str
    module: str
    name: str  # the Page class in ``module``

    def build(self, window: MainWindow) -> Page:
        page_class: type[Page] = getattr(importlib.import_module(self.module), self.name)
        return page_class(window)


PAGES = (
    PageEntry("Tổng quan", "ui.pages.dashboard_page", "DashboardPage"),
    PageEntry("Cảnh báo hạn", "ui.pages.warnings_page", "WarningsPage"),
    PageEntry("Đăng ký kế hoạch", "ui.pages.plans_page", "PlansPage"),
    PageEntry("Tiếp nhận báo cáo", "ui.pages.reports_page", "ReportsPage"),
    PageEntry("Văn bản chỉ đạo", "ui.pages.directives_page", "DirectivesPage"),
    PageEntry("Đơn vị", "ui.pages.units_page", "UnitsPage"),
)
