"""Lịch nghỉ lễ, làm bù: the year's national holidays and the office's table of days off and
make-up working days, which she edits (a line is added or withdrawn from today on; the table
keeps its history, docs/domain.md)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.dates import fmt
from app.db import Database
from app.errors import AppError, ValidationError
from app.services.calendar_days import (
    CalendarChange,
    CalendarDayInput,
    add_calendar_day,
    withdraw_calendar_day,
    year_calendar,
)
from ui import style
from ui.dialogs import messages
from ui.models.calendar_days_model import CalendarDaysModel
from ui.operations import run_operation, shown_by
from ui.widgets.data_table import DataTable
from ui.widgets.date_field import DateField


class CalendarDaysDialog(QDialog):
    """Shows one year; Thêm adds a line from the form, Bỏ dòng withdraws the selected one."""

    def __init__(self, db: Database, today: dt.date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Lịch nghỉ lễ, làm bù")
        self._db = db
        self._today = today
        self._build_ui()
        self._connect_signals()
        self.refresh()

    def _build_ui(self) -> None:
        self.resize(1000, 600)
        layout = QVBoxLayout(self)
        intro = QLabel(
            "Ngày nghỉ: thứ Bảy, Chủ nhật, các ngày lễ, Tết theo lịch nhà nước và các ngày "
            "trong bảng của cơ quan (ngày nghỉ thêm, ngày làm bù theo thông báo hằng năm). "
            "Một dòng thêm hoặc bỏ có hiệu lực từ hôm nay; tình hình các ngày trước đó "
            "không đổi.",
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        top = QHBoxLayout()
        top.addWidget(QLabel("Năm:", self))
        self.year_spin = QSpinBox(self)
        self.year_spin.setRange(2000, 2100)
        self.year_spin.setValue(self._today.year)
        top.addWidget(self.year_spin)
        self.history_check = QCheckBox("Hiện cả các dòng đã bỏ (lịch sử)", self)
        top.addWidget(self.history_check)
        top.addStretch(1)
        self.withdraw_button = QPushButton("Bỏ dòng đã chọn", self)
        self.withdraw_button.setEnabled(False)
        top.addWidget(self.withdraw_button)
        layout.addLayout(top)
        self.model = CalendarDaysModel(self)
        self.table = DataTable(self.model, "calendar_days", self)
        layout.addWidget(self.table, 1)

        form_box = QGroupBox("Thêm ngày vào bảng của cơ quan", self)
        form = QGridLayout(form_box)
        self.day_edit = DateField(form_box, label="Ngày", field="day")
        self.kind_combo = QComboBox(form_box)
        self.kind_combo.addItem("Nghỉ (không làm việc)", False)
        self.kind_combo.addItem("Làm bù (làm việc vào ngày nghỉ)", True)
        self.name_edit = QLineEdit(form_box)
        self.name_edit.setPlaceholderText("ví dụ: Nghỉ bù Quốc khánh; Làm bù cho ngày 30/4")
        self.basis_edit = QLineEdit(form_box)
        self.basis_edit.setPlaceholderText("ví dụ: Thông báo số 6150/TB-LĐTBXH")
        self.add_button = QPushButton("Thêm", form_box)
        form.addWidget(QLabel("Ngày", form_box), 0, 0)
        form.addWidget(self.day_edit, 0, 1)
        form.addWidget(QLabel("Loại", form_box), 0, 2)
        form.addWidget(self.kind_combo, 0, 3)
        form.addWidget(QLabel("Tên, lý do", form_box), 1, 0)
        form.addWidget(self.name_edit, 1, 1, 1, 3)
        form.addWidget(QLabel("Căn cứ", form_box), 2, 0)
        form.addWidget(self.basis_edit, 2, 1, 1, 3)
        form.addWidget(self.add_button, 2, 4)
        form.setColumnStretch(3, 1)
        layout.addWidget(form_box)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(self)
        self.close_button = buttons.addButton("Đóng", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.add_button.setAutoDefault(False)
        self.withdraw_button.setAutoDefault(False)

    def _connect_signals(self) -> None:
        self.year_spin.valueChanged.connect(lambda _y: self.refresh())
        self.history_check.toggled.connect(lambda _c: self.refresh())
        self.add_button.clicked.connect(self._on_add_button_clicked)
        self.withdraw_button.clicked.connect(self._on_withdraw_button_clicked)
        self.table.currentIdChanged.connect(self._on_table_current_id_changed)

    def refresh(self) -> None:
        self.table.set_rows(
            year_calendar(
                self._db, self.year_spin.value(), include_withdrawn=self.history_check.isChecked()
            )
        )
        self._on_table_current_id_changed(self.table.current_id())

    def _say(self, text: str, error: bool = False) -> None:
        self.message.setStyleSheet(style.ERROR_STYLE if error else style.OK_STYLE)
        self.message.setText(text)

    # --- slots -----------------------------------------------------------------------------
    def _on_table_current_id_changed(self, row_id: object) -> None:
        row = self.table.current_row()
        self.withdraw_button.setEnabled(row is not None and row.editable)

    def _on_add_button_clicked(self) -> None:
        def add() -> CalendarChange:
            day = self.day_edit.value()
            if day is None:
                raise ValidationError("Chưa nhập ngày.", field="day")
            return add_calendar_day(
                self._db,
                CalendarDayInput(
                    day,
                    bool(self.kind_combo.currentData()),
                    self.name_edit.text(),
                    self.basis_edit.text(),
                ),
                today=self._today,
            )

        run_operation(self, add, on_error=shown_by(self._say_error, AppError), done=self._added)

    def _say_error(self, exc: AppError) -> None:
        self._say(exc.message, error=True)

    def _added(self, change: CalendarChange) -> None:
        self.day_edit.clear()
        self.name_edit.clear()
        self.basis_edit.clear()
        if change.entry.day.year != self.year_spin.value():
            self.year_spin.setValue(change.entry.day.year)  # refreshes
        else:
            self.refresh()
        self.table.select_id(change.entry.id)
        self._say(change.describe())

    def _on_withdraw_button_clicked(self) -> None:
        row = self.table.current_row()
        if row is None or not row.editable:
            return
        question = (
            f"Bỏ {row.kind_label.lower()} ngày {fmt(row.day)} ({row.name}) khỏi "
            "bảng từ hôm nay? Dòng vẫn còn trong lịch sử."
        )
        if not messages.confirm(self, "Bỏ dòng", question, yes="Bỏ dòng"):
            return
        self.withdraw(row.id)

    def withdraw(self, entry_id: int) -> None:
        """Withdraw a line (after the confirmation)."""

        def withdrawn(change: CalendarChange) -> None:
            self.refresh()
            what = f"Đã bỏ {change.entry.kind_label.lower()} ngày {fmt(change.entry.day)}."
            if change.obligations_changed:
                what += f" Hạn thực tế của {change.obligations_changed} nghĩa vụ thay đổi."
            self._say(what)

        run_operation(
            self,
            lambda: withdraw_calendar_day(self._db, entry_id, today=self._today),
            on_error=shown_by(self._say_error, AppError),
            done=withdrawn,
        )

    def keyPressEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        # Enter in the form adds the line instead of closing the dialog
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and (
            self.day_edit.hasFocus() or self.name_edit.hasFocus() or self.basis_edit.hasFocus()
        ):
            self._on_add_button_clicked()
            return
        super().keyPressEvent(event)
