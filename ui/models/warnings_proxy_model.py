"""Filtering (directive, unit kind, unit, accent-free search) and sorting of the warnings."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel

from app.search import SearchIndex
from app.text import search_key
from ui.models.warnings_model import SORT_ROLE, WarningsModel


class WarningsProxyModel(QSortFilterProxyModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._directive_id: int | None = None
        self._unit_kind: str | None = None
        self._unit_id: int | None = None
        self._words: list[str] = []
        # Search-as-you-type: one accent-free key per row, computed once per load
        # (app.search.SearchIndex); a keystroke then tests a set instead of building and
        # normalising every row's text again (docs/performance.md).
        self._index: SearchIndex | None = None
        self._matching: set[int] | None = None
        self.setSortRole(SORT_ROLE)

    def setSourceModel(self, model: Any) -> None:
        old = self.sourceModel()
        if old is not None:
            old.modelAboutToBeReset.disconnect(self._forget_rows)
            old.rowsInserted.disconnect(self._forget_rows)
            old.rowsRemoved.disconnect(self._forget_rows)
            old.dataChanged.disconnect(self._forget_rows)
        super().setSourceModel(model)
        self._forget_rows()
        if model is not None:
            model.modelAboutToBeReset.connect(self._forget_rows)
            model.rowsInserted.connect(self._forget_rows)
            model.rowsRemoved.connect(self._forget_rows)
            model.dataChanged.connect(self._forget_rows)

    def _forget_rows(self, *_args: Any) -> None:
        self._index = None
        self._matching = None

    def _matching_rows(self, model: WarningsModel) -> set[int]:
        if self._matching is None:
            if self._index is None:
                self._index = SearchIndex.from_fields(
                    (r.unit_name, r.unit_short_name, r.task_title, r.directive_symbol,
                     r.period_label)
                    for r in (model.row_at(i) for i in range(model.rowCount())))
            self._matching = set(self._index.filter(" ".join(self._words)))
        return self._matching

    def set_filters(self, *, directive_id: int | None = None, unit_kind: str | None = None,
                    unit_id: int | None = None) -> None:
        self.beginFilterChange()
        self._directive_id, self._unit_kind, self._unit_id = directive_id, unit_kind, unit_id
        self.endFilterChange()

    def set_search(self, text: str) -> None:
        self.beginFilterChange()
        self._words = search_key(text).split()
        self._matching = None
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
            return source_row in self._matching_rows(model)
        return True

    def lessThan(self, left: QModelIndex | QPersistentModelIndex,
                 right: QModelIndex | QPersistentModelIndex) -> bool:
        a = left.data(SORT_ROLE)
        b = right.data(SORT_ROLE)
        try:
            return bool(a < b)
        except TypeError:
            return str(a) < str(b)
