"""A search field: filters as you type (accent-insensitive), Esc clears it.

``link_search(search, view)`` gives every tab's search the same keys: Esc clears the search
(in the search box, or in the list while a search is active); ↓ or Enter in the search box goes
to the first row of the list.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QLineEdit, QWidget


class SearchBox(QLineEdit):
    """Emits ``searchChanged(text)`` shortly after the user stops typing (and at once on
    Enter or when cleared)."""

    searchChanged = Signal(str)

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        placeholder: str = "Tìm (Ctrl+F), gõ không dấu cũng được",
        delay_ms: int = 150,
    ) -> None:
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


class _SearchKeys(QObject):
    def __init__(self, search: QLineEdit, view: QAbstractItemView) -> None:
        super().__init__(search)
        self.search = search
        self.view = view
        search.installEventFilter(self)
        view.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        key, plain = event.key(), not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if watched is self.search and plain:
            if key == Qt.Key.Key_Escape and self.search.text():
                self.search.clear()
                return True
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.search.returnPressed.emit()  # apply the search now
                go_to_first_row(self.view)
                return True
        if watched is self.view and plain and key == Qt.Key.Key_Escape and self.search.text():
            self.search.clear()
            self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
            return True
        return False


def go_to_first_row(view: QAbstractItemView) -> None:
    """Focus the list with its first row current and selected."""
    view.setFocus(Qt.FocusReason.ShortcutFocusReason)
    model = view.model()
    if model is None or model.rowCount() == 0:
        return
    column = 0
    header = getattr(view, "horizontalHeader", None)
    if header is not None:
        column = max(header().logicalIndex(0), 0)
    index = model.index(0, column)
    view.setCurrentIndex(index)
    view.scrollTo(index)


def link_search(search: QLineEdit, view: QAbstractItemView) -> None:
    """Esc clears ``search`` (there or in ``view``); ↓/Enter go from it to the first row."""
    _SearchKeys(search, view)
