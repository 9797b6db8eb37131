"""The import dialog: old → new per field, unticked rows not written, "Huỷ đọc tệp" while the
file is read, "Hoàn tác lần nhập này" after the import and from the list of past imports; the
history dialog's "Khôi phục phiên bản này"."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from PySide6.QtCore import Qt

from app.db import Database
from app.exchange.xlsx_import import apply_import, preview_import, write_template
from app.services import audit
from app.services.units import UnitInput, list_units, update_unit
from tests.helpers import edit_directive, edit_unit
from ui import tasks
from ui.dialogs.history_dialog import HistoryDialog
from ui.dialogs.import_dialog import ImportDialog
from ui.dialogs.import_history_dialog import ImportHistoryDialog

TODAY = dt.date(2018, 5, 2)


@pytest.fixture(autouse=True)
def _synchronous() -> Any:
    tasks.set_synchronous(True)
    yield
    tasks.set_synchronous(False)


def _units_file(tmp_path: Path, rows: list[list[object]], name: str = "units.xlsx") -> Path:
    path = write_template("units", tmp_path / name)
    wb = openpyxl.load_workbook(path)
    for r, row in enumerate(rows, start=4):
        for c, value in enumerate(row, start=1):
            wb["Nhập liệu"].cell(r, c, value)
    wb.save(path)
    return path


def _names(db: Database) -> set[str]:
    return {u.name for u in list_units(db)}


def test_untick_import_then_undo(
    qtbot: Any, qtmodeltester: Any, sample_db: Database, tmp_path: Path
) -> None:
    path = _units_file(
        tmp_path,
        [
            ["UBND xã A", None, "xã"],
            ["UBND xã B", None, "xã"],
            ["UBND huyện Bình Sơn", None, None, None, "[xoá]", "Châu Ổ"],
        ],
    )
    dialog = ImportDialog(sample_db, "units", path, today=TODAY)
    qtbot.addWidget(dialog)
    dialog.resize(1366, 700)
    dialog.start()
    model = dialog.model
    qtmodeltester.check(model)
    assert model.ticked_rows() == [4, 5, 6]
    tip = model.data(model.index(2, 2), Qt.ItemDataRole.ToolTipRole)
    assert "Chức danh thủ trưởng: “Chủ tịch UBND” → (trống)" in tip
    assert "Địa chỉ: (trống) → “Châu Ổ”" in tip
    assert "3 dòng đang được chọn" in dialog.summary_label.text()
    assert 'Đã đọc trang tính "Nhập liệu"' in dialog.summary_label.text()
    dialog.grab().save(str(tmp_path / "import-preview.png"))
    assert model.setData(
        model.index(0, 0), Qt.CheckState.Unchecked.value, Qt.ItemDataRole.CheckStateRole
    )
    assert model.data(model.index(0, 0), Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Unchecked
    assert "2 dòng đang được chọn" in dialog.summary_label.text()
    dialog.changes_only_button.setChecked(True)
    assert not any(dialog.table.isRowHidden(r) for r in range(3))  # all three write something
    dialog.changes_only_button.setChecked(False)
    dialog.untick_all_button.click()
    assert not dialog.import_button.isEnabled()
    dialog.tick_all_button.click()
    model.setData(model.index(0, 0), Qt.CheckState.Unchecked.value, Qt.ItemDataRole.CheckStateRole)
    with qtbot.waitSignal(dialog.imported, timeout=5000):
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    done = dialog.import_result
    assert done is not None and (done.added, done.updated) == (1, 1)
    assert "UBND xã B" in _names(sample_db) and "UBND xã A" not in _names(sample_db)
    assert dialog.undo_button.isVisibleTo(dialog) and dialog.undo_button.isEnabled()
    dialog.grab().save(str(tmp_path / "import-done.png"))
    with qtbot.waitSignal(dialog.undone, timeout=5000):
        qtbot.mouseClick(dialog.undo_button, Qt.MouseButton.LeftButton)
    assert "Đã hoàn tác lần nhập số" in dialog.summary_label.text()
    assert "UBND xã B" not in _names(sample_db)
    unit = next(u for u in list_units(sample_db) if u.name == "UBND huyện Bình Sơn")
    assert unit.head_title == "Chủ tịch UBND" and unit.address == ""


def test_rows_with_nothing_to_write_cannot_be_ticked(
    qtbot: Any, qtmodeltester: Any, sample_db: Database, tmp_path: Path
) -> None:
    path = _units_file(tmp_path, [["UBND huyện Bình Sơn", None, None]])
    dialog = ImportDialog(sample_db, "units", path, today=TODAY)
    qtbot.addWidget(dialog)
    dialog.start()
    qtmodeltester.check(dialog.model)
    assert not dialog.changes_only_button.isEnabled()
    index = dialog.model.index(0, 0)
    assert not dialog.model.flags(index) & Qt.ItemFlag.ItemIsUserCheckable
    assert dialog.model.data(index, Qt.ItemDataRole.CheckStateRole) is None
    assert not dialog.model.setData(
        index, Qt.CheckState.Unchecked.value, Qt.ItemDataRole.CheckStateRole
    )
    assert not dialog.import_button.isEnabled()


def test_cancel_while_reading_keeps_the_window_responsive(
    qtbot: Any, sample_db: Database, tmp_path: Path
) -> None:
    tasks.set_synchronous(False)
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["Tên đơn vị", "Loại đơn vị", "Ghi chú"])
    for i in range(30_000):
        ws.append([f"UBND xã Số {i}", "xã", f"ghi chú {i}"])
    wb.save(tmp_path / "big.xlsx")
    dialog = ImportDialog(sample_db, "units", tmp_path / "big.xlsx", today=TODAY)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.start()
    assert dialog.cancel_button.isVisible()
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)  # the UI thread is free
    qtbot.waitUntil(lambda: "Đã huỷ đọc tệp" in dialog.summary_label.text(), timeout=20_000)
    assert not dialog.cancel_button.isVisible() and dialog.preview is None
    assert not dialog.import_button.isEnabled()
    from PySide6.QtCore import QThreadPool

    assert QThreadPool.globalInstance().waitForDone(20_000)


def test_hostile_file_is_refused_in_the_dialog(
    qtbot: Any, sample_db: Database, tmp_path: Path
) -> None:
    import zipfile

    path = _units_file(tmp_path, [["UBND xã A", None, "xã"]])
    with zipfile.ZipFile(path) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    parts["xl/worksheets/sheet1.xml"] = (
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<sheetData><row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c>'
        b"</row></sheetData></worksheet>"
    )
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    dialog = ImportDialog(sample_db, "units", path, today=TODAY)
    qtbot.addWidget(dialog)
    dialog.start()
    assert "dòng 1.048.576" in dialog.summary_label.text()
    assert not dialog.import_button.isEnabled()


def test_import_history_dialog_undoes_a_past_import(
    qtbot: Any,
    qtmodeltester: Any,
    sample_db: Database,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from ui.dialogs import messages

    monkeypatch.setattr(messages, "confirm", lambda *a, **k: True)
    for name in ("A", "B"):
        path = _units_file(tmp_path, [[f"UBND xã {name}", None, "xã"]], f"{name}.xlsx")
        apply_import(sample_db, preview_import(sample_db, "units", path, today=TODAY), today=TODAY)
    dialog = ImportHistoryDialog(sample_db)
    qtbot.addWidget(dialog)
    qtmodeltester.check(dialog.model)
    assert dialog.model.rowCount() == 2
    dialog.view.selectRow(1)  # the older one, A.xlsx
    assert dialog.selected() is not None and dialog.selected().file_name == "A.xlsx"
    assert dialog.undo_button.isEnabled()
    with qtbot.waitSignal(dialog.undone, timeout=5000):
        dialog.undo_button.click()
    assert "UBND xã A" not in _names(sample_db) and "UBND xã B" in _names(sample_db)
    dialog.view.selectRow(1)
    assert dialog.model.index(1, 7).data().startswith("Đã hoàn tác")
    assert not dialog.undo_button.isEnabled()
    dialog.grab().save(str(tmp_path / "import-history.png"))


def test_history_dialog_restores_a_version(
    qtbot: Any, sample_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ui.dialogs import messages

    monkeypatch.setattr(messages, "confirm", lambda *a, **k: True)
    unit = next(u for u in list_units(sample_db) if u.name == "Sở Tài chính")
    update_unit(
        sample_db,
        unit.id,
        UnitInput(name=unit.name, kind=unit.kind, short_name="STC", head_title="Giám đốc"),
    )
    update_unit(
        sample_db, unit.id, UnitInput(name=unit.name, kind=unit.kind, short_name="", head_title="")
    )
    dialog = HistoryDialog(sample_db, "unit", unit.id, unit.name)
    qtbot.addWidget(dialog)
    assert dialog.restore_button.isVisibleTo(dialog)
    dialog.entries_view.selectRow(1)  # the first change: short name STC
    assert dialog.restore_button.isEnabled()
    dialog.restore_button.click()
    assert dialog.restored
    restored = next(u for u in list_units(sample_db) if u.id == unit.id)
    assert (restored.short_name, restored.head_title) == ("STC", "Giám đốc")
    assert dialog.entries_model.rowCount() == 3
    assert dialog.entries_model.index(0, 2).data() == "Khôi phục"
    assert audit.history(sample_db, "unit", unit.id)[0].action == "restore"


def test_submission_form_warns_about_a_receipt_after_the_unit_ended(
    qtbot: Any, sample_db: Database
) -> None:
    from app.services.obligations import list_obligations
    from ui.dialogs.submission_dialog import SubmissionDialog

    edit_unit(sample_db, "UBND huyện Bình Sơn", valid_to=dt.date(2018, 4, 26))
    unit = next(u for u in list_units(sample_db) if u.name == "UBND huyện Bình Sơn")
    today = dt.date(2018, 12, 31)
    row = next(
        r for r in list_obligations(sample_db, today, unit_id=unit.id) if r.period_key == "-"
    )
    dialog = SubmissionDialog(sample_db, row, today=today)
    qtbot.addWidget(dialog)
    dialog.received_edit.setText("25/04/2018")
    assert not dialog.received_warning.isVisibleTo(dialog)
    dialog.received_edit.setText("27/04/2018")
    assert dialog.received_warning.isVisibleTo(dialog)
    assert (
        "sau ngày UBND huyện Bình Sơn hết hiệu lực (26/04/2018)" in dialog.received_warning.text()
    )
    dialog.received_edit.setText("27/04")  # not a date yet: no warning, no error
    assert not dialog.received_warning.isVisibleTo(dialog)


def test_history_dialog_puts_a_directive_back_to_before_a_change(
    qtbot: Any, sample_db: Database, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from app.services import directives
    from ui.dialogs import messages

    monkeypatch.setattr(messages, "confirm", lambda *a, **k: True)
    d = directives.list_directives(sample_db)[0]
    edit_directive(sample_db, d.id, subject="Gõ nhầm")
    dialog = HistoryDialog(sample_db, "directive", d.id, d.number_symbol)
    qtbot.addWidget(dialog)
    dialog.resize(1000, 560)
    dialog.entries_view.selectRow(0)  # the edit
    assert dialog.restore_before_button.isEnabled()
    dialog.grab().save(str(tmp_path / "history-restore.png"))
    dialog.restore_before_button.click()
    assert directives.get_directive(sample_db, d.id).subject == d.subject
    assert dialog.entries_model.index(0, 2).data() == "Khôi phục"


def test_changes_only_hides_rows_that_write_nothing(
    qtbot: Any, sample_db: Database, tmp_path: Path
) -> None:
    path = _units_file(tmp_path, [["UBND huyện Bình Sơn", None, None], ["UBND xã Mới", None, "xã"]])
    dialog = ImportDialog(sample_db, "units", path, today=TODAY)
    qtbot.addWidget(dialog)
    dialog.start()
    dialog.changes_only_button.setChecked(True)
    assert dialog.table.isRowHidden(0) and not dialog.table.isRowHidden(1)
    dialog.changes_only_button.setChecked(False)
    assert not dialog.table.isRowHidden(0)
