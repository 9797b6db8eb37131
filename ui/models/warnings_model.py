"""The deadline warnings: one row per obligation overdue or due soon, most urgent first."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from app.dates import fmt
from app.services.obligations import ObligationRow
from app.status import Status
from app.text import sort_key

SORT_ROLE = Qt.ItemDataRole.UserRole + 1

Index = QModelIndex | QPersistentModelIndex


def days_text(row: ObligationRow) -> str:
    """"Quá hạn 12 ngày", "Còn 3 ngày", "Hạn là hôm nay"."""
    if row.status is Status.OVERDUE:
        return f"Quá hạn {row.days_past_due} ngày"
    if row.days_past_due == 0:
        return "Hạn là hôm nay"
    return f"Còn {-row.days_past_due} ngày"


@dataclass(frozen=True)
class Column:
    title: str
    text: Callable[[ObligationRow], str]
    sort: Callable[[ObligationRow], Any]
    tip: str = ""


COLUMNS: tuple[Column, ...] = (
    Column("Trạng thái", lambda r: r.status.label,
           lambda r: (0 if r.status is Status.OVERDUE else 1, -r.days_past_due)),
    Column("Số ngày", days_text,
           lambda r: (0 if r.status is Status.OVERDUE else 1, -r.days_past_due),
           "Số ngày quá hạn, hoặc số ngày còn lại đến hạn"),
    Column("Hạn", lambda r: fmt(r.due_date), lambda r: r.due_date),
    Column("Đơn vị", lambda r: r.unit_name, lambda r: sort_key(r.unit_name)),
    Column("Loại đơn vị", lambda r: r.unit_kind.label, lambda r: r.unit_kind.value),
    Column("Văn bản", lambda r: r.directive_symbol, lambda r: (r.directive_id,)),
    Column("Kỳ", lambda r: r.period_label or "Một lần", lambda r: (r.due_date, r.period_key)),
    Column("Nhiệm vụ", lambda r: r.task_title, lambda r: sort_key(r.task_title)),
)
STATUS_COLUMN = 0
DAYS_COLUMN = 1


class WarningsModel(QAbstractTableModel):
    """Rows are :class:`ObligationRow`; the obligation id is under ``Qt.UserRole``."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[ObligationRow] = []
        self.columns = COLUMNS

    def set_rows(self, rows: list[ObligationRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> ObligationRow:
        return self._rows[row]

    def rows(self) -> list[ObligationRow]:
        return list(self._rows)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.columns):
            if role == Qt.ItemDataRole.DisplayRole:
                return self.columns[section].title
            if role == Qt.ItemDataRole.ToolTipRole and self.columns[section].tip:
                return self.columns[section].tip
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return section + 1
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        row = self._rows[index.row()]
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(row)
        if role == Qt.ItemDataRole.UserRole:
            return row.id
        if role == SORT_ROLE:
            return column.sort(row)
        if role == Qt.ItemDataRole.BackgroundRole and index.column() in (STATUS_COLUMN,
                                                                          DAYS_COLUMN):
            # The colour always comes with the label of the status column.
            return QBrush(QColor(row.status.colour))
        if role == Qt.ItemDataRole.ForegroundRole and index.column() in (STATUS_COLUMN,
                                                                          DAYS_COLUMN):
            return QBrush(QColor("#000000"))
        if role == Qt.ItemDataRole.ToolTipRole:
            received = (f"{row.submission_count} văn bản đã nhận" if row.submission_count
                        else "Chưa nhận văn bản nào")
            return (f"{row.unit_name}\n{row.directive_symbol} — {row.task_title}"
                    f"{' — ' + row.period_label if row.period_label else ''}\n"
                    f"Hạn {fmt(row.due_date)}: {days_text(row).lower()}. {received}.\n"
                    "Nhấp đúp để mở nghĩa vụ.")
        return None
