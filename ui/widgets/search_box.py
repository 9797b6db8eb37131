"""A search field: filters as you type (accent-insensitive), Esc clears it."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLineEdit, QWidget


class SearchBox(QLineEdit):
    """Emits ``searchChanged(text)`` shortly after the user stops typing (and at once on
    Enter or when cleared)."""

    searchChanged = Signal(str)

    def __init__(self, parent: QWidget | None = None, *,
                 placeholder: str = "Tìm (Ctrl+F), gõ không dấu cũng được",
                 delay_ms: int = 150) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._build_ui(placeholder)
        self._connect_signals()

    def _build_ui(self, placeholder: str) -> None:
        self.setPlaceholderText(placeholder)
        self.setClearButtonEnabled(True)
        self.setMinimumWidth(300)

    def _connect_signals(self) -> None:
        self.textChanged.connect(self._on_self_text_changed)
        self._timer.timeout.connect(self.flush)
        self.returnPressed.connect(self.flush)

    def _on_self_text_changed(self, text: str) -> None:
        if not text:
            self.flush()
        else:
            self._timer.start()

    def flush(self) -> None:
        """Apply the current text now."""
        self._timer.stop()
        self.searchChanged.emit(self.text())

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and self.text():
            self.clear()
            return
        super().keyPressEvent(event)
