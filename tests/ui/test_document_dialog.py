"""The "In ấn" menu and the document dialog: choose, generate, preview, print, save as."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from PySide6.QtGui import QKeySequence
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QDialog

from app.db import Database
from app.documents.common import DocumentKind, load
from app.documents.sample_scenario import record_sample_submissions
from app.services.directives import get_directive, list_directives
from app.services.units import list_units
from ui import tasks
from ui.dialogs import document_dialog as module
from ui.dialogs import messages
from ui.dialogs.document_dialog import DocumentDialog
from ui.main_window import MainWindow

JUNE = dt.date(2018, 6, 25)


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
    w = MainWindow(data, today=JUNE)
    qtbot.addWidget(w)
    return w


@pytest.fixture
def errors(monkeypatch: pytest.MonkeyPatch) -> list[BaseException]:
    seen: list[BaseException] = []
    monkeypatch.setattr(messages, "show_error", lambda _parent, exc, title="": seen.append(exc))
    return seen


def _dialog(qtbot: Any, window: MainWindow, kind: str = "summary", **kwargs: Any) -> DocumentDialog:
    dialog = window.open_document_dialog(kind, **kwargs)
    assert isinstance(dialog, DocumentDialog)
    qtbot.addWidget(dialog)
    return dialog


def test_print_menu_and_ctrl_p(qtbot: Any, window: MainWindow) -> None:
    titles = [a.text() for a in window.menuBar().actions()]
    assert "&In ấn" in titles and titles[-1] == "Trợ &giúp"
    actions = window.print_actions  # type: ignore[attr-defined]
    assert [actions[k].text() for k in DocumentKind] == [
        "Báo cáo tổng hợp…",
        "Công văn đôn đốc…",
        "Phiếu theo dõi đơn vị…",
        "Công văn đôn đốc theo đơn vị…",
        "Dự thảo công văn UBND tỉnh đôn đốc…",
    ]
    assert actions[DocumentKind.SUMMARY].shortcut() == QKeySequence("Ctrl+P")
    window.set_as_of(dt.date(2018, 5, 2))
    actions[DocumentKind.REMINDER].trigger()
    dialog = window.document_dialog  # type: ignore[attr-defined]
    qtbot.addWidget(dialog)
    assert dialog.kind is DocumentKind.REMINDER
    assert dialog.as_of_edit.date_value() == dt.date(2018, 5, 2)
    assert not dialog.texts_group.isVisibleTo(dialog)
    assert dialog.recipients()[0] == "Như trên"


def test_unit_sheet_preselects_the_unit(qtbot: Any, window: MainWindow, data: Database) -> None:
    unit = next(u for u in list_units(data) if u.name == "UBND huyện Bình Sơn")
    dialog = _dialog(qtbot, window, "unit-sheet", unit_id=unit.id)
    assert dialog.kind is DocumentKind.UNIT_SHEET
    assert dialog.unit_id() == unit.id and dialog.unit_combo.isVisibleTo(dialog)
    assert dialog.recipients()[0] == "UBND huyện Bình Sơn"
    assert dialog.directive_id() is None  # every directive unless one is given
    dialog.generate()
    assert dialog.preview.page_count() >= 1
    text = "\n".join(p.extract_text() for p in PdfReader(dialog.pdf_path()).pages)
    assert "52/KH-UBND" in text


def test_generate_shows_pages_and_remembers_the_signer(
    qtbot: Any, window: MainWindow, data: Database
) -> None:
    dialog = _dialog(qtbot, window)
    assert dialog.kind is DocumentKind.SUMMARY
    assert dialog.signer_name_edit.text() == "Nguyễn Văn A"
    assert dialog.texts_group.isVisibleTo(dialog)
    dialog.authority_combo.setCurrentIndex(dialog.authority_combo.findData(""))
    dialog.title_edit.setText("Giám đốc")
    dialog.signer_name_edit.setText("Trần Văn Bình")
    dialog.assessment_edit.setPlainText("Các đơn vị cơ bản triển khai kịp thời.")
    qtbot.mouseClick(dialog.preview_button, module.Qt.MouseButton.LeftButton)
    pages = dialog.preview.page_count()
    assert pages == len(PdfReader(dialog.pdf_path()).pages) >= 3
    assert f"{pages} trang" in dialog.status_label.text()
    assert not dialog.progress.isVisible()
    settings = load(data)
    assert (settings.signer_authority, settings.signer_title, settings.signer_name) == (
        "",
        "Giám đốc",
        "Trần Văn Bình",
    )
    directive = get_directive(data, dialog.directive_id() or 0)
    assert directive.report_assessment == "Các đơn vị cơ bản triển khai kịp thời."
    text = "\n".join(p.extract_text() for p in PdfReader(dialog.pdf_path()).pages)
    assert "Trần Văn Bình" in text and "KT. GIÁM ĐỐC" not in text
    dialog.number_edit.setText("12")
    assert "Xem trước" in dialog.status_label.text()  # the preview is now out of date
    # A new dialog starts from the remembered signer.
    again = _dialog(qtbot, window)
    assert again.signer_name_edit.text() == "Trần Văn Bình"
    assert again.assessment_edit.toPlainText() == "Các đơn vị cơ bản triển khai kịp thời."


def test_report_texts_are_saved_on_close(qtbot: Any, window: MainWindow, data: Database) -> None:
    dialog = _dialog(qtbot, window)
    dialog.proposals_edit.setPlainText("Đề nghị UBND tỉnh nhắc nhở các đơn vị chậm gửi.")
    dialog.close()
    directive = list_directives(data)[0]
    assert directive.report_proposals == "Đề nghị UBND tỉnh nhắc nhở các đơn vị chậm gửi."


def test_print_renders_every_page(
    qtbot: Any, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "printed.pdf"

    class FakePrintDialog:
        def __init__(self, printer: QPrinter, _parent: Any = None) -> None:
            printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
            printer.setOutputFileName(str(out))
            printer.setResolution(100)
            self.printer = printer

        def setWindowTitle(self, _title: str) -> None:
            pass

        def setMinMax(self, low: int, high: int) -> None:
            assert low == 1 and high >= 3
            # every page offered, not 1–1
            assert (self.printer.fromPage(), self.printer.toPage()) == (low, high)

        def setOption(self, _option: Any, _on: bool = True) -> None:
            pass

        def setPrintRange(self, _range: Any) -> None:
            pass

        def exec(self) -> QDialog.DialogCode:
            return QDialog.DialogCode.Accepted

    monkeypatch.setattr(module, "QPrintDialog", FakePrintDialog)
    dialog = _dialog(qtbot, window)
    # Print generates the document first when there is no preview yet.
    qtbot.mouseClick(dialog.print_button, module.Qt.MouseButton.LeftButton)
    assert out.is_file()
    printed = PdfReader(out).pages
    assert len(printed) == dialog.preview.page_count()
    first = printed[0].mediabox
    assert abs(float(first.width) - 595.3) < 2 and abs(float(first.height) - 841.9) < 2
    assert "trang tới máy in" in dialog.status_label.text()


def test_print_cancelled_prints_nothing(
    qtbot: Any, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    class Cancelled:
        def __init__(self, *_args: Any) -> None:
            pass

        def setWindowTitle(self, _title: str) -> None:
            pass

        def setMinMax(self, *_args: int) -> None:
            pass

        def setOption(self, *_args: Any) -> None:
            pass

        def setPrintRange(self, *_args: Any) -> None:
            pass

        def exec(self) -> QDialog.DialogCode:
            return QDialog.DialogCode.Rejected

    monkeypatch.setattr(module, "QPrintDialog", Cancelled)
    dialog = _dialog(qtbot, window)
    dialog.generate()
    assert dialog.print_document() is False


def test_save_as_copies_the_pdf(
    qtbot: Any, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    chosen = folder / "bao-cao-thang-6"
    asked: list[str] = []

    def fake_save(_parent: Any, _title: str, default: str, _filter: str) -> tuple[str, str]:
        asked.append(default)
        return str(chosen), "Tệp PDF (*.pdf)"

    monkeypatch.setattr(module.QFileDialog, "getSaveFileName", staticmethod(fake_save))
    dialog = _dialog(qtbot, window)
    qtbot.mouseClick(dialog.save_button, module.Qt.MouseButton.LeftButton)
    saved = folder / "bao-cao-thang-6.pdf"
    assert saved.read_bytes() == dialog.pdf_path().read_bytes()  # type: ignore[union-attr]
    assert asked[0].endswith("bao-cao-tong-hop-2018-06-25.pdf")
    assert [p.name for p in folder.iterdir()] == [saved.name]  # no temporary file left


def test_bad_input_is_reported_and_builds_nothing(
    qtbot: Any, window: MainWindow, errors: list[BaseException]
) -> None:
    dialog = _dialog(qtbot, window)
    dialog.signer_name_edit.setText("")
    dialog.generate()
    assert errors and "họ tên người ký" in str(errors[0])
    assert dialog.pdf_path() is None
    dialog.signer_name_edit.setText("Nguyễn Văn A")
    dialog.number_edit.setText("mười hai")
    dialog.generate()
    assert "Số văn bản" in str(errors[-1])


def test_reminder_with_nobody_overdue_says_so(
    qtbot: Any, window: MainWindow, errors: list[BaseException]
) -> None:
    window.set_as_of(dt.date(2018, 4, 20))
    dialog = _dialog(qtbot, window, "reminder")
    dialog.generate()
    assert errors and "không có đơn vị nào quá hạn" in str(errors[0])
    assert not dialog.progress.isVisible() and dialog.preview_button.isEnabled()


def test_dialog_screenshot(qtbot: Any, window: MainWindow, tmp_path: Path) -> None:
    dialog = _dialog(qtbot, window)
    dialog.generate()
    qtbot.wait(200)
    path = tmp_path / "dialog.png"
    assert dialog.grab().save(str(path))
    assert path.stat().st_size > 10_000


def test_generation_runs_off_the_ui_thread(qtbot: Any, window: MainWindow) -> None:
    tasks.set_synchronous(False)
    dialog = _dialog(qtbot, window, "reminder")
    dialog.generate()
    # Busy while the PDF is built on the thread pool; the buttons wait.
    assert dialog.progress.isVisibleTo(dialog) and not dialog.preview_button.isEnabled()
    qtbot.waitUntil(lambda: dialog.preview.page_count() > 0, timeout=20_000)
    assert not dialog.progress.isVisibleTo(dialog) and dialog.print_button.isEnabled()
    assert dialog.pdf_path() is not None and dialog.pdf_path().is_file()  # type: ignore[union-attr]
