"""Đơn vị: add, validate, search, deactivate, reorder, merge; a unit with history is never
deleted and the user is told why."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from app.models import UnitKind
from app.services import units
from app.services.audit import history
from tests.ui.conftest import page_of, type_text, with_modal
from ui.dialogs.history_dialog import HistoryDialog
from ui.pages.units_page import UnitsPage


def _unit(db, name: str):
    return next(u for u in units.list_units(db) if u.name == name)


def test_create_unit_with_keys(qtbot, window) -> None:
    page = page_of(window, UnitsPage)

    def fill(dialog) -> None:
        type_text(dialog.name_edit, "UBND thị xã Đức Phổ")
        type_text(dialog.short_edit, "TX Đức Phổ")
        dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData(UnitKind.DISTRICT.value))
        type_text(dialog.valid_from_edit, "01/02/2020")
        QTest.keyClick(dialog.name_edit, Qt.Key.Key_Return)

    result = with_modal(qtbot, lambda: window.page_actions["new_item"].trigger(), fill)
    assert result.accepted, result.errors
    created = _unit(window.db, "UBND thị xã Đức Phổ")
    assert created.valid_from == dt.date(2020, 2, 1)
    assert page.table.current_id() == created.id
    assert [e.action for e in history(window.db, "unit", created.id)] == ["create"]


def test_invalid_unit_shows_messages_at_fields(qtbot, window) -> None:
    page = page_of(window, UnitsPage)
    count = len(units.list_units(window.db))

    def fill(dialog) -> None:
        type_text(dialog.short_edit, "Không tên")
        type_text(dialog.valid_from_edit, "30/02/2020")
        QTest.keyClick(dialog.short_edit, Qt.Key.Key_Return)
        # every problem at once, each under its field; the first bad field has the focus
        assert "không tồn tại" in dialog.error_text("valid_from")
        assert dialog.error_text("name") == "Tên đơn vị không được để trống."
        assert dialog.focusWidget() is dialog.name_edit
        dialog.valid_from_edit.clear()
        type_text(dialog.valid_from_edit, "01/01/2020")
        type_text(dialog.email_edit, "khong-phai-thu")
        QTest.keyClick(dialog.short_edit, Qt.Key.Key_Return)

    result = with_modal(qtbot, page.new_item, fill)
    assert not result.accepted
    assert result.errors["name"] == "Tên đơn vị không được để trống."
    assert "email" in result.errors
    assert result.dialog.short_edit.text() == "Không tên"
    assert len(units.list_units(window.db)) == count

    def too_long(dialog) -> None:
        dialog.name_edit.setText("Sở " * 120)
        QTest.keyClick(dialog.name_edit, Qt.Key.Key_Return)

    assert "quá dài" in with_modal(qtbot, page.new_item, too_long).errors["name"]

    def duplicate(dialog) -> None:
        type_text(dialog.name_edit, "so noi vu")
        QTest.keyClick(dialog.name_edit, Qt.Key.Key_Return)

    assert "Đã có đơn vị" in with_modal(qtbot, page.new_item, duplicate).errors["name"]


def test_unit_with_history_is_not_deleted_and_user_is_told_why(qtbot, window, message_log) -> None:
    page = page_of(window, UnitsPage)
    unit = _unit(window.db, "UBND huyện Sơn Tịnh")
    page.table.select_id(unit.id)
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Delete)
    assert message_log.confirms
    assert message_log.errors and "lịch sử" in message_log.errors[-1]
    assert "Ngừng theo dõi" in message_log.errors[-1]
    assert _unit(window.db, "UBND huyện Sơn Tịnh").id == unit.id


def test_unit_without_history_can_be_deleted(qtbot, window, message_log) -> None:
    page = page_of(window, UnitsPage)
    mistake = units.create_unit(window.db, units.UnitInput("Đơn vị nhập nhầm", UnitKind.OTHER))
    page.refresh()
    page.table.select_id(mistake.id)
    page.delete_item()
    assert not message_log.errors
    assert all(u.id != mistake.id for u in units.list_units(window.db))


def test_search_accent_insensitive_and_kind_filter(qtbot, window) -> None:
    page = page_of(window, UnitsPage)
    type_text(page.search_box, "ly son")
    page.search_box.flush()
    assert page.table.proxy.rowCount() == 1
    page.search_box.clear()
    page.kind_combo.setCurrentIndex(page.kind_combo.findData(UnitKind.DISTRICT.value))
    assert page.table.proxy.rowCount() == 14
    page.refresh()
    assert page.table.proxy.rowCount() == 14


def test_deactivate_and_reactivate(qtbot, window) -> None:
    page = page_of(window, UnitsPage)
    unit = _unit(window.db, "Sở Y tế")
    page.table.select_id(unit.id)
    qtbot.mouseClick(page.active_button, Qt.MouseButton.LeftButton)
    assert not _unit(window.db, "Sở Y tế").active
    page.inactive_check.setChecked(False)
    assert unit.id not in page.table.visible_ids()
    page.inactive_check.setChecked(True)
    page.table.select_id(unit.id)
    assert page.active_button.text() == "Theo dõi lại"
    qtbot.mouseClick(page.active_button, Qt.MouseButton.LeftButton)
    assert _unit(window.db, "Sở Y tế").active
    actions = [e.action for e in history(window.db, "unit", unit.id)]
    assert actions == ["activate", "deactivate"]


def test_reorder_within_kind(qtbot, window) -> None:
    page = page_of(window, UnitsPage)
    second = _unit(window.db, "UBND huyện Bình Sơn")
    first = _unit(window.db, "UBND thành phố Quảng Ngãi")
    page.table.select_id(second.id)
    qtbot.mouseClick(page.up_button, Qt.MouseButton.LeftButton)
    assert (
        _unit(window.db, "UBND huyện Bình Sơn").sort_order
        < _unit(window.db, "UBND thành phố Quảng Ngãi").sort_order
    )
    assert page.table.current_id() == second.id
    assert first.sort_order == 1


def test_record_merger(qtbot, window) -> None:
    page = page_of(window, UnitsPage)
    old = _unit(window.db, "Sở Ngoại vụ")
    assert old.successor_id is None
    page.table.select_id(old.id)

    def fill(dialog) -> None:
        index = dialog.successor_combo.findText("Văn phòng UBND tỉnh")
        dialog.successor_combo.setCurrentIndex(index)
        type_text(dialog.date_edit, "01/03/2025")
        QTest.keyClick(dialog.date_edit, Qt.Key.Key_Return)

    result = with_modal(qtbot, page._on_merge_button_clicked, fill)
    assert result.accepted, result.errors
    merged = _unit(window.db, "Sở Ngoại vụ")
    assert merged.successor_name == "Văn phòng UBND tỉnh"
    assert merged.valid_to == dt.date(2025, 2, 28)
    assert not merged.active
    row = page.model.row_at(page.model.row_of_id(old.id))
    assert row.successor_name == "Văn phòng UBND tỉnh"
    assert history(window.db, "unit", old.id)[0].action == "merge"


def test_merger_needs_successor_and_date(qtbot, window) -> None:
    page = page_of(window, UnitsPage)
    page.table.select_id(_unit(window.db, "Sở Ngoại vụ").id)

    def fill(dialog) -> None:
        QTest.keyClick(dialog.date_edit, Qt.Key.Key_Return)

    result = with_modal(qtbot, page._on_merge_button_clicked, fill)
    assert set(result.errors) == {"successor", "merged_on"}
    assert _unit(window.db, "Sở Ngoại vụ").successor_id is None


def test_history_dialog_lists_field_changes_in_vietnamese(qtbot, window) -> None:
    unit = _unit(window.db, "Sở Tài chính")
    units.update_unit(
        window.db,
        unit.id,
        units.UnitInput(
            name=unit.name,
            kind=unit.kind,
            short_name="STC",
            sort_order=unit.sort_order,
            head_title=unit.head_title,
            valid_from=dt.date(2018, 1, 1),
        ),
    )
    units.set_active(window.db, unit.id, False)
    dialog = HistoryDialog(window.db, "unit", unit.id, unit.name, window)
    qtbot.addWidget(dialog)
    assert dialog.entries_model.rowCount() == 2
    assert dialog.entries_model.index(0, 2).data() == "Ngừng theo dõi"
    dialog.entries_view.selectRow(1)
    changes = {c.label: (c.before, c.after) for c in dialog.changes_model.rows()}
    assert changes["Tên viết tắt"] == ("(trống)", "STC")
    assert changes["Hiệu lực từ ngày"] == ("(trống)", "01/01/2018")
    dialog.entries_view.selectRow(0)
    assert {c.label: (c.before, c.after) for c in dialog.changes_model.rows()}["Đang theo dõi"] == (
        "Có",
        "Không",
    )


def test_history_names_the_successor(qtbot, window) -> None:
    old = _unit(window.db, "Sở Ngoại vụ")
    successor = _unit(window.db, "Văn phòng UBND tỉnh")
    units.record_merger(window.db, old.id, successor.id, dt.date(2025, 3, 1))
    dialog = HistoryDialog(window.db, "unit", old.id, old.name, window)
    qtbot.addWidget(dialog)
    dialog.entries_view.selectRow(0)
    changes = {c.label: (c.before, c.after) for c in dialog.changes_model.rows()}
    assert changes["Sáp nhập vào đơn vị"] == ("(trống)", "Văn phòng UBND tỉnh")
    assert changes["Hiệu lực đến ngày"] == ("(trống)", "28/02/2025")
    assert changes["Đang theo dõi"] == ("Có", "Không")
