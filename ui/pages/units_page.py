"""Đơn vị: the units followed, by kind; add, edit, deactivate, reorder, record a merger."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
)

from app.changes import Change
from app.dates import as_of_caption
from app.models import UnitKind
from app.services import units
from app.services.units import UnitInfo
from ui.dialogs.history_dialog import HistoryDialog
from ui.dialogs.merge_dialog import MergeDialog
from ui.dialogs.unit_dialog import UnitDialog
from ui.models.units_model import UnitsModel
from ui.operations import run_operation
from ui.pages.base import Confirm, Page
from ui.tasks import window_closed
from ui.widgets.data_table import DataTable
from ui.widgets.export_button import export_view
from ui.widgets.flow_layout import FlowLayout
from ui.widgets.notice_bar import NoticeBar
from ui.widgets.search_box import SearchBox, link_search

if TYPE_CHECKING:
    from ui.main_window import MainWindow


class UnitsPage(Page):
    concerns = Change.UNITS

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window, window)
        self.model = UnitsModel(self)
        self._build_ui()
        self._connect_signals()
        self.refresh()

    # --- building --------------------------------------------------------------------------
    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        bar = FlowLayout()  # wraps on a narrow window
        self.kind_combo = QComboBox(self)
        self.kind_combo.addItem("Mọi loại đơn vị", None)
        for kind in UnitKind:
            self.kind_combo.addItem(kind.label, kind.value)
        self.inactive_check = QCheckBox("Hiện cả đơn vị ngừng theo dõi", self)
        self.inactive_check.setChecked(True)
        self.search_box = SearchBox(self)
        bar.addWidget(QLabel("Loại:", self))
        bar.addWidget(self.kind_combo)
        bar.addWidget(self.inactive_check)
        bar.addStretch(1)
        bar.addWidget(self.search_box)
        layout.addLayout(bar)

        buttons = FlowLayout()
        self.add_button = QPushButton("Thêm đơn vị (Ctrl+N)", self)
        self.edit_button = QPushButton("Sửa (F2)", self)
        self.active_button = QPushButton("Ngừng theo dõi", self)
        self.merge_button = QPushButton("Ghi nhận sáp nhập…", self)
        self.up_button = QPushButton("▲ Lên", self)
        self.down_button = QPushButton("▼ Xuống", self)
        self.delete_button = QPushButton("Xoá (Del)", self)
        self.history_button = QPushButton("Lịch sử", self)
        self.sheet_button = QPushButton("Phiếu theo dõi…", self)
        self.sheet_button.setToolTip("In / xuất PDF phiếu theo dõi của đơn vị đang chọn")
        self.remind_button = QPushButton("Đôn đốc đơn vị…", self)
        self.remind_button.setToolTip(
            "Công văn đôn đốc gửi đơn vị đang chọn: mọi việc còn quá hạn theo mọi văn bản chỉ đạo"
        )
        self.issued_button = QPushButton("Văn bản đã gửi…", self)
        self.issued_button.setToolTip(
            "Các văn bản đã phát hành về đơn vị này hoặc gửi tới đơn vị này (các lần đôn đốc)"
        )
        self.export_button = QPushButton("Xuất Excel (Ctrl+E)", self)
        self.export_button.setToolTip("Lưu danh sách đang hiển thị (đúng bộ lọc, thứ tự) ra Excel")
        # The buttons that act on the unit chosen (enabled only with one).
        self._unit_buttons = (
            self.edit_button,
            self.active_button,
            self.merge_button,
            self.up_button,
            self.down_button,
            self.delete_button,
            self.history_button,
        )
        for b in (self.add_button, *self._unit_buttons):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.sheet_button)
        buttons.addWidget(self.remind_button)
        buttons.addWidget(self.issued_button)
        buttons.addWidget(self.export_button)
        layout.addLayout(buttons)
        self.up_button.setToolTip("Đưa đơn vị lên trên trong loại của nó (Ctrl+↑)")
        self.down_button.setToolTip("Đưa đơn vị xuống dưới trong loại của nó (Ctrl+↓)")
        self.up_button.setShortcut("Ctrl+Up")
        self.down_button.setShortcut("Ctrl+Down")
        self.delete_button.setToolTip(
            "Chỉ xoá được đơn vị nhập nhầm, chưa có lịch sử theo dõi. Đơn vị đã có lịch sử: "
            'dùng "Ngừng theo dõi" hoặc "Ghi nhận sáp nhập".'
        )

        self.notice = NoticeBar(self)
        layout.addWidget(self.notice)
        self.table = DataTable(self.model, "units", self)
        layout.addWidget(self.table, 1)
        self.count_label = QLabel(self)
        layout.addWidget(self.count_label)

    def _connect_signals(self) -> None:
        link_search(self.search_box, self.table)  # Esc clears; ↓/Enter go to the list
        self.search_box.searchChanged.connect(self._on_search_box_search_changed)
        self.kind_combo.currentIndexChanged.connect(lambda _i: self._apply_filters())
        self.inactive_check.toggled.connect(lambda _c: self._apply_filters())
        self.add_button.clicked.connect(self.new_item)
        self.edit_button.clicked.connect(self.edit_item)
        self.active_button.clicked.connect(self._on_active_button_clicked)
        self.merge_button.clicked.connect(self._on_merge_button_clicked)
        self.up_button.clicked.connect(lambda: self.move_current(-1))
        self.down_button.clicked.connect(lambda: self.move_current(+1))
        self.delete_button.clicked.connect(self.delete_item)
        self.history_button.clicked.connect(self.show_history)
        self.sheet_button.clicked.connect(self._on_sheet_button_clicked)
        self.remind_button.clicked.connect(self._on_remind_button_clicked)
        self.issued_button.clicked.connect(self._on_issued_button_clicked)
        self.export_button.clicked.connect(lambda: self.export_excel())
        self.table.rowActivated.connect(lambda _id: self.edit_item())
        self.table.currentIdChanged.connect(lambda _id: self._update_buttons())

    # --- data ------------------------------------------------------------------------------
    def refresh(self) -> None:
        if window_closed(self):
            return  # its window was closed: nothing is loaded any more
        run_operation(self, lambda: units.list_units(self.db), done=self._on_loaded)

    def _on_loaded(self, rows: list[UnitInfo]) -> None:
        self.table.set_rows(rows)
        self._apply_filters()
        self.set_loaded()

    def _apply_filters(self) -> None:
        kind = self.kind_combo.currentData()
        show_inactive = self.inactive_check.isChecked()

        def accept(u: UnitInfo) -> bool:
            return (kind is None or u.kind.value == kind) and (show_inactive or u.active)

        self.table.proxy.set_row_filter(accept)
        shown = self.table.proxy.rowCount()
        total = self.model.rowCount()
        active = sum(1 for u in self.model.rows() if u.active)
        self.count_label.setText(f"Hiện {shown}/{total} đơn vị; {active} đang theo dõi.")
        self._update_buttons()

    def _on_search_box_search_changed(self, text: str) -> None:
        self.table.proxy.set_search(text)
        self._apply_filters()

    def current(self) -> UnitInfo | None:
        return self.table.current_row()

    def _update_buttons(self) -> None:
        unit = self.current()
        has = unit is not None
        for b in (*self._unit_buttons, self.sheet_button, self.remind_button, self.issued_button):
            b.setEnabled(has)
        if unit is not None:
            self.active_button.setText("Theo dõi lại" if not unit.active else "Ngừng theo dõi")

    # --- actions (also called by the window's menu) ----------------------------------------
    def focus_search(self) -> None:
        self.search_box.setFocus()
        self.search_box.selectAll()

    def new_item(self) -> None:
        kind = self.kind_combo.currentData()
        dialog = UnitDialog(self.db, None, self, kind=UnitKind(kind) if kind else None)
        if self.exec_form(dialog) and dialog.saved is not None:
            self.refresh()
            self.table.select_id(dialog.saved.id)
            self.notice.show_notice(f"Đã thêm đơn vị {dialog.saved.name}.")

    def edit_item(self) -> None:
        unit = self.current()
        if unit is None:
            return
        dialog = UnitDialog(self.db, unit, self)
        if self.exec_form(dialog) and dialog.saved is not None:
            self.refresh()
            self.notice.show_notice(f"Đã lưu đơn vị {dialog.saved.name}.")

    def delete_item(self) -> None:
        unit = self.current()
        if unit is None:
            return

        def done(_none: None) -> None:
            self.refresh()
            self.notice.show_notice(f"Đã xoá đơn vị {unit.name}.")

        self.operate(
            lambda: units.delete_unit(self.db, unit.id),
            confirm=Confirm(
                "Xoá đơn vị",
                f'Xoá hẳn đơn vị "{unit.name}"?\n\nChỉ '
                "xoá được đơn vị nhập nhầm, chưa có lịch sử theo dõi.",
                yes="Xoá",
            ),
            error_title="Không xoá được đơn vị",
            done=done,
        )

    def show_history(self) -> None:
        unit = self.current()
        if unit is not None:
            HistoryDialog(self.db, "unit", unit.id, unit.name, self).exec()

    def _on_active_button_clicked(self) -> None:
        unit = self.current()
        if unit is None:
            return
        question = Confirm(
            "Ngừng theo dõi",
            f'Ngừng theo dõi "{unit.name}"? Lịch sử của đơn vị được giữ '
            "nguyên; có thể theo dõi lại bất cứ lúc nào.",
            yes="Ngừng theo dõi",
        )

        def done(saved: UnitInfo) -> None:
            self.refresh()
            self.notice.show_notice(
                ("Đang theo dõi lại " if saved.active else "Đã ngừng theo dõi ") + saved.name + "."
            )

        self.operate(
            lambda: units.set_active(self.db, unit.id, not unit.active),
            confirm=question if unit.active else None,
            done=done,
        )

    def _on_merge_button_clicked(self) -> None:
        unit = self.current()
        if unit is None:
            return
        dialog = MergeDialog(self.db, unit, self.model.rows(), self)
        if self.exec_form(dialog) and dialog.saved is not None:
            self.refresh()
            self.notice.show_notice(
                f"Đã ghi nhận {dialog.saved.name} sáp nhập vào {dialog.saved.successor_name}."
            )

    def move_current(self, step: int) -> None:
        """Move the selected unit up or down among the units of its kind."""
        unit = self.current()
        if unit is None:
            return

        def done(moved: bool) -> None:
            if moved:
                order_column = self.model.column_index("order")
                self.table.sortByColumn(order_column, Qt.SortOrder.AscendingOrder)
                self.refresh()
                self.table.select_id(unit.id)

        self.operate(lambda: units.move_unit(self.db, unit.id, step), done=done)

    def export_title(self) -> str:
        kind = self.kind_combo.currentData()
        what = f"Danh sách đơn vị — {UnitKind(kind).label}" if kind else "Danh sách đơn vị"
        return f"{what} — {as_of_caption(self.main_window.as_of, short=True)}"

    def export_excel(self, path: Path | None = None) -> None:
        """The units list as shown (filter, search, order) to an .xlsx file."""
        export_view(self, self.table, self.export_title(), "Danh sách đơn vị", path=path)

    def _on_sheet_button_clicked(self) -> None:
        unit = self.current()
        if unit is not None:
            self.main_window.open_document_dialog("unit-sheet", unit_id=unit.id)

    def _on_remind_button_clicked(self) -> None:
        unit = self.current()
        if unit is not None:
            self.main_window.open_document_dialog("unit-reminder", unit_id=unit.id)

    def _on_issued_button_clicked(self) -> None:
        from ui.print_actions import open_issued_documents

        unit = self.current()
        if unit is not None:
            open_issued_documents(self.main_window, unit_id=unit.id)

    def save_state(self) -> None:
        self.table.save_state()
