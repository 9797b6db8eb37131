"""One date field everywhere, typed like Excel: every accepted shape replaces the whole value,
what cannot be read is refused with a message and never changed, Ctrl+; gives today, the
calendar opens at the value."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from tests.ui.conftest import TODAY, type_text
from ui.widgets import date_field
from ui.widgets.date_field import DateField

ACCEPTED = [
    ("25/06/2018", dt.date(2018, 6, 25)),
    ("5/6/2018", dt.date(2018, 6, 5)),
    ("28.04.2018", dt.date(2018, 4, 28)),
    ("28-04-2018", dt.date(2018, 4, 28)),
    ("2018-04-28", dt.date(2018, 4, 28)),
]
REFUSED = ["26062018", "31/02/2018", "25/13/2018", "hôm qua", "25/06/18"]


@pytest.fixture(autouse=True)
def _fixed_today() -> Any:
    date_field.set_today(lambda: TODAY)
    yield
    date_field.set_today(dt.date.today)


def replace_text(field: DateField, text: str) -> None:
    """Select all, type, Enter — as the user does."""
    field.setFocus()
    field.selectAll()
    type_text(field, text)
    QTest.keyClick(field, Qt.Key.Key_Return)


@pytest.fixture
def field(qtbot: Any) -> DateField:
    widget = DateField(label="Ngày ký")
    qtbot.addWidget(widget)
    widget.set_value(dt.date(2018, 5, 2))
    widget.show()
    return widget


@pytest.mark.parametrize(("text", "day"), ACCEPTED)
def test_each_shape_replaces_the_whole_value(
    field: DateField, qtbot: Any, text: str, day: dt.date
) -> None:
    with qtbot.waitSignal(field.dateValueChanged) as changed:
        replace_text(field, text)
    assert changed.args == [day]
    assert field.value() == day and field.date_value() == day
    assert field.text() == day.strftime("%d/%m/%Y")
    assert field.error() == ""


@pytest.mark.parametrize("text", REFUSED)
def test_unreadable_text_is_refused_with_a_message_and_kept(
    field: DateField, qtbot: Any, text: str
) -> None:
    with qtbot.waitSignal(field.invalidEntered) as refused:
        replace_text(field, text)
    assert field.text() == text  # never turned into another date, nor blanked
    assert field.date_value() == dt.date(2018, 5, 2)  # the last value accepted stays
    message = refused.args[0]
    assert message.startswith("Ngày ký") and field.toolTip() == message
    assert field.error() == message


def test_marker_clears_as_soon_as_the_text_can_be_read(field: DateField) -> None:
    replace_text(field, "31/02/2018")
    assert field.error()
    field.end(False)
    QTest.keyClick(field, Qt.Key.Key_Backspace)  # "31/02/201": still bad
    assert field.error()
    field.selectAll()
    type_text(field, "28/02/2018")
    assert field.error() == "" and field.styleSheet() == ""


def test_ctrl_semicolon_and_arrows(field: DateField) -> None:
    field.setFocus()
    QTest.keyClick(field, Qt.Key.Key_Semicolon, Qt.KeyboardModifier.ControlModifier)
    assert field.value() == TODAY and field.text() == "02/05/2018"
    QTest.keyClick(field, Qt.Key.Key_Up)
    assert field.value() == dt.date(2018, 5, 3)
    QTest.keyClick(field, Qt.Key.Key_Down)
    QTest.keyClick(field, Qt.Key.Key_Down)
    assert field.value() == dt.date(2018, 5, 1)


def test_calendar_opens_at_the_value_and_has_today(field: DateField, qtbot: Any) -> None:
    field.set_value(dt.date(2018, 6, 25))
    popup = field.open_calendar()
    qtbot.waitUntil(popup.isVisible)
    assert popup.selected() == dt.date(2018, 6, 25)
    assert popup.calendar.yearShown() == 2018 and popup.calendar.monthShown() == 6
    popup.today_button.click()
    assert field.value() == TODAY


def test_empty_optional_field_calendar_opens_today_not_1900(qtbot: Any) -> None:
    field = DateField(label="Ngày ban hành")
    qtbot.addWidget(field)
    field.show()
    assert field.value() is None and field.text() == ""
    popup = field.open_calendar()
    assert popup.selected() == TODAY
    assert popup.calendar.minimumDate().year() >= 1945
    popup.clear_button.click()
    assert field.value() is None


def test_required_field_refuses_empty(qtbot: Any) -> None:
    field = DateField(label="Ngày xét", allow_empty=False)
    qtbot.addWidget(field)
    field.show()
    assert field.date_value() == TODAY
    field.setFocus()
    field.selectAll()
    QTest.keyClick(field, Qt.Key.Key_Delete)
    with qtbot.waitSignal(field.invalidEntered):
        QTest.keyClick(field, Qt.Key.Key_Return)
    assert field.date_value() == TODAY and "chưa được nhập" in field.error()


# --- every date field of the program ---------------------------------------------------------
def test_as_of_typed_after_select_all(window: Any, qtbot: Any) -> None:
    edit = window.as_of_edit
    with qtbot.waitSignal(window.asOfChanged) as changed:
        replace_text(edit, "25/06/2018")
    assert changed.args == [dt.date(2018, 6, 25)] and window.as_of == dt.date(2018, 6, 25)
    replace_text(edit, "26062018")
    assert window.as_of == dt.date(2018, 6, 25)
    assert "26062018" in window.status_label.text()
    assert "25/06/2018" in window.status_label.text()


def _date_fields(widget: QWidget) -> list[DateField]:
    return [f for f in widget.findChildren(DateField) if f.isVisibleTo(widget) and f.isEnabled()]


def type_and_leave(field: DateField, text: str) -> None:
    """Select all, type, leave the field (in a dialog Enter would also press its default
    button: Lưu, Xem trước)."""
    field.setFocus()
    field.selectAll()
    type_text(field, text)
    field.commit()  # what leaving the field (editingFinished) does


def test_every_date_field_of_every_dialog(
    window: Any, qtbot: Any, tmp_path: Path, message_log: Any
) -> None:
    from tools.every_window import dialogs

    seen: dict[str, int] = {}
    for name, build in dialogs(window.db, window, tmp_path):
        dialog = build()
        dialog.show()
        fields = _date_fields(dialog)
        seen[name] = len(fields)
        for field in fields:
            for text, day in ACCEPTED:
                type_and_leave(field, text)
                assert field.value() == day, (name, text)
                assert field.text() == day.strftime("%d/%m/%Y")
            type_and_leave(field, "26062018")
            assert field.text() == "26062018" and field.error(), name
            type_and_leave(field, "02/05/2018")
            assert field.error() == ""
        if hasattr(dialog, "discard"):
            dialog.discard()  # typed into: closing would ask
        dialog.close()
        dialog.deleteLater()
        QApplication.processEvents()
    assert seen["dialog-in-tong-hop"] == 2  # as-of and the document's date
    assert seen["dialog-nhiem-vu"] >= 1 and seen["dialog-don-vi"] == 2
    assert seen["dialog-dang-ky-ke-hoach"] == 2 and seen["dialog-van-ban-chi-dao"] == 1
    assert seen["dialog-sap-nhap"] == 1 and seen["dialog-lich-nghi"] == 1


def test_print_dialog_refuses_an_unreadable_date(window: Any, message_log: Any) -> None:
    from ui.dialogs.document_dialog import DocumentDialog

    dialog = DocumentDialog(window.db, as_of=TODAY, kind="summary", parent=window)
    dialog.show()
    replace_text(dialog.date_edit, "26062018")
    dialog.generate()
    assert message_log.errors and "26062018" in message_log.errors[-1]
    replace_text(dialog.date_edit, "26/06/2018")
    assert dialog.options().date == dt.date(2018, 6, 26)
    dialog.close()
