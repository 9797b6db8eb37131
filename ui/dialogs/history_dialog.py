"""The history of one record: when, who, what, and each field before → after."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QItemSelection, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.dates import fmt_time
from app.db import Database
from app.services.audit import ENTITY_LABELS, RESTORABLE, AuditInfo, history
from ui.models.history_model import ChangesModel, HistoryModel, field_changes


def _table(parent: QWidget) -> QTableView:
    view = QTableView(parent)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setAlternatingRowColors(True)
    view.setWordWrap(True)
    view.verticalHeader().setVisible(False)
    view.horizontalHeader().setStretchLastSection(True)
    return view


class HistoryDialog(QDialog):
    def __init__(
        self,
        db: Database,
        entity: str,
        entity_id: int,
        title: str,
        parent: QWidget | None = None,
        *,
        loader: Callable[[], list[AuditInfo]] | None = None,
    ) -> None:
        """One record's history; ``loader`` gives the entries instead (e.g. every document
        of one obligation, deleted ones included)."""
        super().__init__(parent)
        self._loader = loader
        self._name_cache: dict[str, dict[int, str]] | None = None
        self._db = db
        self._entity = entity
        self._entity_id = entity_id
        self.restored = False  # a version was put back while the dialog was open
        self.setWindowTitle(f"Lịch sử thay đổi — {title}")
        self.resize(900, 560)
        self.entries_model = HistoryModel(self)
        self.changes_model = ChangesModel(self)
        self._build_ui(title)
        self._connect_signals()
        self.reload()

    def _build_ui(self, title: str) -> None:
        layout = QVBoxLayout(self)
        kind = ENTITY_LABELS.get(self._entity, self._entity)
        self.title_label = QLabel(f"{kind}: <b>{title}</b>", self)
        self.title_label.setWordWrap(True)
        layout.addWidget(self.title_label)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.entries_view = _table(splitter)
        self.entries_view.setModel(self.entries_model)
        self.changes_view = _table(splitter)
        self.changes_view.setModel(self.changes_model)
        for i, column in enumerate(self.entries_model.columns):
            self.entries_view.setColumnWidth(i, column.width)
        for i, change_column in enumerate(self.changes_model.columns):
            self.changes_view.setColumnWidth(i, change_column.width)
        self.changes_view.verticalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        splitter.addWidget(self.entries_view)
        splitter.addWidget(self.changes_view)
        splitter.setSizes([220, 300])
        layout.addWidget(splitter, 1)
        self.empty_label = QLabel("Chưa có thay đổi nào được ghi lại.", self)
        layout.addWidget(self.empty_label)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("Đóng")
        self.restore_button = buttons.addButton(
            "Khôi phục phiên bản này", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.restore_button.setToolTip(
            "Đưa bản ghi về đúng như sau thay đổi đang chọn (được kiểm tra như khi sửa, và "
            "được ghi vào lịch sử)"
        )
        self.restore_button.setEnabled(False)
        self.restore_button.setVisible(self._entity in RESTORABLE)
        self.restore_before_button = buttons.addButton(
            "Về như trước thay đổi này", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.restore_before_button.setToolTip(
            "Đưa bản ghi về đúng như trước thay đổi đang chọn (bỏ thay đổi đó và mọi thay đổi "
            "sau nó)"
        )
        self.restore_before_button.setEnabled(False)
        self.restore_before_button.setVisible(self._entity in RESTORABLE)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _connect_signals(self) -> None:
        self.entries_view.selectionModel().selectionChanged.connect(
            self._on_entries_selection_changed
        )
        self.restore_button.clicked.connect(self._on_restore_button_clicked)
        self.restore_before_button.clicked.connect(self._on_restore_before_button_clicked)

    def reload(self) -> None:
        entries = (
            self._loader()
            if self._loader is not None
            else history(self._db, self._entity, self._entity_id)
        )
        self.entries_model.set_rows(entries)
        self.empty_label.setVisible(not entries)
        if entries:
            self.entries_view.selectRow(0)
        else:
            self.changes_model.set_rows([])

    def _on_entries_selection_changed(
        self, _selected: QItemSelection, _deselected: QItemSelection
    ) -> None:
        entry = self.selected_entry()
        self.restore_button.setEnabled(entry is not None and entry.restorable)
        self.restore_before_button.setEnabled(entry is not None and entry.restorable_before)
        if entry is None:
            self.changes_model.set_rows([])
            return
        self.changes_model.set_rows(field_changes(entry, self._names()))

    def selected_entry(self) -> AuditInfo | None:
        rows = self.entries_view.selectionModel().selectedRows()
        return self.entries_model.row_at(rows[0].row()) if rows else None

    def _on_restore_button_clicked(self) -> None:
        self.restore_selected(before=False)

    def _on_restore_before_button_clicked(self) -> None:
        self.restore_selected(before=True)

    def restore_selected(self, *, before: bool) -> None:
        """Put the record back to the version after (or before) the selected change."""
        import datetime as dt

        from app.services.audit import restore_version
        from ui.dialogs.messages import confirm
        from ui.models.history_model import local_time

        entry = self.selected_entry()
        if entry is None or not (entry.restorable_before if before else entry.restorable):
            return
        which = "trước" if before else "sau"
        if not confirm(
            self,
            "Khôi phục phiên bản",
            f"Đưa bản ghi về đúng như {which} thay đổi lúc "
            f"{fmt_time(local_time(entry.at), seconds=True)} ({entry.summary})?\n\n"
            "Các giá trị hiện tại được giữ trong lịch sử; có thể khôi phục lại.",
            yes="Khôi phục",
        ):
            return
        from ui.operations import main_window_of, run_operation

        window = main_window_of(self)
        today = window.today() if window is not None else dt.date.today()
        if not run_operation(
            self,
            lambda: restore_version(self._db, entry.id, today=today, before=before),
            error_title="Không khôi phục được",
        ):
            return
        self.restored = True  # the lists it changed were told (ui.operations)
        self.reload()

    def _names(self) -> dict[str, dict[int, str]]:
        if self._name_cache is None:
            from app.services import directives, units

            self._name_cache = {
                "unit": {u.id: u.name for u in units.list_units(self._db)},
                "directive": {d.id: d.number_symbol for d in directives.list_directives(self._db)},
            }
        return self._name_cache
