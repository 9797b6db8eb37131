"""A length in millimetres as a person writes it: "20 mm", "22,5 mm" (never "20.0 mm")."""

from __future__ import annotations

from PySide6.QtGui import QValidator
from PySide6.QtWidgets import QDoubleSpinBox, QWidget

from app.text import decimal_text


def mm_text(value: float) -> str:
    """20.0 → "20", 22.5 → "22,5" (Vietnamese decimal comma)."""
    return decimal_text(value)


class MillimetreSpinBox(QDoubleSpinBox):
    """Steps of 0,5 mm; typed with a comma or a dot."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDecimals(1)
        self.setSingleStep(0.5)
        self.setSuffix(" mm")

    def textFromValue(self, value: float) -> str:
        return mm_text(value)

    def valueFromText(self, text: str) -> float:
        number = text.replace(self.suffix(), "").strip().replace(",", ".")
        try:
            return float(number)
        except ValueError:
            return self.value()

    def validate(self, text: str, pos: int) -> tuple[QValidator.State, str, int]:
        number = text.replace(self.suffix(), "").strip().replace(",", ".")
        if not number:
            return QValidator.State.Intermediate, text, pos
        try:
            value = float(number)
        except ValueError:
            return QValidator.State.Invalid, text, pos
        if self.minimum() <= value <= self.maximum():
            return QValidator.State.Acceptable, text, pos
        return QValidator.State.Intermediate, text, pos
