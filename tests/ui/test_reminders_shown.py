"""Reminders sent are seen where the overdue work is: the warnings page's "Đã đôn đốc" column
("đã đôn đốc lần N, ngày …"), updated as soon as a reminder is printed; the issued documents
list filtered on a unit shows every reminder it received."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from app.db import Database
from app.documents.common import DocumentKind, DocumentOptions
from app.documents.generate import generate
from app.documents.issued import keep_issued
from app.services.directives import list_directives
from app.services.issued_documents import IssuedInput, record_issued
from ui import tasks
from ui.dialogs import messages as messages_module
from ui.dialogs.issued_documents_dialog import IssuedDocumentsDialog
from ui.models.warnings_model import REMINDED_TITLE
from ui.pages.warnings_page import WarningsPage

DAY = dt.date(2018, 9, 1)


@pytest.fixture(autouse=True)
def _synchronous() -> Iterator[None]:
    tasks.set_synchronous(True)
    yield
    tasks.set_synchronous(False)


@pytest.fixture
def window(qtbot: Any, sample_db: Database) -> Any:
    from ui.main_window import MainWindow

    w = MainWindow(sample_db, today=DAY)
    qtbot.addWidget(w)
    w.show()
    return w


def _page(window: Any) -> WarningsPage:
    found = next(
        window.tabs.widget(i)
        for i in range(window.tabs.count())
        if isinstance(window.tabs.widget(i), WarningsPage)
    )
    window.tabs.setCurrentWidget(found)
    return found


def _reminded(page: WarningsPage) -> dict[tuple[int, int], str]:
    titles = [
        page.model.headerData(c, Qt.Orientation.Horizontal) for c in range(page.model.columnCount())
    ]
    column = titles.index(REMINDED_TITLE)
    assert titles[column - 1] == "Đơn vị"  # in sight, beside the unit
    out = {}
    for row in range(page.model.rowCount()):
        r = page.model.row_at(row)
        out[(r.unit_id, r.directive_id)] = page.model.index(row, column).data()
    return out


def test_warnings_show_the_reminders_sent(
    qtbot: Any, qtmodeltester: Any, window: Any, sample_db: Database, tmp_path: Path
) -> None:
    page = _page(window)
    qtbot.waitUntil(lambda: page.model.rowCount() > 0, timeout=10_000)
    first = page.model.row_at(0)
    assert _reminded(page)[(first.unit_id, first.directive_id)] == ""
    # A reminder printed from the window: the column follows at once.
    options = DocumentOptions(
        DocumentKind.REMINDER, dt.date(2018, 8, 15), first.directive_id, unit_ids=(first.unit_id,)
    )
    generated = generate(sample_db, options, tmp_path / "cv.pdf")
    dialog = window.open_document_dialog("reminder", directive_id=first.directive_id)
    qtbot.addWidget(dialog)
    dialog.keep_issued((options, generated))  # what a print or a save does
    assert (
        _reminded(page)[(first.unit_id, first.directive_id)] == "đã đôn đốc lần 1, ngày 15/08/2018"
    )
    # A second one, with the clerk's issue date: "lần 2", that day.
    record_issued(
        sample_db,
        IssuedInput(
            kind="reminder",
            as_of=DAY,
            directive_id=first.directive_id,
            issued_date=dt.date(2018, 8, 28),
            unit_ids=(first.unit_id,),
        ),
    )
    page.refresh()
    assert (
        _reminded(page)[(first.unit_id, first.directive_id)] == "đã đôn đốc lần 2, ngày 28/08/2018"
    )
    index = page.model.index(0, 0)
    assert "Đã đôn đốc lần 2, ngày 28/08/2018." in index.data(Qt.ItemDataRole.ToolTipRole)
    # Seen on a day before both were sent: none.
    window.set_as_of(dt.date(2018, 8, 10))
    qtbot.waitUntil(lambda: page.day == dt.date(2018, 8, 10), timeout=10_000)
    assert set(_reminded(page).values()) == {""}
    qtmodeltester.check(page.model)


def test_warnings_open_the_unit_reminder_of_the_selected_row(qtbot: Any, window: Any) -> None:
    from ui.dialogs.document_dialog import DocumentDialog

    page = _page(window)
    qtbot.waitUntil(lambda: page.model.rowCount() > 2, timeout=10_000)
    page.view.setCurrentIndex(page.model.index(2, 0))
    page.unit_reminder_button.click()
    dialog = window.document_dialog
    assert isinstance(dialog, DocumentDialog)
    qtbot.addWidget(dialog)
    assert dialog.kind is DocumentKind.UNIT_REMINDER
    assert dialog.unit_id() == page.model.row_at(2).unit_id
    window.resize(1366, 768)
    assert page.unit_reminder_button.isVisibleTo(page)


def test_issued_list_by_unit_shows_its_reminders(
    qtbot: Any, qtmodeltester: Any, window: Any, sample_db: Database, tmp_path: Path
) -> None:
    directive = list_directives(sample_db)[0].id
    options = DocumentOptions(DocumentKind.REMINDER, dt.date(2018, 8, 15), directive)
    generated = generate(sample_db, options, tmp_path / "cv.pdf")
    kept = keep_issued(sample_db, options, generated)
    unit = generated.data.units[0]  # type: ignore[attr-defined]
    other = DocumentOptions(DocumentKind.SUMMARY, dt.date(2018, 8, 15), directive)
    keep_issued(sample_db, other, generate(sample_db, other, tmp_path / "bc.pdf"))
    window.issued_action.trigger()
    dialog = window.issued_documents_dialog
    assert isinstance(dialog, IssuedDocumentsDialog)
    qtbot.addWidget(dialog)
    assert dialog.model.rowCount() == 2
    qtmodeltester.check(dialog.model)
    dialog.unit_combo.setCurrentIndex(dialog.unit_combo.findData(unit.unit_id))
    assert dialog.model.rowCount() == 1
    row = dialog.model.row_at(0)
    assert row.id == kept.id and unit.unit_name in row.addressed
    sent_to = dialog.model.index(0, dialog.model.column_index("sent_to")).data()
    assert sent_to.startswith(f"{len(kept.unit_ids)} đơn vị")
    shown_text = dialog.text_dialog()
    assert shown_text is not None
    qtbot.addWidget(shown_text)
    assert "[Những việc còn nợ]" in shown_text.text_edit.toPlainText()
    assert unit.unit_name in shown_text.text_edit.toPlainText()
    # The clerk's number and date, written in later: the reminder counts from that day.
    numbering = dialog.number_dialog()
    assert numbering is not None
    qtbot.addWidget(numbering)
    numbering.number_edit.setText("118")
    numbering.date_edit.set_date_value(dt.date(2018, 8, 17))
    assert dialog.save_number(numbering)
    assert dialog.model.index(0, dialog.model.column_index("number")).data() == "118"
    page = _page(window)
    qtbot.waitUntil(lambda: page.model.rowCount() > 0, timeout=10_000)
    assert "đã đôn đốc lần 1, ngày 17/08/2018" in _reminded(page).values()
    numbering.number_edit.setText("một")
    shown: list[str] = []
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(
            messages_module, "show_error", lambda _p, exc, title="": shown.append(str(exc))
        )
        assert not dialog.save_number(numbering)
    assert shown and "Số văn bản" in shown[0]
    history = dialog.history_dialog()
    assert history is not None
    qtbot.addWidget(history)
    assert history.entries_model.rowCount() == 2  # kept, then numbered
    # Removing one kept by mistake (confirmed) takes it out of the count.
    from ui.dialogs import messages

    asked: list[str] = []

    def confirm(_parent: Any, _title: str, text: str, **_kw: Any) -> bool:
        asked.append(text)
        return True

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(messages, "confirm", confirm)
        dialog.delete_button.click()
    assert asked and "Xóa “Công văn đôn đốc”" in asked[0]
    assert dialog.model.rowCount() == 0


def test_pages_open_the_list_and_the_unit_reminder(
    qtbot: Any, window: Any, sample_db: Database, tmp_path: Path
) -> None:
    from app.services.obligations import list_obligations
    from app.status import Status
    from ui.dialogs.document_dialog import DocumentDialog
    from ui.dialogs.obligation_dialog import ObligationDialog
    from ui.pages.directives_page import DirectivesPage
    from ui.pages.units_page import UnitsPage

    owed = next(
        r
        for r in list_obligations(sample_db, DAY, statuses=[Status.OVERDUE])
        if r.unit_name != "Sở Nội vụ"
    )
    options = DocumentOptions(
        DocumentKind.UNIT_REMINDER, dt.date(2018, 8, 20), unit_id=owed.unit_id
    )
    keep_issued(sample_db, options, generate(sample_db, options, tmp_path / "dv.pdf"))
    # The obligation's view says it was reminded (the consolidated letter counts).
    dialog = ObligationDialog(sample_db, owed.id, DAY)
    qtbot.addWidget(dialog)
    assert dialog.reminded_label.text() == "Đã đôn đốc lần 1, ngày 20/08/2018"
    early = ObligationDialog(sample_db, owed.id, dt.date(2018, 8, 19))
    qtbot.addWidget(early)
    assert early.reminded_label.text() == "Chưa gửi công văn đôn đốc"

    units = next(
        window.tabs.widget(i)
        for i in range(window.tabs.count())
        if isinstance(window.tabs.widget(i), UnitsPage)
    )
    window.tabs.setCurrentWidget(units)
    units.table.select_id(owed.unit_id)
    units.issued_button.click()
    listing = window.issued_documents_dialog
    qtbot.addWidget(listing)
    assert listing.unit_combo.currentData() == owed.unit_id and listing.model.rowCount() == 1
    units.remind_button.click()
    letter = window.document_dialog
    assert isinstance(letter, DocumentDialog)
    qtbot.addWidget(letter)
    assert letter.kind is DocumentKind.UNIT_REMINDER and letter.unit_id() == owed.unit_id

    directives = next(
        window.tabs.widget(i)
        for i in range(window.tabs.count())
        if isinstance(window.tabs.widget(i), DirectivesPage)
    )
    window.tabs.setCurrentWidget(directives)
    qtbot.waitUntil(lambda: directives.current() is not None, timeout=10_000)
    directives.issued_button.click()
    listing = window.issued_documents_dialog
    qtbot.addWidget(listing)
    assert listing.directive_combo.currentData() == directives.current().id
    assert listing.model.rowCount() == 0  # the consolidated letter is about the unit
