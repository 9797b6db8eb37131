"""The whole text of a document, editable field by field before it is printed.

One editor per editable field of the generated document (:meth:`DocumentContent.fields`): a
line for a subject, a text box (one paragraph a line) for Kính gửi and each body section. Each
shows the generated text until the user changes it; "Khôi phục nội dung tự sinh" puts the
generated text back. A field the user changed keeps her text when the document is generated
again (another day, another signer); only what differs from the generated text is an edit."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.documents.content import EditableField

RESTORE_TEXT = "Khôi phục nội dung tự sinh"


def normalised(text: str) -> str:
    """Text as printed: spaces collapsed, empty lines dropped (what counts as a change)."""
    return "\n".join(" ".join(line.split()) for line in text.splitlines() if line.strip())


class FieldEditor(QWidget):
    """One field: its label ("… (đã sửa)" once changed), the editor and the restore button."""

    textEdited = Signal(str)  # the key

    def __init__(self, field: EditableField, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = field.key
        self.base_label = field.label
        self.multiline = field.multiline
        self.label = QLabel(field.label, self)
        self.label.setWordWrap(True)
        self.restore_button = QPushButton(RESTORE_TEXT, self)
        self.restore_button.setToolTip("Bỏ phần đã sửa, dùng lại nội dung chương trình tự sinh.")
        self.restore_button.setEnabled(False)
        self.editor: QLineEdit | QPlainTextEdit
        if field.multiline:
            self.editor = QPlainTextEdit(self)
            self.editor.setTabChangesFocus(True)
            lines = max(2, min(8, field.text.count("\n") + 2 + len(field.text) // 90))
            height = self.editor.fontMetrics().lineSpacing() * lines + 12
            self.editor.setMinimumHeight(self.editor.fontMetrics().lineSpacing() * 2 + 12)
            self.editor.setFixedHeight(height)
        else:
            self.editor = QLineEdit(self)
        self.editor.setAccessibleName(field.label)
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.label, 1)
        top.addWidget(self.restore_button, 0, Qt.AlignmentFlag.AlignRight)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 4, 0, 0)
        box.setSpacing(2)
        box.addLayout(top)
        box.addWidget(self.editor)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        if isinstance(self.editor, QLineEdit):
            self.editor.textChanged.connect(self._on_editor_changed)
        else:
            self.editor.textChanged.connect(self._on_editor_changed)

    def text(self) -> str:
        if isinstance(self.editor, QLineEdit):
            return self.editor.text()
        return self.editor.toPlainText()

    def set_text(self, text: str) -> None:
        """Set the text without it counting as the user's edit."""
        self.editor.blockSignals(True)
        if isinstance(self.editor, QLineEdit):
            self.editor.setText(text)
            self.editor.setCursorPosition(0)
        else:
            self.editor.setPlainText(text)
        self.editor.blockSignals(False)

    def set_edited(self, edited: bool) -> None:
        self.restore_button.setEnabled(edited)
        self.label.setText(f"{self.base_label} (đã sửa)" if edited else self.base_label)

    def _on_editor_changed(self, *_args: object) -> None:
        self.textEdited.emit(self.key)


class TextFieldsEditor(QWidget):
    """Every editable field of a document; ``edits()`` is what the user changed."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._generated: dict[str, str] = {}
        self._edits: dict[str, str] = {}
        self._editors: dict[str, FieldEditor] = {}
        self.placeholder = QLabel(
            "Nội dung văn bản hiện ở đây khi văn bản được tạo (bấm “Xem trước”).", self
        )
        self.placeholder.setWordWrap(True)
        self._box = QVBoxLayout(self)
        self._box.setContentsMargins(0, 0, 0, 0)
        self._box.addWidget(self.placeholder)

    # --- reading --------------------------------------------------------------------------
    def edits(self) -> dict[str, str]:
        """The fields whose text differs from the generated one (fields not shown yet — a
        reopened document before it is generated — included)."""
        return dict(self._edits)

    def editor(self, key: str) -> FieldEditor:
        return self._editors[key]

    def keys(self) -> list[str]:
        return list(self._editors)

    def __contains__(self, key: object) -> bool:
        """A field with this key is shown."""
        return key in self._editors

    def generated(self, key: str) -> str:
        return self._generated.get(key, "")

    # --- setting --------------------------------------------------------------------------
    def set_edits(self, edits: Mapping[str, str]) -> None:
        """Start from these edits (a reopened document, or the edits kept for another
        document chosen again)."""
        self._edits = {k: v for k, v in edits.items()}
        for key, editor in self._editors.items():
            editor.set_text(self._edits.get(key, self._generated.get(key, "")))
            editor.set_edited(key in self._edits)

    def set_fields(self, fields: Iterable[EditableField]) -> None:
        """Show the fields of a newly generated document: generated text where the user has
        not changed it, her text where she has."""
        wanted = list(fields)
        keys = [f.key for f in wanted]
        for key in list(self._editors):
            if key not in keys:
                editor = self._editors.pop(key)
                self._box.removeWidget(editor)
                editor.deleteLater()
        for position, field in enumerate(wanted):
            self._generated[field.key] = field.text
            existing = self._editors.get(field.key)
            if existing is not None and existing.multiline != field.multiline:
                self._box.removeWidget(existing)
                existing.deleteLater()
                existing = None
            if existing is not None:
                editor = existing
            else:
                editor = FieldEditor(field, self)
                editor.textEdited.connect(self._on_field_edited)
                editor.restore_button.clicked.connect(
                    lambda _checked=False, k=field.key: self.restore(k)
                )
                self._editors[field.key] = editor
            self._box.insertWidget(position + 1, editor)  # after the placeholder
            if field.key in self._edits and normalised(self._edits[field.key]) == normalised(
                field.text
            ):
                del self._edits[field.key]  # the generated text caught up with the edit
            editor.set_text(self._edits.get(field.key, field.text))
            editor.set_edited(field.key in self._edits)
        self.placeholder.setVisible(not self._editors)

    def restore(self, key: str) -> None:
        """Put the generated text back in one field."""
        editor = self._editors.get(key)
        self._edits.pop(key, None)
        if editor is not None:
            editor.set_text(self._generated.get(key, ""))
            editor.set_edited(False)
        self.changed.emit()

    # --- slots ----------------------------------------------------------------------------
    def _on_field_edited(self, key: str) -> None:
        text = self._editors[key].text()
        if normalised(text) == normalised(self._generated.get(key, "")):
            self._edits.pop(key, None)
        else:
            self._edits[key] = text
        self._editors[key].set_edited(key in self._edits)
        self.changed.emit()
