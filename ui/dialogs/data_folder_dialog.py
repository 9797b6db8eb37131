"""Help → "Thư mục dữ liệu": where the database, attachments and backups are; open the folder;
move the data to another folder (copy, verify, then point the program at it)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from app.db import Database
from app.exchange.backup import attachments_dir, backups_dir, list_auto_backups
from ui.tasks import run_in_background


class DataFolderDialog(QDialog):
    moved = Signal(object)  # MoveResult

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self._build_ui()
        self._connect_signals()

    def folder(self) -> Path | None:
        return self.db.path.resolve().parent if self.db.path else None

    def _build_ui(self) -> None:
        self.setWindowTitle("Thư mục dữ liệu")
        self.resize(640, 260)
        layout = QVBoxLayout(self)
        intro = QLabel(
            "Mọi dữ liệu của chương trình nằm trong thư mục dưới đây. Sao lưu tự động "
            "được tạo mỗi lần mở và đóng chương trình.",
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        folder = self.folder()
        db_text = str(self.db.path) if self.db.path else self.db.url
        self.folder_label = QLabel(str(folder) if folder else "—", self)
        self.db_label = QLabel(db_text, self)
        attachments = attachments_dir(self.db)
        self.attachments_label = QLabel(str(attachments) if attachments else "—", self)
        auto = list_auto_backups(self.db) if self.db.path else []
        backups = (
            f"{backups_dir(self.db)} ({len(auto)} bản tự động"
            + (f", mới nhất {auto[0].name})" if auto else ")")
            if self.db.path
            else "—"
        )
        self.backups_label = QLabel(backups, self)
        for label in (self.folder_label, self.db_label, self.attachments_label, self.backups_label):
            label.setWordWrap(True)
            label.setTextInteractionFlags(
                label.textInteractionFlags() | label.textInteractionFlags().TextSelectableByMouse
            )
        form.addRow("Thư mục dữ liệu:", self.folder_label)
        form.addRow("Tệp cơ sở dữ liệu:", self.db_label)
        form.addRow("Tệp đính kèm:", self.attachments_label)
        form.addRow("Sao lưu:", self.backups_label)
        layout.addLayout(form)
        self.status_label = QLabel("", self)
        self.status_label.setWordWrap(True)
        layout.addWidget(self.status_label)
        layout.addStretch(1)
        self.buttons = QDialogButtonBox(self)
        self.open_button = self.buttons.addButton(
            "Mở thư mục", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.move_button = self.buttons.addButton(
            "Chuyển sang thư mục khác…", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.close_button = self.buttons.addButton("Đóng", QDialogButtonBox.ButtonRole.RejectRole)
        self.move_button.setEnabled(self.db.path is not None)
        layout.addWidget(self.buttons)

    def _connect_signals(self) -> None:
        self.open_button.clicked.connect(self._on_open_button_clicked)
        self.move_button.clicked.connect(self._on_move_button_clicked)
        self.close_button.clicked.connect(self.reject)

    def _on_open_button_clicked(self) -> None:
        folder = self.folder()
        if folder is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    def _on_move_button_clicked(self) -> None:
        target = QFileDialog.getExistingDirectory(
            self, "Chọn thư mục mới (nên là thư mục trống)", str(Path.home())
        )
        if target:
            self.move_to(Path(target))

    def move_to(self, target: Path) -> None:
        from app.exchange.data_folder import move_data
        from ui.dialogs.messages import confirm, show_error

        if not confirm(
            self,
            "Chuyển thư mục dữ liệu",
            f"Chép toàn bộ dữ liệu và tệp đính kèm sang:\n{target}\n\nSau khi chép và "
            "kiểm tra xong, chương trình sẽ dùng thư mục mới từ lần mở sau; thư mục "
            "cũ được giữ nguyên.",
            yes="Chuyển",
        ):
            return
        self.move_button.setEnabled(False)
        self.status_label.setText("Đang chép và kiểm tra dữ liệu…")

        def failed(exc: BaseException) -> None:
            self.move_button.setEnabled(True)
            self.status_label.setText("Chưa chuyển được; dữ liệu vẫn ở thư mục cũ.")
            show_error(self, exc, title="Không chuyển được thư mục dữ liệu")

        run_in_background(
            lambda: move_data(self.db, target, now=dt.datetime.now()), self._on_move_done, failed
        )

    def _on_move_done(self, result: Any) -> None:
        from ui.dialogs.messages import show_info

        self.status_label.setText(result.describe())
        show_info(
            self,
            "Đã chuyển thư mục dữ liệu",
            result.describe() + "\n\nChương trình sẽ đóng lại; hãy mở lại để làm việc với "
            "thư mục mới.",
        )
        self.moved.emit(result)
        self.accept()
