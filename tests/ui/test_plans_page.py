"""Đăng ký kế hoạch and Tiếp nhận báo cáo, driven as the specialist does: Enter on a row, type,
Enter to save; the status changes at once."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from app.services import submissions
from app.services.audit import history
from app.status import Status
from tests.ui.conftest import TODAY, page_of, with_modal
from ui.pages.plans_page import PlansPage
from ui.pages.reports_page import ReportsPage


def _type_submission(
    symbol: str, signed: str, received: str | None = None, attachment: Path | None = None
):
    def fill(dialog) -> None:
        QTest.keyClicks(dialog.symbol_edit, symbol)
        QTest.keyClicks(dialog.signed_edit, signed)
        if received is not None:
            dialog.received_edit.selectAll()
            QTest.keyClick(dialog.received_edit, Qt.Key.Key_Delete)
            QTest.keyClicks(dialog.received_edit, received)
        if attachment is not None:
            dialog.attachment.set_pending(attachment)
        QTest.keyClick(dialog.symbol_edit, Qt.Key.Key_Return)

    return fill


def _row(page, unit_name: str):
    for r in page.model.rows():
        if r.obligation.unit_name == unit_name:
            return r
    raise AssertionError(unit_name)


def test_register_plan_with_keys_changes_status(qtbot, window) -> None:
    page = page_of(window, PlansPage)
    assert window.tabs.tabText(window.tabs.indexOf(page)) == "Đăng ký kế hoạch (14)"
    target = _row(page, "UBND huyện Sơn Tịnh")
    assert target.status is Status.OVERDUE
    page.table.select_id(target.id)
    page.table.setFocus()
    result = with_modal(
        qtbot,
        lambda: qtbot.keyClick(page.table, Qt.Key.Key_Return),
        _type_submission("45/KH-UBND", "25/04/2018", "27/04/2018"),
    )
    assert result.accepted, result.errors
    header = result.dialog.header.text()
    assert "UBND huyện Sơn Tịnh" in header and "Xây dựng kế hoạch" in header
    row = _row(page, "UBND huyện Sơn Tịnh")
    assert row.status is Status.DONE_ON_TIME
    assert row.number_symbol == "45/KH-UBND"
    assert row.received_date == dt.date(2018, 4, 27)
    status_col = page.model.column_index("status")
    index = page.model.index(page.model.row_of_id(row.id), status_col)
    assert index.data() == Status.DONE_ON_TIME.label
    assert index.data(Qt.ItemDataRole.BackgroundRole).name() == Status.DONE_ON_TIME.colour
    assert window.tabs.tabText(window.tabs.indexOf(page)) == "Đăng ký kế hoạch (13)"
    assert page.docs_model.rowCount() == 1


def test_late_plan_is_done_late(qtbot, window) -> None:
    page = page_of(window, PlansPage)
    target = _row(page, "UBND huyện Lý Sơn")
    result = with_modal(
        qtbot,
        lambda: page.register(target.id),
        _type_submission("12/KH-UBND", "30/04/2018", "02/05/2018"),
    )
    assert result.accepted
    assert _row(page, "UBND huyện Lý Sơn").status is Status.DONE_LATE


def test_invalid_dates_show_field_messages_and_save_nothing(qtbot, window) -> None:
    page = page_of(window, PlansPage)
    target = _row(page, "UBND huyện Ba Tơ")
    bad_day = with_modal(
        qtbot,
        lambda: page.register(target.id),
        _type_submission("7/KH-UBND", "31/02/2018", "27/04/2018"),
    )
    assert not bad_day.accepted
    assert "không tồn tại" in bad_day.errors["signed_date"]
    both = with_modal(
        qtbot,
        lambda: page.register(target.id),
        _type_submission("7/KH-UBND", "31/04/2018", "03/05/2018"),
    )
    assert "không tồn tại" in both.errors["signed_date"]
    assert "tương lai" in both.errors["received_date"]
    before_signed = with_modal(
        qtbot,
        lambda: page.register(target.id),
        _type_submission("7/KH-UBND", "28/04/2018", "27/04/2018"),
    )
    assert "trước ngày ký" in before_signed.errors["received_date"]
    future = with_modal(
        qtbot,
        lambda: page.register(target.id),
        _type_submission("7/KH-UBND", "28/04/2018", "03/05/2018"),
    )
    assert "tương lai" in future.errors["received_date"]
    empty = with_modal(qtbot, lambda: page.register(target.id), _type_submission("", "", ""))
    assert {"number_symbol", "signed_date", "received_date"} <= set(empty.errors)
    # the text typed is still there when the message shows
    assert before_signed.dialog.symbol_edit.text() == "7/KH-UBND"
    assert before_signed.dialog.signed_edit.text() == "28/04/2018"
    assert submissions.list_for_obligation(window.db, target.id) == []
    assert _row(page, "UBND huyện Ba Tơ").status is Status.OVERDUE


def test_duplicate_number_for_same_unit_and_year_is_refused(qtbot, window) -> None:
    page = page_of(window, PlansPage)
    target = _row(page, "UBND huyện Mộ Đức")
    with_modal(
        qtbot,
        lambda: page.register(target.id),
        _type_submission("30/KH-UBND", "20/04/2018", "21/04/2018"),
    )
    again = with_modal(
        qtbot,
        lambda: page.register(target.id),
        _type_submission("030/kh-ubnd", "22/04/2018", "23/04/2018"),
    )
    assert "đã có văn bản số 30/KH-UBND" in again.errors["number_symbol"]
    assert len(submissions.list_for_obligation(window.db, target.id)) == 1


def test_delete_submission_asks_and_can_be_undone(qtbot, window, message_log) -> None:
    page = page_of(window, PlansPage)
    target = _row(page, "UBND huyện Tư Nghĩa")
    with_modal(
        qtbot,
        lambda: page.register(target.id),
        _type_submission("9/KH-UBND", "20/04/2018", "21/04/2018"),
    )
    page.table.select_id(target.id)
    window.page_actions["delete_item"].trigger()
    assert message_log.confirms and "9/KH-UBND" in message_log.confirms[-1]
    assert _row(page, "UBND huyện Tư Nghĩa").status is Status.OVERDUE
    assert page.notice.action_button.text() == "Hoàn tác"
    qtbot.mouseClick(page.notice.action_button, Qt.MouseButton.LeftButton)
    row = _row(page, "UBND huyện Tư Nghĩa")
    assert row.status is Status.DONE_ON_TIME and row.number_symbol == "9/KH-UBND"
    actions = [e.action for e in history(window.db, "submission")]
    assert "delete" in actions and "restore" in actions


def test_refusing_the_confirmation_deletes_nothing(qtbot, window, message_log) -> None:
    page = page_of(window, PlansPage)
    target = _row(page, "UBND huyện Sơn Hà")
    with_modal(
        qtbot,
        lambda: page.register(target.id),
        _type_submission("3/KH-UBND", "20/04/2018", "21/04/2018"),
    )
    message_log.answer = False
    page.table.select_id(target.id)
    page.delete_item()
    assert len(submissions.list_for_obligation(window.db, target.id)) == 1


def test_as_of_day_replays_the_past(qtbot, window) -> None:
    page = page_of(window, PlansPage)
    target = _row(page, "UBND huyện Bình Sơn")
    with_modal(
        qtbot,
        lambda: page.register(target.id),
        _type_submission("5/KH-UBND", "28/04/2018", "29/04/2018"),
    )
    window.set_as_of(dt.date(2018, 4, 25))
    row = _row(page, "UBND huyện Bình Sơn")
    assert row.status is Status.DUE_SOON and row.number_symbol == ""
    window.set_as_of(TODAY)
    assert _row(page, "UBND huyện Bình Sơn").status is Status.DONE_ON_TIME


def test_search_and_sort_survive_refresh(qtbot, window) -> None:
    page = page_of(window, PlansPage)
    window.page_actions["focus_search"].trigger()
    assert page.search_box.hasFocus()
    qtbot.keyClicks(page.search_box, "son tinh")
    page.search_box.flush()
    assert page.table.proxy.rowCount() == 1
    unit_col = page.model.column_index("unit")
    page.table.sortByColumn(unit_col, Qt.SortOrder.DescendingOrder)
    window.refresh_action.trigger()
    assert page.table.proxy.rowCount() == 1
    assert page.table.horizontalHeader().sortIndicatorSection() == unit_col
    page.search_box.clear()
    names = [page.table.proxy.index(r, unit_col).data() for r in range(page.table.proxy.rowCount())]
    # Vietnamese order, descending: "UBND thành phố" after every "UBND huyện"
    assert names[0] == "UBND thành phố Quảng Ngãi"
    assert names.index("UBND huyện Đức Phổ") < names.index("UBND huyện Ba Tơ")


def test_report_intake_period_and_several_documents(qtbot, window) -> None:
    page = page_of(window, ReportsPage)
    labels = [page.period_combo.itemText(i) for i in range(page.period_combo.count())]
    assert labels and labels[0].startswith("6 tháng đầu năm 2018")
    target = _row(page, "Sở Tư pháp")
    for symbol, signed in (("101/BC-STP", "30/04/2018"), ("102/BC-STP", "01/05/2018")):
        result = with_modal(
            qtbot, lambda: page.register(target.id), _type_submission(symbol, signed, "02/05/2018")
        )
        assert result.accepted, result.errors
    row = _row(page, "Sở Tư pháp")
    assert row.documents == 2
    assert row.number_symbol == "101/BC-STP"
    assert row.status is Status.DONE_ON_TIME
    page.table.select_id(row.id)
    assert page.docs_model.rowCount() == 2
    counted = [s.counts for s in page.docs_model.rows()]
    assert counted.count(True) == 1


def test_open_obligation_selects_and_opens_dialog(qtbot, window) -> None:
    plans = page_of(window, PlansPage)
    target = _row(plans, "UBND huyện Minh Long")
    page_of(window, ReportsPage)
    result = with_modal(
        qtbot,
        lambda: plans.open_obligation(target.id),
        _type_submission("8/KH-UBND", "26/04/2018", "28/04/2018"),
    )
    assert result.accepted
    assert window.tabs.currentWidget() is plans
    assert plans.table.current_id() == target.id
    assert _row(plans, "UBND huyện Minh Long").status is Status.DONE_ON_TIME


def test_attachment_is_kept_with_the_data(qtbot, window, tmp_path) -> None:
    """Copied into the data folder beside the SQLite file, or into the server's database."""
    from app.services import attachment_blobs, attachments

    usb = tmp_path / "usb"
    usb.mkdir()
    scan = usb / "Kế hoạch 11.pdf"
    scan.write_bytes(b"%PDF-1.4 test")
    page = page_of(window, PlansPage)
    target = _row(page, "UBND huyện Trà Bồng")
    result = with_modal(
        qtbot,
        lambda: page.register(target.id),
        _type_submission("11/KH-UBND", "26/04/2018", "28/04/2018", scan),
    )
    assert result.accepted, result.errors
    row = _row(page, "UBND huyện Trà Bồng")
    if window.db.is_server:
        assert attachment_blobs.is_ref(row.attachment_path)
    else:
        assert row.attachment_path.startswith("attachments/submission/")
    scan.unlink()
    opened = attachments.open_path(window.db, row.attachment_path, tmp_path / "mo")
    assert opened.name == "Kế hoạch 11.pdf" and opened.read_bytes() == b"%PDF-1.4 test"


def test_history_of_a_row_keeps_deleted_documents(qtbot, window, message_log) -> None:
    from ui.dialogs.history_dialog import HistoryDialog

    page = page_of(window, PlansPage)
    target = _row(page, "UBND huyện Đức Phổ")
    with_modal(
        qtbot,
        lambda: page.register(target.id),
        _type_submission("61/KH-UBND", "20/04/2018", "21/04/2018"),
    )
    page.table.select_id(target.id)
    page.delete_item()
    shown = []

    def look(dialog) -> None:
        assert isinstance(dialog, HistoryDialog)
        shown.extend(
            dialog.entries_model.index(r, 2).data() for r in range(dialog.entries_model.rowCount())
        )
        dialog.entries_view.selectRow(0)
        labels = {c.label: c.before for c in dialog.changes_model.rows()}
        assert labels["Số, ký hiệu"] == "61/KH-UBND"
        assert labels["Ngày nhận"] == "21/04/2018"
        dialog.reject()

    with_modal(qtbot, page.show_history, look)
    assert shown == ["Xoá", "Thêm mới"]
