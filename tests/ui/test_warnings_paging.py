"""The warnings page holds a page of rows at a time (a tiny page here): the count, the rest on
scroll or "Hiện thêm", the header order and the Excel export all cover the whole list."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QModelIndex, Qt

from app.db import Database
from app.exchange.xlsx_export import HEADER_ROW
from app.search import SearchIndex
from app.services import dashboard
from app.text import sort_key
from tests.ui.conftest import search_settled
from ui import tasks
from ui.pages import warnings_page
from ui.pages.warnings_page import WarningsPage

D = dt.date
DAY = D(2018, 9, 1)  # every district's plan and many reports overdue
PAGE = 7


@pytest.fixture(autouse=True)
def _synchronous(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(warnings_page, "PAGE_SIZE", PAGE)
    tasks.set_synchronous(True)
    yield
    tasks.set_synchronous(False)


@pytest.fixture
def window(qtbot, sample_db: Database):  # type: ignore[no-untyped-def]
    from ui.main_window import MainWindow

    w = MainWindow(sample_db, today=DAY)
    qtbot.addWidget(w)
    w.show()
    return w


@pytest.fixture
def page(window) -> WarningsPage:  # type: ignore[no-untyped-def]
    found = next(
        window.tabs.widget(i)
        for i in range(window.tabs.count())
        if isinstance(window.tabs.widget(i), WarningsPage)
    )
    window.tabs.setCurrentWidget(found)
    return found


def _ids(rows: list) -> list[int]:  # type: ignore[type-arg]
    return [r.id for r in rows]


def test_holds_one_page_and_counts_everything(window, page, sample_db) -> None:  # type: ignore[no-untyped-def]
    expected = dashboard.warnings(sample_db, DAY)
    assert len(expected) > 3 * PAGE
    assert _ids(page.model.rows()) == _ids(expected[:PAGE])
    counts = dashboard.count_warnings(expected)
    assert window.tabs.tabText(1) == f"Cảnh báo hạn ({counts.total})"
    assert page.counts == counts
    assert page.shown_label.text().startswith(f"Hiển thị {PAGE} / tổng {len(expected)} dòng")
    assert page.more_button.isVisibleTo(page)
    assert page.model.canFetchMore(QModelIndex())


def test_more_rows_on_demand_until_the_end(page, sample_db) -> None:  # type: ignore[no-untyped-def]
    expected = dashboard.warnings(sample_db, DAY)
    page.more_button.click()
    assert _ids(page.model.rows()) == _ids(expected[: 2 * PAGE])
    # What the view does when the user scrolls to the end of the table:
    while page.model.canFetchMore(QModelIndex()):
        page.model.fetchMore(QModelIndex())
    assert _ids(page.model.rows()) == _ids(expected)
    assert page.shown_label.text() == f"Hiển thị {len(expected)} / tổng {len(expected)} dòng."
    assert not page.more_button.isVisibleTo(page)


def test_filters_and_search_are_applied_to_the_whole_list(page, sample_db, qtbot) -> None:  # type: ignore[no-untyped-def]
    everything = dashboard.warnings(sample_db, DAY)
    page.kind_combo.setCurrentIndex(page.kind_combo.findData("so_nganh"))
    departments = [r for r in everything if r.unit_kind.value == "so_nganh"]
    assert 0 < len(departments) < len(everything)
    assert _ids(page.model.rows()) == _ids(departments[:PAGE])
    assert page.model.total == len(departments)
    page.kind_combo.setCurrentIndex(0)
    page.search_edit.setText("son tinh")  # no diacritics, beyond the first page
    search_settled(qtbot, page)
    son_tinh = [r for r in everything if r.unit_name == "UBND huyện Sơn Tịnh"]
    assert son_tinh and max(everything.index(r) for r in son_tinh) >= PAGE
    while page.model.canFetchMore(QModelIndex()):
        page.model.fetchMore(QModelIndex())
    assert _ids(page.model.rows()) == _ids(son_tinh)
    assert page.model.total == len(son_tinh)
    assert page.counts.total == len(everything)  # the tab keeps the day's number


def test_header_click_orders_the_whole_list(page, sample_db) -> None:  # type: ignore[no-untyped-def]
    everything = dashboard.warnings(sample_db, DAY)
    unit_column = next(i for i, c in enumerate(page.model.columns) if c.title == "Đơn vị")
    page.view.sortByColumn(unit_column, Qt.SortOrder.AscendingOrder)
    by_name = sorted(everything, key=lambda r: (sort_key(r.unit_name), r.unit_id))
    assert _ids(page.model.rows()) == _ids(by_name[:PAGE])
    page.view.sortByColumn(unit_column, Qt.SortOrder.DescendingOrder)
    assert _ids(page.model.rows()) == _ids(
        sorted(everything, key=lambda r: (sort_key(r.unit_name), r.unit_id), reverse=True)[:PAGE]
    )
    page.view.sortByColumn(0, Qt.SortOrder.AscendingOrder)  # back to the urgency order
    assert _ids(page.model.rows()) == _ids(everything[:PAGE])


def test_export_writes_every_matching_row(page, sample_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    everything = dashboard.warnings(sample_db, DAY)
    page.kind_combo.setCurrentIndex(page.kind_combo.findData("huyen"))
    districts = [r for r in everything if r.unit_kind.value == "huyen"]
    assert len(districts) > PAGE == page.model.rowCount()
    page.export_excel(tmp_path / "w.xlsx")
    sheet = load_workbook(tmp_path / "w.xlsx").active
    rows = [
        row
        for row in sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=True)
        if any(v not in (None, "") for v in row)
    ]
    assert len(rows) == len(districts)
    header = [c.value for c in sheet[HEADER_ROW]]
    unit_column = header.index("Đơn vị")
    assert [r[unit_column] for r in rows] == [r.unit_name for r in districts]
    due_column = header.index("Hạn")
    assert [r[due_column].date() for r in rows] == [r.due_date for r in districts]
    overdue_column = header.index("Quá hạn (ngày)")  # a number Excel can add up
    assert [r[overdue_column] for r in rows] == [
        r.days_past_due if r.status.label == "Quá hạn" else None for r in districts
    ]


def test_model_passes_qtmodeltester(qtmodeltester, page) -> None:  # type: ignore[no-untyped-def]
    assert page.model.canFetchMore(QModelIndex())
    qtmodeltester.check(page.model)


def test_typing_on_narrows_a_list_held_whole_without_a_query(
    page, sample_db, monkeypatch: pytest.MonkeyPatch, qtbot
) -> None:  # type: ignore[no-untyped-def]
    everything = dashboard.warnings(sample_db, DAY)
    page.search_edit.setText("son tinh")
    search_settled(qtbot, page)
    while page.model.canFetchMore(QModelIndex()):
        page.model.fetchMore(QModelIndex())
    held = page.model.rows()
    assert held and page.model.rowCount() == page.model.total
    queries: list[object] = []
    real = warnings_page.warning_page
    monkeypatch.setattr(
        warnings_page, "warning_page", lambda *a, **k: queries.append(k) or real(*a, **k)
    )
    page.search_edit.setText("son tinh 6 thang")  # narrows: filtered in memory
    search_settled(qtbot, page)
    assert not queries
    expected = [
        r
        for r in everything
        if r.unit_name == "UBND huyện Sơn Tịnh" and "6 tháng" in r.period_label.lower()
    ]
    assert expected and _ids(page.model.rows()) == _ids(expected)
    assert page.model.total == len(expected)
    page.search_edit.setText("son")  # wider again: asks the query
    search_settled(qtbot, page)
    assert queries
    index = SearchIndex.from_fields(
        (r.unit_name, r.unit_short_name, r.task_title, r.directive_symbol, r.period_label)
        for r in everything
    )
    wider = [everything[i] for i in index.filter("son")]
    assert len(wider) > len(held)
    assert _ids(page.model.rows()) == _ids(wider[:PAGE]) and page.model.total == len(wider)


def test_search_asks_once_the_user_pauses(page, sample_db, qtbot) -> None:  # type: ignore[no-untyped-def]
    everything = dashboard.warnings(sample_db, DAY)
    son_tinh = [r for r in everything if r.unit_name == "UBND huyện Sơn Tịnh"]
    page.search_edit.setText("son tinh")
    assert page.search_timer.isActive()  # not at each keystroke
    qtbot.waitUntil(lambda: page.model.total == len(son_tinh), timeout=5000)
    assert {r.unit_name for r in page.model.rows()} == {"UBND huyện Sơn Tịnh"}
