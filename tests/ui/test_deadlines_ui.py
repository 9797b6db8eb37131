"""The holiday-table editor, the directive's shift option, the task's working-day rule and the
export dialog (.ics, .eml), driven through their widgets offscreen."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt

from app.services.calendar_days import list_calendar_days
from app.services.directives import list_directives
from app.services.obligations import list_obligations
from app.services.units import list_units
from ui import tasks
from ui.dialogs.calendar_days_dialog import CalendarDaysDialog
from ui.dialogs.deadline_export_dialog import DeadlineExportDialog
from ui.dialogs.directive_dialog import DirectiveDialog
from ui.dialogs.task_dialog import TaskDialog

D = dt.date


def test_calendar_editor_adds_and_withdraws_a_day(qtbot, sample_db, message_log, qtmodeltester):
    tasks.set_synchronous(True)
    dialog = CalendarDaysDialog(sample_db, D(2018, 6, 10))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.year_spin.value() == 2018
    names = [r.name for r in dialog.model.rows()]
    assert any("Tết" in n for n in names) and any("Quốc khánh" in n for n in names)
    qtmodeltester.check(dialog.model)
    assert not dialog.withdraw_button.isEnabled()  # nothing chosen; national days are fixed
    dialog.day_edit.setText("20/06/2018")
    dialog.name_edit.setText("Nghi bao")
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    (line,) = list_calendar_days(sample_db)
    assert line.day == D(2018, 6, 20) and line.known_from == D(2018, 6, 10)
    assert "Đã ghi nghỉ ngày 20/06/2018" in dialog.message.text()
    assert dialog.table.current_id() == line.id and dialog.withdraw_button.isEnabled()
    # a bad day keeps what she typed and says why
    dialog.day_edit.setText("31/02/2018")
    dialog.name_edit.setText("Ngay sai")
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert dialog.name_edit.text() == "Ngay sai" and dialog.message.text()
    assert len(list_calendar_days(sample_db)) == 1
    qtbot.mouseClick(dialog.withdraw_button, Qt.MouseButton.LeftButton)
    assert message_log.confirms and list_calendar_days(sample_db) == []
    dialog.history_check.setChecked(True)
    assert any(r.removed_on == D(2018, 6, 10) for r in dialog.model.rows())


def test_directive_shift_option_and_task_working_days(qtbot, sample_db, message_log):
    (directive,) = list_directives(sample_db)
    dialog = DirectiveDialog(sample_db, directive)
    qtbot.addWidget(dialog)
    assert not dialog.shift_check.isChecked()
    dialog.shift_check.setChecked(True)
    dialog.accept()
    assert dialog.saved is not None and dialog.saved.shift_due
    plans = list_obligations(sample_db, D(2018, 5, 1), task_id=directive.tasks[0].id)
    assert {r.due_date for r in plans} == {D(2018, 5, 2)}

    (directive,) = list_directives(sample_db)
    half = directive.tasks[1]
    task_dialog = TaskDialog(sample_db, directive, half, list_units(sample_db))
    qtbot.addWidget(task_dialog)
    assert task_dialog.due_day_spin.isEnabled()
    task_dialog.working_days_spin.setValue(5)
    assert not task_dialog.due_day_spin.isEnabled() and not task_dialog.offset_spin.isEnabled()
    task_dialog.accept()
    assert task_dialog.saved is not None and task_dialog.saved.due_working_days == 5
    rows = list_obligations(sample_db, D(2018, 6, 1), task_id=half.id)
    assert {r.due_date for r in rows} == {D(2018, 6, 21)}


def test_export_dialog_writes_ics_and_eml(qtbot, sample_db, message_log, tmp_path, monkeypatch):
    tasks.set_synchronous(True)
    opened: list[Path] = []
    monkeypatch.setattr(DeadlineExportDialog, "opener", staticmethod(opened.append))
    ics = DeadlineExportDialog(sample_db, D(2018, 4, 20), mode="ics")
    qtbot.addWidget(ics)
    ics.export_ics(tmp_path / "han.ics")
    assert (tmp_path / "han.ics").read_bytes().startswith(b"BEGIN:VCALENDAR")
    assert "Đã ghi 2 hạn nộp" in ics.message.text()

    eml = DeadlineExportDialog(sample_db, D(2018, 5, 2), mode="eml")
    qtbot.addWidget(eml)
    assert eml.units_list.count() == 14
    assert eml.send_button is not None and not eml.send_button.isEnabled()  # no server
    for i in range(2, 14):
        eml.units_list.item(i).setCheckState(Qt.CheckState.Unchecked)
    eml.write_eml(tmp_path / "thu")
    assert len(opened) == 2 and all(p.suffix == ".eml" for p in opened)
    assert "Đã soạn 2 thư" in eml.message.text()
    # mail settings: a bad address is said, nothing saved
    eml.from_edit.setText("sai dia chi")
    eml._on_save_mail_button_clicked()
    assert "không đúng" in eml.message.text()


def test_followup_plan_dialog_saves_and_reloads(qtbot, sample_db, message_log):
    from app.services.followup import get_plan
    from ui.dialogs.followup_plan_dialog import FollowupPlanDialog

    (directive,) = list_directives(sample_db)
    dialog = FollowupPlanDialog(sample_db, directive_id=directive.id)
    qtbot.addWidget(dialog)
    assert (dialog.notice_spin.value(), dialog.second_spin.value()) == (3, 5)
    dialog.second_spin.setValue(7)
    dialog.enabled_check.setChecked(False)
    dialog.accept()
    assert dialog.result() == dialog.DialogCode.Accepted
    plan = get_plan(sample_db, directive.id)
    assert plan.second_after_days == 7 and not plan.enabled
    again = FollowupPlanDialog(sample_db, directive_id=directive.id)
    qtbot.addWidget(again)
    assert again.second_spin.value() == 7 and not again.enabled_check.isChecked()
