"""Add or edit a task of a directive: one-off with a due date, or a periodic report; assigned to
units by kind or one by one."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.dates import fmt
from app.db import Database
from app.models import TaskKind, UnitKind
from app.schedule import PeriodKind
from app.services import checks, directives
from app.services.directives import DirectiveInfo, TaskInfo, TaskInput
from app.services.obligations import SyncResult
from app.services.units import UnitInfo
from app.text import matches
from ui.dialogs.form_dialog import FormDialog
from ui.widgets.date_field import DateField, read_dates_lenient


class TaskDialog(FormDialog):
    def __init__(
        self,
        db: Database,
        directive: DirectiveInfo,
        task: TaskInfo | None,
        all_units: list[UnitInfo],
        parent: QWidget | None = None,
        *,
        default_due_day: int = 20,
    ) -> None:
        super().__init__(parent, "Sửa nhiệm vụ" if task else "Thêm nhiệm vụ")
        self._db = db
        self._directive = directive
        self._task = task
        self._units = all_units
        self._default_due_day = default_due_day
        self.saved: TaskInfo | None = None
        self.sync_result = SyncResult()
        self._build_ui()
        self._connect_signals()
        self._load(task)
        self._on_kind_changed()

    # --- building --------------------------------------------------------------------------
    def _build_ui(self) -> None:
        self.set_header(
            f"Văn bản <b>{self._directive.number_symbol}</b> ngày "
            f"{fmt(self._directive.signed_date)}"
        )
        self.title_edit = QLineEdit(self)
        self.title_edit.setMinimumWidth(460)
        self.title_edit.setPlaceholderText("ví dụ: Xây dựng kế hoạch phối hợp")
        kind_box = QWidget(self)
        kind_layout = QHBoxLayout(kind_box)
        kind_layout.setContentsMargins(0, 0, 0, 0)
        self.one_off_radio = QRadioButton("Một lần, có hạn hoàn thành", kind_box)
        self.periodic_radio = QRadioButton("Báo cáo định kỳ", kind_box)
        self.kind_group = QButtonGroup(self)
        self.kind_group.addButton(self.one_off_radio)
        self.kind_group.addButton(self.periodic_radio)
        kind_layout.addWidget(self.one_off_radio)
        kind_layout.addWidget(self.periodic_radio)
        kind_layout.addStretch(1)
        self.due_edit = DateField(self, label="Hạn hoàn thành", field="due_date")
        self.period_combo = QComboBox(self)
        self.period_combo.addItem("", None)
        for kind in PeriodKind:
            self.period_combo.addItem(kind.label, kind.value)
        self.start_edit = DateField(self, label="Ngày bắt đầu theo dõi", field="start_date")
        self.end_edit = DateField(self, label="Ngày kết thúc theo dõi", field="end_date")
        self.due_day_spin = QSpinBox(self)
        self.due_day_spin.setRange(0, 31)
        self.due_day_spin.setSpecialValueText(f"Mặc định (ngày {self._default_due_day})")
        self.due_day_spin.setMinimumWidth(170)
        self.offset_spin = QSpinBox(self)
        self.offset_spin.setRange(0, 12)
        self.offset_spin.setSpecialValueText("Tháng cuối kỳ")
        self.offset_spin.setSuffix(" tháng sau")
        self.offset_spin.setMinimumWidth(170)
        self.working_days_spin = QSpinBox(self)
        self.working_days_spin.setRange(0, 60)
        self.working_days_spin.setSpecialValueText("Không — hạn là ngày cố định ở trên")
        self.working_days_spin.setSuffix(" ngày làm việc sau ngày chốt số liệu")
        self.working_days_spin.setMinimumWidth(320)
        self.description_edit = QPlainTextEdit(self)
        self.description_edit.setFixedHeight(56)
        self.description_edit.setTabChangesFocus(True)

        kinds_box = QWidget(self)
        kinds_layout = QGridLayout(kinds_box)
        kinds_layout.setContentsMargins(0, 0, 0, 0)
        self.kind_checks: dict[UnitKind, QCheckBox] = {}
        for i, unit_kind in enumerate(UnitKind):
            check = QCheckBox(unit_kind.label, kinds_box)
            self.kind_checks[unit_kind] = check
            kinds_layout.addWidget(check, i // 2, i % 2)

        units_box = QWidget(self)
        units_layout = QVBoxLayout(units_box)
        units_layout.setContentsMargins(0, 0, 0, 0)
        self.unit_filter = QLineEdit(units_box)
        self.unit_filter.setPlaceholderText("Lọc đơn vị (gõ không dấu cũng được)")
        self.unit_filter.setClearButtonEnabled(True)
        self.unit_filter.setProperty("notFormData", True)  # a filter, not part of the task
        self.units_list = QListWidget(units_box)
        self.units_list.setMinimumHeight(150)
        self.units_list.setMinimumWidth(460)
        for unit in self._units:
            text = unit.name + ("" if unit.active else " (ngừng theo dõi)")
            item = QListWidgetItem(text, self.units_list)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            item.setData(Qt.ItemDataRole.UserRole, unit.id)
        self.units_count = QLabel(units_box)
        units_layout.addWidget(self.unit_filter)
        units_layout.addWidget(self.units_list)
        units_layout.addWidget(self.units_count)

        self.add_field("title", "Tên nhiệm vụ (*)", self.title_edit)
        self.add_field("kind", "Loại", kind_box, focus_widget=self.one_off_radio)
        self.add_field("due_date", "Hạn hoàn thành", self.due_edit)
        self.add_field("period_kind", "Kỳ báo cáo", self.period_combo)
        self.add_field(
            "start_date",
            "Theo dõi từ ngày",
            self.start_edit,
            hint="Để trống: từ ngày ban hành văn bản.",
        )
        self.add_field(
            "end_date", "Đến ngày", self.end_edit, hint="Để trống: hết năm của ngày bắt đầu."
        )
        self.add_field("due_day", "Hạn nộp vào ngày", self.due_day_spin)
        self.add_field("due_month_offset", "Của tháng", self.offset_spin)
        self.working_days_spin.setToolTip(
            "Đếm ngày làm việc (bỏ thứ Bảy, Chủ nhật, ngày lễ, Tết, ngày nghỉ trong bảng lịch "
            "nghỉ, làm bù) từ sau ngày chốt số liệu của kỳ."
        )
        self.add_field("due_working_days", "Hoặc hạn là", self.working_days_spin)
        self.add_field(
            "unit_kinds",
            "Giao cho loại đơn vị",
            kinds_box,
            focus_widget=self.kind_checks[UnitKind.DEPARTMENT],
        )
        self.add_field(
            "unit_ids", "Hoặc chọn từng đơn vị", units_box, focus_widget=self.unit_filter
        )
        self.add_field("description", "Mô tả", self.description_edit)
        self.finish_tab_order()

    def _connect_signals(self) -> None:
        self.one_off_radio.toggled.connect(lambda _c: self._on_kind_changed())
        self.working_days_spin.valueChanged.connect(lambda _v: self._on_kind_changed())
        self.unit_filter.textChanged.connect(self._on_unit_filter_text_changed)
        self.units_list.itemChanged.connect(lambda _i: self._update_count())

    def _load(self, task: TaskInfo | None) -> None:
        if task is None:
            self.one_off_radio.setChecked(True)
            self._update_count()
            return
        self.title_edit.setText(task.title)
        (self.one_off_radio if task.kind is TaskKind.ONE_OFF else self.periodic_radio).setChecked(
            True
        )
        self.due_edit.set_value(task.due_date)
        if task.period_kind is not None:
            self.period_combo.setCurrentIndex(self.period_combo.findData(task.period_kind.value))
        self.start_edit.set_value(task.start_date)
        self.end_edit.set_value(task.end_date)
        self.due_day_spin.setValue(task.due_day or 0)
        self.offset_spin.setValue(task.due_month_offset)
        self.working_days_spin.setValue(task.due_working_days or 0)
        self.description_edit.setPlainText(task.description)
        for kind, check in self.kind_checks.items():
            check.setChecked(kind in task.unit_kinds)
        chosen = set(task.unit_ids)
        for i in range(self.units_list.count()):
            item = self.units_list.item(i)
            if item.data(Qt.ItemDataRole.UserRole) in chosen:
                item.setCheckState(Qt.CheckState.Checked)
        self._update_count()

    # --- slots -----------------------------------------------------------------------------
    def _on_kind_changed(self) -> None:
        one_off = self.one_off_radio.isChecked()
        self.due_edit.setEnabled(one_off)
        for widget in (self.period_combo, self.start_edit, self.end_edit, self.working_days_spin):
            widget.setEnabled(not one_off)
        fixed_day = not one_off and not self.working_days_spin.value()
        self.due_day_spin.setEnabled(fixed_day)
        self.offset_spin.setEnabled(fixed_day)

    def _on_unit_filter_text_changed(self, text: str) -> None:
        for i in range(self.units_list.count()):
            item = self.units_list.item(i)
            item.setHidden(not matches(text, item.text()))

    def _update_count(self) -> None:
        n = len(self.chosen_unit_ids())
        self.units_count.setText(
            f"Đã chọn riêng {n} đơn vị." if n else "Chưa chọn riêng đơn vị nào."
        )

    # --- saving ----------------------------------------------------------------------------
    def chosen_unit_ids(self) -> list[int]:
        return [
            int(self.units_list.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(self.units_list.count())
            if self.units_list.item(i).checkState() == Qt.CheckState.Checked
        ]

    def set_unit_checked(self, unit_id: int, checked: bool = True) -> None:
        for i in range(self.units_list.count()):
            item = self.units_list.item(i)
            if item.data(Qt.ItemDataRole.UserRole) == unit_id:
                item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def save(self) -> None:
        one_off = self.one_off_radio.isChecked()
        fields = (
            {"due_date": self.due_edit}
            if one_off
            else {"start_date": self.start_edit, "end_date": self.end_edit}
        )
        dates, read_errors = read_dates_lenient(fields)
        data = TaskInput(
            title=self.title_edit.text(),
            kind=TaskKind.ONE_OFF if one_off else TaskKind.PERIODIC,
            description=self.description_edit.toPlainText(),
            due_date=dates.get("due_date"),
            period_kind=self.period_combo.currentData(),
            start_date=dates.get("start_date"),
            end_date=dates.get("end_date"),
            due_day=self.due_day_spin.value() or None,
            due_month_offset=self.offset_spin.value(),
            due_working_days=self.working_days_spin.value() or None,
            unit_kinds=[k for k, c in self.kind_checks.items() if c.isChecked()],
            unit_ids=self.chosen_unit_ids(),
            sort_order=self._task.sort_order if self._task else None,
        )
        self.raise_all(read_errors, lambda: checks.check_task(self._db, data))
        if self._task is None:
            self.saved, self.sync_result = directives.add_task(self._db, self._directive.id, data)
        else:
            self.saved, self.sync_result = directives.update_task(
                self._db,
                self._task.id,
                data,
                expected_version=self.version_to_check(self._task.version),
            )
