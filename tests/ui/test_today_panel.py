"""The overview's "Việc cần làm hôm nay": the rounds of the day, Enter opens the prepared
letter in the print dialog, "Đánh dấu đã gửi" records the reminder per unit, the units that
have not answered and the chart of response times."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt

from app.documents.common import DocumentKind
from app.services.directives import list_directives
from app.services.followup import RoundKind
from app.services.issued_documents import reminders_sent
from app.services.obligations import list_obligations
from app.services.submissions import SubmissionInput, record_submission
from ui import tasks

D = dt.date


@pytest.fixture(autouse=True)
def _synchronous() -> Iterator[None]:
    tasks.set_synchronous(True)
    yield
    tasks.set_synchronous(False)


def _panel(window):  # type: ignore[no-untyped-def]
    for i in range(window.tabs.count()):
        page = window.tabs.widget(i)
        if type(page).__name__ == "DashboardPage":
            return page, page.today_panel
    raise AssertionError("no overview")


def test_rounds_of_the_day_open_their_letter(qtbot, window, sample_db, qtmodeltester):
    page, panel = _panel(window)
    window.set_as_of(D(2018, 5, 2))
    rows = panel.rows()
    assert [(r.round.kind, len(r.round.units), r.pending) for r in rows] == [
        (RoundKind.FIRST, 14, False)
    ]
    qtmodeltester.check(panel.model)
    assert page.sections.tabText(3) == "Việc cần làm hôm nay (1)"
    assert "1 việc đôn đốc" in panel.heading.text()
    page.sections.setCurrentIndex(3)
    panel.table.setFocus()
    panel.table.selectRow(0)
    assert panel.open_button.text() == "Mở công văn đôn đốc (Enter)"
    qtbot.keyClick(panel.table, Qt.Key.Key_Return)
    dialog = window.document_dialog
    qtbot.addWidget(dialog)
    (directive,) = list_directives(sample_db)
    assert dialog.kind is DocumentKind.REMINDER and dialog.directive_id() == directive.id
    dialog.close()

    # recorded as sent: every district counted as reminded once
    panel.mark_sent()
    sent = reminders_sent(sample_db, until=D(2018, 5, 2))
    assert len(sent) == 14 and {s.follow_up_round for s in sent} == {1}
    # three plans arrive; on 04/05 eleven districts have not answered
    plans = list_obligations(sample_db, D(2018, 5, 2), task_id=directive.tasks[0].id)
    for n, row in enumerate(plans[:3]):
        record_submission(
            sample_db,
            SubmissionInput(
                obligation_id=row.id,
                number_symbol=f"{n + 1}/KH",
                signed_date=D(2018, 5, 3),
                received_date=D(2018, 5, 3),
            ),
            today=D(2018, 5, 3),
        )
    window.set_as_of(D(2018, 5, 4))
    assert panel.rows() == [] and page.sections.tabText(3) == "Việc cần làm hôm nay"
    assert panel.unanswered_list.count() == 11
    assert "đã đôn đốc 1 lần" in panel.unanswered_list.item(0).text()
    assert [r.label for r in panel.round_chart.rows()] == ["Lần 1"]
    assert panel.round_chart.rows()[0].median == 1.0
    assert [r.label for r in panel.kind_chart.rows()] == ["UBND cấp huyện"]

    # the escalation round opens the draft for the UBND tỉnh
    window.set_as_of(D(2018, 5, 16))
    kinds = [r.round.kind for r in panel.rows()]
    assert kinds == [RoundKind.ESCALATE, RoundKind.SECOND]  # today's, then the one not done
    panel.table.selectRow(0)
    dialog = panel.open_current()
    qtbot.addWidget(dialog)
    assert dialog.kind is DocumentKind.ESCALATION


def test_notice_round_opens_the_notice_mails(qtbot, window, sample_db, tmp_path, monkeypatch):
    from ui.dialogs.deadline_export_dialog import DeadlineExportDialog

    opened = []
    monkeypatch.setattr(DeadlineExportDialog, "opener", staticmethod(opened.append))
    _page, panel = _panel(window)
    window.set_as_of(D(2018, 6, 15))
    (row,) = panel.rows()
    assert row.round.kind is RoundKind.NOTICE and len(row.round.units) == 33
    assert not panel.sent_button.isEnabled()
    panel.table.selectRow(0)
    dialog = panel.open_current()
    qtbot.addWidget(dialog)
    assert dialog.units_list.count() == 33
    dialog.write_eml(tmp_path / "nhac")
    assert len(opened) == 33
    import email
    from email import policy

    message = email.message_from_bytes(opened[0].read_bytes(), policy=policy.default)
    assert message["Subject"].startswith("Nhắc hạn gửi Báo cáo định kỳ 6 tháng")
    assert "20/06/2018" in message.get_body(preferencelist=("plain",)).get_content()


def test_ctrl_j_shows_the_today_panel(qtbot, window):
    page, panel = _panel(window)
    window.set_as_of(D(2018, 5, 2))
    window.tabs.setCurrentIndex(window.tabs.count() - 1)  # another tab
    actions = window.deadline_actions
    assert actions.today_action.shortcut().toString() == "Ctrl+J"
    actions.today_action.trigger()
    assert window.tabs.currentWidget() is page and page.sections.currentWidget() is panel
    assert panel.table.current_id() is not None and panel.open_button.isEnabled()
    titles = [a.text() for a in window.menuBar().actions()]
    assert "&Hạn và nhắc việc" in titles and titles[-1] == "Trợ &giúp"
