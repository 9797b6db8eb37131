"""What a form holds, to tell whether the user changed anything before it is closed.

``snapshot(root)`` reads every input under ``root`` (text fields, text boxes, lists, check and
radio buttons, spin boxes, attachment fields); two snapshots differ when the user changed
something. A widget with the property ``notFormData`` set (a filter box over a list) is left
out.

``AsksBeforeClosing`` makes a form dialog ask before its changes are dropped.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QDialog,
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
            value = tuple(
                widget.item(i).checkState() == Qt.CheckState.Checked for i in range(widget.count())
            )
        elif isinstance(widget, AttachmentField):
            value = (widget.stored, str(widget.pending_path or ""))
        else:
            continue
        values.append((widget.objectName() or type(widget).__name__, value))
    return tuple(values)


class AsksBeforeClosing:
    """For a form dialog (put before QDialog among the bases): Esc, Huỷ and the window's × on a
    form whose inputs changed since it was shown ask Lưu / Không lưu / Quay lại
    (``messages.ask_unsaved``). ``save_from_question()`` saves as the form's own Lưu does (and
    closes the form when it succeeds)."""

    unsaved_title = ""  # how the question names the form; the window title by default
    _initial: tuple[object, ...] | None = None
    _asking = False

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)  # type: ignore[misc]
        if self._initial is None:  # what the form held when opened
            self.remember_contents()

    def remember_contents(self) -> None:
        self._initial = snapshot(self)  # type: ignore[arg-type]

    def has_changes(self) -> bool:
        """The user changed something since the form was opened."""
        return self._initial is not None and snapshot(self) != self._initial  # type: ignore[arg-type]

    def save_from_question(self) -> None:
        raise NotImplementedError

    def discard(self) -> None:
        """Close without asking (the changes are dropped on purpose)."""
        QDialog.reject(self)  # type: ignore[arg-type]

    def reject(self) -> None:
        from ui.dialogs import messages

        dialog: QDialog = self  # type: ignore[assignment]
        if self._asking or not dialog.isVisible() or not self.has_changes():
            super().reject()  # type: ignore[misc]
            return
        self._asking = True
        try:
            choice = messages.ask_unsaved(dialog, self.unsaved_title or dialog.windowTitle())
        finally:
            self._asking = False
        if choice == messages.UNSAVED_SAVE:
            self.save_from_question()  # stays open, with its messages, when something is wrong
        elif choice == messages.UNSAVED_DISCARD:
            super().reject()  # type: ignore[misc]
