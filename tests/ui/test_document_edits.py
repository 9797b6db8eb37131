"""The print dialog's editable text: edit a section, see the preview change, put the generated
text back; print → kept → reopened from "Văn bản đã phát hành" with the edited text; a
reminder's units and deadline; the consolidated reminder to one unit."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QDialog

from app.db import Database
from app.documents.sample_scenario import record_sample_submissions
from app.services.issued_documents import (
    delete_issued,
    last_reminders,
    list_issued,
    reminder_note,
)
from app.services.obligations import list_obligations
from app.services.units import list_units
from app.status import Status
from ui import tasks
from ui.dialogs import document_dialog as module
from ui.dialogs import messages
from ui.dialogs.document_dialog import DocumentDialog
from ui.dialogs.issued_documents_dialog import IssuedDocumentsDialog
from ui.main_window import MainWindow
from ui.widgets.text_fields import RESTORE_TEXT

AUGUST = dt.date(2018, 8, 2)
EDIT = "Đoạn mở đầu do chuyên viên viết lại cho kỳ này."


@pytest.fixture(autouse=True)
def synchronous() -> Iterator[None]:
    tasks.set_synchronous(True)
    yield
    tasks.set_synchronous(False)


@pytest.fixture
def data(sample_db: Database) -> Database:
    record_sample_submissions(sample_db)
    return sample_db


@pytest.fixture
def window(qtbot: Any, data: Database) -> MainWindow:
    w = MainWindow(data, today=AUGUST)
    qtbot.addWidget(w)
    return w


@pytest.fixture
def errors(monkeypatch: pytest.MonkeyPatch) -> list[BaseException]:
    seen: list[BaseException] = []
    monkeypatch.setattr(messages, "show_error", lambda _parent, exc, title="": seen.append(exc))
    return seen


@pytest.fixture
def printed(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    out = tmp_path / "printed.pdf"

    class FakePrintDialog:
        def __init__(self, printer: QPrinter, _parent: Any = None) -> None:
            printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
            printer.setOutputFileName(str(out))
            printer.setResolution(60)

        def setWindowTitle(self, _title: str) -> None:
            pass

        def setMinMax(self, _low: int, _high: int) -> None:
            pass

        def setOption(self, _option: Any, _on: bool = True) -> None:
            pass

        def setPrintRange(self, _range: Any) -> None:
            pass

        def exec(self) -> QDialog.DialogCode:
            return QDialog.DialogCode.Accepted

    monkeypatch.setattr(module, "QPrintDialog", FakePrintDialog)
    return out


def _text(path: Path | None) -> str:
    assert path is not None
    joined = " ".join(p.extract_text() or "" for p in PdfReader(path).pages)
    return " ".join(unicodedata.normalize("NFC", joined).split())


def _ready(qtbot: Any, dialog: DocumentDialog) -> None:
    """The first preview (made on opening) is there, with the fields to edit."""
    qtbot.addWidget(dialog)
    qtbot.waitUntil(
        lambda: dialog.pdf_path() is not None and bool(dialog.fields_editor.keys()), timeout=20_000
    )


def _open(qtbot: Any, window: MainWindow, kind: str = "summary", **kwargs: Any) -> DocumentDialog:
    dialog = window.open_document_dialog(kind, **kwargs)
    assert isinstance(dialog, DocumentDialog)
    _ready(qtbot, dialog)
    return dialog


def test_edit_a_section_see_the_preview_change_and_restore_it(
    qtbot: Any, window: MainWindow
) -> None:
    dialog = _open(qtbot, window)
    fields = dialog.fields_editor
    # The whole text: title, Kính gửi, every generated section (free sections and Nơi nhận
    # have their own boxes).
    assert fields.keys()[:3] == ["title", "kinh_gui", "opening"]
    assert "results" in fields and fields.keys()[-1] == "closing"
    opening = fields.editor("opening")
    generated = fields.generated("opening")
    assert opening.text() == generated and generated.startswith("Thực hiện")
    assert not opening.restore_button.isEnabled()
    assert opening.restore_button.text() == RESTORE_TEXT
    before = dialog.pdf_path()

    opening.editor.setPlainText(EDIT)  # type: ignore[union-attr]
    assert opening.restore_button.isEnabled() and "(đã sửa)" in opening.label.text()
    assert "tự cập nhật" in dialog.status_label.text()
    # The preview is made again a moment later, with the edit.
    qtbot.waitUntil(lambda: dialog.pdf_path() != before, timeout=10_000)
    assert EDIT in _text(dialog.pdf_path()) and generated[:40] not in _text(dialog.pdf_path())

    # The same text in another field (the title, a line) is kept too.
    title = fields.editor("title")
    title.editor.setText("Kết quả theo dõi tháng 8 năm 2018")  # type: ignore[union-attr]
    edited = dialog.pdf_path()
    qtbot.waitUntil(lambda: dialog.pdf_path() != edited, timeout=10_000)
    assert "Kết quả theo dõi tháng 8 năm 2018" in _text(dialog.pdf_path())

    qtbot.mouseClick(opening.restore_button, Qt.MouseButton.LeftButton)
    assert opening.text() == generated and not opening.restore_button.isEnabled()
    restored = dialog.pdf_path()
    qtbot.waitUntil(lambda: dialog.pdf_path() != restored, timeout=10_000)
    text = _text(dialog.pdf_path())
    assert EDIT not in text and "Kết quả theo dõi tháng 8 năm 2018" in text
    assert fields.edits() == {"title": "Kết quả theo dõi tháng 8 năm 2018"}


def test_typing_redraws_the_text_without_gathering_the_data_again(
    qtbot: Any, window: MainWindow, printed: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.documents import generate as generate_module

    gathered: list[str] = []
    original = generate_module.content_of

    def counting(db: Database, options: Any) -> Any:
        gathered.append(options.kind.value)
        return original(db, options)

    monkeypatch.setattr(generate_module, "content_of", counting)
    dialog = _open(qtbot, window)
    assert len(gathered) == 1
    before = dialog.pdf_path()
    dialog.fields_editor.editor("opening").editor.setPlainText(EDIT)  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: dialog.pdf_path() != before, timeout=10_000)
    assert EDIT in _text(dialog.pdf_path()) and len(gathered) == 1  # drawn again only
    # Another day: gathered again. Printing: from fresh data, with the edit.
    dialog.as_of_edit.set_date_value(dt.date(2018, 8, 9))
    qtbot.waitUntil(lambda: len(gathered) == 2, timeout=10_000)
    dialog.fields_editor.editor("closing").editor.setPlainText(  # type: ignore[union-attr]
        "Đoạn kết viết lại."
    )
    qtbot.waitUntil(lambda: "Đoạn kết viết lại." in _text(dialog.pdf_path()), timeout=10_000)
    assert len(gathered) == 2
    qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)
    assert len(gathered) == 3 and printed.is_file()
    text = _text(dialog.pdf_path())  # what was sent to the printer
    assert EDIT in text and "Đoạn kết viết lại." in text


def test_the_preview_stays_where_she_reads_while_she_edits(qtbot: Any, window: MainWindow) -> None:
    dialog = _open(qtbot, window)
    dialog.resize(1366, 768)
    dialog.show()
    bar = dialog.preview.view.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0, timeout=10_000)
    bar.setValue(bar.maximum() // 2)
    where = bar.value()
    before = dialog.pdf_path()
    dialog.fields_editor.editor("closing").editor.setPlainText(  # type: ignore[union-attr]
        "Đoạn kết viết lại."
    )
    qtbot.waitUntil(lambda: dialog.pdf_path() != before, timeout=10_000)
    assert bar.value() == where
    # Another document starts at its first page.
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("reminder"))
    qtbot.waitUntil(lambda: "owed" in dialog.fields_editor, timeout=10_000)
    assert bar.value() < 20  # the top of page 1


def test_edits_survive_another_day_and_another_document(qtbot: Any, window: MainWindow) -> None:
    dialog = _open(qtbot, window)
    dialog.fields_editor.editor("opening").editor.setPlainText(EDIT)  # type: ignore[union-attr]
    dialog.as_of_edit.set_date_value(dt.date(2018, 9, 3))
    qtbot.waitUntil(lambda: "03/09/2018" in _text(dialog.pdf_path()), timeout=10_000)
    assert dialog.fields_editor.editor("opening").text() == EDIT  # hers, not regenerated
    # Another document, then back: her text comes back.
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("reminder"))
    qtbot.waitUntil(lambda: "owed" in dialog.fields_editor, timeout=10_000)
    assert dialog.fields_editor.edits() == {}
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("summary"))
    assert dialog.fields_editor.edits() == {"opening": EDIT}
    qtbot.waitUntil(lambda: "results" in dialog.fields_editor, timeout=10_000)
    assert dialog.fields_editor.editor("opening").text() == EDIT


def test_printed_document_is_kept_and_reopens_with_its_text(
    qtbot: Any, window: MainWindow, data: Database, printed: Path
) -> None:
    dialog = _open(qtbot, window)
    dialog.fields_editor.editor("opening").editor.setPlainText(EDIT)  # type: ignore[union-attr]
    dialog.number_edit.setText("21")
    qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)
    assert printed.is_file() and "Đã phát hành" in dialog.status_label.text().replace(
        "đã phát hành", "Đã phát hành"
    )
    [kept] = list_issued(data)
    assert kept.kind == "summary" and kept.number == "21" and kept.edits == {"opening": EDIT}
    assert dialog.issued_id() == kept.id
    dialog.close()

    window.issued_action.trigger()  # type: ignore[attr-defined]
    issued = window.issued_documents_dialog  # type: ignore[attr-defined]
    assert isinstance(issued, IssuedDocumentsDialog)
    qtbot.addWidget(issued)
    assert issued.model.rowCount() == 1 and issued.current() is not None
    assert issued.model.index(0, issued.model.column_index("edits")).data() == "1 phần"
    issued.reopen_button.click()
    again = window.document_dialog  # type: ignore[attr-defined]
    assert isinstance(again, DocumentDialog) and again is not dialog
    _ready(qtbot, again)
    assert again.issued_id() == kept.id and again.number_edit.text() == "21"
    assert again.fields_editor.editor("opening").text() == EDIT
    assert EDIT in _text(again.pdf_path())
    assert "mở lại văn bản đã phát hành" in again.windowTitle()
    # Printing the reopened document again updates it, not a second record.
    qtbot.mouseClick(again.print_button, Qt.MouseButton.LeftButton)
    assert [d.id for d in list_issued(data)] == [kept.id]
    # The same dialog printing another day is another document: kept apart.
    again.as_of_edit.set_date_value(dt.date(2018, 8, 9))
    qtbot.mouseClick(again.print_button, Qt.MouseButton.LeftButton)
    assert [d.as_of for d in list_issued(data)] == [dt.date(2018, 8, 9), AUGUST]
    assert list_issued(data)[1].id == kept.id  # the reopened one is unchanged
    delete_issued(data, list_issued(data)[0].id)

    # Copy for a new round: the same edits, the window's day, no number; a new record.
    window.set_as_of(dt.date(2018, 9, 3))
    issued.today = dt.date(2018, 9, 3)
    issued.copy_button.click()
    copy = window.document_dialog  # type: ignore[attr-defined]
    _ready(qtbot, copy)
    assert copy.issued_id() is None and copy.number_edit.text() == ""
    assert copy.as_of_edit.date_value() == dt.date(2018, 9, 3)
    assert copy.fields_editor.editor("opening").text() == EDIT
    qtbot.mouseClick(copy.print_button, Qt.MouseButton.LeftButton)
    assert len(list_issued(data)) == 2
    issued.reload()
    assert issued.model.rowCount() == 2


def test_reminder_units_and_deadline(
    qtbot: Any, window: MainWindow, data: Database, printed: Path, errors: list[BaseException]
) -> None:
    dialog = _open(qtbot, window, "reminder")
    assert dialog.reminder_group.isVisibleTo(dialog) and dialog.units_list.isVisibleTo(dialog)
    ticks = dialog.overdue_units()
    assert len(ticks) > 3 and all(t for _, t in ticks)  # every overdue unit by default
    names = {u.id: u.name for u in list_units(data)}
    left_out = ticks[0][0]
    dialog.set_unit_checked(left_out, False)
    dialog.reply_by_edit.set_date_value(dt.date(2018, 8, 20))
    before = dialog.pdf_path()
    qtbot.waitUntil(lambda: dialog.pdf_path() != before, timeout=10_000)
    text = _text(dialog.pdf_path())
    assert "gửi văn bản về Sở Nội vụ trước ngày 20/08/2018" in text
    qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)
    [kept] = list_issued(data)
    assert left_out not in kept.unit_ids and len(kept.unit_ids) == len(ticks) - 1
    notes = last_reminders(data)
    addressed = kept.unit_ids[0]
    assert (
        reminder_note(notes[(addressed, kept.directive_id)]) == "đã đôn đốc lần 1, ngày 02/08/2018"
    )
    assert (left_out, kept.directive_id) not in notes
    assert names[left_out] not in kept.recipients  # Nơi nhận is unchanged, Kính gửi is not
    # None ticked: said clearly, nothing printed.
    dialog.units_none_button.click()
    dialog.generate()
    assert errors and "ít nhất một đơn vị" in str(errors[-1])
    assert len(dialog.overdue_units()) == len(ticks)  # she can tick them again
    dialog.units_all_button.click()
    # A day when nobody is overdue: the list empties, the status line says why (no box).
    shown = len(errors)
    dialog.as_of_edit.set_date_value(dt.date(2018, 4, 20))
    qtbot.waitUntil(lambda: dialog.overdue_units() == [], timeout=10_000)
    assert dialog.units_label.text() == "Không có đơn vị nào quá hạn."
    assert "không có đơn vị nào quá hạn" in dialog.status_label.text()
    assert len(errors) == shown


def test_unit_reminder_in_the_dialog(qtbot: Any, window: MainWindow, data: Database) -> None:
    overdue = list_obligations(data, AUGUST, statuses=[Status.OVERDUE])
    unit = next(r for r in overdue if r.unit_name != "Sở Nội vụ")
    dialog = _open(qtbot, window, "unit-reminder", unit_id=unit.unit_id)
    assert dialog.unit_combo.isVisibleTo(dialog) and not dialog.units_list.isVisibleTo(dialog)
    assert dialog.fields_editor.keys()[:2] == ["letter_subject", "kinh_gui"]
    assert f"Kính gửi: {unit.unit_name}" in _text(dialog.pdf_path())
    # A unit that owes nothing: the automatic preview says so in the status line.
    own = next(u for u in list_units(data) if u.name == "Sở Nội vụ")
    dialog.unit_combo.setCurrentIndex(dialog.unit_combo.findData(own.id))
    qtbot.waitUntil(lambda: "không tự đôn đốc" in dialog.status_label.text(), timeout=10_000)


def test_edit_dialog_screenshot(qtbot: Any, window: MainWindow) -> None:
    """The dialog at the office PC's size, for docs/documents/ (kept when SCREENSHOT_DIR is
    set)."""
    import os

    dialog = _open(qtbot, window, "reminder")
    dialog.resize(1366, 768)
    dialog.fields_editor.editor("request").editor.setPlainText(  # type: ignore[union-attr]
        "Sở Nội vụ đề nghị các cơ quan, đơn vị nêu trên khẩn trương gửi báo cáo."
    )
    dialog.reply_by_edit.set_date_value(dt.date(2018, 8, 20))
    before = dialog.pdf_path()
    qtbot.waitUntil(lambda: dialog.pdf_path() != before, timeout=10_000)
    dialog.show()
    from PySide6.QtWidgets import QScrollArea

    scroll = dialog.findChild(QScrollArea)
    assert scroll is not None
    scroll.ensureWidgetVisible(dialog.fields_editor.editor("request"), 0, 120)
    assert "(đã sửa)" in dialog.fields_editor.editor("request").label.text()
    qtbot.wait(50)
    # A long message in the status line never widens the dialog past a 1366-pixel screen.
    dialog.status_label.setText("Đã lưu " + "/thư mục rất dài" * 30 + "/cong-van.pdf.")
    qtbot.wait(20)
    assert dialog.width() <= 1366
    dialog.status_label.setText("Công văn đôn đốc: 2 trang.")
    folder = Path(os.environ.get("SCREENSHOT_DIR", "") or qtbot_tmp(dialog))
    path = folder / "hop-in-sua-noi-dung.png"
    assert dialog.grab().save(str(path)) and path.stat().st_size > 10_000


def qtbot_tmp(_dialog: Any) -> str:
    import tempfile

    return tempfile.mkdtemp(prefix="edit-dialog-")


def test_typing_while_the_preview_is_built_off_the_ui_thread(
    qtbot: Any, window: MainWindow
) -> None:
    """The real thread pool: a change made while a build runs is built right after it."""
    tasks.set_synchronous(False)
    dialog = _open(qtbot, window, "reminder")
    qtbot.waitUntil(lambda: not dialog.busy(), timeout=20_000)
    editor = dialog.fields_editor.editor("closing").editor
    editor.setPlainText("Kết thúc lần một.")  # type: ignore[union-attr]
    dialog.generate()  # a build starts now …
    assert dialog.busy()
    editor.setPlainText("Kết thúc lần hai.")  # type: ignore[union-attr]  # … and she types on
    qtbot.waitUntil(
        lambda: not dialog.busy() and "Kết thúc lần hai." in _text(dialog.pdf_path()),
        timeout=20_000,
    )
    assert dialog.fields_editor.edits() == {"closing": "Kết thúc lần hai."}


def test_a_letter_made_for_a_reminder_round_is_kept_as_that_round(
    qtbot: Any, window: MainWindow, data: Database, printed: Path
) -> None:
    from ui.print_actions import open_document_dialog

    dialog = open_document_dialog(window, "reminder", follow_up_round=2)
    _ready(qtbot, dialog)
    qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)
    [kept] = list_issued(data)
    assert kept.follow_up_round == 2
    # Switched to another kind, the round is not claimed for it.
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("summary"))
    qtbot.waitUntil(lambda: "results" in dialog.fields_editor, timeout=10_000)
    qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)
    assert [d.follow_up_round for d in list_issued(data)] == [0, 2]


def test_a_round_printed_is_not_recorded_again_by_dat_gui(
    qtbot: Any, window: MainWindow, data: Database, printed: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.services.followup import RoundKind
    from ui.dialogs import messages
    from ui.pages.dashboard_page import DashboardPage

    infos: list[str] = []
    monkeypatch.setattr(messages, "show_info", lambda _p, _t, text: infos.append(text))
    window.set_as_of(dt.date(2018, 5, 2))  # the first reminder round of the plans is today
    page = next(
        window.tabs.widget(i)
        for i in range(window.tabs.count())
        if isinstance(window.tabs.widget(i), DashboardPage)
    )
    panel = page.today_panel
    qtbot.waitUntil(lambda: bool(panel.rows()), timeout=10_000)
    panel.table.selectRow(0)
    assert panel.rows()[0].round.kind is RoundKind.FIRST
    dialog = panel.open_current()
    _ready(qtbot, dialog)
    qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)
    [kept] = list_issued(data)
    assert kept.follow_up_round == 1
    panel.mark_sent()
    assert len(list_issued(data)) == 1 and infos and "không ghi thêm" in infos[0]
