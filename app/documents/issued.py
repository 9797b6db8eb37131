"""A printed document kept as an issued document, and back: the options and edits it was printed
with are stored (:mod:`app.services.issued_documents`), so it can be reopened as it was, or
copied for the next round (same edits, a new as-of day)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from app.db import Database
from app.documents.common import DocumentKind, DocumentOptions, Signer
from app.documents.content import edits_differing
from app.documents.generate import Generated
from app.errors import NotFound
from app.services.issued_documents import (
    IssuedInfo,
    IssuedInput,
    record_issued,
    update_issued,
)


def _date(value: Any) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def options_to_json(options: DocumentOptions) -> dict[str, Any]:
    """What was chosen, as JSON-able data (dates ISO); the edits are kept apart."""
    signer = options.signer
    return {
        "kind": options.kind.value,
        "as_of": options.as_of.isoformat(),
        "directive_id": options.directive_id,
        "unit_id": options.unit_id,
        "number": options.number or "",
        "date": options.date.isoformat() if options.date else None,
        "signer": None
        if signer is None
        else {
            "authority": signer.authority,
            "head_title": signer.head_title,
            "title": signer.title,
            "name": signer.name,
        },
        "recipients": list(options.recipients) if options.recipients is not None else None,
        "year": options.year,
        "unit_ids": list(options.unit_ids) if options.unit_ids is not None else None,
        "reply_by": options.reply_by.isoformat() if options.reply_by else None,
    }


def options_from_json(
    data: Mapping[str, Any],
    edits: Mapping[str, str] | None = None,
    *,
    fallback_kind: str = "summary",
    fallback_as_of: dt.date | None = None,
) -> DocumentOptions:
    """The options :func:`options_to_json` wrote (tolerant: a missing or damaged value falls
    back to the default rather than refusing to reopen the document)."""
    try:
        kind = DocumentKind(str(data.get("kind") or fallback_kind))
    except ValueError:
        kind = DocumentKind.SUMMARY
    as_of = _date(data.get("as_of")) or fallback_as_of or dt.date.today()
    signer_data = data.get("signer")
    signer = None
    if isinstance(signer_data, Mapping):
        signer = Signer(
            authority=str(signer_data.get("authority", "")),
            head_title=str(signer_data.get("head_title", "")),
            title=str(signer_data.get("title", "")),
            name=str(signer_data.get("name", "")),
        )
    recipients = data.get("recipients")
    unit_ids = data.get("unit_ids")

    def _int(value: Any) -> int | None:
        return value if isinstance(value, int) else None

    return DocumentOptions(
        kind=kind,
        as_of=as_of,
        directive_id=_int(data.get("directive_id")),
        unit_id=_int(data.get("unit_id")),
        number=str(data.get("number") or "") or None,
        date=_date(data.get("date")),
        signer=signer,
        recipients=tuple(str(r) for r in recipients) if isinstance(recipients, list) else None,
        year=_int(data.get("year")),
        edits=tuple(sorted((edits or {}).items())),
        unit_ids=tuple(u for u in unit_ids if isinstance(u, int))
        if isinstance(unit_ids, list)
        else None,
        reply_by=_date(data.get("reply_by")),
    )


def reopen_options(info: IssuedInfo) -> DocumentOptions:
    """The options and edits a kept document was printed with. Refused (NotFound) when the
    directive or unit it is about was deleted since: it cannot be made again, only read
    ("Nội dung đã in")."""
    options = options_from_json(
        info.options, info.edits, fallback_kind=info.kind, fallback_as_of=info.as_of
    )
    gone = (
        "văn bản chỉ đạo"
        if options.directive_id is not None and info.directive_id is None
        else "đơn vị"
        if options.unit_id is not None and info.unit_id is None
        else ""
    )
    if gone:
        raise NotFound(
            f"{info.kind_label} này nói về một {gone} đã bị xóa khỏi chương trình nên "
            "không lập lại được; bấm “Nội dung đã in…” để xem lời văn đã in."
        )
    return options


def copy_options(info: IssuedInfo, as_of: dt.date) -> DocumentOptions:
    """A kept document copied for a new round: the same edits, signer and recipients; a new
    as-of day; number, date and deadline blank; a reminder goes to whoever is overdue then."""
    return replace(
        reopen_options(info),
        as_of=as_of,
        number=None,
        date=None,
        year=None,
        reply_by=None,
        unit_ids=None,
    )


def addressed_units(options: DocumentOptions, data: object) -> tuple[int, ...]:
    """The units a document was addressed to (a reminder's Kính gửi)."""
    if options.kind is DocumentKind.UNIT_REMINDER and options.unit_id is not None:
        return (options.unit_id,)
    if options.kind is DocumentKind.REMINDER:
        units = getattr(data, "units", ())
        return tuple(u.unit_id for u in units)
    return ()


def _with_covered(options: dict[str, Any], data: object) -> dict[str, Any]:
    """A consolidated reminder keeps the directives it listed: it counts as a reminder for each
    (:func:`app.services.issued_documents.reminders_sent`)."""
    groups = getattr(data, "directives", None)
    if isinstance(groups, tuple):
        options["directive_ids"] = [g.directive.id for g in groups]
    return options


def _with_printed(options: dict[str, Any], printed: Any) -> dict[str, Any]:
    """The text as it went out, field by field (label, text): what the document said stays on
    record even if the data it was made from is corrected later."""
    options["printed"] = [[f.label, f.text] for f in printed.fields()]
    return options


def printed_text(info: IssuedInfo) -> list[tuple[str, str]]:
    """(label, text) of each field as printed; empty for a document kept without it."""
    fields = info.options.get("printed")
    if not isinstance(fields, list):
        return []
    return [(str(f[0]), str(f[1])) for f in fields if isinstance(f, list) and len(f) == 2]


def issued_input(
    options: DocumentOptions, generated: Generated, *, follow_up_round: int = 0
) -> IssuedInput:
    """What is kept of a document just made; ``follow_up_round``: the reminder round (1, 2, 3
    of :mod:`app.services.followup`) it was made for, 0 for none."""
    printed = generated.printed
    title = printed.header.letter_subject or (printed.title.subject if printed.title else "")
    signer = options.signer
    return IssuedInput(
        kind=options.kind.value,
        as_of=options.as_of,
        directive_id=options.directive_id,
        unit_id=options.unit_id,
        number=(options.number or "").strip(),
        issued_date=options.date,
        title=title,
        signer=signer.name if signer is not None else printed.footer.signer_name,
        recipients=printed.footer.recipients,
        edits=edits_differing(generated.content, options.edit_map),
        options=_with_printed(_with_covered(options_to_json(options), generated.data), printed),
        unit_ids=addressed_units(options, generated.data),
        follow_up_round=follow_up_round,
    )


def keep_issued(
    db: Database,
    options: DocumentOptions,
    generated: Generated,
    document_id: int | None = None,
    *,
    follow_up_round: int = 0,
) -> IssuedInfo:
    """Record the document just printed or saved (or update ``document_id``, the kept document
    it was reopened from); ``follow_up_round`` as in :func:`issued_input`."""
    data = issued_input(options, generated, follow_up_round=follow_up_round)
    if document_id is not None:
        try:
            return update_issued(db, document_id, data)
        except NotFound:  # deleted from the list meanwhile: keep it as a new one
            pass
    return record_issued(db, data)
