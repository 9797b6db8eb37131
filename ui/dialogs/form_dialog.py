"""The base of every entity form: fields in a form layout, each with its red message under it.

Enter saves (the Lưu button is the default), Esc cancels, Ctrl+Enter saves from a multi-line
field. On a ValidationError the dialog stays open with everything typed, each message under its
field, and the first bad field focused. A message clears as soon as its field is changed (a date
field: as soon as what is typed can be read).

Closing a form with changes (Esc, Huỷ, the window's ×) asks first: Lưu / Không lưu / Quay lại
(``messages.ask_unsaved``); a form nobody changed closes at once.

Stale edits: a subclass saves an existing record with ``expected_version=
self.version_to_check(<version the form was opened with>)``. When another PC saved the record
first (``app.errors.StaleEdit``) the user chooses: save again over it (the version the other PC
wrote is then expected), keep the other version (the form closes, the window reloads) or go back
to the form with nothing lost.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.errors import AppError, StaleEdit, ValidationError
from ui import style
from ui.dialogs import messages
from ui.dialogs.unsaved import AsksBeforeClosing
from ui.operations import run_operation, shown_by
from ui.screen_fit import FittingScrollArea, fit_to_screen, largest_size
from ui.widgets.date_field import DateField
from ui.widgets.field_error_label import FIELD_ERROR_STYLE, FieldErrorLabel


class FormDialog(AsksBeforeClosing, QDialog):
    def __init__(self, parent: QWidget | None, title: str) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setModal(True)
        self._fields: dict[str, tuple[QWidget, FieldErrorLabel]] = {}
        self._inputs: dict[str, QWidget] = {}
        self._watched: set[int] = set()
        self._order: list[str] = []
        self._labels: dict[str, str] = {}
        self._version_override: int | None = None
        self.kept_theirs = False
        self._last_focus: QWidget | None = None
        self._outer = QVBoxLayout(self)
        self._outer.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)
        self.setMinimumWidth(520)
        self.header = QLabel(self)
        self.header.setWordWrap(True)
        self.header.setVisible(False)
        self._outer.addWidget(self.header)
        self.content = QWidget(self)
        self.form = QFormLayout(self.content)
        self.form.setContentsMargins(0, 0, 0, 0)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self.scroll_area = FittingScrollArea(self.content, self)
        self._outer.addWidget(self.scroll_area, 1)
        self.general_error = FieldErrorLabel(self)
        self._outer.addWidget(self.general_error)
        self.buttons = QDialogButtonBox(self)
        self.save_button = self.buttons.addButton("Lưu", QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = self.buttons.addButton("Huỷ", QDialogButtonBox.ButtonRole.RejectRole)
        self.save_button.setDefault(True)
        self.save_button.setAutoDefault(True)
        self.cancel_button.setAutoDefault(False)
        self._outer.addWidget(self.buttons)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        shortcut = QShortcut(QKeySequence("Ctrl+Return"), self)
        shortcut.activated.connect(self.accept)

    def showEvent(self, event: QShowEvent) -> None:
        """Wrapped labels need the height for the actual width (else rows overlap)."""
        super().showEvent(event)  # remembers what the form holds, the first time
        self._fit_height()

    def _fit_height(self) -> None:
        """As tall as the fields need, no taller than the screen (the fields scroll then)."""
        self.form.activate()
        self._outer.activate()
        content, viewport = self.content, self.scroll_area.viewport()
        need = max(content.sizeHint().height(), content.minimumSizeHint().height())
        if content.hasHeightForWidth():  # wrapped messages: their height at this width
            need = max(need, content.heightForWidth(viewport.width()))
        wanted = max(self.height() + need - viewport.height(), self.sizeHint().height())
        wanted = min(wanted, largest_size(self).height())
        if wanted > self.height():
            self.resize(self.width(), wanted)
        fit_to_screen(self)

    # --- fields ----------------------------------------------------------------------------
    def set_header(self, html: str) -> None:
        self.header.setText(html)
        self.header.setVisible(bool(html))

    def add_field(
        self,
        key: str,
        label: str,
        widget: QWidget,
        *,
        focus_widget: QWidget | None = None,
        hint: str = "",
    ) -> QWidget:
        """Add a row: the label, the widget, the message under it. The tab order follows."""
        holder = QWidget(self)
        box = QVBoxLayout(holder)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(2)
        box.addWidget(widget)
        if hint:
            hint_label = QLabel(hint, holder)
            hint_label.setWordWrap(True)
            hint_label.setStyleSheet(style.MUTED_STYLE)
            box.addWidget(hint_label)
        error = FieldErrorLabel(holder)
        box.addWidget(error)
        target = focus_widget or widget
        label_widget = QLabel(label, self)
        label_widget.setBuddy(target)
        self.form.addRow(label_widget, holder)
        self._fields[key] = (target, error)
        self._inputs[key] = widget
        self._labels[key] = label.replace("(*)", "").strip() or key
        self._order.append(key)
        if self._last_focus is not None:
            QWidget.setTabOrder(self._last_focus, target)
        self._last_focus = target
        return widget

    def finish_tab_order(self) -> None:
        if self._last_focus is not None:
            QWidget.setTabOrder(self._last_focus, self.save_button)
            QWidget.setTabOrder(self.save_button, self.cancel_button)

    def error_text(self, key: str) -> str:
        entry = self._fields.get(key)
        if entry is None:
            return self.general_error.text()
        return entry[1].text() if entry[1].isVisibleTo(self) else ""

    # --- errors ----------------------------------------------------------------------------
    def clear_errors(self) -> None:
        for widget, error in self._fields.values():
            error.clear_error()
            widget.setStyleSheet("")
        self.general_error.clear_error()

    def show_errors(self, errors: dict[str, str], fallback: str = "") -> None:
        """Each message under its field (red); the first bad field (in form order) gets focus."""
        self.clear_errors()
        unplaced = []
        for key, message in errors.items():
            entry = self._fields.get(key)
            if entry is None:
                unplaced.append(message)
                continue
            widget, label = entry
            label.show_error(message)
            widget.setStyleSheet(FIELD_ERROR_STYLE)
            self._watch(key)
        if not errors and fallback:
            unplaced.append(fallback)
        if unplaced:
            self.general_error.show_error("\n".join(unplaced))
        self._fit_height()
        for key in self._order:
            if key in errors:
                self._fields[key][0].setFocus(Qt.FocusReason.OtherFocusReason)
                break

    def _watch(self, key: str) -> None:
        """Clear the field's message as soon as the user changes it."""
        target = self._fields[key][0]
        widgets = [target, self._inputs.get(key, target)]
        widgets += widgets[1].findChildren(QWidget)
        for widget in widgets:
            if id(widget) in self._watched:
                continue
            signal = None
            if isinstance(widget, QLineEdit):  # date fields too
                signal = widget.textEdited
            elif isinstance(widget, QPlainTextEdit):
                signal = widget.textChanged
            elif isinstance(widget, QComboBox):
                signal = widget.currentIndexChanged
            elif isinstance(widget, QAbstractSpinBox):
                signal = widget.editingFinished
            elif isinstance(widget, QAbstractButton) and widget.isCheckable():
                signal = widget.toggled
            elif isinstance(widget, QListWidget):
                signal = widget.itemChanged
            if signal is None:
                continue
            self._watched.add(id(widget))
            signal.connect(lambda *_a, w=widget: self._on_field_changed(w))

    def _on_field_changed(self, widget: QWidget) -> None:
        for key, (target, label) in self._fields.items():
            inputs = self._inputs.get(key, target)
            if widget is not target and widget is not inputs and not inputs.isAncestorOf(widget):
                continue
            if not label.isVisibleTo(self):
                continue
            if isinstance(target, DateField):
                try:
                    target.value()
                except AppError as exc:  # still unreadable: say why, as it stands
                    label.show_error(exc.message)
                    continue
            label.clear_error()
            target.setStyleSheet("")

    # --- closing ---------------------------------------------------------------------------
    def save_from_question(self) -> None:
        """Lưu chosen when asked before closing."""
        self.accept()

    # --- saving ----------------------------------------------------------------------------
    @staticmethod
    def raise_all(read_errors: dict[str, str], check: Callable[[], None]) -> None:
        """When some fields could not be read, still check the others, so every message shows
        at once; the reading error wins at its own field. Never saves."""
        if not read_errors:
            return
        errors: dict[str, str] = {}
        try:
            check()
        except ValidationError as exc:
            errors.update(exc.errors)
        except AppError:
            pass
        errors.update(read_errors)
        raise ValidationError(next(iter(read_errors.values())), errors=errors)

    def save(self) -> None:
        """Subclasses save here; raise ValidationError/AppError to stay open."""
        raise NotImplementedError

    def version_to_check(self, opened_with: int) -> int:
        """The ``expected_version`` to save with: the one the form was opened with, or, after
        the user chose to save over another PC's change, the version that PC wrote."""
        return self._version_override if self._version_override is not None else opened_with

    def field_labels(self) -> dict[str, str]:
        """Field → label, for the stale-edit comparison."""
        return {k: v for k, v in self._labels.items() if k in self._fields}

    def form_values(self) -> dict[str, object]:
        """What the form holds, field by field, comparable with ``StaleEdit.current`` (dates as
        ISO text)."""
        values: dict[str, object] = {}
        for key in self._order:
            widget = self._fields[key][0]
            value: object
            if isinstance(widget, DateField):
                try:
                    day = widget.value()
                except AppError:
                    value = widget.text()
                else:
                    value = day.isoformat() if isinstance(day, dt.date) else day
            elif isinstance(widget, QLineEdit):
                value = widget.text()
            elif isinstance(widget, QPlainTextEdit):
                value = widget.toPlainText()
            elif isinstance(widget, QComboBox):
                value = widget.currentData()
            elif isinstance(widget, QAbstractButton) and widget.isCheckable():
                value = widget.isChecked()
            else:
                continue
            values[key] = value
        return values

    def accept(self) -> None:
        """Lưu: ``save()`` as one operation (``ui.operations.run_operation``: what it wrote is
        told to the window); its errors at their fields, a stale edit asked about."""
        self.clear_errors()
        at_fields = shown_by(
            lambda e: self.show_errors(e.errors, fallback=e.message), ValidationError
        )
        asked = shown_by(self._on_stale_edit, StaleEdit)
        if run_operation(self, self.save, on_error=lambda e: at_fields(e) or asked(e)):
            super().accept()

    def _show_theirs(self) -> None:
        """The other person's version was kept: the window's lists show it (all of them: the
        other PC may have changed more than this record)."""
        from ui.main_window import MainWindow
        from ui.pages.base import Page

        parent = self.parentWidget()
        window = parent.window() if parent is not None else None
        if isinstance(window, MainWindow):
            window.refresh_all()
        elif isinstance(parent, Page):
            parent.refresh()

    def _on_stale_edit(self, exc: StaleEdit) -> None:
        choice = messages.ask_stale_edit(
            self, exc, labels=self.field_labels(), mine=self.form_values()
        )
        if choice == messages.STALE_SAVE_MINE and exc.current_version is not None:
            self._version_override = exc.current_version
            self.accept()  # save again over the other PC's version
            return
        if choice == messages.STALE_KEEP_THEIRS:
            self.kept_theirs = True
            self.discard()
            self._show_theirs()
        # STALE_BACK: the form stays open with everything typed
