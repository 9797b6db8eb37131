"""A small horizontal bar chart of medians (days from a reminder to the submission), drawn with
QPainter: one bar per row with its value and how many answers it counts."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from app.text import decimal_text
from ui import style

BAR_COLOUR = style.BAR
EDGE = style.EDGE


@dataclass(frozen=True)
class MedianRow:
    label: str
    median: float
    count: int

    @property
    def text(self) -> str:
        return f"{decimal_text(self.median)} ngày (n = {self.count})"


class MedianBarChart(QWidget):
    BAR_HEIGHT = 20
    ROW_GAP = 6

    def __init__(self, parent: QWidget | None = None, *, title: str = "") -> None:
        super().__init__(parent)
        self._rows: list[MedianRow] = []
        self._title = title
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumWidth(320)

    def set_rows(self, rows: list[MedianRow]) -> None:
        self._rows = list(rows)
        self.setFixedHeight(self.sizeHint().height())
        self.setToolTip("\n".join(f"{r.label}: trung vị {r.text}" for r in self._rows))
        self.update()

    def rows(self) -> list[MedianRow]:
        return list(self._rows)

    def sizeHint(self) -> QSize:
        line = self.fontMetrics().height()
        rows = max(len(self._rows), 1)
        return QSize(420, line + 8 + rows * (self.BAR_HEIGHT + self.ROW_GAP) + 4)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = self.fontMetrics()
        top = 0
        painter.setPen(QColor(style.TEXT))
        painter.drawText(
            QRectF(0, 0, self.width(), metrics.height() + 4),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            self._title,
        )
        top = metrics.height() + 8
        if not self._rows:
            painter.drawText(
                QRectF(0, top, self.width(), self.BAR_HEIGHT),
                Qt.AlignmentFlag.AlignLeft,
                "Chưa có số liệu.",
            )
            return
        label_width = max(metrics.horizontalAdvance(r.label) for r in self._rows) + 10
        value_width = max(metrics.horizontalAdvance(r.text) for r in self._rows) + 10
        bar_space = max(self.width() - label_width - value_width, 40)
        largest = max(max(r.median for r in self._rows), 1.0)
        for i, row in enumerate(self._rows):
            y = top + i * (self.BAR_HEIGHT + self.ROW_GAP)
            painter.setPen(QColor(style.TEXT))
            painter.drawText(
                QRectF(0, y, label_width - 6, self.BAR_HEIGHT),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                row.label,
            )
            width = bar_space * row.median / largest
            painter.setPen(QPen(QColor(EDGE)))
            painter.setBrush(QColor(BAR_COLOUR))
            painter.drawRect(QRectF(label_width, y, max(width, 2), self.BAR_HEIGHT))
            painter.setPen(QColor(style.TEXT))
            painter.drawText(
                QRectF(label_width + max(width, 2) + 6, y, value_width, self.BAR_HEIGHT),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                row.text,
            )
