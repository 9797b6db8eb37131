"""Documents received from units (văn bản nhận được): plan registrations and report intake."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.kinds import Channel
from app.models.base import Base, utcnow


class Submission(Base):
    __tablename__ = "submission"
    __table_args__ = (
        Index("ix_submission_obligation_id", "obligation_id"),
        Index("ix_submission_unit_year", "unit_id", "year", "number_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    obligation_id: Mapped[int] = mapped_column(ForeignKey("obligation.id", ondelete="RESTRICT"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="RESTRICT"))
    number_symbol: Mapped[str] = mapped_column(String(100))  # "45/KH-UBND"
    number_key: Mapped[str] = mapped_column(String(100), default="")  # normalised for uniqueness
    year: Mapped[int] = mapped_column(Integer)  # year signed: numbers restart each year
    signed_date: Mapped[dt.date] = mapped_column(Date)
    received_date: Mapped[dt.date] = mapped_column(Date)
    signer: Mapped[str] = mapped_column(String(255), default="")
    channel: Mapped[str] = mapped_column(String(20), default=Channel.PAPER.value)
    summary: Mapped[str] = mapped_column(Text, default="")
    assessment: Mapped[str] = mapped_column(Text, default="")
    attachment_path: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}
