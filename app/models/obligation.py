"""Obligations (nghĩa vụ): one unit × one task × one period, materialised.

See docs/design-obligations.md: they are rows so that the status of 100,000 of them on any day
is one indexed SQL query (``first_received`` is kept equal to the earliest submission date).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base


class Obligation(Base):
    __tablename__ = "obligation"
    __table_args__ = (
        UniqueConstraint("task_id", "unit_id", "period_key"),
        Index("ix_obligation_due_date", "due_date"),
        Index("ix_obligation_unit_id", "unit_id"),
        # Open obligations on any day: never received, or received after it (warnings);
        # covering the whole test, exemption included (migration 0004).
        Index("ix_obligation_open_status", "first_received", "due_date", "exempt_reason",
              "waived"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("task.id", ondelete="CASCADE"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="RESTRICT"))
    period_key: Mapped[str] = mapped_column(String(20))  # "2018-H1", or "-" for a one-off task
    period_label: Mapped[str] = mapped_column(String(100), default="")
    period_start: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    period_end: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    due_date: Mapped[dt.date] = mapped_column(Date)
    # Earliest received date of its submissions (None: nothing received).
    first_received: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    submission_count: Mapped[int] = mapped_column(Integer, default=0)
    # Not bound: outside the unit's validity, or out of the task's scope (computed on sync)…
    exempt_reason: Mapped[str | None] = mapped_column(String(500), nullable=True)
    # …or waived by the user (kept across syncs).
    waived: Mapped[bool] = mapped_column(Boolean, default=False)
