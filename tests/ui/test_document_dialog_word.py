"""The document dialog's Word buttons: "Mở bằng Word" (a .docx in the data folder opened with the
system's program) and "Lưu thành Word…"."""

from __future__ import annotations

import datetime as dt
import os
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
import pytest

from app.db import Database
from app.documents.sample_scenario import record_sample_submissions
from app.paths import data_dir
from ui import tasks
from ui.dialogs import document_dialog as module
from ui.dialogs import messages
from ui.dialogs.document_dialog import DocumentDialog, word_target
from ui.main_window import MainWindow

JUNE = dt.date(2018, 6, 25)


@pytest.fixture(autouse=True)
def synchronous() -> Iterator[None]:
    tasks.set_synchronous(True)
    yield
    tasks.set_synchronous(False)


@pytest.fixture
def window(qtbot: Any, sample_db: Database) -> MainWindow:
    record_sample_submissions(sample_db)
    w = MainWindow(sample_db, today=JUNE)
    qtbot.addWidget(w)
    return w


@pytest.fixture
def errors(monkeypatch: pytest.MonkeyPatch) -> list[BaseException]:
    seen: list[BaseException] = []
    monkeypatch.setattr(messages, "show_error", lambda _parent, exc, title="": seen.append(exc))
    return seen


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    seen: list[Path] = []

    def fake_open(path: Path) -> bool:
        seen.append(path)
        return True

    monkeypatch.setattr(module, "open_file", fake_open)
    return seen


def _dialog(qtbot: Any, window: MainWindow, kind: str = "summary") -> DocumentDialog:
    dialog = window.open_document_dialog(kind)
    assert isinstance(dialog, DocumentDialog)
    qtbot.addWidget(dialog)
    return dialog


def _text(path: Path) -> str:
    document = docx.Document(str(path))
    cells = [p.text for t in document.tables for c in t._cells for p in c.paragraphs]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_open_in_word_writes_a_new_file_each_time(
    qtbot: Any, window: MainWindow, opened: list[Path], errors: list[BaseException]
) -> None:
    dialog = _dialog(qtbot, window, "reminder")
    dialog.number_edit.setText("7")
    qtbot.mouseClick(dialog.word_button, module.Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.word_button, module.Qt.MouseButton.LeftButton)
    assert errors == []
    folder = data_dir() / module.WORD_FOLDER
    assert [p.name for p in opened] == [
        "cong-van-don-doc-2018-06-25.docx",
        "cong-van-don-doc-2018-06-25-2.docx",
    ]
    for path in opened:
        assert path.parent == folder and zipfile.is_zipfile(path)
    assert "Số:\u00a007/SNV-XDCQ" in _text(opened[0])
    assert "Đã mở tệp Word cong-van-don-doc-2018-06-25-2.docx" in dialog.status_label.text()
    assert dialog.word_button.isEnabled() and not dialog.progress.isVisible()


def test_nothing_to_open_word_files_says_what_to_do(
    qtbot: Any, window: MainWindow, monkeypatch: pytest.MonkeyPatch, errors: list[BaseException]
) -> None:
    monkeypatch.setattr(module, "open_file", lambda _path: False)
    dialog = _dialog(qtbot, window)
    dialog.open_in_word()
    assert len(errors) == 1
    message = str(errors[0])
    assert "chưa có chương trình mở được tệp Word" in message
    assert "LibreOffice" in message and "Lưu thành Word" in message
    created = data_dir() / module.WORD_FOLDER / "bao-cao-tong-hop-2018-06-25.docx"
    assert str(created) in message and zipfile.is_zipfile(created)


def test_save_as_word(
    qtbot: Any,
    window: MainWindow,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    errors: list[BaseException],
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    asked: list[tuple[str, str]] = []

    def fake_save(_parent: Any, _title: str, default: str, filters: str) -> tuple[str, str]:
        asked.append((default, filters))
        return str(folder / "phieu-binh-son"), filters

    monkeypatch.setattr(module.QFileDialog, "getSaveFileName", staticmethod(fake_save))
    dialog = _dialog(qtbot, window, "unit-sheet")
    qtbot.mouseClick(dialog.save_word_button, module.Qt.MouseButton.LeftButton)
    assert errors == []
    saved = folder / "phieu-binh-son.docx"
    assert [p.name for p in folder.iterdir()] == [saved.name]  # no temporary file left
    assert "PHIẾU BÁO" in _text(saved)
    assert asked[0][0].endswith("phieu-theo-doi-2018-06-25.docx")
    assert "*.docx" in asked[0][1]
    assert "Đã lưu tệp Word" in dialog.status_label.text()


def test_bad_input_writes_no_word_file(
    qtbot: Any, window: MainWindow, opened: list[Path], errors: list[BaseException]
) -> None:
    dialog = _dialog(qtbot, window)
    dialog.signer_name_edit.setText("")
    dialog.open_in_word()
    assert errors and "họ tên người ký" in str(errors[0])
    assert opened == []
    folder = data_dir() / module.WORD_FOLDER
    assert not folder.exists() or not list(folder.glob("*.docx"))


def test_word_target_never_reuses_a_name(tmp_path: Path) -> None:
    first = word_target(tmp_path / "w", "bao-cao")
    first.write_bytes(b"")
    second = word_target(tmp_path / "w", "bao-cao")
    assert (first.name, second.name) == ("bao-cao.docx", "bao-cao-2.docx")


def test_buttons_fit_the_screen(qtbot: Any, window: MainWindow, tmp_path: Path) -> None:
    dialog = _dialog(qtbot, window)
    dialog.resize(1366, 700)
    dialog.show()
    qtbot.waitExposed(dialog)
    for button in (dialog.word_button, dialog.save_word_button, dialog.close_button):
        assert button.isVisible()
        assert button.width() >= button.sizeHint().width()
        right = button.mapTo(dialog, button.rect().topRight()).x()
        assert right <= dialog.width()
    assert dialog.grab().save(str(tmp_path / "dialog.png"))
    if shot := os.environ.get("SOTHEODOI_SHOT"):
        dialog.grab().save(shot)


def test_word_file_is_written_off_the_ui_thread(
    qtbot: Any, window: MainWindow, opened: list[Path]
) -> None:
    tasks.set_synchronous(False)
    dialog = _dialog(qtbot, window, "unit-sheet")
    dialog.open_in_word()
    # Busy while the file is written on the thread pool; the buttons wait.
    assert dialog.progress.isVisibleTo(dialog) and not dialog.word_button.isEnabled()
    assert "Đang tạo tệp Word" in dialog.status_label.text()
    qtbot.waitUntil(lambda: bool(opened), timeout=20_000)
    assert not dialog.progress.isVisibleTo(dialog) and dialog.save_word_button.isEnabled()
    assert zipfile.is_zipfile(opened[0])


def test_word_with_edits_is_kept_as_issued(
    qtbot: Any,
    window: MainWindow,
    opened: list[Path],
    sample_db: Database,
    errors: list[BaseException],
) -> None:
    from app.services.issued_documents import list_issued

    dialog = _dialog(qtbot, window, "reminder")
    qtbot.waitUntil(lambda: "closing" in dialog.fields_editor, timeout=20_000)
    dialog.fields_editor.editor("closing").editor.setPlainText(  # type: ignore[union-attr]
        "Đoạn kết sửa trước khi mở bằng Word."
    )
    qtbot.mouseClick(dialog.word_button, module.Qt.MouseButton.LeftButton)
    assert not errors and len(opened) == 1
    assert "Đoạn kết sửa trước khi mở bằng Word." in _text(opened[0])
    [kept] = list_issued(sample_db)
    assert kept.kind == "reminder"
    assert kept.edits == {"closing": "Đoạn kết sửa trước khi mở bằng Word."}
    # Opened again in Word: the same document, its record updated, not a second one.
    qtbot.mouseClick(dialog.word_button, module.Qt.MouseButton.LeftButton)
    assert [d.id for d in list_issued(sample_db)] == [kept.id]
