"""Kế hoạch đôn đốc: the reminder plan of one directive, in working days."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QSpinBox, QWidget

from app.dates import fmt
from app.db import Database
from app.services.directives import list_directives
from app.services.followup import (
    ESCALATION_SENDER,
    MAX_DAYS,
    FollowupPlan,
    get_plan,
    save_plan,
)
from ui.dialogs.form_dialog import FormDialog


class FollowupPlanDialog(FormDialog):
    def __init__(
        self, db: Database, parent: QWidget | None = None, *, directive_id: int | None = None
    ) -> None:
        super().__init__(parent, "Kế hoạch đôn đốc")
        self._db = db
        self.saved: FollowupPlan | None = None
        self.setMinimumWidth(640)
        self._build_ui()
        if directive_id is not None:
            self.directive_combo.setCurrentIndex(
                max(0, self.directive_combo.findData(directive_id))
            )
        self._load()
        self.directive_combo.currentIndexChanged.connect(lambda _i: self._load())

    def _spin(self, low: int, suffix: str) -> QSpinBox:
        spin = QSpinBox(self)
        spin.setRange(low, MAX_DAYS)
        spin.setSuffix(suffix)
        spin.setMinimumWidth(440)
        return spin

    def _build_ui(self) -> None:
        self.set_header(
            "Các đợt đôn đốc tính theo <b>ngày làm việc</b> (bỏ thứ Bảy, Chủ nhật, "
            "ngày lễ, Tết và ngày nghỉ trong bảng lịch nghỉ, làm bù)."
        )
        self.directive_combo = QComboBox(self)
        for d in list_directives(self._db):
            self.directive_combo.addItem(f"{d.number_symbol} ngày {fmt(d.signed_date)}", d.id)
        self.enabled_check = QCheckBox("Theo dõi và nhắc các đợt đôn đốc của văn bản này", self)
        self.notice_spin = self._spin(0, " ngày làm việc trước hạn")
        self.first_spin = self._spin(1, " ngày làm việc sau hạn")
        self.second_spin = self._spin(1, " ngày làm việc sau lần 1")
        self.escalate_spin = self._spin(1, " ngày làm việc sau lần 2")
        self.add_field("directive", "Văn bản chỉ đạo", self.directive_combo)
        self.add_field("enabled", "", self.enabled_check)
        self.add_field(
            "notice_days",
            "Nhắc trước hạn",
            self.notice_spin,
            hint="0: không nhắc trước hạn. Gửi cho đơn vị chưa nộp (thư điện tử).",
        )
        self.add_field(
            "first_after_days",
            "Đôn đốc lần 1",
            self.first_spin,
            hint="Công văn đôn đốc gửi các đơn vị đã quá hạn.",
        )
        self.add_field("second_after_days", "Đôn đốc lần 2", self.second_spin)
        self.add_field(
            "escalate_after_days",
            "Trình UBND tỉnh",
            self.escalate_spin,
            hint=f"Dự thảo văn bản của UBND tỉnh ({ESCALATION_SENDER} gửi) đôn đốc "
            "các đơn vị vẫn chưa nộp.",
        )
        self.empty_label = QLabel("Chưa có văn bản chỉ đạo nào.", self)
        self.empty_label.setVisible(self.directive_combo.count() == 0)
        self.finish_tab_order()

    def _load(self) -> None:
        directive_id = self.directive_combo.currentData()
        plan = FollowupPlan() if directive_id is None else get_plan(self._db, directive_id)
        self.enabled_check.setChecked(plan.enabled)
        self.notice_spin.setValue(plan.notice_days)
        self.first_spin.setValue(plan.first_after_days)
        self.second_spin.setValue(plan.second_after_days)
        self.escalate_spin.setValue(plan.escalate_after_days)

    def save(self) -> None:
        from app.errors import ValidationError

        directive_id = self.directive_combo.currentData()
        if directive_id is None:
            raise ValidationError("Chưa có văn bản chỉ đạo nào.", field="directive")
        self.saved = save_plan(
            self._db,
            directive_id,
            FollowupPlan(
                enabled=self.enabled_check.isChecked(),
                notice_days=self.notice_spin.value(),
                first_after_days=self.first_spin.value(),
                second_after_days=self.second_spin.value(),
                escalate_after_days=self.escalate_spin.value(),
            ),
        )
