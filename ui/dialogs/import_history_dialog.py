"""The past Excel imports (Tệp → Các lần nhập Excel…): when, what file, how many rows added and
changed, and "Hoàn tác lần nhập này" for the one selected (app.services.imports)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QItemSelection, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.dates import fmt_time
from app.db import Database
from app.services.imports import ImportBatchInfo, list_imports, undo_import
from ui.models.history_model import local_time
from ui.models.row_table_model import Column, RowTableModel, count_column
from ui.operations import run_writing_in_background


def _undone_text(b: ImportBatchInfo) -> str:
    if b.undone_at is None:
        return ""
    return f"Đã hoàn tác {fmt_time(local_time(b.undone_at))}"


class ImportBatchModel(RowTableModel[ImportBatchInfo]):
    columns = (
        count_column("id", "Lần", lambda b: b.id, width=50),
        Column(
            "at", "Thời điểm", lambda b: f"{fmt_time(b.local_at)}", sort=lambda b: b.at, width=130
        ),
        Column("user", "Người nhập", lambda b: b.user, width=110),
        Column("kind", "Loại", lambda b: b.kind_label, width=130),
        Column("file", "Tệp", lambda b: b.file_name, width=200),
        count_column("added", "Thêm", lambda b: b.added, width=60),
        count_column("updated", "Cập nhật", lambda b: b.updated, width=70),
        Column("undone", "Hoàn tác", _undone_text, width=160),
    )


class ImportHistoryDialog(QDialog):
    undone = Signal(object)  # UndoResult

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.setWindowTitle("Các lần nhập Excel")
        self.resize(960, 460)
        self.model = ImportBatchModel(self)
        self._build_ui()
        self._connect_signals()
        self.reload()

    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        self.info_label = QLabel(
            "Mỗi lần nhập Excel được ghi lại. Hoàn tác một lần nhập đưa mọi bản ghi nó đã thêm "
            "hoặc sửa về như trước khi nhập — chỉ khi chưa bản ghi nào bị sửa sau đó.",
            self,
        )
        self.info_label.setWordWrap(True)
        layout.addWidget(self.info_label)
        self.view = QTableView(self)
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.verticalHeader().setVisible(False)
        self.view.horizontalHeader().setStretchLastSection(True)
        for i, column in enumerate(self.model.columns):
            self.view.setColumnWidth(i, column.width)
        layout.addWidget(self.view, 1)
        self.status_label = QLabel("", self)
        self.status_label.setWordWrap(True)
        layout.addWidget(self.status_label)
        self.buttons = QDialogButtonBox(self)
        self.undo_button = self.buttons.addButton(
            "Hoàn tác lần nhập này", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.undo_button.setEnabled(False)
        self.close_button = self.buttons.addButton("Đóng", QDialogButtonBox.ButtonRole.RejectRole)
        layout.addWidget(self.buttons)

    def _connect_signals(self) -> None:
        self.close_button.clicked.connect(self.reject)
        self.undo_button.clicked.connect(self._on_undo_button_clicked)
        self.view.selectionModel().selectionChanged.connect(self._on_view_selection_changed)

    def reload(self) -> None:
        batches = list_imports(self.db)
        self.model.set_rows(batches)
        if batches:
            self.view.selectRow(0)
        else:
            self.status_label.setText("Chưa có lần nhập Excel nào.")
        self._on_view_selection_changed(QItemSelection(), QItemSelection())

    def selected(self) -> ImportBatchInfo | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def _on_view_selection_changed(
        self, _selected: QItemSelection, _deselected: QItemSelection
    ) -> None:
        batch = self.selected()
        self.undo_button.setEnabled(
            batch is not None and not batch.undone and (batch.added + batch.updated) > 0
        )
        if batch is not None:
            self.status_label.setText(batch.describe())

    def _on_undo_button_clicked(self) -> None:
        from ui.dialogs.messages import confirm

        batch = self.selected()
        if batch is None or batch.undone:
            return
        if not confirm(
            self,
            "Hoàn tác lần nhập",
            batch.describe() + "\n\nĐưa mọi bản ghi lần nhập này đã thêm hoặc sửa về "
            "như trước khi nhập?",
            yes="Hoàn tác",
        ):
            return
        self.undo_button.setEnabled(False)
        run_writing_in_background(
            self, lambda: undo_import(self.db, batch.id), self._on_undo_done, self._on_undo_failed
        )

    def _on_undo_done(self, result: Any) -> None:
        self.reload()
        self.status_label.setText(result.describe())
        self.undone.emit(result)

    def _on_undo_failed(self, exc: BaseException) -> None:
        from ui.dialogs.messages import show_error

        self._on_view_selection_changed(QItemSelection(), QItemSelection())
        show_error(self, exc, title="Không hoàn tác được")
