from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtGui import QColor, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QTableView

from app.db import Database
from app.exchange.xlsx_export import HEADER_ROW
from app.exchange.xlsx_import import RowAction, write_template
from app.services.units import list_units
from ui import tasks
from ui.dialogs.import_dialog import ImportDialog
from ui.widgets.export_button import export_view, table_from_view

TODAY = dt.date(2018, 5, 2)


@pytest.fixture(autouse=True)
def _synchronous() -> Any:
    tasks.set_synchronous(True)
    yield
    tasks.set_synchronous(False)


def _units_file(tmp_path: Path, rows: list[list[object]]) -> Path:
    path = write_template("units", tmp_path / "units.xlsx")
    wb = openpyxl.load_workbook(path)
    for r, row in enumerate(rows, start=4):
        for c, value in enumerate(row, start=1):
            wb["Nhập liệu"].cell(r, c, value)
    wb.save(path)
    return path


def test_import_dialog_blocks_errors(
    qtbot: Any, qtmodeltester: Any, sample_db: Database, tmp_path: Path
) -> None:
    path = _units_file(tmp_path, [["UBND xã A", None, "xã"], ["", None, "xã"]])
    dialog = ImportDialog(sample_db, "units", path, today=TODAY)
    qtbot.addWidget(dialog)
    dialog.start()
    assert dialog.preview is not None
    assert dialog.model.rowCount() == 2
    qtmodeltester.check(dialog.model)
    assert not dialog.import_button.isEnabled()
    assert "1 dòng lỗi" in dialog.summary_label.text()
    error_index = dialog.model.index(1, 1)
    assert dialog.model.data(error_index) == RowAction.ERROR.label
    assert dialog.model.data(error_index, Qt.ItemDataRole.BackgroundRole) == QColor(
        RowAction.ERROR.colour
    )
    assert "Tên đơn vị" in dialog.model.data(dialog.model.index(1, 2))
    dialog.errors_only_button.setChecked(True)
    assert dialog.table.isRowHidden(0) and not dialog.table.isRowHidden(1)
    dialog.grab().save(str(tmp_path / "import-dialog.png"))


def test_import_dialog_imports(qtbot: Any, sample_db: Database, tmp_path: Path) -> None:
    path = _units_file(tmp_path, [["UBND xã A", None, "xã"], ["UBND xã B", None, "xã"]])
    dialog = ImportDialog(sample_db, "units", path, today=TODAY)
    qtbot.addWidget(dialog)
    dialog.start()
    assert dialog.import_button.isEnabled()
    with qtbot.waitSignal(dialog.imported, timeout=5000):
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert dialog.import_result is not None and dialog.import_result.added == 2
    assert len(list_units(sample_db)) == 36


def test_import_dialog_shows_file_errors(qtbot: Any, sample_db: Database, tmp_path: Path) -> None:
    fake = tmp_path / "fake.xlsx"
    fake.write_text("not excel", encoding="utf-8")
    dialog = ImportDialog(sample_db, "units", fake, today=TODAY)
    qtbot.addWidget(dialog)
    dialog.start()
    assert "không phải tệp Excel" in dialog.summary_label.text()
    assert not dialog.import_button.isEnabled()


def _small_view(qtbot: Any) -> QTableView:
    model = QStandardItemModel(0, 3)
    model.setHorizontalHeaderLabels(["Đơn vị", "Hạn", "Trạng thái"])
    data = [
        ("Sơn Tịnh", "30/04/2018", "Quá hạn", "#ffb3b3"),
        ("Bình Sơn", "30/04/2018", "Hoàn thành đúng hạn", "#c8e6c9"),
        ("Ba Tơ", "", "Chưa đến hạn", None),
    ]
    for name, due, status, colour in data:
        cells = [QStandardItem(name), QStandardItem(due), QStandardItem(status)]
        if colour:
            cells[2].setBackground(QColor(colour))
        model.appendRow(cells)
    proxy = QSortFilterProxyModel()
    proxy.setSourceModel(model)
    proxy.setFilterKeyColumn(2)
    proxy.sort(0, Qt.SortOrder.AscendingOrder)
    view = QTableView()
    view.setModel(proxy)
    qtbot.addWidget(view)
    view._keep = (model, proxy)  # type: ignore[attr-defined]
    return view


def test_export_view_writes_what_is_shown(
    qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ui.dialogs import messages

    shown: list[str] = []
    monkeypatch.setattr(messages, "show_info", lambda _p, _t, text: shown.append(text))
    view = _small_view(qtbot)
    proxy = view.model()
    assert isinstance(proxy, QSortFilterProxyModel)
    proxy.setFilterRegularExpression("Quá hạn|Hoàn thành")
    table = table_from_view(view, "Cảnh báo")
    assert [r[0] for r in table.rows] == ["Bình Sơn", "Sơn Tịnh"]  # sorted and filtered
    path = tmp_path / "view.xlsx"
    export_view(None, view, "Cảnh báo hạn", "canh-bao", path=path)
    ws = openpyxl.load_workbook(path).active
    assert ws["A1"].value == "Cảnh báo hạn"
    assert [c.value for c in ws[HEADER_ROW]] == ["Đơn vị", "Hạn", "Trạng thái"]
    first = [c.value for c in ws[HEADER_ROW + 1]]
    assert first[0] == "Bình Sơn" and first[1] == dt.datetime(2018, 4, 30)
    assert ws.cell(HEADER_ROW + 1, 2).number_format == "DD/MM/YYYY"
    assert ws.cell(HEADER_ROW + 1, 3).fill.start_color.rgb == "FFC8E6C9"
    assert ws.cell(HEADER_ROW + 2, 3).fill.start_color.rgb == "FFFFB3B3"
    assert ws.max_row == HEADER_ROW + 2
    assert shown == [f"Đã xuất 2 dòng ra {path}"]


def test_export_view_leaves_hidden_columns_and_follows_visual_order(qtbot: Any) -> None:
    view = _small_view(qtbot)
    view.setColumnHidden(1, True)
    view.horizontalHeader().moveSection(2, 0)
    table = table_from_view(view, "x")
    assert [c.header for c in table.columns] == ["Trạng thái", "Đơn vị"]
    assert table.rows[0] == ("Chưa đến hạn", "Ba Tơ")


def test_main_window_has_data_actions(qtbot: Any, sample_db: Database, tmp_path: Path) -> None:
    from ui.main_window import MainWindow

    window = MainWindow(sample_db, today=TODAY)
    qtbot.addWidget(window)
    texts = [a.text() for a in window.file_menu.actions()]
    for wanted in (
        "Sao lưu…",
        "Khôi phục…",
        "Nhập đơn vị từ Excel…",
        "Nhập văn bản nhận được từ Excel…",
        "Tải mẫu nhập Excel…",
    ):
        assert wanted in texts
    assert texts[-1] == "Thoát"
    assert "Thư mục dữ liệu" in [a.text() for a in window.help_menu.actions()]
    actions = window.data_actions  # type: ignore[attr-defined]
    actions.save_template("units", tmp_path / "mau.xlsx")
    assert (tmp_path / "mau.xlsx").exists()


@pytest.mark.sqlite_only  # moves the SQLite file
def test_data_folder_dialog_moves(
    qtbot: Any, sample_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ui.dialogs import data_folder_dialog, messages
    from ui.dialogs.data_folder_dialog import DataFolderDialog

    monkeypatch.setattr(messages, "confirm", lambda *a, **k: True)
    monkeypatch.setattr(messages, "show_info", lambda *a, **k: None)
    dialog = DataFolderDialog(sample_db)
    qtbot.addWidget(dialog)
    assert sample_db.path is not None
    assert dialog.folder_label.text() == str(sample_db.path.resolve().parent)
    with qtbot.waitSignal(dialog.moved, timeout=5000):
        dialog.move_to(tmp_path / "moi")
    assert (tmp_path / "moi" / "sotheodoi.db").exists()
    assert data_folder_dialog is not None


@pytest.mark.sqlite_only  # backups copy the SQLite file
def test_backup_and_restore_actions(
    qtbot: Any, sample_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ui.dialogs import messages
    from ui.main_window import MainWindow

    shown: list[str] = []
    monkeypatch.setattr(messages, "show_info", lambda _p, _t, text: shown.append(text))
    monkeypatch.setattr(messages, "confirm", lambda *a, **k: True)
    window = MainWindow(sample_db, today=TODAY)
    qtbot.addWidget(window)
    actions = window.data_actions  # type: ignore[attr-defined]
    target = tmp_path / "usb" / "saoluu.zip"
    actions.backup_to(target)
    assert target.exists() and "Đã" not in shown[-1] and "Bản sao lưu" in shown[-1]
    path = _units_file(tmp_path, [["UBND xã Sau Sao Lưu", None, "xã"]])
    from app.exchange.xlsx_import import apply_import, preview_import

    apply_import(sample_db, preview_import(sample_db, "units", path, today=TODAY), today=TODAY)
    assert len(list_units(sample_db)) == 35
    actions.restore_from(target)
    assert "Đã khôi phục" in shown[-1]
    assert len(list_units(sample_db)) == 34
