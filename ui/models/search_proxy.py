"""Filter as you type (accent-insensitive, every word must appear somewhere in the row) and
sort any column in Vietnamese order."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel

from app.text import search_key
from ui.models.row_table_model import SORT_ROLE, RowTableModel

Index = QModelIndex | QPersistentModelIndex


class SearchProxy(QSortFilterProxyModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._words: list[str] = []
        self._row_filter: Callable[[Any], bool] | None = None
        self.setSortRole(SORT_ROLE)
        self.setDynamicSortFilter(True)

    def set_search(self, text: str) -> None:
        words = search_key(text).split()
        if words != self._words:
            self._refilter(lambda: setattr(self, "_words", words))

    def search(self) -> str:
        return " ".join(self._words)

    def set_row_filter(self, predicate: Callable[[Any], bool] | None) -> None:
        """An extra filter on the row objects (e.g. the unit kind chosen in a combo box)."""
        self._refilter(lambda: setattr(self, "_row_filter", predicate))

    def _refilter(self, change: Callable[[], None]) -> None:
        """Apply ``change`` to the filter and re-filter (the Qt 6.9+ way when available)."""
        if hasattr(self, "beginFilterChange"):
            self.beginFilterChange()
            change()
            self.endFilterChange()
        else:  # pragma: no cover - older Qt
            change()
            self.invalidateFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        model = self.sourceModel()
        if not isinstance(model, RowTableModel):
            return True
        if self._row_filter is not None and not self._row_filter(model.row_at(source_row)):
            return False
        if not self._words:
            return True
        text = model.search_text(source_row)
        return all(w in text for w in self._words)

    def lessThan(self, left: Index, right: Index) -> bool:
        model = self.sourceModel()
        if isinstance(model, RowTableModel):
            a = model.sort_value(left.row(), left.column())
            b = model.sort_value(right.row(), right.column())
        else:
            a = left.data(SORT_ROLE)
            b = right.data(SORT_ROLE)
        try:
            return bool(a < b)
        except TypeError:
            return str(a) < str(b)
