"""The rows of an import preview: the Excel row number (ticked: it will be written), what will
happen (with its colour), the reason — for an update each changed field old → new — then the
values read from the file. Only rows that add or change something can be unticked."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor

from app.exchange.xlsx_columns import Field
from app.exchange.xlsx_import import ImportRow
from ui import style

Index = QModelIndex | QPersistentModelIndex
WARNING_COLOUR = style.WARNING_BACKGROUND


class ImportPreviewModel(QAbstractTableModel):
    FIXED = ("Dòng", "Kết quả", "Lý do")
    ticked_changed = Signal()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[ImportRow] = []
        self._fields: tuple[Field, ...] = ()
        self._unticked: set[int] = set()  # Excel row numbers
        self.locked = False  # once imported the ticks only say what was written

    def set_preview(
        self, rows: tuple[ImportRow, ...] | list[ImportRow], fields: tuple[Field, ...]
    ) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._fields = tuple(fields)
        self._unticked = set()
        self.endResetModel()
        self.ticked_changed.emit()

    def row_at(self, row: int) -> ImportRow:
        return self._rows[row]

    def ticked_rows(self) -> list[int]:
        """Excel row numbers of the rows to write."""
        return [
            r.row_number for r in self._rows if r.selectable and r.row_number not in self._unticked
        ]

    def ticked_count(self) -> int:
        return len(self.ticked_rows())

    def set_all_ticked(self, ticked: bool) -> None:
        self._unticked = set() if ticked else {r.row_number for r in self._rows if r.selectable}
        if self._rows:
            self.dataChanged.emit(
                self.index(0, 0),
                self.index(len(self._rows) - 1, 0),
                [Qt.ItemDataRole.CheckStateRole],
            )
        self.ticked_changed.emit()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.FIXED) + len(self._fields)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Vertical:
            return section + 1
        if section < len(self.FIXED):
            return self.FIXED[section]
        if section - len(self.FIXED) < len(self._fields):
            return self._fields[section - len(self.FIXED)].header
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if (
            index.isValid()
            and index.column() == 0
            and 0 <= index.row() < len(self._rows)
            and self._rows[index.row()].selectable
            and not self.locked
        ):
            return base | Qt.ItemFlag.ItemIsUserCheckable
        return base

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if (
            role != Qt.ItemDataRole.CheckStateRole
            or not index.isValid()
            or index.column() != 0
            or not 0 <= index.row() < len(self._rows)
        ):
            return False
        row = self._rows[index.row()]
        if not row.selectable or self.locked:
            return False
        state = value.value if isinstance(value, Qt.CheckState) else int(value)
        if state == Qt.CheckState.Checked.value:
            self._unticked.discard(row.row_number)
        else:
            self._unticked.add(row.row_number)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        self.ticked_changed.emit()
        return True

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        row = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.CheckStateRole and col == 0 and row.selectable:
            return (
                Qt.CheckState.Unchecked
                if row.row_number in self._unticked
                else Qt.CheckState.Checked
            )
        if role == Qt.ItemDataRole.ToolTipRole and col in (1, 2):
            return row.details()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if col == 0:
                return row.row_number
            if col == 1:
                return row.action.label + (" (có lưu ý)" if row.warnings else "")
            if col == 2:
                return row.reason
            f = (
                self._fields[col - len(self.FIXED)]
                if col - len(self.FIXED) < len(self._fields)
                else None
            )
            return row.values.get(f.key, "") if f is not None else None
        if role == Qt.ItemDataRole.BackgroundRole and col == 1:
            return QColor(row.action.colour)
        if role == Qt.ItemDataRole.BackgroundRole and col == 2:
            return QColor(WARNING_COLOUR if row.warnings else row.action.colour)
        if role == Qt.ItemDataRole.UserRole:
            return row.row_number
        if role == Qt.ItemDataRole.TextAlignmentRole and col == 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None
