"""A date typed as dd/mm/yyyy in a line edit, with a calendar button. Bad text is kept as
typed and reported at the field (a date that does not exist, a wrong shape)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QCalendarWidget, QLineEdit, QWidget

from app.dates import fmt, parse_optional_date


class DateField(QLineEdit):
    def __init__(self, parent: QWidget | None = None, *, label: str = "Ngày",
                 field: str | None = None) -> None:
        super().__init__(parent)
        self._label = label
        self._field = field
        self._calendar: QCalendarWidget | None = None
        self._build_ui()
        self._connect_signals()

    def _build_ui(self) -> None:
        self.setPlaceholderText("ngày/tháng/năm")
        self.setMaxLength(10)
        self.setMinimumWidth(130)
        self.setMaximumWidth(170)
        self.calendar_action = QAction("▾", self)
        self.calendar_action.setToolTip("Chọn trên lịch")
        self.addAction(self.calendar_action, QLineEdit.ActionPosition.TrailingPosition)

    def _connect_signals(self) -> None:
        self.calendar_action.triggered.connect(self._on_calendar_action_triggered)

    def value(self) -> dt.date | None:
        """The date typed, None when empty; ValidationError (at this field) when bad."""
        return parse_optional_date(self.text(), field=self._field, label=self._label)

    def set_value(self, day: dt.date | None) -> None:
        self.setText(fmt(day))

    def _on_calendar_action_triggered(self) -> None:
        calendar = QCalendarWidget(self)
        calendar.setWindowFlags(Qt.WindowType.Popup)
        calendar.setFirstDayOfWeek(Qt.DayOfWeek.Monday)
        calendar.setGridVisible(True)
        try:
            day = self.value()
        except Exception:
            day = None
        if day:
            calendar.setSelectedDate(QDate(day.year, day.month, day.day))
        calendar.clicked.connect(lambda d: self._on_calendar_clicked(calendar, d))
        calendar.move(self.mapToGlobal(self.rect().bottomLeft()))
        self._calendar = calendar
        calendar.show()

    def _on_calendar_clicked(self, calendar: QCalendarWidget, day: QDate) -> None:
        self.set_value(dt.date(day.year(), day.month(), day.day()))
        calendar.close()
        self.setFocus()


def read_dates(fields: dict[str, DateField]) -> dict[str, dt.date | None]:
    """Read several date fields; every bad one is reported at once, at its field."""
    from app.errors import ValidationError

    values: dict[str, dt.date | None] = {}
    errors: dict[str, str] = {}
    for key, widget in fields.items():
        try:
            values[key] = widget.value()
        except ValidationError as exc:
            errors[key] = exc.message
    if errors:
        raise ValidationError(next(iter(errors.values())), errors=errors)
    return values


def read_dates_lenient(fields: dict[str, DateField]
                       ) -> tuple[dict[str, dt.date | None], dict[str, str]]:
    """Like :func:`read_dates` but returns (values with None for bad ones, their errors)."""
    from app.errors import ValidationError

    values: dict[str, dt.date | None] = {}
    errors: dict[str, str] = {}
    for key, widget in fields.items():
        try:
            values[key] = widget.value()
        except ValidationError as exc:
            values[key] = None
            errors[key] = exc.message
    return values, errors
