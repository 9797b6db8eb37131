"""The one date field of the program (as-of day, print dialog, forms, filters).

Typed like Excel: ``25/06/2018``, ``5/6/2018``, ``28.04.2018``, ``28-04-2018`` or ``2018-04-28``
each replace the whole value (select-all then type works); on Enter or leaving the field the
text is shown as dd/mm/yyyy. What cannot be read (``26062018``, ``31/02/2018``) is never
changed into something else: the text stays as typed, the field turns red with the message in
its tool tip and ``invalidEntered(message)`` tells the window, and the value stays the last one
accepted. Ctrl+; gives today, ↑/↓ move by a day, the ▾ button opens a calendar at the current
value (today when empty) with "Hôm nay" and, for optional dates, "Để trống".

``value()`` reads the text (ValidationError at this field when it cannot be read) — forms use
it; ``date_value()`` is the last value accepted — the as-of control uses it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QDate, QLocale, Qt, Signal
from PySide6.QtGui import QAction, QKeyEvent
from PySide6.QtWidgets import (
    QCalendarWidget,
    QFrame,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.dates import MAX_YEAR, MIN_YEAR, fmt, parse_optional_date
from app.errors import ValidationError
from ui.widgets.field_error_label import FIELD_ERROR_STYLE

# Only the UI reads the clock: the main window points this at its own today().
_today: Callable[[], dt.date] = dt.date.today


def set_today(provider: Callable[[], dt.date]) -> None:
    """Where Ctrl+; and "Hôm nay" get today from (the main window's ``today``)."""
    global _today
    _today = provider


def today() -> dt.date:
    return _today()


class DateField(QLineEdit):
    dateValueChanged = Signal(object)  # dt.date | None: a new value accepted
    invalidEntered = Signal(str)  # what was typed cannot be read: the message

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        label: str = "Ngày",
        field: str | None = None,
        allow_empty: bool = True,
    ) -> None:
        super().__init__(parent)
        self._label = label
        self._field = field
        self._allow_empty = allow_empty
        self._accepted: dt.date | None = None
        self._error = ""
        self._tool_tip = ""
        self._calendar: DatePopup | None = None
        self._build_ui()
        self._connect_signals()
        if not allow_empty:
            self.set_date_value(today())

    def _build_ui(self) -> None:
        self.setPlaceholderText("ngày/tháng/năm")
        self.setMaxLength(10)
        self.setMinimumWidth(130)
        self.setMaximumWidth(170)
        self.calendar_action = QAction("▾", self)
        self.calendar_action.setToolTip("Chọn trên lịch (Ctrl+; : hôm nay)")
        self.addAction(self.calendar_action, QLineEdit.ActionPosition.TrailingPosition)

    def _connect_signals(self) -> None:
        self.calendar_action.triggered.connect(self._on_calendar_action_triggered)
        self.editingFinished.connect(self.commit)
        self.textEdited.connect(self._on_self_text_edited)

    # --- reading and writing ----------------------------------------------------------------
    def value(self) -> dt.date | None:
        """The date typed, None when empty; ValidationError (at this field) when bad."""
        day = parse_optional_date(self.text(), field=self._field, label=self._label)
        if day is None and not self._allow_empty:
            raise ValidationError(f"{self._label} chưa được nhập.", field=self._field)
        return day

    def set_value(self, day: dt.date | None) -> None:
        self.setText(fmt(day))
        self._accept(day)

    def date_value(self) -> dt.date | None:
        """The last value accepted (what typed-but-unreadable text did not replace)."""
        return self._accepted

    def set_date_value(self, day: dt.date | None) -> None:
        if day is None and not self._allow_empty:
            day = today()
        self.set_value(day)

    def error(self) -> str:
        """The message for the text as it stands, "" when it can be read."""
        return self._error

    def commit(self) -> bool:
        """Enter or leaving the field: accept what is typed (shown as dd/mm/yyyy) or refuse it
        with a message; never change it into another date."""
        try:
            day = self.value()
        except ValidationError as exc:
            self._set_error(exc.message)
            self.invalidEntered.emit(exc.message)
            return False
        if fmt(day) != self.text():
            self.setText(fmt(day))
        self._accept(day)
        return True

    def _accept(self, day: dt.date | None) -> None:
        self._set_error("")
        if day != self._accepted:
            self._accepted = day
            self.dateValueChanged.emit(day)

    def _set_error(self, message: str) -> None:
        if message == self._error:
            return
        if not self._error:
            self._tool_tip = self.toolTip()
        self._error = message
        self.setStyleSheet(FIELD_ERROR_STYLE if message else "")
        self.setToolTip(message or self._tool_tip)

    def _on_self_text_edited(self, _text: str) -> None:
        """A red field turns normal as soon as what is typed can be read."""
        if self._error:
            try:
                self.value()
            except ValidationError as exc:
                self._set_error(exc.message)
            else:
                self._set_error("")

    # --- keys -------------------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:
        ctrl = event.modifiers() & Qt.KeyboardModifier.ControlModifier
        if ctrl and event.key() in (Qt.Key.Key_Semicolon, Qt.Key.Key_Colon):
            self.set_value(today())
            self.selectAll()
            return
        if event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down) and not event.modifiers():
            try:
                day = self.value() or today()
            except ValidationError:
                super().keyPressEvent(event)
                return
            step = 1 if event.key() == Qt.Key.Key_Up else -1
            self.set_value(day + dt.timedelta(days=step))
            return
        if event.key() == Qt.Key.Key_F4 or (
            event.key() == Qt.Key.Key_Down and event.modifiers() & Qt.KeyboardModifier.AltModifier
        ):
            self.open_calendar()
            return
        super().keyPressEvent(event)

    # --- calendar ---------------------------------------------------------------------------
    def _on_calendar_action_triggered(self) -> None:
        self.open_calendar()

    def open_calendar(self) -> DatePopup:
        """The calendar at the current value (the last accepted one when the text cannot be
        read, today when empty)."""
        try:
            day = self.value()
        except ValidationError:
            day = self._accepted
        popup = DatePopup(self, day or today(), allow_empty=self._allow_empty)
        popup.chosen.connect(self._on_popup_chosen)
        popup.move(self.mapToGlobal(self.rect().bottomLeft()))
        self._calendar = popup
        popup.show()
        popup.calendar.setFocus()
        return popup

    def _on_popup_chosen(self, day: object) -> None:
        self.set_value(day if isinstance(day, dt.date) else None)
        self.setFocus()


class DatePopup(QFrame):
    """A calendar pop-up with "Hôm nay" (and "Để trống" for an optional date)."""

    chosen = Signal(object)  # dt.date | None

    def __init__(self, parent: QWidget, day: dt.date, *, allow_empty: bool) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.calendar = QCalendarWidget(self)
        self.calendar.setLocale(QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam))
        self.calendar.setFirstDayOfWeek(Qt.DayOfWeek.Monday)
        self.calendar.setGridVisible(True)
        self.calendar.setMinimumDate(QDate(MIN_YEAR, 1, 1))
        self.calendar.setMaximumDate(QDate(MAX_YEAR, 12, 31))
        self.calendar.setSelectedDate(QDate(day.year, day.month, day.day))
        layout.addWidget(self.calendar)
        row = QHBoxLayout()
        self.today_button = QPushButton("Hôm nay", self)
        self.today_button.setAutoDefault(False)
        row.addWidget(self.today_button)
        self.clear_button = QPushButton("Để trống", self)
        self.clear_button.setAutoDefault(False)
        self.clear_button.setVisible(allow_empty)
        row.addWidget(self.clear_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.calendar.clicked.connect(self._on_calendar_chosen)
        self.calendar.activated.connect(self._on_calendar_chosen)
        self.today_button.clicked.connect(lambda: self._choose(today()))
        self.clear_button.clicked.connect(lambda: self._choose(None))

    def selected(self) -> dt.date:
        d = self.calendar.selectedDate()
        return dt.date(d.year(), d.month(), d.day())

    def _on_calendar_chosen(self, d: QDate) -> None:
        self._choose(dt.date(d.year(), d.month(), d.day()))

    def _choose(self, day: dt.date | None) -> None:
        self.chosen.emit(day)
        self.close()


def read_dates(fields: dict[str, DateField]) -> dict[str, dt.date | None]:
    """Read several date fields; every bad one is reported at once, at its field."""
    values, errors = read_dates_lenient(fields)
    if errors:
        raise ValidationError(next(iter(errors.values())), errors=errors)
    return values


def read_dates_lenient(
    fields: dict[str, DateField],
) -> tuple[dict[str, dt.date | None], dict[str, str]]:
    """Like :func:`read_dates` but returns (values with None for bad ones, their errors)."""
    values: dict[str, dt.date | None] = {}
    errors: dict[str, str] = {}
    for key, widget in fields.items():
        try:
            values[key] = widget.value()
        except ValidationError as exc:
            values[key] = None
            errors[key] = exc.message
    return values, errors
