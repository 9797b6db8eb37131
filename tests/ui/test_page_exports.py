"""Every table page exports what it shows to .xlsx (Ctrl+E / Tệp › Xuất Excel…), with a title
that says what is shown; the print buttons open the document dialog on the right document."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt

from app.documents.common import DocumentKind
from app.exchange.xlsx_export import HEADER_ROW, TITLE_ROW
from tests.ui.conftest import page_of
from ui.pages.dashboard_page import SECTION_MATRIX, SECTION_TABLE, DashboardPage
from ui.pages.directives_page import DirectivesPage
from ui.pages.plans_page import PlansPage
from ui.pages.reports_page import ReportsPage
from ui.pages.units_page import UnitsPage
from ui.pages.warnings_page import WarningsPage


def _sheet(path: Path) -> tuple[str, list[str], list[list[Any]]]:
    ws = load_workbook(path).active
    title = str(ws.cell(TITLE_ROW, 1).value)
    header = [c.value for c in ws[HEADER_ROW]]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=HEADER_ROW + 1)]
    return title, header, [r for r in rows if any(v not in (None, "") for v in r)]


def _shown_first_column(view) -> list[str]:
    model = view.model()
    first = min(range(model.columnCount()), key=lambda c: view.horizontalHeader().visualIndex(c))
    return [
        str(model.index(r, first).data(Qt.ItemDataRole.DisplayRole) or "").strip()
        for r in range(model.rowCount())
    ]


def _same_rows(path: Path, view, extra_columns: int = 0) -> tuple[str, list[list[Any]]]:
    title, header, rows = _sheet(path)
    model = view.model()
    assert len(header) == extra_columns + sum(
        1 for c in range(model.columnCount()) if not view.isColumnHidden(c)
    )
    assert len(rows) == model.rowCount() > 0
    shown = _shown_first_column(view)
    exported = [
        f"{r[0]:%d/%m/%Y}" if hasattr(r[0], "strftime") else str(r[0] or "").strip() for r in rows
    ]
    assert exported == shown
    return title, rows


def test_units_page_exports_the_filtered_list(window, tmp_path: Path) -> None:
    page = page_of(window, UnitsPage)
    page.kind_combo.setCurrentIndex(1)  # one kind only
    target = tmp_path / "don-vi.xlsx"
    page.export_excel(target)
    title, _rows = _same_rows(target, page.table)
    assert page.kind_combo.currentText() in title
    assert "tính đến 02/05/2018" in title
    assert page.table.model().rowCount() < page.model.rowCount()


def test_directives_page_exports_directives_and_tasks(window, tmp_path: Path) -> None:
    page = page_of(window, DirectivesPage)
    page.export_directives(tmp_path / "vb.xlsx")
    title, _ = _same_rows(tmp_path / "vb.xlsx", page.table)
    assert title.startswith("Văn bản chỉ đạo")
    page.table.selectRow(0)
    directive = page.current()
    assert directive is not None
    page.export_tasks(tmp_path / "nv.xlsx")
    title, _ = _same_rows(tmp_path / "nv.xlsx", page.tasks_table)
    assert directive.number_symbol in title


@pytest.mark.parametrize("cls", [PlansPage, ReportsPage])
def test_intake_pages_export_with_directive_and_day(window, tmp_path: Path, cls) -> None:
    page = page_of(window, cls)
    symbol = page.directive_combo.currentText().split(" (", 1)[0]
    page.export_excel(tmp_path / "x.xlsx")
    title, _ = _same_rows(tmp_path / "x.xlsx", page.table)
    assert title.startswith(f"{page.page_title} — {symbol} — ")
    assert title.endswith("tính đến 02/05/2018")


def test_plans_page_export_follows_search_and_sort(window, tmp_path: Path) -> None:
    page = page_of(window, PlansPage)
    page.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    all_rows = page.table.model().rowCount()
    name = page.model.rows()[0].obligation.unit_name
    page.table.proxy.set_search(name.split()[-1])
    assert 0 < page.table.model().rowCount() < all_rows
    page.export_excel(tmp_path / "x.xlsx")
    _same_rows(tmp_path / "x.xlsx", page.table)


def test_warnings_page_exports_with_filter_in_title(window, tmp_path: Path) -> None:
    page = page_of(window, WarningsPage)
    page.directive_combo.setCurrentIndex(1)
    page.export_excel(tmp_path / "w.xlsx")
    # "Số ngày" goes out as two number columns: days overdue, days left
    title, rows = _same_rows(tmp_path / "w.xlsx", page.view, extra_columns=1)
    assert title.startswith(f"Cảnh báo hạn — {page.directive_combo.currentText()} — ")
    _title, header, _rows = _sheet(tmp_path / "w.xlsx")
    overdue_col, left_col = header.index("Quá hạn (ngày)"), header.index("Còn lại (ngày)")
    shown = page.model.rows()
    assert len(shown) == len(rows)
    for row, obligation in zip(rows, shown, strict=True):
        if obligation.status.label == "Quá hạn":
            assert row[overdue_col] == obligation.days_past_due > 0
            assert isinstance(row[overdue_col], int) and row[left_col] is None
        else:
            assert row[left_col] == -obligation.days_past_due >= 0 and row[overdue_col] is None


def test_dashboard_exports_the_matrix_and_the_table(window, tmp_path: Path) -> None:
    page = page_of(window, DashboardPage)
    page.sections.setCurrentIndex(SECTION_MATRIX)
    matrix = page.matrix.matrix()
    assert matrix is not None
    page.export_excel(tmp_path / "m.xlsx")
    title, _ = _same_rows(tmp_path / "m.xlsx", page.matrix.view)
    assert title == (
        f"Ma trận đầy đủ — {matrix.directive_symbol} — {matrix.task_title} — tính đến 02/05/2018"
    )
    page.sections.setCurrentIndex(SECTION_TABLE)
    page.export_excel(tmp_path / "t.xlsx")
    title, _ = _same_rows(tmp_path / "t.xlsx", page.table)
    assert title.startswith("Tổng hợp theo nhiệm vụ")


def test_file_menu_and_ctrl_e_export_the_current_page(
    window, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ui.widgets import export_button

    target = tmp_path / "menu.xlsx"
    monkeypatch.setattr(export_button, "choose_save_path", lambda *_a, **_k: target)
    page = page_of(window, UnitsPage)
    window.tabs.setCurrentWidget(page)
    assert window.export_action.shortcut().toString() == "Ctrl+E"
    assert window.export_action in window.file_menu.actions()
    window.export_action.trigger()
    _same_rows(target, page.table)
    assert "Đã xuất" in window.status_label.text()


def test_print_buttons_open_the_right_document(window, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[str, int | None, int | None]] = []
    monkeypatch.setattr(
        window,
        "open_document_dialog",
        lambda kind, directive_id=None, unit_id=None: calls.append(
            (DocumentKind(kind), directive_id, unit_id)
        ),
    )
    plans = page_of(window, PlansPage)
    directive_id = plans.directive_combo.currentData()
    plans.print_summary_action.trigger()
    plans.print_reminder_action.trigger()
    reports = page_of(window, ReportsPage)
    reports.print_summary_action.trigger()
    warnings = page_of(window, WarningsPage)
    warnings.directive_combo.setCurrentIndex(1)
    warnings.reminder_button.click()
    units_page = page_of(window, UnitsPage)
    units_page.table.selectRow(0)
    unit = units_page.current()
    units_page.sheet_button.click()
    assert calls == [
        (DocumentKind.SUMMARY, directive_id, None),
        (DocumentKind.REMINDER, directive_id, None),
        (DocumentKind.SUMMARY, reports.directive_combo.currentData(), None),
        (DocumentKind.REMINDER, warnings.directive_combo.currentData(), None),
        (DocumentKind.UNIT_SHEET, None, unit.id),
    ]


def test_print_summary_opens_the_real_dialog(window) -> None:
    plans = page_of(window, PlansPage)
    plans.print_summary_action.trigger()
    dialog = window.document_dialog
    assert dialog.isVisible()
    dialog.close()
