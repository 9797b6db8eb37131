"""A date field showing dd/MM/yyyy, with a calendar pop-up; may be empty when allowed."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import QDateEdit, QWidget

EMPTY = QDate(1900, 1, 1)


class DateEdit(QDateEdit):
    """``date_value()`` is a ``datetime.date`` or None (empty, shown as blank)."""

    dateValueChanged = Signal(object)

    def __init__(self, parent: QWidget | None = None, *, allow_empty: bool = True) -> None:
        super().__init__(parent)
        self._allow_empty = allow_empty
        self.setDisplayFormat("dd/MM/yyyy")
        self.setCalendarPopup(True)
        self.setMinimumDate(EMPTY)
        self.setMaximumDate(QDate(2100, 12, 31))
        if allow_empty:
            self.setSpecialValueText(" ")
            self.setDate(EMPTY)
        else:
            self.setDate(QDate.currentDate())
        self.dateChanged.connect(lambda _d: self.dateValueChanged.emit(self.date_value()))

    def date_value(self) -> dt.date | None:
        value = self.date()
        if value == EMPTY or not value.isValid():
            return None
        return dt.date(value.year(), value.month(), value.day())

    def set_date_value(self, day: dt.date | None) -> None:
        if day is None:
            self.setDate(EMPTY if self._allow_empty else QDate.currentDate())
        else:
            self.setDate(QDate(day.year, day.month, day.day))
