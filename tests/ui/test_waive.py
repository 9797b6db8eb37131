"""Miễn nghĩa vụ on Đăng ký kế hoạch: a reason is required, the row turns "Được miễn", the
waiver is in the obligation's history, and it can be lifted again."""

from __future__ import annotations

from app.services.intake import obligation_history
from app.status import Status
from tests.ui.conftest import page_of, type_text, with_modal
from ui.pages.plans_page import PlansPage


def _status(page, obligation_id: int) -> Status:
    return next(r.status for r in page.model.rows() if r.id == obligation_id)


def test_waive_needs_a_reason_then_is_recorded_and_can_be_lifted(qtbot, window) -> None:
    page = page_of(window, PlansPage)
    page.table.selectRow(0)
    row = page.current()
    assert row is not None and row.status is Status.OVERDUE
    assert page.waive_button.text() == "Miễn nghĩa vụ…"

    def without_reason_then_with(dialog) -> None:
        dialog.save_button.click()
        assert dialog.isVisible()
        assert "lý do" in dialog.error_text("reason")
        type_text(dialog.reason_edit, "Theo Cong van 12/UBND")
        dialog.save_button.click()

    with_modal(qtbot, page.waive_current, without_reason_then_with)
    assert _status(page, row.id) is Status.EXEMPT
    assert page.current().id == row.id
    assert page.waive_button.text() == "Bỏ miễn nghĩa vụ…"
    entries = obligation_history(window.db, row.id)
    assert entries[0].entity == "obligation"
    assert "Theo Cong van 12/UBND" in entries[0].summary

    with_modal(qtbot, page.waive_current, lambda dialog: dialog.save_button.click())
    assert _status(page, row.id) is Status.OVERDUE
    assert obligation_history(window.db, row.id)[0].summary.startswith("Bỏ miễn")
