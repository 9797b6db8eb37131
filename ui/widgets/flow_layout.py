"""A row of buttons and fields that wraps onto a second line when the window is narrow (half of a
1920 screen, 960 px), so no button is ever cut off or pushes the window wider than the screen.

Used like a QHBoxLayout: ``addWidget``, ``addStretch`` (pushes what follows to the right on its
line), ``addSpacing``. The items keep their order; a line breaks before the first item that does
not fit.
"""

from __future__ import annotations

from PySide6.QtCore import QMargins, QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QLayout, QLayoutItem, QSizePolicy, QSpacerItem, QWidget


class FlowLayout(QLayout):
    def __init__(self, parent: QWidget | None = None, spacing: int = -1) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._stretch: set[int] = set()  # ids of the stretch spacers
        if parent is None:
            self.setContentsMargins(QMargins(0, 0, 0, 0))
        if spacing >= 0:
            self.setSpacing(spacing)

    # --- QLayout ---------------------------------------------------------------------------
    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def addStretch(self, _stretch: int = 1) -> None:
        item = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
        self._stretch.add(id(item))
        self.addItem(item)
        self.invalidate()

    def addSpacing(self, size: int) -> None:
        self.addItem(QSpacerItem(size, 0, QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Minimum))
        self.invalidate()

    def insertWidget(self, index: int, widget: QWidget) -> None:
        self.addChildWidget(widget)
        from PySide6.QtWidgets import QWidgetItem

        self._items.insert(max(0, min(index, len(self._items))), QWidgetItem(widget))
        self.invalidate()

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # type: ignore[override]
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # type: ignore[override]
        if 0 <= index < len(self._items):
            item = self._items.pop(index)
            self._stretch.discard(id(item))
            return item
        return None

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation.Horizontal

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._do_layout(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._do_layout(rect, move=True)

    def sizeHint(self) -> QSize:
        """Everything on one line."""
        width = height = 0
        visible = self._visible()
        for item in visible:
            hint = item.sizeHint()
            width += hint.width()
            height = max(height, hint.height())
        width += self._space() * max(0, len(visible) - 1)
        m = self.contentsMargins()
        return QSize(width + m.left() + m.right(), height + m.top() + m.bottom())

    def minimumSize(self) -> QSize:
        """As narrow as the widest single item."""
        size = QSize()
        for item in self._visible():
            size = size.expandedTo(item.minimumSize())
        m = self.contentsMargins()
        return size + QSize(m.left() + m.right(), m.top() + m.bottom())

    # --- placing ---------------------------------------------------------------------------
    def _space(self) -> int:
        space = self.spacing()
        if space >= 0:
            return space
        parent = self.parentWidget()
        if parent is None:
            return 6
        return parent.style().layoutSpacing(
            QSizePolicy.ControlType.PushButton,
            QSizePolicy.ControlType.PushButton,
            Qt.Orientation.Horizontal,
        )

    def _visible(self) -> list[QLayoutItem]:
        return [i for i in self._items if id(i) in self._stretch or not i.isEmpty()]

    def _lines(self, width: int) -> list[list[QLayoutItem]]:
        lines: list[list[QLayoutItem]] = [[]]
        used = 0
        space = self._space()
        for item in self._visible():
            w = 0 if id(item) in self._stretch else item.sizeHint().width()
            line = lines[-1]
            if line and used + space + w > width:
                lines.append([])
                line, used = lines[-1], 0
            if not line and id(item) in self._stretch:
                continue  # a stretch at the start of a line does nothing
            used += (space if line else 0) + w
            line.append(item)
        return [line for line in lines if line]

    def _do_layout(self, rect: QRect, *, move: bool) -> int:
        m = self.contentsMargins()
        area = rect.adjusted(m.left(), m.top(), -m.right(), -m.bottom())
        space = self._space()
        y = area.y()
        for line in self._lines(area.width()):
            widths = [
                0 if id(i) in self._stretch else min(i.sizeHint().width(), area.width())
                for i in line
            ]
            height = max(i.sizeHint().height() for i in line)
            spare = area.width() - sum(widths) - space * (len(line) - 1)
            stretches = [n for n, i in enumerate(line) if id(i) in self._stretch]
            if spare > 0 and stretches:
                widths[stretches[0]] += spare
            x = area.x()
            for item, w in zip(line, widths, strict=True):
                if move:
                    h = min(height, max(item.sizeHint().height(), item.minimumSize().height()))
                    item.setGeometry(QRect(QPoint(x, y + (height - h) // 2), QSize(w, h)))
                x += w + space
            y += height + space
        return y - space - area.y() + m.top() + m.bottom() if self._items else 0
