"""The rows of an import preview: the Excel row number, what will happen (with its colour),
the reason, then the values read from the file."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from app.exchange.xlsx_import import Field, ImportRow

Index = QModelIndex | QPersistentModelIndex


class ImportPreviewModel(QAbstractTableModel):
    FIXED = ("Dòng", "Kết quả", "Lý do")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[ImportRow] = []
        self._fields: tuple[Field, ...] = ()

    def set_preview(self, rows: tuple[ImportRow, ...] | list[ImportRow],
                    fields: tuple[Field, ...]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._fields = tuple(fields)
        self.endResetModel()

    def row_at(self, row: int) -> ImportRow:
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.FIXED) + len(self._fields)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Vertical:
            return section + 1
        if section < len(self.FIXED):
            return self.FIXED[section]
        if section - len(self.FIXED) < len(self._fields):
            return self._fields[section - len(self.FIXED)].header
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        row = self._rows[index.row()]
        col = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if col == 0:
                return row.row_number
            if col == 1:
                return row.action.label
            if col == 2:
                return row.reason
            f = self._fields[col - len(self.FIXED)] if col - len(self.FIXED) < len(
                self._fields) else None
            return row.values.get(f.key, "") if f is not None else None
        if role == Qt.ItemDataRole.BackgroundRole and col in (1, 2):
            return QColor(row.action.colour)
        if role == Qt.ItemDataRole.UserRole:
            return row.row_number
        if role == Qt.ItemDataRole.TextAlignmentRole and col == 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None
