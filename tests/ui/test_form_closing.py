"""No form closed unasked: Esc, Huỷ and the window's × on a form with changes ask Lưu / Không
lưu / Quay lại; an untouched form closes at once. Error markers clear as the field becomes
valid."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from app.services import units
from tests.ui.conftest import TODAY, type_text
from ui.dialogs import messages


@pytest.fixture
def unit_dialog(window: Any, qtbot: Any) -> Any:
    from ui.dialogs.unit_dialog import UnitDialog

    unit = next(u for u in units.list_units(window.db) if u.name == "Sở Y tế")
    dialog = UnitDialog(window.db, unit, window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(dialog.isVisible)
    return dialog


def _saved_phone(window: Any) -> str:
    return next(u for u in units.list_units(window.db) if u.name == "Sở Y tế").phone


def test_untouched_form_closes_without_asking(unit_dialog: Any, message_log: Any) -> None:
    QTest.keyClick(unit_dialog, Qt.Key.Key_Escape)
    assert not unit_dialog.isVisible() and message_log.unsaved == []


@pytest.mark.parametrize("how", ["esc", "cancel", "close"])
def test_changed_form_asks_and_back_keeps_everything(
    unit_dialog: Any, message_log: Any, how: str
) -> None:
    unit_dialog.phone_edit.setFocus()
    type_text(unit_dialog.phone_edit, "0255 3 822 999")
    message_log.unsaved_answer = messages.UNSAVED_BACK
    {
        "esc": lambda: QTest.keyClick(unit_dialog.phone_edit, Qt.Key.Key_Escape),
        "cancel": unit_dialog.cancel_button.click,
        "close": unit_dialog.close,
    }[how]()
    assert message_log.unsaved == ["Sửa đơn vị"]
    assert unit_dialog.isVisible()
    assert unit_dialog.phone_edit.text() == "0255 3 822 999"


def test_changed_form_discarded_is_not_saved(
    unit_dialog: Any, message_log: Any, window: Any
) -> None:
    before = _saved_phone(window)
    type_text(unit_dialog.phone_edit, "0255 3 822 999")
    message_log.unsaved_answer = messages.UNSAVED_DISCARD
    unit_dialog.cancel_button.click()
    assert not unit_dialog.isVisible() and _saved_phone(window) == before


def test_changed_form_saved_from_the_question(
    unit_dialog: Any, message_log: Any, window: Any
) -> None:
    unit_dialog.phone_edit.clear()
    type_text(unit_dialog.phone_edit, "0255 3 822 999")
    message_log.unsaved_answer = messages.UNSAVED_SAVE
    unit_dialog.close()
    assert not unit_dialog.isVisible()
    assert _saved_phone(window) == "0255 3 822 999"


def test_saving_from_the_question_with_an_error_stays_open(
    unit_dialog: Any, message_log: Any
) -> None:
    unit_dialog.name_edit.clear()
    message_log.unsaved_answer = messages.UNSAVED_SAVE
    QTest.keyClick(unit_dialog.name_edit, Qt.Key.Key_Escape)
    assert unit_dialog.isVisible() and unit_dialog.error_text("name")


def test_markers_clear_as_each_field_becomes_valid(window: Any, qtbot: Any) -> None:
    from app.services.obligations import get_obligation
    from tests.ui.conftest import page_of
    from tools.every_window import AS_OF
    from ui.dialogs.submission_dialog import SubmissionDialog
    from ui.pages.plans_page import PlansPage

    page = page_of(window, PlansPage)
    row = next(r for r in page.model.rows() if r.obligation.unit_name == "UBND huyện Ba Tơ")
    dialog = SubmissionDialog(
        window.db, get_obligation(window.db, row.id, AS_OF), today=TODAY, parent=window
    )
    qtbot.addWidget(dialog)
    dialog.show()
    type_text(dialog.signed_edit, "31/04/2018")
    type_text(dialog.received_edit, "02/05/2018")
    dialog.save_button.click()
    assert dialog.isVisible()
    assert dialog.error_text("number_symbol") and "31/04/2018" in dialog.error_text("signed_date")
    dialog.signed_edit.setFocus()
    dialog.signed_edit.selectAll()
    type_text(dialog.signed_edit, "30/04/201")  # not a date yet: the message stays
    assert dialog.error_text("signed_date")
    type_text(dialog.signed_edit, "8")
    assert dialog.error_text("signed_date") == ""
    assert dialog.signed_edit.styleSheet() == ""
    assert dialog.error_text("number_symbol")  # the other field still says what is wrong
    type_text(dialog.symbol_edit, "17/KH-UBND")
    assert dialog.error_text("number_symbol") == ""
    dialog.save_button.click()
    assert not dialog.isVisible()


def test_settings_asks_before_dropping_changes(window: Any, qtbot: Any, message_log: Any) -> None:
    from ui.dialogs.settings_dialog import SettingsDialog

    dialog = SettingsDialog(window.db, window)
    qtbot.addWidget(dialog)
    dialog.show()
    QTest.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible() and message_log.unsaved == []
    dialog.show()
    type_text(dialog.signer_name, "Nguyễn Văn A")
    message_log.unsaved_answer = messages.UNSAVED_BACK
    QTest.keyClick(dialog.signer_name, Qt.Key.Key_Escape)
    assert dialog.isVisible() and message_log.unsaved == ["Cài đặt"]
    message_log.unsaved_answer = messages.UNSAVED_DISCARD
    dialog.close()
    assert not dialog.isVisible()
