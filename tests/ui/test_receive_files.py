"""Nhận văn bản từ tệp: the 14 district plans dropped on the plan-registration tab fill 14 rows
matched to the right obligations; confirmed with the keyboard they are recorded with their files
and the warnings update. Unsure cells are coloured and named; bad files say what is wrong."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QColor, QDropEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLineEdit
from sqlalchemy import func, select

from app.models import Submission
from app.services.obligations import list_obligations
from tests.data.received.generate import build, plan_corpus
from tests.ui.conftest import TODAY, MessageLog, page_of
from ui.models.received_model import COLUMN_INDEX, RECORDED, UNSURE_COLOUR
from ui.pages.plans_page import PlansPage


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("received")
    build(folder, scans=False, signed=False)
    return folder


def _drop(widget: Any, paths: list[Path]) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    event = QDropEvent(
        QPointF(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    widget.dropEvent(event)


def _submissions(window: Any) -> int:
    with window.db.read() as session:
        return int(session.scalar(select(func.count()).select_from(Submission)) or 0)


def test_dropping_the_14_district_plans_and_confirming_them_with_the_keyboard(
    qtbot: Any, qtmodeltester: Any, window: Any, corpus: Path
) -> None:
    from ui.pages.warnings_page import WarningsPage

    warnings = page_of(window, WarningsPage)
    overdue_before = warnings.counts.overdue
    page = page_of(window, PlansPage)
    assert page.current_count == 14  # every district plan overdue on 02/05/2018
    plans = sorted(
        corpus / d.file_name for d in plan_corpus() if d.task == "plan" and d.fmt == "pdf"
    )
    assert len(plans) == 14
    _drop(page, plans)
    dialog = window.receive_files_dialog
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 14 and not dialog.reading)
    qtmodeltester.check(dialog.model)
    expected = {
        o.unit_name: o.id for o in list_obligations(window.db, TODAY) if o.task_kind.value == "once"
    }
    for row in dialog.model.rows():
        assert row.obligation_id == expected[row.unit_label], row.result.name
        assert not row.unsure, (row.result.name, row.unsure)
        assert row.received_date == TODAY
    assert _submissions(window) == 0  # nothing recorded before she confirms

    dialog.activateWindow()
    dialog.table.setFocus()
    QTest.keyClick(dialog.table, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    assert len(dialog.selected_rows()) == 14
    QTest.keyClick(dialog.table, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: all(r.state == RECORDED for r in dialog.model.rows()))
    assert _submissions(window) == 14
    with window.db.read() as session:
        attached = session.scalars(select(Submission.attachment_path)).all()
    assert len(attached) == 14 and all(attached)  # a file in the data folder or a server blob
    qtbot.waitUntil(lambda: page.current_count == 0)  # the warnings updated
    qtbot.waitUntil(lambda: warnings.counts.overdue == overdue_before - 14)
    assert "Đã ghi nhận (mã" in dialog.model.index(0, COLUMN_INDEX["status"]).data()

    # Dropped again: every row flagged as already recorded, and confirming records nothing.
    dialog.clear_done()
    assert dialog.model.rowCount() == 0
    _drop(dialog, plans[:2])
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 2 and not dialog.reading)
    assert all("đã được ghi nhận" in r.result.duplicate for r in dialog.model.rows())
    dialog.table.selectAll()
    dialog.confirm_selected()
    assert _submissions(window) == 14
    dialog.close()


def test_unsure_cells_are_coloured_and_named_and_a_correction_makes_them_sure(
    qtbot: Any,
    qtmodeltester: Any,
    window: Any,
    corpus: Path,
    message_log: MessageLog,
    tmp_path: Path,
) -> None:
    report = corpus / "bao-cao-6t-so-03.pdf"  # signed in June: after "today" (02/05/2018)
    empty = tmp_path / "rong.pdf"
    empty.write_bytes(b"")
    from ui.receive_actions import receive_files

    dialog = receive_files(window, [report, empty])
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 2 and not dialog.reading)
    qtmodeltester.check(dialog.model)
    model = dialog.model
    date_cell = model.index(0, COLUMN_INDEX["signed_date"])
    assert model.data(date_cell, Qt.ItemDataRole.BackgroundRole) == QColor(UNSURE_COLOUR)
    assert "ngày ký" in model.index(0, COLUMN_INDEX["check"]).data()  # the text label too
    assert "tương lai" in model.data(date_cell, Qt.ItemDataRole.ToolTipRole)
    assert "0 byte" in model.index(1, COLUMN_INDEX["status"]).data()
    assert (
        not model.flags(model.index(1, COLUMN_INDEX["number_symbol"])) & Qt.ItemFlag.ItemIsEditable
    )

    # She corrects the date (here: a date before today); the cell is no longer unsure.
    assert model.setData(date_cell, "28/04/2018")
    assert model.data(date_cell, Qt.ItemDataRole.BackgroundRole) is None
    assert "ngày ký" not in model.index(0, COLUMN_INDEX["check"]).data()
    # Confirming both: the damaged file is never recorded; the report asks about what is
    # still unsure, then is recorded.
    dialog.table.selectAll()
    recorded = dialog.confirm_selected()
    assert _submissions(window) == recorded
    assert model.row_at(1).state != RECORDED
    dialog.close()


def test_ctrl_o_is_in_the_file_menu(window: Any) -> None:
    action = window.receive_action
    assert action.shortcut().toString() == "Ctrl+O"
    assert action in window.file_menu.actions()


def test_reading_runs_in_the_background_and_can_be_stopped(
    qtbot: Any, window: Any, corpus: Path
) -> None:
    from ui import tasks
    from ui.receive_actions import receive_files

    plans = sorted(corpus.glob("ke-hoach-*.pdf"))
    tasks.set_synchronous(False)  # the real thread pool, as in the running program
    try:
        dialog = receive_files(window, plans)
        assert dialog.reading and dialog.progress.isVisible()
        dialog.cancel_reading()  # stops after the file being read
        qtbot.waitUntil(lambda: not dialog.reading, timeout=20_000)
        assert dialog.model.rowCount() < len(plans)
        dialog.model.clear()
        dialog.add_paths(plans[:4])
        assert dialog.model.rowCount() == 0  # returned at once; the rows arrive one by one
        qtbot.waitUntil(lambda: dialog.model.rowCount() == 4 and not dialog.reading, timeout=30_000)
        assert [r.result.name for r in dialog.model.rows()] == [p.name for p in plans[:4]]
    finally:
        tasks.wait_for_background()
        tasks.set_synchronous(True)
    dialog.close()


def test_a_report_dropped_on_the_report_tab_is_corrected_with_the_keyboard(
    qtbot: Any, window: Any, corpus: Path
) -> None:
    from ui.pages.reports_page import ReportsPage

    page = page_of(window, ReportsPage)
    _drop(page, [corpus / "bao-cao-6t-so-05.pdf"])  # Sở Tài chính, 6 tháng đầu năm 2018
    dialog = window.receive_files_dialog
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 1 and not dialog.reading)
    row = dialog.model.row_at(0)
    assert row.unit_label == "Sở Tài chính" and "6 tháng đầu năm 2018" in row.obligation_label
    # The number typed over with F2 (keys only), as she would correct it.
    column = COLUMN_INDEX["number_symbol"]
    dialog.activateWindow()  # its own window: the main window's F2 ("Sửa") is not in play
    qtbot.waitUntil(dialog.isActiveWindow, timeout=3000)
    dialog.table.setFocus()
    dialog.table.setCurrentIndex(dialog.model.index(0, column))
    QTest.keyClick(dialog.table, Qt.Key.Key_F2)
    editor = dialog.table.viewport().findChild(QLineEdit)
    assert editor is not None, "F2 opens the cell editor"
    editor.selectAll()
    QTest.keyClicks(editor, "99/BC-STC")
    QTest.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.model.row_at(0).number_symbol == "99/BC-STC")
    dialog.close()


def test_a_scan_without_ocr_is_typed_in_by_hand_and_recorded_with_its_file(
    qtbot: Any, window: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PIL import Image

    from app.reading import text as text_module
    from ui.receive_actions import receive_files

    monkeypatch.setattr(text_module, "tesseract_path", lambda: None)  # no Tesseract here
    scan = tmp_path / "ban-quet.pdf"
    Image.new("L", (800, 1100), 255).save(scan, "PDF", resolution=100)
    dialog = receive_files(window, [scan])
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 1 and not dialog.reading)
    model = dialog.model
    assert "cần nhập tay" in model.index(0, COLUMN_INDEX["status"]).data()
    unit = next(u for u in model.unit_choices if u[1] == "UBND huyện Ba Tơ")
    assert model.setData(model.index(0, COLUMN_INDEX["unit"]), unit[0])
    choices = dict(dialog._obligation_choices(model.row_at(0)))
    plan = next(i for i, label in choices.items() if label.startswith("Xây dựng kế hoạch"))
    for key, value in (
        ("obligation", plan),
        ("number_symbol", "31/KH-UBND"),
        ("signed_date", "27/04/2018"),
    ):
        assert model.setData(model.index(0, COLUMN_INDEX[key]), value), key
    assert not model.row_at(0).unsure
    dialog.table.selectRow(0)
    assert dialog.confirm_selected() == 1
    from app.services.attachments import open_path

    with window.db.read() as session:
        stored = session.scalars(select(Submission.attachment_path)).one()
    assert open_path(window.db, stored, tmp_path / "ra").read_bytes() == scan.read_bytes()
    dialog.close()
