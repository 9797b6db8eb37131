"""Import preview: read the Excel file off the UI thread (with progress and "Huỷ"), show every
row as new / update / unchanged / skipped / error with its reason — for an update each changed
field old → new — let her untick rows, and import the ticked ones only when no row is in error
("Nhập" stays disabled otherwise). After the import the same dialog offers "Hoàn tác lần nhập
này" (the whole import undone, app.services.imports)."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.db import Database
from app.exchange.xlsx_import import (
    CLEAR_MARKER,
    ImportPreview,
    ImportResult,
    RowAction,
    apply_import,
    preview_import,
)
from app.exchange.xlsx_limits import ImportCancelled
from app.services.imports import KIND_LABELS
from app.text import number_text
from ui import style
from ui.models.import_preview_model import ImportPreviewModel
from ui.operations import run_writing_in_background
from ui.tasks import run_in_background


class _Progress(QObject):
    """Carries progress from the worker thread to the dialog (queued signal)."""

    changed = Signal(int, int)


class ImportDialog(QDialog):
    imported = Signal(object)  # ImportResult
    undone = Signal(object)  # UndoResult

    def __init__(
        self, db: Database, kind: str, path: Path, *, today: dt.date, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.kind = kind
        self.path = Path(path)
        self.today = today
        self.preview: ImportPreview | None = None
        self.import_result: ImportResult | None = None
        self._progress = _Progress(self)
        self._cancel = threading.Event()
        self._reading = False
        self._build_ui()
        self._connect_signals()

    # --- building -------------------------------------------------------------------------
    def _build_ui(self) -> None:
        self.setWindowTitle(f"Nhập {KIND_LABELS[self.kind]} từ Excel — {self.path.name}")
        self.resize(1000, 600)
        layout = QVBoxLayout(self)
        self.summary_label = QLabel("Đang đọc tệp…", self)
        self.summary_label.setWordWrap(True)
        layout.addWidget(self.summary_label)
        progress_row = QHBoxLayout()
        self.progress_bar = QProgressBar(self)
        self.progress_bar.setRange(0, 0)
        progress_row.addWidget(self.progress_bar, 1)
        self.cancel_button = QPushButton("Huỷ đọc tệp", self)
        self.cancel_button.setVisible(False)
        progress_row.addWidget(self.cancel_button)
        layout.addLayout(progress_row)
        self.model = ImportPreviewModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.table, 1)
        self.details_label = QLabel("", self)
        self.details_label.setWordWrap(True)
        self.details_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details_label.setStyleSheet(
            f"QLabel {{ background: {style.PANEL_BACKGROUND}; "
            f"border: 1px solid {style.PANEL_BORDER}; padding: 4px; }}"
        )
        self.details_label.setVisible(False)
        layout.addWidget(self.details_label)
        self.hint_label = QLabel(
            'Bỏ đánh dấu ở cột "Dòng" những dòng không muốn nhập. Ô trống giữ nguyên giá trị '
            f"đang có; muốn xoá một giá trị hãy ghi {CLEAR_MARKER} vào ô. Rê chuột lên cột "
            '"Lý do" hoặc chọn một dòng để xem đủ giá trị cũ → mới.',
            self,
        )
        self.hint_label.setWordWrap(True)
        layout.addWidget(self.hint_label)
        row = QHBoxLayout()
        self.errors_only_button = QPushButton("Chỉ xem dòng lỗi", self)
        self.errors_only_button.setCheckable(True)
        self.errors_only_button.setEnabled(False)
        row.addWidget(self.errors_only_button)
        self.changes_only_button = QPushButton("Chỉ xem dòng thêm, cập nhật", self)
        self.changes_only_button.setCheckable(True)
        self.changes_only_button.setEnabled(False)
        row.addWidget(self.changes_only_button)
        self.tick_all_button = QPushButton("Chọn tất cả", self)
        self.untick_all_button = QPushButton("Bỏ chọn tất cả", self)
        for button in (self.tick_all_button, self.untick_all_button):
            button.setEnabled(False)
            row.addWidget(button)
        row.addStretch(1)
        self.buttons = QDialogButtonBox(self)
        self.undo_button = self.buttons.addButton(
            "Hoàn tác lần nhập này", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.undo_button.setVisible(False)
        self.import_button = self.buttons.addButton("Nhập", QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setEnabled(False)
        self.close_button = self.buttons.addButton("Đóng", QDialogButtonBox.ButtonRole.RejectRole)
        row.addWidget(self.buttons)
        layout.addLayout(row)

    def _connect_signals(self) -> None:
        self.import_button.clicked.connect(self._on_import_button_clicked)
        self.close_button.clicked.connect(self.reject)
        self.cancel_button.clicked.connect(self._on_cancel_button_clicked)
        self.undo_button.clicked.connect(self._on_undo_button_clicked)
        self.errors_only_button.toggled.connect(self._on_errors_only_button_toggled)
        self.changes_only_button.toggled.connect(self._on_changes_only_button_toggled)
        self.tick_all_button.clicked.connect(lambda: self.model.set_all_ticked(True))
        self.untick_all_button.clicked.connect(lambda: self.model.set_all_ticked(False))
        self.model.ticked_changed.connect(self._on_model_ticked_changed)
        self.table.selectionModel().currentRowChanged.connect(self._on_table_current_changed)
        self._progress.changed.connect(self._on_progress_changed)

    # --- work -----------------------------------------------------------------------------
    def start(self) -> None:
        """Read and check the file in the background; "Huỷ đọc tệp" stops it."""
        self.progress_bar.setVisible(True)
        self.cancel_button.setVisible(True)
        self.cancel_button.setEnabled(True)
        self._cancel.clear()
        self._reading = True
        signal = self._progress.changed
        cancel = self._cancel

        def progress(done: int, total: int) -> None:
            if cancel.is_set():
                raise ImportCancelled()
            signal.emit(done, total)

        run_in_background(
            lambda: preview_import(
                self.db, self.kind, self.path, today=self.today, progress=progress
            ),
            self._on_preview_done,
            self._on_preview_failed,
        )

    def _stop_reading(self) -> None:
        self._reading = False
        self.progress_bar.setVisible(False)
        self.cancel_button.setVisible(False)

    def _on_cancel_button_clicked(self) -> None:
        self._cancel.set()
        self.cancel_button.setEnabled(False)
        self.summary_label.setText("Đang huỷ…")

    def reject(self) -> None:
        self._cancel.set()  # closing while the file is read stops the reading
        super().reject()

    def _on_progress_changed(self, done: int, total: int) -> None:
        if total <= 0:
            self.progress_bar.setRange(0, 0)
            return
        self.progress_bar.setRange(0, max(total, 1))
        self.progress_bar.setValue(done)
        self.summary_label.setText(f"Đang kiểm tra dòng {number_text(done)}/{number_text(total)}…")

    def _on_preview_done(self, preview: Any) -> None:
        assert isinstance(preview, ImportPreview)
        self._stop_reading()
        self.preview = preview
        self.model.set_preview(preview.rows, preview.fields)
        self.table.resizeColumnsToContents()
        for c in range(self.model.columnCount()):
            if self.table.columnWidth(c) > 320:
                self.table.setColumnWidth(c, 320)
        self.errors_only_button.setEnabled(preview.has_errors)
        self.changes_only_button.setEnabled(preview.changes > 0)
        selectable = preview.changes > 0 and not preview.has_errors
        self.tick_all_button.setEnabled(selectable)
        self.untick_all_button.setEnabled(selectable)
        self._show_summary()
        first = next(
            (
                i
                for i, r in enumerate(preview.rows)
                if r.changes or r.warnings or r.action is RowAction.ERROR
            ),
            None,
        )
        if first is not None:
            self.table.selectRow(first)

    def _on_table_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid() or current.row() >= self.model.rowCount():
            self.details_label.setVisible(False)
            return
        row = self.model.row_at(current.row())
        self.details_label.setText(f"Dòng {row.row_number}: {row.details()}")
        self.details_label.setVisible(True)

    def _show_summary(self) -> None:
        preview = self.preview
        if preview is None:
            return
        text = f"{preview.sheet_note()} {preview.describe()}"
        ticked = self.model.ticked_count()
        if preview.has_errors:
            text += (
                f"\nCó {preview.count(RowAction.ERROR)} dòng lỗi (màu đỏ): hãy sửa trong "
                "tệp Excel rồi nhập lại. Chưa có gì được ghi."
            )
        elif not preview.changes:
            text += "\nKhông có gì cần thêm hoặc cập nhật."
        elif ticked == 0:
            text += "\nKhông dòng nào được chọn để nhập."
        else:
            text += (
                f'\nBấm "Nhập" để ghi {ticked} dòng đang được chọn (một lần, đủ hoặc không '
                "gì; có thể hoàn tác cả lần nhập)."
            )
        self.summary_label.setText(text)
        self.import_button.setEnabled(
            not preview.has_errors and ticked > 0 and self.import_result is None
        )

    def _on_model_ticked_changed(self) -> None:
        if self.import_result is None:
            self._show_summary()

    def _on_preview_failed(self, exc: BaseException) -> None:
        from app.errors import AppError

        self._stop_reading()
        message = (
            exc.message
            if isinstance(exc, AppError)
            else ("Không đọc được tệp; chi tiết đã ghi vào nhật ký.")
        )
        self.summary_label.setText(message)
        self.import_button.setEnabled(False)
        if not isinstance(exc, AppError):
            from ui.dialogs.messages import show_error

            show_error(self, exc)

    def _on_errors_only_button_toggled(self, checked: bool) -> None:
        if checked:
            self.changes_only_button.setChecked(False)
        self._filter_rows()

    def _on_changes_only_button_toggled(self, checked: bool) -> None:
        if checked:
            self.errors_only_button.setChecked(False)
        self._filter_rows()

    def _filter_rows(self) -> None:
        errors = self.errors_only_button.isChecked()
        changes = self.changes_only_button.isChecked()
        for r in range(self.model.rowCount()):
            row = self.model.row_at(r)
            hide = (errors and row.action is not RowAction.ERROR) or (
                changes and not row.selectable
            )
            self.table.setRowHidden(r, hide)

    def _on_import_button_clicked(self) -> None:
        if self.preview is None or self.preview.has_errors:
            return
        preview = self.preview
        rows = self.model.ticked_rows()
        self.import_button.setEnabled(False)
        self.close_button.setEnabled(False)
        self.tick_all_button.setEnabled(False)
        self.untick_all_button.setEnabled(False)
        self.progress_bar.setRange(0, 0)
        self.progress_bar.setVisible(True)
        self.summary_label.setText("Đang nhập…")
        signal = self._progress.changed
        run_writing_in_background(
            self,
            lambda: apply_import(
                self.db,
                preview,
                today=self.today,
                rows=rows,
                progress=lambda n, total: signal.emit(n, total),
            ),
            self._on_import_done,
            self._on_import_failed,
        )

    def _on_import_done(self, result: Any) -> None:
        assert isinstance(result, ImportResult)
        self.import_result = result
        self.model.locked = True
        self.progress_bar.setVisible(False)
        self.close_button.setEnabled(True)
        self.import_button.setVisible(False)
        self.undo_button.setVisible(result.batch_id is not None)
        self.undo_button.setEnabled(result.batch_id is not None)
        self.summary_label.setText(result.describe())
        self.imported.emit(result)

    def _on_import_failed(self, exc: BaseException) -> None:
        from ui.dialogs.messages import show_error

        self.progress_bar.setVisible(False)
        self.close_button.setEnabled(True)
        self.summary_label.setText("Chưa nhập gì.")
        self._show_summary()
        show_error(self, exc, title="Không nhập được")

    def _on_undo_button_clicked(self) -> None:
        from app.services.imports import undo_import

        if self.import_result is None or self.import_result.batch_id is None:
            return
        batch_id = self.import_result.batch_id
        self.undo_button.setEnabled(False)
        self.summary_label.setText("Đang hoàn tác…")
        run_writing_in_background(
            self, lambda: undo_import(self.db, batch_id), self._on_undo_done, self._on_undo_failed
        )

    def _on_undo_done(self, result: Any) -> None:
        self.summary_label.setText(result.describe())
        self.undo_button.setVisible(False)
        self.undone.emit(result)

    def _on_undo_failed(self, exc: BaseException) -> None:
        from ui.dialogs.messages import show_error

        self.undo_button.setEnabled(True)
        self.summary_label.setText("Chưa hoàn tác gì.")
        show_error(self, exc, title="Không hoàn tác được")
