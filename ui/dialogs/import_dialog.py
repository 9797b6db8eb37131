"""Import preview: read the Excel file off the UI thread, show every row as new / update /
unchanged / skipped / error with its reason, and import everything only when no row is in
error ("Nhập" stays disabled otherwise)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal
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
    KIND_LABELS,
    ImportPreview,
    ImportResult,
    RowAction,
    apply_import,
    preview_import,
)
from ui.models.import_preview_model import ImportPreviewModel
from ui.tasks import run_in_background


class _Progress(QObject):
    """Carries progress from the worker thread to the dialog (queued signal)."""

    changed = Signal(int, int)


class ImportDialog(QDialog):
    imported = Signal(object)  # ImportResult

    def __init__(self, db: Database, kind: str, path: Path, *, today: dt.date,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.kind = kind
        self.path = Path(path)
        self.today = today
        self.preview: ImportPreview | None = None
        self.result: ImportResult | None = None
        self._progress = _Progress(self)
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
        self.progress_bar = QProgressBar(self)
        self.progress_bar.setRange(0, 0)
        layout.addWidget(self.progress_bar)
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
        row = QHBoxLayout()
        self.errors_only_button = QPushButton("Chỉ xem dòng lỗi", self)
        self.errors_only_button.setCheckable(True)
        self.errors_only_button.setEnabled(False)
        row.addWidget(self.errors_only_button)
        row.addStretch(1)
        self.buttons = QDialogButtonBox(self)
        self.import_button = self.buttons.addButton("Nhập",
                                                    QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setEnabled(False)
        self.close_button = self.buttons.addButton("Đóng", QDialogButtonBox.ButtonRole.RejectRole)
        row.addWidget(self.buttons)
        layout.addLayout(row)

    def _connect_signals(self) -> None:
        self.import_button.clicked.connect(self._on_import_button_clicked)
        self.close_button.clicked.connect(self.reject)
        self.errors_only_button.toggled.connect(self._on_errors_only_button_toggled)
        self._progress.changed.connect(self._on_progress_changed)

    # --- work -----------------------------------------------------------------------------
    def start(self) -> None:
        """Read and check the file in the background."""
        self.progress_bar.setVisible(True)
        signal = self._progress.changed
        run_in_background(
            lambda: preview_import(self.db, self.kind, self.path, today=self.today,
                                   progress=lambda n, total: signal.emit(n, total)),
            self._on_preview_done, self._on_preview_failed)

    def _on_progress_changed(self, done: int, total: int) -> None:
        self.progress_bar.setRange(0, max(total, 1))
        self.progress_bar.setValue(done)

    def _on_preview_done(self, preview: Any) -> None:
        assert isinstance(preview, ImportPreview)
        self.preview = preview
        self.model.set_preview(preview.rows, preview.fields)
        self.table.resizeColumnsToContents()
        for c in range(self.model.columnCount()):
            if self.table.columnWidth(c) > 320:
                self.table.setColumnWidth(c, 320)
        self.progress_bar.setVisible(False)
        text = f"Trang tính \"{preview.sheet}\". {preview.describe()}"
        if preview.has_errors:
            text += (f"\nCó {preview.count(RowAction.ERROR)} dòng lỗi (màu đỏ): hãy sửa trong "
                     "tệp Excel rồi nhập lại. Chưa có gì được ghi.")
        elif not preview.changes:
            text += "\nKhông có gì cần thêm hoặc cập nhật."
        else:
            text += "\nBấm \"Nhập\" để ghi tất cả các dòng trên (một lần, đủ hoặc không gì)."
        self.summary_label.setText(text)
        self.import_button.setEnabled(not preview.has_errors and preview.changes > 0)
        self.errors_only_button.setEnabled(preview.has_errors)

    def _on_preview_failed(self, exc: BaseException) -> None:
        from app.errors import AppError

        self.progress_bar.setVisible(False)
        message = exc.message if isinstance(exc, AppError) else (
            "Không đọc được tệp; chi tiết đã ghi vào nhật ký.")
        self.summary_label.setText(message)
        self.import_button.setEnabled(False)
        if not isinstance(exc, AppError):
            from ui.dialogs.messages import show_error

            show_error(self, exc)

    def _on_errors_only_button_toggled(self, checked: bool) -> None:
        for r in range(self.model.rowCount()):
            hide = checked and self.model.row_at(r).action is not RowAction.ERROR
            self.table.setRowHidden(r, hide)

    def _on_import_button_clicked(self) -> None:
        if self.preview is None or self.preview.has_errors:
            return
        preview = self.preview
        self.import_button.setEnabled(False)
        self.close_button.setEnabled(False)
        self.progress_bar.setRange(0, 0)
        self.progress_bar.setVisible(True)
        self.summary_label.setText("Đang nhập…")
        signal = self._progress.changed
        run_in_background(
            lambda: apply_import(self.db, preview, today=self.today,
                                 progress=lambda n, total: signal.emit(n, total)),
            self._on_import_done, self._on_import_failed)

    def _on_import_done(self, result: Any) -> None:
        assert isinstance(result, ImportResult)
        self.result = result
        self.progress_bar.setVisible(False)
        self.close_button.setEnabled(True)
        self.summary_label.setText(result.describe())
        self.imported.emit(result)
        self.accept()

    def _on_import_failed(self, exc: BaseException) -> None:
        from ui.dialogs.messages import show_error

        self.progress_bar.setVisible(False)
        self.close_button.setEnabled(True)
        self.summary_label.setText("Chưa nhập gì.")
        show_error(self, exc, title="Không nhập được")
