"""The shared-server actions of the main window, installed by one call from MainWindow:
"Kết nối cơ sở dữ liệu…", "Chuyển dữ liệu sang máy chủ…" / "Chép dữ liệu máy chủ về tệp…",
and where the data lives in the status bar."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QLabel, QWidget

from app.connection import ServerConfig, redact
from app.errors import AppError


class ServerActions:
    """Holds the actions and their slots for one window (kept on ``window.server_actions``)."""

    def __init__(self, window: Any) -> None:
        self.window = window
        db = window.db
        self.connect_action = QAction("Kết nối cơ sở dữ liệu (máy chủ dùng chung)…", window)
        self.connect_action.setObjectName("connectDatabaseAction")
        self.to_server_action = QAction("Chuyển dữ liệu sang máy chủ…", window)
        self.to_server_action.setObjectName("transferToServerAction")
        self.to_file_action = QAction("Chép dữ liệu máy chủ về tệp…", window)
        self.to_file_action.setObjectName("transferToFileAction")
        self.to_server_action.setEnabled(db.is_sqlite)
        self.to_file_action.setEnabled(not db.is_sqlite)
        self.where_label = QLabel(window)
        self.where_label.setText(where_text(db))
        self.where_label.setToolTip("Nơi lưu dữ liệu đang dùng")

    def install(self) -> None:
        menu = self.window.file_menu
        before = self.window.quit_action  # the data's place comes before "Thoát"
        for action in (self.connect_action, self.to_server_action, self.to_file_action):
            menu.insertAction(before, action)
        menu.insertSeparator(before)
        self.window.statusBar().addWidget(self.where_label)
        self.connect_action.triggered.connect(self._on_connect_action_triggered)
        self.to_server_action.triggered.connect(self._on_to_server_action_triggered)
        self.to_file_action.triggered.connect(self._on_to_file_action_triggered)

    # --- slots ------------------------------------------------------------------------------
    def _on_connect_action_triggered(self) -> None:
        from ui.dialogs.connection_dialog import ConnectionDialog
        from ui.dialogs.messages import show_info

        dialog = ConnectionDialog(self.window)
        if dialog.exec():
            where = (
                f"máy chủ {dialog.server_config().label}"
                if dialog.uses_server()
                else "tệp dữ liệu trên máy này"
            )
            show_info(
                self.window,
                "Đã lưu",
                f"Đã lưu lựa chọn: {where}. Hãy đóng và mở lại chương trình để dùng.",
            )

    def _on_to_server_action_triggered(self) -> None:
        from ui.dialogs.connection_dialog import ConnectionDialog

        dialog = ConnectionDialog(self.window, use_server=True)
        dialog.setWindowTitle("Chuyển dữ liệu sang máy chủ: chọn máy chủ đích")
        dialog.buttons.button(dialog.buttons.StandardButton.Ok).setText("Chuyển dữ liệu")
        if not dialog.exec() or not dialog.uses_server():
            return
        self.run_transfer(self.window.db.url, dialog.url(), dialog.server_config())

    def _on_to_file_action_triggered(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(
            self.window,
            "Chép dữ liệu máy chủ về tệp",
            str(Path.home() / "sotheodoi.db"),
            "Dữ liệu Sổ theo dõi (*.db)",
        )
        if not path:
            return
        target = Path(path)
        if target.exists():
            from ui.dialogs.messages import show_error

            show_error(
                self.window,
                AppError(f"Tệp {target} đã có. Hãy chọn tên tệp mới để không ghi đè dữ liệu nào."),
            )
            return
        self.run_transfer(self.window.db.url, str(target), None)

    def run_transfer(
        self, source: str, target: str, server: ServerConfig | None, *, replace: bool = False
    ) -> Any:
        """Copy with a progress dialog; offers "replace" when the target has data."""
        from app.errors import Conflict
        from app.exchange.transfer import TransferCancelled
        from ui.dialogs.messages import confirm, show_error, show_info
        from ui.dialogs.transfer_dialog import TransferDialog

        dialog = TransferDialog(self.window, source, target, replace=replace)
        dialog.start()
        if dialog.result_value is None and dialog.error is None:
            dialog.exec()
        if (
            isinstance(dialog.error, Conflict)
            and "--replace" in dialog.error.message
            and not replace
        ):
            if confirm(
                self.window,
                "Đích đã có dữ liệu",
                dialog.error.message.split(" Hãy chọn")[0]
                + "\n\nXoá toàn bộ dữ liệu đang có ở đích và thay bằng dữ liệu của máy này?",
                yes="Xoá và thay thế",
                no="Không",
            ):
                return self.run_transfer(source, target, server, replace=True)
            return dialog
        if isinstance(dialog.error, TransferCancelled):
            show_info(self.window, "Đã huỷ", dialog.error.message)
        elif dialog.error is not None:
            show_error(self.window, dialog.error, title="Chuyển dữ liệu không thành công")
        elif dialog.result_value is not None:
            extra = ""
            if server is not None:
                from app.connection import save_server_config

                save_server_config(server)
                extra = (
                    "\n\nMáy này sẽ dùng máy chủ khi mở lại chương trình. Các máy khác: "
                    'mở "Tệp → Kết nối cơ sở dữ liệu…" và nhập cùng địa chỉ máy chủ.'
                )
            show_info(self.window, "Đã chuyển dữ liệu", dialog.result_value.describe() + extra)
        return dialog


def where_text(db: Any) -> str:
    if db.path is not None:
        return f"Tệp dữ liệu: {db.path}"
    try:
        server, _password = ServerConfig.from_url(db.url)
    except Exception:
        return f"Máy chủ: {redact(db.url)}"
    return f"Máy chủ: {server.label}"


def install_server_actions(window: QWidget) -> ServerActions:
    actions = ServerActions(window)
    actions.install()
    window.server_actions = actions  # type: ignore[attr-defined]
    return actions


def resolve_gui_target(db: str | None, database_url: str | None) -> str | None:
    """What the window opens: as the command line (``--database-url``, ``--db``, the
    environment, the saved server, the file). A saved server whose password is not remembered:
    ask for it (None when the user cancels)."""
    from app.connection import resolve_target
    from ui.dialogs.connection_dialog import ConnectionDialog

    target = resolve_target(db, database_url)
    if not target.needs_password:
        return target.url
    dialog = ConnectionDialog(None, server=target.server, use_server=True, password_only=True)
    if not dialog.exec():
        return None
    return dialog.url()


def open_for_gui(db: str | None, database_url: str | None) -> Any | None:
    """Open the database the window uses. When the saved server cannot be reached (server off,
    password changed), say why and offer the connection dialog — to retry, fix the password or
    go back to the file on this PC — instead of leaving the user stuck. None: the user gave up.
    """
    from app.connection import resolve_target
    from app.db import connect
    from ui.dialogs.connection_dialog import ConnectionDialog
    from ui.dialogs.messages import confirm

    target = resolve_gui_target(db, database_url)
    while target is not None:
        try:
            return connect(target)
        except AppError as exc:
            if resolve_target(db, database_url).source != "saved":
                raise
            if not confirm(
                None,
                "Không mở được dữ liệu trên máy chủ",
                exc.message + "\n\nMở hộp thoại kết nối để thử lại, sửa mật khẩu "
                "hoặc quay về dùng tệp dữ liệu trên máy này?",
                yes="Mở hộp thoại kết nối",
                no="Thoát",
            ):
                return None
        dialog = ConnectionDialog(None)
        if not dialog.exec():
            return None
        target = dialog.url() if dialog.uses_server() else resolve_gui_target(db, database_url)
    return None
