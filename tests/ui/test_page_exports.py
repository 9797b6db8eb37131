"""Every table page exports what it shows to .xlsx (Ctrl+E / Tệp › Xuất Excel…), saying what is
shown; the warnings and the matrix as the command line exports them; the print buttons open the
document dialog on the right document."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt

from app.cli import run
from app.db import Database
from app.documents.common import DocumentKind
from app.exchange.xlsx_columns import WARNING_EXPORT_HEADERS
from app.exchange.xlsx_export import HEADER_ROW, SUBTITLE_ROW, TABLE_TITLES, TITLE_ROW
from app.services.directives import list_directives
from app.services.issued_documents import IssuedInput, record_issued
from tests.helpers import db_arg
from tests.ui.conftest import TODAY, page_of
from ui.pages.dashboard_page import SECTION_TABLE, DashboardPage
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


def _cli_export(db: Database, table: str, target: Path, *filters: str) -> None:
    argv = ["--db", db_arg(db), "export", table, "--as-of", "02/05/2018", "--out", str(target)]
    assert run([*argv, *filters]) == 0


def _subtitle(path: Path) -> str:
    return str(load_workbook(path).active.cell(SUBTITLE_ROW, 1).value)


def test_warnings_page_and_command_line_export_the_same_list(
    window, sample_db: Database, tmp_path: Path
) -> None:
    page = page_of(window, WarningsPage)
    first = page.model.row_at(0)
    record_issued(
        sample_db,
        IssuedInput(
            kind="reminder",
            as_of=TODAY,
            directive_id=first.directive_id,
            issued_date=dt.date(2018, 4, 28),
            unit_ids=(first.unit_id,),
        ),
    )
    kind = first.unit_kind.value
    page.kind_combo.setCurrentIndex(page.kind_combo.findData(kind))
    page.export_excel(tmp_path / "w.xlsx")
    _cli_export(sample_db, "warnings", tmp_path / "cli.xlsx", "--kind", kind)
    title, header, rows = _sheet(tmp_path / "w.xlsx")
    assert _sheet(tmp_path / "cli.xlsx") == (title, header, rows)  # one list, one shape
    assert title == TABLE_TITLES["warnings"]
    assert _subtitle(tmp_path / "w.xlsx").startswith(f"Cảnh báo hạn — {first.unit_kind.label}")
    assert header == [h for h in WARNING_EXPORT_HEADERS if h != "Hạn theo văn bản"]
    shown = page.model.rows()
    assert [r[0] for r in rows] == list(range(1, len(shown) + 1))  # every row, the tab's order
    overdue_col, left_col = header.index("Quá hạn (ngày)"), header.index("Còn lại (ngày)")
    for row, obligation in zip(rows, shown, strict=True):
        if obligation.status.label == "Quá hạn":
            assert row[overdue_col] == obligation.days_past_due > 0
            assert isinstance(row[overdue_col], int) and row[left_col] is None
        else:
            assert row[left_col] == -obligation.days_past_due >= 0 and row[overdue_col] is None
    reminded = [r[header.index("Đã đôn đốc")] for r in rows]
    assert reminded[0] == "đã đôn đốc lần 1, ngày 28/04/2018"


def test_dashboard_and_command_line_export_the_same_matrix(
    window, sample_db: Database, tmp_path: Path
) -> None:
    page = page_of(window, DashboardPage)
    task = list_directives(sample_db)[0].tasks[1]  # the half-year report
    page.show_matrix(task.id)
    page.matrix.kind_combo.setCurrentIndex(page.matrix.kind_combo.findData("huyen"))
    choice = page.matrix.current_task()
    matrix = page.matrix.matrix()
    assert choice is not None and matrix is not None and matrix.units
    page.export_excel(tmp_path / "m.xlsx")
    _cli_export(
        sample_db,
        "status",
        tmp_path / "cli.xlsx",
        *("--directive", choice.directive_symbol, "--task", choice.title, "--kind", "huyen"),
    )
    title, header, rows = _sheet(tmp_path / "m.xlsx")
    assert _sheet(tmp_path / "cli.xlsx") == (title, header, rows)  # one matrix, one shape
    assert title == TABLE_TITLES["status"]
    assert _subtitle(tmp_path / "m.xlsx") == (
        f"Ma trận đầy đủ — {choice.label} — UBND cấp huyện — tính đến 02/05/2018"
    )
    model = page.matrix.model
    shown_header = [
        model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())
    ]
    assert header == ["STT", shown_header[0], "Loại đơn vị", *shown_header[1:]]
    assert len(rows) == model.rowCount()
    for r, row in enumerate(rows):  # the cells and totals as the window writes them
        shown = [str(model.index(r, c).data()) for c in range(model.columnCount())]
        assert [row[1], *("" if v is None else str(v) for v in row[3:])] == shown
        assert row[0] == (r + 1 if r < len(matrix.units) else None)
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
