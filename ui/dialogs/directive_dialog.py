"""Add or edit a directive (văn bản chỉ đạo), with its attached file."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QLineEdit, QPlainTextEdit, QWidget

from app.db import Database
from app.services import attachments, checks, directives
from app.services.directives import DirectiveInfo, DirectiveInput
from app.services.obligations import SyncResult
from app.workdays import SHIFT_RULE_LABEL, SHIFT_RULE_SOURCE
from ui.dialogs.form_dialog import FormDialog
from ui.widgets.attachment_field import AttachmentField
from ui.widgets.date_field import DateField, read_dates_lenient


class DirectiveDialog(FormDialog):
    def __init__(
        self, db: Database, directive: DirectiveInfo | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent, "Sửa văn bản chỉ đạo" if directive else "Thêm văn bản chỉ đạo")
        self._db = db
        self._directive = directive
        self.saved: DirectiveInfo | None = None
        self.sync_result = SyncResult()
        self._build_ui()
        if directive is not None:
            self._load(directive)

    def _build_ui(self) -> None:
        self.symbol_edit = QLineEdit(self)
        self.symbol_edit.setPlaceholderText("ví dụ 2116/UBND-NC")
        self.symbol_edit.setMaxLength(120)
        self.date_edit = DateField(self, label="Ngày ban hành", field="signed_date")
        self.issuer_edit = QLineEdit(self)
        self.issuer_edit.setPlaceholderText("ví dụ UBND tỉnh Quảng Ngãi")
        self.signer_edit = QLineEdit(self)
        self.subject_edit = QPlainTextEdit(self)
        self.subject_edit.setFixedHeight(64)
        self.subject_edit.setTabChangesFocus(True)
        self.subject_edit.setMinimumWidth(480)
        self.basis_edit = QPlainTextEdit(self)
        self.basis_edit.setFixedHeight(64)
        self.basis_edit.setTabChangesFocus(True)
        self.note_edit = QPlainTextEdit(self)
        self.note_edit.setFixedHeight(52)
        self.note_edit.setTabChangesFocus(True)
        self.attachment = AttachmentField(self._db, "", self)
        self.shift_check = QCheckBox(SHIFT_RULE_LABEL, self)
        self.add_field("number_symbol", "Số, ký hiệu (*)", self.symbol_edit)
        self.add_field("signed_date", "Ngày ban hành (*)", self.date_edit)
        self.add_field("issuer", "Cơ quan ban hành", self.issuer_edit)
        self.add_field("signer", "Người ký", self.signer_edit)
        self.add_field("subject", "Trích yếu (*)", self.subject_edit)
        self.add_field(
            "basis",
            "Căn cứ",
            self.basis_edit,
            hint="Văn bản mà văn bản này triển khai (kế hoạch, chỉ thị…).",
        )
        self.add_field("note", "Ghi chú", self.note_edit)
        self.add_field(
            "shift_due",
            "Cách tính hạn",
            self.shift_check,
            hint=f"Theo {SHIFT_RULE_SOURCE}. Ngày nghỉ: thứ Bảy, Chủ nhật, ngày lễ, "
            "Tết và bảng lịch nghỉ, làm bù (Tệp → Lịch nghỉ lễ, làm bù). "
            "Không chọn: hạn đúng ngày ghi trong văn bản.",
        )
        self.add_field(
            "attachment",
            "Tệp văn bản",
            self.attachment,
            focus_widget=self.attachment.choose_button,
            hint="Bản quét PDF hoặc tệp Word; chương trình chép tệp vào thư mục "
            "dữ liệu (không chỉ ghi đường dẫn).",
        )
        self.finish_tab_order()

    def _load(self, d: DirectiveInfo) -> None:
        self.symbol_edit.setText(d.number_symbol)
        self.date_edit.set_value(d.signed_date)
        self.issuer_edit.setText(d.issuer)
        self.signer_edit.setText(d.signer)
        self.subject_edit.setPlainText(d.subject)
        self.basis_edit.setPlainText(d.basis)
        self.note_edit.setPlainText(d.note)
        self.attachment.set_stored(d.attachment_path)
        self.shift_check.setChecked(d.shift_due)

    def save(self) -> None:
        dates, read_errors = read_dates_lenient({"signed_date": self.date_edit})
        data = DirectiveInput(
            number_symbol=self.symbol_edit.text(),
            signed_date=dates["signed_date"],
            issuer=self.issuer_edit.text(),
            signer=self.signer_edit.text(),
            subject=self.subject_edit.toPlainText(),
            basis=self.basis_edit.toPlainText(),
            note=self.note_edit.toPlainText(),
            shift_due=self.shift_check.isChecked(),
        )
        self.raise_all(read_errors, lambda: checks.check_directive(data))
        if self._directive is None:
            saved = directives.create_directive(self._db, data)
        else:
            saved, self.sync_result = directives.update_directive(
                self._db,
                self._directive.id,
                data,
                expected_version=self.version_to_check(self._directive.version),
            )
        # From here on the directive exists: a retry edits it, never creates a second one.
        self._directive = saved
        self.saved = saved
        pending = self.attachment.pending_path
        if pending is not None:
            stored = attachments.attach_to_directive(self._db, saved.id, pending)
            self.attachment.set_stored(stored)
            self.saved = directives.get_directive(self._db, saved.id)
            self._directive = self.saved
