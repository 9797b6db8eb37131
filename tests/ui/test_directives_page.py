"""Văn bản chỉ đạo: a directive with a one-off and a periodic task, assigned by kind or one by
one; changing a task says what happened to the obligations."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from app.models import TaskKind, UnitKind
from app.services import directives, units
from app.services.intake import intake_rows
from app.services.submissions import SubmissionInput, record_submission
from tests.ui.conftest import TODAY, page_of, type_text, with_modal
from ui.pages.directives_page import DirectivesPage
from ui.pages.plans_page import PlansPage
from ui.pages.reports_page import ReportsPage


def _new_directive(qtbot, page, symbol: str, date: str, subject: str):
    def fill(dialog) -> None:
        type_text(dialog.symbol_edit, symbol)
        type_text(dialog.date_edit, date)
        type_text(dialog.issuer_edit, "UBND tỉnh Quảng Ngãi")
        type_text(dialog.subject_edit, subject)
        QTest.keyClick(dialog.symbol_edit, Qt.Key.Key_Return)

    return with_modal(qtbot, page.new_directive, fill)


def test_directive_with_one_off_and_periodic_tasks(qtbot, window) -> None:
    page = page_of(window, DirectivesPage)
    result = _new_directive(
        qtbot, page, "150/UBND-NC", "10/01/2018", "Về cải cách hành chính năm 2018"
    )
    assert result.accepted, result.errors
    directive = page.current()
    assert directive.number_symbol == "150/UBND-NC"
    assert directive.signed_date == dt.date(2018, 1, 10)

    def one_off(dialog) -> None:
        type_text(dialog.title_edit, "Xây dựng kế hoạch cải cách hành chính")
        dialog.one_off_radio.setChecked(True)
        type_text(dialog.due_edit, "31/01/2018")
        dialog.kind_checks[UnitKind.DISTRICT].setChecked(True)
        QTest.keyClick(dialog.title_edit, Qt.Key.Key_Return)

    result = with_modal(qtbot, page.new_task, one_off)
    assert result.accepted, result.errors
    assert "thêm 14 nghĩa vụ" in page.notice.label.text()

    def periodic(dialog) -> None:
        type_text(dialog.title_edit, "Báo cáo quý")
        dialog.periodic_radio.setChecked(True)
        dialog.period_combo.setCurrentIndex(dialog.period_combo.findData("quarter"))
        type_text(dialog.end_edit, "31/12/2018")
        so_tu_phap = next(u for u in units.list_units(window.db) if u.name == "Sở Tư pháp")
        dialog.set_unit_checked(so_tu_phap.id)
        QTest.keyClick(dialog.title_edit, Qt.Key.Key_Return)

    result = with_modal(qtbot, page.new_task, periodic)
    assert result.accepted, result.errors
    assert "thêm 4 nghĩa vụ" in page.notice.label.text()
    tasks = page.current().tasks
    assert [t.kind for t in tasks] == [TaskKind.ONE_OFF, TaskKind.PERIODIC]
    assert page.tasks_model.rowCount() == 2
    # the other tabs offer the new directive at once
    plans = page_of(window, PlansPage)
    assert plans.directive_combo.findText("150/UBND-NC (10/01/2018)") >= 0
    reports = page_of(window, ReportsPage)
    reports.directive_combo.setCurrentIndex(
        reports.directive_combo.findText("150/UBND-NC (10/01/2018)")
    )
    reports.directive_combo.activated.emit(reports.directive_combo.currentIndex())
    periods = [reports.period_combo.itemText(i) for i in range(reports.period_combo.count())]
    assert [p.split(" (")[0] for p in periods] == [
        "Quý I/2018",
        "Quý II/2018",
        "Quý III/2018",
        "Quý IV/2018",
    ]
    assert reports.period_combo.currentText().startswith("Quý II/2018")  # as of 02/05/2018


def test_changing_units_says_what_changed_and_keeps_answered(qtbot, window) -> None:
    page = page_of(window, DirectivesPage)
    directive = page.current()
    plan_task = next(t for t in directive.tasks if t.kind is TaskKind.ONE_OFF)
    answered = intake_rows(window.db, TODAY, task_id=plan_task.id)[0]
    record_submission(
        window.db,
        SubmissionInput(answered.id, "45/KH-UBND", dt.date(2018, 4, 25), dt.date(2018, 4, 26)),
        today=TODAY,
    )
    page.refresh()
    page.tasks_table.select_id(plan_task.id)

    def move_to_departments(dialog) -> None:
        dialog.kind_checks[UnitKind.DISTRICT].setChecked(False)
        dialog.kind_checks[UnitKind.DEPARTMENT].setChecked(True)
        QTest.keyClick(dialog.title_edit, Qt.Key.Key_Return)

    result = with_modal(qtbot, page.edit_task, move_to_departments)
    assert result.accepted, result.errors
    text = page.notice.label.text()
    assert "thêm 20 nghĩa vụ" in text
    assert "bỏ 13 nghĩa vụ chưa có văn bản" in text
    assert "Giữ lại 1 nghĩa vụ đã có văn bản" in text
    assert window.status_label.text() == text
    rows = intake_rows(window.db, TODAY, task_id=plan_task.id)
    assert any(r.id == answered.id for r in rows)


def test_task_validation_at_fields(qtbot, window) -> None:
    page = page_of(window, DirectivesPage)
    before = page.current().tasks

    def bad(dialog) -> None:
        dialog.one_off_radio.setChecked(True)
        type_text(dialog.due_edit, "31/04/2018")
        QTest.keyClick(dialog.title_edit, Qt.Key.Key_Return)
        assert "không tồn tại" in dialog.error_text("due_date")
        dialog.due_edit.clear()
        type_text(dialog.due_edit, "30/04/2018")
        QTest.keyClick(dialog.title_edit, Qt.Key.Key_Return)

    result = with_modal(qtbot, page.new_task, bad)
    assert not result.accepted
    assert set(result.errors) == {"title", "unit_kinds"}
    assert directives.get_directive(window.db, page.current().id).tasks == before


def test_directive_validation_and_duplicate(qtbot, window) -> None:
    page = page_of(window, DirectivesPage)
    count = len(directives.list_directives(window.db))
    bad_date = _new_directive(qtbot, page, "9/UBND", "29/02/2018", "Trích yếu")
    assert "không tồn tại" in bad_date.errors["signed_date"]
    empty = _new_directive(qtbot, page, "", "01/03/2018", "")
    assert set(empty.errors) == {"number_symbol", "subject"}
    assert empty.dialog.date_edit.text() == "01/03/2018"
    duplicate = _new_directive(qtbot, page, "2116/ubnd-nc", "20/05/2018", "Trùng số")
    assert "Đã có văn bản số 2116/UBND-NC năm 2018" in duplicate.errors["number_symbol"]
    assert len(directives.list_directives(window.db)) == count


def test_directive_attachment_is_stored(qtbot, window, tmp_path) -> None:
    """Beside the SQLite file (the data folder), or in the server's database."""
    from app.services import attachment_blobs, attachments

    page = page_of(window, DirectivesPage)
    scan = tmp_path / "2116-UBND-NC.pdf"
    scan.write_bytes(b"%PDF-1.4 letter")

    def fill(dialog) -> None:
        dialog.attachment.set_pending(scan)
        QTest.keyClick(dialog.symbol_edit, Qt.Key.Key_Return)

    result = with_modal(qtbot, page.edit_directive, fill)
    assert result.accepted, result.errors
    stored = page.current().attachment_path
    if window.db.is_server:
        assert attachment_blobs.is_ref(stored)
    else:
        assert stored == f"attachments/directive/{page.current().id}/2116-UBND-NC.pdf"
    scan.unlink()  # the program's own copy is what opens
    opened = attachments.open_path(window.db, stored, tmp_path / "mo")
    assert opened.name == "2116-UBND-NC.pdf" and opened.read_bytes() == b"%PDF-1.4 letter"
    assert page.open_button.isEnabled()
    assert "2116-UBND-NC.pdf" in page.detail_label.text()


def test_deleting_a_directive_with_submissions_is_refused(qtbot, window, message_log) -> None:
    page = page_of(window, DirectivesPage)
    directive = page.current()
    plan_task = next(t for t in directive.tasks if t.kind is TaskKind.ONE_OFF)
    row = intake_rows(window.db, TODAY, task_id=plan_task.id)[0]
    record_submission(
        window.db,
        SubmissionInput(row.id, "45/KH-UBND", dt.date(2018, 4, 25), dt.date(2018, 4, 26)),
        today=TODAY,
    )
    page.delete_directive()
    assert message_log.errors and "đã có 1 văn bản" in message_log.errors[-1]
    assert directives.get_directive(window.db, directive.id).id == directive.id


def test_empty_database_invites_to_start(qtbot, empty_window) -> None:
    page = page_of(empty_window, DirectivesPage)
    assert "Thêm văn bản" in page.detail_label.text()
    plans = page_of(empty_window, PlansPage)
    assert "Chưa có nhiệm vụ" in plans.summary_label.text()
