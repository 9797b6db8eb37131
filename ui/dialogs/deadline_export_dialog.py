"""Exports the office can use without a server: the .ics calendar of upcoming deadlines
(mode "ics") and the reminder e-mails of one directive as .eml drafts opened in the mail
program, or sent through the office's SMTP server when one is configured (mode "eml")."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.dates import fmt
from app.db import Database
from app.errors import AppError
from app.exchange.reminder_mail import MailDraft, MailSettings
from app.services.directives import list_directives
from app.services.followup import FollowupRound
from ui import style, tasks
from ui.dialogs import messages
from ui.operations import run_operation, shown_by


def open_in_default_program(path: Path) -> None:
    """Open an .eml in the user's mail program (or a folder in the file manager)."""
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


class DeadlineExportDialog(QDialog):
    #: how a written file is opened (tests put a recorder here)
    opener: Callable[[Path], None] = staticmethod(open_in_default_program)  # type: ignore[assignment]

    def __init__(
        self,
        db: Database,
        as_of: dt.date,
        parent: QWidget | None = None,
        *,
        mode: str = "ics",
        directive_id: int | None = None,
        notice: FollowupRound | None = None,
    ) -> None:
        super().__init__(parent)
        self._db = db
        self._as_of = as_of
        self._notice = notice
        if notice is not None:  # the follow-up's notice before the due date: e-mails too
            mode, directive_id = "eml", notice.directive_id
        self.mode = mode
        self.written: list[Path] = []
        self.setWindowTitle(
            "Xuất lịch các hạn sắp tới (.ics)"
            if mode == "ics"
            else "Thư điện tử nhắc trước hạn (.eml)"
            if notice is not None
            else "Thư điện tử nhắc hạn (.eml)"
        )
        self._build_ui()
        self._connect_signals()
        if directive_id is not None:
            self.directive_combo.setCurrentIndex(self.directive_combo.findData(directive_id))
        self._on_directive_changed()

    def _build_ui(self) -> None:
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.directive_combo = QComboBox(self)
        if self.mode == "ics":
            self.directive_combo.addItem("Mọi văn bản chỉ đạo", None)
        for d in list_directives(self._db):
            self.directive_combo.addItem(f"{d.number_symbol} ngày {fmt(d.signed_date)}", d.id)
        form.addRow("Văn bản chỉ đạo", self.directive_combo)
        form.addRow("Tính đến ngày", QLabel(f"{fmt(self._as_of)}", self))
        self.days_spin = QSpinBox(self)
        self.days_spin.setRange(1, 730)
        self.days_spin.setValue(120)
        self.days_spin.setSuffix(" ngày tới")
        self.units_list = QListWidget(self)
        self.units_list.setMinimumHeight(120)  # fits a 1366×768 screen at 125 % too
        self.mail_box = QGroupBox("Gửi thư qua máy chủ của cơ quan (không bắt buộc)", self)
        mail_form = QFormLayout(self.mail_box)
        self.from_edit = QLineEdit(self.mail_box)
        self.from_edit.setPlaceholderText("ví dụ snv@quangngai.gov.vn")
        self.host_edit = QLineEdit(self.mail_box)
        self.host_edit.setPlaceholderText("để trống nếu không dùng")
        self.port_spin = QSpinBox(self.mail_box)
        self.port_spin.setRange(1, 65535)
        self.user_edit = QLineEdit(self.mail_box)
        self.security_combo = QComboBox(self.mail_box)
        for value, text in (
            ("starttls", "STARTTLS (cổng 587)"),
            ("ssl", "SSL (cổng 465)"),
            ("none", "Không mã hoá"),
        ):
            self.security_combo.addItem(text, value)
        self.password_edit = QLineEdit(self.mail_box)
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.setPlaceholderText(
            "lưu trong kho mật khẩu của máy, không lưu trong dữ liệu"
        )
        mail_form.addRow("Địa chỉ gửi", self.from_edit)
        mail_form.addRow("Máy chủ SMTP", self.host_edit)
        mail_form.addRow("Cổng", self.port_spin)
        mail_form.addRow("Tên đăng nhập", self.user_edit)
        mail_form.addRow("Bảo mật", self.security_combo)
        mail_form.addRow("Mật khẩu", self.password_edit)
        self.save_mail_button = QPushButton("Lưu cài đặt thư", self.mail_box)
        mail_form.addRow("", self.save_mail_button)
        if self.mode == "ics":
            form.addRow("Các hạn trong", self.days_spin)
        else:
            self.days_spin.hide()
        layout.addLayout(form)
        if self.mode == "eml":
            layout.addWidget(QLabel("Đơn vị quá hạn (bỏ chọn đơn vị không cần gửi):", self))
            layout.addWidget(self.units_list, 1)
            layout.addWidget(self.mail_box)
        else:
            self.units_list.hide()
            self.mail_box.hide()
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(self)
        if self.mode == "ics":
            self.main_button = buttons.addButton(
                "Lưu tệp .ics…", QDialogButtonBox.ButtonRole.AcceptRole
            )
            self.send_button = None
        else:
            self.main_button = buttons.addButton(
                "Soạn thư (.eml) và mở…", QDialogButtonBox.ButtonRole.AcceptRole
            )
            self.send_button = buttons.addButton("Gửi ngay", QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton("Đóng", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        if self.mode == "eml":
            self._load_mail_settings()

    def _connect_signals(self) -> None:
        self.directive_combo.currentIndexChanged.connect(lambda _i: self._on_directive_changed())
        self.main_button.clicked.connect(self._on_main_button_clicked)
        if self.send_button is not None:
            self.send_button.clicked.connect(self._on_send_button_clicked)
        self.save_mail_button.clicked.connect(self._on_save_mail_button_clicked)

    # --- content ---------------------------------------------------------------------------
    def _say(self, text: str, error: bool = False) -> None:
        self.message.setStyleSheet(style.ERROR_STYLE if error else style.OK_STYLE)
        self.message.setText(text)

    def _say_error(self, exc: AppError) -> None:
        self._say(exc.message, error=True)

    def _load_mail_settings(self) -> None:
        from app.exchange.reminder_mail import load_mail_settings

        s = load_mail_settings(self._db)
        self.from_edit.setText(s.mail_from)
        self.host_edit.setText(s.smtp_host)
        self.port_spin.setValue(s.smtp_port)
        self.user_edit.setText(s.smtp_user)
        self.security_combo.setCurrentIndex(max(0, self.security_combo.findData(s.smtp_security)))
        if self.send_button is not None:
            self.send_button.setEnabled(s.can_send)

    def _on_directive_changed(self) -> None:
        if self.mode != "eml":
            return
        from app.documents.data import reminder_data

        self.units_list.clear()
        directive_id = self.directive_combo.currentData()
        if directive_id is None:
            return
        if self._notice is not None:
            self.directive_combo.setEnabled(False)
            for unit_id, name in self._notice.units:
                item = QListWidgetItem(name, self.units_list)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Checked)
                item.setData(Qt.ItemDataRole.UserRole, unit_id)
            self._say(
                f"Nhắc trước hạn {fmt(self._notice.due_date)}: {self._notice.what}; "
                f"{len(self._notice.units)} đơn vị chưa gửi."
            )
            return

        def nobody(exc: AppError) -> None:  # nobody overdue, say: not an error
            self._say(exc.message)
            self.main_button.setEnabled(False)

        def listed(data: Any) -> None:
            self.main_button.setEnabled(True)
            for unit in data.units:
                item = QListWidgetItem(
                    f"{unit.unit_name} — {len(unit.items)} việc quá hạn", self.units_list
                )
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Checked)
                item.setData(Qt.ItemDataRole.UserRole, unit.unit_id)
            self._say(
                f"{len(data.units)} đơn vị quá hạn; mỗi đơn vị một thư, kèm công văn đôn đốc (PDF)."
            )

        run_operation(
            self,
            lambda: reminder_data(self._db, directive_id, self._as_of),
            on_error=shown_by(nobody, AppError),
            done=listed,
        )

    def chosen_unit_ids(self) -> list[int]:
        return [
            int(self.units_list.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(self.units_list.count())
            if self.units_list.item(i).checkState() == Qt.CheckState.Checked
        ]

    # --- actions (the file dialogs only in the slots) --------------------------------------
    def _on_main_button_clicked(self) -> None:
        if self.mode == "ics":
            path, _ = QFileDialog.getSaveFileName(
                self, "Lưu lịch các hạn", f"han-nop-{self._as_of:%Y%m%d}.ics", "Lịch (*.ics)"
            )
            if path:
                self.export_ics(Path(path))
        else:
            folder = QFileDialog.getExistingDirectory(self, "Chọn thư mục lưu thư")
            if folder:
                self.write_eml(Path(folder))

    def export_ics(self, path: Path) -> None:
        from app.exchange.calendar_export import export_calendar

        directive_id = self.directive_combo.currentData()
        days = self.days_spin.value()

        def done(count: int) -> None:
            self.written = [path]
            self._say(
                f"Đã ghi {count} hạn nộp vào {path}. Mở tệp bằng Outlook hoặc "
                "Thunderbird để thêm vào lịch."
            )

        self._run(
            lambda: export_calendar(
                self._db, path, self._as_of, horizon_days=days, directive_id=directive_id
            ),
            done,
        )

    def write_eml(self, folder: Path, *, open_them: bool = True) -> None:
        from app.exchange.reminder_mail import write_drafts

        directive_id = self.directive_combo.currentData()
        unit_ids = self.chosen_unit_ids()
        if not unit_ids:
            self._say("Chưa chọn đơn vị nào.", error=True)
            return

        def work() -> tuple[list[Path], list[str]]:
            drafts = self._drafts(directive_id, unit_ids, None)
            return write_drafts(drafts, folder), [d.unit_name for d in drafts if not d.to]

        def done(result: tuple[list[Path], list[str]]) -> None:
            paths, no_address = result
            self.written = paths
            text = f"Đã soạn {len(paths)} thư trong {folder}."
            if no_address:
                text += (
                    " Chưa có địa chỉ thư (điền trong chương trình thư hoặc ở thẻ Đơn "
                    "vị): " + "; ".join(no_address) + "."
                )
            self._say(text)
            if open_them:
                for path in paths:
                    type(self).opener(path)

        self._run(work, done)

    def _drafts(
        self, directive_id: int, unit_ids: list[int], settings: MailSettings | None
    ) -> list[MailDraft]:
        from app.exchange.reminder_mail import notice_drafts, reminder_drafts

        if self._notice is not None:
            return notice_drafts(
                self._db,
                unit_ids,
                what=self._notice.what,
                directive_symbol=self._notice.directive_symbol,
                due=self._notice.due_date,
                settings=settings,
            )
        return reminder_drafts(
            self._db, directive_id, self._as_of, unit_ids=unit_ids, settings=settings
        )

    def _on_send_button_clicked(self) -> None:
        self.send()

    def send(self) -> None:
        from app.exchange.reminder_mail import load_mail_settings, send_drafts, smtp_password

        directive_id = self.directive_combo.currentData()
        unit_ids = self.chosen_unit_ids()
        typed = self.password_edit.text()

        def work() -> int:
            settings = load_mail_settings(self._db)
            password = typed or smtp_password(settings)
            drafts = self._drafts(directive_id, unit_ids, settings)
            return send_drafts(drafts, settings, password)

        self._run(work, lambda n: self._say(f"Đã gửi {n} thư."))

    def _on_save_mail_button_clicked(self) -> None:
        from app.exchange.reminder_mail import (
            MailSettings,
            save_mail_settings,
            store_smtp_password,
        )

        typed = MailSettings(
            mail_from=self.from_edit.text(),
            mail_from_name="",
            smtp_host=self.host_edit.text(),
            smtp_port=self.port_spin.value(),
            smtp_user=self.user_edit.text(),
            smtp_security=str(self.security_combo.currentData()),
        )

        def saved(settings: MailSettings) -> None:
            text = "Đã lưu cài đặt thư."
            if self.password_edit.text():
                if store_smtp_password(settings, self.password_edit.text()):
                    text += " Mật khẩu đã lưu trong kho mật khẩu của máy."
                else:
                    text += " Máy không có kho mật khẩu: hãy nhập mật khẩu mỗi lần gửi."
            if self.send_button is not None:
                self.send_button.setEnabled(settings.can_send)
            self._say(text)

        run_operation(
            self,
            lambda: save_mail_settings(self._db, typed),
            on_error=shown_by(self._say_error, AppError),
            done=saved,
        )

    def _run(self, fn: Callable[[], object], on_done: Callable[..., None]) -> None:
        self.main_button.setEnabled(False)
        self._say("Đang thực hiện…")

        def finished(result: object) -> None:
            self.main_button.setEnabled(True)
            on_done(result)

        def failed(exc: BaseException) -> None:
            self.main_button.setEnabled(True)
            if isinstance(exc, AppError):
                self._say_error(exc)
            else:
                self._say("Không thực hiện được.", error=True)
                messages.show_error(self, exc)

        tasks.run_in_background(fn, finished, failed, owner=self)
