"""Issued documents: each report, reminder or sheet printed for signature is kept with the text
as edited, so it can be reopened, copied for the next round, and so every reminder a unit
received is on record ("đã đôn đốc lần N, ngày …")."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.dates import as_of_caption, fmt
from app.db import Database
from app.errors import NotFound, ValidationError
from app.models import Directive, IssuedDocument, IssuedDocumentUnit, Unit
from app.models.base import utcnow
from app.services import audit
from app.text import clean

KIND_LABELS = {
    "summary": "Báo cáo tổng hợp",
    "reminder": "Công văn đôn đốc",
    "unit-sheet": "Phiếu theo dõi đơn vị",
    "unit-reminder": "Công văn đôn đốc (theo đơn vị)",
}


@dataclass(frozen=True)
class IssuedInput:
    kind: str
    as_of: dt.date
    directive_id: int | None = None
    unit_id: int | None = None
    number: str = ""
    issued_date: dt.date | None = None
    title: str = ""
    signer: str = ""
    recipients: tuple[str, ...] = ()
    edits: Mapping[str, str] = field(default_factory=dict)
    options: Mapping[str, Any] = field(default_factory=dict)
    unit_ids: tuple[int, ...] = ()  # the units addressed (a reminder's Kính gửi)
    follow_up_round: int = 0


@dataclass(frozen=True)
class IssuedInfo:
    id: int
    kind: str
    kind_label: str
    directive_id: int | None
    directive_symbol: str
    unit_id: int | None
    unit_name: str
    as_of: dt.date
    number: str
    issued_date: dt.date | None
    title: str
    signer: str
    recipients: tuple[str, ...]
    edits: dict[str, str]
    options: dict[str, Any]
    unit_ids: tuple[int, ...]
    follow_up_round: int
    created_at: dt.datetime
    updated_at: dt.datetime

    @property
    def day(self) -> dt.date:
        """The day it went out: the issue date when the clerk's date was filled in, else the
        as-of day it was printed for."""
        return self.issued_date or self.as_of


@dataclass(frozen=True)
class ReminderSent:
    """One reminder addressed to one unit; ``number`` counts this unit's reminders for the
    directive (1 = first)."""

    unit_id: int
    directive_id: int | None
    document_id: int
    day: dt.date
    number: int
    follow_up_round: int


def _validate(session: Session, data: IssuedInput) -> None:
    if data.kind not in KIND_LABELS:
        raise ValidationError(f"Loại văn bản không hợp lệ: {data.kind}.", field="kind")
    if data.directive_id is not None and session.get(Directive, data.directive_id) is None:
        raise NotFound.for_("văn bản chỉ đạo", data.directive_id)
    for unit_id in {*data.unit_ids, *([data.unit_id] if data.unit_id else [])}:
        if session.get(Unit, unit_id) is None:
            raise NotFound.for_("đơn vị", unit_id)
    number = data.number.strip()
    if number and not (number.isdigit() and 0 < int(number) < 100000):
        raise ValidationError(
            "Số văn bản là một số nguyên dương (ví dụ 15), hoặc để trống.", field="number"
        )
    if data.follow_up_round < 0:
        raise ValidationError("Lần đôn đốc không hợp lệ.", field="follow_up_round")


def _apply(doc: IssuedDocument, data: IssuedInput) -> None:
    doc.kind = data.kind
    doc.as_of = data.as_of
    doc.directive_id = data.directive_id
    doc.unit_id = data.unit_id
    doc.number = data.number.strip()
    doc.issued_date = data.issued_date
    doc.title = clean(data.title)[:500]
    doc.signer = clean(data.signer)[:200]
    doc.recipients = json.dumps([clean(r) for r in data.recipients], ensure_ascii=False)
    doc.edits = json.dumps({k: v for k, v in data.edits.items()}, ensure_ascii=False)
    doc.options = json.dumps(dict(data.options), ensure_ascii=False, default=str)
    doc.follow_up_round = data.follow_up_round
    doc.units = [IssuedDocumentUnit(unit_id=u) for u in dict.fromkeys(data.unit_ids)]


def _info(session: Session, doc: IssuedDocument) -> IssuedInfo:
    directive = session.get(Directive, doc.directive_id) if doc.directive_id else None
    unit = session.get(Unit, doc.unit_id) if doc.unit_id else None
    return IssuedInfo(
        id=doc.id,
        kind=doc.kind,
        kind_label=KIND_LABELS.get(doc.kind, doc.kind),
        directive_id=doc.directive_id,
        directive_symbol=directive.number_symbol if directive else "",
        unit_id=doc.unit_id,
        unit_name=unit.name if unit else "",
        as_of=doc.as_of,
        number=doc.number,
        issued_date=doc.issued_date,
        title=doc.title,
        signer=doc.signer,
        recipients=tuple(json.loads(doc.recipients or "[]")),
        edits=dict(json.loads(doc.edits or "{}")),
        options=dict(json.loads(doc.options or "{}")),
        unit_ids=tuple(u.unit_id for u in doc.units),
        follow_up_round=doc.follow_up_round,
        created_at=doc.created_at,
        updated_at=doc.updated_at,
    )


def _snapshot(doc: IssuedDocument) -> dict[str, Any]:
    out = audit.snapshot(doc)
    out["unit_ids"] = [u.unit_id for u in doc.units]
    return out


def record_issued(db: Database, data: IssuedInput) -> IssuedInfo:
    """Keep a document that was printed (or saved) for signature."""
    with db.write() as session:
        _validate(session, data)
        doc = IssuedDocument()
        _apply(doc, data)
        session.add(doc)
        session.flush()
        audit.record(
            session,
            "create",
            "issued_document",
            doc.id,
            after=_snapshot(doc),
            summary=f"{KIND_LABELS[data.kind]} {as_of_caption(data.as_of)}",
        )
        return _info(session, doc)


def update_issued(db: Database, document_id: int, data: IssuedInput) -> IssuedInfo:
    """Change a kept document (its number and date once the clerk issued it, the text…)."""
    with db.write() as session:
        doc = session.get(IssuedDocument, document_id)
        if doc is None:
            raise NotFound.for_("văn bản đã phát hành", document_id)
        _validate(session, data)
        before = _snapshot(doc)
        _apply(doc, data)
        doc.updated_at = utcnow()
        session.flush()
        audit.record(
            session,
            "update",
            "issued_document",
            doc.id,
            before=before,
            after=_snapshot(doc),
            summary=KIND_LABELS[data.kind],
        )
        return _info(session, doc)


def set_issue_number(
    db: Database, document_id: int, number: str, issued_date: dt.date | None
) -> IssuedInfo:
    """The clerk's number and date of a kept document, written in once it went out (blank:
    not known yet). Reopening it then prints them; its reminders count from that date."""
    with db.write() as session:
        doc = session.get(IssuedDocument, document_id)
        if doc is None:
            raise NotFound.for_("văn bản đã phát hành", document_id)
        number = number.strip()
        if number and not (number.isdigit() and 0 < int(number) < 100000):
            raise ValidationError(
                "Số văn bản là một số nguyên dương (ví dụ 15), hoặc để trống.", field="number"
            )
        if issued_date is not None and issued_date < doc.as_of:
            raise ValidationError(
                f"Ngày ban hành ({fmt(issued_date)}) không thể trước ngày tính số liệu "
                f"({fmt(doc.as_of)}).",
                field="issued_date",
            )
        before = _snapshot(doc)
        doc.number = number
        doc.issued_date = issued_date
        try:
            options = json.loads(doc.options or "{}")
        except ValueError:
            options = {}
        if isinstance(options, dict):
            options["number"] = number
            options["date"] = issued_date.isoformat() if issued_date else None
            doc.options = json.dumps(options, ensure_ascii=False)
        doc.updated_at = utcnow()
        session.flush()
        audit.record(
            session,
            "update",
            "issued_document",
            doc.id,
            before=before,
            after=_snapshot(doc),
            summary=f"Ghi số, ngày: {KIND_LABELS.get(doc.kind)}",
        )
        return _info(session, doc)


def delete_issued(db: Database, document_id: int) -> None:
    with db.write() as session:
        doc = session.get(IssuedDocument, document_id)
        if doc is None:
            raise NotFound.for_("văn bản đã phát hành", document_id)
        audit.record(
            session,
            "delete",
            "issued_document",
            doc.id,
            before=_snapshot(doc),
            summary=KIND_LABELS.get(doc.kind, doc.kind),
        )
        session.delete(doc)


def get_issued(db: Database, document_id: int) -> IssuedInfo:
    with db.read() as session:
        doc = session.get(IssuedDocument, document_id)
        if doc is None:
            raise NotFound.for_("văn bản đã phát hành", document_id)
        return _info(session, doc)


def list_issued(
    db: Database,
    *,
    directive_id: int | None = None,
    kind: str | None = None,
    unit_id: int | None = None,
) -> list[IssuedInfo]:
    """Newest first; ``unit_id`` matches the unit the document is about or addressed to."""
    with db.read() as session:
        stmt = (
            select(IssuedDocument)
            .options(selectinload(IssuedDocument.units))
            .order_by(IssuedDocument.id.desc())
        )
        if directive_id is not None:
            stmt = stmt.where(IssuedDocument.directive_id == directive_id)
        if kind is not None:
            stmt = stmt.where(IssuedDocument.kind == kind)
        if unit_id is not None:
            addressed = select(IssuedDocumentUnit.document_id).where(
                IssuedDocumentUnit.unit_id == unit_id
            )
            stmt = stmt.where(
                (IssuedDocument.unit_id == unit_id) | IssuedDocument.id.in_(addressed)
            )
        return [_info(session, d) for d in session.scalars(stmt)]


REMINDER_KINDS: Sequence[str] = ("reminder", "unit-reminder")


def reminders_sent(
    db: Database,
    *,
    directive_id: int | None = None,
    unit_id: int | None = None,
    until: dt.date | None = None,
) -> list[ReminderSent]:
    """Every reminder addressed to a unit, oldest first, numbered per (unit, directive).

    ``until``: only those that went out on or before that day (the as-of replay)."""
    with db.read() as session:
        stmt = (
            select(
                IssuedDocumentUnit.unit_id,
                IssuedDocument.directive_id,
                IssuedDocument.id,
                IssuedDocument.issued_date,
                IssuedDocument.as_of,
                IssuedDocument.follow_up_round,
                IssuedDocument.kind,
                IssuedDocument.options,
            )
            .join(IssuedDocument, IssuedDocument.id == IssuedDocumentUnit.document_id)
            .where(IssuedDocument.kind.in_(REMINDER_KINDS))
        )
        if unit_id is not None:
            stmt = stmt.where(IssuedDocumentUnit.unit_id == unit_id)
        rows: list[tuple[int, int | None, int, dt.date, int]] = []
        for u, d, doc, issued, as_of, rnd, kind, options in session.execute(stmt):
            # A consolidated reminder to one unit counts for every directive it listed.
            directives = _covered_directives(options) if kind == "unit-reminder" else [d]
            for covered in directives or [d]:
                if directive_id is None or covered == directive_id:
                    rows.append((u, covered, doc, issued or as_of, rnd))
    rows.sort(key=lambda r: (r[3], r[2]))
    counts: dict[tuple[int, int | None], int] = {}
    out: list[ReminderSent] = []
    for unit, directive, doc, day, rnd in rows:
        if until is not None and day > until:
            continue
        n = counts[(unit, directive)] = counts.get((unit, directive), 0) + 1
        out.append(ReminderSent(unit, directive, doc, day, n, rnd))
    return out


def _covered_directives(options: str | None) -> list[int | None]:
    try:
        ids = json.loads(options or "{}").get("directive_ids")
    except (ValueError, AttributeError):
        return []
    return [i for i in ids if isinstance(i, int)] if isinstance(ids, list) else []


def last_reminders(
    db: Database, *, directive_id: int | None = None, until: dt.date | None = None
) -> dict[tuple[int, int | None], ReminderSent]:
    """The latest reminder per (unit, directive): what "đã đôn đốc lần N, ngày …" shows."""
    out: dict[tuple[int, int | None], ReminderSent] = {}
    for r in reminders_sent(db, directive_id=directive_id, until=until):
        out[(r.unit_id, r.directive_id)] = r
    return out


def reminder_note(r: ReminderSent) -> str:
    """ "đã đôn đốc lần 2, ngày 15/05/2018"."""
    return f"đã đôn đốc lần {r.number}, ngày {fmt(r.day)}"


def reminder_notes(db: Database, until: dt.date) -> dict[tuple[int, int | None], str]:
    """ "đã đôn đốc lần N, ngày …" per (unit, directive) as of ``until``: the "Đã đôn đốc"
    column of the warnings, in the window and in Excel."""
    return {key: reminder_note(sent) for key, sent in last_reminders(db, until=until).items()}
