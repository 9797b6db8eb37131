"""At start-up, when the database cannot be opened: say what happened and offer what to do —
put back the latest backup (the damaged file is kept aside), open another file, or quit.
Nothing is overwritten without asking."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.db.recovery import backup_folder, list_backups, restore_backup
from ui.dialogs.messages import confirm, show_info
from ui.operations import run_operation


class DatabaseErrorDialog(QDialog):
    """``action`` after exec(): "restored" or "retry" (open again), "other" (``chosen_path``)
    or "quit"."""

    RESTORED = "restored"
    RETRY = "retry"
    OTHER = "other"
    QUIT = "quit"

    def __init__(self, message: str, db_path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.message = message
        self.db_path = Path(db_path)
        self.action = self.QUIT
        self.chosen_path: Path | None = None
        self.restored_aside: Path | None = None
        self._build_ui()
        self._connect_signals()
        self._load_backups()

    def _build_ui(self) -> None:
        self.setWindowTitle("Không mở được dữ liệu")
        self.setMinimumWidth(620)
        layout = QVBoxLayout(self)
        self.message_label = QLabel(self.message, self)
        self.message_label.setWordWrap(True)
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.message_label.font()
        font.setBold(True)
        self.message_label.setFont(font)
        layout.addWidget(self.message_label)
        self.file_label = QLabel(f"Tệp dữ liệu: {self.db_path}", self)
        self.file_label.setWordWrap(True)
        layout.addWidget(self.file_label)
        self.backups_label = QLabel(self)
        self.backups_label.setWordWrap(True)
        layout.addWidget(self.backups_label)
        self.backup_list = QListWidget(self)
        layout.addWidget(self.backup_list)
        buttons = QHBoxLayout()
        self.restore_button = QPushButton("Khôi phục bản sao lưu gần nhất…", self)
        self.other_button = QPushButton("Chọn tệp dữ liệu khác…", self)
        self.retry_button = QPushButton("Thử lại", self)
        self.retry_button.setToolTip(
            "Mở lại tệp này (ví dụ sau khi đóng chương trình khác "
            "đang giữ tệp, hoặc cắm lại ổ USB)."
        )
        self.quit_button = QPushButton("Thoát", self)
        buttons.addWidget(self.restore_button)
        buttons.addWidget(self.other_button)
        buttons.addStretch(1)
        buttons.addWidget(self.retry_button)
        buttons.addWidget(self.quit_button)
        layout.addLayout(buttons)

    def _connect_signals(self) -> None:
        self.restore_button.clicked.connect(self._on_restore_button_clicked)
        self.other_button.clicked.connect(self._on_other_button_clicked)
        self.retry_button.clicked.connect(self._on_retry_button_clicked)
        self.quit_button.clicked.connect(self._on_quit_button_clicked)
        self.backup_list.currentRowChanged.connect(self._on_backup_list_current_row_changed)

    def _load_backups(self) -> None:
        self.backup_list.clear()
        backups = list_backups(self.db_path)
        for backup in backups:
            item = QListWidgetItem(backup.label, self.backup_list)
            item.setData(Qt.ItemDataRole.UserRole, str(backup.path))
        if backups:
            self.backups_label.setText(
                f"Các bản sao lưu tìm thấy trong {backup_folder(self.db_path)} (kể cả các bản "
                "sao lưu tự động, mới nhất trước). Chọn một bản rồi bấm Khôi phục: bản sao lưu "
                "được kiểm tra trước; tệp hiện tại được giữ lại, không bị xoá."
            )
            self.backup_list.setCurrentRow(0)
        else:
            self.backups_label.setText(
                f"Không tìm thấy bản sao lưu nào trong {backup_folder(self.db_path)}. Nếu có "
                'bản sao lưu ở nơi khác (USB, ổ mạng), hãy bấm "Chọn tệp dữ liệu khác…".'
            )
        self.backup_list.setVisible(bool(backups))
        self.restore_button.setEnabled(bool(backups))

    def selected_backup(self) -> Path | None:
        item = self.backup_list.currentItem()
        return Path(item.data(Qt.ItemDataRole.UserRole)) if item is not None else None

    # --- slots -----------------------------------------------------------------------------
    def _on_backup_list_current_row_changed(self, row: int) -> None:
        self.restore_button.setText(
            "Khôi phục bản sao lưu gần nhất…" if row <= 0 else "Khôi phục bản sao lưu đã chọn…"
        )

    def _on_restore_button_clicked(self) -> None:
        backup = self.selected_backup()
        if backup is None:
            return
        if not confirm(
            self,
            "Khôi phục bản sao lưu",
            f"Thay tệp dữ liệu\n{self.db_path}\nbằng bản sao lưu\n{backup.name}?\n\n"
            'Tệp hiện tại không bị xoá: nó được đổi tên (thêm ".hong-<ngày giờ>") '
            "và giữ nguyên trong cùng thư mục"
            + (
                " (thư mục tệp đính kèm hiện tại cũng được giữ lại)"
                if backup.suffix.lower() == ".zip"
                else ""
            )
            + ".\nNhững gì nhập sau thời điểm sao lưu "
            "sẽ cần nhập lại.",
            yes="Khôi phục",
            no="Không",
        ):
            return

        def restored(aside: Path) -> None:
            self.restored_aside = aside
            show_info(
                self,
                "Đã khôi phục",
                f"Đã khôi phục bản sao lưu {backup.name}.\nTệp cũ được giữ tại:\n{aside}",
            )
            self.action = self.RESTORED
            self.accept()

        if not run_operation(
            self,
            lambda: restore_backup(backup, self.db_path),
            error_title="Không khôi phục được",
            done=restored,
        ):
            self._load_backups()

    def _on_other_button_clicked(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self,
            "Chọn tệp dữ liệu",
            str(self.db_path.parent),
            "Tệp dữ liệu Sổ theo dõi (*.db);;Mọi tệp (*)",
        )
        if not path:
            return
        self.action = self.OTHER
        self.chosen_path = Path(path)
        self.accept()

    def _on_retry_button_clicked(self) -> None:
        self.action = self.RETRY
        self.accept()

    def _on_quit_button_clicked(self) -> None:
        self.action = self.QUIT
        self.reject()
