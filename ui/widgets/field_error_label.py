"""The red message shown under a form field that has a problem."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

from ui import style

ERROR_STYLE = style.ERROR_STYLE
FIELD_ERROR_STYLE = f"border: 1px solid {style.FIELD_ERROR_BORDER}; border-radius: 2px;"


class FieldErrorLabel(QLabel):
    """Hidden while empty; ``show_error(text)`` shows it, ``clear_error()`` hides it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setStyleSheet(ERROR_STYLE)
        self.setVisible(False)

    def show_error(self, text: str) -> None:
        self.setText(text)
        self.setVisible(bool(text))

    def clear_error(self) -> None:
        self.setText("")
        self.setVisible(False)
