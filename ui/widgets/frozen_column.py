"""The first column of a wide table stays in place when the table is scrolled sideways (the unit
names of the completeness matrix and of the lists), as Excel's "Freeze first column". The header
row already stays in place when scrolling down.

A second table view laid over the first column shows the same model with the same selection;
its scrolling, row heights, column width, sort order and clicks follow the table under it
(the Qt "Frozen Column" example).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractItemView, QFrame, QHeaderView, QTableView


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
        self.setStyleSheet("QTableView#frozenColumn { border-right: 1px solid #9aa5b1; }")
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
            lambda col, order: self.horizontalHeader().setSortIndicator(col, order))
        view.horizontalHeader().geometriesChanged.connect(self._update_geometry)
        view.verticalHeader().sectionResized.connect(
            lambda row, _old, new: self.setRowHeight(row, new))
        view.verticalScrollBar().valueChanged.connect(self.verticalScrollBar().setValue)
        self.verticalScrollBar().valueChanged.connect(view.verticalScrollBar().setValue)
        self.horizontalHeader().sectionClicked.connect(self._on_header_section_clicked)
        self.clicked.connect(view.clicked)
        self.doubleClicked.connect(view.doubleClicked)
        self.activated.connect(view.activated)
        model = view.model()
        for signal in (model.modelReset, model.layoutChanged, model.columnsInserted,
                       model.columnsRemoved, model.headerDataChanged):
            signal.connect(lambda *_a: self._update_columns())
        view.installEventFilter(self)

    # --- following the view ----------------------------------------------------------------
    def frozen_column(self) -> int:
        """The logical column shown first in the view (the one kept in place)."""
        return self.view.horizontalHeader().logicalIndex(0)

    def _update_columns(self) -> None:
        model = self.view.model()
        if model is None:
            return
        keep = self.frozen_column()
        for column in range(model.columnCount()):
            self.setColumnHidden(column, column != keep)
        if keep >= 0:
            self.setColumnWidth(keep, self.view.columnWidth(keep))
            delegate = self.view.itemDelegateForColumn(keep)
            if delegate is not None:
                self.setItemDelegateForColumn(keep, delegate)
        header = self.view.horizontalHeader()
        if header.isSortIndicatorShown():
            self.horizontalHeader().setSortIndicator(header.sortIndicatorSection(),
                                                     header.sortIndicatorOrder())
        self._update_geometry()

    def _on_view_section_resized(self, column: int, _old: int, new: int) -> None:
        if column == self.frozen_column():
            self.setColumnWidth(column, new)
            self._update_geometry()

    def _update_geometry(self) -> None:
        view = self.view
        keep = self.frozen_column()
        width = view.columnWidth(keep) if keep >= 0 else 0
        # hidden while nothing is scrolled away: then the view shows the column itself
        self.setVisible(keep >= 0 and view.horizontalScrollBar().value() > 0
                        and not view.isColumnHidden(keep))
        self.setGeometry(view.verticalHeader().width() + view.frameWidth(), view.frameWidth(),
                         width, view.viewport().height() + view.horizontalHeader().height())
        self.verticalScrollBar().setValue(view.verticalScrollBar().value())

    def _on_header_section_clicked(self, column: int) -> None:
        """Sort the table as a click on the view's own header would."""
        header = self.view.horizontalHeader()
        if not self.view.isSortingEnabled():
            return
        order = Qt.SortOrder.AscendingOrder
        if header.sortIndicatorSection() == column:
            order = (Qt.SortOrder.DescendingOrder
                     if header.sortIndicatorOrder() == Qt.SortOrder.AscendingOrder
                     else Qt.SortOrder.AscendingOrder)
        header.setSortIndicator(column, order)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.view and event.type() == QEvent.Type.Resize:
            self._update_geometry()
        return False


def freeze_first_column(view: QTableView) -> FrozenColumn:
    """Keep ``view``'s first column in place when it is scrolled sideways."""
    frozen = FrozenColumn(view)
    view.horizontalScrollBar().valueChanged.connect(lambda _v: frozen._update_geometry())
    return frozen
