"""A table model over a list of plain rows and a tuple of column definitions.

The row id is under ``Qt.UserRole``; a colour under ``BackgroundRole`` always comes with a text
label in the same cell. ``SORT_ROLE`` gives a Vietnamese sort key, ``SEARCH_ROLE`` the
accent-free text of the whole row (used by :class:`ui.models.search_proxy.SearchProxy`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from app.dates import fmt
from app.text import number_text, search_key, sort_key
from ui.models.sort_keys import date_key

R = TypeVar("R")
ID_ROLE = Qt.ItemDataRole.UserRole
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
SEARCH_ROLE = Qt.ItemDataRole.UserRole + 2
ROW_ROLE = Qt.ItemDataRole.UserRole + 3

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column(Generic[R]):
    """One column: its header, its text, and optionally how it sorts, its colour, tooltip."""

    key: str
    header: str
    text: Callable[[R], str]
    sort: Callable[[R], Any] | None = None  # default: Vietnamese order of the text
    colour: Callable[[R], str | None] | None = None
    tooltip: Callable[[R], str] | None = None
    width: int = 120
    align_right: bool = False
    badge: bool = False  # painted by StatusBadgeDelegate


def date_column(key: str, header: str, day: Callable[[R], dt.date | None]) -> Column[R]:
    """A date as the user reads it (dd/mm/yyyy), sorted by the date, empty ones last."""
    return Column(key, header, lambda r: fmt(day(r)), sort=lambda r: date_key(day(r)), width=90)


def count_column(key: str, header: str, count: Callable[[R], int], width: int) -> Column[R]:
    """A whole number as the user reads it (10.100), right-aligned, sorted by its value."""
    return Column(
        key, header, lambda r: number_text(count(r)), sort=count, width=width, align_right=True
    )


class RowTableModel(QAbstractTableModel, Generic[R]):
    columns: tuple[Column[R], ...] = ()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[R] = []
        self._search: list[str] = []
        self._sort_cache: dict[int, list[Any]] = {}

    # --- content ---------------------------------------------------------------------------
    def row_id(self, row: R) -> int:
        return int(row.id)  # type: ignore[attr-defined]

    def set_rows(self, rows: Sequence[R]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._sort_cache = {}
        self._search = [search_key(" ".join(c.text(r) for c in self.columns)) for r in self._rows]
        self.endResetModel()

    def rows(self) -> list[R]:
        return list(self._rows)

    def row_at(self, row: int) -> R:
        return self._rows[row]

    def row_of_id(self, row_id: int) -> int:
        for i, r in enumerate(self._rows):
            if self.row_id(r) == row_id:
                return i
        return -1

    def sort_value(self, row: int, column: int) -> Any:
        """The sort key of a cell (computed once per column after each set_rows)."""
        keys = self._sort_cache.get(column)
        if keys is None:
            col = self.columns[column]
            keys = [col.sort(r) if col.sort else sort_key(col.text(r)) for r in self._rows]
            self._sort_cache[column] = keys
        return keys[row]

    def search_text(self, row: int) -> str:
        return self._search[row]

    def column_index(self, key: str) -> int:
        for i, c in enumerate(self.columns):
            if c.key == key:
                return i
        raise KeyError(key)

    # --- Qt --------------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.columns):
            if role == Qt.ItemDataRole.DisplayRole:
                return self.columns[section].header
            if role == Qt.ItemDataRole.ToolTipRole:
                return self.columns[section].header
        elif orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return str(section + 1)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        if not 0 <= index.column() < len(self.columns):
            return None
        row = self._rows[index.row()]
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(row)
        if role == Qt.ItemDataRole.ToolTipRole:
            text = column.tooltip(row) if column.tooltip else column.text(row)
            return text or None
        if role == Qt.ItemDataRole.BackgroundRole:
            if column.colour is None:
                return None
            colour = column.colour(row)
            return QColor(colour) if colour else None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column.align_right:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return None
        if role == ID_ROLE:
            return self.row_id(row)
        if role == SORT_ROLE:
            return self.sort_value(index.row(), index.column())
        if role == SEARCH_ROLE:
            return self._search[index.row()]
        if role == ROW_ROLE:
            return row
        return None
