"""Record that a unit merged into another (its successor) from a given day."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QCompleter, QWidget

from app.db import Database
from app.errors import ValidationError
from app.services import units
from app.services.units import UnitInfo
from ui.dialogs.form_dialog import FormDialog
from ui.widgets.date_field import DateField, read_dates


class MergeDialog(FormDialog):
    def __init__(
        self,
        db: Database,
        unit: UnitInfo,
        candidates: list[UnitInfo],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, "Ghi nhận sáp nhập đơn vị")
        self._db = db
        self._unit = unit
        self._candidates = [u for u in candidates if u.id != unit.id]
        self.saved: UnitInfo | None = None
        self._build_ui()

    def _build_ui(self) -> None:
        self.set_header(
            f"<b>{self._unit.name}</b> sáp nhập vào đơn vị khác. Từ ngày sáp nhập, đơn vị này "
            'ngừng được theo dõi; các nghĩa vụ đến hạn từ ngày đó được ghi "Không áp dụng". '
            "Lịch sử đã có được giữ nguyên."
        )
        self.successor_combo = QComboBox(self)
        self.successor_combo.setEditable(True)
        self.successor_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.successor_combo.setMinimumWidth(380)
        self.successor_combo.addItem("", None)
        for u in self._candidates:
            self.successor_combo.addItem(u.name, u.id)
        completer = self.successor_combo.completer()
        if completer is not None:
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.date_edit = DateField(self, label="Ngày sáp nhập", field="merged_on")
        self.add_field("successor", "Sáp nhập vào (*)", self.successor_combo)
        self.add_field(
            "merged_on",
            "Từ ngày (*)",
            self.date_edit,
            hint="Ngày đơn vị mới bắt đầu thay thế (theo quyết định sáp nhập).",
        )
        self.finish_tab_order()

    def save(self) -> None:
        errors: dict[str, str] = {}
        successor_id = self.successor_combo.currentData()
        text = self.successor_combo.currentText().strip()
        if text and (
            successor_id is None
            or self.successor_combo.itemText(self.successor_combo.currentIndex()) != text
        ):
            index = self.successor_combo.findText(text, Qt.MatchFlag.MatchFixedString)
            successor_id = self.successor_combo.itemData(index) if index >= 0 else None
        if successor_id is None:
            errors["successor"] = "Hãy chọn đơn vị tiếp nhận trong danh sách."
        try:
            merged_on = read_dates({"merged_on": self.date_edit})["merged_on"]
            if merged_on is None:
                errors["merged_on"] = "Chưa nhập ngày sáp nhập."
        except ValidationError as exc:
            errors.update(exc.errors)
            merged_on = None
        if errors:
            raise ValidationError(next(iter(errors.values())), errors=errors)
        assert merged_on is not None
        self.saved = units.record_merger(self._db, self._unit.id, int(successor_id), merged_on)
