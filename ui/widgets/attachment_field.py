"""The attached file of a record: choose a scanned PDF or Word file, open it, or drop the choice.

The file is copied into the data folder when the form is saved (``pending_path``); what is
already stored is opened with the system viewer.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QPushButton, QWidget

from app.db import Database
from app.errors import AppError
from app.services import attachments
from ui.dialogs import messages

FILE_FILTER = (
    "Văn bản (*.pdf *.doc *.docx *.odt *.rtf *.jpg *.jpeg *.png *.tif *.tiff "
    "*.xls *.xlsx);;Mọi tệp (*)"
)


def attachment_name(db: Database, stored: str) -> str:
    """The file name to show: a file kept in the database (``db:<id>``) shows its own name."""
    from app.services import attachment_blobs

    if attachment_blobs.is_ref(stored):
        try:
            return attachment_blobs.info(db, stored).filename
        except AppError:
            return stored
    return Path(stored.replace("\\", "/")).name


def open_attachment(parent: QWidget | None, db: Database, stored: str) -> bool:
    """Open a stored attachment with the system viewer; tell the user when it cannot."""
    from ui.operations import run_operation

    found: list[Path] = []
    if not run_operation(parent, lambda: attachments.open_path(db, stored), done=found.append):
        return False
    path = found[0]
    if QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
        return True
    kind = path.suffix.lower() or "không có đuôi"
    messages.show_error(
        parent,
        AppError(
            f"Máy chưa mở được tệp “{path.name}”: có thể chưa có chương trình để mở loại tệp "
            f"{kind}. Hãy cài chương trình đọc loại tệp này (ví dụ trình đọc PDF), hoặc mở tệp "
            f"trực tiếp ở thư mục:\n{path.parent}"
        ),
        title="Chưa mở được tệp",
    )
    return False


class AttachmentField(QWidget):
    changed = Signal()

    def __init__(self, db: Database, stored: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._stored = stored
        self._pending: Path | None = None
        self._build_ui()
        self._connect_signals()
        self._update()

    def _build_ui(self) -> None:
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.name_label = QLabel(self)
        self.name_label.setWordWrap(True)
        self.choose_button = QPushButton("Chọn tệp…", self)
        self.choose_button.setAutoDefault(False)
        self.open_button = QPushButton("Mở", self)
        self.open_button.setAutoDefault(False)
        self.drop_button = QPushButton("Bỏ chọn", self)
        self.drop_button.setAutoDefault(False)
        layout.addWidget(self.name_label, 1)
        layout.addWidget(self.choose_button)
        layout.addWidget(self.open_button)
        layout.addWidget(self.drop_button)

    def _connect_signals(self) -> None:
        self.choose_button.clicked.connect(self._on_choose_button_clicked)
        self.open_button.clicked.connect(self._on_open_button_clicked)
        self.drop_button.clicked.connect(self._on_drop_button_clicked)

    @property
    def pending_path(self) -> Path | None:
        return self._pending

    @property
    def stored(self) -> str:
        return self._stored

    def set_pending(self, path: Path | str | None) -> None:
        self._pending = Path(path) if path else None
        self._update()
        self.changed.emit()

    def set_stored(self, stored: str) -> None:
        self._stored = stored
        self._pending = None
        self._update()

    def _update(self) -> None:
        if self._pending is not None:
            self.name_label.setText(f"Sẽ chép vào dữ liệu khi lưu: {self._pending.name}")
        elif self._stored:
            self.name_label.setText(attachment_name(self._db, self._stored))
        else:
            self.name_label.setText("(chưa có tệp)")
        self.open_button.setEnabled(bool(self._stored) and self._pending is None)
        self.drop_button.setEnabled(self._pending is not None)

    def _on_choose_button_clicked(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Chọn tệp văn bản (bản quét PDF, Word…)", "", FILE_FILTER
        )
        if path:
            self.set_pending(path)

    def _on_open_button_clicked(self) -> None:
        open_attachment(self, self._db, self._stored)

    def _on_drop_button_clicked(self) -> None:
        self.set_pending(None)
