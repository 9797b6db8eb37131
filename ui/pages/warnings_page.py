"""Cảnh báo hạn: every obligation overdue or due soon on the day, most urgent first."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.models import UnitKind
from app.services.dashboard import WarningCounts, count_warnings, save_warning_days, warnings
from app.services.directives import DirectiveInfo, list_directives
from app.services.obligations import ObligationRow
from app.services.units import UnitInfo, list_units
from app.settings import Settings
from app.status import STATUS_COLOURS, Status
from ui.models.warnings_model import WarningsModel
from ui.models.warnings_proxy_model import WarningsProxyModel
from ui.tasks import run_in_background, window_closed

if TYPE_CHECKING:
    from ui.main_window import MainWindow


@dataclass(frozen=True)
class _Loaded:
    day: dt.date
    rows: list[ObligationRow]
    directives: list[DirectiveInfo]
    units: list[UnitInfo]
    window_days: int


class WarningsPage(QWidget):
    """Emits ``countChanged`` (overdue + due soon, shown in the tab title) and
    ``openObligationRequested`` on a double-click or Enter."""

    countChanged = Signal(int)
    openObligationRequested = Signal(int)

    def __init__(self, window: MainWindow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.main_window = window
        self.db = window.db
        self.day: dt.date | None = None
        self.counts = WarningCounts(0, 0)
        self.window_days = Settings().warning_days
        self._generation = 0
        self._build_ui()
        self._connect_signals()
        self.refresh()

    # --- building -------------------------------------------------------------------------
    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        # A row for the page's actions (export, print… are added here by other modules).
        self.toolbar_layout = QHBoxLayout()
        self.summary_label = QLabel(self)
        self.summary_label.setTextFormat(Qt.TextFormat.RichText)
        self.toolbar_layout.addWidget(self.summary_label, 1)
        self.reminder_button = QPushButton("In / Xuất PDF công văn đôn đốc…", self)
        self.reminder_button.setToolTip("Công văn đôn đốc cho văn bản đang lọc (chọn văn bản ở ô "
                                        "\"Văn bản\" để đôn đốc riêng văn bản đó)")
        self.export_button = QPushButton("Xuất Excel (Ctrl+E)", self)
        self.export_button.setToolTip("Lưu danh sách cảnh báo đang hiển thị (đúng bộ lọc, thứ "
                                      "tự) ra tệp Excel")
        self.toolbar_layout.addWidget(self.reminder_button)
        self.toolbar_layout.addWidget(self.export_button)
        layout.addLayout(self.toolbar_layout)

        filters = QHBoxLayout()
        filters.addWidget(QLabel("Văn bản:"))
        self.directive_combo = QComboBox(self)
        self.directive_combo.addItem("Tất cả", None)
        filters.addWidget(self.directive_combo)
        filters.addWidget(QLabel("Loại đơn vị:"))
        self.kind_combo = QComboBox(self)
        self.kind_combo.addItem("Tất cả", None)
        for kind in UnitKind:
            self.kind_combo.addItem(kind.label, kind.value)
        filters.addWidget(self.kind_combo)
        filters.addWidget(QLabel("Đơn vị:"))
        self.unit_combo = QComboBox(self)
        self.unit_combo.addItem("Tất cả", None)
        self.unit_combo.setMinimumContentsLength(22)
        self.unit_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        filters.addWidget(self.unit_combo)
        self.search_edit = QLineEdit(self)
        self.search_edit.setPlaceholderText("Tìm (không cần dấu)…")
        self.search_edit.setClearButtonEnabled(True)
        filters.addWidget(self.search_edit, 1)
        filters.addWidget(QLabel("Cảnh báo trước:"))
        self.window_spin = QSpinBox(self)
        self.window_spin.setRange(0, 90)
        self.window_spin.setSuffix(" ngày")
        self.window_spin.setValue(Settings().warning_days)
        self.window_spin.setToolTip("Nghĩa vụ chưa nộp có hạn trong số ngày này được cảnh báo "
                                    "“Sắp đến hạn”. Lưu vào cài đặt khi rời ô hoặc nhấn Enter.")
        filters.addWidget(self.window_spin)
        layout.addLayout(filters)

        self.model = WarningsModel(self)
        self.proxy = WarningsProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.view = QTableView(self)
        self.view.setModel(self.proxy)
        # Fit the columns on a sample of rows: Qt's default (1,000 rows) cost ~0.4 s at M.
        self.view.horizontalHeader().setResizeContentsPrecision(200)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # keep the urgency order
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.view.verticalHeader().setVisible(False)
        self.view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        layout.addWidget(self.view, 1)

        bottom = QHBoxLayout()
        for status in (Status.OVERDUE, Status.DUE_SOON):
            chip = QLabel(status.label)
            chip.setStyleSheet(f"background: {STATUS_COLOURS[status]}; padding: 2px 6px; "
                               "border: 1px solid #7a8593;")
            bottom.addWidget(chip)
        self.shown_label = QLabel(self)
        bottom.addWidget(self.shown_label, 1)
        bottom.addWidget(QLabel("Nhấp đúp một dòng để mở nghĩa vụ."))
        layout.addLayout(bottom)

    def _connect_signals(self) -> None:
        self.directive_combo.currentIndexChanged.connect(self._on_filter_changed)
        self.kind_combo.currentIndexChanged.connect(self._on_filter_changed)
        self.unit_combo.currentIndexChanged.connect(self._on_filter_changed)
        self.search_edit.textChanged.connect(self._on_search_edit_text_changed)
        self.window_spin.editingFinished.connect(self._on_window_spin_editing_finished)
        self.view.activated.connect(self._on_view_activated)
        self.export_button.clicked.connect(lambda: self.export_excel())
        self.reminder_button.clicked.connect(self._on_reminder_button_clicked)
        self.proxy.rowsInserted.connect(self._update_shown)
        self.proxy.rowsRemoved.connect(self._update_shown)
        self.proxy.modelReset.connect(self._update_shown)
        self.proxy.layoutChanged.connect(self._update_shown)

    # --- data -----------------------------------------------------------------------------
    def refresh(self) -> None:
        if window_closed(self):
            return  # its window was closed: nothing is loaded any more
        day = self.main_window.as_of
        self._generation += 1
        generation = self._generation
        db = self.db

        def load() -> _Loaded:
            from app.services.dashboard import warning_days

            days = warning_days(db)
            return _Loaded(day, warnings(db, day, window_days=days), list_directives(db),
                           list_units(db), days)

        run_in_background(load, lambda result: self._on_loaded(generation, result), owner=self)

    def _on_loaded(self, generation: int, loaded: _Loaded) -> None:
        if generation != self._generation:  # a newer day was asked meanwhile
            return
        self.day = loaded.day
        self._fill_combo(self.directive_combo,
                         [(d.number_symbol, d.id) for d in loaded.directives])
        self._fill_combo(self.unit_combo, [(u.name, u.id) for u in loaded.units])
        self.window_days = loaded.window_days
        if not self.window_spin.hasFocus():
            self.window_spin.setValue(loaded.window_days)
        self.model.set_rows(loaded.rows)
        self.view.resizeColumnsToContents()
        self.view.setColumnWidth(3, min(self.view.columnWidth(3) + 12, 300))  # unit
        self.counts = count_warnings(loaded.rows)
        self.summary_label.setText(
            f"Ngày <b>{loaded.day:%d/%m/%Y}</b>: <b style='color:#b00020'>"
            f"{self.counts.overdue} quá hạn</b>, <b style='color:#8a6100'>"
            f"{self.counts.due_soon} sắp đến hạn</b> (trong {loaded.window_days} ngày tới).")
        self.countChanged.emit(self.counts.total)
        show_status = getattr(self.main_window, "show_status", None)
        if show_status is not None:
            show_status(f"Ngày {loaded.day:%d/%m/%Y}: {self.counts.describe()}")
        self._update_shown()

    @staticmethod
    def _fill_combo(combo: QComboBox, items: list[tuple[str, Any]]) -> None:
        current = combo.currentData()
        wanted = [("Tất cả", None), *items]
        if [(combo.itemText(i), combo.itemData(i)) for i in range(combo.count())] == wanted:
            return
        combo.blockSignals(True)
        combo.clear()
        for text, data in wanted:
            combo.addItem(text, data)
        combo.setCurrentIndex(max(combo.findData(current), 0))
        combo.blockSignals(False)

    def _update_shown(self, *_args: object) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        self.shown_label.setText(f"Đang hiện {shown}/{total} dòng." if shown != total
                                 else f"{total} dòng.")

    def visible_rows(self) -> list[ObligationRow]:
        return [self.model.row_at(self.proxy.mapToSource(self.proxy.index(i, 0)).row())
                for i in range(self.proxy.rowCount())]

    def export_title(self) -> str:
        parts = ["Cảnh báo hạn"]
        for combo in (self.directive_combo, self.kind_combo, self.unit_combo):
            if combo.currentData() is not None:
                parts.append(combo.currentText())
        day = self.day or self.main_window.as_of
        parts.append(f"tính đến {day:%d/%m/%Y}")
        return " — ".join(parts)

    def export_excel(self, path: Path | None = None) -> None:
        """The warnings as shown (filters, search, order) to an .xlsx file."""
        from ui.widgets.export_button import export_view

        export_view(self, self.view, self.export_title(), "Cảnh báo hạn", path=path)

    # --- slots ----------------------------------------------------------------------------
    def _on_reminder_button_clicked(self) -> None:
        open_dialog = getattr(self.main_window, "open_document_dialog", None)
        if open_dialog is not None:
            open_dialog("reminder", directive_id=self.directive_combo.currentData())

    def _on_filter_changed(self, _index: int) -> None:
        self.proxy.set_filters(directive_id=self.directive_combo.currentData(),
                               unit_kind=self.kind_combo.currentData(),
                               unit_id=self.unit_combo.currentData())

    def _on_search_edit_text_changed(self, text: str) -> None:
        self.proxy.set_search(text)

    def _on_window_spin_editing_finished(self) -> None:
        from ui.dialogs.messages import show_error

        value = self.window_spin.value()
        if value == self.window_days:
            return
        try:
            self.window_days = save_warning_days(self.db, value)
        except Exception as exc:  # shown to the user, never lost
            show_error(self, exc)
            return
        refresh_all = getattr(self.main_window, "refresh_all", None)
        if refresh_all is not None:
            refresh_all()
        else:
            self.refresh()

    def _on_view_activated(self, index: QModelIndex) -> None:
        obligation_id = index.data(Qt.ItemDataRole.UserRole)
        if obligation_id is not None:
            self.openObligationRequested.emit(int(obligation_id))
