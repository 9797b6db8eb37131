"""Filtering (directive, unit kind, unit, accent-free search) and sorting of the warnings."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel

from app.text import search_key
from ui.models.warnings_model import SORT_ROLE, WarningsModel


class WarningsProxyModel(QSortFilterProxyModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._directive_id: int | None = None
        self._unit_kind: str | None = None
        self._unit_id: int | None = None
        self._words: list[str] = []
        self.setSortRole(SORT_ROLE)

    def set_filters(self, *, directive_id: int | None = None, unit_kind: str | None = None,
                    unit_id: int | None = None) -> None:
        self.beginFilterChange()
        self._directive_id, self._unit_kind, self._unit_id = directive_id, unit_kind, unit_id
        self.endFilterChange()

    def set_search(self, text: str) -> None:
        self.beginFilterChange()
        self._words = search_key(text).split()
        self.endFilterChange()

    def filterAcceptsRow(self, source_row: int,
                         source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        model = self.sourceModel()
        if not isinstance(model, WarningsModel):
            return True
        row = model.row_at(source_row)
        if self._directive_id is not None and row.directive_id != self._directive_id:
            return False
        if self._unit_kind is not None and row.unit_kind.value != self._unit_kind:
            return False
        if self._unit_id is not None and row.unit_id != self._unit_id:
            return False
        if self._words:
            haystack = search_key(f"{row.unit_name} {row.unit_short_name} {row.task_title} "
                                  f"{row.directive_symbol} {row.period_label}")
            return all(w in haystack for w in self._words)
        return True

    def lessThan(self, left: QModelIndex | QPersistentModelIndex,
                 right: QModelIndex | QPersistentModelIndex) -> bool:
        a = left.data(SORT_ROLE)
        b = right.data(SORT_ROLE)
        try:
            return bool(a < b)
        except TypeError:
            return str(a) < str(b)
