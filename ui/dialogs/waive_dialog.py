"""Miễn nghĩa vụ: waive one unit's obligation (or lift the waiver), with the reason kept in the
history."""

from __future__ import annotations

from PySide6.QtWidgets import QPlainTextEdit, QWidget

from app.dates import fmt
from app.db import Database
from app.errors import ValidationError
from app.services.obligations import ObligationRow, set_waived
from ui.dialogs.form_dialog import FormDialog

WAIVED_REASON = "Được miễn"


def is_waived(row: ObligationRow) -> bool:
    """Waived by the specialist (not exempt because the task no longer covers the unit)."""
    return row.exempt_reason == WAIVED_REASON


class WaiveDialog(FormDialog):
    def __init__(
        self, db: Database, obligation: ObligationRow, parent: QWidget | None = None
    ) -> None:
        self.waive = not is_waived(obligation)
        super().__init__(parent, "Miễn nghĩa vụ" if self.waive else "Bỏ miễn nghĩa vụ")
        self._db = db
        self._obligation = obligation
        self.saved = False
        self._build_ui()

    def _build_ui(self) -> None:
        o = self._obligation
        what = o.task_title + (f" — {o.period_label}" if o.period_label else "")
        self.set_header(
            f"<b>{o.unit_name}</b><br>{o.directive_symbol}: {what} (hạn {fmt(o.due_date)})<br>"
            + (
                "Đơn vị sẽ không còn bị tính là chưa nộp hoặc quá hạn cho nghĩa vụ này."
                if self.waive
                else "Nghĩa vụ sẽ được theo dõi lại như bình thường."
            )
        )
        self.reason_edit = QPlainTextEdit(self)
        self.reason_edit.setFixedHeight(80)
        self.reason_edit.setPlaceholderText(
            "ví dụ: Đơn vị không có đối tượng thuộc phạm vi (theo Công văn số …)"
        )
        self.add_field(
            "reason",
            "Lý do (*)" if self.waive else "Lý do",
            self.reason_edit,
            hint="Được ghi vào lịch sử thay đổi.",
        )
        self.save_button.setText("Miễn" if self.waive else "Bỏ miễn")
        self.finish_tab_order()

    def save(self) -> None:
        reason = " ".join(self.reason_edit.toPlainText().split())
        if self.waive and not reason:
            raise ValidationError(
                "Hãy ghi lý do miễn nghĩa vụ (ví dụ căn cứ văn bản nào).", field="reason"
            )
        set_waived(self._db, self._obligation.id, self.waive, reason)
        self.saved = True
