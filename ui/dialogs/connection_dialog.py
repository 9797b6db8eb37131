"""Where this PC's data lives: its own file, or the office's shared PostgreSQL server."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app import connection
from app.connection import ServerConfig
from app.errors import AppError, ValidationError
from ui import style
from ui.dialogs.unsaved import AsksBeforeClosing
from ui.tasks import run_in_background

OK_STYLE = style.OK_STYLE
ERROR_STYLE = f"color: {style.ERROR_TEXT_STRONG};"


class ConnectionDialog(AsksBeforeClosing, QDialog):
    """Choose the SQLite file (default) or a server; "Kiểm tra kết nối" tries it without
    changing anything. On OK the choice is saved on this PC (never the password in clear: the
    system keyring when the user ticks "Ghi nhớ" and one is available)."""

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        server: ServerConfig | None = None,
        use_server: bool | None = None,
        password_only: bool = False,
    ) -> None:
        super().__init__(parent)
        self._server = server if server is not None else connection.load_server_config()
        self._use_server = use_server if use_server is not None else self._server is not None
        self._password_only = password_only
        self._build_ui()
        self._connect_signals()
        self._load()

    # --- building -------------------------------------------------------------------------
    def _build_ui(self) -> None:
        self.setWindowTitle(
            "Nhập mật khẩu máy chủ" if self._password_only else "Kết nối cơ sở dữ liệu"
        )
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)

        self.file_radio = QRadioButton("Tệp dữ liệu trên máy này (mặc định, một người dùng)")
        self.server_radio = QRadioButton(
            "Máy chủ PostgreSQL dùng chung trong cơ quan (nhiều máy cùng làm việc)"
        )
        self.mode_group = QButtonGroup(self)
        self.mode_group.addButton(self.file_radio)
        self.mode_group.addButton(self.server_radio)
        layout.addWidget(self.file_radio)
        layout.addWidget(self.server_radio)

        self.server_box = QGroupBox("Máy chủ")
        form = QFormLayout(self.server_box)
        self.host_edit = QLineEdit()
        self.host_edit.setPlaceholderText("ví dụ 192.168.1.10 hoặc MAYCHU-SONOIVU")
        self.port_spin = QSpinBox()
        self.port_spin.setRange(1, 65535)
        self.port_spin.setValue(connection.DEFAULT_PORT)
        self.database_edit = QLineEdit()
        self.user_edit = QLineEdit()
        self.password_edit = QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.remember_check = QCheckBox("Ghi nhớ mật khẩu (kho mật khẩu của Windows)")
        if not connection.keyring_available():
            self.remember_check.setEnabled(False)
            self.remember_check.setToolTip(
                "Máy này không có kho mật khẩu: chương trình sẽ hỏi mật khẩu mỗi lần mở."
            )
        form.addRow("Địa chỉ máy chủ:", self.host_edit)
        form.addRow("Cổng:", self.port_spin)
        form.addRow("Tên cơ sở dữ liệu:", self.database_edit)
        form.addRow("Người dùng:", self.user_edit)
        form.addRow("Mật khẩu:", self.password_edit)
        form.addRow("", self.remember_check)
        layout.addWidget(self.server_box)

        name_row = QFormLayout()
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText("ví dụ Nguyễn Thị Lan (để trống: tên đăng nhập Windows)")
        self.name_edit.setToolTip("Tên ghi vào nhật ký thay đổi khi anh/chị sửa dữ liệu.")
        name_row.addRow("Tên của tôi trong nhật ký:", self.name_edit)
        layout.addLayout(name_row)

        test_row = QHBoxLayout()
        self.test_button = QPushButton("Kiểm tra kết nối")
        test_row.addWidget(self.test_button)
        test_row.addStretch(1)
        layout.addLayout(test_row)
        self.result_label = QLabel()
        self.result_label.setWordWrap(True)
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.result_label)

        self.note_label = QLabel(
            "Thay đổi nơi lưu dữ liệu có hiệu lực khi mở lại chương trình. Muốn đưa dữ liệu "
            'đang có lên máy chủ, dùng "Tệp → Chuyển dữ liệu sang máy chủ…".'
        )
        self.note_label.setWordWrap(True)
        self.note_label.setStyleSheet(style.MUTED_STYLE)
        layout.addWidget(self.note_label)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Lưu")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Huỷ")
        layout.addWidget(self.buttons)
        if self._password_only:
            for w in (
                self.file_radio,
                self.server_radio,
                self.host_edit,
                self.port_spin,
                self.database_edit,
                self.user_edit,
            ):
                w.setEnabled(False)
            self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Kết nối")
            self.note_label.setText(
                "Máy này không ghi nhớ mật khẩu máy chủ: hãy nhập mật khẩu "
                "để mở dữ liệu dùng chung."
            )

    def _connect_signals(self) -> None:
        self.server_radio.toggled.connect(self._on_server_radio_toggled)
        self.test_button.clicked.connect(self._on_test_button_clicked)
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)

    def _load(self) -> None:
        server = self._server or ServerConfig(host="")
        self.host_edit.setText(server.host)
        self.port_spin.setValue(server.port)
        self.database_edit.setText(server.database)
        self.user_edit.setText(server.user)
        self.remember_check.setChecked(server.remember_password and self.remember_check.isEnabled())
        if self._server is not None and server.remember_password:
            self.password_edit.setText(connection.stored_password(server) or "")
        self.name_edit.setText(connection.local_user_name())
        (self.server_radio if self._use_server else self.file_radio).setChecked(True)
        self._on_server_radio_toggled(self._use_server)
        if self._password_only:
            self.password_edit.setFocus()

    # --- reading the form -------------------------------------------------------------------
    def server_config(self) -> ServerConfig:
        return ServerConfig(
            host=self.host_edit.text().strip(),
            port=self.port_spin.value(),
            database=self.database_edit.text().strip(),
            user=self.user_edit.text().strip(),
            remember_password=self.remember_check.isChecked(),
        )

    def url(self) -> str:
        """The URL with the typed password (held in memory only)."""
        return self.server_config().url(self.password_edit.text() or None)

    def uses_server(self) -> bool:
        return self.server_radio.isChecked()

    def _validated(self) -> ServerConfig | None:
        server = self.server_config()
        try:
            server.validate()
        except ValidationError as exc:
            self._show_result(exc.message, ok=False)
            field = next(iter(exc.errors), "")
            widget = {
                "host": self.host_edit,
                "port": self.port_spin,
                "database": self.database_edit,
                "user": self.user_edit,
            }.get(field)
            if widget is not None:
                widget.setFocus()
            return None
        return server

    def _show_result(self, text: str, *, ok: bool) -> None:
        self.result_label.setText(("✔ " if ok else "✖ ") + text)
        self.result_label.setStyleSheet(OK_STYLE if ok else ERROR_STYLE)

    def save_from_question(self) -> None:
        """Lưu chosen when asked before closing with changes."""
        self._on_buttons_accepted()

    def has_changes(self) -> bool:
        """Only asking for the password: closing it is the answer "not now", never a loss."""
        return not self._password_only and super().has_changes()

    # --- slots ------------------------------------------------------------------------------
    def _on_server_radio_toggled(self, checked: bool) -> None:
        self.server_box.setEnabled(checked)
        self.test_button.setEnabled(checked)

    def _on_test_button_clicked(self) -> None:
        if self._validated() is None:
            return
        url = self.url()
        self.test_button.setEnabled(False)
        self.result_label.setStyleSheet("")
        self.result_label.setText("Đang kết nối…")
        run_in_background(
            lambda: connection.check_connection(url), self._on_test_done, self._on_test_failed
        )

    def _on_test_done(self, message: object) -> None:
        self.test_button.setEnabled(True)
        self._show_result(str(message), ok=True)

    def _on_test_failed(self, exc: BaseException) -> None:
        self.test_button.setEnabled(True)
        text = exc.message if isinstance(exc, AppError) else str(exc)
        self._show_result(text, ok=False)

    def _on_buttons_accepted(self) -> None:
        if not self.uses_server():
            connection.save_server_config(None)
            connection.save_local_user_name(self.name_edit.text())
            self.accept()
            return
        server = self._validated()
        if server is None:
            return
        if not self.password_edit.text():
            self._show_result("Hãy nhập mật khẩu của người dùng máy chủ.", ok=False)
            self.password_edit.setFocus()
            return
        connection.save_server_config(server)
        connection.save_local_user_name(self.name_edit.text())
        if server.remember_password:
            connection.store_password(server, self.password_edit.text())
        else:
            connection.forget_password(server)
        self.accept()
