"""The completeness matrix: units × periods of one task, each cell coloured and labelled, with
totals and reporting rates per unit (right) and per period (bottom)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from app.dates import fmt
from app.services.dashboard import CompletenessMatrix, MatrixCell, rate_text
from app.status import Status, StatusCounts
from ui import style

Index = QModelIndex | QPersistentModelIndex

# Totals columns at the right (also used for the grand total of the bottom rows).
TOTALS: tuple[tuple[str, Callable[[StatusCounts], str]], ...] = (
    ("Phải nộp", lambda c: str(c.expected)),
    ("Đã nộp", lambda c: str(c.received)),
    ("Đúng hạn", lambda c: str(c.on_time)),
    ("Nộp muộn", lambda c: str(c.late)),
    ("Quá hạn", lambda c: str(c.missing)),
    ("Tỷ lệ nộp", lambda c: rate_text(c.received_rate)),
    ("Tỷ lệ đúng hạn", lambda c: rate_text(c.on_time_rate)),
)
# Summary rows at the bottom, per period.
SUMMARY_ROWS: tuple[tuple[str, Callable[[StatusCounts], str]], ...] = (
    ("Đã nộp / phải nộp", lambda c: f"{c.received}/{c.expected}"),
    ("Tỷ lệ nộp", lambda c: rate_text(c.received_rate)),
    ("Tỷ lệ đúng hạn", lambda c: rate_text(c.on_time_rate)),
)
NOT_BOUND = style.WHITE
TOTAL_BACKGROUND = style.TOTAL_BACKGROUND


def cell_text(cell: MatrixCell) -> str:
    if cell.status is Status.DONE_ON_TIME or cell.status is Status.DONE_LATE:
        received = f" · {cell.first_received:%d/%m}" if cell.first_received else ""
        return cell.label + received
    if cell.status is Status.OVERDUE:
        return f"{cell.label} {cell.days_past_due} ngày"
    if cell.status is Status.DUE_SOON:
        return f"{cell.label} (còn {-cell.days_past_due} ngày)"
    return cell.label


def cell_tip(cell: MatrixCell) -> str:
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

    def set_matrix(self, matrix: CompletenessMatrix | None) -> None:
        self.beginResetModel()
        self._matrix = matrix
        self.endResetModel()

    def matrix(self) -> CompletenessMatrix | None:
        return self._matrix

    # --- shape ----------------------------------------------------------------------------
    def _units(self) -> int:
        return len(self._matrix.units) if self._matrix else 0

    def _periods(self) -> int:
        return len(self._matrix.periods) if self._matrix else 0

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() or self._matrix is None:
            return 0
        return self._units() + len(SUMMARY_ROWS)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() or self._matrix is None:
            return 0
        return 1 + self._periods() + len(TOTALS)

    def is_period_column(self, column: int) -> bool:
        return 1 <= column <= self._periods()

    def is_unit_row(self, row: int) -> bool:
        return 0 <= row < self._units()

    def cell(self, row: int, column: int) -> MatrixCell | None:
        if self._matrix is None or not (self.is_unit_row(row) and self.is_period_column(column)):
            return None
        return self._matrix.cells[row][column - 1]

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
                period = self._matrix.periods[section - 1]
                return (
                    f"{period.label}\n(hạn {fmt(period.due_date)})"
                    if period.key != "-"
                    else period.label
                )
            return TOTALS[section - 1 - self._periods()][0]
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
                return matrix.units[row].name if unit_row else SUMMARY_ROWS[row - self._units()][0]
            if role == Qt.ItemDataRole.FontRole and not unit_row:
                return _bold()
            if role == Qt.ItemDataRole.BackgroundRole and not unit_row:
                return QBrush(QColor(TOTAL_BACKGROUND))
            if role == Qt.ItemDataRole.ToolTipRole and unit_row:
                return matrix.units[row].kind.label
            return None
        if self.is_period_column(column):
            if unit_row:
                return self._cell_data(matrix.cells[row][column - 1], role)
            counts = matrix.column_totals[column - 1]
            return self._total_data(SUMMARY_ROWS[row - self._units()][1](counts), role)
        formatter = TOTALS[column - 1 - self._periods()][1]
        if unit_row:
            counts = matrix.row_totals[row]
        else:
            counts = matrix.total
            if row - self._units() != 0:  # rates rows: the grand total rates only
                label = SUMMARY_ROWS[row - self._units()][0]
                if TOTALS[column - 1 - self._periods()][0] != label:
                    return self._total_data("", role)
        return self._total_data(formatter(counts), role)

    def _cell_data(self, cell: MatrixCell | None, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return cell_text(cell) if cell else "—"
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(QColor(cell.status.colour if cell else NOT_BOUND))
        if role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(QColor(style.TEXT_ON_STATUS if cell else style.TEXT_FAINT))
        if role == Qt.ItemDataRole.UserRole:
            return cell.obligation_id if cell else None
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
