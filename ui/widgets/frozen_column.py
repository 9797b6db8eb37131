"""The first columns of a wide table, up to the unit's name, stay in place when the table is
scrolled sideways (the completeness matrix, the lists), as Excel's "Freeze panes". The header row
already stays in place when scrolling down.

A second table view laid over those columns shows the same model with the same selection;
its scrolling, row heights, column widths, sort order and clicks follow the table under it
(the Qt "Frozen Column" example). It is made the first time the table is scrolled sideways:
a table that never is (most, on a wide screen) pays nothing for it.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractItemView, QFrame, QHeaderView, QTableView

from ui import style

UNIT_TITLES = ("Đơn vị", "Tên đơn vị")


class FrozenColumn(QTableView):
    def __init__(self, view: QTableView) -> None:
        super().__init__(view)
        self.view = view
        self.setObjectName("frozenColumn")
        self.setModel(view.model())
        self.setSelectionModel(view.selectionModel())
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setVerticalScrollMode(view.verticalScrollMode())
        self.setSelectionBehavior(view.selectionBehavior())
        self.setSelectionMode(view.selectionMode())
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(view.alternatingRowColors())
        self.setWordWrap(view.wordWrap())
        self.setTextElideMode(view.textElideMode())
        self.setShowGrid(view.showGrid())
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setDefaultSectionSize(view.verticalHeader().defaultSectionSize())
        header = self.horizontalHeader()
        header.setDefaultAlignment(view.horizontalHeader().defaultAlignment())
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(view.horizontalHeader().isSortIndicatorShown())
        header.setHighlightSections(False)
        self.setStyleSheet(
            f"QTableView#frozenColumn {{ border-right: 1px solid {style.FROZEN_EDGE}; }}"
        )
        view.viewport().stackUnder(self)
        self._connect_signals()
        self._update_columns()
        self._update_geometry()
        self.show()

    def _connect_signals(self) -> None:
        view = self.view
        view.horizontalHeader().sectionResized.connect(self._on_view_section_resized)
        view.horizontalHeader().sectionMoved.connect(lambda *_a: self._update_columns())
        view.horizontalHeader().sortIndicatorChanged.connect(
            lambda col, order: self.horizontalHeader().setSortIndicator(col, order)
        )
        view.horizontalHeader().geometriesChanged.connect(self._update_geometry)
        view.verticalHeader().sectionResized.connect(
            lambda row, _old, new: self.setRowHeight(row, new)
        )
        view.verticalScrollBar().valueChanged.connect(self.verticalScrollBar().setValue)
        self.verticalScrollBar().valueChanged.connect(view.verticalScrollBar().setValue)
        self.horizontalHeader().sectionClicked.connect(self._on_header_section_clicked)
        self.clicked.connect(view.clicked)
        self.doubleClicked.connect(view.doubleClicked)
        self.activated.connect(view.activated)
        model = view.model()
        for signal in (
            model.modelReset,
            model.layoutChanged,
            model.columnsInserted,
            model.columnsRemoved,
            model.headerDataChanged,
        ):
            signal.connect(lambda *_a: self._update_columns())
        view.installEventFilter(self)

    # --- following the view ----------------------------------------------------------------
    def frozen_columns(self) -> list[int]:
        return frozen_columns(self.view)

    def frozen_width(self) -> int:
        return sum(self.view.columnWidth(c) for c in self.frozen_columns())

    def _update_columns(self) -> None:
        model = self.view.model()
        if model is None:
            return
        keep = self.frozen_columns()
        for column in range(model.columnCount()):
            self.setColumnHidden(column, column not in keep)
        header = self.horizontalHeader()
        for position, column in enumerate(keep):
            if header.visualIndex(column) != position:
                header.moveSection(header.visualIndex(column), position)
            self.setColumnWidth(column, self.view.columnWidth(column))
            delegate = self.view.itemDelegateForColumn(column)
            if delegate is not None:
                self.setItemDelegateForColumn(column, delegate)
        header = self.view.horizontalHeader()
        if header.isSortIndicatorShown():
            self.horizontalHeader().setSortIndicator(
                header.sortIndicatorSection(), header.sortIndicatorOrder()
            )
        self._update_geometry()

    def _on_view_section_resized(self, column: int, _old: int, new: int) -> None:
        if column in self.frozen_columns():
            self.setColumnWidth(column, new)
            self._update_geometry()

    def _update_geometry(self) -> None:
        view = self.view
        width = self.frozen_width()
        # hidden while nothing is scrolled away: then the view shows the columns itself
        self.setVisible(width > 0 and view.horizontalScrollBar().value() > 0)
        self.setGeometry(
            view.verticalHeader().width() + view.frameWidth(),
            view.frameWidth(),
            width,
            view.viewport().height() + view.horizontalHeader().height(),
        )
        self.verticalScrollBar().setValue(view.verticalScrollBar().value())

    def _on_header_section_clicked(self, column: int) -> None:
        """Sort the table as a click on the view's own header would."""
        header = self.view.horizontalHeader()
        if not self.view.isSortingEnabled():
            return
        order = Qt.SortOrder.AscendingOrder
        if header.sortIndicatorSection() == column:
            order = (
                Qt.SortOrder.DescendingOrder
                if header.sortIndicatorOrder() == Qt.SortOrder.AscendingOrder
                else Qt.SortOrder.AscendingOrder
            )
        header.setSortIndicator(column, order)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.view and event.type() == QEvent.Type.Resize:
            self._update_geometry()
        return False


def frozen_columns(view: QTableView) -> list[int]:
    """The logical columns kept in place, in the view's order: the first one, or, when the
    unit's name ("Đơn vị") is among the first four, every one up to it — unless they would
    take more than half of the table's width."""
    header = view.horizontalHeader()
    model = view.model()
    if model is None or header.count() == 0:
        return []
    first = [header.logicalIndex(v) for v in range(min(4, header.count()))]
    first = [c for c in first if not view.isColumnHidden(c)]
    for n, column in enumerate(first):
        title = str(model.headerData(column, Qt.Orientation.Horizontal) or "").strip()
        if title in UNIT_TITLES:
            kept = first[: n + 1]
            if sum(view.columnWidth(c) for c in kept) <= max(view.viewport().width() // 2, 300):
                return kept
            break
    return first[:1]


class FreezePanes(QObject):
    """Lays the :class:`FrozenColumn` over ``view`` when it is first scrolled sideways."""

    def __init__(self, view: QTableView) -> None:
        super().__init__(view)
        self.view = view
        self.overlay: FrozenColumn | None = None
        view.horizontalScrollBar().valueChanged.connect(self._on_scrolled)

    def frozen_columns(self) -> list[int]:
        return frozen_columns(self.view)

    def isVisible(self) -> bool:
        return self.overlay is not None and self.overlay.isVisible()

    def _on_scrolled(self, value: int) -> None:
        if self.overlay is None:
            if value <= 0:
                return
            self.overlay = FrozenColumn(self.view)
        self.overlay._update_geometry()


def freeze_first_column(view: QTableView) -> FreezePanes:
    """Keep ``view``'s first columns (up to the unit) in place when it is scrolled sideways."""
    return FreezePanes(view)
