"""Add or edit a unit (đơn vị)."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QPlainTextEdit, QWidget

from app.db import Database
from app.models import UnitKind
from app.services import checks, units
from app.services.units import UnitInfo, UnitInput
from ui.dialogs.form_dialog import FormDialog
from ui.widgets.date_field import DateField, read_dates_lenient


class UnitDialog(FormDialog):
    def __init__(
        self,
        db: Database,
        unit: UnitInfo | None = None,
        parent: QWidget | None = None,
        *,
        kind: UnitKind | None = None,
    ) -> None:
        super().__init__(parent, "Sửa đơn vị" if unit else "Thêm đơn vị")
        self._db = db
        self._unit = unit
        self.saved: UnitInfo | None = None
        self._build_ui()
        self._load(unit, kind)

    def _build_ui(self) -> None:
        self.name_edit = QLineEdit(self)
        self.name_edit.setMaxLength(300)
        self.name_edit.setMinimumWidth(420)
        self.short_edit = QLineEdit(self)
        self.kind_combo = QComboBox(self)
        for kind in UnitKind:
            self.kind_combo.addItem(kind.label, kind.value)
        self.head_edit = QLineEdit(self)
        self.head_edit.setPlaceholderText("ví dụ: Giám đốc, Chủ tịch UBND")
        self.valid_from_edit = DateField(self, label="Ngày bắt đầu hiệu lực", field="valid_from")
        self.valid_to_edit = DateField(self, label="Ngày kết thúc hiệu lực", field="valid_to")
        self.address_edit = QLineEdit(self)
        self.phone_edit = QLineEdit(self)
        self.email_edit = QLineEdit(self)
        self.contact_edit = QLineEdit(self)
        self.note_edit = QPlainTextEdit(self)
        self.note_edit.setFixedHeight(70)
        self.active_check = QCheckBox("Đang theo dõi đơn vị này", self)
        self.add_field("name", "Tên đơn vị (*)", self.name_edit)
        self.add_field(
            "short_name",
            "Tên viết tắt",
            self.short_edit,
            hint='Dùng trong bảng và báo cáo, ví dụ "Bình Sơn".',
        )
        self.add_field("kind", "Loại đơn vị", self.kind_combo)
        self.add_field("head_title", "Chức danh thủ trưởng", self.head_edit)
        self.add_field("valid_from", "Hiệu lực từ ngày", self.valid_from_edit)
        self.add_field(
            "valid_to", "Hiệu lực đến ngày", self.valid_to_edit, hint="Để trống nếu đơn vị vẫn còn."
        )
        self.add_field("address", "Địa chỉ", self.address_edit)
        self.add_field("phone", "Điện thoại", self.phone_edit)
        self.add_field("email", "Thư điện tử", self.email_edit)
        self.add_field("contact_person", "Người liên hệ", self.contact_edit)
        self.add_field("note", "Ghi chú", self.note_edit)
        self.add_field("active", "", self.active_check)
        self.finish_tab_order()

    def _load(self, unit: UnitInfo | None, kind: UnitKind | None) -> None:
        if unit is None:
            self.active_check.setChecked(True)
            if kind is not None:
                self.kind_combo.setCurrentIndex(self.kind_combo.findData(kind.value))
            return
        self.name_edit.setText(unit.name)
        self.short_edit.setText(unit.short_name)
        self.kind_combo.setCurrentIndex(self.kind_combo.findData(unit.kind.value))
        self.head_edit.setText(unit.head_title)
        self.valid_from_edit.set_value(unit.valid_from)
        self.valid_to_edit.set_value(unit.valid_to)
        self.address_edit.setText(unit.address)
        self.phone_edit.setText(unit.phone)
        self.email_edit.setText(unit.email)
        self.contact_edit.setText(unit.contact_person)
        self.note_edit.setPlainText(unit.note)
        self.active_check.setChecked(unit.active)

    def save(self) -> None:
        dates, read_errors = read_dates_lenient(
            {"valid_from": self.valid_from_edit, "valid_to": self.valid_to_edit}
        )
        data = UnitInput(
            name=self.name_edit.text(),
            short_name=self.short_edit.text(),
            kind=str(self.kind_combo.currentData()),
            sort_order=self._unit.sort_order if self._unit else None,
            head_title=self.head_edit.text(),
            address=self.address_edit.text(),
            phone=self.phone_edit.text(),
            email=self.email_edit.text(),
            contact_person=self.contact_edit.text(),
            note=self.note_edit.toPlainText(),
            active=self.active_check.isChecked(),
            valid_from=dates["valid_from"],
            valid_to=dates["valid_to"],
        )
        self.raise_all(read_errors, lambda: checks.check_unit(data))
        if self._unit is None:
            self.saved = units.create_unit(self._db, data)
        else:
            self.saved = units.update_unit(
                self._db,
                self._unit.id,
                data,
                expected_version=self.version_to_check(self._unit.version),
            )
