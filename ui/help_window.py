"""placeholder"""
from PySide6.QtWidgets import QDialog


class HelpWindow(QDialog):
    def __init__(self, parent=None):  # type: ignore[no-untyped-def]
        super().__init__(parent)
