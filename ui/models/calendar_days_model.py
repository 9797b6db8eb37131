"""The year's days off and make-up working days (national ones and the office's table)."""

from __future__ import annotations

from app.dates import fmt
from app.services.calendar_days import YearCalendarRow
from app.workdays import WEEKDAY_NAMES
from ui import style
from ui.models.row_table_model import Column, RowTableModel

OFF_COLOUR = style.DAY_OFF
WORK_COLOUR = style.RECORDED


class CalendarDaysModel(RowTableModel[YearCalendarRow]):
    columns = (
        Column("day", "Ngày", lambda r: f"{fmt(r.day)}", sort=lambda r: (r.day, r.id), width=90),
        Column(
            "weekday",
            "Thứ",
            lambda r: WEEKDAY_NAMES[r.day.weekday()],
            sort=lambda r: r.day.weekday(),
            width=75,
        ),
        Column(
            "kind",
            "Loại",
            lambda r: r.kind_label,
            colour=lambda r: WORK_COLOUR if r.working else OFF_COLOUR,
            width=70,
        ),
        Column("name", "Tên, lý do", lambda r: r.name, width=260),
        Column("source", "Nguồn", lambda r: r.source, width=120),
        Column("basis", "Căn cứ", lambda r: r.basis, width=160),
        Column("state", "Hiệu lực", lambda r: r.state_label, width=220),
    )
