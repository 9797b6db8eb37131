"""A read-only view of one obligation: unit, directive, task, period, due date, status on the
day, and every document received for it (the first one received counts)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.dates import fmt
from app.db import Database
from app.services.obligations import ObligationRow, get_obligation
from app.services.submissions import SubmissionInfo, list_for_obligation
from app.status import Status
from ui import style
from ui.models.warnings_model import days_text


def _status_text(row: ObligationRow) -> str:
    text = row.status.label
    if row.status in (Status.OVERDUE, Status.DUE_SOON):
        text += f" ({days_text(row).lower()})"
    elif row.status is Status.DONE_LATE and row.first_received:
        text += f" ({(row.first_received - row.due_date).days} ngày sau hạn)"
    elif row.status is Status.EXEMPT and row.exempt_reason:
        text += f": {row.exempt_reason}"
    return text


class ObligationDialog(QDialog):
    """Opened from the warnings, the overview or the matrix when no page handles it."""

    def __init__(
        self, db: Database, obligation_id: int, day: dt.date, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.day = day
        self.obligation = get_obligation(db, obligation_id, day)
        self.submissions: list[SubmissionInfo] = list_for_obligation(db, obligation_id)
        self._build_ui()
        self._connect_signals()

    def _build_ui(self) -> None:
        row = self.obligation
        self.setWindowTitle(f"Nghĩa vụ — {row.unit_name}")
        self.resize(720, 460)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.status_label = QLabel(_status_text(row))
        self.status_label.setStyleSheet(
            f"background: {row.status.colour}; padding: 3px 6px; border: 1px solid {style.EDGE};"
        )
        self.status_label.setWordWrap(True)
        fields = (
            ("Đơn vị:", f"{row.unit_name} ({row.unit_kind.label})"),
            ("Văn bản chỉ đạo:", row.directive_symbol),
            ("Nhiệm vụ:", row.task_title),
            ("Kỳ báo cáo:", row.period_label or "Một lần"),
            ("Hạn:", fmt(row.due_date)),
        )
        for label, value in fields:
            text = QLabel(value)
            text.setWordWrap(True)
            form.addRow(label, text)
        form.addRow(f"Trạng thái ngày {fmt(self.day)}:", self.status_label)
        self.reminded_label = QLabel(self._reminded_text())
        self.reminded_label.setWordWrap(True)
        form.addRow("Đôn đốc:", self.reminded_label)
        layout.addLayout(form)
        layout.addWidget(QLabel(f"Văn bản đã nhận ({len(self.submissions)}):"))
        self.table = QTableWidget(len(self.submissions), 6, self)
        self.table.setHorizontalHeaderLabels(
            ["Số, ký hiệu", "Ngày ký", "Ngày nhận", "Hình thức", "Trích yếu", "Tính"]
        )
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        for i, s in enumerate(self.submissions):
            after = s.received_date > self.day
            values = (
                s.number_symbol,
                fmt(s.signed_date),
                fmt(s.received_date),
                s.channel_label,
                s.summary,
                "Văn bản được tính" if s.counts else "Lưu hồ sơ",
            )
            for j, value in enumerate(values):
                item = QTableWidgetItem(value)
                if after:
                    item.setToolTip(f"Nhận sau ngày xét {fmt(self.day)}")
                self.table.setItem(i, j, item)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.table, 1)
        if not self.submissions:
            self.empty_label = QLabel("Chưa nhận văn bản nào cho nghĩa vụ này.")
            layout.addWidget(self.empty_label)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setText("Đóng")
        layout.addWidget(self.buttons)

    def _reminded_text(self) -> str:
        """ "Đã đôn đốc lần 2, ngày 15/05/2018" (reminders sent to the unit about this
        directive by the day shown), or "Chưa đôn đốc"."""
        from app.services.issued_documents import last_reminders, reminder_note

        row = self.obligation
        sent = last_reminders(self.db, directive_id=row.directive_id, until=self.day).get(
            (row.unit_id, row.directive_id)
        )
        if sent is None:
            return "Chưa gửi công văn đôn đốc"
        note = reminder_note(sent)
        return note[0].upper() + note[1:]

    def _connect_signals(self) -> None:
        self.buttons.rejected.connect(self.reject)
        self.buttons.accepted.connect(self.accept)
