"""The user's table of days off and make-up working days (lịch nghỉ, làm bù), with history.

A line is never edited nor deleted: a change withdraws the line (``removed_on``) and adds a new
one, so the calendar as known on any past day can be rebuilt (app/workdays.py).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, DateTime, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, utcnow


class CalendarDay(Base):
    __tablename__ = "calendar_day"
    __table_args__ = (Index("ix_calendar_day_day", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date)
    working: Mapped[bool] = mapped_column(Boolean, default=False)  # True: làm bù
    name: Mapped[str] = mapped_column(String(255), default="")
    basis: Mapped[str] = mapped_column(String(255), default="")  # the announcement it follows
    known_from: Mapped[dt.date] = mapped_column(Date)  # entered on: in force from this day
    removed_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)  # withdrawn on
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
