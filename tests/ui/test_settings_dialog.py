import datetime as dt

from PySide6.QtCore import Qt

from app.services.configuration import get_settings
from app.services.obligations import list_obligations
from ui.dialogs import settings_dialog
from ui.dialogs.settings_dialog import SettingsDialog


def test_settings_saved_with_enter_and_due_day_moves_obligations(qtbot, sample_db, monkeypatch):
    shown = []
    monkeypatch.setattr(settings_dialog, "show_info", lambda *a: shown.append(a[2]))
    dialog = SettingsDialog(sample_db)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.agency_abbreviation.text() == "SNV"
    dialog.signer_name.clear()
    dialog.signer_name.insert("Trần Văn Bình")  # QTest types ASCII only
    dialog.default_due_day.setValue(25)
    dialog.warning_days.setValue(10)
    qtbot.keyClick(dialog.signer_name, Qt.Key.Key_Return)
    assert dialog.result() == dialog.DialogCode.Accepted
    saved = get_settings(sample_db)
    assert saved.signer_name == "Trần Văn Bình" and saved.warning_days == 10
    assert saved.default_due_day == 25
    rows = list_obligations(sample_db, dt.date(2018, 7, 1))
    assert {r.due_date for r in rows if r.period_key == "2018-H1"} == {dt.date(2018, 6, 25)}
    assert shown and "cập nhật hạn" in shown[0]


def test_empty_required_field_shows_message_and_saves_nothing(qtbot, sample_db):
    dialog = SettingsDialog(sample_db)
    qtbot.addWidget(dialog)
    dialog.place_name.clear()
    dialog._on_buttons_accepted()
    assert dialog.result() != dialog.DialogCode.Accepted
    assert not dialog._errors["place_name"].isHidden()
    assert "Địa danh" in dialog._errors["place_name"].text()
    assert get_settings(sample_db).place_name == "Quảng Ngãi"


def test_margins_cannot_leave_the_decree_ranges(qtbot, db):
    dialog = SettingsDialog(db)
    qtbot.addWidget(dialog)
    dialog.margins["margin_left_mm"].setValue(50)
    dialog.margins["margin_top_mm"].setValue(5)
    values = dialog.values()
    assert values["margin_left_mm"] == 35 and values["margin_top_mm"] == 20
