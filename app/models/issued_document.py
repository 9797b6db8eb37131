"""Documents the office issued (printed for signature): what was printed, as of which day, to
whom, with the text as the user edited it — so last month's report can be reopened or copied and
every reminder a unit received can be counted."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, utcnow


class IssuedDocument(Base):
    __tablename__ = "issued_document"
    __table_args__ = (Index("ix_issued_document_directive", "directive_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # DocumentKind value: summary, reminder, …
    directive_id: Mapped[int | None] = mapped_column(
        ForeignKey("directive.id", ondelete="SET NULL")
    )
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id", ondelete="SET NULL"))
    as_of: Mapped[dt.date] = mapped_column(Date)
    number: Mapped[str] = mapped_column(String(20), default="")  # blank: left for the clerk
    issued_date: Mapped[dt.date | None] = mapped_column(Date)
    title: Mapped[str] = mapped_column(String(500), default="")  # subject as printed
    signer: Mapped[str] = mapped_column(String(200), default="")
    recipients: Mapped[str] = mapped_column(Text, default="[]")  # JSON list: Nơi nhận
    edits: Mapped[str] = mapped_column(Text, default="{}")  # JSON {field key: edited text}
    options: Mapped[str] = mapped_column(Text, default="{}")  # JSON: what else was chosen
    follow_up_round: Mapped[int] = mapped_column(Integer, default=0)  # 0: not a reminder round
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    units: Mapped[list[IssuedDocumentUnit]] = relationship(
        back_populates="document", cascade="all, delete-orphan"
    )


class IssuedDocumentUnit(Base):
    """A unit a document was addressed to (a reminder's Kính gửi)."""

    __tablename__ = "issued_document_unit"
    __table_args__ = (Index("ix_issued_document_unit_unit", "unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("issued_document.id", ondelete="CASCADE"), index=True
    )
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"))

    document: Mapped[IssuedDocument] = relationship(back_populates="units")
