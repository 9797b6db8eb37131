"""Cài đặt: the agency that follows, the signer, the work rules, the printed page, backups."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.db import Database
from app.errors import ValidationError
from app.kinds import AUTHORITIES
from app.services.configuration import get_settings, update_settings
from app.services.obligations import SyncResult
from app.settings import Settings
from ui import style
from ui.dialogs.messages import show_info
from ui.dialogs.unsaved import AsksBeforeClosing
from ui.operations import run_operation, shown_by
from ui.screen_fit import FittingScrollArea
from ui.widgets.millimetre_spin_box import MillimetreSpinBox

# The text settings, each edited in a line edit of the same name.
TEXT_SETTINGS = (
    "parent_agency",
    "agency_name",
    "agency_abbreviation",
    "place_name",
    "drafting_unit",
    "signer_head_title",
    "signer_title",
    "signer_name",
    "user_name",
)
# Nghị định 30/2020/NĐ-CP, Phụ lục I: margins in mm.
MARGIN_RANGES = {
    "margin_top_mm": (20, 25, "Lề trên"),
    "margin_bottom_mm": (20, 25, "Lề dưới"),
    "margin_left_mm": (30, 35, "Lề trái"),
    "margin_right_mm": (15, 20, "Lề phải"),
}


class SettingsDialog(AsksBeforeClosing, QDialog):
    """Enter saves, Esc cancels (asking first when something was changed: Lưu / Không lưu /
    Quay lại); a bad value shows its message under its field."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self._errors: dict[str, QLabel] = {}
        self._build_ui()
        self._connect_signals()
        self._load(get_settings(db))

    # --- building -------------------------------------------------------------------------
    def _line(self, form: QFormLayout, key: str, label: str, tip: str = "") -> QLineEdit:
        edit = QLineEdit(self)
        edit.setMaxLength(255)
        if tip:
            edit.setPlaceholderText(tip)
        self._add_row(form, key, label, edit)
        return edit

    def _add_row(self, form: QFormLayout, key: str, label: str, widget: QWidget) -> None:
        box = QWidget(self)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(1)
        layout.addWidget(widget)
        error = QLabel(box)
        error.setStyleSheet(style.ERROR_STYLE)
        error.setWordWrap(True)
        error.hide()
        layout.addWidget(error)
        self._errors[key] = error
        form.addRow(label, box)

    def _build_ui(self) -> None:
        self.setWindowTitle("Cài đặt")
        self.setMinimumWidth(560)
        outer = QVBoxLayout(self)
        content = QWidget(self)
        layout = QVBoxLayout(content)
        layout.setContentsMargins(0, 0, 0, 0)

        agency = QGroupBox("Cơ quan theo dõi (in ở đầu văn bản)", self)
        form = QFormLayout(agency)
        self.parent_agency = self._line(
            form, "parent_agency", "Cơ quan chủ quản:", "Ủy ban nhân dân tỉnh Quảng Ngãi"
        )
        self.agency_name = self._line(form, "agency_name", "Tên cơ quan:", "Sở Nội vụ")
        self.agency_abbreviation = self._line(form, "agency_abbreviation", "Chữ viết tắt:", "SNV")
        self.place_name = self._line(form, "place_name", "Địa danh:", "Quảng Ngãi")
        self.drafting_unit = self._line(
            form, "drafting_unit", "Đơn vị soạn thảo:", 'viết tắt, ví dụ XDCQ (in ở "Lưu: VT, …")'
        )
        layout.addWidget(agency)

        signer = QGroupBox("Người ký (mặc định; đổi được khi in)", self)
        form = QFormLayout(signer)
        self.signer_authority = QComboBox(self)
        for value, text in AUTHORITIES:
            self.signer_authority.addItem(text, value)
        self._add_row(form, "signer_authority", "Thẩm quyền ký:", self.signer_authority)
        self.signer_head_title = self._line(
            form, "signer_head_title", "Chức vụ người đứng đầu:", "Giám đốc"
        )
        self.signer_title = self._line(form, "signer_title", "Chức vụ người ký:", "Phó Giám đốc")
        self.signer_name = self._line(form, "signer_name", "Họ và tên người ký:")
        layout.addWidget(signer)

        work = QGroupBox("Theo dõi", self)
        form = QFormLayout(work)
        self.warning_days = QSpinBox(self)
        self.warning_days.setRange(0, 90)
        self.warning_days.setSuffix(" ngày")
        self._add_row(form, "warning_days", "Cảnh báo sắp đến hạn trước:", self.warning_days)
        self.default_due_day = QSpinBox(self)
        self.default_due_day.setRange(1, 31)
        self.default_due_day.setPrefix("ngày ")
        self.default_due_day.setToolTip(
            "Hạn nộp báo cáo định kỳ mặc định: ngày này của tháng cuối kỳ (thường là ngày 20). "
            "Nhiệm vụ có hạn riêng không bị ảnh hưởng."
        )
        self._add_row(
            form, "default_due_day", "Hạn báo cáo định kỳ mặc định:", self.default_due_day
        )
        self.user_name = self._line(
            form,
            "user_name",
            "Tên người dùng (ghi vào lịch sử):",
            "để trống: tên đăng nhập Windows",
        )
        layout.addWidget(work)

        page = QGroupBox("Trang in (Nghị định 30/2020/NĐ-CP)", self)
        form = QFormLayout(page)
        self.margins: dict[str, MillimetreSpinBox] = {}
        for key, (low, high, label) in MARGIN_RANGES.items():
            spin = MillimetreSpinBox(self)
            spin.setRange(low, high)
            spin.setToolTip(f"Theo Nghị định 30/2020: từ {low} đến {high} mm.")
            self.margins[key] = spin
            self._add_row(form, key, f"{label} ({low}–{high} mm):", spin)
        layout.addWidget(page)

        backup = QGroupBox("Sao lưu tự động", self)
        form = QFormLayout(backup)
        self.backup_keep_daily = QSpinBox(self)
        self.backup_keep_daily.setRange(0, 3650)
        self._add_row(form, "backup_keep_daily", "Giữ bản sao hằng ngày:", self.backup_keep_daily)
        self.backup_keep_monthly = QSpinBox(self)
        self.backup_keep_monthly.setRange(0, 3650)
        self._add_row(
            form, "backup_keep_monthly", "Giữ bản sao hằng tháng:", self.backup_keep_monthly
        )
        layout.addWidget(backup)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText("Lưu")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Huỷ")
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setDefault(True)
        # the groups scroll on a short screen; Lưu/Huỷ stay in view below them
        outer.addWidget(FittingScrollArea(content, self), 1)
        outer.addWidget(self.buttons)

    def _connect_signals(self) -> None:
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)

    unsaved_title = "Cài đặt"

    def save_from_question(self) -> None:
        self._on_buttons_accepted()

    # --- data -----------------------------------------------------------------------------
    def _load(self, s: Settings) -> None:
        for key in TEXT_SETTINGS:
            getattr(self, key).setText(getattr(s, key))
        index = self.signer_authority.findData(s.signer_authority)
        self.signer_authority.setCurrentIndex(max(index, 0))
        self.warning_days.setValue(s.warning_days)
        self.default_due_day.setValue(s.default_due_day)
        for key, spin in self.margins.items():
            spin.setValue(float(getattr(s, key)))
        self.backup_keep_daily.setValue(s.backup_keep_daily)
        self.backup_keep_monthly.setValue(s.backup_keep_monthly)

    def values(self) -> dict[str, Any]:
        values: dict[str, Any] = {key: getattr(self, key).text() for key in TEXT_SETTINGS}
        values["agency_abbreviation"] = values["agency_abbreviation"].strip().upper()
        values["signer_authority"] = self.signer_authority.currentData()
        values["warning_days"] = self.warning_days.value()
        values["default_due_day"] = self.default_due_day.value()
        values.update({key: spin.value() for key, spin in self.margins.items()})
        values["backup_keep_daily"] = self.backup_keep_daily.value()
        values["backup_keep_monthly"] = self.backup_keep_monthly.value()
        return values

    def _show_errors(self, errors: dict[str, str]) -> None:
        first: QWidget | None = None
        for key, label in self._errors.items():
            message = errors.get(key, "")
            label.setText(message)
            label.setVisible(bool(message))
            if message and first is None:
                first = getattr(self, key, None) or self.margins.get(key)
        if first is not None:
            first.setFocus(Qt.FocusReason.OtherFocusReason)

    def _check(self, values: dict[str, Any]) -> dict[str, str]:
        errors = {}
        if not values["agency_name"].strip():
            errors["agency_name"] = "Tên cơ quan không được để trống."
        if not values["agency_abbreviation"]:
            errors["agency_abbreviation"] = "Chữ viết tắt không được để trống (ví dụ SNV)."
        elif not values["agency_abbreviation"].replace("&", "").isalnum():
            errors["agency_abbreviation"] = "Chữ viết tắt chỉ gồm chữ và số, ví dụ SNV."
        if not values["place_name"].strip():
            errors["place_name"] = "Địa danh không được để trống (in ở dòng ngày tháng)."
        return errors

    def _on_buttons_accepted(self) -> None:
        values = self.values()
        errors = self._check(values)
        if errors:
            self._show_errors(errors)
            return

        def at_fields(exc: ValidationError) -> None:
            self._show_errors(exc.errors or {"agency_name": exc.message})

        def saved(settings_and_result: tuple[Settings, SyncResult]) -> None:
            result = settings_and_result[1]
            if result.changed:
                show_info(
                    self,
                    "Đã lưu cài đặt",
                    "Đã đổi hạn báo cáo định kỳ mặc định. " + result.describe(),
                )
            self.accept()

        run_operation(
            self,
            lambda: update_settings(self.db, **values),
            on_error=shown_by(at_fields, ValidationError),
            done=saved,
        )
