"""Directives (văn bản chỉ đạo), their tasks and the assignment of tasks to units."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base


class TaskKind(StrEnum):
    ONE_OFF = "once"
    PERIODIC = "periodic"

    @property
    def label(self) -> str:
        return "Một lần (có hạn)" if self is TaskKind.ONE_OFF else "Báo cáo định kỳ"


class Directive(Base):
    __tablename__ = "directive"

    id: Mapped[int] = mapped_column(primary_key=True)
    number_symbol: Mapped[str] = mapped_column(String(100))  # "2116/UBND-NC"
    signed_date: Mapped[dt.date] = mapped_column(Date)
    issuer: Mapped[str] = mapped_column(String(255), default="")
    signer: Mapped[str] = mapped_column(String(255), default="")
    subject: Mapped[str] = mapped_column(Text, default="")  # trích yếu
    basis: Mapped[str] = mapped_column(Text, default="")  # căn cứ: the document it implements
    note: Mapped[str] = mapped_column(Text, default="")
    attachment_path: Mapped[str] = mapped_column(String(500), default="")
    # Free-text sections of the synthesis report, written by the specialist.
    report_assessment: Mapped[str] = mapped_column(Text, default="")
    report_difficulties: Mapped[str] = mapped_column(Text, default="")
    report_proposals: Mapped[str] = mapped_column(Text, default="")
    search_key: Mapped[str] = mapped_column(String(1000), default="")
    # "Hạn trùng ngày nghỉ thì dời sang ngày làm việc kế tiếp" (Bộ luật Dân sự 2015, Điều 148)
    shift_due: Mapped[bool] = mapped_column(Boolean, default=False)
    version: Mapped[int] = mapped_column(Integer, default=1)

    tasks: Mapped[list[Task]] = relationship(
        back_populates="directive",
        cascade="all, delete-orphan",
        order_by="(Task.sort_order, Task.id)",
    )

    __mapper_args__ = {"version_id_col": version}


class Task(Base):
    __tablename__ = "task"

    id: Mapped[int] = mapped_column(primary_key=True)
    directive_id: Mapped[int] = mapped_column(
        ForeignKey("directive.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(500))
    description: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[str] = mapped_column(String(20))  # TaskKind
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    # One-off deliverable
    due_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    # Periodic report
    period_kind: Mapped[str | None] = mapped_column(String(20), nullable=True)
    start_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    end_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    due_day: Mapped[int | None] = mapped_column(Integer, nullable=True)  # None: the setting
    due_month_offset: Mapped[int] = mapped_column(Integer, default=0)
    # "N ngày làm việc sau ngày chốt số liệu" instead of a fixed day (None: the fixed day)
    due_working_days: Mapped[int | None] = mapped_column(Integer, nullable=True)
    version: Mapped[int] = mapped_column(Integer, default=1)

    directive: Mapped[Directive] = relationship(back_populates="tasks")
    unit_kinds: Mapped[list[TaskUnitKind]] = relationship(
        cascade="all, delete-orphan", lazy="selectin"
    )
    units: Mapped[list[TaskUnit]] = relationship(cascade="all, delete-orphan", lazy="selectin")

    __mapper_args__ = {"version_id_col": version}


class TaskUnitKind(Base):
    """A task binds every unit of this kind (valid when its obligations fall due)."""

    __tablename__ = "task_unit_kind"

    task_id: Mapped[int] = mapped_column(
        ForeignKey("task.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(20), primary_key=True)


class TaskUnit(Base):
    """A task binds this unit, chosen one by one."""

    __tablename__ = "task_unit"
    __table_args__ = (UniqueConstraint("task_id", "unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("task.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="RESTRICT"), index=True)
