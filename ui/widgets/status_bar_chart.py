"""A horizontal stacked bar chart of obligation statuses, drawn with QPainter.

One bar per row (a task, a unit kind…): segments coloured by status, each with its count; the
received rate at the right; a legend with the colour and the label of every status shown.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from app.status import DISPLAY_ORDER, STATUS_COLOURS, Status, StatusCounts, rate_text
from app.text import number_text
from ui import style

# Darker edges so that the pale fills stay visible on white.
EDGE = style.EDGE


@dataclass(frozen=True)
class ChartRow:
    label: str
    counts: StatusCounts


class StatusBarChart(QWidget):
    """``set_rows([ChartRow(...), ...])``; bars are scaled to the largest total."""

    BAR_HEIGHT = 22
    ROW_GAP = 8
    LEGEND_HEIGHT = 26

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        title: str = "",
        show_exempt: bool = True,
        show_legend: bool = True,
    ) -> None:
        super().__init__(parent)
        self._rows: list[ChartRow] = []
        self._title = title
        self._show_exempt = show_exempt
        self._show_legend = show_legend
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumWidth(420)

    # --- data -----------------------------------------------------------------------------
    def set_rows(self, rows: list[ChartRow]) -> None:
        self._rows = list(rows)
        self.updateGeometry()
        self.setFixedHeight(self.sizeHint().height())
        self.setToolTip("\n".join(self._describe(r) for r in self._rows))
        self.update()

    def rows(self) -> list[ChartRow]:
        return list(self._rows)

    def _segments(self) -> tuple[Status, ...]:
        return tuple(s for s in DISPLAY_ORDER if self._show_exempt or s is not Status.EXEMPT)

    def _describe(self, row: ChartRow) -> str:
        parts = [
            f"{s.short_label}: {number_text(row.counts.get(s))}"
            for s in self._segments()
            if row.counts.get(s)
        ]
        return (
            f"{row.label} — phải nộp {number_text(row.counts.expected)}, "
            f"đã nộp {number_text(row.counts.received)} "
            f"({rate_text(row.counts.received_rate)}); " + ", ".join(parts)
        )

    # --- geometry -------------------------------------------------------------------------
    def _title_height(self) -> int:
        return QFontMetrics(self.font()).height() + 6 if self._title else 0

    def sizeHint(self) -> QSize:
        rows = max(1, len(self._rows))
        legend = self.LEGEND_HEIGHT if self._show_legend else 0
        height = self._title_height() + rows * (self.BAR_HEIGHT + self.ROW_GAP) + legend + 6
        return QSize(640, height)

    def minimumSizeHint(self) -> QSize:
        return QSize(420, self.sizeHint().height())

    # --- painting -------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = QFontMetrics(self.font())
        width = self.width()
        y = 2.0
        if self._title:
            bold = painter.font()
            bold.setBold(True)
            painter.setFont(bold)
            painter.drawText(
                QRectF(0, y, width, metrics.height() + 4),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                self._title,
            )
            bold.setBold(False)
            painter.setFont(bold)
            y += self._title_height()
        if not self._rows:
            painter.setPen(QColor(style.TEXT_MUTED))
            painter.drawText(
                QRectF(0, y, width, self.BAR_HEIGHT),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                "Chưa có nghĩa vụ nào.",
            )
            painter.end()
            return
        label_width = min(
            max(metrics.horizontalAdvance(r.label) for r in self._rows) + 12, int(width * 0.35)
        )
        rate_width = metrics.horizontalAdvance("Đã nộp 100,0%") + 12
        bar_left = label_width
        bar_width = max(40.0, width - label_width - rate_width)
        biggest = max((self._bar_total(r.counts) for r in self._rows), default=0) or 1
        for row in self._rows:
            rect = QRectF(0, y, label_width - 8, self.BAR_HEIGHT)
            painter.setPen(QColor(style.TEXT_DARK))
            painter.drawText(
                rect,
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                metrics.elidedText(row.label, Qt.TextElideMode.ElideRight, int(rect.width())),
            )
            x = float(bar_left)
            for status in self._segments():
                n = row.counts.get(status)
                if not n:
                    continue
                w = bar_width * n / biggest
                seg = QRectF(x, y, w, self.BAR_HEIGHT)
                painter.setPen(QPen(QColor(EDGE), 1))
                painter.setBrush(QColor(STATUS_COLOURS[status]))
                painter.drawRect(seg)
                text = number_text(n)
                if metrics.horizontalAdvance(text) + 4 <= w:
                    painter.setPen(QColor(style.TEXT))
                    painter.drawText(seg, Qt.AlignmentFlag.AlignCenter, text)
                x += w
            painter.setPen(QColor(style.TEXT_DARK))
            painter.drawText(
                QRectF(bar_left + bar_width + 6, y, rate_width, self.BAR_HEIGHT),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                f"Đã nộp {rate_text(row.counts.received_rate)}",
            )
            y += self.BAR_HEIGHT + self.ROW_GAP
        if self._show_legend:
            self._paint_legend(painter, metrics, y + 2, bar_left)
        painter.end()

    def _bar_total(self, counts: StatusCounts) -> int:
        return sum(counts.get(s) for s in self._segments())

    def _paint_legend(
        self, painter: QPainter, metrics: QFontMetrics, y: float, left: float
    ) -> None:
        x = left
        box = 12
        for status in self._segments():
            painter.setPen(QPen(QColor(EDGE), 1))
            painter.setBrush(QColor(STATUS_COLOURS[status]))
            painter.drawRect(QRectF(x, y + 4, box, box))
            label = status.short_label
            painter.setPen(QColor(style.TEXT_DARK))
            text_width = metrics.horizontalAdvance(label)
            painter.drawText(
                QRectF(x + box + 4, y, text_width + 4, box + 8),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                label,
            )
            x += box + text_width + 18
