"""Record (or edit) a document a unit sent: a plan registration or a periodic report."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QPlainTextEdit, QWidget

from app.dates import fmt
from app.db import Database
from app.errors import ValidationError
from app.models import Channel, TaskKind
from app.services import attachments, checks, submissions
from app.services.obligations import ObligationRow
from app.services.submissions import SubmissionInfo, SubmissionInput
from ui import style
from ui.dialogs.form_dialog import FormDialog
from ui.widgets.attachment_field import AttachmentField
from ui.widgets.date_field import DateField, read_dates_lenient


class SubmissionDialog(FormDialog):
    def __init__(
        self,
        db: Database,
        obligation: ObligationRow,
        *,
        today: dt.date,
        submission: SubmissionInfo | None = None,
        earlier: int = 0,
        parent: QWidget | None = None,
    ) -> None:
        plan = obligation.task_kind is TaskKind.ONE_OFF
        if submission is not None:
            title = "Sửa văn bản đã nhận"
        else:
            title = "Đăng ký kế hoạch" if plan else "Tiếp nhận báo cáo"
        super().__init__(parent, title)
        self._db = db
        self._obligation = obligation
        self._today = today
        self._submission = submission
        self._earlier = earlier
        self.saved: SubmissionInfo | None = None
        self._build_ui()
        if submission is not None:
            self._load(submission)

    def _build_ui(self) -> None:
        o = self._obligation
        period = f"<br>Kỳ báo cáo: <b>{o.period_label}</b>" if o.period_label else ""
        again = ""
        if self._submission is None and self._earlier:
            again = (
                f"<br><i>Đơn vị đã gửi {self._earlier} văn bản cho nghĩa vụ này; văn bản "
                "mới được lưu thêm (vẫn chỉ tính một lần).</i>"
            )
        self.set_header(
            f"Đơn vị: <b>{o.unit_name}</b><br>Nhiệm vụ: <b>{o.task_title}</b> "
            f"(văn bản {o.directive_symbol}){period}<br>Hạn: <b>{fmt(o.due_date)}</b>{again}"
        )
        self.symbol_edit = QLineEdit(self)
        self.symbol_edit.setPlaceholderText("ví dụ 45/KH-UBND")
        self.symbol_edit.setMaxLength(120)
        self.symbol_edit.setMinimumWidth(360)
        self.signed_edit = DateField(self, label="Ngày ký", field="signed_date")
        self.received_edit = DateField(self, label="Ngày nhận", field="received_date")
        self.signer_edit = QLineEdit(self)
        self.channel_combo = QComboBox(self)
        for channel in Channel:
            self.channel_combo.addItem(channel.label, channel.value)
        self.summary_edit = QPlainTextEdit(self)
        self.summary_edit.setFixedHeight(60)
        self.summary_edit.setTabChangesFocus(True)
        self.assessment_edit = QPlainTextEdit(self)
        self.assessment_edit.setFixedHeight(60)
        self.assessment_edit.setTabChangesFocus(True)
        self.attachment = AttachmentField(self._db, "", self)
        self.add_field("number_symbol", "Số, ký hiệu (*)", self.symbol_edit)
        self.add_field("signed_date", "Ngày ký (*)", self.signed_edit)
        self.add_field(
            "received_date",
            "Ngày nhận (*)",
            self.received_edit,
            hint=f"Không sau hôm nay ({fmt(self._today)}); không trước ngày văn bản chỉ đạo.",
        )
        self.received_warning = QLabel("", self)
        self.received_warning.setWordWrap(True)
        self.received_warning.setStyleSheet(f"color: {style.WARNING_TEXT};")
        self.received_warning.setVisible(False)
        field_box = self.received_edit.parentWidget()  # the field and its hint (add_field)
        box_layout = field_box.layout() if field_box is not None else None
        assert box_layout is not None
        box_layout.addWidget(self.received_warning)
        self.received_edit.textChanged.connect(self._on_received_edit_text_changed)
        self.add_field("signer", "Người ký", self.signer_edit)
        self.add_field("channel", "Hình thức nhận", self.channel_combo)
        self.add_field("summary", "Tóm tắt nội dung", self.summary_edit)
        self.add_field("assessment", "Nhận xét", self.assessment_edit)
        self.add_field(
            "attachment", "Tệp văn bản", self.attachment, focus_widget=self.attachment.choose_button
        )
        self.finish_tab_order()
        self.symbol_edit.setFocus()

    def _on_received_edit_text_changed(self, _text: str) -> None:
        """A receipt before the unit began or after it ended: a warning, not a refusal."""
        try:
            day = self.received_edit.value()
        except ValidationError:
            day = None
        warnings = (
            submissions.submission_warnings(self._db, self._obligation.id, day)
            if day is not None
            else []
        )
        self.received_warning.setText(" ".join(warnings))
        self.received_warning.setVisible(bool(warnings))

    def _load(self, s: SubmissionInfo) -> None:
        self.symbol_edit.setText(s.number_symbol)
        self.signed_edit.set_value(s.signed_date)
        self.received_edit.set_value(s.received_date)
        self.signer_edit.setText(s.signer)
        self.channel_combo.setCurrentIndex(self.channel_combo.findData(s.channel.value))
        self.summary_edit.setPlainText(s.summary)
        self.assessment_edit.setPlainText(s.assessment)
        self.attachment.set_stored(s.attachment_path)

    def save(self) -> None:
        dates, read_errors = read_dates_lenient(
            {"signed_date": self.signed_edit, "received_date": self.received_edit}
        )
        data = SubmissionInput(
            obligation_id=self._obligation.id,
            number_symbol=self.symbol_edit.text(),
            signed_date=dates["signed_date"],
            received_date=dates["received_date"],
            signer=self.signer_edit.text(),
            channel=str(self.channel_combo.currentData()),
            summary=self.summary_edit.toPlainText(),
            assessment=self.assessment_edit.toPlainText(),
        )
        self.raise_all(
            read_errors,
            lambda: checks.check_submission(
                self._db,
                data,
                today=self._today,
                exclude_id=self._submission.id if self._submission else None,
            ),
        )
        if self._submission is None:
            saved = submissions.record_submission(self._db, data, today=self._today)
        else:
            saved = submissions.update_submission(
                self._db,
                self._submission.id,
                data,
                today=self._today,
                expected_version=self.version_to_check(self._submission.version),
            )
        self._submission = saved  # a retry after a failed copy edits, never duplicates
        self.saved = saved
        pending = self.attachment.pending_path
        if pending is not None:
            try:
                stored = attachments.attach_to_submission(self._db, saved.id, pending)
            except ValidationError as exc:
                raise ValidationError(
                    "Văn bản đã được lưu nhưng chưa đính kèm được tệp: " + exc.message,
                    errors={
                        "attachment": "Đã lưu văn bản, nhưng chưa đính kèm được tệp: " + exc.message
                    },
                ) from exc
            self.attachment.set_stored(stored)
            self.saved = submissions.get_submission(self._db, saved.id)
            self._submission = self.saved
