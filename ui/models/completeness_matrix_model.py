"""The completeness matrix: units × the periods of a task, each cell coloured and labelled, with
totals and reporting rates per unit (right) and per period (bottom)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from app.dates import fmt
from app.services.dashboard import (
    MATRIX_TOTALS,
    CompletenessMatrix,
    matrix_cell_text,
    matrix_summary_rows,
)
from app.services.obligations import ObligationRow
from ui import style

Index = QModelIndex | QPersistentModelIndex

NOT_BOUND = style.WHITE
TOTAL_BACKGROUND = style.TOTAL_BACKGROUND


def cell_tip(cell: ObligationRow) -> str:
    lines = [
        f"{cell.status.label}. Hạn {fmt(cell.due_date)}"
        + (f" (theo văn bản {fmt(cell.nominal_due)})." if cell.nominal_due else ".")
    ]
    if cell.first_received:
        lines.append(f"Nhận ngày {fmt(cell.first_received)}.")
    if cell.exempt_reason:
        lines.append(cell.exempt_reason)
    lines.append("Nhấp để mở nghĩa vụ.")
    return "\n".join(lines)


class CompletenessMatrixModel(QAbstractTableModel):
    """Column 0 is the unit; then one column per period; then the totals. The last rows are
    the per-period totals. Cells of obligations carry their id under ``Qt.UserRole``."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._matrix: CompletenessMatrix | None = None
        self._summary: list[tuple[str, tuple[int | str, ...]]] = []

    def set_matrix(self, matrix: CompletenessMatrix | None) -> None:
        self.beginResetModel()
        self._matrix = matrix
        self._summary = matrix_summary_rows(matrix) if matrix else []
        self.endResetModel()

    def matrix(self) -> CompletenessMatrix | None:
        return self._matrix

    # --- shape ----------------------------------------------------------------------------
    def _units(self) -> int:
        return len(self._matrix.units) if self._matrix else 0

    def _periods(self) -> int:
        return len(self._matrix.columns) if self._matrix else 0

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() or self._matrix is None:
            return 0
        return self._units() + len(self._summary)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() or self._matrix is None:
            return 0
        return 1 + self._periods() + len(MATRIX_TOTALS)

    def is_period_column(self, column: int) -> bool:
        return 1 <= column <= self._periods()

    def is_unit_row(self, row: int) -> bool:
        return 0 <= row < self._units()

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if self._matrix is None or orientation != Qt.Orientation.Horizontal:
            return None
        if not 0 <= section < self.columnCount():
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            if section == 0:
                return "Đơn vị"
            if self.is_period_column(section):
                return self._matrix.headers[section - 1]
            return MATRIX_TOTALS[section - 1 - self._periods()].label
        return None

    # --- data -----------------------------------------------------------------------------
    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        matrix = self._matrix
        if matrix is None or not index.isValid():
            return None
        row, column = index.row(), index.column()
        if not (0 <= row < self.rowCount() and 0 <= column < self.columnCount()):
            return None
        unit_row = self.is_unit_row(row)
        if column == 0:
            if role == Qt.ItemDataRole.DisplayRole:
                return matrix.units[row].name if unit_row else self._summary[row - self._units()][0]
            if role == Qt.ItemDataRole.FontRole and not unit_row:
                return _bold()
            if role == Qt.ItemDataRole.BackgroundRole and not unit_row:
                return QBrush(QColor(TOTAL_BACKGROUND))
            if role == Qt.ItemDataRole.ToolTipRole and unit_row:
                return matrix.units[row].kind.label
            return None
        if not unit_row:
            return self._total_data(str(self._summary[row - self._units()][1][column - 1]), role)
        if self.is_period_column(column):
            return self._cell_data(matrix.cells[row][column - 1], role)
        value = MATRIX_TOTALS[column - 1 - self._periods()].cell(matrix.row_totals[row])
        return self._total_data(str(value), role)

    def _cell_data(self, cell: ObligationRow | None, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return matrix_cell_text(cell) if cell else "—"
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(QColor(cell.status.colour if cell else NOT_BOUND))
        if role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(QColor(style.TEXT_ON_STATUS if cell else style.TEXT_FAINT))
        if role == Qt.ItemDataRole.UserRole:
            return cell.id if cell else None
        if role == Qt.ItemDataRole.ToolTipRole:
            return cell_tip(cell) if cell else "Đơn vị không phải thực hiện kỳ này."
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def _total_data(self, text: str, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return text
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(QColor(TOTAL_BACKGROUND))
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None


def _bold() -> QFont:
    font = QFont()
    font.setBold(True)
    return font
