"""The overview's table: per directive and task (and per unit kind under each task), counts by
status and the reporting rates."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from app.services.dashboard import Overview
from app.status import FIGURES, StatusCounts

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class SummaryRow:
    level: int  # 0 directive, 1 task, 2 unit kind
    directive: str
    task: str
    unit_kind: str
    counts: StatusCounts
    task_id: int | None
    directive_id: int


COLUMNS = tuple(FIGURES.values())
TEXT_COLUMNS = ("Văn bản / nhiệm vụ", "Loại đơn vị")


def flatten(overview: Overview) -> list[SummaryRow]:
    rows: list[SummaryRow] = []
    for d in overview.directives:
        rows.append(SummaryRow(0, d.number_symbol, "", "Tất cả", d.counts, None, d.directive_id))
        for t in d.tasks:
            rows.append(
                SummaryRow(
                    1, d.number_symbol, t.title, "Tất cả", t.counts, t.task_id, d.directive_id
                )
            )
            for k in t.by_kind:
                rows.append(
                    SummaryRow(
                        2, d.number_symbol, t.title, k.label, k.counts, t.task_id, d.directive_id
                    )
                )
    if len(overview.directives) > 1:
        rows.append(SummaryRow(0, "Tổng cộng", "", "Tất cả", overview.counts, None, 0))
    return rows


class TaskSummaryModel(QAbstractTableModel):
    """Status counts are coloured when not zero, always next to the column's label."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[SummaryRow] = []

    def set_overview(self, overview: Overview | None) -> None:
        self.beginResetModel()
        self._rows = flatten(overview) if overview else []
        self.endResetModel()

    def row_at(self, row: int) -> SummaryRow:
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(TEXT_COLUMNS) + len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        if 0 <= section < len(TEXT_COLUMNS):
            return TEXT_COLUMNS[section]
        if len(TEXT_COLUMNS) <= section < self.columnCount():
            return COLUMNS[section - len(TEXT_COLUMNS)].label
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.UserRole:
            return row.task_id
        if role == Qt.ItemDataRole.FontRole and row.level < 2:
            font = QFont()
            font.setBold(True)
            return font
        if column == 0:
            if role == Qt.ItemDataRole.DisplayRole:
                return (
                    row.directive
                    if row.level == 0
                    else ("    " * row.level) + (row.task if row.level == 1 else "")
                )
            if role == Qt.ItemDataRole.ToolTipRole:
                return row.task or row.directive
            return None
        if column == 1:
            return row.unit_kind if role == Qt.ItemDataRole.DisplayRole else None
        figure = COLUMNS[column - len(TEXT_COLUMNS)]
        if role == Qt.ItemDataRole.DisplayRole:
            return str(figure.cell(row.counts))
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.BackgroundRole and figure.status and figure.cell(row.counts):
            return QBrush(QColor(figure.status.colour))
        return None
