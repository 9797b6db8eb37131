"""What a form holds, to tell whether the user changed anything before it is closed.

``snapshot(root)`` reads every input under ``root`` (text fields, text boxes, lists, check and
radio buttons, spin boxes, attachment fields); two snapshots differ when the user changed
something. A widget with the property ``notFormData`` set (a filter box over a list) is left
out.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)


def _inside_compound(widget: QWidget) -> bool:
    """The line edit inside a spin box or a combo box is read through its owner."""
    parent = widget.parentWidget()
    return isinstance(parent, (QAbstractSpinBox, QComboBox))


def snapshot(root: QWidget) -> tuple[object, ...]:
    from ui.widgets.attachment_field import AttachmentField

    values: list[object] = []
    for widget in root.findChildren(QWidget):
        if widget.property("notFormData"):
            continue
        value: object
        if isinstance(widget, QLineEdit):
            if _inside_compound(widget) or widget.isReadOnly():
                continue
            value = widget.text()
        elif isinstance(widget, (QPlainTextEdit, QTextEdit)):
            if widget.isReadOnly():
                continue
            value = widget.toPlainText()
        elif isinstance(widget, QComboBox):
            value = (widget.currentIndex(), widget.currentText() if widget.isEditable() else "")
        elif isinstance(widget, QAbstractSpinBox):
            value = widget.text()
        elif isinstance(widget, QAbstractButton):
            if not widget.isCheckable():
                continue
            value = widget.isChecked()
        elif isinstance(widget, QListWidget):
            value = tuple(widget.item(i).checkState() == Qt.CheckState.Checked
                          for i in range(widget.count()))
        elif isinstance(widget, AttachmentField):
            value = (widget.stored, str(widget.pending_path or ""))
        else:
            continue
        values.append((widget.objectName() or type(widget).__name__, value))
    return tuple(values)
