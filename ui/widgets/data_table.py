"""A table view over a RowTableModel through a SearchProxy: sortable headers, whole-row
selection, Enter/double-click activates the row, column widths remembered in QSettings."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QSettings, Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from ui.models.row_table_model import ID_ROLE, RowTableModel
from ui.models.search_proxy import SearchProxy
from ui.widgets.frozen_column import freeze_first_column
from ui.widgets.status_badge_delegate import StatusBadgeDelegate


class DataTable(QTableView):
    rowActivated = Signal(int)  # the row's id
    currentIdChanged = Signal(object)  # int | None

    def __init__(
        self, model: RowTableModel[Any], state_key: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.source = model
        self.proxy = SearchProxy(self)
        self.proxy.setSourceModel(model)
        self.state_key = state_key
        self._badge = StatusBadgeDelegate(self)
        self._build_ui()
        self._connect_signals()
        self.restore_state()
        self.frozen = freeze_first_column(self)  # the unit stays in view when scrolled sideways

    def _build_ui(self) -> None:
        self.setModel(self.proxy)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setSortingEnabled(True)
        self.setWordWrap(False)
        self.setTabKeyNavigation(False)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 12)
        header = self.horizontalHeader()
        header.setStretchLastSection(True)
        header.setSectionsMovable(True)
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        for i, column in enumerate(self.source.columns):
            self.setColumnWidth(i, column.width)
            if column.badge:
                self.setItemDelegateForColumn(i, self._badge)

    def _connect_signals(self) -> None:
        self.activated.connect(self._on_self_activated)
        self.selectionModel().currentRowChanged.connect(
            lambda _c, _p: self.currentIdChanged.emit(self.current_id())
        )
        self.source.modelReset.connect(lambda: self.currentIdChanged.emit(self.current_id()))

    def _on_self_activated(self, index: QModelIndex) -> None:
        value = index.data(ID_ROLE)
        if value is not None:
            self.rowActivated.emit(int(value))

    # --- selection by id -------------------------------------------------------------------
    def current_id(self) -> int | None:
        index = self.currentIndex()
        if not index.isValid():
            rows = self.selectionModel().selectedRows()
            if not rows:
                return None
            index = rows[0]
        value = index.data(ID_ROLE)
        return int(value) if value is not None else None

    def current_row(self) -> Any:
        row_id = self.current_id()
        if row_id is None:
            return None
        source_row = self.source.row_of_id(row_id)
        return self.source.row_at(source_row) if source_row >= 0 else None

    def select_id(self, row_id: int | None) -> bool:
        if row_id is None:
            return False
        source_row = self.source.row_of_id(row_id)
        if source_row < 0:
            return False
        index = self.proxy.mapFromSource(self.source.index(source_row, 0))
        if not index.isValid():
            return False
        self.setCurrentIndex(index)
        self.selectRow(index.row())
        self.scrollTo(index)
        return True

    def set_rows(self, rows: list[Any]) -> None:
        """Replace the rows, keeping the filter, the sort and the selected record."""
        keep = self.current_id()
        self.source.set_rows(rows)
        if not self.select_id(keep) and self.proxy.rowCount() > 0:
            self.selectRow(0)

    def visible_ids(self) -> list[int]:
        return [int(self.proxy.index(r, 0).data(ID_ROLE)) for r in range(self.proxy.rowCount())]

    # --- state -----------------------------------------------------------------------------
    def restore_state(self) -> None:
        state = QSettings().value(self._settings_key())
        if state is not None:
            self.horizontalHeader().restoreState(state)

    def save_state(self) -> None:
        QSettings().setValue(self._settings_key(), self.horizontalHeader().saveState())

    def _settings_key(self) -> str:
        """Includes the column count: a saved layout never applies to other columns."""
        return f"tables/{self.state_key}/header{len(self.source.columns)}"
