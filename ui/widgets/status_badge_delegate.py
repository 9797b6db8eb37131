"""Paints a status as a coloured badge with its label (colour never alone)."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPalette
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from ui import style


class StatusBadgeDelegate(QStyledItemDelegate):
    """The model gives the label (DisplayRole) and the colour (BackgroundRole)."""

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        colour = index.data(Qt.ItemDataRole.BackgroundRole)
        opt.text = ""
        opt.backgroundBrush = QBrush(Qt.GlobalColor.transparent)
        qstyle = opt.widget.style() if opt.widget else QApplication.style()
        qstyle.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        if not text:
            return
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRect(option.rect).adjusted(3, 3, -3, -3)
        if colour is not None:
            painter.setPen(QColor(colour).darker(130))
            painter.setBrush(QColor(colour))
            painter.drawRoundedRect(rect, 6, 6)
        painter.setPen(
            opt.palette.color(QPalette.ColorRole.Text)
            if colour is None
            else QColor(style.TEXT_BADGE)
        )
        painter.drawText(
            rect.adjusted(6, 0, -4, 0),
            int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft),
            text,
        )
        painter.restore()

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        size = super().sizeHint(option, index)
        return QSize(size.width() + 20, max(size.height(), option.fontMetrics.height() + 10))
