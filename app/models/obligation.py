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
        Index(
            "ix_obligation_open_status",
            "first_received",
            "due_date",
            "exempt_reason",
            "waived",
            "due_history_until",
        ),
        Index("ix_obligation_due_history_until", "due_history_until"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("task.id", ondelete="CASCADE"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="RESTRICT"))
    period_key: Mapped[str] = mapped_column(String(20))  # "2018-H1", or "-" for a one-off task
    period_label: Mapped[str] = mapped_column(String(100), default="")
    period_start: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    period_end: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    # The effective due date with the calendar as known today (the one the status uses)…
    due_date: Mapped[dt.date] = mapped_column(Date)
    # …the date the task sets (None for a rule "N working days after the cut-off")…
    nominal_due_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    # …and the last day the holiday table changed it (None: never): before that day the
    # effective date is read from ``obligation_due_change`` (docs/design-obligations.md).
    due_history_until: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    # Earliest received date of its submissions (None: nothing received).
    first_received: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    submission_count: Mapped[int] = mapped_column(Integer, default=0)
    # Not bound: outside the unit's validity, or out of the task's scope (computed on sync)…
    exempt_reason: Mapped[str | None] = mapped_column(String(500), nullable=True)
    # …or waived by the user (kept across syncs).
    waived: Mapped[bool] = mapped_column(Boolean, default=False)


class ObligationDueChange(Base):
    """A change of an obligation's effective due date by the holiday table: from
    ``changed_on`` on the due date is another one; before it, it was ``previous_due``."""

    __tablename__ = "obligation_due_change"
    __table_args__ = (UniqueConstraint("obligation_id", "changed_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    obligation_id: Mapped[int] = mapped_column(ForeignKey("obligation.id", ondelete="CASCADE"))
    changed_on: Mapped[dt.date] = mapped_column(Date)
    previous_due: Mapped[dt.date] = mapped_column(Date)
