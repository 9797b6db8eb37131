"""A quiet banner above a table: what the last action changed, with an optional action
(e.g. "Hoàn tác") — never a modal box for good news."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from ui import style


class NoticeBar(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._action: Callable[[], None] | None = None
        self._build_ui()
        self._connect_signals()
        self.setVisible(False)

    def _build_ui(self) -> None:
        self.setObjectName("noticeBar")
        self.setStyleSheet(
            f"#noticeBar {{ background: {style.NOTICE_BACKGROUND}; "
            f"border: 1px solid {style.NOTICE_BORDER}; "
            "border-radius: 3px; }"
        )
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 4, 4)
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.action_button = QPushButton(self)
        self.action_button.setAutoDefault(False)
        self.close_button = QPushButton("Đóng", self)
        self.close_button.setAutoDefault(False)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.action_button)
        layout.addWidget(self.close_button)

    def _connect_signals(self) -> None:
        self.action_button.clicked.connect(self._on_action_button_clicked)
        self.close_button.clicked.connect(self.dismiss)

    def show_notice(
        self, text: str, action_text: str = "", action: Callable[[], None] | None = None
    ) -> None:
        self.label.setText(text)
        self._action = action
        self.action_button.setText(action_text)
        self.action_button.setVisible(bool(action_text and action))
        self.setVisible(True)

    def dismiss(self) -> None:
        self._action = None
        self.setVisible(False)

    def _on_action_button_clicked(self) -> None:
        action = self._action
        self.dismiss()
        if action is not None:
            action()
